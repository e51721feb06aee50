"""``python -m analysis export``: every table and Figure 1 as files, deterministic, one-line errors."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from PIL import Image

from analysis.audit import run_audit
from analysis.cli import main
from analysis.export import EXPORT_TABLES, FIGURE_STEM, export_all, export_tables, file_stem
from analysis.figure1 import FIGSIZE
from analysis.i18n import t
from analysis.present import discrepancy_table, paper_table, survival_printed_table
from analysis.present.paper_tables import build_table
from harness import PROJECT_ROOT

_CJK = re.compile(r"[\u4e00-\u9fff]")
STEMS = ("table-1-baseline", "table-2-response", "table-3-markers-afp-afu", "table-4-markers-apt",
         "discrepancies", "survival-printed", "audit-checks")
EXPECTED = {f"{stem}.{ext}" for stem in STEMS for ext in ("csv", "html")} | {
    f"{FIGURE_STEM}.png", f"{FIGURE_STEM}.svg"}


def _hashes(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Export both editions twice into the same folder: first by the CLI, then by the API."""
    out = tmp_path_factory.mktemp("export")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = main(["export", "--out", str(out)])
    first = _hashes(out)
    result = export_all(out)
    return {"out": out, "status": status, "stdout": printed.getvalue(), "first": first,
            "second": _hashes(out), "result": result}


def _csv(path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_file_names_are_language_neutral():
    assert [file_stem(n) for n in EXPORT_TABLES] == list(STEMS)
    with pytest.raises(ValueError):
        file_stem("table9")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_expected_file_is_written(exported, lang):
    folder = exported["out"] / lang
    assert {p.name for p in folder.iterdir()} == EXPECTED  # no temporary files left behind
    assert all((folder / name).stat().st_size > 100 for name in EXPECTED)


def test_cli_prints_one_line_per_file_and_a_summary(exported):
    lines = exported["stdout"].splitlines()
    assert exported["status"] == 0
    assert len(lines) == 2 * len(EXPECTED) + 1
    assert lines[0] == t("export.wrote", "en", path=exported["out"] / "en" / "table-1-baseline.csv",
                         size=(exported["out"] / "en" / "table-1-baseline.csv").stat().st_size)
    assert lines[-1] == t("export.summary", "en", files=32, out=exported["out"])


def test_rerun_is_byte_identical(exported):
    assert len(exported["first"]) == 32
    assert exported["first"] == exported["second"]


def test_result_lists_what_was_written(exported):
    frame = exported["result"].to_frame()
    assert len(frame) == 32 and set(frame["lang"]) == {"en", "zh"}
    for row in frame.itertuples():
        data = open(row.path, "rb").read()
        assert len(data) == row.bytes and hashlib.sha256(data).hexdigest() == row.sha256


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["table1", "table2", "table3", "table4"])
def test_paper_table_csv_equals_the_rebuilt_table(exported, name, lang):
    path = exported["out"] / lang / f"{file_stem(name)}.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese right
    got = _csv(path)
    want = paper_table(name, lang, markup=False).frame
    assert list(got.columns) == list(want.columns)
    assert got.values.tolist() == want.values.tolist()


def test_table1_csv_holds_the_printed_cells(exported):
    got = _csv(exported["out"] / "en" / "table-1-baseline.csv")
    assert "68.17 ± 2.83" in got.iloc[:, 1].tolist()
    assert t("tables.column.verdict", "en") in got.columns


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_other_tables_match(exported, lang):
    folder = exported["out"] / lang
    for stem, want in (("discrepancies", discrepancy_table(lang)),
                       ("survival-printed", survival_printed_table(lang))):
        got = _csv(folder / f"{stem}.csv")
        assert list(got.columns) == list(want.columns)
        assert got.values.tolist() == want.astype(str).values.tolist()
    audit = _csv(folder / "audit-checks.csv")
    report = run_audit(lang)
    assert audit[t("audit.column.id", lang)].tolist() == [c.id for c in report.checks]
    verdicts = audit[t("audit.column.verdict", lang)].value_counts().to_dict()
    assert verdicts[t("audit.verdict.discrepant", lang)] == report.summary()["discrepant"] > 0


def test_chinese_edition_has_chinese_headers(exported):
    for stem in STEMS:
        header = _csv(exported["out"] / "zh" / f"{stem}.csv").columns
        assert any(_CJK.search(c) for c in header), stem
    audit = _csv(exported["out"] / "zh" / "audit-checks.csv")
    assert audit.columns[0] == "核查项"
    assert not any(_CJK.search(c) for c in _csv(exported["out"] / "en" / "audit-checks.csv").columns)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_is_standalone(exported, lang):
    for stem in STEMS:
        text = (exported["out"] / lang / f"{stem}.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in text and '<meta charset="utf-8">' in text
        assert "http://" not in text and "https://" not in text and "src=" not in text
        rows = len(_csv(exported["out"] / lang / f"{stem}.csv"))
        assert text.count("<tr>") == rows + 1  # header + one per row
        assert "<script" not in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figure_png_is_300_dpi_and_svg_parses(exported, lang):
    with Image.open(exported["out"] / lang / f"{FIGURE_STEM}.png") as image:
        assert [round(d) for d in image.info["dpi"]] == [300, 300]
        # 300 dpi at the figure's drawn size (the text column's width)
        assert image.size[0] == round(300 * FIGSIZE[0])
    root = ET.parse(exported["out"] / lang / f"{FIGURE_STEM}.svg").getroot()
    assert root.tag.endswith("svg")


def test_export_reads_the_given_data_dir(raw_copy):
    path = raw_copy / "en" / "table1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "table1,age,,combination,mean,68.17", "table1,age,,combination,mean,69.17"), encoding="utf-8")
    _, frame = export_tables("en", data_dir=raw_copy)["table1"]
    assert "69.17 ± 2.83" in frame.iloc[:, 1].tolist()


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "analysis", "export", *args], cwd=cwd,
                          capture_output=True, text=True, env={"PYTHONPATH": str(PROJECT_ROOT),
                                                               "PATH": "/usr/bin:/bin"})


def test_out_that_is_a_file_is_one_line_and_writes_nothing(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    done = _cli("--out", str(target), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "is a file, not a folder" in done.stderr and str(target) in done.stderr
    assert done.stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_out_under_a_file_is_one_line(tmp_path):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    done = _cli("--out", str(tmp_path / "taken" / "sub"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "lies under a file" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_language_is_one_line(tmp_path):
    done = _cli("--lang", "fr", "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "invalid choice: 'fr'" in done.stderr
    assert not (tmp_path / "x").exists()


def test_another_papers_data_folder_exports_its_declared_tables(tmp_path):
    # The worked example (data/examples/pbc): its two declared tables, the checks and the
    # survival figure of its spec, one language as declared.
    from analysis.commands.export import run
    from argparse import Namespace

    run(Namespace(out=str(tmp_path), lang=None, data_dir=str(PROJECT_ROOT / "data/examples/pbc")))
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == [
        "audit-checks.csv", "audit-checks.html", "figure-1-survival.png", "figure-1-survival.svg",
        "table-1.csv", "table-1.html", "table-2.csv", "table-2.html"]
    assert not (tmp_path / "zh").exists()
    table2 = pd.read_csv(tmp_path / "en" / "table-2.csv", encoding="utf-8-sig", dtype=str)
    # the planted error (data/examples/pbc/planted.csv): placebo deaths printed 39.86 %, R: 38.96 %
    placebo = table2[table2["Group"].str.startswith("Placebo")].iloc[0]
    assert placebo["death"] == "60 (39.86%)" and placebo["Verdict"] == "discrepant"


def test_a_table_wide_statistic_of_no_arm_rows_item_gets_its_own_column():
    # an unedited draft of a table whose χ² and P sit under their own headings, on items
    # ("2", "p") that no arm row has: before, laying it out raised IndexError
    cols = ["source", "item", "level", "arm", "quantity", "value", "row_label", "column_label"]
    rows = [["table2", "death", "", "a", "count", "65", "A (n=158)", "death"],
            ["table2", "death", "", "a", "percent", "41.14%", "A (n=158)", "death"],
            ["table2", "death", "", "b", "count", "60", "B (n=154)", "death"],
            ["table2", "death", "", "b", "percent", "38.96%", "B (n=154)", "death"],
            ["table2", "2", "", "", "chi2", "0.225", "χ²", "χ²"],
            ["table2", "p", "", "", "p", "0.894", "P", "P"]]
    frame = build_table("table2", pd.DataFrame(rows, columns=cols), lang="en", audit=None,
                        markup=False).frame
    assert list(frame.columns[:4]) == ["Group", "death", "χ²", "P"]
    assert frame.iloc[:, :4].values.tolist() == [
        ["A (n=158)", "65 (41.14%)", "", ""], ["B (n=154)", "60 (38.96%)", "", ""],
        ["χ²", "", "0.225", ""], ["P", "", "", "0.894"]]


def test_a_reproduced_value_says_why_it_agrees_with_the_print(tmp_path):
    """Issue #30: a rebuilt 31.2 (81.2) stood beside a printed 31.3% (81.3) called reproduced.
    A reproduced value that does not show the printed one at its precision says why the audit
    accepted it: a table printing 50 of 160 as 31.3% (as a corpus report does), where 50/160 =
    31.25 lies on the edge of 31.3's rounding interval; the seed paper's interaction P 0.041 is what an
    ε-corrected df gives, not the sphericity-assumed 0.038; cgd's signed t is compared by its
    magnitude."""
    from analysis.printed import parse_printed
    from analysis.stats.rounding import percent_counts

    # R: chisq.test(matrix(c(61, 105, 50, 110), 2, byrow = TRUE), correct = FALSE)$p.value -> 0.2951;
    # pooled t of 12.1 (4.0) vs 11.6 (4.2), n 166 and 160 -> p 0.2717
    paper = tmp_path / "paper.md"
    paper.write_text("Table 2 Outcomes\n\n"
                     "|  | Control (n = 166) | Intervention (n = 160) | P |\n|---|---|---|---|\n"
                     "| Proportion above the target range | 61 (36.7%) | 50 (31.3%) | 0.30 |\n"
                     "| Weight gain (kg, mean (SD)) | 12.1 (4.0) | 11.6 (4.2) | 0.27 |\n", encoding="utf-8")
    draft = tmp_path / "draft"
    done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "analysis", "draft",
                           paper, "--out", draft], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert 50 in percent_counts(parse_printed("31.3%"), 160)              # the audit's own rule
    table = export_tables("en", data_dir=draft)["table2"][1]
    row = table[table.iloc[:, 0] == "Proportion above the target range"].iloc[0]
    assert row["Intervention (n = 160)"] == "50 (31.3%)" and row["Verdict"] == "reproduced"
    # the recomputed values follow the printed columns: each group's percentage, then P
    assert row["Recomputed"] == ("36.7; 31.25 (on the edge of the printed value's rounding "
                                 "interval: it rounds either way); P = 0.30")
    assert "31.2;" not in row["Recomputed"] + ";"

    for lang, method in (("en", "; the printed value is given by P of F, ε-corrected df"),
                         ("zh", "；印刷值由F 的 P 值（ε 校正自由度")):
        table = export_tables(lang)["table3"][1]
        cell = table[table.iloc[:, 1] == "2.833/0.041"].iloc[0].iloc[-2]
        assert f"P = 0.038{method}" in cell

    table = export_tables("en", data_dir=PROJECT_ROOT / "data" / "examples" / "cgd")["table1"][1]
    row = table[table.iloc[:, 0] == "Height, mean (SD), cm"].iloc[0]
    assert "−0.18" in row.tolist() and row.iloc[-2].startswith("|t| = 0.16 to 0.20;")


# ---------------------------------------------------------------------------------------
# Another paper's tables of every shape, laid out as printed (issue #30): tables built here,
# in the shapes the corpus prints, laid out with no declared layout.

_COLS = ["source", "item", "level", "arm", "quantity", "value", "row_label", "column_label"]


def _table(rows, *, lang="en", audit=None):
    """``rows``: (item, level, arm, quantity, value, row_label, column_label)."""
    data = pd.DataFrame([("t1", *r) for r in rows], columns=_COLS)
    return build_table("table1", data, lang=lang, audit=audit, markup=False)


def _printed(table):
    """The paper's part of the frame: header and cells, without the audit's two columns."""
    frame = table.frame.iloc[:, :-2]
    return [list(frame.columns), *frame.values.tolist()]


def _check(item, level, arm, quantity, statistic, reported, recomputed, verdict):
    return {"source": "t1", "item": item, "level": level, "arm": arm, "quantity": quantity,
            "check": f"t1.{item}.{level}.{arm}.{quantity}", "statistic": statistic,
            "reported": reported, "recomputed": recomputed, "recomputed_as": "", "method": "",
            "verdict": verdict}


A, B = "Observation group (n = 60)", "Control group (n = 60)"


def test_groups_as_columns_with_a_heading_row_for_each_tested_item():
    # sizes printed in the groups' headers are not printed again; the test of an item sits
    # on its heading row, before its levels, even when the data lists a level first; an item
    # with one level printed keeps its heading and test (before: both were dropped)
    table = _table([
        ("group_size", "", "obs", "n", "60", "Index", A), ("group_size", "", "ctl", "n", "60", "Index", B),
        ("sex", "male", "obs", "count", "35", "Male", A), ("sex", "male", "ctl", "count", "33", "Male", B),
        ("sex", "", "", "statistic", "0.136", "Gender", "t/χ²"), ("sex", "", "", "p", "0.712", "Gender", "P value"),
        ("sex", "female", "obs", "count", "25", "Female", A), ("sex", "female", "ctl", "count", "27", "Female", B),
        ("age", "", "obs", "mean", "56.8", "Age (years)", A), ("age", "", "obs", "sd", "8.2", "Age (years)", A),
        ("age", "", "ctl", "mean", "57.5", "Age (years)", B), ("age", "", "ctl", "sd", "7.9", "Age (years)", B),
        ("age", "", "", "statistic", "0.458", "Age (years)", "t/χ²"), ("age", "", "", "p", "0.647", "Age (years)", "P value"),
        ("disease", "", "", "statistic", "0.168", "Underlying disease", "t/χ²"),
        ("disease", "", "", "p", "0.681", "Underlying disease", "P value"),
        ("disease", "yes", "obs", "count", "22", "Yes", A), ("disease", "yes", "ctl", "count", "24", "Yes", B)])
    assert _printed(table) == [
        ["Index", A, B, "t/χ²", "P value"],
        ["Gender", "", "", "0.136", "0.712"], ["Male", "35", "33", "", ""], ["Female", "25", "27", "", ""],
        ["Age (years)", "56.8 ± 8.2", "57.5 ± 7.9", "0.458", "0.647"],
        ["Underlying disease", "", "", "0.168", "0.681"], ["Yes", "22", "24", "", ""]]


def test_statistics_in_bottom_rows_under_a_groups_column():
    # χ² and P printed as the last rows, their value under the first group's column: before,
    # they were dropped and the first group's column printed twice
    counts = [("total", "yes", arm, q, v, "Total complications", col)
              for arm, col, k, pct in (("obs", A, "5", "8.33"), ("ctl", B, "18", "30.00"))
              for q, v in (("count", k), ("percent", pct))]
    table = _table([("group_size", "", "obs", "n", "60", "Types of complications", A),
                    ("group_size", "", "ctl", "n", "60", "Types of complications", B), *counts,
                    ("total", "", "", "chi2", "7.962", "χ2", A), ("total", "", "", "p", "0.005", "P value", A)])
    assert _printed(table) == [["Types of complications", A, B],
                               ["Total complications", "5 (8.33)", "18 (30.00)"],
                               ["χ2", "7.962", ""], ["P value", "0.005", ""]]


def _groups_as_rows(size_column):
    rows = []
    for arm, label, n in (("obs", "Observation", "49"), ("ctl", "Control", "49")):
        rows.append(("group_size", "", arm, "n", n, label, size_column or label))
        for item, col, mean in (("alt_before", "Before ALT", "55.14"), ("alt_after", "After ALT", "42.08")):
            rows += [(item, "", arm, "mean", mean, label, col), (item, "", arm, "sd", "2.36", label, col)]
    for item, col, t_, p in (("alt_before", "Before ALT", "0.474", "0.636"), ("alt_after", "After ALT", "8.783", "<0.001")):
        rows += [(item, "", "", "statistic", t_, "t", col), (item, "", "", "p", p, "P value", col)]
    return rows


def test_groups_as_rows_with_t_and_p_bottom_rows_and_a_cases_column():
    table = _table(_groups_as_rows("Cases"))
    assert _printed(table) == [
        ["Group", "Cases", "Before ALT", "After ALT"],
        ["Observation", "49", "55.14 ± 2.36", "42.08 ± 2.36"],
        ["Control", "49", "55.14 ± 2.36", "42.08 ± 2.36"],
        ["t", "", "0.474", "8.783"], ["P value", "", "0.636", "<0.001"]]


def test_groups_as_rows_with_sizes_in_their_labels():
    # "Intervention group (n = 50)" prints its size: no column repeats it (before: a column
    # per group holding its n); the stub's header is the size's column when nothing else
    # uses it ("VAS scores"), else "Group"
    rows = [(i, lvl, arm, q, v, f"{label} (n = 49)" if arm else label, col)
            for i, lvl, arm, q, v, label, col in _groups_as_rows("VAS scores")]
    table = _table(rows)
    assert _printed(table)[0] == ["VAS scores", "Before ALT", "After ALT"]
    assert [r[0] for r in _printed(table)[1:]] == ["Observation (n = 49)", "Control (n = 49)", "t", "P value"]
    rows = [(i, lvl, arm, q, v, label, label if i == "group_size" else col)
            for i, lvl, arm, q, v, label, col in rows]
    assert _printed(_table(rows))[0] == ["Group", "Before ALT", "After ALT"]


def test_blocks_printed_side_by_side_share_their_rows():
    # before and after matching, each with its groups and tests: one row per variable
    # across both blocks, the columns in the order printed (before: the second block stacked
    # under the first, with a row of its sizes)
    rows = []
    for block, suffix, n in (("匹配前", "", ("60", "90")), ("匹配后", "_2", ("55", "55"))):
        a, b = f"{block} / 球囊组 ({n[0]}例)", f"{block} / 非球囊组 ({n[1]}例)"
        rows += [("group_size" + suffix, "", "arm1", "n", n[0], "变量", a),
                 ("group_size" + suffix, "", "arm2", "n", n[1], "变量", b),
                 ("age" + suffix, "", "arm1", "mean", "28.0", "年龄/岁", a), ("age" + suffix, "", "arm1", "sd", "4.1", "年龄/岁", a),
                 ("age" + suffix, "", "arm2", "mean", "27.7", "年龄/岁", b), ("age" + suffix, "", "arm2", "sd", "2.7", "年龄/岁", b),
                 ("age" + suffix, "", "", "statistic", "0.492", "年龄/岁", f"{block} / t值"),
                 ("age" + suffix, "", "", "p", "0.624", "年龄/岁", f"{block} / P值")]
    table = _table(rows, lang="zh")
    assert _printed(table) == [
        ["变量", "匹配前 / 球囊组 (60例)", "匹配前 / 非球囊组 (90例)", "匹配前 / t值", "匹配前 / P值",
         "匹配后 / 球囊组 (55例)", "匹配后 / 非球囊组 (55例)", "匹配后 / t值", "匹配后 / P值"],
        ["年龄/岁", "28.0 ± 4.1", "27.7 ± 2.7", "0.492", "0.624", "28.0 ± 4.1", "27.7 ± 2.7", "0.492", "0.624"]]


def test_blocks_stacked_one_under_the_other_give_one_row_per_group():
    # a wide table printed in two stacked blocks (groups as rows, tests as bottom rows): each
    # group's and each test's row continues across the blocks' columns
    rows = []
    for block in (("吸烟史", "饮酒史"), ("高血压家族史",)):
        for arm, label, k in (("arm1", "对照组", "7"), ("arm2", "试验组", "5")):
            rows += [(col, "yes", arm, "count", k, label, col) for col in block]
        rows += [(col, "", "", "chi2", "0.467", "χ2值", col) for col in block]
        rows += [(col, "", "", "p", "0.494", "P值", col) for col in block]
    assert _printed(_table(rows, lang="zh")) == [
        ["组别", "吸烟史", "饮酒史", "高血压家族史"], ["对照组", "7", "7", "7"], ["试验组", "5", "5", "5"],
        ["χ2值", "0.467", "0.467", "0.467"], ["P值", "0.494", "0.494", "0.494"]]


def test_three_groups_a_total_column_and_a_label_printed_under_two_items():
    # an item's heading row prints each group's N and the P; the Total column keeps its
    # counts (before: lost, its last percentage put on the heading row); "Improvement" under
    # the second item is a row of its own, not merged into the first item's
    groups = (("a", "Control group"), ("b", "CHM group"), ("c", "Placebo group"))
    rows = []
    for item, head, levels in (("clinical", "Clinical improvement*", ("No improvement", "Improvement")),
                               ("disease", "Disease improvement", ("Improvement", "Worse"))):
        rows += [(item, "", arm, "n", "43", head, col) for arm, col in groups]
        rows += [(item, "", "", "n", "129", head, "Total"), (item, "", "", "p", "0.518", head, "p")]
        for level in levels:
            key = level.lower().replace(" ", "_")
            rows += [(item, key, arm, q, v, level, col) for arm, col in groups
                     for q, v in (("count", "20"), ("percent", "47%"))]
            rows += [(item, key, "", "count", "60", level, "Total"), (item, key, "", "percent", "47%", level, "Total")]
    assert _printed(_table(rows)) == [
        ["Item", "Control group", "CHM group", "Placebo group", "Total", "p"],
        ["Clinical improvement*", "43", "43", "43", "129", "0.518"],
        ["No improvement", "20 (47%)", "20 (47%)", "20 (47%)", "60 (47%)", ""],
        ["Improvement", "20 (47%)", "20 (47%)", "20 (47%)", "60 (47%)", ""],
        ["Disease improvement", "43", "43", "43", "129", "0.518"],
        ["Improvement", "20 (47%)", "20 (47%)", "20 (47%)", "60 (47%)", ""],
        ["Worse", "20 (47%)", "20 (47%)", "20 (47%)", "60 (47%)", ""]]


def test_a_total_column_stands_where_its_rows_read_it():
    # a level row read as Total, then the groups; the item's heading holds only its P: the
    # blank-headed Total column comes first, the P last
    groups = (("neg", "Negative (76)"), ("weak", "Weak (23)"))
    rows = [("group_size", "", arm, "n", n, "Variable", col) for (arm, col), n in zip(groups, ("76", "23"))]
    rows += [("age", "", "", "p", "0.668", "Age", "P"),
             ("age", "lt60", "", "count", "54", "<60", ""),
             *[("age", "lt60", arm, "count", "36", "<60", col) for arm, col in groups]]
    assert _printed(_table(rows)) == [["Variable", "", "Negative (76)", "Weak (23)", "P"],
                                      ["Age", "", "", "", "0.668"], ["<60", "54", "36", "36", ""]]


def test_each_recomputed_value_stands_beside_the_printed_value_it_judges():
    # groups as rows: the t row's values are named by their columns, and of two checks that
    # disagree the discrepant one carries its own verdict; the row's verdict is the worse
    audit = pd.DataFrame([
        _check("alt_after", "", "", "statistic", "t", "8.783", [8.738, 8.828], "reproduced"),
        _check("alt_before", "", "", "statistic", "t", "0.474", [0.901, 0.946], "discrepant")])
    frame = _table(_groups_as_rows("Cases"), audit=audit).frame
    t_row = frame[frame["Group"] == "t"].iloc[0]
    assert t_row["Recomputed"] == ("Before ALT: t = 0.901 to 0.946 (discrepant); "
                                   "After ALT: t = 8.738 to 8.828")
    assert t_row["Verdict"] == "discrepant"
    # groups as columns: the symbols say which value is which; one verdict when all agree
    audit = pd.DataFrame([_check("age", "", "", "p", "P", "0.647", [0.585, 0.686], "reproduced"),
                          _check("age", "", "", "statistic", "t", "0.458", [0.406, 0.548], "reproduced")])
    frame = _table([("age", "", "obs", "mean", "56.8", "Age", A), ("age", "", "obs", "sd", "8.2", "Age", A),
                    ("age", "", "", "statistic", "0.458", "Age", "t"), ("age", "", "", "p", "0.647", "Age", "P")],
                   audit=audit).frame
    assert frame.iloc[0, -2:].tolist() == ["t = 0.406 to 0.548; P = 0.585 to 0.686", "reproduced"]


def test_cells_print_what_the_paper_printed_together():
    # a range beside a mean, an IQR printed as its width, a statistic and its P in one cell,
    # a count over its own denominator
    table = _table([("age", "", "obs", "mean", "84.03", "Age", A), ("age", "", "obs", "sd", "7.36", "Age", A),
                    ("age", "", "obs", "min", "68", "Age", A), ("age", "", "obs", "max", "96", "Age", A),
                    ("age", "", "ctl", "median", "56.0", "Age", B), ("age", "", "ctl", "iqr", "12.5", "Age", B),
                    ("age", "", "", "statistic", "-0.85", "Age", "Test"), ("age", "", "", "p", "0.40", "Age", "Test"),
                    ("ok", "yes", "obs", "count", "802", "Satisfied", A), ("ok", "yes", "obs", "n", "946", "Satisfied", A),
                    ("ok", "yes", "obs", "percent", "84.78", "Satisfied", A)])
    assert _printed(table)[1:] == [["Age", "84.03 ± 7.36 (68–96)", "56.0 (12.5)", "-0.85, P = 0.40"],
                                   ["Satisfied", "802/946 (84.78)", "", ""]]


# A new user's confirmed transcription (issue #30): World J Clin Cases 2022, tables only
NEWUSER = PROJECT_ROOT / "tests" / "fixtures" / "wjcc-2022-12587"


def test_a_rebuilt_table_keeps_the_printed_column_order():
    """Table 1 prints '... Effective | Not effective | Total effective rate'; its rebuilt table
    put 'Total effective rate' first, as its item's other columns (the parts) came first."""
    frame = paper_table("table1", "en", data_dir=NEWUSER, markup=False).frame
    columns = list(frame.columns)
    assert columns[:7] == ["Group", "Sample", "Basic recovery", "Significantly effective", "Effective",
                           "Not effective", "Total effective rate"], columns


@pytest.mark.parametrize("markup, cell", [(False, "0 (0) ab"), (True, "0 (0)^ab^")])
def test_a_rebuilt_table_keeps_the_letters_printed_beside_a_count(markup, cell):
    """Table 3 prints '5 (11.11)a' and '0 (0)a b': the rebuilt table dropped the letters."""
    frame = paper_table("table3", "en", data_dir=NEWUSER, markup=markup).frame
    row = frame[frame.iloc[:, 0] == "Treatment group (n = 45)"].iloc[0]
    assert row["Grade 1 Post-treatment, %"] == cell
    control = frame[frame.iloc[:, 0] == "Control group (n = 45)"].iloc[0]
    assert control["Grade 1 Pre-treatment, %"] == ("13 (28.89)")
    assert control["Grade 1 Post-treatment, %"] == ("5 (11.11) a" if not markup else "5 (11.11)^a^")
