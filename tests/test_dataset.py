"""The digitized data: loading, printed decimals, provenance, and the schema's errors."""

from __future__ import annotations

import re

import pytest

from analysis.dataset import TABLES, load_all, load_discrepancies, load_table, printed_value
from analysis.errors import InputError


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("table", TABLES)
def test_every_file_loads_with_provenance(table, lang):
    df = load_table(table, lang)
    assert len(df) > 0
    assert (df["lang"] == lang).all()
    assert df["file"].eq(f"data/raw/{lang}/{table}.csv").all()
    assert df["row_label"].str.len().gt(0).all()
    assert df["line"].tolist() == list(range(2, len(df) + 2))


def test_values_keep_their_printed_decimals():
    t4 = load_table("table4", "en")
    sd = printed_value(t4, item="apt", level="t0", arm="combination", quantity="sd")
    assert (sd.text, sd.value, sd.decimals) == ("36.80", 36.8, 2)
    text = load_table("text", "en")
    ae = printed_value(text, source="sec2.4", item="adverse_events", level="", arm="control",
                       quantity="percent")
    assert (ae.value, ae.decimals) == (3.70, 2)
    t3 = load_table("table3", "zh")
    f_time = printed_value(t3, item="afp", level="time", quantity="F")
    assert (f_time.text, f_time.value, f_time.decimals) == ("2 013.843", 2013.843, 3)
    p = printed_value(t3, item="afp", level="time", quantity="p")
    assert p.relation == "<" and p.interval[1] == 0.001


def test_loader_columns_for_numbers_and_text():
    df = load_table("table1", "en")
    row = df[(df["item"] == "hemorrhage") & (df["quantity"] == "statistic")].iloc[0]
    assert row["value"] == "0" and row["number"] == 0.0 and row["decimals"] == 0
    letters = load_table("table3", "en").query("quantity == 'letters'")
    assert letters["number"].isna().all()
    assert set(letters["value"]) == {"", "ab", "abc", "abcd", "b", "bc"}


def test_both_versions_have_the_same_tables_layout():
    # Same keys except what discrepancies.csv records as missing in one version.
    en, zh = load_all("en"), load_all("zh")
    key = ["source", "item", "level", "arm", "quantity"]
    only_zh = set(map(tuple, zh[key].values)) - set(map(tuple, en[key].values))
    missing = load_discrepancies().query("kind == 'missing'")
    assert only_zh == set(map(tuple, missing[key].values))


def _edit(path, old: str, new: str) -> int:
    """Replace the first line containing ``old``; return its 1-based line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if old in line:
            lines[i] = line.replace(old, new)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise LookupError(old)


def _assert_names(err: InputError, file_end: str, row: int, column: str):
    msg = str(err)
    assert msg.split(":")[0].endswith(file_end), msg
    assert f"row {row}" in msg and f"column '{column}'" in msg, msg
    assert "\n" not in msg


BROKEN = [
    # (file, original text on the line, replacement, column named, what is wrong)
    ("en/table1.csv", "table1,bmi,,combination,mean,21.06", "table1,bmi,,combination,mean,21.O6",
     "value", "a number"),
    ("zh/table1.csv", "table1,age,,control,sd,3.16", "table1,age,,control,sd,-3.16",
     "value", ">= 0"),
    ("en/table1.csv", "table1,sex,female,control,count,8", "table1,sex,female,control,count,9",
     "value", "sum to 55"),
    ("en/table2.csv", "table2,response,PD,control,count,7", "table2,response,PD,control,count,6",
     "value", "sum to 53"),
    ("zh/table2.csv", "table2,response,CR,control,percent,25.93",
     "table2,response,CR,control,percent,125.93", "value", "<= 100"),
    ("en/table3.csv", "table3,afp,m2,control,letters,b,", "table3,afp,m2,control,letters,x,",
     "value", "letters"),
    ("en/table4.csv", "table4,apt,interaction,,p,0.039", "table4,apt,interaction,,p,1.039",
     "value", "<= 1"),
    ("zh/text.csv", "sec2.4,adverse_events,,combination,count,6",
     "sec2.4,adverse_events,,combination,count,60", "value", "above the arm's n=53"),
    ("en/text.csv", "sec1.1,alpha,,,proportion", "sec1.1,alpha,,,probability",
     "quantity", "probability"),
    ("en/table1.csv", "table1,age,,combination,mean", "table1,age,,both,mean", "arm", "both"),
]


@pytest.mark.parametrize("file,old,new,column,why", BROKEN)
def test_broken_copy_names_file_row_and_column(raw_copy, file, old, new, column, why):
    path = raw_copy / file
    line = _edit(path, old, new)
    lang, table = file.split("/")
    with pytest.raises(InputError) as info:
        load_table(table.removesuffix(".csv"), lang, data_dir=raw_copy)
    _assert_names(info.value, file, line, column)
    assert why in str(info.value)


def test_missing_column_is_named(raw_copy):
    path = raw_copy / "en" / "table2.csv"
    text = path.read_text(encoding="utf-8")
    # Drop the 'arm' column from header and rows alike.
    rows = [",".join(c for j, c in enumerate(line.split(",")) if j != 3)
            for line in text.strip().split("\n")]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_table("table2", "en", data_dir=raw_copy)
    _assert_names(info.value, "en/table2.csv", 1, "arm")


def test_empty_file_and_duplicate_key(raw_copy):
    (raw_copy / "en" / "table4.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"table4\.csv: row 1: the file is empty"):
        load_table("table4", "en", data_dir=raw_copy)
    path = raw_copy / "zh" / "table4.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(5, lines[3])  # the same key twice
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_table("table4", "zh", data_dir=raw_copy)
    _assert_names(info.value, "zh/table4.csv", 6, "value")
    assert "duplicate" in str(info.value)


def test_discrepancy_that_is_not_one_is_rejected(raw_copy):
    path = raw_copy / "discrepancies.csv"
    line = _edit(path, "Table 4, combination group, 4 months after treatment\",ab,abc",
                 "Table 4, combination group, 4 months after treatment\",ab,ab")
    with pytest.raises(InputError) as info:
        load_discrepancies(data_dir=raw_copy)
    _assert_names(info.value, "discrepancies.csv", line, "zh")


def test_printed_value_requires_one_match():
    df = load_table("table1", "en")
    with pytest.raises(KeyError, match=re.escape("2 rows match")):
        printed_value(df, item="age", quantity="mean")


def test_one_problem_on_several_rows_is_one_line_naming_the_rows(raw_copy):
    path = raw_copy / "en" / "table1.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    bad = [i for i, line in enumerate(lines) if ",mean," in line][:3]
    for i in bad:
        lines[i] = lines[i].replace(",mean,", ",average,")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_table("table1", "en", data_dir=raw_copy)
    message = str(info.value)
    assert message.count("\n") == 0, message
    assert f"rows {', '.join(str(i + 1) for i in bad)}, column 'quantity'" in message
    assert "add it to tables.table1.quantities in analyses.toml" in message
    assert "quantitys" not in message


def test_letters_without_a_letters_section_say_where_to_declare_them():
    from analysis.schema import value_problem
    assert "a [letters] section in analyses.toml" in value_problem("letters", "ab", "")
    assert "some of 'ab' (the [letters] section" in value_problem("letters", "c", "ab")
    assert value_problem("letters", "ab", "ab") is None
