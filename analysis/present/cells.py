"""A rebuilt table's cell: the printed text of the raw rows it holds, and their audit keys."""

from __future__ import annotations

import pandas as pd

# The key of one printed value, as the audit's ``to_frame()`` carries it.
from ..audit.model import KEY_COLUMNS as KEY

__all__ = ["KEY", "cell_text", "keys_of"]


def _letters(value: str, letters: str, markup: bool) -> str:
    if not letters:
        return value
    return f"{value}^{letters}^" if markup else f"{value} {letters}"


def cell_text(rows: pd.DataFrame, *, markup: bool) -> str:
    """The printed text of one cell from the raw rows it holds, with the letters printed
    beside its value ("2.31 ± 0.88^ab^", "5 (11.11)^a^")."""
    q = dict(zip(rows["quantity"], rows["value"]))
    letters = q.get("letters", "")
    # a range printed beside a mean or median ("84.03 (7.36; 68-96)") is kept
    span = f" ({q['min']}–{q['max']})" if "min" in q and "max" in q else ""
    if "mean" in q and "sd" in q:
        return _letters(f"{q['mean']} ± {q['sd']}", letters, markup) + span
    if "F" in q and "p" in q:
        return f"{q['F']}/{q['p']}"
    if "statistic" in q and "p" in q:  # "t = −0.85, p = 0.40" in one cell
        p = q["p"]
        return f"{q['statistic']}, P {p}" if p[:1] in "<>＜＞≤≥" else f"{q['statistic']}, P = {p}"
    return _letters(_value_text(rows, q, span), letters, markup)


def _value_text(rows: pd.DataFrame, q: dict, span: str) -> str:
    """A cell's printed value(s) other than a mean ± SD or a test, without its letters."""
    if "median" in q and "q1" in q and "q3" in q:
        return f"{q['median']} ({q['q1']}, {q['q3']})" + span
    if "median" in q and "iqr" in q:  # the IQR printed as its width: "56.0 (12.5)"
        return f"{q['median']} ({q['iqr']})" + span
    counts = rows.loc[rows["quantity"] == "count", "value"].tolist()
    if len(counts) > 1:  # e.g. sex printed as male/female in one cell
        return "/".join(counts)
    if counts and "n" in q:  # a count printed over its own denominator: "802/946"
        counts = [f"{counts[0]}/{q['n']}"]
    if counts and "percent" in q:
        return f"{counts[0]} ({q['percent']})"
    if counts:
        return counts[0]
    return " ".join(v for v, quantity in zip(rows["value"], rows["quantity"]) if v and quantity != "letters")


def keys_of(rows: pd.DataFrame) -> frozenset:
    """The audit keys of the printed values in ``rows``."""
    return frozenset(tuple(r) for r in rows[list(KEY)].itertuples(index=False, name=None))
