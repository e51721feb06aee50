"""The rendered PDFs read cleanly: no overlapping words, nothing outside the page's text
area (pdfplumber on the session's one render, conftest.rendered, and on every example
paper's handout, conftest.reports)."""

from __future__ import annotations

import re

import pytest

from conftest import example_editions

LANGS = ("en", "zh")
# A character reaching this far into its neighbour on the same line overlaps it: at least
# 1 pt and a quarter of its own width (kerning, as in "AV", stays below that).
_OVERLAP_PT, _OVERLAP_SHARE = 1.0, 0.25
# Content closer than this to a page edge has run out of the text area (points).
_EDGE = 18.0
# Full-width CJK punctuation: its glyph box is an em wide, but Typst (region CN) sets a
# run of it compressed, so the box reaches into the next word while the ink does not.
_CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uffef]")


def _documents(rendered, lang):
    book = rendered.book(lang)
    return [book / f"reanalysis-{lang}.pdf", book / f"handout-{lang}.pdf"]


def _lines(chars) -> list[list[dict]]:
    """Characters grouped into lines: one within 2 pt of a line's first top joins it."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if lines and abs(char["top"] - lines[-1][0]["top"]) < 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def overlapping_text(page) -> list[str]:
    """Where neighbouring characters on one line overlap: the text around each place.

    Characters, not words: pdfplumber joins characters closer than 3 pt into one word,
    so two cells' texts run into each other become a single "word".
    """
    found = []
    for line in _lines(c for c in page.chars if c["text"].strip()):
        for i, (a, b) in enumerate(zip(line, line[1:])):
            depth = a["x1"] - b["x0"]
            if depth > max(_OVERLAP_PT, _OVERLAP_SHARE * (a["x1"] - a["x0"])) \
                    and not _CJK_PUNCTUATION.search(a["text"] + b["text"]):
                found.append("".join(c["text"] for c in line[max(0, i - 8):i + 10]))
    return found


def outside_the_text_area(page) -> list[tuple]:
    """Characters, images and rules closer than :data:`_EDGE` to an edge of the page."""
    boxes = [("text", c["text"], c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.chars]
    boxes += [("image", "", i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
    boxes += [("rule", "", r["x0"], r["top"], r["x1"], r["bottom"]) for r in page.lines + page.rects]
    return [b for b in boxes if b[2] < _EDGE or b[3] < _EDGE
            or b[4] > page.width - _EDGE or b[5] > page.height - _EDGE]


def _problems(rendered, lang, find) -> dict:
    """``find(page)`` on every page of the edition's book and handout, where it finds any."""
    return _problems_in(_documents(rendered, lang), find)


def _problems_in(paths, find) -> dict:
    import pdfplumber

    problems = {}
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                if find is outside_the_text_area and path.name.startswith("reanalysis-") \
                        and number == 1:
                    continue  # the book template's cover is drawn to the page edges
                found = find(page)
                if found:
                    problems[f"{path.name} p.{number}"] = found[:5]
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_has_overlapping_text(rendered, lang):
    assert not (problems := _problems(rendered, lang, overlapping_text)), problems


@pytest.mark.parametrize("lang", LANGS)
def test_tables_and_figures_stay_inside_the_page(rendered, lang):
    assert not (problems := _problems(rendered, lang, outside_the_text_area)), problems


@pytest.mark.parametrize("name, lang", example_editions())
def test_each_example_handout_reads_cleanly(reports, name, lang):
    handout = [reports[name] / lang / "handout.pdf"]
    assert not (problems := _problems_in(handout, overlapping_text)), problems
    assert not (problems := _problems_in(handout, outside_the_text_area)), problems
