"""The audit as a whole: coverage of data/raw, JSON schema, determinism, verdicts that respond
to the data, and the command line."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys

import pytest

from analysis.audit import VERDICTS, run_audit
from analysis.audit.model import key_of
from analysis.dataset import TABLES, load_table
from analysis.i18n import catalog
from harness import PROJECT_ROOT

REQUIRED = {"id": str, "source": str, "item": str, "quantity": str, "reported": str,
            "recomputed_as": str, "method": str, "verdict": str, "notes": list}


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", "audit", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


@functools.lru_cache(maxsize=None)
def _report(lang):
    return run_audit(lang)


@pytest.fixture(scope="module", params=["en", "zh"])
def report(request):
    return _report(request.param)


STATISTICS = {"statistic", "p", "F", "chi2", "z", "percent", "letters"}


def test_every_printed_value_is_covered(report):
    judged = {k for c in report.checks for k in c.covers}
    used = judged | {k for c in report.checks for k in c.inputs}
    for table in TABLES:
        df = load_table(table, report.lang)
        keys = {key_of(r.source, r.item, r.level, r.arm, r.quantity): r.quantity for r in df.itertuples()}
        assert not sorted(k for k in keys if k not in used), f"{table} ({report.lang}): not audited"
        # Every printed statistic is itself judged, not only used as an input.
        assert not sorted(k for k, q in keys.items() if q in STATISTICS and k not in judged)


def test_checks_are_well_formed(report):
    ids = [c.id for c in report.checks]
    assert len(ids) == len(set(ids))
    names = catalog()
    for c in report.checks:
        assert c.verdict in VERDICTS
        assert f"audit.method.{c.method or 'none'}" in names, c.method
        if c.recomputed_as:
            assert f"audit.recomputed_as.{c.recomputed_as}" in names, c.recomputed_as
        if c.verdict == "not_checkable":
            assert c.notes, f"{c.id}: not checkable without saying what is missing"
    assert sum(report.summary().values()) == len(report.checks)


def test_note_keys_exist():
    # ctx.note("key") and conditional forms ctx.note("a" if x == "y" else "b") (comparands skipped).
    names = catalog()
    source = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "analysis" / "audit").glob("*.py"))
    used = set()
    for call in re.findall(r"\.note\(([^)]*?)(?:,\s*\w+=|\))", source, re.S):
        used |= set(re.findall(r'(?<!== )"(\w+)"', call))
    assert used, "no note keys found"
    assert not sorted(k for k in used if f"audit.note.{k}" not in names)


def test_recomputed_says_what_it_is_when_not_the_printed_quantity():
    by_id = {c.id: c for c in _report("en").checks}
    # A printed F is judged through the within-subject correlation it implies, which the
    # printed SDs bound to [-1, 1]; the t statistic is recomputed as itself.
    f_check = by_id["table3.afu.time.F"]
    assert f_check.recomputed_as == "r_implied"
    assert -1 <= f_check.recomputed[0] <= f_check.recomputed[1] <= 1
    assert by_id["table3.afu.anova.joint"].recomputed_as == "f_ratio"
    assert by_id["table1.age.t"].recomputed_as == ""
    text = _cli().stdout
    assert re.search(r"table3\.afu\.time\.F .* implied r = -0\.97", text)


def test_zh_notes_name_effects_in_chinese():
    notes = [n for c in _report("zh").checks for n in c.notes]
    assert any("交互效应" in n or "时间效应" in n for n in notes)
    assert not [n for n in notes if re.search(r"\b(time|interaction|group)\b", n)]


def test_json_schema_and_determinism():
    first, second = _cli("--json"), _cli("--json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert isinstance(data, list) and data
    for obj in data:
        for field, kind in REQUIRED.items():
            assert isinstance(obj[field], kind), (obj["id"], field)
        assert obj["verdict"] in VERDICTS
        rec = obj["recomputed"]
        assert rec is None or isinstance(rec, float) or (
            isinstance(rec, list) and len(rec) == 2 and rec[0] <= rec[1])
        assert all(isinstance(n, str) and n for n in obj["notes"])


def test_text_report_puts_discrepant_first_and_ends_with_summary():
    res = _cli("--lang", "zh")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.rstrip("\n").split("\n")
    rows = [ln for ln in lines if ln.startswith(("不符", "可重现", "无法核查"))]
    order = [("不符", "可重现", "无法核查").index(r.split()[0]) for r in rows]
    assert order == sorted(order)
    counts = _report("zh").summary()
    assert lines[-1].startswith(f"{counts['reproduced']} 项可重现，{counts['discrepant']} 项不符")


def _verdicts(report):
    return {c.id: c for c in report.checks}


def test_findings_independently_checked_in_r():
    c = _verdicts(_report("en"))
    # chisq.test(matrix(c(3,50,2,52),2,byrow=TRUE)) gives 0.000458, P 0.9829: the "0" is Yates'.
    assert c["table1.hemorrhage.chi2"].method == "yates_chi2"
    assert c["table1.hemorrhage.chi2"].verdict == "reproduced"
    # Table 2's 13.027 is the likelihood-ratio χ² (R: G2 = 13.027298609), not a Z.
    assert c["table2.response.chi2"].method == "lr_chi2"
    # Child-Pugh 0.311: wilcox.test(..., exact=FALSE, correct=FALSE) Z.
    assert c["table1.child_pugh.z"].method == "rank_sum_z"
    # Table 1 holds no discrepancy once the rounding of the inputs is allowed for.
    assert all(v.verdict == "reproduced" for k, v in c.items() if k.startswith("table1."))
    # AFU: the printed F_time is below what any covariance allows (univariate), and
    # below the smallest multivariate F found.
    assert c["table3.afu.time.F"].verdict == "discrepant"
    # AFP: the F values fit the multivariate tests (not the univariate ones), and so do the Ps.
    assert c["table3.afp.anova.joint"].method == "split_plot_multivariate"
    assert c["table3.afp.anova.joint"].verdict == "reproduced"
    # APT: the F values fit the multivariate tests, but P = 0.039 needs the univariate df
    # (R: pf(3.3, 3, 103, lower.tail = FALSE) = 0.02335243).
    assert c["table4.apt.anova.joint"].verdict == "discrepant"


def test_zh_letters_carry_cross_language_notes():
    c = _verdicts(_report("zh"))
    check = c["table4.apt.combination.m6.d"]
    assert check.reported == "abcd"
    assert any("abcd" in n and "ab" in n for n in check.notes)


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_verdict_follows_the_data(raw_copy):
    t1 = raw_copy / "en" / "table1.csv"
    # 0.224 is the naive recompute: rounding explains it, it stays reproduced.
    _edit(t1, "table1,age,,,statistic,0.223", "table1,age,,,statistic,0.224")
    assert _verdicts(run_audit("en", data_dir=raw_copy))["table1.age.t"].verdict == "reproduced"
    # 0.300 is out of reach however the inputs were rounded.
    _edit(t1, "table1,age,,,statistic,0.224", "table1,age,,,statistic,0.300")
    check = _verdicts(run_audit("en", data_dir=raw_copy))["table1.age.t"]
    assert check.verdict == "discrepant" and check.notes


def test_bad_data_is_one_line(raw_copy):
    _edit(raw_copy / "en" / "table2.csv", "table2,response,CR,combination,count,31",
          "table2,response,CR,combination,count,thirty-one")
    res = _cli("--data-dir", str(raw_copy))
    assert res.returncode == 1 and res.stdout == ""
    err = res.stderr.strip()
    assert "Traceback" not in err and len(err.split("\n")) == 1 and "table2.csv" in err


def test_missing_row_is_one_line(raw_copy):
    path = raw_copy / "en" / "table4.csv"
    lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ",apt,time,,F," not in ln]
    path.write_text("\n".join(lines), encoding="utf-8")
    res = _cli("--data-dir", str(raw_copy))
    assert res.returncode == 1 and res.stdout == ""
    err = res.stderr.strip()
    assert "Traceback" not in err and len(err.split("\n")) == 1
    assert "table4.csv" in err and "analysis[25] (split_plot" in err and "this file has none: transcribe it" in err
