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
    accepted it: bmcpregnancy-2020-2884 prints 50 of 160 as 31.3%, and 50/160 = 31.25 lies on
    the edge of 31.3's rounding interval; the seed paper's interaction P 0.041 is what an
    ε-corrected df gives, not the sphericity-assumed 0.038; cgd's signed t is compared by its
    magnitude."""
    from analysis.printed import parse_printed
    from analysis.stats.rounding import percent_counts

    draft = tmp_path / "draft"
    done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "analysis", "draft",
                           PROJECT_ROOT / "benchmarks" / "corpus" / "bmcpregnancy-2020-2884" / "paper.md",
                           "--out", draft], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert 50 in percent_counts(parse_printed("31.3%"), 160)              # the audit's own rule
    table = export_tables("en", data_dir=draft)["table2"][1]
    row = table[table.iloc[:, 0] == "Proportion above the target range"].iloc[0]
    assert row["Intervention (n = 160)"] == "50 (31.3%)" and row["Verdict"] == "reproduced"
    assert row["Recomputed"].endswith(
        "; 31.25 (on the edge of the printed value's rounding interval: it rounds either way)")
    assert "31.2;" not in row["Recomputed"] + ";"

    for lang, method in (("en", "; the printed value is given by P of F, ε-corrected df"),
                         ("zh", "；印刷值由F 的 P 值（ε 校正自由度")):
        table = export_tables(lang)["table3"][1]
        cell = table[table.iloc[:, 1] == "2.833/0.041"].iloc[0].iloc[-2]
        assert f"P = 0.038{method}" in cell

    table = export_tables("en", data_dir=PROJECT_ROOT / "data" / "examples" / "cgd")["table1"][1]
    row = table[table.iloc[:, 0] == "Height, mean (SD), cm"].iloc[0]
    assert "−0.18" in row.tolist() and row.iloc[-2].startswith("|t| = 0.16 to 0.20;")
