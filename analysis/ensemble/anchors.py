"""The prior's hazards made to pass through printed landmark rates and event counts.

A report that prints Kaplan-Meier survival at landmarks ("6-month survival 23.3 % vs
21.2 %") or the events per arm says much more about each curve than its median. The
prior of :mod:`.prior` scales a random hazard shape to the printed median; where such
numbers are printed, :func:`anchored_hazard` instead scales the shape piece by piece
so that the model's survival passes through every printed point (each drawn uniformly
within its printed rounding), and :func:`match_events` then scales the hazard past the
last printed point so that the model's expected number of events, under the member's
censoring, is the printed count (also drawn within its rounding). Accepted data sets
must still reproduce each number exactly (:mod:`.constraints`); the prior only starts
them near it, so that few members are rejected.
"""

from __future__ import annotations

import math

import numpy as np

from .hazard import cum_hazard

__all__ = ["anchor_points", "anchored_hazard", "expected_events", "match_events",
           "not_reached_range",
           "refined_breaks", "GRID"]

GRID = 400  # points of the numerical integral of the expected events
MATCH_POINTS, MATCH_PASSES = 16, 4  # match_events: scales tried per pass, and passes
_FLOOR = 1e-3  # a stretch printed without events keeps this share of the shape's hazard
_SCALE_RANGE = (0.25, 4.0)  # how far the tail may be scaled to meet a printed count: a
# count the censoring makes out of reach must not give hazards of hundreds per month


def refined_breaks(breaks: np.ndarray, times, span: float) -> np.ndarray:
    """``breaks`` with every anchor time inside ``(0, span)`` added, sorted."""
    inside = [t for t in times if 0 < t < span]
    return np.unique(np.concatenate([breaks, np.asarray(inside, dtype=float)]))


def anchor_points(spec, endpoint, arm: str, rng: np.random.Generator) -> list[tuple[float, float]]:
    """``(time, cumulative hazard)`` points the arm's model must pass through.

    A printed median ``m`` gives :math:`(m, \\ln 2)`; a rate :math:`S` at landmark
    :math:`t`, drawn uniformly within its printed rounding, gives :math:`(t, -\\ln S)`; a
    median printed as not reached adds :math:`S(\\text{span}) \\sim U(0.5, \\min(0.99,
    S_{last}))`. Points are sorted by time and the cumulative hazard made non-decreasing
    (two rates printed alike may be drawn out of order).

    Notes
    -----
    In R, for one arm's fit ``f <- survfit(Surv(time, status) ~ 1)``, a point is
    ``-log(summary(f, times = t)$surv)``.
    """
    pts = {}
    med = endpoint.medians.get(arm)
    if med is not None and not med.not_reached:
        pts[max(med.printed.value, spec.tick)] = math.log(2)
    for mark in endpoint.survival:
        rate = mark.rates.get(arm)
        if rate is not None:
            lo, hi = rate.printed.interval
            s = rng.uniform(max(lo, 1e-6), min(hi, 1.0))
            pts[mark.time] = -math.log(min(max(s, 1e-6), 1.0))
    if med is not None and med.not_reached and pts:
        last = math.exp(-pts[max(pts)])
        if max(pts) < spec.span and last > 0.5:
            pts[spec.span] = -math.log(rng.uniform(0.5, min(0.99, last)))
    times = sorted(pts)
    return list(zip(times, np.maximum.accumulate([pts[t] for t in times])))


def anchored_hazard(breaks: np.ndarray, shape: np.ndarray,
                    points: list[tuple[float, float]]) -> np.ndarray:
    """``shape`` (one rate per piece) scaled piece by piece through ``points``.

    Every point's time must be a break or lie past the last one. Between consecutive
    points the hazard is the shape times :math:`c_j = \\Delta H_j / \\Delta H^{shape}_j`, and
    past the last point it keeps the last :math:`c_j`; a stretch with no rise in
    cumulative hazard keeps ``_FLOOR`` of the mean scale (a zero hazard has no inverse).
    """
    times = np.array([0.0] + [t for t, _ in points])
    target = np.array([0.0] + [h for _, h in points])
    base = cum_hazard(breaks, shape, times)
    rise, base_rise = np.diff(target), np.diff(base)
    scale = np.divide(rise, base_rise, out=np.zeros_like(rise), where=base_rise > 0)
    mean = target[-1] / base[-1] if base[-1] > 0 else 1.0
    scale = np.maximum(scale, _FLOOR * mean)
    seg = np.clip(np.searchsorted(times, breaks, side="right") - 1, 0, scale.size - 1)
    return shape * scale[seg]


def expected_events(breaks: np.ndarray, rates: np.ndarray, censor: np.ndarray,
                    grid: np.ndarray, *, other: np.ndarray | None = None) -> float:
    """Probability that one patient's event is observed.

    :math:`P = \\int h(t) S(t) S_o(t) S_C(t) \\, dt`, with :math:`S = e^{-H}` of ``rates``,
    :math:`S_o` that of ``other`` (the outer event, which censors an endpoint whose deaths
    are censored; 1 without it) and :math:`S_C` the censoring survival ``censor`` on
    ``grid``, as a sum over the grid's steps.
    """
    return float(_expected(breaks, rates, censor, grid, other))


def _expected(breaks, rates, censor, grid, other):
    """:func:`expected_events` of each column of ``rates`` (pieces, m), or of one row."""
    h_cum = cum_hazard(breaks, rates, grid)
    s = np.exp(-h_cum)
    step = s[:-1] - s[1:]  # P(event in the step) without censoring
    if other is not None:
        s_o = np.exp(-cum_hazard(breaks, other, grid))
        both = (s_o[:-1] + s_o[1:]) / 2
        step = step * (both[:, None] if step.ndim == 2 else both)
    weight = (censor[:-1] + censor[1:]) / 2
    return np.sum(step * (weight[:, None] if step.ndim == 2 else weight), axis=0)


def not_reached_range(breaks: np.ndarray, rates: np.ndarray, after: float,
                      span: float) -> tuple[float, float]:
    r"""The scales of the hazard from ``after`` on that keep the survival at ``span`` above
    one half, for an arm whose median is printed as not reached: ``(lo, hi)`` with ``hi``
    the scale at which :math:`H(span) = \ln 2` and ``lo`` the usual ``_SCALE_RANGE[0]``
    (or ``hi`` when that is lower).

    The usual ``_SCALE_RANGE`` (x1/4 to x4) kept such an arm's events far below what a
    printed CI needs when the prior had drawn :math:`S(span)` near its upper end 0.99
    (held-out Melanoma: 115 patients without ulceration, about 30 deaths printed by the
    CI's width, 1 to 4 drawn), and x4 could also take the curve below one half."""
    h_after, h_span = cum_hazard(breaks, rates, [min(after, span), span])
    rise = h_span - h_after
    if rise <= 0:
        return _SCALE_RANGE
    hi = (math.log(2) - h_after) / rise
    if hi <= 0:
        return _SCALE_RANGE
    return min(_SCALE_RANGE[0], hi), hi


def match_events(breaks: np.ndarray, rates: np.ndarray, target: float, n: int,
                 censor: np.ndarray, grid: np.ndarray, *, after: float,
                 other: np.ndarray | None = None,
                 scale_range: tuple[float, float] = _SCALE_RANGE) -> np.ndarray:
    """``rates`` with the pieces starting at or after ``after`` scaled so that ``n``
    patients have ``target`` events on average (bisection on the log scale; the
    closest reachable count when ``target`` is not reachable).

    Notes
    -----
    The expected count grows with the scale, so the bisection finds the one scale that
    gives it; the R analogue is ``uniroot(function(c) n * P(c) - target, ...)``.
    """
    tail = breaks >= after - 1e-12
    if not tail.any() or n <= 0:
        return rates

    def counts(log_c: np.ndarray) -> np.ndarray:
        r = np.where(tail[:, None], rates[:, None] * np.exp(log_c)[None, :], rates[:, None])
        return n * _expected(breaks, r, censor, grid, other)

    lo, hi = (math.log(x) for x in scale_range)
    ends = counts(np.array([lo, hi]))
    if ends[0] >= target:
        return np.where(tail, rates * math.exp(lo), rates)
    if ends[1] <= target:
        return np.where(tail, rates * math.exp(hi), rates)
    # the bracket narrowed 15-fold per pass, all points of a pass at once (40 halvings one
    # after another took a fifth of a conditioned start's time): ~1e-5 of ln 16 at the end
    for _ in range(MATCH_PASSES):
        x = np.linspace(lo, hi, MATCH_POINTS)
        below = np.flatnonzero(counts(x) < target)
        i = int(below[-1]) if below.size else 0
        lo, hi = x[i], x[min(i + 1, x.size - 1)]
    return np.where(tail, rates * math.exp((lo + hi) / 2), rates)
