"""A paper as the draft reads it: paragraphs and tables in reading order, each with where it
was found, whatever the file format (:mod:`analysis.draft.readers` builds it)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Paragraph", "Table", "Document"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (or heading) of running text, markup removed (:func:`markup.plain`).

    ``where`` locates it in the file: ``"line 45"`` or ``"page 3"``.
    """

    text: str
    where: str
    heading: bool = False


@dataclass(frozen=True)
class Table:
    """A table's cells as printed, row by row (spanned cells empty), with its caption and
    the note printed under it."""

    caption: str
    rows: tuple[tuple[str, ...], ...]
    where: str
    note: str = ""
    # where each row is, when the format knows it ("line 68", "page 2, y=341")
    row_where: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    path: str
    blocks: tuple  # Paragraph | Table, in reading order
    # the reader's remarks for REVIEW.md (a table it could not delimit, a page with no text)
    remarks: tuple[str, ...] = ()
    # the paper's title where the file names it (front matter, its first heading), else ""
    title: str = ""
