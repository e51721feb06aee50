"""Markdown for Quarto: pipe tables with chosen column widths, and safe cell and prose text.

Pandoc sets a pipe table's column widths from the dashes of its separator line once
a line of the table is longer than its ``columns`` setting (72): tabulate draws the
dashes as long as the longest cell, so one long note used to take the whole width
and crush the other columns into one letter each (in the PDF). :func:`markdown`
draws them from ``widths`` instead.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["markdown", "cell_text", "prose_text"]

# Separator dashes in all: above Pandoc's 72 columns, so widths are relative and the
# table takes the text width.
_DASHES = 100


def markdown(frame: pd.DataFrame, *, widths=None) -> str:
    """A frame of printed text as a Markdown pipe table, every cell kept as printed.

    Parameters
    ----------
    frame : DataFrame
        Cells are text (nothing is reformatted: a printed ``3.970`` stays ``3.970``).
    widths : sequence of float, optional
        Relative column widths (any scale). Without them, Pandoc sizes the columns
        from their content.
    """
    if widths is None:
        return frame.to_markdown(index=False, disable_numparse=True)
    widths = [float(w) for w in widths]
    if len(widths) != frame.shape[1] or min(widths, default=0) <= 0:
        raise ValueError(f"widths must be {frame.shape[1]} positive numbers, got {widths}")
    dashes = [max(3, round(_DASHES * w / sum(widths))) for w in widths]

    def row(cells) -> str:
        return "| " + " | ".join(str(c).replace("\n", " ") for c in cells) + " |"

    lines = [row(frame.columns), "|" + "|".join(":" + "-" * d for d in dashes) + "|"]
    lines += [row(r) for r in frame.itertuples(index=False, name=None)]
    return "\n".join(lines)


def cell_text(text) -> str:
    """Text inside a pipe-table cell: ``|`` would end the cell, ``*`` start emphasis."""
    return str(text).replace("|", "\\|").replace("*", "\\*")


def prose_text(text) -> str:
    """Catalog or data text inside Markdown prose: ``*`` is not emphasis, ``@`` not a citation."""
    return str(text).replace("*", "\\*").replace("@", "\\@")
