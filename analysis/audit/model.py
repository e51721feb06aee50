"""The audit's result objects: one :class:`Check` per judged number, one :class:`AuditReport`."""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from dataclasses import dataclass

import pandas as pd

__all__ = ["VERDICTS", "KEY_COLUMNS", "RECOMPUTED_AS", "Check", "AuditReport", "key_of"]

VERDICTS = ("discrepant", "reproduced", "not_checkable")
FIELDS = ("id", "source", "item", "quantity", "reported", "recomputed", "recomputed_as", "method", "verdict",
          "notes", "covers", "inputs", "origin", "knock_on_of")


KEY_COLUMNS = ("source", "item", "level", "arm", "quantity")
# What a check's recomputed number is when it is not the printed quantity.
RECOMPUTED_AS = ("", "p", "r_threshold", "r_implied", "f_ratio", "difference", "ratio", "z")


def key_of(source: str, item: str, level: str, arm: str, quantity: str) -> str:
    """The raw-data key of one printed value, as ``source/item/level/arm/quantity``."""
    parts = (source, item, level, arm, quantity)
    if any("/" in part for part in parts):
        raise ValueError(f"key parts must not contain '/': {parts}")
    return "/".join(parts)


def _json_number(x: float):
    # Six significant digits: enough to compare with print, stable across platforms.
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return float(f"{x:.6g}")


@dataclass(frozen=True)
class Check:
    """One printed number (or printed claim), recomputed and judged.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``table1.bmi.t``.
    source : str
        Where it is printed, as readers see it (``Table 1``, ``Section 2.3``).
    item, quantity : str
        What it is (``bmi``, ``t``).
    reported : str
        The value exactly as printed (``""`` for an absent superscript).
    recomputed : float or (float, float) or None
        The recomputed value, or its range over the rounding intervals of the inputs.
    recomputed_as : str
        What ``recomputed`` is when it is not the printed quantity itself (a key of the
        catalog's ``audit.recomputed_as`` section: ``p`` for a P behind a superscript
        letter, ``r_implied`` for the within-subject correlation a printed F implies, ...);
        ``""`` when it is the printed quantity.
    method : str
        The candidate method that reproduced it, or the primary one if none did
        (a key of the catalog's ``audit.method`` section; ``""`` if none applies).
    verdict : {"reproduced", "discrepant", "not_checkable"}
    notes : tuple of str
        Method warnings, assumptions, cross-language differences (in the report's language).
    covers : tuple of str
        The raw-data keys (:func:`key_of`) of the printed values this check judges.
    inputs : tuple of str
        The raw-data keys of every other printed value it reads: what it recomputes from
        (means, SDs, counts, group sizes) and what steers its judgement (the printed P that
        picks a t test's candidate method, the χ² a P is derived from).
    origin : str
        The raw-data ``source`` it comes from (``table1``, ``sec2.3``), for grouping.
    knock_on_of : str
        The id of the check whose error this one follows from, ``""`` for none: a printed P
        that follows its own printed statistic, where the statistic is what the inputs
        contradict, is part of that statistic's finding (readers are told it once); so is a
        right total that a misprinted arm breaks, and a ratio's P that its interval gives at
        the interval's centre when the printed ratio is off that centre.
    bounds : tuple of (str, (float, float))
        Named ranges the check computed beside ``recomputed`` that the plain sentence
        telling it needs (:mod:`analysis.present.readers` formats them, computing nothing):
        a repeated-measures F judged by its implied correlation has ``f_allowed``, the F
        the printed means and SDs allow, and ``f_multivariate`` when the multivariate
        tests were searched in vain; a joint F check whose multivariate F values fit has
        ``p_multivariate.<effect>`` for each printed P their df contradict. Not in the
        JSON output.
    """

    id: str
    source: str
    item: str
    quantity: str
    reported: str
    recomputed: float | tuple[float, float] | None
    method: str
    verdict: str
    notes: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    origin: str = ""
    recomputed_as: str = ""
    knock_on_of: str = ""
    bounds: tuple[tuple[str, tuple[float, float]], ...] = ()

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.recomputed_as not in RECOMPUTED_AS:
            raise ValueError(f"recomputed_as must be one of {RECOMPUTED_AS}, got {self.recomputed_as!r}")

    def as_json(self) -> dict:
        """The check as a JSON-ready dict; a range whose ends agree becomes one number."""
        rec = self.recomputed
        if isinstance(rec, tuple):
            # Low to high whatever order a family computed the ends in (a P falls as its statistic grows).
            lo, hi = (_json_number(v) for v in sorted(rec, key=lambda v: -math.inf if v is None else v))
            rec = lo if lo == hi else [lo, hi]
        else:
            rec = _json_number(rec)
        return {"id": self.id, "source": self.source, "item": self.item, "quantity": self.quantity,
                "reported": self.reported, "recomputed": rec, "recomputed_as": self.recomputed_as,
                "method": self.method,
                "verdict": self.verdict, "notes": list(self.notes), "covers": list(self.covers),
                "inputs": list(self.inputs), "origin": self.origin, "knock_on_of": self.knock_on_of}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.as_json()])

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


@dataclass(frozen=True)
class AuditReport:
    """All checks of one language version, in a fixed order."""

    lang: str
    checks: tuple[Check, ...]

    def checks_frame(self) -> pd.DataFrame:
        """One row per check, the fields of the JSON output (``recomputed`` as a number or
        ``[low, high]``)."""
        return pd.DataFrame([c.as_json() for c in self.checks], columns=list(FIELDS))

    def to_frame(self) -> pd.DataFrame:
        """One row per printed value judged, keyed as ``data/raw`` is.

        Columns: the raw-data key (``source, item, level, arm, quantity``; ``source`` is
        e.g. ``table1`` or ``sec2.3``), then the check's ``check`` id, ``where`` (the
        source as readers see it), ``statistic`` (the check's quantity, e.g. ``t``),
        ``reported``, ``recomputed`` (and ``recomputed_as``), ``method``, ``verdict`` and ``notes``. A value
        judged by several checks has several rows; a check that judges no single
        printed value (e.g. the combined baseline test) has one row keyed by its
        origin and item only. For joining the audit onto tables laid out from ``data/raw``.
        """
        rows = []
        for c in self.checks:
            rec = c.as_json()
            fields = dict(check=c.id, where=c.source, statistic=c.quantity, reported=c.reported,
                          recomputed=rec["recomputed"], recomputed_as=c.recomputed_as, method=c.method, verdict=c.verdict,
                          notes=list(c.notes))
            keys = [key.split("/") for key in c.covers] or [[c.origin, c.item, "", "", ""]]
            rows += [dict(zip(KEY_COLUMNS, key), **fields) for key in keys]
        return pd.DataFrame(rows, columns=[*KEY_COLUMNS, "check", "where", "statistic", "reported",
                                           "recomputed", "recomputed_as", "method", "verdict", "notes"])

    def summary(self) -> dict[str, int]:
        """Counts per verdict, every verdict present (zero included)."""
        counts = Counter(c.verdict for c in self.checks)
        return {v: counts.get(v, 0) for v in VERDICTS}

    def to_json(self) -> str:
        """The checks as a JSON array (UTF-8 text, fixed order, trailing newline)."""
        return json.dumps([c.as_json() for c in self.checks], ensure_ascii=False, indent=2) + "\n"

    def _repr_html_(self) -> str:
        counts = ", ".join(f"{k}: {v}" for k, v in self.summary().items())
        return f"<p>{html.escape(counts)}</p>" + self.checks_frame().to_html(index=False)
