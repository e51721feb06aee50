"""The book's data tables: English/Chinese differences, what was digitized, the printed
survival numbers."""

from __future__ import annotations

import pandas as pd

from ..dataset import TABLES, load_discrepancies, load_table
from ..i18n import check_lang, t

__all__ = ["SURVIVAL_ITEMS", "discrepancy_table", "digitized_table", "provenance_table",
           "survival_printed_table"]

def discrepancy_table(lang: str, *, data_dir=None) -> pd.DataFrame:
    """``discrepancies.csv`` for a reader: kind, where, English, Chinese, note, in ``lang``.

    ``where`` names the place as the reader's version prints it (its source, row and group's
    column, :func:`~analysis.present.versions.version_differences`); ``note`` is the one
    recorded where it is written in ``lang``, else what the audit of each version says of
    its value (``tables.discrepancy.verdicts``). The printed values stay as printed.
    """
    from ..shown import in_language
    from .versions import version_differences

    check_lang(lang)
    d = load_discrepancies(data_dir=data_dir)
    diffs = version_differences(lang, data_dir=data_dir)
    places = [v.place for v in diffs] or list(d["where"])
    # a value as a reader writes it ("t = 0.616": the place names the row, not which of its
    # numbers); a difference of format as printed, which is the difference
    values = {v: [getattr(diff, v) if kind in ("value", "missing") else printed
                  for diff, kind, printed in zip(diffs, d["kind"], d[v])] or list(d[v]) for v in ("en", "zh")}
    verdicts = None
    notes = []
    for rec in d.to_dict("records"):
        if in_language(rec["note"], lang) and rec["note"]:
            notes.append(rec["note"])
            continue
        if verdicts is None:
            verdicts = _verdicts(data_dir)
        key = "/".join(str(rec[c]) for c in ("source", "item", "level", "arm", "quantity"))
        found = {v: verdicts[v].get(key) for v in ("en", "zh") if v in verdicts}
        said = {v: t(f"audit.verdict.{found[v]}", lang) if found.get(v) else t("tables.discrepancy.unchecked", lang)
                for v in ("en", "zh")}
        notes.append("—" if not rec["quantity"] or not any(found.values())
                     else t("tables.discrepancy.verdicts_same", lang, verdict=said["en"]) if said["en"] == said["zh"]
                     else t("tables.discrepancy.verdicts", lang, **said))
    return pd.DataFrame({
        t("tables.discrepancy.kind", lang): [t(f"tables.discrepancy.kinds.{k}", lang) for k in d["kind"]],
        t("tables.discrepancy.where", lang): places,
        t("lang.en", lang): values["en"],
        t("lang.zh", lang): values["zh"],
        t("tables.discrepancy.note", lang): notes,
    })


_ORDER = ("discrepant", "not_checkable", "reproduced")


def _verdicts(data_dir) -> dict:
    """``{lang: {key: verdict}}``: the worst verdict of the checks judging each printed value,
    in each declared version's audit."""
    from ..audit import run_audit
    from ..dataset import declaration

    out = {}
    for version in declaration(data_dir).languages:
        worst: dict = {}
        for check in run_audit(version, data_dir=data_dir).checks:
            for key in check.covers:
                if key not in worst or _ORDER.index(check.verdict) < _ORDER.index(worst[key]):
                    worst[key] = check.verdict
        out[version] = worst
    return out


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
