"""The audit's checks for a reader: verdict marks, check lists, the summary's lists.

A table's check list opens with its discrepant checks, each in plain words first (what
was printed, what the printed inputs allow, why it matters) and the technical notes
after; then what could not be checked, grouped by reason; then the reproduced checks
as one compact table whose notes are numbered and printed once below it, inside a
callout that is collapsed in HTML and shown in the PDF.
"""

from __future__ import annotations

from functools import reduce

import pandas as pd

from ..audit import AuditReport
from ..audit.context import load_context
from ..dataset import declaration
from ..i18n import check_lang, t
from .data_tables import SURVIVAL_ITEMS
from .labels import LABELS, PAPER_TABLES
from .markdown import cell_text, markdown, prose_text
from .readers import reader_findings
from .recomputed import record_text

__all__ = ["CHECK_KINDS", "MARKS", "VERDICTS", "worst", "verdict_mark", "legend",
           "check_section", "flagged_list", "unchecked_list", "unchecked_values"]


# Most to least reassuring; a row of a rebuilt table shows its least reassuring check.
_VERDICT_ORDER = ("reproduced", "not_checkable", "discrepant")
# The order a reader meets them in a check list.
VERDICTS = ("discrepant", "not_checkable", "reproduced")
# One mark per verdict, told apart by shape, not colour alone (the HTML colours them too);
# glyphs that Noto Sans CJK SC carries, so the PDFs of both editions show them.
MARKS = {"reproduced": "✓", "discrepant": "≠", "not_checkable": "?"}


def worst(verdicts) -> str:
    """The least reassuring of ``verdicts`` (raw keys)."""
    return max(verdicts, key=_VERDICT_ORDER.index)


def verdict_mark(verdict: str, lang: str, *, markup: bool = True) -> str:
    """The mark of ``verdict``; with ``markup`` a Pandoc span the book's CSS colours,
    whose title names the verdict (a tooltip, and what a screen reader says)."""
    if not markup:
        return MARKS[verdict]
    return (f'[{MARKS[verdict]}]{{.verdict .{verdict.replace("_", "-")} '
            f'title="{t(f"audit.verdict.{verdict}", lang)}"}}')


def legend(lang: str) -> str:
    """The line under a rebuilt table that says what its marks mean."""
    marks = t("tables.legend.join", lang).join(
        f"{verdict_mark(v, lang)} {t(f'audit.verdict.{v}', lang)}" for v in _VERDICT_ORDER)
    return t("tables.legend.text", lang, marks=marks)


# Families of checks a chapter lists on their own, by the audit's method keys
# (catalog section ``audit.method``): Carlisle's test of the baseline P values as a set,
# and the repeated-measures ANOVA F values with their P values.
CHECK_KINDS = {
    "balance": ("stouffer",),
    "anova": ("split_plot_univariate", "split_plot_multivariate", "f_sphericity",
              "f_multivariate", "f_epsilon_corrected"),
}



def _checks(name: str, audit: pd.DataFrame, kind: str | None) -> pd.DataFrame:
    if kind is not None and kind not in CHECK_KINDS:
        raise ValueError(f"kind must be one of {tuple(CHECK_KINDS)}, got {kind!r}")
    rows = audit[audit["check"].astype(str).str.startswith(f"{name}.")]
    if kind is not None:
        rows = rows[rows["method"].isin(CHECK_KINDS[kind])]
    return rows.drop_duplicates("check")


def _by_reason(recs: list[dict]) -> dict[str, list[dict]]:
    """Checks grouped by their notes joined (their shared reason), in first-seen order."""
    groups: dict[str, list[dict]] = {}
    for rec in recs:
        groups.setdefault(" ".join(rec["notes"]), []).append(rec)
    return groups


def _sentences(texts, lang: str) -> str:
    """Sentences run on as the language writes them (a space after a full stop in English)."""
    return reduce(lambda a, b: t("checks.sentences", lang, first=a, second=b), texts)


def _numbered(notes_per_check: list[list[str]]) -> tuple[list[str], list[str]]:
    """Each distinct note once, numbered in order of first use, and per check its numbers."""
    order: dict[str, int] = {}
    refs = []
    for notes in notes_per_check:
        refs.append(", ".join(str(order.setdefault(n, len(order) + 1)) for n in notes))
    return list(order), refs


def _told(report: AuditReport, data_dir) -> dict:
    """Each discrepant check told for readers (:func:`.readers.reader_findings`),
    by check id."""
    told = {f.check: f for f in reader_findings(report, data_dir=data_dir)}
    # a P that follows its misprinted statistic is told in the statistic's finding
    told |= {c.id: told[c.knock_on_of] for c in report.checks if c.knock_on_of in told}
    return told


def check_section(name: str, report: AuditReport | None, lang: str, *,
                  kind: str | None = None, data_dir=None) -> str:
    """The check list of one paper table (or one family of its checks) as Markdown.

    Parameters
    ----------
    name : {"table1", "table2", "table3", "table4"}
    report : AuditReport or None
        The audit of ``lang``'s version; ``book.pending.audit`` while None.
    lang : {"en", "zh"}
    kind : {"balance", "anova"}, optional
        Only the checks of one family (:data:`CHECK_KINDS`).
    data_dir : path, optional
        The paper's raw-data folder (default: this paper's ``data/raw``).
    """
    check_lang(lang)
    if report is None:
        return t("book.pending.audit", lang)
    rows = _checks(name, report.to_frame(), kind)
    if rows.empty:
        return t("book.no_checks", lang)
    out = []
    for verdict in VERDICTS:
        recs = rows[rows["verdict"] == verdict].to_dict("records")
        if not recs:
            continue
        heading = t("checks.heading", lang, mark=verdict_mark(verdict, lang),
                    verdict=t(f"audit.verdict.{verdict}", lang), n=len(recs))
        if verdict == "discrepant":
            out.append(f"**{heading}**\n")
            told = _told(report, data_dir)
            for rec in recs:
                f = told[rec["check"]]
                detail = t("checks.detail", lang, check=rec["check"],
                           method=t(f"audit.method.{rec['method'] or 'none'}", lang),
                           recomputed=prose_text(record_text(rec, lang)))
                out.append(f"- **{prose_text(f.title)}** {prose_text(f.sentence)} "
                           f"{prose_text(f.why)}\n\n"
                           f"  {detail} {prose_text(_sentences(rec['notes'], lang))}\n")
        elif verdict == "not_checkable":
            out.append(f"**{heading}**\n")
            for reason, group in _by_reason(recs).items():
                printed = t("checks.join", lang).join(
                    f"{_where(r, lang, data_dir)} {prose_text(r['reported'] or '—')}" for r in group)
                out.append(f"- {prose_text(reason)} ({printed})\n")
        else:
            out.append(_reproduced(recs, heading, lang))
    return "\n".join(out)


def _reproduced(recs: list[dict], heading: str, lang: str) -> str:
    """The reproduced checks: one compact table, notes numbered and printed once below.

    HTML gets it in a collapsed callout. Typst cannot break a callout across pages (a
    long one ran off the page), so the PDF gets the heading, table and notes as they
    are, with long ids and values breakable.
    """
    notes, refs = _numbered([list(r["notes"]) for r in recs])

    def table(pdf: bool) -> str:
        # U+200B after each dot of an id and each slash of a value: a line-break
        # opportunity that Typst honours (an unbroken "199.966/2013.843/24.742" ran
        # into the next column).
        def cut(text: str, at: str) -> str:
            return text.replace(at, at + chr(0x200B)) if pdf else text

        frame = pd.DataFrame({
            t("audit.column.id", lang): [f"`{cut(r['check'], '.')}`" for r in recs],
            t("audit.column.reported", lang): [cut(cell_text(r["reported"] or "—"), "/") for r in recs],
            t("tables.column.recomputed", lang): [cut(cell_text(record_text(r, lang)), "/")
                                                  for r in recs],
            t("audit.column.method", lang): [t(f"audit.method.{r['method'] or 'none'}", lang)
                                             for r in recs],
            t("checks.note_numbers", lang): refs,
        }, dtype=object)
        listed = "".join(f"{i}. {prose_text(n)}\n" for i, n in enumerate(notes, 1))
        return (f"{markdown(frame, widths=(31, 15, 24, 22, 8))}\n\n"
                + (f"{t('checks.notes_below', lang)}\n\n{listed}" if notes else ""))

    return ('::: {.content-visible when-format="html"}\n'
            f'::: {{.callout-note collapse="true" icon="false"}}\n## {heading}\n\n'
            f"{table(pdf=False)}:::\n:::\n\n"
            '::: {.content-visible unless-format="html"}\n'
            f"**{heading}**\n\n{table(pdf=True)}:::\n")


def _where(rec: dict, lang: str, data_dir=None) -> str:
    """Where the paper prints the checked value, in the edition's language (the name the
    declaration gives it, else the catalog's)."""
    source = str(rec["source"])
    return declaration(data_dir).source_name(source, lang) or t(f"source.{source}", lang)


def _reference(rec: dict) -> str:
    """The cross-reference where the book shows the value a check judges."""
    source = str(rec["source"])
    if source in PAPER_TABLES:
        return f"@{LABELS[source]}"
    if source == "sec2.3":
        return f"@{LABELS['survival_printed']}"
    return "@sec-survival" if rec["item"] in SURVIVAL_ITEMS else "@sec-data"


def flagged_list(report: AuditReport, lang: str, *, verdict: str, data_dir=None) -> str:
    """The summary's list of the checks with one verdict, each with a cross-reference.

    Discrepant checks: one item each, in plain words
    (:func:`.readers.reader_findings`) with the check id. Other verdicts: one item per reason (the checks' shared notes),
    saying how many printed values it covers and where they are printed.
    ``book.findings.none`` when there is none.

    Parameters
    ----------
    report : AuditReport
        The audit of ``lang``'s version.
    lang : {"en", "zh"}
    verdict : {"discrepant", "not_checkable", "reproduced"}
    """
    check_lang(lang)
    if verdict not in _VERDICT_ORDER:
        raise ValueError(f"verdict must be one of {_VERDICT_ORDER}, got {verdict!r}")
    audit = report.to_frame()
    rows = audit[audit["verdict"] == verdict].drop_duplicates("check").to_dict("records")
    if not rows:
        return t("book.findings.none", lang)
    if verdict == "discrepant":
        told = _told(report, data_dir)
        knock_ons = {c.id for c in report.checks if c.knock_on_of in told}
        items = [t("book.findings.item", lang, sentence=prose_text(told[r["check"]].sentence),
                   check=r["check"], ref=_reference(r)) for r in rows if r["check"] not in knock_ons]
    else:
        groups = _by_reason(rows)
        join = t("book.findings.join", lang)
        items = [t("book.findings.item_group", lang, reason=prose_text(reason), n=len(group),
                   where=join.join(dict.fromkeys(_where(r, lang, data_dir) for r in group)),
                   refs=join.join(dict.fromkeys(_reference(r) for r in group)))
                 for reason, group in groups.items()]
    return "\n".join(f"- {item.rstrip()}" for item in items) + "\n"


def unchecked_values(lang: str, *, data_dir=None) -> dict[str, list[str]]:
    """The printed values of ``lang``'s version that the declaration leaves unchecked, by
    reason: ``{reason: ["“row” (column): value", ...]}`` (printed row, column and value,
    never keys; the other version's values and empty cells are not counted)."""
    check_lang(lang)
    unchecked = declaration(data_dir).unchecked
    if not unchecked:
        return {}
    ctx = load_context(lang, data_dir=data_dir)
    by_reason: dict[str, list[str]] = {}
    for u in unchecked:
        row = ctx.printed_row(u.key)
        if row is None or not str(row["value"]).strip():   # the other version's, or no value printed
            continue
        where = t("readers.appendix.unchecked_where", lang, row=prose_text(str(row["row_label"])),
                  column=prose_text(str(row["column_label"]))) if row["column_label"] else \
            f"“{prose_text(str(row['row_label']))}”"
        by_reason.setdefault(u.reason, []).append(f"{where}: {prose_text(str(row['value']))}")
    return by_reason


def unchecked_list(lang: str, *, data_dir=None) -> str:
    """What the declaration leaves unchecked, for readers: each reason once, then the printed
    values it covers by their printed row (and column) and value, never by their keys;
    ``""`` when nothing is left unchecked."""
    return "".join(f"- {prose_text(reason)} ({len(values)}): " + "; ".join(values) + "\n"
                   for reason, values in unchecked_values(lang, data_dir=data_dir).items())
