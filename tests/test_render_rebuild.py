"""Rebuilding the rendered copy (after tests/test_render.py's checks of the first render).

Each test changes the copy and runs `make report` (or tools/render.py) again.
"""

from __future__ import annotations

import re

from analysis.i18n import t
from pages import CJK, visible_text

LANGS = ("en", "zh")


def _table1_header(book) -> str:
    html = (book / "chapters" / "table-1-baseline.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", re.search(r'id="tbl-baseline".*?<thead>(.*?)</thead>', html, re.S)[1])


def test_each_edition_keeps_its_language_whatever_rendered_before(rendered):
    # With one shared freeze folder, zh then en gave an English edition in Chinese.
    for lang in ("zh", "en", "zh"):
        rendered.make_report("--lang", lang, "--only", "book", "--force")
    for lang in LANGS:
        assert bool(CJK.search(_table1_header(rendered.book(lang)))) is (lang == "zh")


def test_changed_data_and_catalog_reach_both_editions(rendered):
    root = rendered.root
    for lang in LANGS:  # Table 1, age, combination group mean: 68.17 in both versions
        path = root / "data" / "raw" / lang / "table1.csv"
        text = path.read_text(encoding="utf-8")
        assert ",68.17," in text
        path.write_text(text.replace(",68.17,", ",69.17,", 1), encoding="utf-8")
    catalog = root / "analysis" / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    for lang in LANGS:
        caption = t("book.caption.table2", lang)
        assert text.count(f'"{caption}"') == 1
        text = text.replace(f'"{caption}"', f'"{caption} (edited)"')
    catalog.write_text(text, encoding="utf-8")
    rendered.make_report()
    for lang in LANGS:
        chapters = rendered.book(lang) / "chapters"
        assert "69.17 ± " in visible_text(chapters / "table-1-baseline.html")
        assert "68.17 ± " not in visible_text(chapters / "table-1-baseline.html")
        shown = visible_text(chapters / "table-2-response.html").replace("\u2019", "'")  # Pandoc's smart quotes
        assert f"{t('book.caption.table2', lang)} (edited)" in shown


def test_editing_one_chapter_reexecutes_only_that_chapter(rendered):
    root = rendered.root
    frozen = {lang: {p: p.stat().st_mtime_ns
                     for p in (root / "_build" / lang / "_freeze").rglob("*.json")} for lang in LANGS}
    assert all(frozen.values())
    chapter = root / "chapters" / "table-2-response.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA sentence added by a test.\n",
                       encoding="utf-8")
    rendered.make_report()
    for lang in LANGS:
        changed = {p.relative_to(root / "_build" / lang / "_freeze").parts[:2]
                   for p, mtime in frozen[lang].items() if p.stat().st_mtime_ns != mtime}
        assert changed == {("chapters", "table-2-response")}, (lang, changed)
        assert "A sentence added by a test." in visible_text(
            rendered.book(lang) / "chapters" / "table-2-response.html")
