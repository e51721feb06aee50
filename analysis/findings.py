"""The reanalysis summed up for readers: audit counts, flagged checks, key-finding bullets.

Used by the peer-review appendix (``appendix.qmd``), the journal-club handout
(``handout.qmd``) and ``python -m analysis export``. Every sentence comes from the
catalog section ``[findings]`` with its numbers filled in from the audit
(:func:`analysis.audit.run_audit`), the digitized discrepancies and the survival
ensemble (:func:`analysis.ensemble.pipeline.load_or_build`); none is typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .audit import AuditReport, run_audit
from .dataset import load_discrepancies, load_table, printed_value
from .i18n import check_lang, t

__all__ = ["KeyFindings", "key_findings", "flagged_checks", "audit_checks_table"]

# Verdicts a reader must look at, in the order they are listed.
_FLAGGED = ("discrepant", "not_checkable")


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


def flagged_checks(report: AuditReport) -> pd.DataFrame:
    """The checks that were not reproduced: discrepant first, then not checkable.

    Columns (in the report's language): verdict, where, check id, printed value and
    the check's first note, which says why (the implied correlation of an impossible
    F, or that patient-level data are needed).
    """
    lang = report.lang
    order = sorted((c for c in report.checks if c.verdict in _FLAGGED),
                   key=lambda c: _FLAGGED.index(c.verdict))
    return pd.DataFrame({
        t("audit.column.verdict", lang): [t(f"audit.verdict.{c.verdict}", lang) for c in order],
        t("audit.column.source", lang): [c.source for c in order],
        t("audit.column.id", lang): [c.id for c in order],
        t("audit.column.reported", lang): [c.reported for c in order],
        t("audit.column.notes", lang): [c.notes[0] if c.notes else "" for c in order],
    }, dtype=object)


@dataclass(frozen=True)
class KeyFindings:
    """The headline numbers of the reanalysis for one edition.

    Attributes
    ----------
    lang : str
    counts : tuple of (str, int)
        Checks per verdict, ``(verdict, n)`` in :data:`analysis.audit.VERDICTS` order.
    discrepant : tuple of str
        One sentence per discrepant check (where, id, printed value, first note).
    n_not_checkable_survival : int
        Not-checkable checks that need patient-level survival data.
    n_differences, n_value_differences : int
        Recorded differences between the English and Chinese versions, and how many
        change a printed value.
    draws : int
        Data sets in the survival ensemble, each meeting every printed survival number.
    hazard_ratios : tuple of (str, float, float)
        ``(endpoint, p05, p95)`` of the ensemble's hazard ratio, combination vs control.
    bullets : tuple of str
        The findings as sentences in ``lang``.
    """

    lang: str
    counts: tuple[tuple[str, int], ...]
    discrepant: tuple[str, ...]
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
        return "\n".join(f"- {b}" for b in self.bullets) + "\n"


def key_findings(lang: str, *, data_dir=None, report: AuditReport | None = None,
                 ensemble: dict | None = None) -> KeyFindings:
    """Collect the headline numbers of ``lang``'s edition and phrase them.

    Parameters
    ----------
    lang : {"en", "zh"}
    data_dir : path, optional
        Raw-data folder (see :func:`analysis.dataset.raw_dir`).
    report : AuditReport, optional
        :func:`analysis.audit.run_audit` for ``lang``; run if not given.
    ensemble : dict, optional
        :func:`analysis.ensemble.pipeline.load_or_build`'s result; loaded if not given.
    """
    check_lang(lang)
    if report is None:
        report = run_audit(lang, data_dir=data_dir)
    elif report.lang != lang:
        raise ValueError(f"report is for {report.lang!r}, not {lang!r}")
    if ensemble is None:
        from .ensemble.pipeline import load_or_build

        ensemble = load_or_build()
    doc = ensemble["summary"]
    counts = report.summary()
    text = load_table("text", lang, data_dir=data_dir)
    n = {key: printed_value(text, source="sec1.3", item=item, arm=arm).text
         for key, item, arm in (("total", "enrolled", ""), ("combination", "group_size", "combination"),
                                ("control", "group_size", "control"))}
    discrepant = tuple(
        t("findings.discrepant", lang, source=c.source, id=c.id, reported=c.reported,
          note=c.notes[0] if c.notes else "")
        for c in report.checks if c.verdict == "discrepant")
    survival = sum(1 for c in report.checks if c.verdict == "not_checkable"
                   and c.origin in ("sec2.3", "abstract"))
    diffs = load_discrepancies(data_dir=data_dir)
    n_value = int((diffs["kind"] == "value").sum())
    hrs = tuple((ep, d["hr"]["p05"], d["hr"]["p95"]) for ep, d in doc["endpoints"].items())
    bullets = [
        t("findings.trial", lang, **n),
        t("findings.counts", lang, total=len(report.checks), **counts),
        *discrepant,
        t("findings.survival", lang, n=survival, draws=doc["draws"],
          hr=t("findings.hr_join", lang).join(
              t("findings.hr", lang, endpoint=t(f"findings.endpoint.{ep}", lang), lo=lo, hi=hi)
              for ep, lo, hi in hrs)),
        t("findings.versions", lang, n=len(diffs), values=n_value),
    ]
    return KeyFindings(lang=lang, counts=tuple(counts.items()), discrepant=discrepant,
                       n_not_checkable_survival=survival, n_differences=len(diffs),
                       n_value_differences=n_value, draws=int(doc["draws"]),
                       hazard_ratios=hrs, bullets=tuple(bullets))
