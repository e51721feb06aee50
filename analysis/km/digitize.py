"""Simulate a person digitizing a Kaplan–Meier figure, to validate reconstruction.

Used by ``benchmarks/guyot.py`` and the tests: from true IPD, draw what a careful
person clicking along the printed curve would export, and the numbers-at-risk
table printed under the figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .estimate import kaplan_meier, n_at_risk

__all__ = ["Digitization", "digitize_km", "risk_times", "step_curve"]


@dataclass(frozen=True)
class Digitization:
    """A simulated digitization of one arm.

    ``curve`` (``time, survival``) is the exported points, in click order;
    ``at_risk`` (``time, n_at_risk``) the table under the figure; ``n`` and
    ``events`` the arm's totals.
    """

    curve: pd.DataFrame
    at_risk: pd.DataFrame
    n: int
    events: int

    def to_frame(self) -> pd.DataFrame:
        return self.curve.copy()


def risk_times(t_max: float, *, ticks: tuple[int, int] = (5, 6)) -> np.ndarray:
    """Regular axis ticks from 0, 5-6 of them up to ``t_max``.

    The step is a round number: 1, 2, 2.5 or 5 times a power of ten if one gives
    5-6 ticks, else 1.5, 3, 4, 6 or 7.5 times one (e.g. 600 days), else the
    nearest count.
    """
    best = None
    for rank, bases in enumerate(((1, 2, 2.5, 5), (1.5, 3, 4, 6, 7.5))):
        for exp in range(-3, 7):
            for base in bases:
                step = base * 10.0 ** exp
                count = math.floor(t_max / step + 1e-9) + 1
                miss = 0 if ticks[0] <= count <= ticks[1] else min(abs(count - ticks[0]),
                                                                    abs(count - ticks[1]))
                key = (miss, rank, -step)
                if best is None or key < best[0]:
                    best = (key, step, count)
    _, step, count = best
    return np.arange(count) * step


def step_curve(time, survival):
    """Right-continuous step function through the points (1 before the first)."""
    time, survival = np.asarray(time, float), np.asarray(survival, float)

    def f(t):
        idx = np.searchsorted(time, np.asarray(t, float), side="right")
        return np.where(idx == 0, 1.0, survival[np.maximum(idx - 1, 0)])
    return f


def _spaced(x: np.ndarray, y: np.ndarray, gap: float) -> np.ndarray:
    """Indices kept when each point must be ``gap`` (plot units) from the last kept."""
    keep, lx, ly = [], -np.inf, np.inf
    for i in range(x.size):
        if max(x[i] - lx, ly - y[i]) >= gap:
            keep.append(i)
            lx, ly = x[i], y[i]
    return np.asarray(keep, dtype=int)


def _thin(x: np.ndarray, y: np.ndarray, m: int) -> np.ndarray:
    """About ``m`` points, evenly spaced along the curve as a person clicks them."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if _spaced(x, y, mid).size > m:
            lo = mid
        else:
            hi = mid
    return _spaced(x, y, hi)


def digitize_km(time, event, *, rng: np.random.Generator, points: tuple[int, int] = (100, 150),
                time_sd: float = 0.002, surv_sd: float = 0.002,
                surv_decimals: int = 3) -> Digitization:
    """Click along the true Kaplan–Meier curve of ``(time, event)``.

    Parameters
    ----------
    rng : numpy Generator
    points : (int, int)
        The number of points kept is drawn uniformly from this range (all corners
        when there are fewer).
    time_sd, surv_sd : float
        Click noise, as a fraction of the time axis (last follow-up time) and in
        survival units.
    surv_decimals : int
        Survival is rounded to this many decimals; time to a 1-2-5 grid of about
        1/1000 of the axis.

    Notes
    -----
    The person clicks (0, 1), both corners of every drop (top-left then
    bottom-right), and the end of the curve at the last follow-up time. On a busy
    curve they skip corners: a corner is kept only when it is at least some
    distance from the last kept one (the larger of the two axis distances, in
    units of the axes), with the distance chosen so that about the drawn number
    of points remains; big steps are always kept, runs of tiny steps are thinned.
    Noise is added to both axes; times are kept in click order (a running
    maximum), survival may rise slightly (as real exports do); then both are
    rounded.
    """
    time = np.asarray(time, float)
    km = kaplan_meier(time, event)
    t_max = float(time.max())
    drops = np.flatnonzero(km.n_event > 0)
    before = np.concatenate(([1.0], km.survival[drops][:-1])) if drops.size else np.array([])
    corners_t = np.repeat(km.time[drops], 2)
    corners_s = np.column_stack((before, km.survival[drops])).ravel() if drops.size \
        else np.array([])
    m = int(rng.integers(points[0], points[1] + 1)) - 2
    if corners_t.size > m:
        keep = _thin(corners_t / t_max, corners_s, m)
        corners_t, corners_s = corners_t[keep], corners_s[keep]
    last_s = km.survival[-1]
    t = np.concatenate(([0.0], corners_t, [t_max]))
    s = np.concatenate(([1.0], corners_s, [last_s]))
    t = t + rng.normal(0.0, time_sd * t_max, t.size)
    s = s + rng.normal(0.0, surv_sd, s.size)
    t = np.maximum.accumulate(t)
    grid = 10.0 ** math.floor(math.log10(t_max / 1000.0))
    t = np.round(t / grid) * grid
    s = np.round(s, surv_decimals)
    ticks = risk_times(t_max)
    at_risk = pd.DataFrame({"time": ticks, "n_at_risk": n_at_risk(time, ticks)})
    return Digitization(pd.DataFrame({"time": t, "survival": s}), at_risk,
                        n=int(time.size), events=int(np.sum(event)))
