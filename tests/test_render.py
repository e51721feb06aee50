"""The real render of a fresh copy (`make report`, once per session): what a reader gets.

Skipped with one reason when Quarto is not on PATH (conftest.QUARTO_MISSING).
"""

from __future__ import annotations

import re

import pytest

from analysis.i18n import t
from harness import PROJECT_ROOT
from pages import (CJK, HAVE_POPPLER, POPPLER_MISSING, book_pages, pdf_fonts, pdf_text,
                   visible_text)

LANGS = ("en", "zh")
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
SOURCES = [PROJECT_ROOT / "index.qmd", *sorted((PROJECT_ROOT / "chapters").glob("*.qmd"))]
# Cross-reference targets a chapter defines: `{#tbl-x}` divs/headings, `#| label: fig-x` cells.
_DEFINED = re.compile(r"\{#((?:tbl|fig|sec)-[\w-]+)|^#\|\s*label:\s*((?:tbl|fig)-[\w-]+)", re.M)


def _defined_labels() -> set[str]:
    return {a or b for path in SOURCES for a, b in _DEFINED.findall(path.read_text(encoding="utf-8"))}


def _table1_header(book) -> str:
    html = (book / "chapters" / "table-1-baseline.html").read_text(encoding="utf-8")
    table = re.search(r'id="tbl-baseline".*?<thead>(.*?)</thead>', html, re.S)
    assert table, "Table 1 has no header row"
    return re.sub(r"<[^>]+>", " ", table[1])


def test_make_report_writes_both_editions(rendered):
    for lang in LANGS:
        book = rendered.book(lang)
        for name in ("index.html", f"reanalysis-{lang}.pdf", f"appendix-{lang}.html",
                     f"handout-{lang}.pdf"):
            assert (book / name).is_file(), f"_book/{lang}/{name} missing"


@pytest.mark.parametrize("lang", LANGS)
def test_each_edition_is_in_its_own_language(rendered, lang):
    book = rendered.book(lang)
    for page in book_pages(book) + [book / f"appendix-{lang}.html"]:
        assert f'<html lang="{HTML_LANG[lang]}"' in page.read_text(encoding="utf-8") \
            or f'lang="{HTML_LANG[lang]}" xml:lang' in page.read_text(encoding="utf-8"), page.name
    header = _table1_header(book)
    assert bool(CJK.search(header)) is (lang == "zh"), header
    # Figure 1 as drawn for this edition (the SVG written beside the PNG the page shows).
    svg = (rendered.root / "_build" / lang / "export" / "figures" / f"figure1-{lang}.svg")
    labels = " ".join(re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8")))
    assert bool(CJK.search(labels)) is (lang == "zh")
    caption = t("book.caption.survival", lang)[:20]
    assert caption in visible_text(book / "chapters" / "survival.html")


def test_zh_pages_have_no_space_where_a_source_line_broke(rendered):
    # tools/cjk-line-breaks.lua: a source line break between two Chinese characters
    # (the zh chapters wrap like the English ones) must not print as a space. These
    # sentences wrap right there in chapters/survival.qmd and chapters/methods.qmd.
    chapters = rendered.book("zh") / "chapters"
    assert "，对照组为" in visible_text(chapters / "survival.html")
    assert "）构成" in visible_text(chapters / "methods.html")


@pytest.mark.parametrize("lang", LANGS)
def test_no_cross_reference_is_left_unresolved(rendered, lang):
    book = rendered.book(lang)
    html = "".join(p.read_text(encoding="utf-8") for p in book_pages(book))
    for page in book_pages(book):
        text = visible_text(page)
        assert "?@" not in text, page.name
        assert not re.search(r"@(?:tbl|fig|sec)-", text), page.name
        # a reference shown as its bare label ("tbl-baseline") instead of "Table 4.1"
        assert not re.search(r"(?<![\w/#.-])(?:tbl|fig|sec)-[a-z0-9]+(?:-[a-z0-9]+)*(?![\w.-])",
                             text), page.name
    for label in _defined_labels():
        assert f'id="{label}"' in html, f"{lang}: anchor {label} missing"


@pytest.mark.skipif(not HAVE_POPPLER, reason=POPPLER_MISSING)
@pytest.mark.parametrize("lang", LANGS)
def test_pdfs_show_every_caption_and_the_edition_script(rendered, lang):
    book = rendered.book(lang)
    text = " ".join(pdf_text(book / f"reanalysis-{lang}.pdf").split())
    squeezed = re.sub(r"\s+", "", text)
    keys = {m for path in SOURCES
            for m in re.findall(r't\("(book\.caption\.\w+)"', path.read_text(encoding="utf-8"))}
    assert keys
    for key in keys:
        start = re.sub(r"\s+", "", t(key, lang))[:15]  # captions wrap; compare without spaces
        assert start in squeezed, f"{lang} PDF lacks the caption {key}"
    assert "?@" not in text and not re.search(r"@(?:tbl|fig|sec)-", text)
    if lang == "zh":
        assert "表" in text and "图" in text and CJK.search(text)
        assert "CJK" in pdf_fonts(book / f"reanalysis-{lang}.pdf")
    else:
        assert "Table" in text and "Figure" in text


@pytest.mark.skipif(not HAVE_POPPLER, reason=POPPLER_MISSING)
@pytest.mark.parametrize("lang", LANGS)
def test_each_handout_has_its_title_without_quotes(rendered, lang):
    # page count, fill and findings: tests/test_handout_render.py
    handout = rendered.book(lang) / f"handout-{lang}.pdf"
    squeezed = re.sub(r"\s+", "", pdf_text(handout))  # the title may wrap
    assert squeezed.startswith(re.sub(r"\s+", "", t("handout.title", lang)))  # no quotes
    assert bool(CJK.search(pdf_text(handout))) is (lang == "zh")


def test_a_second_make_report_renders_nothing(rendered):
    done = rendered.make_report()
    assert "report up to date" in done.stdout
    assert "rendering" not in done.stdout


def test_the_appendix_renders_for_another_paper(tmp_path):
    # `python -m analysis appendix --data-dir` on the worked example: no code names it.
    import shutil
    import subprocess
    import sys

    import pandas as pd

    from conftest import QUARTO_MISSING

    if shutil.which("quarto") is None:
        pytest.skip(QUARTO_MISSING)
    example = PROJECT_ROOT / "data" / "examples" / "pbc"
    out = tmp_path / "pbc.html"
    done = subprocess.run([sys.executable, "-m", "analysis", "appendix", "--data-dir", str(example),
                           "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    text = visible_text(out)
    assert text.startswith("Mayo Clinic PBC trial")
    planted = pd.read_csv(example / "planted.csv", dtype=str)
    for printed in planted["printed"]:
        assert printed in text
    assert not re.search(r"\bsrc=[\"']?(?:https?:)?//", out.read_text(encoding="utf-8"))
