"""This paper's audit before and after the declared-audit refactor (issue 13).

``tests/fixtures/audit-baseline-<lang>.json`` is ``python -m analysis audit [--lang zh] --json``
as it was at commit ac6f07e, before the audit ran from ``data/raw/analyses.toml``. The
output now must equal it field for field, except the differences listed here, each with
its reason:

- ``inputs`` may only grow, old keys first in their old order: every check now lists every
  printed number it reads (group sizes, the other number of a statistic/P pair, the
  printed χ² behind a P, ...). Issue 13: "``sec2.3.os_logrank.p`` lists no inputs".
- ``table3.afp.time.p`` gains the cross-language note of the F it reads: it now lists that F
  (printed ``2013.843`` in en, ``2 013.843`` in zh) as an input, and every check carries
  the notes of the recorded en/zh differences of the values it judges or reads.
- ``knock_on_of`` is new (issue 29: a P that follows its own misprinted statistic is part of
  that statistic's finding): empty for every check of this paper, whose discrepant P values
  do not follow a discrepant statistic.
- ``table1.baseline.balance``'s first two notes (Carlisle's combined tests) take each
  continuous row's rounding-aware Monte Carlo P (issue 32: a P recomputed from rounded means
  and SDs is not uniform under the null) instead of the midpoint of Student's P range: same
  k, Stouffer's Z within 0.05 of the old one for this paper (n ≈ 53 per arm, means and SDs
  printed to one or two decimals, where rounding moves a P little).
- a t check's interval note names its point value as computed from the printed means and
  SDs, not "(at the printed values 0.224)", which read as if 0.224 were the printed t
  (issue #30); the old wording is rewritten to the new one before comparing.
- a ``sum_of_parts`` check's quantity is ``count``, not ``n`` (issue #30: a total of parts is
  a count, and pages named it "n = 43" as if it were a group's size).
"""

from __future__ import annotations

import json
import re

import pytest

from analysis.audit import run_audit
from harness import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"

ADDED_NOTES = {
    "table3.afp.time.p": {
        "en": ["English version: 2013.843; Chinese version: 2 013.843 "
               "(same number; zh typesets a thousands space)"],
        # the recorded note is English: the Chinese report shows the two values alone
        "zh": ["英文版：2013.843；中文版：2 013.843"],
    },
}


ROUNDED = {"table1.baseline.balance"}


def _z(note: str) -> float:
    return float(re.search(r"Stouffer Z = (-?[\d.]+)", note)[1])


# the t interval's note as worded before issue #30, and as now
_T_POINT = (re.compile(r" \(at the printed values (-?[\d.]+)\)\.$"), r"; computed from the means and SDs as printed, |t| = \1.")
_T_POINT_ZH = (re.compile(r"（取印刷值时为 (-?[\d.]+)）。$"), r"；直接由印刷的均数和标准差计算，|t| 为 \1。")


def _reworded(note: str) -> str:
    for pattern, now in (_T_POINT, _T_POINT_ZH):
        note = pattern.sub(now, note)
    return note


def _baseline(lang):
    return json.loads((FIXTURES / f"audit-baseline-{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_audit_matches_the_saved_baseline(lang):
    before = _baseline(lang)
    after = json.loads(run_audit(lang).to_json())
    assert [c["id"] for c in after] == [c["id"] for c in before]
    for old, new in zip(before, after):
        assert new["inputs"][:len(old["inputs"])] == old["inputs"], old["id"]
        assert len(set(new["inputs"])) == len(new["inputs"]), old["id"]
        notes = [_reworded(n) for n in old["notes"]] + ADDED_NOTES.get(old["id"], {}).get(lang, [])
        if old["id"] in ROUNDED:
            for was, now in zip(old["notes"][:2], new["notes"][:2]):
                assert re.search(r"k = \d+", was)[0] == re.search(r"k = \d+", now)[0]
                assert abs(_z(was) - _z(now)) < 0.05, (was, now)
            notes = new["notes"][:2] + notes[2:]
        expected = dict(old, inputs=new["inputs"], knock_on_of="", notes=notes)
        if old["method"] == "sum_of_parts":
            expected["quantity"] = "count"
        assert new == expected, old["id"]


def test_every_check_lists_what_it_reads():
    # The case issue 13 names: the log-rank P is recomputed from the printed χ².
    checks = {c.id: c for c in run_audit("en").checks}
    assert checks["sec2.3.os_logrank.p"].inputs == ("sec2.3/os_logrank///chi2",)
    assert "table1/group_size//combination/n" in checks["table1.age.t"].inputs
