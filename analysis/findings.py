"""The reanalysis told for readers: the study, the paper's claims, each discrepant check in
plain language, the headline bullets and the complete check list grouped by place.

Used by the journal-club handout (``handout.qmd``), the peer-review appendix
(``appendix.qmd``) and ``python -m analysis export`` (:func:`audit_checks_table`). Every
sentence comes from the catalog section ``[readers]`` with its numbers filled in by code:
from the digitized data (``data/raw``), the audit (:func:`analysis.audit.run_audit`) and the
functions it uses (:mod:`analysis.stats.rmanova`), the recorded en/zh differences and the
survival ensemble (:func:`analysis.ensemble.pipeline.load_or_build`); none is typed by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .audit import AuditReport, run_audit
from .audit.context import load_context
from .audit.model import Check
from .dataset import declaration, is_this_paper, load_all, load_discrepancies
from .i18n import check_lang, t
from .printed import Printed
from .stats.rmanova import SplitPlot, f_pvalue, multivariate_search, split_plot
from .stats.rounding import p_consistent
from .present import MARKS, markdown, recomputed_text
from .present.markdown import cell_text
from .present.paper import paper_text

__all__ = ["KeyFindings", "ReaderFinding", "CheckGroup", "key_findings",
           "reader_findings", "check_groups", "audit_checks_table"]

def _number(x) -> str:
    """A recomputed bound as the audit's JSON gives it (six significant digits; an
    infinite bound is already the string ``"inf"``/``"-inf"`` there)."""
    if x is None:
        return ""
    return x if isinstance(x, str) else f"{x:.6g}"


def audit_checks_table(report: AuditReport) -> pd.DataFrame:
    """Every check of ``report`` as text, headers and labels in the report's language.

    One row per check, in audit order: check id, where it is printed, item, statistic,
    the printed value, the recomputed value's low and high bound (equal when it is one
    number, empty when nothing could be recomputed), what the recomputed number is
    when it is not the printed quantity, the method, the verdict and the notes
    (one per line).
    """
    lang = report.lang
    rows = []
    for check in report.checks:
        rec = check.as_json()["recomputed"]
        low, high = (rec if isinstance(rec, list) else (rec, rec))
        rows.append({
            t("audit.column.id", lang): check.id,
            t("audit.column.source", lang): check.source,
            t("audit.column.item", lang): check.item,
            t("audit.column.quantity", lang): check.quantity,
            t("audit.column.reported", lang): check.reported,
            t("findings.column.recomputed_low", lang): _number(low),
            t("findings.column.recomputed_high", lang): _number(high),
            t("findings.column.recomputed_as", lang): (
                t(f"audit.recomputed_as.{check.recomputed_as}", lang) if check.recomputed_as else ""),
            t("audit.column.method", lang): t(f"audit.method.{check.method or 'none'}", lang),
            t("audit.column.verdict", lang): t(f"audit.verdict.{check.verdict}", lang),
            t("audit.column.notes", lang): "\n".join(check.notes),
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class KeyFindings:
    """The headline numbers of the reanalysis for one edition, phrased for readers.

    Attributes
    ----------
    lang : str
    study : str
        The trial in one paragraph, as declared (``[paper]``, :func:`analysis.present.paper.paper_text`).
    claims : tuple of str
        What the paper claims, as declared, each marked when it rests on a discrepant number.
    questions : tuple of str
        The questions for discussion, as declared (else the catalog's generic ones).
    counts : tuple of (str, int)
        Checks per verdict, ``(verdict, n)`` in :data:`analysis.audit.VERDICTS` order.
    findings : tuple of ReaderFinding
        Every discrepant check told for readers (:func:`reader_findings`).
    n_not_checkable_survival : int
        Not-checkable checks that need patient-level survival data (0 without an ensemble).
    n_differences, n_value_differences : int
        Recorded differences between the English and Chinese versions, and how many
        change a printed value.
    draws : int
        Data sets in the survival ensemble, each meeting every printed survival number
        (0: the paper has none).
    hazard_ratios : tuple of (str, float, float)
        ``(endpoint, p05, p95)`` of the ensemble's hazard ratio, first arm vs second.
    bullets : tuple of str
        What the reanalysis found, one plain sentence each, in ``lang``: the counts,
        one per discrepant check, the survival numbers (with an ensemble), the two
        versions (for a bilingual paper).
    """

    lang: str
    study: str
    claims: tuple[str, ...]
    questions: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]
    findings: tuple["ReaderFinding", ...]
    n_not_checkable_survival: int
    n_differences: int
    n_value_differences: int
    draws: int
    hazard_ratios: tuple[tuple[str, float, float], ...]
    bullets: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    def to_frame(self) -> pd.DataFrame:
        """One row per bullet (column ``finding``)."""
        return pd.DataFrame({"finding": list(self.bullets)})

    def to_markdown(self) -> str:
        """The bullets as a Markdown list."""
        return _bullets(self.bullets)


def _bullets(items) -> str:
    return "".join(f"- {item}\n" for item in items)


def key_findings(lang: str, *, data_dir=None, report: AuditReport | None = None,
                 ensemble: dict | None = None) -> KeyFindings:
    """Collect the headline numbers of ``lang``'s edition and phrase them for readers.

    Parameters
    ----------
    lang : {"en", "zh"}
    data_dir : path, optional
        Raw-data folder (see :func:`analysis.dataset.raw_dir`).
    report : AuditReport, optional
        :func:`analysis.audit.run_audit` for ``lang``; run if not given.
    ensemble : dict, optional
        :func:`analysis.ensemble.pipeline.load_or_build`'s result; for this paper loaded if
        not given, for another paper none (no survival bullet).
    """
    check_lang(lang)
    if report is None:
        report = run_audit(lang, data_dir=data_dir)
    elif report.lang != lang:
        raise ValueError(f"report is for {report.lang!r}, not {lang!r}")
    if ensemble is None and is_this_paper(data_dir):
        from .ensemble.pipeline import load_or_build

        ensemble = load_or_build()
    decl = declaration(data_dir)
    paper = paper_text(decl, load_all(lang, data_dir=data_dir), lang, checks=report.checks)
    counts = report.summary()
    found = reader_findings(report, data_dir=data_dir)
    bullets = [t("readers.counts", lang, total=len(report.checks), **counts), *(f.sentence for f in found)]
    survival, draws, hrs = 0, 0, ()
    if ensemble is not None:
        doc = ensemble["summary"]
        survival = sum(1 for c in report.checks if c.verdict == "not_checkable"
                       and c.origin in ("sec2.3", "abstract"))
        draws = int(doc["draws"])
        hrs = tuple((ep, d["hr"]["p05"], d["hr"]["p95"]) for ep, d in doc["endpoints"].items())
        bullets.append(t("readers.survival", lang, n=survival, draws=draws,
                         hr=t("findings.hr_join", lang).join(
                             t("readers.hr", lang, endpoint=t(f"readers.endpoint.{ep}", lang), lo=lo, hi=hi)
                             for ep, lo, hi in hrs)))
    n_diffs = n_value = 0
    if len(decl.languages) > 1:
        diffs = load_discrepancies(data_dir=data_dir)
        n_diffs, n_value = len(diffs), int((diffs["kind"] == "value").sum())
        bullets.append(t("findings.versions", lang, n=n_diffs, values=n_value))
    return KeyFindings(lang=lang, study=paper.study, claims=tuple(c.to_text(lang) for c in paper.claims),
                       questions=paper.questions, counts=tuple(counts.items()),
                       findings=found, n_not_checkable_survival=survival,
                       n_differences=n_diffs, n_value_differences=n_value,
                       draws=draws, hazard_ratios=hrs, bullets=tuple(bullets))


# ---------------------------------------------------------------------------------------
# Discrepant checks told for readers (handout, appendix)


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


def _f_range(sp: SplitPlot, effect: str) -> tuple[float, float]:
    """Smallest and largest F of ``effect`` that data with the printed means and SDs give.

    Notes
    -----
    The inverse of :func:`analysis.stats.rmanova.implied_sum`. With T time points,
    hypothesis SS and df₁, trace tr of the pooled covariance matrix and the sum Σ of
    its entries (``1'S_p1``):

    * group: :math:`F = T\\,SS / (df_1 Σ)`;
    * time, interaction: :math:`F = (T-1)\\,SS / (df_1 (tr - Σ/T))`.

    Taking SS, tr and Σ over their ranges (rounding intervals of the printed means
    and SDs; Σ over what positive semi-definite matrices with those SDs allow) gives
    the bounds; an infinite upper bound means the error mean square can reach 0.
    The same box as the audit's, so a printed F outside this range is exactly an F
    the audit finds infeasible in the univariate model. No R equivalent (closed form).
    """
    t_ = sp.times
    ss_lo, ss_hi = sp.ss[effect]
    adm_lo, adm_hi = sp.sum_admissible
    df1 = sp.df[effect][0]
    if effect == "group":
        return (t_ * ss_lo / (df1 * adm_hi),
                t_ * ss_hi / (df1 * adm_lo) if adm_lo > 0 else math.inf)
    low_error = sp.trace[0] - adm_hi / t_
    return ((t_ - 1) * ss_lo / (df1 * (sp.trace[1] - adm_lo / t_)),
            (t_ - 1) * ss_hi / (df1 * low_error) if low_error > 0 else math.inf)


@dataclass(frozen=True)
class _Marker:
    """One marker's printed cells (as the audit reads them) and its split-plot quantities."""

    table: str
    item: str
    means: list
    sds: list
    n: list
    sp: SplitPlot

    def f(self, ctx, effect: str) -> Printed:
        return ctx.value(self.table, item=self.item, level=effect, quantity="F")

    def p(self, ctx, effect: str) -> Printed:
        return ctx.value(self.table, item=self.item, level=effect, quantity="p")


def _marker(ctx, table: str, item: str) -> _Marker:
    times = list(dict.fromkeys(ctx.rows(table, item=item, quantity="mean")["level"]))
    means = [[ctx.value(table, item=item, level=tm, arm=a, quantity="mean") for tm in times]
             for a in ctx.arms]
    sds = [[ctx.value(table, item=item, level=tm, arm=a, quantity="sd") for tm in times]
           for a in ctx.arms]
    n = [ctx.n(table, a) for a in ctx.arms]
    # SS types I and III, as the audit allows both.
    return _Marker(table, item, means, sds, n, split_plot(means, sds, n, ss_types=("III", "I")))


def _effect_of(check: Check) -> str:
    """The ANOVA effect an F check judges (``level`` of its one covered key)."""
    return check.covers[0].split("/")[2]


def _fmt(x: float, decimals: int) -> str:
    return "∞" if math.isinf(x) else f"{x:.{decimals}f}"


def _single_f(check: Check, ctx, lang: str) -> ReaderFinding:
    """A printed F that no data with the printed means and SDs give."""
    effect = _effect_of(check)
    m = _marker(ctx, check.origin, check.item)
    f = m.f(ctx, effect)
    lo, hi = _f_range(m.sp, effect)
    small = f.interval[1] < lo
    if not small and not f.interval[0] > hi:
        # Inside the range: judged discrepant for a reason this sentence cannot tell,
        # so say it as the audit does.
        return _other(check, lang)
    fields = dict(source=check.source, marker=t(f"readers.marker.{check.item}", lang),
                  effect=t(f"readers.effect.{effect}", lang,
                           marker=t(f"readers.marker.{check.item}", lang)),
                  f=f.text, bound=_fmt(lo if small else hi, 1))
    key = "readers.f_small" if small else "readers.f_large"
    allowed = t("readers.allowed.f_min" if small else "readers.allowed.f_max", lang,
                bound=fields["bound"])
    sentence = t(key, lang, **fields)
    if effect != "group":  # the group F is the same in SPSS's univariate and multivariate tables
        fit = multivariate_search(m.means, m.sds, m.n, {effect: f})
        if not fit.found and fit.bounds is not None:
            mlo, mhi = fit.bounds
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


def _multivariate_df(sp: SplitPlot) -> tuple[int, int]:
    """df of the exact multivariate F of a within-subject effect with two arms.

    Hotelling's T² on the T − 1 contrasts: (p, N − G − p + 1) with p = T − 1.
    """
    p = sp.times - 1
    return p, sum(sp.n) - sp.arms - p + 1


def _f_ratio(check: Check, ctx, lang: str) -> ReaderFinding:
    """Printed F for time and interaction whose ratio the printed means rule out."""
    m = _marker(ctx, check.origin, check.item)
    ft, fi = m.f(ctx, "time"), m.f(ctx, "interaction")
    lo, hi = check.recomputed
    marker = t(f"readers.marker.{check.item}", lang)
    fields = dict(source=check.source, marker=marker, f_time=ft.text, f_int=fi.text,
                  lo=f"{lo:.2f}", hi=f"{hi:.2f}", ratio=f"{ft.value / fi.value:.2f}")
    sentence = t("readers.ratio", lang, **fields)
    if check.method == "split_plot_multivariate":
        # The multivariate tests give the three F values; their df must give the printed P too.
        mdf = _multivariate_df(m.sp)
        for effect in ("time", "interaction"):
            f, p = m.f(ctx, effect), m.p(ctx, effect)
            prange = (f_pvalue(f.interval[1], *mdf), f_pvalue(f.interval[0], *mdf))
            if not p_consistent(p, prange):
                sentence += t("readers.ratio_multivariate", lang, effect=t(
                    f"readers.effect_short.{effect}", lang), p=f"{prange[0]:.3f}", printed=p.text)
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


def _what(check: Check, ctx, lang: str) -> str:
    """The printed label of the checked row (a table row's label, or the phrase a text value
    was printed in), so that no key reaches the reader: the checked value's own row first (a
    sentence transcribed once per value prints a misprint only in that value's row), else
    the first row of its item."""
    keys = [k.split("/") for k in check.covers + check.inputs]
    columns = ["source", "item", "level", "arm", "quantity"]
    for width in (5, 2):
        for df in ctx.tables.values():
            if not len(df):
                continue
            for key in keys:
                rows = df[(df[columns[:width]] == key[:width]).all(axis=1)]
                if len(rows):
                    label = str(rows["row_label"].iloc[0])
                    return label if len(label) <= 80 else label[:77].rstrip() + "…"
    return t("readers.kind.this_value", lang)


def _printed(check: Check) -> str:
    """The checked number as a reader would write it: ``P = 0.652``, ``χ² = 8.21``, ``86.4%``."""
    if not check.reported:
        return "—"
    if check.quantity == "percent":
        return check.reported if check.reported.endswith(("%", "％")) else f"{check.reported}%"
    symbol = {"chi2": "χ²", "p": "P", "statistic": "t"}.get(check.quantity, check.quantity)
    return f"{symbol} = {check.reported}"


def _other(check: Check, ctx, lang: str) -> ReaderFinding:
    """Any other discrepant check: a sentence for its family, with the printed and the
    recomputed numbers."""
    rec = check.as_json()["recomputed"]
    recomputed = recomputed_text(rec, reported=check.reported, quantity=check.quantity,
                                 recomputed_as=check.recomputed_as, lang=lang)
    printed = _printed(check)
    where = check.source                     # the check carries the source's printed name
    kind = _KIND.get(check.method, "other")
    fields = dict(source=where, printed=printed, recomputed=recomputed, what=_what(check, ctx, lang),
                  method=t(f"audit.method.{check.method or 'none'}", lang))
    return ReaderFinding(
        check=check.id, source=check.source, where=where,
        title=t("readers.title.other", lang, source=where, printed=printed),
        printed=printed, allowed=recomputed,
        sentence=t(f"readers.kind.{kind}", lang, **fields),
        method=t("readers.method.other", lang), why=t("readers.why.other", lang),
        detail=check.notes)


def reader_findings(report: AuditReport, *, data_dir=None) -> tuple[ReaderFinding, ...]:
    """Every discrepant check of ``report`` told for readers, in audit order.

    A repeated-measures F that the printed means and SDs cannot give is told with the
    range they allow (:func:`_f_range`, and the multivariate tests' bound); a pair of F
    values whose ratio the printed means fix is told with that ratio; any other
    discrepancy in its family's sentence (catalog ``[readers.kind]``: a t, a count test, a
    percentage, a P and its statistic, a ratio and its CI, a sample size...) with the audit's
    recomputed value (:func:`analysis.present.recomputed_text`).
    Every number comes from the digitized data through the audit's own functions.
    """
    lang = report.lang
    ctx = None
    out = []
    for check in report.checks:
        if check.verdict != "discrepant":
            continue
        ctx = ctx or load_context(lang, data_dir=data_dir)
        if check.recomputed_as in ("r_implied", "f_ratio"):
            out.append(_single_f(check, ctx, lang) if check.recomputed_as == "r_implied"
                       else _f_ratio(check, ctx, lang))
        else:
            out.append(_other(check, ctx, lang))
    return tuple(out)


# ---------------------------------------------------------------------------------------
# The complete check list, grouped by where the numbers are printed (appendix)

# A note carried by at least this many checks of a group is printed once for the group.
_SHARED = 3
# Relative column widths of a check list: check, printed, recomputed, method, verdict, notes.
_WIDTHS = (17, 10, 17, 15, 11, 30)


@dataclass(frozen=True)
class CheckGroup:
    """The checks of one place in the paper (``Table 3``, ``Section 2.3``).

    Attributes
    ----------
    source : str
        Where the numbers are printed, as readers see it.
    lang : str
    shared_notes : tuple of str
        Notes that several checks of the group carry, printed once under the table
        and referred to by number.
    frame : DataFrame
        One row per check: id, printed, recomputed, method, verdict (with its
        :data:`MARKS` mark), and the notes (the numbers of its shared notes, then its
        own); headers in the report's language.
    """

    source: str
    lang: str
    shared_notes: tuple[str, ...]
    frame: pd.DataFrame

    def to_markdown(self) -> str:
        """The checks as a pipe table (ids set as code), then the shared notes, numbered.

        The separator's dashes set the columns' relative widths (Pandoc's rule for
        long pipe tables), so that the notes cannot crush the other columns.
        """
        cells = self.frame.map(cell_text)
        first = cells.columns[0]
        cells[first] = [f"`{c}`" for c in cells[first]]
        text = markdown(cells, widths=_WIDTHS) + "\n"
        if self.shared_notes:
            text += f"\n{t('readers.appendix.shared_notes', self.lang)}\n\n" + "".join(
                f"{i}. {note}\n" for i, note in enumerate(self.shared_notes, 1))
        return text


def _row_notes(check: Check, shared: tuple[str, ...], lang: str) -> str:
    """A check's own notes, after the numbers of the shared notes it carries."""
    refs = [str(i) for i, note in enumerate(shared, 1) if note in check.notes]
    own = [note for note in dict.fromkeys(check.notes) if note not in shared]
    lead = [t("readers.appendix.see_notes", lang, notes=", ".join(refs))] if refs else []
    return " ".join(lead + own)


def check_groups(report: AuditReport) -> tuple[CheckGroup, ...]:
    """Every check of ``report``, grouped by where it is printed, in audit order.

    Within a group the discrepant checks come first, then the not checkable, then the
    reproduced, each in audit order.
    """
    lang = report.lang
    groups: dict[str, list[Check]] = {}
    for check in report.checks:
        groups.setdefault(check.source, []).append(check)
    order = ("discrepant", "not_checkable", "reproduced")
    out = []
    for source, checks in groups.items():
        checks = sorted(checks, key=lambda c: order.index(c.verdict))
        counts: dict[str, int] = {}
        for check in checks:
            for note in dict.fromkeys(check.notes):
                counts[note] = counts.get(note, 0) + 1
        shared = tuple(n for n, k in counts.items() if k >= _SHARED and len(checks) > _SHARED)
        frame = pd.DataFrame({
            t("audit.column.id", lang): [c.id for c in checks],
            t("audit.column.reported", lang): [c.reported or "—" for c in checks],
            t("audit.column.recomputed", lang): [
                recomputed_text(c.as_json()["recomputed"], reported=c.reported, quantity=c.quantity,
                                recomputed_as=c.recomputed_as, lang=lang) for c in checks],
            t("audit.column.method", lang): [t(f"audit.method.{c.method or 'none'}", lang)
                                             for c in checks],
            t("audit.column.verdict", lang): [f"{MARKS[c.verdict]} {t(f'audit.verdict.{c.verdict}', lang)}"
                                              for c in checks],
            t("audit.column.notes", lang): [_row_notes(c, shared, lang) for c in checks],
        }, dtype=object)
        out.append(CheckGroup(source=source, lang=lang, shared_notes=shared, frame=frame))
    return tuple(out)
