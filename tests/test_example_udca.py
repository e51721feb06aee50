"""data/examples/udca (UDCA vs placebo, R's survival::udca): a bilingual paper in a Chinese
journal's typesetting audits as its English version does, and R's numbers are reproduced.
tests/test_examples.py checks its planted errors in both versions."""

from __future__ import annotations

import pytest

from analysis.audit import run_audit
from harness import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "udca"


@pytest.fixture(scope="module")
def audits():
    return {lang: {c.id: c for c in run_audit(lang, data_dir=EXAMPLE).checks} for lang in ("en", "zh")}


def test_full_width_values_audit_like_ascii_ones(audits):
    # Table 2, doubling of bilirubin: en prints "<0.001", zh "＜0.001" (recorded as a format difference).
    # R: chisq.test(table(arm, !is.na(double.dt)), correct = FALSE)$p.value = 0.0007384801
    for lang in ("en", "zh"):
        check = audits[lang]["table2.double.p"]
        assert check.verdict == "reproduced"
        assert check.recomputed[0] == pytest.approx(0.0007384801, rel=1e-6)
    assert audits["zh"]["table2.double.p"].reported == "＜0.001"


def test_a_full_width_claim_is_read(audits):
    for lang in ("en", "zh"):
        assert audits[lang]["table1.baseline.balance"].reported == "P＞0.05"
        assert audits[lang]["table1.baseline.balance"].verdict == "reproduced"


def test_an_item_with_its_own_footnoted_n(audits):
    # t.test(riskscore ~ arm, var.equal = TRUE) over the 85 and 84 patients with a score: |t| = 0.3990851
    check = audits["en"]["table1.riskscore.t"]
    assert "table1/riskscore//udca/n" in check.inputs
    assert check.recomputed[0] <= 0.3990851 <= check.recomputed[1]


def test_the_continuity_corrected_chi2_of_a_sparse_row(audits):
    # chisq.test(table(arm, !is.na(ascites.dt)), correct = TRUE)$statistic = 1.629135 (printed 1.629)
    assert audits["en"]["table2.ascites.chi2"].method == "yates_chi2"
    assert audits["en"]["table2.ascites.chi2"].verdict == "reproduced"


def test_the_versions_differences_reach_the_notes(audits):
    notes = audits["en"]["table1.bili.t"].notes
    assert any("0.616" in n and "0.166" in n for n in notes)
