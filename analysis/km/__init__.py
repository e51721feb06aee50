"""Kaplan–Meier tools: fast estimates (``estimate``) and IPD reconstruction from a
digitized curve (``guyot``)."""

from .estimate import (KaplanMeier, LogRank, kaplan_meier, km_median, logrank_test,
                       n_at_risk, rmst, survival_at)

__all__ = [
    "KaplanMeier", "LogRank", "kaplan_meier", "survival_at", "km_median", "rmst",
    "logrank_test", "n_at_risk",
]
