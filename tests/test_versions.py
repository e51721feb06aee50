"""The English and Chinese transcriptions, compared value by value."""

from __future__ import annotations

import re

from analysis.present import discrepancy_table
from analysis.versions import compare_versions, unrecorded_differences
from harness import PROJECT_ROOT


def test_every_difference_is_recorded_and_every_record_is_a_difference():
    unrecorded, stale = unrecorded_differences()
    assert unrecorded.empty, f"differences missing from discrepancies.csv:\n{unrecorded}"
    assert stale.empty, f"discrepancies.csv rows that match no difference:\n{stale}"


def test_known_differences_are_found():
    # Read off the paper: Table 4's combination-group superscripts at 4 and 6 months.
    diff = compare_versions().set_index(["source", "item", "level", "arm", "quantity"])
    assert diff.loc[("table4", "apt", "m4", "combination", "letters"), ["en", "zh", "kind"]].tolist() \
        == ["ab", "abc", "value"]
    assert diff.loc[("table4", "apt", "m6", "combination", "letters"), "zh"] == "abcd"
    assert diff.loc[("table3", "afp", "time", "", "F"), "kind"] == "format"


def test_a_new_difference_in_a_copy_is_caught(raw_copy):
    path = raw_copy / "zh" / "table1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "table1,bmi,,,p,0.159", "table1,bmi,,,p,0.195"), encoding="utf-8")
    unrecorded, _ = unrecorded_differences(data_dir=raw_copy)
    assert unrecorded[["item", "quantity", "en", "zh", "kind"]].values.tolist() == \
        [["bmi", "p", "0.159", "0.195", "value"]]


# Issue #30: the Chinese appendix listed the differences with their place and note as recorded
# by hand, in English ("Table 1, bilirubin, t"; "the English version transposes two digits").
# A reader's page names the place from its own version's print through the catalog and
# gives a note in its own language: the recorded one where it is written in it, else what
# each version's audit says of its value. Printed labels and values stay as printed.
UDCA = PROJECT_ROOT / "data" / "examples" / "udca"
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _outside_quotes(text: str) -> str:
    return re.sub(r"“[^”]*”|（[^（）]*(?:\([^)]*\))?[^（）]*）", "", text)


def test_the_chinese_page_names_each_difference_in_chinese():
    frame = discrepancy_table("zh", data_dir=UDCA)
    assert list(frame.columns) == ["类型", "位置", "英文", "中文", "说明"]
    for place, note in zip(frame["位置"], frame["说明"]):
        assert not _LATIN_WORD.search(_outside_quotes(place)), place
        assert not _LATIN_WORD.search(note), note
    rows = frame.set_index("位置")
    # the row as the Chinese original prints it, the value with its symbol, each version's verdict
    assert rows.loc["表1“胆红素(mg/dL)”", ["英文", "中文", "说明"]].tolist() == \
        ["t = 0.616", "t = 0.166", "英文版的值不符，中文版的值可重现"]
    assert rows.loc["表2“静脉曲张”（UDCA组(n=86)）", "说明"] == "英文版的值可重现，中文版的值不符"


def test_the_english_page_keeps_the_notes_recorded_in_english():
    frame = discrepancy_table("en", data_dir=UDCA)
    assert frame["Note"].iloc[0] == "the English version transposes two digits (planted)"
    assert frame["Where"].iloc[0] == "Table 1, “Bilirubin (mg/dL)”"


def test_a_check_names_the_quantity_and_row_of_a_difference_it_reads():
    """Bilirubin's P is recomputed from its t: the t's difference on the P's row says 't', the
    baseline summary (many rows) names the row, and the Chinese report drops the English note."""
    from analysis.audit import run_audit

    checks = {c.id: c for c in run_audit("zh", data_dir=UDCA).checks}
    assert "英文版：t = 0.616；中文版：t = 0.166" in checks["table1.bili.p"].notes
    assert "“胆红素(mg/dL)”，英文版：t = 0.616；中文版：t = 0.166" in checks["table1.baseline.balance"].notes
    assert not any("planted" in n for c in checks.values() for n in c.notes)
    checks = {c.id: c for c in run_audit("en", data_dir=UDCA).checks}
    assert ("English version: t = 0.616; Chinese version: t = 0.166 (the English version transposes two "
            "digits (planted))") in checks["table1.bili.p"].notes
