"""Check and clean a digitized Kaplan–Meier curve and its numbers-at-risk table.

Real digitizations (WebPlotDigitizer, DigitizeIt) are a little messy: survival
in percent, points slightly out of order, slightly rising, slightly above 1 or
below 0, a first point not exactly at (0, 1). :func:`clean_curve` repairs what is
plausibly clicking noise, records every change, and refuses what is not
(:class:`CurveError`, which names the row and column).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CurveError", "CurveChange", "CleanCurve", "clean_curve", "check_at_risk",
           "pava_nonincreasing", "as_two_columns"]

# How far past [0, 1] (as a fraction) a point may stray and still count as
# clicking noise; beyond it the value is an error (e.g. percent without --percent).
_SLACK = 0.05


class CurveError(ValueError):
    """Bad curve or at-risk input.

    ``index`` is the 0-based data row (``None`` for the whole input) and
    ``column`` the column name; the CLI turns them into a file line.
    """

    def __init__(self, message: str, *, argument: str, index: int | None = None,
                 column: str | None = None):
        self.message, self.argument, self.index, self.column = message, argument, index, column
        where = f" (row {index}, column {column!r})" if index is not None else ""
        super().__init__(f"{argument}{where}: {message}")


@dataclass(frozen=True)
class CurveChange:
    """One change made to the digitized curve.

    ``index`` is the 0-based row of the input (``None`` for an added point),
    ``column`` is ``"time"`` or ``"survival"``, ``old``/``new`` the values as a
    fraction (``nan`` for an added or removed point).
    """

    index: int | None
    column: str
    old: float
    new: float
    reason: str

    def __str__(self) -> str:
        where = "added point" if self.index is None else f"row {self.index}"
        return f"{where}, {self.column}: {self.old:g} -> {self.new:g} ({self.reason})"


@dataclass(frozen=True)
class CleanCurve:
    """A digitized curve, sorted by time, non-increasing, starting at (0, 1)."""

    time: np.ndarray
    survival: np.ndarray
    changes: tuple

    def step(self, t) -> np.ndarray:
        """The cleaned curve as a right-continuous step function."""
        idx = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right")
        return np.where(idx == 0, 1.0, self.survival[np.maximum(idx - 1, 0)])

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"time": self.time, "survival": self.survival})


def as_two_columns(data, names: tuple[str, str], *, argument: str) -> tuple[np.ndarray, np.ndarray]:
    """Two float columns from a DataFrame (by name) or an ``(n, 2)`` array."""
    if isinstance(data, pd.DataFrame):
        for name in names:
            if name not in data.columns:
                raise CurveError(f"missing column {name!r}", argument=argument, column=name)
        cols = []
        for name in names:
            values = pd.to_numeric(data[name], errors="coerce")
            bad = np.flatnonzero(values.isna().to_numpy())
            if bad.size:
                raise CurveError(f"not a number: {data[name].iloc[bad[0]]!r}",
                                 argument=argument, index=int(bad[0]), column=name)
            cols.append(values.to_numpy(dtype=float))
        a, b = cols
    else:
        arr = np.asarray(data, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise CurveError(f"must have two columns {names}, got shape {arr.shape}",
                             argument=argument)
        a, b = arr[:, 0].copy(), arr[:, 1].copy()
    if a.size == 0:
        raise CurveError("no rows", argument=argument)
    for name, col in zip(names, (a, b)):
        bad = np.flatnonzero(~np.isfinite(col))
        if bad.size:
            raise CurveError("not a finite number", argument=argument, index=int(bad[0]),
                             column=name)
    return a, b


def pava_nonincreasing(y: np.ndarray) -> np.ndarray:
    """Least-squares non-increasing fit (pool-adjacent-violators).

    Notes
    -----
    Unlike a running minimum, one point clicked too low does not drag all later
    points down: violating neighbours are replaced by their mean. R:
    ``-isoreg(-y)$yf``.
    """
    means: list[float] = []
    counts: list[int] = []
    for v in y:
        means.append(float(v))
        counts.append(1)
        while len(means) > 1 and means[-2] < means[-1]:
            c = counts[-2] + counts[-1]
            m = (means[-2] * counts[-2] + means[-1] * counts[-1]) / c
            means[-2:] = [m]
            counts[-2:] = [c]
    return np.repeat(means, counts)


def clean_curve(curve, *, percent: bool = False) -> CleanCurve:
    """Check a digitized curve and clean it into a non-increasing step curve.

    Parameters
    ----------
    curve : DataFrame with columns ``time, survival``, or array of shape (n, 2)
    percent : bool
        Survival is in percent (0-100).

    Returns
    -------
    CleanCurve
        With every change recorded in ``changes``.

    Notes
    -----
    In order: times slightly below 0 become 0; survival slightly outside
    [0, 1] (within 0.05) is clipped; points are sorted by time (stable, so
    points clicked at one time keep their order); rising stretches are replaced
    by their least-squares non-increasing fit; exact duplicates are dropped; a
    point (0, 1) is added when the curve does not start there (a first point at
    time 0 within 0.02 of 1 is set to 1). Larger violations are errors.
    """
    time, surv = as_two_columns(curve, ("time", "survival"), argument="curve")
    if percent:
        surv = surv / 100.0
    changes: list[CurveChange] = []
    scale = 100.0 if percent else 1.0
    span = float(np.max(np.abs(time))) or 1.0

    for i in np.flatnonzero(surv > 1 + _SLACK):
        hint = ("" if percent else
                "; survival must be in [0, 1] (--percent / percent=True for 0-100)")
        raise CurveError(f"survival {surv[i] * scale:g} above {scale:g}{hint}",
                         argument="curve", index=int(i), column="survival")
    for i in np.flatnonzero(surv < -_SLACK):
        raise CurveError(f"survival {surv[i] * scale:g} below 0", argument="curve",
                         index=int(i), column="survival")
    for i in np.flatnonzero(time < -0.01 * span):
        raise CurveError(f"time {time[i]:g} below 0", argument="curve", index=int(i),
                         column="time")
    for i in np.flatnonzero(time < 0):
        changes.append(CurveChange(int(i), "time", time[i], 0.0, "slightly below 0"))
    time = np.maximum(time, 0.0)
    for i in np.flatnonzero((surv > 1) | (surv < 0)):
        new = min(max(surv[i], 0.0), 1.0)
        changes.append(CurveChange(int(i), "survival", surv[i], new, "outside [0, 1]"))
    surv = np.clip(surv, 0.0, 1.0)

    order = np.argsort(time, kind="stable")
    moved = np.flatnonzero(order != np.arange(order.size))
    for pos in moved:
        i = int(order[pos])
        changes.append(CurveChange(i, "time", time[i], time[i],
                                   f"out of order; moved to position {int(pos)}"))
    time, surv, rows = time[order], surv[order], order

    fitted = pava_nonincreasing(surv)
    for pos in np.flatnonzero(np.abs(fitted - surv) > 1e-12):
        changes.append(CurveChange(int(rows[pos]), "survival", surv[pos], fitted[pos],
                                   "rises; pooled with its neighbours"))
    surv = fitted

    keep = np.ones(time.size, dtype=bool)
    keep[1:] = (np.diff(time) != 0) | (np.diff(surv) != 0)
    for pos in np.flatnonzero(~keep):
        changes.append(CurveChange(int(rows[pos]), "survival", surv[pos], float("nan"),
                                   "duplicate point dropped"))
    time, surv, rows = time[keep], surv[keep], rows[keep]

    if time[0] == 0 and surv[0] >= 0.98:
        if surv[0] != 1:
            changes.append(CurveChange(int(rows[0]), "survival", surv[0], 1.0,
                                       "first point at time 0 set to 1"))
            surv = surv.copy()
            surv[0] = 1.0
            surv = np.minimum.accumulate(surv)
    else:
        changes.append(CurveChange(None, "survival", float("nan"), 1.0,
                                   "curve starts at (0, 1)"))
        time = np.concatenate(([0.0], time))
        surv = np.concatenate(([1.0], surv))
    if time.size < 2 or time[-1] <= 0:
        raise CurveError("needs at least two points, some after time 0", argument="curve")
    return CleanCurve(time, surv, tuple(changes))


def check_at_risk(at_risk, *, n: int | None,
                  last_time: float) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Check a numbers-at-risk table and align it with the curve.

    Returns the times and numbers (starting at time 0 with ``n``) and notes on
    what was done. Rows after the curve's last time are dropped (they carry no
    curve to reconstruct).
    """
    t, r = as_two_columns(at_risk, ("time", "n_at_risk"), argument="at_risk")
    notes: list[str] = []
    for i in np.flatnonzero((r < 0) | (r != np.round(r))):
        raise CurveError(f"number at risk {r[i]:g} is not a whole number >= 0",
                         argument="at_risk", index=int(i), column="n_at_risk")
    for i in np.flatnonzero(t < 0):
        raise CurveError(f"time {t[i]:g} below 0", argument="at_risk", index=int(i),
                         column="time")
    for i in np.flatnonzero(np.diff(t) <= 0):
        raise CurveError(f"time {t[i + 1]:g} not after the previous time {t[i]:g}",
                         argument="at_risk", index=int(i + 1), column="time")
    for i in np.flatnonzero(np.diff(r) > 0):
        raise CurveError(f"numbers at risk increase ({r[i]:g} then {r[i + 1]:g})",
                         argument="at_risk", index=int(i + 1), column="n_at_risk")
    if n is not None:
        if n < r[0]:
            raise CurveError(f"n = {n} is below the first number at risk {r[0]:g}",
                             argument="at_risk", index=0, column="n_at_risk")
        if t[0] == 0 and n != r[0]:
            raise CurveError(f"n = {n} differs from the number at risk at time 0 ({r[0]:g})",
                             argument="at_risk", index=0, column="n_at_risk")
    if t[0] > 0:
        if n is None:
            raise CurveError("the table does not start at time 0; give n", argument="at_risk",
                             index=0, column="time")
        t, r = np.concatenate(([0.0], t)), np.concatenate(([float(n)], r))
        notes.append(f"at-risk table starts at time 0 with n = {n}")
    beyond = t >= last_time
    beyond[0] = False
    if beyond.any():
        notes.append(f"at-risk rows at or after the curve's last time {last_time:g} not used: "
                     + ", ".join(f"{a:g}" for a in t[beyond]))
        t, r = t[~beyond], r[~beyond]
    return t, r.astype(int), notes
