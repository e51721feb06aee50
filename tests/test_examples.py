"""Every example paper under data/examples/ (each with a planted.csv): its data and declaration
pass ``data --check``, and the audit of each declared language flags exactly the planted
errors, reproduces every other number a family can judge from print, and with the planted
cells restored to R's values finds nothing discrepant (issue 17: no false alarm)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pytest

from analysis.audit import run_audit
from analysis.audit.model import key_of
from analysis.dataset import clear_cache, declaration
from harness import PROJECT_ROOT

EXAMPLES = sorted(p.parent for p in (PROJECT_ROOT / "data" / "examples").glob("*/planted.csv"))
KEY = ("source", "item", "level", "arm", "quantity")
# What no family can judge from printed summaries: the log-rank χ², Kaplan-Meier times, medians
# and quartiles (and the same numbers repeated elsewhere).
NOT_CHECKABLE_METHODS = {"log_rank", "", "median_iqr"}


def _planted(example):
    with (example / "planted.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _cases():
    for example in EXAMPLES:
        for lang in declaration(example).languages:
            yield pytest.param(example, lang, id=f"{example.name}-{lang}")


def test_there_are_examples_of_several_styles():
    assert {p.name for p in EXAMPLES} >= {"pbc", "cgd", "udca", "gbsg"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_data_check_passes_and_nothing_is_left_unchecked(example):
    res = subprocess.run([sys.executable, "-m", "analysis", "data", "--check", "--data-dir", str(example)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert declaration(example).unchecked == ()


@pytest.mark.parametrize("example,lang", list(_cases()))
def test_exactly_the_planted_errors_are_flagged(example, lang):
    planted = {key_of(*(row[k] for k in KEY)) for row in _planted(example) if row["file"].startswith(f"{lang}/")}
    flagged = set()
    for c in run_audit(lang, data_dir=example).checks:
        if set(c.covers) & planted:
            # A planted value may be judged twice (|t| reproduced, its sign not): one must flag it.
            if c.verdict == "discrepant":
                flagged |= set(c.covers) & planted
        elif c.verdict == "discrepant" and set(c.inputs) & planted:
            # A check that reads a planted value may fail with it: printed numbers that contradict
            # each other cannot say which one is wrong (an HR and the P its CI implies).
            continue
        elif c.verdict == "not_checkable":
            assert c.method in NOT_CHECKABLE_METHODS, (c.id, c.method)
        else:
            assert c.verdict == "reproduced", (c.id, c.reported, c.recomputed, c.notes)
    assert flagged == planted


@pytest.mark.parametrize("example,lang", list(_cases()))
def test_without_the_planted_errors_nothing_is_discrepant(tmp_path, example, lang):
    copy = tmp_path / example.name
    shutil.copytree(example, copy)
    for row in _planted(example):
        path = copy / row["file"]
        lines = path.read_text(encoding="utf-8").split("\n")
        cell = ",".join(f'"{row[k]}"' for k in KEY) + f',"{row["printed"]}"'
        hits = [i for i, line in enumerate(lines) if line.startswith(cell)]
        assert len(hits) == 1, row
        lines[hits[0]] = lines[hits[0]].replace(cell, cell[:-len(row["printed"]) - 2] + f'"{row["correct"]}"', 1)
        path.write_text("\n".join(lines), encoding="utf-8")
    if (copy / "discrepancies.csv").exists():
        # A planted cell is also an English/Chinese difference: restored, it is one no more.
        planted = {tuple(row[k] for k in KEY) for row in _planted(example)}
        with (copy / "discrepancies.csv").open(encoding="utf-8", newline="") as fh:
            records = list(csv.DictReader(fh))
        with (copy / "discrepancies.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.DictWriter(fh, fieldnames=list(records[0]))
            out.writeheader()
            out.writerows(r for r in records if tuple(r[k] for k in KEY) not in planted)
    clear_cache()
    report = run_audit(lang, data_dir=copy)
    assert report.summary()["discrepant"] == 0, [c.id for c in report.checks if c.verdict == "discrepant"]


@pytest.mark.parametrize("example,lang", list(_cases()))
def test_no_note_speaks_of_this_books_paper(example, lang):
    # Issue 17: "see the reconstruction chapter", "the complications rows", "section 1.6",
    # "2 × 49", "107" were this paper's words in another paper's audit.
    foreign = ("chapter", "章节", "complications", "并发症", "section 1.", "1.6 节", "1.1 节", "2 × 49",
               "gives 107", "得到 107")
    notes = [n for c in run_audit(lang, data_dir=example).checks for n in c.notes]
    assert notes and not [n for n in notes if any(word in n for word in foreign)]
