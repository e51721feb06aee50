"""Each discrepant check told so that a clinician understands it: a plain sentence with the
printed and the recomputed numbers, for the handout, the appendix and the book.

Every sentence comes from the catalog section ``[readers]`` (``[readers.kind]``: one per
family of checks) with its numbers filled in by code: the printed ones as printed, the
others from the audit's checks (:func:`analysis.audit.run_audit`; a check's ``recomputed``
and ``bounds``). Nothing is recomputed here, and none is typed by hand.
"""

from __future__ import annotations

import re

import math
from dataclasses import dataclass, replace

from ..audit import AuditReport
from ..audit.context import load_context
from ..audit.model import Check
from ..i18n import t
from ..printed import parse_printed
from ..shown import printed_value
from .recomputed import recomputed_text

__all__ = ["ReaderFinding", "printed_label", "reader_findings"]


@dataclass(frozen=True)
class ReaderFinding:
    """One discrepant check, told so that a journal club can discuss it.

    Attributes
    ----------
    check : str
        The audit check's id (``table3.afu.time.F``), for the technical detail.
    source : str
        Where the number is printed, as readers see it (``Table 3``).
    where : str
        Where and what (``Table 3, AFU``).
    title : str
        A heading: where, what and the printed number (``Table 3, AFU: F = 48.408 for time``).
    printed : str
        The printed number(s) the finding is about (``F = 48.408``).
    allowed : str
        What the printed inputs allow instead (``F ≥ 69.9 …``).
    sentence : str
        The finding in one plain sentence with its numbers; it contains ``printed``'s
        numbers as printed.
    method : str
        How the allowed values were obtained, in plain words.
    why : str
        Why the discrepancy matters.
    detail : tuple of str
        The audit's technical notes.
    """

    check: str
    source: str
    where: str
    title: str
    printed: str
    allowed: str
    sentence: str
    method: str
    why: str
    detail: tuple[str, ...]


def _effect_of(check: Check) -> str:
    """The ANOVA effect an F check judges (``level`` of its one covered key)."""
    return check.covers[0].split("/")[2]


def _fmt(x: float, decimals: int) -> str:
    return "∞" if math.isinf(x) else f"{x:.{decimals}f}"


def _single_f(check: Check, ctx, lang: str) -> ReaderFinding:
    """A printed F that no data with the printed means and SDs give."""
    effect = _effect_of(check)
    bounds = dict(check.bounds)
    f = parse_printed(check.reported)
    lo, hi = bounds["f_allowed"]
    small = f.interval[1] < lo
    if not small and not f.interval[0] > hi:
        # Inside the range: judged discrepant for a reason this sentence cannot tell,
        # so say it as the audit does.
        return _other(check, ctx, lang)
    fields = dict(source=check.source, marker=t(f"readers.marker.{check.item}", lang),
                  effect=t(f"readers.effect.{effect}", lang,
                           marker=t(f"readers.marker.{check.item}", lang)),
                  f=f.text, bound=_fmt(lo if small else hi, 1))
    key = "readers.f_small" if small else "readers.f_large"
    allowed = t("readers.allowed.f_min" if small else "readers.allowed.f_max", lang,
                bound=fields["bound"])
    sentence = t(key, lang, **fields)
    # The multivariate tests searched in vain (the group F is the same in SPSS's univariate
    # and multivariate tables: never searched).
    mlo, mhi = bounds.get("f_multivariate", (math.nan, math.nan))
    if small and math.isfinite(mlo):
        sentence += t("readers.f_small_multivariate", lang, bound=_fmt(mlo, 1))
        allowed += t("readers.allowed.multivariate_min", lang, bound=_fmt(mlo, 1))
    elif not small and math.isfinite(mhi):
        sentence += t("readers.f_large_multivariate", lang, bound=_fmt(mhi, 1))
        allowed += t("readers.allowed.multivariate_max", lang, bound=_fmt(mhi, 1))
    title = t("readers.title.f", lang, source=check.source, marker=fields["marker"], f=f.text,
              effect=t(f"readers.effect_short.{effect}", lang))
    return ReaderFinding(check=check.id, source=check.source,
                         where=t("readers.where", lang, source=check.source, marker=fields["marker"]),
                         title=title, printed=f"F = {f.text}",
                         allowed=allowed, sentence=sentence + t("readers.end", lang),
                         method=t("readers.method.f", lang),
                         why=t("readers.why.f", lang, **fields), detail=check.notes)


def _f_ratio(check: Check, ctx, lang: str) -> ReaderFinding:
    """Printed F for time and interaction whose ratio the printed means rule out."""
    _, ft, fi = (parse_printed(text) for text in check.reported.split("/"))  # group/time/interaction
    lo, hi = check.recomputed
    marker = t(f"readers.marker.{check.item}", lang)
    fields = dict(source=check.source, marker=marker, f_time=ft.text, f_int=fi.text,
                  lo=f"{lo:.2f}", hi=f"{hi:.2f}", ratio=f"{ft.value / fi.value:.2f}")
    sentence = t("readers.ratio", lang, **fields)
    # The multivariate tests give the three F values, but their df not the printed P.
    for name, (p_lo, _) in check.bounds:
        effect = name.removeprefix("p_multivariate.")
        printed = ctx.value(check.origin, item=check.item, level=effect, quantity="p")
        sentence += t("readers.ratio_multivariate", lang, effect=t(
            f"readers.effect_short.{effect}", lang), p=f"{p_lo:.3f}", printed=printed.text)
    return ReaderFinding(
        check=check.id, source=check.source,
        where=t("readers.where", lang, source=check.source, marker=marker),
        title=t("readers.title.ratio", lang, source=check.source, marker=marker),
        printed=t("readers.printed.ratio", lang, f_time=ft.text, f_int=fi.text,
                  ratio=fields["ratio"]),
        allowed=t("readers.allowed.ratio", lang, lo=fields["lo"], hi=fields["hi"]),
        sentence=sentence + t("readers.end", lang), method=t("readers.method.ratio", lang),
        why=t("readers.why.ratio", lang, marker=marker), detail=check.notes)


# Which plain-language sentence tells a discrepant check, by the method that judged it.
_KIND = {"student_t": "t", "welch_t": "t", "sign": "sign",
         "pearson_chi2": "counts", "yates_chi2": "counts", "lr_chi2": "counts", "fisher_exact": "counts",
         "linear_by_linear": "counts", "rank_sum_z": "counts",
         "percent_of_count": "percent", "sum_of_parts": "parts", "group_sizes": "group_size",
         "chi2_1df": "p_of_statistic", "z_two_sided": "p_of_statistic", "f_sphericity": "p_of_statistic",
         "f_multivariate": "p_of_statistic", "f_epsilon_corrected": "p_of_statistic",
         "ratio_p_from_ci": "ratio_p", "ratio_ci_log": "ratio_ci", "grim": "grim", "grimmer": "grim",
         "two_proportion_n": "sample_size", "sample_size_two_proportions": "sample_size",
         "sample_size_two_means": "sample_size", "normal_quantile": "sample_size",
         "dropout_arithmetic": "dropout", "paired_t_min_r": "letters", "repeat": "repeat", "claim": "claim"}


# A row label that only names a test ("χ2", "t value", "P值", "t/χ² value"): not the item's name
_STAT = r"(?:[tzfpuh]|χ[2²]|x2)"
_TEST_ROW = re.compile(rf"\s*{_STAT}(?:\s*/\s*{_STAT})*\s*(?:-?values?|值)?\s*$", re.I)


def printed_label(keys, tables, *, width: int = 80) -> str | None:
    """The printed label of the first of ``keys`` (``[source, item, level, arm, quantity]``) any
    of ``tables`` holds: the value's own row first (a sentence transcribed once per value prints
    a misprint only in that value's row), else the first row of its item; cut to ``width``
    characters. ``None``: no table holds one."""
    columns = ["source", "item", "level", "arm", "quantity"]
    for size in (5, 2):
        # the checked values first, then what it reads (a group size printed in another table)
        for key in keys:
            for df in tables:
                if not len(df):
                    continue
                rows = df[(df[columns[:size]] == key[:size]).all(axis=1)]
                if len(rows):
                    row = rows.iloc[0]
                    label = str(row["row_label"])
                    # a table with the groups as rows prints an item in a column ("Pain score")
                    # and its test in a row ("t value"): the item is named by the column
                    same_item = df[(df["source"] == row["source"]) & (df["item"] == row["item"]) & (df["arm"] != "")]
                    if not row["arm"] and len(same_item) and row["column_label"] \
                            and set(same_item["column_label"]) == {row["column_label"]}:
                        label = str(row["column_label"])
                    elif not row["arm"] and len(same_item) and _TEST_ROW.match(label):
                        # a test printed in a row of its own under the item ("χ2 | 7.962" under
                        # "Total complications"): the item is named by its own row
                        label = str(same_item["row_label"].iloc[0])
                    return label if len(label) <= width else label[:width - 3].rstrip() + "…"
    return None


def _what(check: Check, ctx, lang: str) -> str:
    """The printed label of the checked row (a table row's label, or the phrase a text value
    was printed in), so that no key reaches the reader (:func:`printed_label`)."""
    keys = [k.split("/") for k in check.covers + check.inputs]
    if not check.covers and len(check.inputs) > 1:
        # a statement over many rows ("P>0.05" of a baseline table) is about all of them, not
        # about the first one
        sources = list(dict.fromkeys(k[0] for k in keys))
        names = [ctx.declaration.source_name(s, lang) or t(f"source.{s}", lang) for s in sources]
        return t("readers.kind.rows_of", lang, n=len(keys), sources=", ".join(names))
    return printed_label(keys, ctx.tables.values()) or t("readers.kind.this_value", lang)


def _arm_row(check: Check, ctx) -> tuple[str, str] | None:
    """``(row, column)`` as printed when the checked value is a group's in a table with the
    groups as rows ("Control (n=154)" | "death"): its row names the group, not what the value
    is, so a sentence names both. ``None`` for any other value."""
    if len(check.covers) != 1:
        return None
    source, item, level, arm, _ = check.covers[0].split("/")
    if not arm or not level:
        return None
    for df in ctx.tables.values():
        rows = df[(df["source"] == source) & (df["item"] == item) & (df["arm"] == arm)]
        here = rows[rows["level"] == level]
        if len(here) and here["column_label"].iloc[0] and \
                (rows["row_label"] == here["row_label"].iloc[0]).sum() > len(here):
            return str(here["row_label"].iloc[0]), str(here["column_label"].iloc[0])
    return None


def _other(check: Check, ctx, lang: str) -> ReaderFinding:
    """Any other discrepant check: a sentence for its family, with the printed and the
    recomputed numbers."""
    rec = check.as_json()["recomputed"]
    recomputed = recomputed_text(rec, reported=check.reported, quantity=check.quantity,
                                 recomputed_as=check.recomputed_as, lang=lang)
    if check.quantity == "percent" and recomputed not in ("—", "") and not recomputed.endswith("%"):
        recomputed += "%"                    # "48%", not a bare "48" beside a printed "84%"
    printed = printed_value(check.reported, check.quantity)
    allowed = (t("readers.allowed_none_gives", lang, printed=printed, recomputed=recomputed)
               if _range_holds_printed(check) else recomputed)
    where = check.source                     # the check carries the source's printed name
    kind = _KIND.get(check.method, "other")
    arm_row = _arm_row(check, ctx)
    fields = dict(source=t("readers.kind.in_row", lang, source=where, row=arm_row[0]) if arm_row else where,
                  printed=printed, recomputed=recomputed,
                  what=arm_row[1] if arm_row else _what(check, ctx, lang),
                  method=t(f"audit.method.{check.method or 'none'}", lang))
    return ReaderFinding(
        check=check.id, source=check.source, where=where,
        title=t("readers.title.other", lang, source=where, printed=printed),
        printed=printed, allowed=allowed,
        sentence=t(f"readers.kind.{kind}", lang, **fields),
        method=t("readers.method.other", lang), why=t(_why_key(check, kind, ctx), lang, **fields),
        detail=check.notes)


def _range_holds_printed(check: Check) -> bool:
    """Whether a discrepant check's recomputed range holds its printed value: the range
    then spans separate values of several ways of computing it (a sample size's 110 to 132,
    none of them 106), and shown alone it would read as if it allowed the printed value."""
    if not isinstance(check.recomputed, tuple) or check.recomputed_as:
        return False
    try:
        printed = parse_printed(check.reported)
    except ValueError:
        return False
    return printed.relation == "=" and min(check.recomputed) <= printed.value <= max(check.recomputed)


def _why_key(check: Check, kind: str, ctx) -> str:
    """Why a discrepancy matters depends on what it contradicts (its family, ``kind``); a test
    of a baseline row is the paper's evidence that the arms were balanced, not of an effect."""
    if kind in ("t", "counts") and any(a.baseline and a.source == check.origin and a.item == check.item
                                       for a in ctx.declaration.analyses):
        return f"readers.why.{kind}_baseline"
    return f"readers.why.{kind}"


def reader_findings(report: AuditReport, *, data_dir=None) -> tuple[ReaderFinding, ...]:
    """Every discrepant check of ``report`` told for readers, in audit order.

    A repeated-measures F that the printed means and SDs cannot give is told with the
    range they allow and the multivariate tests' bound (the check's ``bounds``); a pair of F
    values whose ratio the printed means fix is told with that ratio; any other
    discrepancy in its family's sentence (catalog ``[readers.kind]``: a t, a count test, a
    percentage, a P and its statistic, a ratio and its CI, a sample size...) with the audit's
    recomputed value (:func:`analysis.present.recomputed_text`).
    Every number is printed or the audit's; the data are read only for printed labels and
    values.
    """
    lang = report.lang
    ctx = None
    out = []
    discrepant = {c.id for c in report.checks if c.verdict == "discrepant"}
    # a P that follows its misprinted statistic is told in that statistic's finding, once
    knock_ons = {}
    for check in report.checks:
        if check.verdict == "discrepant" and check.knock_on_of in discrepant:
            knock_ons.setdefault(check.knock_on_of, []).append(check)
    for check in report.checks:
        if check.verdict != "discrepant" or check.knock_on_of in discrepant:
            continue
        ctx = ctx or load_context(lang, data_dir=data_dir)
        if check.recomputed_as in ("r_implied", "f_ratio"):
            finding = (_single_f(check, ctx, lang) if check.recomputed_as == "r_implied"
                       else _f_ratio(check, ctx, lang))
        else:
            finding = _other(check, ctx, lang)
        if check.id in knock_ons:
            # a P that follows the misprinted statistic, a P that its interval gives (the ratio is
            # misprinted), or a right total its misprinted arm breaks
            ratio_p = [k for k in knock_ons[check.id] if k.method == "ratio_p_from_ci"]
            totals = [k for k in knock_ons[check.id] if k.quantity == "n"]
            for kind, group in (("knock_on", [k for k in knock_ons[check.id] if k not in ratio_p + totals]),
                                ("knock_on_ratio_p", ratio_p), ("knock_on_total", totals)):
                if group:
                    # two sentences joined as the language joins them (no space in Chinese)
                    finding = replace(finding, sentence=t("checks.sentences", lang, first=finding.sentence,
                                                          second=t(f"readers.{kind}", lang, printed=", ".join(
                                                              k.reported for k in group))))
        out.append(finding)
    return tuple(out)
