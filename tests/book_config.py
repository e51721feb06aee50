"""The book's chapters as Quarto sees them: each edition's list and each chapter's heading.

``book.chapters`` and ``book.appendices`` live in ``_quarto-en.yml`` and ``_quarto-zh.yml``
(see ``_quarto.yml`` for why); each entry is ``{href, text}``, ``text`` being the sidebar
and next/previous text. Each chapter's title is one heading whose text is inline code,
`` # `{python} t("book.chapter.<key>", lang)` {attributes} ``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from harness import PROJECT_ROOT

__all__ = ["EDITIONS", "CHAPTERS", "read_config", "edition_chapters", "first_heading",
           "title_heading"]

EDITIONS = ("en", "zh")
_HEADING = re.compile(r"^#{1,6}\s")
_TITLE = re.compile(r'^# `\{python\} t\("(?P<key>book\.chapter\.[\w-]+)", lang\)` '
                    r"\{(?P<attributes>[^{}]+)\}$")


@lru_cache(maxsize=None)
def read_config(name: str) -> dict:
    """A project YAML file (``_quarto.yml``, ``_quarto-en.yml``, ...) as Quarto reads it."""
    return yaml.safe_load((PROJECT_ROOT / name).read_text(encoding="utf-8"))


def edition_chapters(profile: str) -> list[dict]:
    """Every chapter entry of one edition, then its appendices, in book order."""
    book = read_config(f"_quarto-{profile}.yml")["book"]
    return [*book.get("chapters", []), *book.get("appendices", [])]


def first_heading(path) -> str | None:
    """The first line that starts a Markdown heading, code fences not excepted.

    Quarto's project index reads a chapter's title line by line from the source; before
    it learned to skip code fences (quarto-cli issue #3390) a ``# comment`` in a cell
    above the heading was taken for the title, and the chapter's ``.unnumbered`` class
    with it. Reading the same way keeps chapters safe on either kind of Quarto.
    """
    for line in path.read_text(encoding="utf-8").splitlines():
        if _HEADING.match(line):
            return line
    return None


def title_heading(path) -> re.Match | None:
    """The chapter's title heading (``key``, ``attributes``), or None if it is not one."""
    line = first_heading(path)
    return _TITLE.match(line) if line else None


# Both editions list the same files in the same order (tests/test_book_config.py).
CHAPTERS = [entry["href"] for entry in edition_chapters("en")]
