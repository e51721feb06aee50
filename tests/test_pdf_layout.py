"""The rendered PDFs read cleanly: no overlapping words, nothing outside the page's text
area (pdfplumber on the session's one render, conftest.rendered)."""

from __future__ import annotations

import re

import pytest

LANGS = ("en", "zh")
# A word this far into its neighbour on the same line overlaps it (points); kerning and
# superscripts stay well below.
_OVERLAP = 1.0
# Content closer than this to a page edge has run out of the text area (points).
_EDGE = 18.0
# Full-width CJK punctuation: its glyph box is an em wide, but Typst (region CN) sets a
# run of it compressed, so the box reaches into the next word while the ink does not.
_CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uffef]$")


def _documents(rendered, lang):
    book = rendered.book(lang)
    return [book / f"reanalysis-{lang}.pdf", book / f"handout-{lang}.pdf"]


def _lines(words) -> list[list[dict]]:
    """Words grouped into lines: a word within 2 pt of a line's first top joins it."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines and abs(word["top"] - lines[-1][0]["top"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def overlapping_words(page) -> list[tuple[str, str]]:
    """Pairs of neighbouring words on one line whose boxes overlap."""
    pairs = []
    for line in _lines(page.extract_words()):
        pairs += [(a["text"], b["text"]) for a, b in zip(line, line[1:])
                  if a["x1"] - b["x0"] > _OVERLAP and not _CJK_PUNCTUATION.search(a["text"])]
    return pairs


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_has_overlapping_words(rendered, lang):
    import pdfplumber

    problems = {}
    for path in _documents(rendered, lang):
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                pairs = overlapping_words(page)
                if pairs:
                    problems[f"{path.name} p.{number}"] = pairs[:5]
    assert not problems, problems


@pytest.mark.parametrize("lang", LANGS)
def test_tables_and_figures_stay_inside_the_page(rendered, lang):
    import pdfplumber

    problems = {}
    for path in _documents(rendered, lang):
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                if path.name.startswith("reanalysis-") and number == 1:
                    continue  # the book template's cover is drawn to the page edges
                boxes = [("text", c["text"], c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.chars]
                boxes += [("image", "", i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
                boxes += [("rule", "", r["x0"], r["top"], r["x1"], r["bottom"])
                          for r in page.lines + page.rects]
                out = [b for b in boxes if b[2] < _EDGE or b[3] < _EDGE
                       or b[4] > page.width - _EDGE or b[5] > page.height - _EDGE]
                if out:
                    problems[f"{path.name} p.{number}"] = out[:3]
    assert not problems, problems
