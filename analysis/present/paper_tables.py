"""The paper's Tables 1–4 rebuilt from ``data/raw``, laid out as printed, with the audit beside.

Each table keeps the paper's rows, groups and column headers in the edition's
language (the printed labels come from the digitized data; labels the data does
not carry, such as group headers, come from the catalog section ``[tables]``) and
cells as printed (``mean ± SD``, ``n (%)``, ``42/11``, superscript letters). Tables 3
and 4 put their time points in rows, one block per marker, so they fit a page. The
audit is joined by the key of each printed value (``source, item, level, arm,
quantity``), so a row carries exactly the checks of the numbers it prints: the book
shows one verdict mark per row (:func:`analysis.present.checks.verdict_mark`), the
exported CSV the recomputed values and verdicts in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..dataset import declaration, load_table
from ..i18n import catalog, check_lang, t
from .as_printed import as_printed
from .cells import KEY, cell_text, keys_of
from .checks import legend, verdict_mark, worst
from .recomputed import record_text

__all__ = ["PaperTable", "build_table", "paper_table", "audit_frame", "legend"]


def _arms(data: pd.DataFrame) -> tuple[str, ...]:
    """The table's arms in the order its rows name them (the declared order: experimental first)."""
    return tuple(dict.fromkeys(data.loc[data["arm"] != "", "arm"]))


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
        and verdicts in ``lang``). Cells are text. This is what the export writes.
    row_keys : tuple of frozenset
        For each row, the keys ``(source, item, level, arm, quantity)`` of the printed
        values it shows (empty for header rows).
    verdicts : tuple of str
        For each row, the least reassuring verdict of its checks (raw key; ``""`` for
        a row without checks or while the audit is pending).
    audited : bool
        False when the audit is not available yet; the two audit columns then say so.
    """

    name: str
    lang: str
    frame: pd.DataFrame
    row_keys: tuple[frozenset, ...]
    verdicts: tuple[str, ...]
    audited: bool

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def reader_frame(self) -> pd.DataFrame:
        """The table as the book shows it: the paper's columns and one verdict mark per row."""
        frame = self.frame.iloc[:, :-2].copy()
        frame[t("tables.column.check", self.lang)] = [
            verdict_mark(v, self.lang) if v else "" for v in self.verdicts]
        return frame

    def to_markdown(self) -> str:
        """A pipe table for Quarto (real table in HTML and Typst); ``^ab^`` is superscript."""
        # disable_numparse keeps printed text such as "3.970" from becoming 3.97.
        return self.reader_frame().to_markdown(index=False, disable_numparse=True)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


# ---------------------------------------------------------------------------------------
# Cells


def _escape(text: str, markup: bool) -> str:
    """Printed text as Markdown: the zh edition's footnote asterisks are literal."""
    return text.replace("*", "\\*") if markup else text



def _items_as_rows(data: pd.DataFrame, name: str, lang: str, markup: bool):
    """Table 1: one row per item or level; arms and the test statistic as columns."""
    header = data[data["item"] == "group_size"]
    first = header["row_label"].iloc[0] if len(header) else t("tables.column.item", lang)
    body = data[data["item"] != "group_size"]
    arms = _arms(body)
    arm_cols = {arm: body.loc[body["arm"] == arm, "column_label"].iloc[0] for arm in arms}
    # One column per printed header of the between-arm statistics ("t/χ²/Z" and "P" here; a
    # paper printing "t or Z", "χ²" and "P" gets three), in the order printed.
    stat_headers = list(dict.fromkeys(body.loc[body["arm"] == "", "column_label"]))
    columns = [first, *arm_cols.values(), *stat_headers]

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
        stat_cells = dict(zip(stats["column_label"], stats["value"]))
        if len(labels) > 1 and stat_label not in labels:
            # The paper prints the item as a header row carrying the test (English edition).
            emit(stat_label, stat_cells, keys_of(stats))
        elif len(labels) > 1:
            # The test sits on a level row (Chinese edition): the header row has no numbers;
            # this paper's book names it, another paper's table leaves it as printed (none)
            key = f"tables.{name}.header.{item}"
            emit(t(key, lang) if key in catalog() else "", {})
        for label in labels:
            cells_rows = arm_part[arm_part["row_label"] == label]
            cells = {arm_cols[arm]: cell_text(cells_rows[cells_rows["arm"] == arm], markup=markup)
                     for arm in arms if (cells_rows["arm"] == arm).any()}
            key = keys_of(cells_rows)
            if label == stat_label:
                cells |= stat_cells
                key |= keys_of(stats)
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
    first_col = {}
    for item in dict.fromkeys(stat_rows["item"]):
        own = arm_rows.loc[(arm_rows["item"] == item) & (arm_rows["quantity"] != "n"),
                           "column_label"]
        if len(own):
            first_col[item] = own.iloc[0]
    # a statistic of an item no arm row has (a table-wide χ² under its own heading, as an
    # unedited draft reads it) keeps its own column
    columns += [c for c in dict.fromkeys(stat_rows.loc[~stat_rows["item"].isin(first_col),
                                                       "column_label"]) if c not in columns]

    rows, keys = [], []
    for arm in _arms(arm_rows):
        part = arm_rows[arm_rows["arm"] == arm]
        row = {first: part["row_label"].iloc[0]}
        for col in columns[1:]:
            cell = part[part["column_label"] == col]
            row[col] = cell_text(cell, markup=markup) if len(cell) else ""
        rows.append(row)
        keys.append(keys_of(part))
    for label in dict.fromkeys(stat_rows["row_label"]):
        part = stat_rows[stat_rows["row_label"] == label]
        row = {first: label}
        for (item, col), cell in part.groupby(["item", "column_label"], sort=False):
            target = col if col in columns else first_col[item]
            row[target] = cell_text(cell, markup=markup)
        rows.append({c: row.get(c, "") for c in columns})
        keys.append(keys_of(part))
    return pd.DataFrame(rows, columns=columns), keys



def _times_as_rows(data: pd.DataFrame, name: str, lang: str, markup: bool):
    """Tables 3–4: one block per marker, a row per time point, the groups as columns,
    then the marker's ANOVA F/P rows (their value in the first group's column, as the
    paper prints it across the groups)."""
    sizes = data[data["item"] == "group_size"]
    body = data[data["item"] != "group_size"]
    first = t("tables.column.time", lang)
    arms = _arms(data)
    arm_cols = {}
    for arm in arms:
        size = sizes[sizes["arm"] == arm]
        arm_cols[arm] = t("tables.arm_n", lang, arm=size["row_label"].iloc[0],
                          n=size["value"].iloc[0])
    columns = [first, *arm_cols.values()]
    rows, keys = [], []

    def emit(label, cells: dict, key=frozenset()):
        rows.append({first: label, **{c: cells.get(c, "") for c in columns[1:]}})
        keys.append(key)

    for item in dict.fromkeys(body["item"]):
        part = body[body["item"] == item]
        stats = part[part["arm"] == ""]
        marker = stats["column_label"].iloc[0]
        emit(marker, {})
        cells_part = part[part["arm"] != ""]
        for level in dict.fromkeys(cells_part["level"]):
            at = cells_part[cells_part["level"] == level]
            label = at["column_label"].iloc[0].removeprefix(marker).strip()
            emit(label, {arm_cols[arm]: cell_text(at[at["arm"] == arm], markup=markup)
                         for arm in arms if (at["arm"] == arm).any()}, keys_of(at))
        for label in dict.fromkeys(stats["row_label"]):
            stat = stats[stats["row_label"] == label]
            emit(label, {arm_cols[arms[0]]: cell_text(stat, markup=markup)}, keys_of(stat))
    return pd.DataFrame(rows, columns=columns), keys


_LAYOUT = {"items_as_rows": _items_as_rows, "arms_as_rows": _arms_as_rows, "times_as_rows": _times_as_rows}


# ---------------------------------------------------------------------------------------
# The audit


def audit_frame(lang: str, *, data_dir=None) -> pd.DataFrame:
    """The audit's checks of ``lang``'s version, one row per printed value judged
    (:meth:`analysis.audit.AuditReport.to_frame`)."""
    from ..audit import run_audit

    return run_audit(lang, data_dir=data_dir).to_frame()



def _audit_columns(keys, audit: pd.DataFrame | None):
    """Per row: the recomputed values and the least reassuring verdict of the row's checks.

    A check judging several values of one row (a joint ANOVA check covers three F
    values) is counted once; checks keep the audit's order.
    """
    if audit is None:
        return [[] for _ in keys], ["" for _ in keys]
    index = {}
    for pos, rec in enumerate(audit.to_dict("records")):
        index.setdefault(tuple(str(rec[c]) for c in KEY), []).append((pos, rec))
    checks_per_row, verdicts = [], []
    for key in keys:
        found = {rec["check"]: (pos, rec) for k in key for pos, rec in index.get(k, [])}
        checks = [rec for _, rec in sorted(found.values(), key=lambda pr: pr[0])]
        checks_per_row.append(checks)
        verdicts.append(worst(rec["verdict"] for rec in checks) if checks else "")
    return checks_per_row, verdicts


def _recomputed_cell(checks: list, where, grid, lang: str) -> str:
    """A row's recomputed values, each beside the printed value it judges.

    In a table laid out as printed (``grid``; ``where`` maps each key to its column) the
    values follow the printed columns. They are named by their column when the symbol alone
    would not say which printed value they judge: where the columns are items (groups as
    rows) or a symbol stands in two columns ("t … t" of blocks printed side by side). When
    the row's checks disagree, each value that is not reproduced carries its own verdict.
    """
    shown = [rec for rec in checks if rec["recomputed"] is not None]
    if grid is None:
        return "; ".join(record_text(rec, lang) for rec in shown)
    columns = list(grid.frame.columns)

    def column(rec):
        return where.get(tuple(str(rec[c]) for c in KEY), "")

    shown.sort(key=lambda rec: columns.index(column(rec)) if column(rec) in columns else len(columns))
    places = {}  # each symbol's columns (a percentage's column is its group's: no symbol)
    for rec in shown:
        if rec["statistic"] != "percent":
            places.setdefault(rec["statistic"], set()).add(column(rec))
    named = len({column(rec) for rec in shown}) > 1 and (
        grid.groups_as_rows or any(len(cols) > 1 for cols in places.values()))
    mixed = len({rec["verdict"] for rec in checks}) > 1
    entries = []
    for rec in shown:
        text = record_text(rec, lang)
        if named and column(rec) and not text.startswith(f"{column(rec)} "):  # not "n: n = 158"
            text = t("tables.recomputed.in_column", lang, column=column(rec), value=text)
        if mixed and rec["verdict"] != "reproduced":
            text = t("tables.recomputed.verdict", lang, value=text,
                     verdict=t(f"audit.verdict.{rec['verdict']}", lang))
        entries.append(text)
    return "; ".join(entries)


def build_table(name: str, data: pd.DataFrame, *, lang: str, audit: pd.DataFrame | None,
                markup: bool = True, layout: str = "") -> PaperTable:
    """Lay out raw rows of one paper table as printed and join the audit.

    Parameters
    ----------
    name : str
        The declared file (``table1``).
    data : DataFrame
        :func:`analysis.dataset.load_table` output for ``name`` in ``lang``.
    lang : {"en", "zh"}
    audit : DataFrame or None
        The audit's ``to_frame()`` (columns ``source, item, level, arm, quantity,
        recomputed, verdict``); None while the audit is pending.
    markup : bool
        Superscript letters as Markdown ``^ab^`` (book) or plain ``" ab"`` (CSV).
    layout : {"items_as_rows", "arms_as_rows", "times_as_rows", ""}
        As the declaration's ``[tables.<name>] layout`` says; ``""``: as the rows' shape
        arrange them (:func:`.as_printed.as_printed`), never as the file's name.
    """
    if layout not in ("", *_LAYOUT):
        raise ValueError(f"layout must be one of {', '.join(_LAYOUT)} or empty, got {layout!r}")
    check_lang(lang)
    if layout:
        frame, keys = _LAYOUT[layout](data, name, lang, markup)
        grid = None
    else:
        grid = as_printed(data, lang, markup)
        frame, keys = grid.frame, grid.row_keys
    frame = frame.map(lambda v: _escape(v, markup))
    frame.columns = [_escape(c, markup) for c in frame.columns]
    if markup:  # a header row (a marker, "Complications") is set in bold
        first = frame.columns[0]
        heads = [not key and not any(frame.iloc[i, 1:]) for i, key in enumerate(keys)]
        frame.loc[heads, first] = [f"**{v}**" for v in frame.loc[heads, first]]
    checks, verdicts = _audit_columns(keys, audit)
    pending = t("tables.audit_pending", lang)
    frame[t("tables.column.recomputed", lang)] = [
        (pending if key else "") if audit is None
        else _recomputed_cell(row, key, grid, lang) for key, row in zip(keys, checks)]
    frame[t("tables.column.verdict", lang)] = [
        (pending if key else "") if audit is None else t(f"audit.verdict.{v}", lang) if v else ""
        for key, v in zip(keys, verdicts)]
    return PaperTable(name=name, lang=lang, frame=frame, row_keys=tuple(frozenset(k) for k in keys),
                      verdicts=tuple(verdicts), audited=audit is not None)



def paper_table(name: str, lang: str | None = None, *, data_dir=None, audit=...,
                markup: bool = True) -> PaperTable:
    """Load, lay out and audit one paper table (default language: the current edition)."""
    from ..i18n import current_lang

    lang = check_lang(lang or current_lang())
    if audit is ...:
        audit = audit_frame(lang, data_dir=data_dir)
    return build_table(name, load_table(name, lang, data_dir=data_dir), lang=lang,
                       audit=audit, markup=markup, layout=declaration(data_dir).table(name).layout)

