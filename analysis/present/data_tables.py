"""The book's data tables: English/Chinese differences, what was digitized, the printed
survival numbers."""

from __future__ import annotations

import pandas as pd

from ..dataset import TABLES, load_discrepancies, load_table
from ..i18n import check_lang, t

__all__ = ["SURVIVAL_ITEMS", "discrepancy_table", "digitized_table", "provenance_table",
           "survival_printed_table"]

def discrepancy_table(lang: str, *, data_dir=None) -> pd.DataFrame:
    """``data/raw/discrepancies.csv`` for the book: kind, where, English, Chinese, note.

    ``where`` and ``note`` are recorded in English in the data file and shown as recorded.
    """
    check_lang(lang)
    d = load_discrepancies(data_dir=data_dir)
    return pd.DataFrame({
        t("tables.discrepancy.kind", lang): [t(f"tables.discrepancy.kinds.{k}", lang) for k in d["kind"]],
        t("tables.discrepancy.where", lang): d["where"],
        t("lang.en", lang): d["en"],
        t("lang.zh", lang): d["zh"],
        t("tables.discrepancy.note", lang): d["note"],
    })



def digitized_table(lang: str, *, data_dir=None) -> pd.DataFrame:
    """How many printed values were digitized, per source file and language version."""
    check_lang(lang)
    counts = {v: [len(load_table(name, v, data_dir=data_dir)) for name in TABLES]
              for v in ("en", "zh")}
    return pd.DataFrame({
        t("tables.digitized.file", lang): [t(f"source.{name}", lang) for name in TABLES],
        t("lang.en", lang): [str(n) for n in counts["en"]],
        t("lang.zh", lang): [str(n) for n in counts["zh"]],
    })



SURVIVAL_ITEMS = ("follow_up", "os_median", "pfs_median", "os_logrank", "pfs_logrank")



def survival_printed_table(lang: str, *, data_dir=None) -> pd.DataFrame:
    """The survival numbers printed in section 2.3, one row per value, as printed."""
    check_lang(lang)
    text = load_table("text", lang, data_dir=data_dir)
    rows = text[(text["source"] == "sec2.3") & text["item"].isin(SURVIVAL_ITEMS)]
    arm = [t(f"arm.{a}", lang) if a else "" for a in rows["arm"]]
    what = [t(f"tables.survival.{i}", lang) + (f" ({t(f'tables.survival.level.{lv}', lang)})"
                                               if lv else "")
            for i, lv in zip(rows["item"], rows["level"])]
    return pd.DataFrame({
        t("tables.survival.quantity", lang): what,
        t("tables.column.group", lang): arm,
        t("tables.survival.statistic", lang): [t(f"tables.survival.unit.{q}", lang)
                                                for q in rows["quantity"]],
        t("tables.survival.printed", lang): rows["value"].tolist(),
    })


def provenance_table(lang: str) -> pd.DataFrame:
    """The colophon: :class:`analysis.provenance.Provenance` with the data fingerprint and
    the commit as code, which the book's CSS lets wrap (a 64-digit hash widened the page)."""
    from ..provenance import collect

    frame = collect().to_frame(lang)
    frame.iloc[:2, 1] = [f"`{v}`" for v in frame.iloc[:2, 1]]
    return frame
