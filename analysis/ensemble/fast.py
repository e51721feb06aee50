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

__all__ = ["km_steps", "km_steps_sorted", "median_from_steps", "km_median_fast", "logrank_z",
           "logrank_z_sorted", "logrank_z_rows", "survival_at_steps"]

_TOL = float(np.sqrt(np.finfo(float).eps))


def _runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct values of a sorted array, their counts, and where each run starts.

    ``np.unique`` without its second sort (the input is already sorted).
    """
    start = np.empty(sorted_values.size, dtype=bool)
    start[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=start[1:])
    first = np.flatnonzero(start)
    counts = np.diff(np.append(first, sorted_values.size))
    return sorted_values[first], counts, first


def km_steps(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Event times, :math:`\\hat S` just after them, and the last observed time.

    ``t`` any numeric times (ticks or months), ``e`` boolean events; one arm.
    """
    order = np.argsort(t, kind="stable")
    return km_steps_sorted(t[order], e[order])


def km_steps_sorted(ts: np.ndarray, es: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """:func:`km_steps` for times already sorted ascending."""
    n = ts.size
    evs = ts[es]
    if evs.size == 0:
        return evs.astype(float), np.empty(0), float(ts[-1])
    ev_t, d, _ = _runs(evs)
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
    return logrank_z_sorted(t[order], e[order], first[order])


def logrank_z_sorted(ts: np.ndarray, es: np.ndarray, fs: np.ndarray) -> float:
    """:func:`logrank_z` for times already sorted ascending."""
    n = ts.size
    evs = ts[es]
    if evs.size == 0:
        return math.nan
    ev_t, d, _ = _runs(evs)
    o1 = float(fs[es].sum())
    pos = np.searchsorted(ts, ev_t, side="left")
    n_risk = n - pos
    cum1 = np.concatenate(([0], np.cumsum(fs)))
    n1 = cum1[-1] - cum1[pos]
    frac = n1 / n_risk
    var = np.sum(np.where(n_risk > 1, d * frac * (1 - frac) * (n_risk - d)
                          / np.maximum(n_risk - 1, 1), 0.0))
    if var <= 0:
        return math.nan
    return float((o1 - np.sum(d * frac)) / math.sqrt(var))


def logrank_z_rows(times: np.ndarray, e: np.ndarray, first: np.ndarray) -> np.ndarray:
    """:func:`logrank_z` for each row of ``times`` (same events and arms in every row).

    Used to scan many positions of one patient at once. Per event,
    :math:`E_1` gains :math:`n_1/n` and :math:`V` gains
    :math:`(n_1/n)(1 - n_1/n)(n - d)/(n - 1)` at its time's risk set, which sums to
    the grouped formula of :func:`logrank_z`.
    """
    rows, n = times.shape
    order = np.argsort(times, axis=1, kind="stable")
    ts = np.take_along_axis(times, order, axis=1)
    es, fs = e[order], first[order].astype(float)
    idx = np.broadcast_to(np.arange(n), (rows, n))
    new = np.ones((rows, n), dtype=bool)
    new[:, 1:] = ts[:, 1:] != ts[:, :-1]
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=1)
    end_flag = np.ones((rows, n), dtype=bool)
    end_flag[:, :-1] = new[:, 1:]
    end = np.minimum.accumulate(np.where(end_flag, idx, n)[:, ::-1], axis=1)[:, ::-1]
    zero = np.zeros((rows, 1))
    ce = np.concatenate([zero, np.cumsum(es, axis=1)], axis=1)
    cf = np.concatenate([zero, np.cumsum(fs, axis=1)], axis=1)
    d = np.take_along_axis(ce, end + 1, axis=1) - np.take_along_axis(ce, start, axis=1)
    n_risk = n - start
    n1 = cf[:, -1:] - np.take_along_axis(cf, start, axis=1)
    frac = n1 / n_risk
    v = np.where(n_risk > 1, frac * (1 - frac) * (n_risk - d) / np.maximum(n_risk - 1, 1), 0.0)
    o1 = float(np.sum(e & first))
    e1 = np.sum(np.where(es, frac, 0.0), axis=1)
    var = np.sum(np.where(es, v, 0.0), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(var > 0, (o1 - e1) / np.sqrt(var), np.nan)
