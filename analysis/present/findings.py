"""The reanalysis told for readers: the study, the paper's claims, the headline bullets and
the complete check list grouped by place.

Used by the journal-club handout (``handout.qmd``), the peer-review appendix
(``appendix.qmd``) and ``python -m analysis export`` (:func:`audit_checks_table`). Every
sentence comes from the catalog section ``[readers]`` or the declaration's ``[paper]``
(:mod:`.paper`) with its numbers filled in by code: from the digitized data, the audit
(:func:`analysis.audit.run_audit`), each discrepant check told for readers
(:func:`.readers.reader_findings`), the recorded en/zh differences and the survival ensemble
(:func:`analysis.ensemble.pipeline.load_or_build`); none is typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import pandas as pd

from ..audit import AuditReport, run_audit
from ..audit.model import Check
from ..dataset import declaration, is_this_paper, load_all, survival_spec
from ..ensemble.spec import load_spec
from ..i18n import catalog, check_lang, t
from ..schema import TIME_UNITS
from .checks import MARKS, unchecked_values
from .markdown import cell_text, markdown
from .paper import paper_text
from .readers import ReaderFinding, reader_findings
from .recomputed import recomputed_text
from .versions import VersionDifference, version_differences

__all__ = ["KeyFindings", "CheckGroup", "appendix_summary", "key_findings", "check_groups", "audit_checks_table"]


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
    value_differences : tuple of VersionDifference
        Those that change a printed value, named in ``lang`` (:func:`version_differences`).
    versions : str
        The two versions told for readers, as Markdown (``""`` for a paper in one language):
        how many places differ, the first :data:`NAMED_DIFFERENCES` value differences named
        in a list, and how many more the appendix lists. The handout gives it a section of
        its own after the survival figure, where its last page has room.
    draws : int
        Data sets in the survival ensemble, each meeting every printed survival number
        (0: the paper has none).
    hazard_ratios : tuple of (str, float, float)
        ``(endpoint, p05, p95)`` of the ensemble's hazard ratio, first arm vs second.
    survival : str
        The survival numbers told for readers (also a bullet; ``""`` without an ensemble).
    bullets : tuple of str
        What the reanalysis found, one plain sentence each, in ``lang``: the counts,
        one per discrepant check, the survival numbers (with an ensemble).
    """

    lang: str
    study: str
    claims: tuple[str, ...]
    questions: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]
    findings: tuple[ReaderFinding, ...]
    n_not_checkable_survival: int
    n_differences: int
    n_value_differences: int
    value_differences: tuple[VersionDifference, ...]
    versions: str
    draws: int
    hazard_ratios: tuple[tuple[str, float, float], ...]
    survival: str
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
        :func:`analysis.ensemble.pipeline.load_or_build`'s result; loaded (built if stale)
        when not given and the data folder has a survival spec, else none (no survival
        bullet).
    """
    check_lang(lang)
    if report is None:
        report = run_audit(lang, data_dir=data_dir)
    elif report.lang != lang:
        raise ValueError(f"report is for {report.lang!r}, not {lang!r}")
    spec_path = survival_spec(data_dir)
    if ensemble is None and spec_path is not None:
        from ..ensemble.pipeline import load_or_build

        ensemble = load_or_build(spec_path)
    decl = declaration(data_dir)
    paper = paper_text(decl, load_all(lang, data_dir=data_dir), lang, checks=report.checks)
    counts = report.summary()
    found = reader_findings(report, data_dir=data_dir)
    key = "readers.counts" if counts["not_checkable"] else "readers.counts_all"
    bullets = [t(key, lang, total=len(report.checks), **counts), *(f.sentence for f in found)]
    survival, draws, hrs, sentence = 0, 0, (), ""
    if ensemble is not None and spec_path is not None:
        spec = load_spec(spec_path)
        doc = ensemble["summary"]
        # the log-rank χ² and the Kaplan-Meier times the audit cannot check without patients
        survival = sum(1 for c in report.checks if c.verdict == "not_checkable"
                       and (c.method == "log_rank" or c.quantity in TIME_UNITS))
        draws = int(doc["draws"])
        hrs = tuple((ep, d["hr"]["p05"], d["hr"]["p95"]) for ep, d in doc["endpoints"].items())
        first, second = (spec.arm_label(arm, lang) for arm in spec.arms)
        unprinted = all(spec.endpoint(ep).hr is None for ep, _, _ in hrs)
        sentence = t("readers.survival", lang, n=survival, draws=draws, first=first,
                     second=second,
                     unprinted=t("readers.survival_unprinted", lang) if unprinted else "",
                     hr=t("findings.hr_join", lang).join(
                         t("readers.hr", lang, endpoint=_endpoint_words(spec, ep, lang),
                           lo=lo, hi=hi)
                         for ep, lo, hi in hrs))
        bullets.append(sentence)
    diffs = version_differences(lang, data_dir=data_dir)
    values = tuple(d for d in diffs if d.kind == "value")
    return KeyFindings(lang=lang, study=paper.study, claims=tuple(c.to_text(lang) for c in paper.claims),
                       questions=paper.questions, counts=tuple(counts.items()),
                       findings=found, n_not_checkable_survival=survival,
                       n_differences=len(diffs), n_value_differences=len(values),
                       value_differences=values,
                       versions=_versions_text(len(diffs), values, lang) if diffs else "",
                       draws=draws, hazard_ratios=hrs, survival=sentence,
                       bullets=tuple(bullets))


def appendix_summary(lang: str, *, data_dir=None, report: AuditReport | None = None,
                     findings: KeyFindings | None = None) -> str:
    """The appendix's summary paragraph in ``lang``: what was checked (every statistic, or how
    many with how many printed values declared unchecked), the verdicts, and the findings
    announced only when some check is discrepant; another paper's survival sentence after it.
    The seed paper keeps its own paragraph (its book, its survival ensemble, its versions)."""
    check_lang(lang)
    report = report if report is not None else run_audit(lang, data_dir=data_dir)
    findings = findings if findings is not None else key_findings(lang, data_dir=data_dir, report=report)
    counts = report.summary()
    version = t(f"lang.{lang}", lang)
    if is_this_paper(data_dir):
        return t("readers.appendix.summary", lang, total=findings.total, draws=findings.draws,
                 version=version, **counts)
    title = declaration(data_dir).title_in(lang)
    paper = t("appendix.cited", lang, title=title) if title else t("appendix.untitled", lang)
    unchecked = sum(len(v) for v in unchecked_values(lang, data_dir=data_dir).values())
    if not findings.total:
        sentences = [t("readers.appendix.summary_scope_none", lang, paper=paper, version=version)]
    else:
        scope = "summary_scope_unchecked" if unchecked else "summary_scope"
        verdicts = ("summary_verdicts" if counts["discrepant"] else "summary_verdicts_clean") + \
            ("" if counts["not_checkable"] else "_all")
        sentences = [t(f"readers.appendix.{scope}", lang, paper=paper, version=version, total=findings.total,
                       unchecked=unchecked, section=t("readers.appendix.unchecked_title", lang)),
                     t(f"readers.appendix.{verdicts}", lang, **counts)]
    sentences.append(t("readers.appendix.summary_follow" if counts["discrepant"]
                       else "readers.appendix.summary_follow_none", lang))
    if findings.survival:
        sentences.append(findings.survival)
    return reduce(lambda first, second: t("checks.sentences", lang, first=first, second=second), sentences)


def _versions_text(n: int, values: tuple[VersionDifference, ...], lang: str) -> str:
    """The versions told as Markdown: the count, then the first value differences named in a
    list, and how many more the appendix lists."""
    if not values:
        return t("findings.versions", lang, n=n, values=0) + "\n"
    named = [d.text for d in values[:NAMED_DIFFERENCES]]
    more = len(values) - len(named)
    if more:
        named.append(t("findings.versions_more", lang, n=more))
    return t("findings.versions_named", lang, n=n, values=len(values)) + "\n\n" + _bullets(named)


def _endpoint_words(spec, endpoint: str, lang: str) -> str:
    """"for death (OS)": the catalog's words for a known endpoint, else its name ("for
    event-free survival": a capital starting an English word, not an acronym, is lowered)."""
    key = f"readers.endpoint.{endpoint}"
    if key in catalog():
        return t(key, lang)
    name = spec.endpoint_label(endpoint, lang)
    if lang == "en" and name[1:2].islower():
        name = name[0].lower() + name[1:]
    return t("readers.endpoint_other", lang, endpoint=name)


# ---------------------------------------------------------------------------------------
# The complete check list, grouped by where the numbers are printed (appendix)

# The value differences between versions the handout names (it has two pages); the appendix
# lists them all.
NAMED_DIFFERENCES = 3

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
                                recomputed_as=c.recomputed_as, verdict=c.verdict, method=c.method,
                                lang=lang) for c in checks],
            t("audit.column.method", lang): [t(f"audit.method.{c.method or 'none'}", lang)
                                             for c in checks],
            t("audit.column.verdict", lang): [f"{MARKS[c.verdict]} {t(f'audit.verdict.{c.verdict}', lang)}"
                                              for c in checks],
            t("audit.column.notes", lang): [_row_notes(c, shared, lang) for c in checks],
        }, dtype=object)
        out.append(CheckGroup(source=source, lang=lang, shared_notes=shared, frame=frame))
    return tuple(out)
