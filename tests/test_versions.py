"""The English and Chinese transcriptions, compared value by value."""

from __future__ import annotations

from analysis.versions import compare_versions, unrecorded_differences


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
