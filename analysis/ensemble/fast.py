"""Lean Kaplan–Meier, log-rank and Cox-score statistics for the sampler's inner loop.

The sampler evaluates every printed constraint thousands of times per data set,
so these functions skip the input checks and objects of :mod:`analysis.km.estimate`
and work on one concatenated array of both arms. They follow the same definitions
(R ``survival``'s tolerance for "exactly 0.5"); ``tests/test_ensemble.py`` checks
them against :mod:`analysis.km.estimate`, lifelines and R. The ``*_moves`` and
``*_flips`` functions give the statistics of many one-patient changes of a data set
in one pass, for the sampler's polish move.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["km_steps", "km_steps_sorted", "median_from_steps", "km_median_fast", "logrank_z",
           "logrank_z_sorted", "logrank_z_moves", "cox_score_moves",
           "logrank_z_flips", "cox_score_flips",
           "survival_at_steps", "median_of"]

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


def median_of(x: np.ndarray) -> float:
    """``float(np.median(x))`` of a 1-d array, by partition: the same value bit for bit
    (the middle one, or the two middle ones' mean) in a fifth of the time at n = 228, where
    :func:`np.median`'s overhead dominates (it is taken once per evaluation).

    Notes
    -----
    R: ``median(x)``.
    """
    n = x.size
    k = n // 2
    if n % 2:
        return float(np.partition(x, k)[k])
    part = np.partition(x, (k - 1, k))
    return (float(part[k - 1]) + float(part[k])) / 2


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


class _Table:
    """One endpoint's data sorted by time, with risk sets and tied events at any time:
    what :func:`_moved` and :func:`_flipped` build on."""

    def __init__(self, t: np.ndarray, e: np.ndarray, first: np.ndarray):
        order = np.argsort(t, kind="stable")
        self.ts, es, fs = t[order], e[order], first[order]
        self.cum1 = np.concatenate(([0.0], np.cumsum(fs)))
        self.evs = self.ts[es]
        self.ev_t, d, _ = _runs(self.evs)
        self.d = d.astype(float)
        self.n, self.n1 = self.risk(self.ev_t)  # at each distinct event time
        self.o1 = float(np.sum(es & fs))

    def risk(self, at) -> tuple[np.ndarray, np.ndarray]:
        """At risk (time >= ``at``) in all and in the first arm."""
        p = np.searchsorted(self.ts, at, side="left")
        return (self.ts.size - p).astype(float), self.cum1[-1] - self.cum1[p]

    def events_at(self, at) -> np.ndarray:
        return (np.searchsorted(self.evs, at, side="right")
                - np.searchsorted(self.evs, at, side="left")).astype(float)


def _safe(terms):
    """``terms`` that are 0 for an empty risk set (a patient moved out of the last one)."""
    def wrapped(n, n1, d):
        with np.errstate(invalid="ignore", divide="ignore"):
            e1, v = terms(np.maximum(n, 1.0), n1, d)
        empty = n <= 0
        return np.where(empty, 0.0, e1), np.where(empty, 0.0, v)
    return wrapped


def _moved(t: np.ndarray, e: np.ndarray, first: np.ndarray, who: np.ndarray, to: np.ndarray,
           terms) -> tuple[np.ndarray, np.ndarray]:
    r"""Observed minus expected events of the ``first`` arm, and the variance, with
    patient ``who[j]``'s time set to ``to[j]`` (status kept), for every ``j``.

    Both are sums over distinct event times :math:`\tau` of terms in the risk set
    :math:`(n, n_1)` and the number of events :math:`d` there:
    ``terms(n, n1, d) -> (expected, variance)``, both parts proportional to
    :math:`d`. A move from :math:`t_i` to :math:`c` is taken in three steps, each
    changing few terms: the patient's event (if any) is censored at :math:`t_i`
    (one less event there); the censored patient moves, joining the risk sets of
    :math:`(t_i, c]` or leaving those of :math:`(c, t_i]` (prefix sums over the event
    times of the change, per arm); the event comes back at :math:`c` (one more event
    there, an existing event time or a new one). :math:`O((n + m)\log n)` for ``m``
    moves of any patients, instead of :math:`O(m\,n\log n)` refitting each.
    """
    terms = _safe(terms)
    t = np.asarray(t)
    tab = _Table(t, np.asarray(e, dtype=bool), first)
    ev_t, d, n, n1 = tab.ev_t, tab.d, tab.n, tab.n1
    e_all, v_all = terms(n, n1, d)
    who, to = np.asarray(who), np.asarray(to)
    diff = np.full(to.size, tab.o1 - e_all.sum())
    var = np.full(to.size, v_all.sum())
    ti, xi, ei = t[who], first[who].astype(float), np.asarray(e, dtype=bool)[who]

    def change(n_, n1_, d_, dn, dn1, dd):  # both parts of terms(n + dn, ...) - terms(n, ...)
        (a, b), (c, f) = terms(n_ + dn, n1_ + dn1, d_ + dd), terms(n_, n1_, d_)
        return a - c, b - f

    # 1. the event censored at t_i
    n_i, n1_i = tab.risk(ti)
    d_i = tab.events_at(ti)
    de, dv = change(n_i, n1_i, d_i, 0.0, 0.0, -1.0)
    diff -= np.where(ei, de, 0.0)
    var += np.where(ei, dv, 0.0)
    # 2. the censored patient moves: prefix sums over the event times, per arm
    zero = np.zeros(1)
    later = to > ti
    for x in (0.0, 1.0):
        for sign, mask in ((1.0, later), (-1.0, ~later)):
            sel = mask & (xi == x)
            if not sel.any():
                continue
            ce, cv = (np.concatenate((zero, np.cumsum(y)))
                      for y in change(n, n1, d, sign, sign * x, 0.0))
            lo, hi = np.minimum(ti[sel], to[sel]), np.maximum(ti[sel], to[sel])
            k_lo = np.searchsorted(ev_t, lo, side="right")
            k_hi = np.searchsorted(ev_t, hi, side="right")
            diff[sel] -= ce[k_hi] - ce[k_lo]
            var[sel] += cv[k_hi] - cv[k_lo]
    # ... where the patient's own event time t_i left the risk set with one event less
    fix = ei & (to < ti)
    if fix.any():
        a = change(n_i[fix], n1_i[fix], d_i[fix] - 1.0, -1.0, -xi[fix], 0.0)
        b = change(n_i[fix], n1_i[fix], d_i[fix], -1.0, -xi[fix], 0.0)
        diff[fix] -= a[0] - b[0]
        var[fix] += a[1] - b[1]
    # 3. the event back at c, in the risk set of the moved data
    n_c, n1_c = tab.risk(to)
    gone = ti >= to  # the patient's old time no longer counts in the data's risk set at c
    n_c, n1_c = n_c - gone + 1.0, n1_c - gone * xi + xi
    d_c = tab.events_at(to) - (ei & (ti == to))
    de, dv = change(n_c, n1_c, d_c, 0.0, 0.0, 1.0)
    diff -= np.where(ei, de, 0.0)
    var += np.where(ei, dv, 0.0)
    return diff, var


def logrank_z_moves(t: np.ndarray, e: np.ndarray, first: np.ndarray, i: int,
                    cand: np.ndarray) -> np.ndarray:
    r""":func:`logrank_z` with patient ``i``'s time set to each of ``cand`` in turn
    (``i`` one index, or one per candidate: any patients' moves at once).

    Used to scan many positions of many patients at once (:func:`_moved`). At an
    event time :math:`E_1` gains :math:`d\,n_1/n` and :math:`V` gains
    :math:`d (n_1/n)(1 - n_1/n)(n - d)/(n - 1)`.
    """
    return _z(*_moved(t, e, first, np.broadcast_to(i, np.shape(cand)), cand, _logrank_terms))


def cox_score_moves(t: np.ndarray, e: np.ndarray, first: np.ndarray, i: int,
                    cand: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Cox score :math:`U(\beta)` and information :math:`I(\beta)` of a 0/1 covariate
    (``first``), with patient ``i``'s time set to each of ``cand`` in turn (``i`` as in
    :func:`logrank_z_moves`).

    Breslow's partial likelihood (ties not split as Efron's are): at an event time
    with :math:`d` events and :math:`p = n_1 e^\beta / (n - n_1 + n_1 e^\beta)`,
    :math:`U` gains :math:`d_1 - d\,p` and :math:`I` gains :math:`d\,p(1 - p)`; at
    :math:`\beta = 0` the score is the log-rank :math:`O_1 - E_1`. One Newton step
    :math:`\beta + U/I` from the current fit estimates each candidate's fit, so a move
    can aim at a printed hazard ratio without refitting for every position.
    R: ``coxph(..., ties = "breslow", init = beta, control = coxph.control(iter.max = 0))``
    gives ``U`` and ``1/I`` as the score and variance of one candidate.
    """
    return _moved(t, e, first, np.broadcast_to(i, np.shape(cand)), cand, _breslow_terms(beta))


def _flipped(t: np.ndarray, e: np.ndarray, first: np.ndarray,
             terms) -> tuple[np.ndarray, np.ndarray]:
    r"""Observed minus expected events of the ``first`` arm, and the variance, with
    one patient's status (event or censored) flipped at their own time, for every
    patient in turn.

    A flip leaves every risk set as it was and changes only the number of events
    :math:`d` at the patient's time by one, so each patient's value is the data's
    total with that one term replaced (``terms`` as in :func:`_moved`, both
    parts proportional to :math:`d`): :math:`O(n \log n)` for all ``n`` flips.
    """
    t = np.asarray(t)
    e = np.asarray(e, dtype=bool)
    tab = _Table(t, e, first)
    e_all, v_all = terms(tab.n, tab.n1, tab.d)
    # every patient's risk set and the events tied at their time
    n, n1 = tab.risk(t)
    d_now = tab.events_at(t)
    step = np.where(e, -1.0, 1.0)
    e_old, v_old = terms(n, n1, d_now)
    e_new, v_new = terms(n, n1, d_now + step)
    o1 = tab.o1 + step * first
    return o1 - (e_all.sum() - e_old + e_new), v_all.sum() - v_old + v_new


def _z(diff: np.ndarray, var: np.ndarray) -> np.ndarray:
    """Log-rank statistics from :math:`O_1 - E_1` and :math:`V`; ``nan`` without variance."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(var > 0, diff / np.sqrt(np.maximum(var, 0)), np.nan)


def _logrank_terms(n, n1, d):
    frac = n1 / n
    v = np.where(n > 1, d * frac * (1 - frac) * (n - d) / np.maximum(n - 1, 1), 0.0)
    return d * frac, v


def _breslow_terms(beta: float):
    w = math.exp(beta)

    def terms(n, n1, d):
        p = n1 * w / (n - n1 + n1 * w)
        return d * p, d * p * (1 - p)
    return terms


def logrank_z_flips(t: np.ndarray, e: np.ndarray, first: np.ndarray) -> np.ndarray:
    """:func:`logrank_z` with each patient's status flipped in turn (:func:`_flipped`)."""
    return _z(*_flipped(t, e, first, _logrank_terms))


def cox_score_flips(t: np.ndarray, e: np.ndarray, first: np.ndarray,
                    beta: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`cox_score_moves` with each patient's status flipped in turn instead of
    one patient's time moved (:func:`_flipped`): a flip changes the number of events,
    hence the width of a hazard ratio's CI, which no move in time can."""
    return _flipped(t, e, first, _breslow_terms(beta))
