"""The paper's Tables 1–4 rebuilt from ``data/raw``, laid out as printed, with the audit beside.

Each table keeps the paper's rows, groups and column headers in the edition's
language (the printed labels come from the digitized data; labels the data does
not carry, such as group headers, come from the catalog section ``[tables]``),
cells as printed (``mean ± SD``, ``n (%)``, ``42/11``, superscript letters), and two
more columns: what the audit recomputed for the values in that row and its verdict.
The audit is joined by the key of each printed value (``source, item, level, arm,
quantity``), so a row shows exactly the checks of the numbers it prints.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import pandas as pd

from .dataset import TABLES, load_discrepancies, load_table
from .i18n import check_lang, t

__all__ = ["PAPER_TABLES", "LABELS", "PaperTable", "build_table", "paper_table", "audit_frame",
           "table_checks", "discrepancy_table", "digitized_table", "survival_printed_table",
           "markdown"]

PAPER_TABLES = ("table1", "table2", "table3", "table4")
# Quarto cross-reference label of each rebuilt table in the book (and its export file name).
LABELS = {"table1": "tbl-baseline", "table2": "tbl-response", "table3": "tbl-markers-afp-afu",
          "table4": "tbl-markers-apt", "discrepancies": "tbl-discrepancies",
          "digitized": "tbl-digitized", "survival_printed": "tbl-survival-printed"}
_KEY = ("source", "item", "level", "arm", "quantity")
_ARMS = ("combination", "control")
# Rows that the paper groups under a header printed without numbers ("Complications").
_GROUPS = {"table1": {"hemorrhage": "complications", "abscess": "complications",
                      "effusion": "complications", "pneumonia": "complications"}}


@dataclass(frozen=True)
class PaperTable:
    """One rebuilt paper table.

    Attributes
    ----------
    name : str
        ``table1`` … ``table4``.
    lang : str
        Edition whose printed labels and values are shown.
    frame : DataFrame
        The table as printed, plus the columns ``recomputed`` and ``verdict`` (headers
        in ``lang``). Cells are text.
    row_keys : tuple of frozenset
        For each row, the keys ``(source, item, level, arm, quantity)`` of the printed
        values it shows (empty for header rows).
    audited : bool
        False when the audit is not available yet; the two audit columns then say so.
    """

    name: str
    lang: str
    frame: pd.DataFrame
    row_keys: tuple[frozenset, ...]
    audited: bool

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_markdown(self) -> str:
        """A pipe table for Quarto (real table in HTML and Typst); ``^ab^`` is superscript."""
        # disable_numparse keeps printed text such as "3.970" from becoming 3.97.
        return self.frame.to_markdown(index=False, disable_numparse=True)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------------------------------
# Cells


def _escape(text: str, markup: bool) -> str:
    """Printed text as Markdown: the zh edition's footnote asterisks are literal."""
    return text.replace("*", "\\*") if markup else text


def _letters(value: str, letters: str, markup: bool) -> str:
    if not letters:
        return value
    return f"{value}^{letters}^" if markup else f"{value} {letters}"


def _cell(rows: pd.DataFrame, *, markup: bool) -> str:
    """The printed text of one cell from the raw rows it holds."""
    q = dict(zip(rows["quantity"], rows["value"]))
    if "mean" in q and "sd" in q:
        return _letters(f"{q['mean']} ± {q['sd']}", q.get("letters", ""), markup)
    if "F" in q and "p" in q:
        return f"{q['F']}/{q['p']}"
    counts = rows.loc[rows["quantity"] == "count", "value"].tolist()
    if len(counts) > 1:  # e.g. sex printed as male/female in one cell
        return "/".join(counts)
    if counts and "percent" in q:
        return f"{counts[0]} ({q['percent']})"
    if counts:
        return counts[0]
    return " ".join(v for v in rows["value"] if v)


def _keys(rows: pd.DataFrame) -> frozenset:
    return frozenset(tuple(r) for r in rows[list(_KEY)].itertuples(index=False, name=None))


# ---------------------------------------------------------------------------------------
# Layouts


def _items_as_rows(data: pd.DataFrame, name: str, lang: str, markup: bool):
    """Table 1: one row per item or level; arms and the test statistic as columns."""
    header = data[data["item"] == "group_size"]
    first = header["row_label"].iloc[0] if len(header) else t("tables.column.item", lang)
    body = data[data["item"] != "group_size"]
    arm_cols = {arm: body.loc[body["arm"] == arm, "column_label"].iloc[0] for arm in _ARMS}
    stat_cols = {q: body.loc[(body["arm"] == "") & (body["quantity"] == q), "column_label"].iloc[0]
                 for q in ("statistic", "p")}
    columns = [first, *arm_cols.values(), *stat_cols.values()]

    rows, keys, seen_groups = [], [], set()

    def emit(label, cells: dict, key=frozenset()):
        rows.append({first: label, **{c: cells.get(c, "") for c in columns[1:]}})
        keys.append(key)

    for item in dict.fromkeys(body["item"]):
        part = body[body["item"] == item]
        group = _GROUPS.get(name, {}).get(item)
        if group and group not in seen_groups:
            seen_groups.add(group)
            emit(t(f"tables.{name}.group.{group}", lang), {})
        arm_part = part[part["arm"] != ""]
        stats = part[part["arm"] == ""]
        labels = list(dict.fromkeys(arm_part["row_label"]))
        stat_label = stats["row_label"].iloc[0] if len(stats) else None
        stat_cells = {stat_cols[q]: v for q, v in zip(stats["quantity"], stats["value"])}
        if len(labels) > 1 and stat_label not in labels:
            # The paper prints the item as a header row carrying the test (English edition).
            emit(stat_label, stat_cells, _keys(stats))
        elif len(labels) > 1:
            # The test sits on a level row (Chinese edition): the header row has no numbers.
            emit(t(f"tables.{name}.header.{item}", lang), {})
        for label in labels:
            cells_rows = arm_part[arm_part["row_label"] == label]
            cells = {arm_cols[arm]: _cell(cells_rows[cells_rows["arm"] == arm], markup=markup)
                     for arm in _ARMS if (cells_rows["arm"] == arm).any()}
            key = _keys(cells_rows)
            if label == stat_label:
                cells |= stat_cells
                key |= _keys(stats)
            emit(label, cells, key)
    return pd.DataFrame(rows, columns=columns), keys


def _arms_as_rows(data: pd.DataFrame, name: str, lang: str, markup: bool):
    """Tables 2–4: one row per arm, then the between-arm statistics; time points as columns."""
    first = t("tables.column.group", lang)
    arm_rows = data[data["arm"] != ""]
    stat_rows = data[data["arm"] == ""]
    columns = [first, *dict.fromkeys(arm_rows["column_label"])]
    # A statistic printed across several columns (label "CR–PD", or a marker's name)
    # goes in the first column of its item, as the paper centres it over them.
    first_col = {item: arm_rows.loc[(arm_rows["item"] == item)
                                    & (arm_rows["quantity"] != "n"), "column_label"].iloc[0]
                 for item in dict.fromkeys(stat_rows["item"])}

    rows, keys = [], []
    for arm in _ARMS:
        part = arm_rows[arm_rows["arm"] == arm]
        row = {first: part["row_label"].iloc[0]}
        for col in columns[1:]:
            cell = part[part["column_label"] == col]
            row[col] = _cell(cell, markup=markup) if len(cell) else ""
        rows.append(row)
        keys.append(_keys(part))
    for label in dict.fromkeys(stat_rows["row_label"]):
        part = stat_rows[stat_rows["row_label"] == label]
        row = {first: label}
        for (item, col), cell in part.groupby(["item", "column_label"], sort=False):
            target = col if col in columns else first_col[item]
            row[target] = _cell(cell, markup=markup)
        rows.append({c: row.get(c, "") for c in columns})
        keys.append(_keys(part))
    return pd.DataFrame(rows, columns=columns), keys


_LAYOUT = {"table1": _items_as_rows, "table2": _arms_as_rows, "table3": _arms_as_rows,
           "table4": _arms_as_rows}


# ---------------------------------------------------------------------------------------
# The audit columns


def audit_frame(lang: str, *, data_dir=None) -> pd.DataFrame | None:
    """The audit's checks as a frame, or None while ``analysis.audit`` does not exist yet."""
    spec = importlib.util.find_spec(f"{__package__}.audit")
    if spec is None or spec.origin is None:  # absent, or a folder without __init__.py yet
        return None
    from .audit import run_audit

    return run_audit(lang, data_dir=data_dir).to_frame()


def _audit_columns(keys, audit: pd.DataFrame | None, lang: str):
    """Per row: the recomputed values and the worst verdict among the row's checks."""
    if audit is None:
        pending = t("tables.audit_pending", lang)
        return ["" if not k else pending for k in keys], ["" if not k else pending for k in keys]
    index = {}
    for rec in audit.to_dict("records"):
        index.setdefault(tuple(str(rec[c]) for c in _KEY), []).append(rec)
    recomputed, verdicts = [], []
    for key in keys:
        checks = [rec for k in sorted(key) for rec in index.get(k, [])]
        recomputed.append("; ".join(str(rec["recomputed"]) for rec in checks
                                    if rec["recomputed"] is not None
                                    and str(rec["recomputed"]) not in ("", "nan", "None")))
        verdicts.append(_worst([rec["verdict"] for rec in checks], lang) if checks else "")
    return recomputed, verdicts


def _worst(verdicts, lang):
    order = {v: i for i, v in enumerate(_VERDICT_ORDER)}
    return max(verdicts, key=lambda v: order.get(str(v), -1))


# Most to least reassuring; the row shows its least reassuring check.
_VERDICT_ORDER = ("reproduced", "not_checkable", "discrepant")


# ---------------------------------------------------------------------------------------
# Public entry points


def build_table(name: str, data: pd.DataFrame, *, lang: str, audit: pd.DataFrame | None,
                markup: bool = True) -> PaperTable:
    """Lay out raw rows of one paper table as printed and join the audit.

    Parameters
    ----------
    name : {"table1", "table2", "table3", "table4"}
    data : DataFrame
        :func:`analysis.dataset.load_table` output for ``name`` in ``lang``.
    lang : {"en", "zh"}
    audit : DataFrame or None
        The audit's ``to_frame()`` (columns ``source, item, level, arm, quantity,
        recomputed, verdict``); None while the audit is pending.
    markup : bool
        Superscript letters as Markdown ``^ab^`` (book) or plain ``" ab"`` (CSV).
    """
    if name not in PAPER_TABLES:
        raise ValueError(f"name must be one of {PAPER_TABLES}, got {name!r}")
    check_lang(lang)
    frame, keys = _LAYOUT[name](data, name, lang, markup)
    frame = frame.map(lambda v: _escape(v, markup))
    frame.columns = [_escape(c, markup) for c in frame.columns]
    recomputed, verdicts = _audit_columns(keys, audit, lang)
    frame[t("tables.column.recomputed", lang)] = recomputed
    frame[t("tables.column.verdict", lang)] = verdicts
    return PaperTable(name=name, lang=lang, frame=frame, row_keys=tuple(keys),
                      audited=audit is not None)


def paper_table(name: str, lang: str | None = None, *, data_dir=None, audit=...,
                markup: bool = True) -> PaperTable:
    """Load, lay out and audit one paper table (default language: the current edition)."""
    from .i18n import current_lang

    lang = check_lang(lang or current_lang())
    if audit is ...:
        audit = audit_frame(lang, data_dir=data_dir)
    return build_table(name, load_table(name, lang, data_dir=data_dir), lang=lang,
                       audit=audit, markup=markup)


def table_checks(name: str, audit: pd.DataFrame | None, lang: str, *, kind: str | None = None) -> str:
    """The audit's checks of one paper table as Markdown, or the catalog's "pending" note.

    ``kind`` selects one family of checks (the audit's ``check`` column starts with it).
    """
    if audit is None:
        return t("book.pending.audit", lang)
    rows = audit[audit["source"] == name]
    if kind is not None:
        rows = rows[rows["check"].astype(str).str.startswith(kind)]
    if rows.empty:
        return t("book.no_checks", lang)
    return rows.to_markdown(index=False, disable_numparse=True)


def markdown(frame: pd.DataFrame) -> str:
    """A frame of printed text as a Markdown pipe table, every cell kept as printed."""
    return frame.to_markdown(index=False, disable_numparse=True)


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


_SURVIVAL_ITEMS = ("follow_up", "os_median", "pfs_median", "os_logrank", "pfs_logrank")


def survival_printed_table(lang: str, *, data_dir=None) -> pd.DataFrame:
    """The survival numbers printed in section 2.3, one row per value, as printed."""
    check_lang(lang)
    text = load_table("text", lang, data_dir=data_dir)
    rows = text[(text["source"] == "sec2.3") & text["item"].isin(_SURVIVAL_ITEMS)]
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
