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
           "logrank_z_sorted", "logrank_z_moves", "survival_at_steps"]

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


def logrank_z_moves(t: np.ndarray, e: np.ndarray, first: np.ndarray, i: int,
                    cand: np.ndarray) -> np.ndarray:
    r""":func:`logrank_z` with patient ``i``'s time set to each of ``cand`` in turn.

    Used to scan many positions of one patient at once, in
    :math:`O((n + c)\log n)` instead of :math:`O(c\,n\log n)` for ``c`` rows. The
    statistic is a sum over distinct event times :math:`\tau` of terms in the
    risk set :math:`(n, n_1)` and the number of events :math:`d` there: :math:`E_1`
    gains :math:`d\,n_1/n`, :math:`V` gains
    :math:`d (n_1/n)(1 - n_1/n)(n - d)/(n - 1)`. Without patient ``i`` these terms
    are fixed; at candidate time :math:`c` the patient joins every risk set with
    :math:`\tau \le c` (prefix sums of the terms with and without them) and, if
    an event, adds one to :math:`d` at :math:`c` (an existing event time or a new one).
    """
    t = np.asarray(t)
    keep = np.ones(t.size, dtype=bool)
    keep[i] = False
    order = np.argsort(t[keep], kind="stable")
    ts, es, fs = t[keep][order], e[keep][order], first[keep][order]
    ei, fi = bool(e[i]), float(first[i])
    cand = np.asarray(cand)
    o1 = float(np.sum(es & fs)) + (fi if ei else 0.0)
    m = ts.size
    cum1 = np.concatenate(([0.0], np.cumsum(fs)))
    evs = ts[es]
    ev_t, d, _ = _runs(evs)
    pos = np.searchsorted(ts, ev_t, side="left")
    n, n1 = (m - pos).astype(float), cum1[-1] - cum1[pos]

    def terms(n, n1, d):
        frac = n1 / n
        v = np.where(n > 1, d * frac * (1 - frac) * (n - d) / np.maximum(n - 1, 1), 0.0)
        return d * frac, v

    e_out, v_out = terms(n, n1, d)  # patient i not at risk
    e_in, v_in = terms(n + 1, n1 + fi, d)  # patient i at risk
    zero = np.zeros(1)
    # sums over the event times before index k (i at risk) and from k on (not)
    ce_in, cv_in = (np.concatenate((zero, np.cumsum(x))) for x in (e_in, v_in))
    ce_out, cv_out = (np.concatenate((zero, np.cumsum(x[::-1])))[::-1] for x in (e_out, v_out))
    # event times at or before c: i at risk; after c: not
    k = np.searchsorted(ev_t, cand, side="right")
    e1, var = ce_in[k] + ce_out[k], cv_in[k] + cv_out[k]
    if ei:  # i's own event at c: one more event at an existing event time, or a new one
        p = np.searchsorted(ts, cand, side="left")
        at, at1 = m - p + 1.0, cum1[-1] - cum1[p] + fi
        j = np.maximum(k - 1, 0)
        d_c = np.where((k > 0) & (ev_t[j] == cand), d[j], 0) if ev_t.size else 0 * at
        (e_new, v_new), (e_old, v_old) = terms(at, at1, d_c + 1.0), terms(at, at1, d_c)
        e1, var = e1 + e_new - e_old, var + v_new - v_old
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(var > 0, (o1 - e1) / np.sqrt(np.maximum(var, 0)), np.nan)
