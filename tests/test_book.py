"""The book: configuration sanity, and every chapter executed in both editions (harness)."""

from __future__ import annotations

import re
import shutil

import pytest

from analysis.tables import paper_table
from harness import PROJECT_ROOT, run_qmd

_CONFIG = (PROJECT_ROOT / "_quarto.yml").read_text(encoding="utf-8")
CHAPTERS = re.findall(r"^\s+- ((?:index|chapters/[\w-]+)\.qmd)\s*$", _CONFIG, re.M)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_profiles_and_chapter_files():
    assert re.search(r"default: en", _CONFIG) and "[en, zh]" in _CONFIG
    for profile, out in (("en", "_book/en"), ("zh", "_book/zh")):
        text = (PROJECT_ROOT / f"_quarto-{profile}.yml").read_text(encoding="utf-8")
        assert f"lang: {profile}" in text and f"output-dir: {out}" in text
    assert len(CHAPTERS) >= 9
    for chapter in CHAPTERS:
        assert (PROJECT_ROOT / chapter).is_file(), chapter


def test_every_cross_reference_has_a_label():
    texts = {c: (PROJECT_ROOT / c).read_text(encoding="utf-8") for c in CHAPTERS}
    defined = {m for t in texts.values() for m in re.findall(r"\{#((?:tbl|fig|sec)-[\w-]+)", t)}
    used = {m for t in texts.values() for m in re.findall(r"@((?:tbl|fig|sec)-[\w-]+)", t)}
    assert used - defined == set()


@pytest.mark.parametrize("profile", ["en", "zh"])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_executes_cleanly(chapter, profile):
    outputs = run_qmd(PROJECT_ROOT / chapter, profile)  # raises on error or stderr
    tables = [o for o in outputs if re.fullmatch(r"table-\d", o.label or "") and o.markdown.startswith("|")]
    for out in tables:
        header = out.markdown.splitlines()[0]
        if profile == "zh":
            assert _CJK.search(header), f"{chapter}: zh table header not Chinese: {header}"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["table1", "table2", "table3", "table4"])
def test_rebuilt_tables_have_the_papers_rows_and_a_verdict(name, lang):
    from analysis.dataset import load_table
    from analysis.i18n import t

    table = paper_table(name, lang, markup=False)
    first = table.frame.iloc[:, 0].tolist()
    raw = load_table(name, lang)
    expected = set(raw.loc[raw["item"] != "group_size", "row_label"])
    assert expected <= set(first)
    assert t("tables.column.verdict", lang) in table.frame.columns


def test_changed_raw_value_changes_the_table(tmp_path):
    copy = tmp_path / "raw"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", copy)
    path = copy / "en" / "table1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "table1,age,,combination,mean,68.17", "table1,age,,combination,mean,69.17"), encoding="utf-8")
    before = paper_table("table1", "en", markup=False, audit=None).frame
    after = paper_table("table1", "en", data_dir=copy, markup=False, audit=None).frame
    assert "68.17 ± 2.83" in before.iloc[:, 1].tolist()
    assert "69.17 ± 2.83" in after.iloc[:, 1].tolist()


@pytest.mark.skipif(shutil.which("quarto") is None, reason="quarto is not on PATH (not installable here)")
def test_quarto_renders_both_profiles():
    import subprocess

    subprocess.run(["bash", "tools/render.sh"], cwd=PROJECT_ROOT, check=True)
    html = "".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "_book/en").rglob("*.html"))
    for anchor in ("tbl-baseline", "tbl-response", "tbl-markers-afp-afu", "tbl-markers-apt",
                   "fig-survival"):
        assert f'id="{anchor}"' in html
