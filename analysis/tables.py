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

import math
from dataclasses import dataclass

import pandas as pd

from .dataset import TABLES, load_discrepancies, load_table
from .i18n import check_lang, t
from .printed import parse_printed

__all__ = ["PAPER_TABLES", "LABELS", "CHECK_KINDS", "PaperTable", "build_table", "paper_table",
           "audit_frame", "recomputed_text", "check_list", "table_checks", "flagged_list",
           "discrepancy_table",
           "digitized_table", "survival_printed_table", "markdown"]

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


def audit_frame(lang: str, *, data_dir=None) -> pd.DataFrame:
    """The audit's checks of ``lang``'s version, one row per printed value judged
    (:meth:`analysis.audit.AuditReport.to_frame`)."""
    from .audit import run_audit

    return run_audit(lang, data_dir=data_dir).to_frame()


# How a statistic is named in front of its recomputed value (percentages go unnamed:
# the column they sit in says what they are).
_SYMBOL = {"chi2": "χ²", "percent": ""}


def _fixed(x: float, decimals: int) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:.{decimals}f}"
    return "0" if decimals == 0 and text == "-0" else text


def _p(x: float, decimals: int) -> str:
    """A P value as papers print it: below the last printed digit it is ``<0.001``."""
    floor = 10.0 ** -decimals
    return f"<{floor:.{decimals}f}" if x < floor else _fixed(x, decimals)


def recomputed_text(recomputed, *, reported: str = "", quantity: str = "",
                    recomputed_as: str = "", lang: str) -> str:
    """A check's recomputed value for a reader, at the precision the paper prints.

    Parameters
    ----------
    recomputed : float, [low, high] or None
        As the audit's ``to_frame()``/JSON gives it; a range is what the rounding
        intervals of the printed inputs allow.
    reported : str
        The printed value; its decimals set the recomputed value's (a printed
        ``0.223`` shows ``0.206 to 0.242``), so a reader sees whether it rounds to print.
    quantity : str
        The check's statistic (``t``, ``P``, ``chi2``, ...), shown before the value.
    recomputed_as : str
        What the number is when it is not the printed quantity (``p``,
        ``r_threshold``, ``r_implied``, ``f_ratio``); it is then named by the catalog
        and shown to 3 decimals (P values, correlations) or 2 (F ratios).
    lang : {"en", "zh"}

    Returns
    -------
    str
        e.g. ``"t = 0.206 to 0.242"``, ``"P <0.001"``, ``"implied r = -0.971 to -0.956"``,
        or ``"—"`` when nothing was recomputed.
    """
    check_lang(lang)
    if recomputed is None or (isinstance(recomputed, float) and math.isnan(recomputed)):
        return "—"
    lo, hi = (float(v) for v in recomputed) if isinstance(recomputed, (list, tuple)) \
        else (float(recomputed),) * 2
    try:
        printed = parse_printed(reported)
    except ValueError:  # letters, dates, "P>0.05": no printed precision to follow
        printed = None
    if recomputed_as in ("p", "r_threshold", "r_implied") or (printed is None and not recomputed_as):
        decimals = 3
    elif recomputed_as == "f_ratio":
        decimals = 2
    else:
        decimals = printed.decimals
    is_p = recomputed_as == "p" or (not recomputed_as and quantity == "P")
    a, b = ((_p(lo, decimals), _p(hi, decimals)) if is_p
            else (_fixed(lo, decimals), _fixed(hi, decimals)))
    value = a if a == b else t("audit.range", lang, lo=a, hi=b)
    name = t(f"audit.recomputed_as.{recomputed_as}", lang) if recomputed_as \
        else _SYMBOL.get(quantity, quantity)
    if not name:
        return value
    return f"{name} {value}" if value.startswith("<") else f"{name} = {value}"


def _record_text(rec: dict, lang: str) -> str:
    return recomputed_text(rec["recomputed"], reported=str(rec["reported"]),
                           quantity=str(rec["statistic"]),
                           recomputed_as=str(rec.get("recomputed_as") or ""), lang=lang)


def _audit_columns(keys, audit: pd.DataFrame | None, lang: str):
    """Per row: the recomputed values and the least reassuring verdict of the row's checks.

    A check judging several values of one row (a joint ANOVA check covers three F
    values) is shown once; checks keep the audit's order.
    """
    if audit is None:
        pending = t("tables.audit_pending", lang)
        return ["" if not k else pending for k in keys], ["" if not k else pending for k in keys]
    index = {}
    for pos, rec in enumerate(audit.to_dict("records")):
        index.setdefault(tuple(str(rec[c]) for c in _KEY), []).append((pos, rec))
    recomputed, verdicts = [], []
    for key in keys:
        found = {rec["check"]: (pos, rec) for k in key for pos, rec in index.get(k, [])}
        checks = [rec for _, rec in sorted(found.values(), key=lambda pr: pr[0])]
        recomputed.append("; ".join(_record_text(rec, lang) for rec in checks
                                    if rec["recomputed"] is not None))
        verdicts.append(t(f"audit.verdict.{_worst(rec['verdict'] for rec in checks)}", lang)
                        if checks else "")
    return recomputed, verdicts


def _worst(verdicts) -> str:
    """The least reassuring of ``verdicts`` (raw keys, see :data:`_VERDICT_ORDER`)."""
    return max(verdicts, key=_VERDICT_ORDER.index)


# Most to least reassuring; the row shows its least reassuring check.
_VERDICT_ORDER = ("reproduced", "not_checkable", "discrepant")

# Families of checks a chapter lists on their own, by the audit's method keys
# (catalog section ``audit.method``): Carlisle's test of the baseline P values as a set,
# and the repeated-measures ANOVA F values with their P values.
CHECK_KINDS = {
    "balance": ("stouffer",),
    "anova": ("split_plot_univariate", "split_plot_multivariate", "f_sphericity",
              "f_multivariate", "f_epsilon_corrected"),
}


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


def check_list(name: str, audit: pd.DataFrame, lang: str, *, kind: str | None = None) -> pd.DataFrame:
    """The audit's checks of one paper table, one row per check, headers in ``lang``.

    Columns: check id, printed value, recomputed value (:func:`recomputed_text`),
    method, verdict and the check's notes (in ``lang``, from the catalog; a recorded
    English/Chinese difference quotes ``data/raw/discrepancies.csv``'s English note).
    A check belongs to ``name`` when its id starts with it: Carlisle's baseline test
    (``table1.baseline.balance``) is printed in section 1.3 but tests Table 1.

    Parameters
    ----------
    name : {"table1", "table2", "table3", "table4"}
    audit : DataFrame
        The audit's ``to_frame()`` for ``lang``.
    lang : {"en", "zh"}
    kind : {"balance", "anova"}, optional
        Only the checks of one family (:data:`CHECK_KINDS`).
    """
    check_lang(lang)
    if kind is not None and kind not in CHECK_KINDS:
        raise ValueError(f"kind must be one of {tuple(CHECK_KINDS)}, got {kind!r}")
    rows = audit[audit["check"].astype(str).str.startswith(f"{name}.")]
    if kind is not None:
        rows = rows[rows["method"].isin(CHECK_KINDS[kind])]
    rows = rows.drop_duplicates("check")
    return pd.DataFrame({
        t("audit.column.id", lang): rows["check"].tolist(),
        t("audit.column.reported", lang): [str(r) if r else "—" for r in rows["reported"]],
        t("tables.column.recomputed", lang): [_record_text(r, lang) for r in rows.to_dict("records")],
        t("audit.column.method", lang): [t(f"audit.method.{m or 'none'}", lang) for m in rows["method"]],
        t("tables.column.verdict", lang): [t(f"audit.verdict.{v}", lang) for v in rows["verdict"]],
        t("audit.column.notes", lang): [" ".join(n) for n in rows["notes"]],
    }, dtype=object)


def _markdown_cell(text: str) -> str:
    """Text inside a pipe-table cell: ``|`` would end the cell, ``*`` start emphasis."""
    return str(text).replace("|", "\\|").replace("*", "\\*")


def table_checks(name: str, audit: pd.DataFrame | None, lang: str, *, kind: str | None = None) -> str:
    """:func:`check_list` as a Markdown pipe table, or the catalog's note when there is none.

    The check id is set as code; ``"pending"`` while the audit is not available, and
    ``book.no_checks`` when the table has no check of ``kind``.
    """
    if audit is None:
        return t("book.pending.audit", lang)
    frame = check_list(name, audit, lang, kind=kind)
    if frame.empty:
        return t("book.no_checks", lang)
    frame = frame.map(_markdown_cell)
    first = frame.columns[0]
    frame[first] = [f"`{c}`" for c in frame[first]]
    return markdown(frame)


def _markdown_text(text: str) -> str:
    """Catalog or data text inside Markdown prose: ``*`` is not emphasis, ``@`` not a citation."""
    return str(text).replace("*", "\\*").replace("@", "\\@")


def _reference(rec: dict) -> str:
    """The cross-reference where the book shows the value a check judges."""
    source = str(rec["source"])
    if source in PAPER_TABLES:
        return f"@{LABELS[source]}"
    if source == "sec2.3":
        return f"@{LABELS['survival_printed']}"
    return "@sec-survival" if rec["item"] in _SURVIVAL_ITEMS else "@sec-data"


def flagged_list(audit: pd.DataFrame, lang: str, *, verdict: str) -> str:
    """The checks with one verdict as a Markdown list, each with a cross-reference.

    One item per check, in audit order: verdict, where it is printed, check id,
    printed value, recomputed value (when there is one, :func:`recomputed_text`),
    a reference to the table or section that shows it (``@tbl-…``/``@sec-…``) and
    the check's notes, which say why. Checks with nothing recomputed and the same
    notes (the survival numbers: "needs patient-level data") share one item, so the
    summary stays a page. ``book.findings.none`` when there is none.

    Parameters
    ----------
    audit : DataFrame
        The audit's ``to_frame()`` for ``lang``.
    lang : {"en", "zh"}
    verdict : {"discrepant", "not_checkable", "reproduced"}
    """
    check_lang(lang)
    if verdict not in _VERDICT_ORDER:
        raise ValueError(f"verdict must be one of {_VERDICT_ORDER}, got {verdict!r}")
    rows = audit[audit["verdict"] == verdict].drop_duplicates("check").to_dict("records")
    if not rows:
        return t("book.findings.none", lang)
    label = t(f"audit.verdict.{verdict}", lang)
    # Unrecomputed checks grouped by their notes, each group at its first check's place.
    groups: dict[str, list[dict]] = {}
    for rec in rows:
        if rec["recomputed"] is None:
            groups.setdefault(" ".join(rec["notes"]), []).append(rec)
    items = []
    for rec in rows:
        note = " ".join(rec["notes"])
        fields = dict(verdict=label, where=rec["where"], check=rec["check"],
                      printed=_markdown_text(rec["reported"] or "—"), ref=_reference(rec),
                      note=_markdown_text(note))
        if rec["recomputed"] is not None:
            items.append(t("book.findings.item", lang, recomputed=_record_text(rec, lang), **fields))
        elif len(groups[note]) == 1:
            items.append(t("book.findings.item_unchecked", lang, **fields))
        elif groups[note][0] is rec:
            group = groups[note]
            checks = [t("book.findings.group_member", lang, where=r["where"], check=r["check"],
                        printed=_markdown_text(r["reported"] or "—")) for r in group]
            refs = list(dict.fromkeys(_reference(r) for r in group))
            items.append(t("book.findings.item_group", lang, verdict=label, n=len(group),
                           checks=t("book.findings.join", lang).join(checks),
                           refs=t("book.findings.join", lang).join(refs), note=fields["note"]))
    return "\n".join(f"- {item.rstrip()}" for item in items) + "\n"


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
