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


def test_the_handout_names_the_versions_value_differences_in_each_language():
    """The handout's versions section names the first value differences (row as the reader's
    version prints it, the two printed values) and how many more the appendix lists (issue #30);
    the values are the recorded ones of discrepancies.csv."""
    from analysis.present.findings import NAMED_DIFFERENCES, key_findings

    en, zh = (key_findings(lang, data_dir=EXAMPLE) for lang in ("en", "zh"))
    assert en.n_differences == zh.n_differences == 12 and len(en.value_differences) == 8
    assert [d.text for d in en.value_differences[:NAMED_DIFFERENCES]] == [
        "Table 1, “Bilirubin (mg/dL)”: t = 0.616 in the English version, t = 0.166 in the Chinese original",
        "Table 1, “Advanced histologic stage, n(%)”: P = 0.291 in the English version, P = 0.192 in the Chinese original",
        "Table 2, “Varices” (UDCA group(n=86)): 9.30% in the English version, 3.90% in the Chinese original"]
    assert zh.value_differences[0].text == "表1“胆红素(mg/dL)”：英文版为 t = 0.616，中文原文为 t = 0.166"
    assert zh.value_differences[2].place == "表2“静脉曲张”（UDCA组(n=86)）"
    assert en.versions == (
        "The English version and the Chinese original differ in 12 recorded places, 8 of them in a printed "
        "value:\n\n" + "".join(f"- {d.text}\n" for d in en.value_differences[:NAMED_DIFFERENCES])
        + "- and 5 more, which the appendix lists with every other difference.\n")
    assert zh.versions.endswith("- 另有 5 处，附录列出全部差异。\n")
    assert "Table 1, “Bilirubin" not in zh.versions              # named in the reader's language
