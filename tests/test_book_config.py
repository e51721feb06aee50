"""The chapter lists of both editions and the chapter titles: one source, the catalog.

Quarto takes a book chapter's page title from the first heading of the executed
Markdown, whatever ``content-visible`` div it sits in, and its sidebar text from the
source. So each chapter has one heading made of inline code (its title in the edition's
language), and each edition's profile file gives the sidebar text, which must be the
same catalog string.
"""

from __future__ import annotations

import re

import pytest

from analysis.i18n import catalog, t
from book_config import (CHAPTERS, EDITIONS, edition_chapters, first_heading, read_config,
                         title_heading)
from harness import PROJECT_ROOT, extract_cells

_CJK = re.compile(r"[\u4e00-\u9fff]")
_FENCE = re.compile(r"^`{3,}")


def test_the_base_config_lists_no_chapters():
    # A profile's lists are appended to _quarto.yml's: a list left there would appear twice.
    base = read_config("_quarto.yml")
    assert base["project"]["type"] == "book"
    assert base["profile"] == {"default": "en", "group": [["en", "zh"]]}
    assert not {"chapters", "appendices"} & set(base["book"])


def test_both_editions_list_the_same_files_in_the_same_order():
    hrefs = {p: [entry["href"] for entry in edition_chapters(p)] for p in EDITIONS}
    assert hrefs["en"] == hrefs["zh"] == CHAPTERS
    assert CHAPTERS[0] == "index.qmd" and CHAPTERS[-1] == "chapters/colophon.qmd"
    assert len(set(CHAPTERS)) == len(CHAPTERS)
    for profile in EDITIONS:
        book = read_config(f"_quarto-{profile}.yml")["book"]
        assert [e["href"] for e in book["appendices"]] == ["chapters/colophon.qmd"]
        for entry in edition_chapters(profile):
            assert set(entry) == {"href", "text"}, entry
    for href in CHAPTERS:
        assert (PROJECT_ROOT / href).is_file(), href
    # Every chapter file is in the book (appendix.qmd and handout.qmd render on their own).
    on_disk = {"index.qmd", *(f"chapters/{p.name}" for p in (PROJECT_ROOT / "chapters").glob("*.qmd"))}
    assert set(CHAPTERS) == on_disk


@pytest.mark.parametrize("profile", EDITIONS)
def test_sidebar_text_is_the_catalog_title(profile):
    for entry in edition_chapters(profile):
        heading = title_heading(PROJECT_ROOT / entry["href"])
        assert heading, entry["href"]
        assert entry["text"] == t(heading["key"], profile), entry["href"]
        assert bool(_CJK.search(entry["text"])) is (profile == "zh"), entry


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_opens_with_its_setup_cell_and_one_inline_title(chapter):
    path = PROJECT_ROOT / chapter
    text = path.read_text(encoding="utf-8")
    heading = title_heading(path)
    assert heading, f"{chapter}: first heading is not an inline-code title: {first_heading(path)!r}"
    assert heading["key"] in catalog()
    # The ids stay, so @sec-... cross-references keep working; index and references
    # stay unnumbered.
    unnumbered = chapter in ("index.qmd", "chapters/references.qmd")
    assert re.fullmatch(r"\.unnumbered" if unnumbered else r"#sec-[\w-]+", heading["attributes"])
    # Only the hidden setup cell comes before the heading, and it defines what the
    # heading's inline code needs.
    before = text[:text.index(heading[0])]
    cells = extract_cells(text)
    setup = [src for kind, src, opts in cells if opts.get("include") == "false"]
    assert len(setup) == 1, f"{chapter}: one hidden setup cell per chapter"
    assert cells[0][0] == "cell" and cells[0][1] == setup[0]
    assert before.strip() == f"```{{python}}\n{setup[0]}```"
    assert re.search(r"^from analysis\.i18n import .*\bt\b", setup[0], re.M)
    assert re.search(r"^lang = current_lang\(\)$", setup[0], re.M)
    # No second chapter-level heading, in a content-visible div or anywhere else.
    fenced = False
    level_one = []
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and re.match(r"#\s", line):
            level_one.append(line)
    assert level_one == [heading[0]]
