"""Kaplan–Meier tools: fast estimates (``estimate``), IPD reconstruction from a
digitized curve (``guyot``, with ``curve`` cleaning its input), and simulated
digitization to validate it (``digitize``)."""

from .curve import CleanCurve, CurveChange, CurveError, clean_curve
from .digitize import Digitization, digitize_km
from .estimate import (KaplanMeier, LogRank, kaplan_meier, km_median, logrank_test,
                       n_at_risk, rmst, survival_at)
from .guyot import GuyotResult, reconstruct_guyot

__all__ = [
    "KaplanMeier", "LogRank", "kaplan_meier", "survival_at", "km_median", "rmst",
    "logrank_test", "n_at_risk",
    "CleanCurve", "CurveChange", "CurveError", "clean_curve",
    "GuyotResult", "reconstruct_guyot", "Digitization", "digitize_km",
]
