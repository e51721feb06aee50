"""Lean Kaplan–Meier statistics for the sampler's inner loop.

The sampler evaluates every printed constraint thousands of times per data set,
so these functions skip the input checks and objects of :mod:`analysis.km.estimate`
and work on one concatenated array of both arms. They follow the same definitions
(R ``survival``'s tolerance for "exactly 0.5"); ``tests/test_ensemble.py`` checks
them against :mod:`analysis.km.estimate` and lifelines.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["km_steps", "median_from_steps", "km_median_fast", "logrank_z", "survival_at_steps"]

_TOL = float(np.sqrt(np.finfo(float).eps))


def km_steps(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Event times, :math:`\\hat S` just after them, and the last observed time.

    ``t`` any numeric times (ticks or months), ``e`` boolean events; one arm.
    """
    order = np.argsort(t, kind="stable")
    ts, es = t[order], e[order]
    n = ts.size
    ev_t, d = np.unique(ts[es], return_counts=True)
    if ev_t.size == 0:
        return ev_t.astype(float), np.empty(0), float(ts[-1])
    # at risk at an event time: everyone whose time is >= it
    n_risk = n - np.searchsorted(ts, ev_t, side="left")
    surv = np.cumprod(1.0 - d / n_risk)
    return ev_t.astype(float), surv, float(ts[-1])


def median_from_steps(ev_t: np.ndarray, surv: np.ndarray, last: float, rule: str) -> float:
    """KM median from :func:`km_steps`; ``nan`` when not reached.

    ``rule`` is ``"first_below"`` or ``"midpoint"`` as in
    :func:`analysis.km.estimate.km_median`.
    """
    below = np.flatnonzero(surv <= 0.5 + _TOL)
    if below.size == 0:
        return math.nan
    i = below[0]
    if rule == "first_below" or abs(surv[i] - 0.5) >= _TOL:
        return float(ev_t[i])
    after = np.flatnonzero(surv < 0.5 - _TOL)
    end = ev_t[after[0]] if after.size else last
    return float((ev_t[i] + end) / 2)


def km_median_fast(t, e, rule: str) -> float:
    return median_from_steps(*km_steps(np.asarray(t), np.asarray(e, dtype=bool)), rule)


def survival_at_steps(ev_t: np.ndarray, surv: np.ndarray, at) -> np.ndarray:
    idx = np.searchsorted(ev_t, np.asarray(at, dtype=float), side="right")
    return np.where(idx == 0, 1.0, surv[np.maximum(idx - 1, 0)] if surv.size else 1.0)


def logrank_z(t: np.ndarray, e: np.ndarray, first: np.ndarray) -> float:
    """Signed log-rank statistic :math:`(O_1 - E_1)/\\sqrt{V}` of the ``first`` arm.

    Negative when the first arm has fewer events than expected; ``z**2`` is the
    log-rank :math:`\\chi^2` (R ``survdiff``, Mantel 1966).
    """
    order = np.argsort(t, kind="stable")
    ts, es, fs = t[order], e[order], first[order]
    n = ts.size
    ev_t, inv = np.unique(ts[es], return_inverse=True)
    if ev_t.size == 0:
        return math.nan
    d = np.bincount(inv)
    d1 = np.bincount(inv, weights=fs[es])
    pos = np.searchsorted(ts, ev_t, side="left")
    n_risk = n - pos
    cum1 = np.concatenate(([0], np.cumsum(fs)))
    n1 = cum1[-1] - cum1[pos]
    frac = n1 / n_risk
    var = np.sum(np.where(n_risk > 1, d * frac * (1 - frac) * (n_risk - d)
                          / np.maximum(n_risk - 1, 1), 0.0))
    if var <= 0:
        return math.nan
    return float((d1.sum() - np.sum(d * frac)) / math.sqrt(var))
