"""Compare the English and Chinese transcriptions value by value."""

from __future__ import annotations

import pandas as pd

from .dataset import load_all, load_discrepancies
from .schema import KEY

__all__ = ["VALUE_KINDS", "compare_versions", "unrecorded_differences"]

# Kinds of discrepancies.csv rows that stand for a differing value cell; the other
# kinds (label, text) document differences in wording, which the files do not compare.
VALUE_KINDS = ("value", "format", "missing")


def compare_versions(*, data_dir=None) -> pd.DataFrame:
    """Every key whose printed value differs between the versions, or exists in one only.

    Returns
    -------
    DataFrame
        Columns ``KEY + ["en", "zh", "kind"]``; ``kind`` is ``value`` (different
        number or letters), ``format`` (same number and decimals, printed
        differently) or ``missing`` (printed in one version only; the other is "").
    """
    en = load_all("en", data_dir=data_dir)
    zh = load_all("zh", data_dir=data_dir)
    cols = KEY + ["value", "number", "decimals"]
    both = en[cols].merge(zh[cols], on=KEY, how="outer", suffixes=("_en", "_zh"),
                     indicator="presence")
    rows = []
    for row in both.itertuples(index=False):
        rec = {k: getattr(row, k) for k in KEY}
        if row.presence != "both":
            rec.update(en=row.value_en if row.presence == "left_only" else "",
                       zh=row.value_zh if row.presence == "right_only" else "", kind="missing")
        elif row.value_en == row.value_zh:
            continue
        else:
            same_number = (pd.notna(row.number_en) and row.number_en == row.number_zh
                           and row.decimals_en == row.decimals_zh)
            rec.update(en=row.value_en, zh=row.value_zh, kind="format" if same_number else "value")
        rows.append(rec)
    return pd.DataFrame(rows, columns=KEY + ["en", "zh", "kind"]).sort_values(KEY, ignore_index=True)


def unrecorded_differences(*, data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Differences missing from ``discrepancies.csv``, and records that match no difference.

    Both frames are empty when the file is complete and exact.
    """
    found = compare_versions(data_dir=data_dir)
    recorded = load_discrepancies(data_dir=data_dir)
    recorded = recorded[recorded["kind"].isin(VALUE_KINDS)]
    cols = KEY + ["en", "zh", "kind"]
    merged = found[cols].merge(recorded[cols], on=cols, how="outer", indicator=True)
    return (merged[merged["_merge"] == "left_only"][cols].reset_index(drop=True),
            merged[merged["_merge"] == "right_only"][cols].reset_index(drop=True))
