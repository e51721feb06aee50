"""How close a draft is to a confirmed transcription, value by value.

A confirmed value is **found** when the draft holds the same printed string in the same
place: for a table, the same table and the same row and column by their printed labels (their
words in any order: a spanning heading may be joined before or after the column's name; a
test printed across spanned columns may be labelled by the span, so a value whose row
matches and whose column does not is accepted when it is the only such value in that row);
a level the transcriber labelled by its item's row but printed on a row of its own is in
the same place when the column and the level key agree; for text, the same section, matched
one to one, the most similar phrase first. The draft's
keys need not be the person's; the share of found values whose key is also the same is
reported beside (:attr:`Comparison.same_key`). Empty values (``letters`` of a cell with no
superscript) are left out on both sides.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from ..printed import non_number, normalize_typesetting

__all__ = ["Comparison", "compare", "label_key", "label_words"]

_KEY = ["source", "item", "level", "arm", "quantity"]


@dataclass(frozen=True)
class Comparison:
    """Recall and precision of a draft against a confirmed transcription."""

    confirmed: int
    drafted: int
    found: int
    same_key: int
    misses: pd.DataFrame       # confirmed values not found (source, row_label, column_label, value)
    extras: pd.DataFrame       # drafted values not confirmed
    pairs: pd.DataFrame        # each found value: its confirmed key and its drafted key (``draft_*``)

    @property
    def recall(self) -> float:
        return self.found / self.confirmed if self.confirmed else float("nan")

    @property
    def precision(self) -> float:
        return self.found / self.drafted if self.drafted else float("nan")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"confirmed": self.confirmed, "drafted": self.drafted, "found": self.found,
                              "recall": self.recall, "precision": self.precision,
                              "same_key": self.same_key / self.found if self.found else float("nan")}])


def label_key(text) -> str:
    """A printed label as compared: footnote marks dropped, lower case, letters, digits and
    Chinese only (``"χ² value"`` and ``"χ2value"`` are the same label)."""
    # a footnote mark is not part of a label ("Events (N.)^a^", "Events (N.)")
    # a raised digit is the label's own ("kg/m^2^" is "kg/m²")
    text = re.sub(r"\^(\d+)\^", r"\1", normalize_typesetting(str(text or "")))
    text = re.sub(r"\^[^^]*\^", "", text).lower().replace("²", "2")
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", text)


def label_words(text) -> str:
    """A printed label's words in sorted order (:func:`label_key` of each): a column labelled by
    a spanning heading and its own name is the same label whichever order they are joined in
    ("ALT (U/L) / After", "After ALT (U/L)").

    >>> label_words("ALT (U/L) / After") == label_words("After ALT (U/L)")
    True
    >>> label_words("满意率 / 随访服务") == label_words("随访服务 满意率")
    True
    """
    parts = re.split(r"\s+|/", re.sub(r"\^[^^]*\^", "", normalize_typesetting(str(text or ""))))
    return "|".join(sorted(k for k in map(label_key, parts) if k))


def _same(column: pd.Series, label) -> pd.Series:
    """Where ``column``'s labels are ``label``, by key or by words."""
    return (column.map(label_key) == label_key(label)) | (column.map(label_words) == label_words(label))


def _value(text) -> str:
    meaning = non_number(str(text or ""))
    if meaning:
        return meaning                      # "NR" for a printed "not reached": the same value
    text = normalize_typesetting(str(text or "")).strip()
    # "0.496" for a printed "0.496^b^": a footnote mark names the test, it is no part of the
    # value (data/README.md: a P is a number; arms' superscripts are their own "letters")
    text = re.sub(r"(?<=[\d%])\s*(?:\^[^^]*\^|[ᵃ-ᶻ*†‡§‖¶#]+)$", "", text)
    # "22.2" for a printed "22.2%": transcribers differ on keeping the sign, not the number
    return re.sub(r"^([<>≤≥])\s+", r"\1", text).removesuffix("%")


def compare(draft: pd.DataFrame, confirmed: pd.DataFrame) -> Comparison:
    """Compare two frames with the transcription's columns (one language version)."""
    d = draft[draft["value"].fillna("").astype(str).str.strip() != ""].reset_index(drop=True)
    c = confirmed[confirmed["value"].fillna("").astype(str).str.strip() != ""].reset_index(drop=True)
    used_d, found, same_key, matched_c, pairs = set(), 0, 0, set(), []
    d_table = d["source"].str.startswith("table")
    for i, row in c.iterrows():
        value = _value(row["value"])
        pool = d[(d["source"] == row["source"]) & (d["value"].map(_value) == value)]
        pool = pool[~pool.index.isin(used_d)]
        if pool.empty:
            continue
        if str(row["source"]).startswith("table"):
            same_row = pool[_same(pool["row_label"], row["row_label"])]
            exact = same_row[_same(same_row["column_label"], row["column_label"])]
            same_col = pool[_same(pool["column_label"], row["column_label"])]
            # a between-arm statistic is labelled by its row in one layout and by its column in
            # another ("P value" row under "ORR", or the "P value" column beside "Age")
            # a level printed on a row of its own where the transcriber labelled it by its item
            same_level = same_col[(same_col["level"] == row["level"]) & (same_col["arm"].astype(bool))] \
                if str(row["level"]) else same_col.iloc[0:0]
            # a group's n is labelled by the stub's heading in one transcription and by the
            # group in another: its column places it
            pick = exact if not exact.empty else same_row if len(same_row) == 1 else \
                same_col if len(same_col) == 1 and (not str(row["arm"]) or row["quantity"] == "n") else \
                same_level if len(same_level) == 1 else None
            if pick is None or pick.empty:
                continue
            j = pick.index[0]
        else:
            pool = pool[~d_table[pool.index]]
            if pool.empty:
                continue
            phrase = label_key(row["row_label"])
            j = max(pool.index, key=lambda k: difflib.SequenceMatcher(
                None, phrase, label_key(d.at[k, "row_label"])).ratio())
        used_d.add(j)
        matched_c.add(i)
        pairs.append({**{k: row[k] for k in _KEY}, **{f"draft_{k}": d.at[j, k] for k in _KEY}})
        found += 1
        if all(str(d.at[j, k] or "") == str(row[k] or "") for k in _KEY):
            same_key += 1
    show = ["source", "row_label", "column_label", "quantity", "value"]
    return Comparison(confirmed=len(c), drafted=len(d), found=found, same_key=same_key,
                      misses=c.loc[~c.index.isin(matched_c), show].reset_index(drop=True),
                      extras=d.loc[~d.index.isin(used_d), show].reset_index(drop=True),
                      pairs=pd.DataFrame(pairs, columns=_KEY + [f"draft_{k}" for k in _KEY]))
