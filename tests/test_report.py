"""``python -m analysis report`` on every example paper: the export, the appendix and a
handout of at most two pages whose first page states every planted error with its printed
number, in plain words (no key, no check id); one real render per session, skipped with
one reason without Quarto."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess

import pytest

from analysis.i18n import t
from conftest import EXAMPLES, example_editions

EDITIONS = example_editions()


def _pdf(tool: str, *args) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (Debian poppler-utils) is not installed")
    return subprocess.run([path, *map(str, args)], capture_output=True, text=True, check=True).stdout


def _planted(name: str, lang: str) -> list[dict]:
    with (EXAMPLES / name / "planted.csv").open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["file"].startswith(f"{lang}/")]


@pytest.mark.parametrize("name, lang", EDITIONS)
def test_the_report_holds_the_export_appendix_and_handout(reports, name, lang):
    folder = reports[name] / lang
    assert (folder / "appendix.html").stat().st_size > 0
    assert (folder / "audit-checks.csv").is_file() and (folder / "table-1.html").is_file()
    pages = int(re.search(r"^Pages:\s+(\d+)", _pdf("pdfinfo", folder / "handout.pdf"), re.M)[1])
    assert 1 <= pages <= 2


@pytest.mark.parametrize("name, lang", EDITIONS)
def test_page_one_of_the_handout_states_every_planted_error(reports, name, lang):
    page_one = re.sub(r"\s+", " ", _pdf("pdftotext", "-f", "1", "-l", "1", reports[name] / lang / "handout.pdf", "-"))
    planted = _planted(name, lang)
    assert planted
    for row in planted:
        printed = row["printed"].replace("−", "-")
        assert printed in page_one.replace("−", "-"), (row["source"], row["item"], printed)


@pytest.mark.parametrize("name, lang", EDITIONS)
def test_the_handout_shows_no_key_slug_or_placeholder(reports, name, lang):
    text = _pdf("pdftotext", reports[name] / lang / "handout.pdf", "-")
    assert not re.search(r"[{}]|\b\w+/\w+/|`|\b[a-z]+_[a-z_]+\b|\btable\d\.", text), text


@pytest.mark.parametrize("name, lang", EDITIONS)
def test_a_paper_with_a_survival_spec_gets_its_figure(reports, name, lang):
    """The pbc example's figure in its export and on its handout, its survival sentence in
    the appendix's summary; none of them without a spec."""
    folder = reports[name] / lang
    has_spec = (EXAMPLES / name / "survival_spec.toml").is_file()
    assert (folder / "figure-1-survival.png").is_file() is has_spec
    assert (folder / "figure-1-survival.svg").is_file() is has_spec
    images = _pdf("pdfimages", "-list", folder / "handout.pdf").splitlines()[2:]  # 2 header lines
    assert bool(images) is has_spec
    unprinted = t("readers.survival_unprinted", lang)  # "；论文未报告": in that sentence only
    assert (unprinted in (folder / "appendix.html").read_text(encoding="utf-8")) is has_spec


@pytest.mark.parametrize("name, lang", EDITIONS)
def test_no_finding_of_the_appendix_ends_in_a_heading_over_nothing(reports, name, lang):
    """gbsg's group-size finding, whose check carries no note, ended "Technical detail (check
    abstract.enrolled.hormone.n ):" with nothing under it (issue #30)."""
    from pages import visible_text

    text = visible_text(reports[name] / lang / "appendix.html")
    heading = re.escape(t("readers.appendix.detail", lang, check="@")).replace("@", r"\S+ ?")
    after = r"(?:\d+\. |" + re.escape(t("readers.appendix.checks_title", lang)) + ")"
    assert not re.search(heading + r"\s*" + after, text), re.search(heading + r"\s*" + after, text)


def test_no_document_promises_a_two_page_handout():
    """A new user's handout was one page where the README promised a "two-page journal-club
    handout" (issue #30): the README, the docs and ``report --help`` say "at most two pages"."""
    from harness import PROJECT_ROOT

    from analysis.cli import build_parser

    texts = {p.relative_to(PROJECT_ROOT).as_posix(): p.read_text(encoding="utf-8")
             for p in [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]}
    parser = build_parser()
    texts["report --help"] = next(a for a in parser._subparsers._group_actions[0].choices.items()
                                  if a[0] == "report")[1].format_help()
    promise = re.compile(r"two-page|(?<!at most )(?<!or )\btwo pages\b", re.I)
    for name, text in texts.items():
        text = re.sub(r"\s+", " ", text)
        assert not promise.search(text), (name, text[max(0, promise.search(text).start() - 80):][:160])
    assert len((PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()) < 200
