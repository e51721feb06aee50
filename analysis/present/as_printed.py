"""A table laid out as its raw rows say it was printed, whatever its shape.

Every printed value's raw row names the row and the column it was read from
(``row_label``, ``column_label``), so a table the declaration gives no layout is the grid of
those labels: groups as columns or as rows, statistics in columns of their own or in bottom
rows under a group's column, a Total column, blocks printed side by side or one under the
other. Four things the labels alone do not settle:

- a group size printed in its group's header ("Control group (n = 60)") is not printed
  again as a cell (a size with a column of its own, "Cases", is); its other label, when no
  value uses it, is the stub's header ("Index");
- columns follow the order each row was read in; where rows leave it open, the groups'
  and totals' columns come before the statistics';
- a row label read again in columns its row has not filled is the same printed row (a
  block printed beside another, one item per column of a groups-as-rows table); read
  again in filled columns it is another row (a second "Improvement" under another item);
- where groups are columns, an item's heading row that carries only its test comes before
  the item's level rows;
- where groups are rows, a statistic printed across its item's columns (its own label is
  no column) sits in the item's first column, as the paper centres it over them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..i18n import t
from .cells import KEY, cell_text

__all__ = ["Grid", "as_printed", "groups_as_rows"]


@dataclass(frozen=True)
class Grid:
    """A laid-out table: the frame (cells as text), per row the column of each printed value's
    key, and whether the groups are its rows (its columns then name items)."""

    frame: pd.DataFrame
    row_keys: list[dict]
    groups_as_rows: bool


def groups_as_rows(data: pd.DataFrame) -> bool:
    """Whether the groups are rows: several groups share a column (each column an item)."""
    values = data[(data["arm"] != "") & (data["item"] != "group_size")]
    shared = values.groupby("column_label")["arm"].nunique()
    return bool(len(shared) and (shared > 1).mean() > 0.5)


def _printed(value: str, labels) -> bool:
    """Whether ``value`` is printed within one of ``labels`` ("Control group (n = 60)")."""
    number = re.compile(rf"(?<![\d.]){re.escape(str(value))}(?![\d.])")
    return any(number.search(str(label)) for label in labels)


# What a group (or the Total) has printed of its own, as opposed to a between-group statistic.
_DESCRIPTIVE = {"count", "percent", "n", "mean", "sd", "letters", "median", "q1", "q3", "iqr",
                "min", "max"}


def _sizes_in_headers(data: pd.DataFrame, by_rows: bool) -> pd.Series:
    """The group sizes printed only in their group's header ("Control group (n = 60)": the
    header of its column where groups are columns, its row's label where they are rows),
    not in a cell of their own ("Cases", or an item's own ``n``, is printed)."""
    values = data[(data["quantity"] != "n") & (data["arm"] != "")]
    headers = values.groupby("arm")["row_label" if by_rows else "column_label"].agg(set).to_dict()

    def in_header(row) -> bool:
        # the Total's size ("All (N = 118)") in its own header
        own = headers.get(row.arm, ()) if row.arm else \
            (row.row_label if by_rows else row.column_label,)
        return str(row.item).startswith("group_size") and row.quantity == "n" and _printed(row.value, own)

    return pd.Series([in_header(r) for r in data.itertuples()], index=data.index, dtype=bool)


def _column_order(sequences, columns: list, statistics: set) -> list:
    """The columns in an order every row's reading order keeps (a row is read left to
    right); where the rows leave it open (a heading row holding only its test, level rows
    only the groups' values), the groups' and totals' columns come before the statistics,
    then the order first read."""
    before = {c: set() for c in columns}
    for seq in sequences:
        seq = [c for c in dict.fromkeys(seq) if c in before]
        for a, b in zip(seq, seq[1:]):
            before[b].add(a)
    out, left = [], list(columns)
    while left:
        ready = [c for c in left if not before[c] - set(out)] or left  # a cycle: the first read
        pick = min(ready, key=lambda c: (c in statistics, left.index(c)))
        out.append(pick)
        left.remove(pick)
    return out


def as_printed(data: pd.DataFrame, lang: str, markup: bool) -> Grid:
    """Lay out one table's raw rows (:func:`analysis.dataset.load_table`) as printed."""
    data = data.reset_index(drop=True)
    by_rows = groups_as_rows(data)
    hidden = _sizes_in_headers(data, by_rows)
    shown = data[~hidden].copy()
    is_arm = shown["arm"] != ""
    arm_columns = set(shown.loc[is_arm & (shown["item"] != "group_size"), "column_label"])
    if by_rows:  # a statistic centred over its item's columns goes in the first of them
        first_col = (shown[is_arm & (shown["quantity"] != "n")].groupby("item", sort=False)
                     ["column_label"].first())
        move = ~is_arm & ~shown["column_label"].isin(arm_columns) & shown["item"].isin(first_col.index)
        shown.loc[move, "column_label"] = shown.loc[move, "item"].map(first_col)
    holding_arms = set(shown.loc[is_arm, "column_label"])
    descriptive = set(shown.loc[is_arm | shown["quantity"].isin(_DESCRIPTIVE), "column_label"])

    # the stub's header: a hidden group size's other label, when nothing else prints it
    # ("Index" above the groups' columns, "VAS scores" above the groups' rows)
    used = set(shown["row_label"]) | set(shown["column_label"])
    own = data.loc[hidden, "column_label" if by_rows else "row_label"]
    stub = next((label for label in own if label and label not in used),
                t("tables.column.group" if by_rows else "tables.column.item", lang))

    pieces = list(shown.groupby(["item", "row_label"], sort=False))
    if not by_rows:  # an item's heading row with only its test comes before its levels
        rank = {item: i for i, item in enumerate(dict.fromkeys(shown["item"]))}
        heading = {k: not set(p["column_label"]) & holding_arms for k, p in pieces}
        pieces.sort(key=lambda kp: (rank[kp[0][0]], not heading[kp[0]]))
    labels, cells, keys, reads = [], [], [], []
    for (_, label), piece in pieces:
        filled = set(piece["column_label"])
        row = next((i for i, other in enumerate(labels)
                    if other == label and not filled & set(cells[i])), None)
        if row is None:
            labels.append(label)
            cells.append({})
            keys.append({})
            reads.append([])
            row = len(labels) - 1
        reads[row].extend(piece["column_label"].items())
        for column, part in piece.groupby("column_label", sort=False):
            cells[row][column] = cell_text(part, markup=markup)
            keys[row].update({tuple(k): column for k in
                              part[list(KEY)].itertuples(index=False, name=None)})
    # a row is read left to right in the file's order, whichever of its items each value is
    # ("Effective | Not effective | Total effective rate": the total's parts, another item, the total)
    reads = [[column for _, column in sorted(seq)] for seq in reads]
    # a hidden group size was read along its groups' header: it orders their columns too
    sizes = data[hidden].groupby("row_label" if not by_rows else "arm", sort=False)["column_label"]
    reads += [list(seq) for _, seq in sizes] if not by_rows else []
    columns = _column_order(reads, list(dict.fromkeys(shown["column_label"])),
                            set(shown["column_label"]) - descriptive)
    frame = pd.DataFrame([[label, *(c.get(col, "") for col in columns)]
                          for label, c in zip(labels, cells)], columns=[stub, *columns])
    return Grid(frame=frame, row_keys=keys, groups_as_rows=by_rows)
