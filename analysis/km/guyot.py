"""Reconstruct individual patient data from a digitized Kaplan–Meier curve.

The algorithm of Guyot et al. (2012): walk along the digitized curve, and at
each point put as many events as make the Kaplan–Meier estimate of the patients
still at risk fall to the digitized survival; between two times of the
numbers-at-risk table, choose the number of censorings so that the patients
still at risk at the next time match the table.

Choices the published algorithm leaves open, and what this implementation does
(each measured against a port of the published R code in ``benchmarks/guyot.py``):

- *Sloped stretches.* Between two digitized points that differ in both time and
  survival the published code puts all the events at the second point. Here a
  stretch longer than 0.5% of the time axis is split into small equal drops along
  the straight line (``slopes="spread"``), so its events are spread over it as on
  the figure; shorter ones are vertical drops clicked with a little noise.
- *Censorings inside an interval* are scheduled evenly over the interval, as in
  the published code, but each keeps its own time (the published code moves them
  to midpoints between digitized points). Where few patients are at risk a
  step's height tells how many were at risk (one event of 8 is a drop of 1/8), so
  up to three scheduled censorings may move across a drop when that makes the
  drop a whole number of patients and saves more than a click's noise (0.002);
  the interval's total is unchanged (``shift=True``).
- *Matching the table.* The number of censorings in an interval is found by
  bisection; the patients are always accounted for, so the IPD has exactly ``n``
  rows (the published code can lose or add patients when the table and the curve
  disagree). A drop clicked within 1% of the axis before an at-risk time, which the
  table says happened after it, is moved onto that time.
- *The last interval* (after the last at-risk time) assumes the censoring rate
  per unit time of the earlier intervals (as published), but no more than leaves
  the patients the curve's last drops need; with the total number of events, the
  censorings are chosen to match it instead.
- *No at-risk table*: one interval from 0 to the end. With the total number of
  events, the censorings are placed at the quantiles of a density half uniform,
  half proportional to the curve (``censoring="mixed"``; the published code
  spreads them evenly, ``"even"``), in the number that matches the events;
  without it, nobody is censored before the last digitized time (as in Guyot's
  paper and IPDfromKM). The assumption is stated in the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .curve import CleanCurve, CurveError, check_at_risk, clean_curve
from .estimate import kaplan_meier, km_median, n_at_risk, survival_at

__all__ = ["GuyotResult", "reconstruct_guyot"]

# Drops this close (as a fraction of the time axis) before an at-risk time may be
# moved onto it when the table says they happened there: about three clicks' noise.
_SNAP = 0.01
# Stretches shorter than this (fraction of the time axis) are vertical drops.
_VERTICAL = 0.005
# Censorings a drop may pull before it or push past it, and the survival error a
# shift must save to be worth making (about the noise of a click).
_SHIFT = 3
_NOISE = 0.002


@dataclass(frozen=True)
class GuyotResult:
    """Reconstructed IPD of one arm and how well it matches its inputs.

    Attributes
    ----------
    ipd : DataFrame
        ``time, event`` (event 1, censored 0), one row per patient, sorted by time.
    curve : CleanCurve
        The cleaned digitized curve that was reconstructed.
    changes : tuple of CurveChange
        Every change made to the digitized curve.
    assumptions : tuple of str
        Assumptions made for missing inputs (no at-risk table, no event total)
        and notes on the inputs.
    at_risk : DataFrame
        ``time, printed, reconstructed``: numbers at risk (empty without a table).
    rmse, max_abs_diff : float
        Reconstructed vs digitized survival at the digitized times.
    median : float
        Median of the reconstructed curve (R definition; ``nan`` if not reached).
    events : int
        Number of events in the IPD.
    total_events : int or None
        The total number of events given, if any.
    """

    ipd: pd.DataFrame
    curve: CleanCurve
    changes: tuple
    assumptions: tuple
    at_risk: pd.DataFrame
    rmse: float
    max_abs_diff: float
    median: float
    events: int
    total_events: int | None

    @property
    def n(self) -> int:
        return len(self.ipd)

    def to_frame(self) -> pd.DataFrame:
        """The IPD (a copy)."""
        return self.ipd.copy()

    def diagnostics(self) -> pd.DataFrame:
        """One row per diagnostic: ``quantity, value``."""
        rows = [("n", self.n), ("events", self.events), ("censored", self.n - self.events),
                ("median", self.median), ("rmse_vs_digitized", self.rmse),
                ("max_abs_diff_vs_digitized", self.max_abs_diff),
                ("curve_changes", len(self.changes))]
        if self.total_events is not None:
            rows.append(("events_given", self.total_events))
        if len(self.at_risk):
            rows.append(("max_abs_diff_at_risk",
                         int((self.at_risk.reconstructed - self.at_risk.printed).abs().max())))
        return pd.DataFrame(rows, columns=["quantity", "value"])

    def report(self) -> str:
        """The diagnostics as text lines (what the CLI prints)."""
        lines = [f"patients: {self.n}, events: {self.events}"
                 + (f" (given: {self.total_events})" if self.total_events is not None else "")
                 + f", censored: {self.n - self.events}",
                 f"reconstructed median: {self.median:.4g}" if math.isfinite(self.median)
                 else "reconstructed median: not reached",
                 f"survival vs digitized: RMSE {self.rmse:.4f}, max |difference| "
                 f"{self.max_abs_diff:.4f} ({self.curve.time.size} points)"]
        if len(self.at_risk):
            lines.append("numbers at risk (time: printed / reconstructed): " + ", ".join(
                f"{t:g}: {p} / {r}" for t, p, r in self.at_risk.itertuples(index=False)))
        lines += _summarize_changes(self.changes)
        for a in self.assumptions:
            lines.append(f"note: {a}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.diagnostics().to_html(index=False)


def _summarize_changes(changes, *, show: int = 6) -> list[str]:
    """One line per kind of change: how many, the largest change, the first rows."""
    by_reason: dict[str, list] = {}
    for c in changes:
        key = c.reason.split(";")[0]
        by_reason.setdefault(key, []).append(c)
    lines = []
    for reason, group in by_reason.items():
        rows = [str(c.index + 2) for c in group if c.index is not None]
        shift = [abs(c.new - c.old) for c in group if np.isfinite(c.new - c.old)]
        text = f"curve cleaned: {reason}: {len(group)} point" + ("s" if len(group) > 1 else "")
        if shift and max(shift) > 0:
            text += f", largest change {max(shift):.4g}"
        if rows:
            text += " (file lines " + ", ".join(rows[:show]) + (", ..." if len(rows) > show
                                                               else "") + ")"
        lines.append(text)
    return lines


def _densify(time: np.ndarray, surv: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Split each sloped stretch into drops of about a quarter of one patient.

    A stretch shorter than ``_VERTICAL`` of the time axis is a vertical drop
    clicked with a little noise, and is left alone (spreading it would only
    break the ties of the events at that time).
    """
    dt, ds = np.diff(time), -np.diff(surv)
    pieces = np.where((dt > _VERTICAL * time[-1]) & (ds > 0),
                      np.ceil(4.0 * n * ds / np.maximum(surv[:-1], 1e-12)), 1).astype(int)
    pieces = np.minimum(pieces, 4 * n + 1)
    if np.all(pieces == 1):
        return time, surv
    frac = [np.arange(1, p + 1) / p for p in pieces]
    seg = np.repeat(np.arange(dt.size), pieces)
    f = np.concatenate(frac)
    return (np.concatenate(([time[0]], time[seg] + f * dt[seg])),
            np.concatenate(([surv[0]], surv[seg] - f * ds[seg])))


class _Walk:
    """Walk along the curve placing events, interval by interval."""

    def __init__(self, time: np.ndarray, surv: np.ndarray, *, shift: bool):
        self.time, self.surv, self.shift = time, surv, shift
        self.events = np.zeros(time.size, dtype=int)
        self.censor_times: list[np.ndarray] = []

    def interval(self, lo: int, hi: int, n_start: int, km: float, a: float,
                 censor: np.ndarray, *, commit: bool) -> tuple[int, float, int]:
        """Points ``lo:hi`` of the interval from ``a``, with ``censor`` scheduled.

        Returns (patients at risk at the end, KM estimate, events). With
        ``shift``, up to ``_SHIFT`` scheduled censorings may move across a drop
        when that makes the drop a whole number of patients (a step's height
        tells how many were at risk); the interval's total is unchanged.
        """
        n_hat, taken, total = n_start, 0, 0
        times: list[float] = []
        prev = last_drop = a
        for k in range(lo, hi):
            t = float(self.time[k])
            # Scheduled before t and not yet placed (none if some were pulled forward).
            due = max(int(np.searchsorted(censor, t, side="left")) - taken, 0)
            r = 1.0 - self.surv[k] / km if km > 0 else 0.0
            if round(n_hat * r) <= 0:
                # No event here whoever is at risk: leave due censorings for the next
                # drop to place (their times stay as scheduled).
                if commit:
                    self.events[k] = 0
                prev = t
                continue
            j = 0
            if self.shift and n_hat > due:
                j = self._best_shift(n_hat - due, r, km, -due, censor.size - taken - due)
            first = min(due + j, n_hat)
            if self.shift and round((n_hat - first) * r) <= 0:
                # The drop is an event only with them still at risk: keep them.
                first = 0
            if first:
                # Held back past an earlier drop: censored at that drop (at risk there);
                # pulled forward from after this drop: between the last point and it.
                u = censor[taken:taken + first]
                times.extend(np.where(u < t, np.maximum(u, last_drop),
                                      (max(prev, last_drop) + t) / 2).tolist())
                n_hat -= first
                taken += first
            d = min(max(round(n_hat * r), 0), n_hat) if n_hat > 0 else 0
            if d:
                km *= 1.0 - d / n_hat
                n_hat -= d
                total += d
                last_drop = t
            if commit:
                self.events[k] = d
            prev = t
        rest = min(censor.size - taken, n_hat)
        times.extend(np.maximum(censor[taken:taken + rest], last_drop).tolist())
        n_hat -= rest
        if commit:
            self.censor_times.append(np.asarray(times, float))
        return n_hat, km, total

    @staticmethod
    def _best_shift(m0: int, r: float, km: float, lo: int, hi: int) -> int:
        """Censorings to add (+) or hold back (-) before a drop of relative size r."""
        def err(m):
            return abs(min(max(round(m * r), 0), m) / m - r) * km
        best, best_err = 0, err(m0) - _NOISE
        for j in range(max(lo, -_SHIFT), min(hi, _SHIFT) + 1):
            m = m0 - j
            if j and m > 0:
                e = err(m)
                if e < best_err:
                    best, best_err = j, e
        return best


def _even(a: float, b: float, c: int) -> np.ndarray:
    """``c`` times evenly inside ``(a, b)`` (the published placement)."""
    return a + np.arange(1, c + 1) * (b - a) / (c + 1)


def _half_survival(a: float, b: float, c: int, curve: CleanCurve) -> np.ndarray:
    """``c`` times inside ``(a, b)`` at the quantiles of a density that is half
    uniform, half proportional to the curve.

    Uniform is the published choice (steady accrual); proportional to the curve
    is a constant censoring hazard among those still alive. Measured without an
    at-risk table, the mixture did better than either on most data sets.
    """
    knots = np.concatenate(([a], curve.time[(curve.time > a) & (curve.time < b)], [b]))
    height = curve.step(knots[:-1])
    height = height + np.sum(np.diff(knots) * height) / (b - a)
    area = np.concatenate(([0.0], np.cumsum(np.diff(knots) * height)))
    return np.interp(np.arange(1, c + 1) * area[-1] / (c + 1), area, knots)


def _solve(f, lo: int, hi: int, target: int) -> int:
    """Smallest-error ``c`` in ``[lo, hi]`` for a non-increasing integer ``f``."""
    if f(lo) <= target:
        return lo
    a, b = lo, hi
    if f(b) > target:
        return b
    while b - a > 1:          # f(a) > target >= f(b)
        m = (a + b) // 2
        if f(m) > target:
            a = m
        else:
            b = m
    return a if f(a) - target < target - f(b) else b


def _snap_to_table(walk: _Walk, lo: int, hi: int, n0: int, km0: float, lo_time: float,
                   b: float, target: int, tol: float, notes: list[str]) -> int:
    """Move drops clicked just before at-risk time ``b`` to ``b`` when the table says so.

    When the curve drops just before ``b`` by more than the table allows even with
    no censoring, the drop is read as happening at ``b`` (the click was a little
    early): the latest such points within ``tol`` are moved to ``b``. Returns the
    new end of the interval.
    """
    time = walk.time
    for new_hi in range(hi - 1, lo, -1):
        if time[new_hi] < b - tol:
            break
        if time[new_hi] == time[new_hi - 1]:
            continue
        if walk.interval(lo, new_hi, n0, km0, lo_time, np.empty(0), commit=False)[0] >= target:
            notes.append(f"drop at time {time[new_hi]:g}-{time[hi - 1]:g} moved to the "
                         f"at-risk time {b:g} to agree with the table")
            time[new_hi:hi] = b
            return new_hi
    return hi


def _match_table(walk: _Walk, lo: int, hi: int, n0: int, km0: float, a: float, b: float,
                 target: int, place, *, snap: float, notes: list[str]) -> tuple[int, int]:
    """End of the interval and its number of censorings, matching the table at ``b``."""
    if walk.interval(lo, hi, n0, km0, a, np.empty(0), commit=False)[0] < target:
        hi = _snap_to_table(walk, lo, hi, n0, km0, a, b, target, snap, notes)

    def ends(c):
        return walk.interval(lo, hi, n0, km0, a, place(a, b, c), commit=False)[0]
    c = _solve(ends, 0, n0, target)
    miss = abs(ends(c) - target)
    if walk.shift and miss:
        # Shifting censorings can make the table unreachable; then walk this interval
        # as published if that comes closer (the caller restores ``walk.shift``).
        walk.shift = False
        c_plain = _solve(ends, 0, n0, target)
        if abs(ends(c_plain) - target) < miss:
            c = c_plain
        else:
            walk.shift = True
    return hi, c


def _last_interval(walk: _Walk, lo: int, hi: int, n0: int, km0: float, a: float, b: float,
                   place, *, total_events: int | None, censored_so_far: int,
                   end_survival: float, table: bool, notes: list[str]) -> int:
    """Censorings after the last at-risk time (or in the one interval without a table)."""
    def walk_with(c):
        return walk.interval(lo, hi, n0, km0, a, place(a, b, c), commit=False)

    if total_events is not None:
        done = int(walk.events.sum())
        c = _solve(lambda c: walk_with(c)[2], 0, n0, total_events - done)
        if table:
            notes.append(f"after time {a:g} (last at-risk time): {c} censored, the number "
                         f"that makes the events total {total_events}")
        return c
    if not table or a <= 0:
        if table:
            notes.append("the at-risk table has only time 0: nobody censored before the "
                         "last digitized time")
        return 0
    # Published choice: the censorings per unit time of the earlier intervals, but no
    # more than leave the patients the curve's last drops need (a curve that ends at 0
    # has nobody censored before its end).
    c = min(round(censored_so_far * (b - a) / a), n0)
    floor = abs(walk_with(0)[1] - end_survival) + 1e-9
    while c > 0 and abs(walk_with(c)[1] - end_survival) > floor:
        c -= 1
    notes.append(f"after time {a:g} (last at-risk time): censorings assumed at the rate of "
                 f"the earlier intervals ({c} censored before {b:g})")
    return c


def reconstruct_guyot(curve, *, at_risk=None, n: int | None = None,
                      total_events: int | None = None, percent: bool = False,
                      slopes: str = "spread", shift: bool = True,
                      censoring: str = "mixed") -> GuyotResult:
    """Reconstruct the IPD of one arm from its digitized Kaplan–Meier curve.

    Parameters
    ----------
    curve : DataFrame ``time, survival`` or array (n, 2)
        The digitized points, in any order; cleaned by :func:`clean_curve`.
    at_risk : DataFrame ``time, n_at_risk`` or array (k, 2), optional
        The numbers-at-risk table printed under the figure.
    n : int, optional
        Patients in the arm; required without ``at_risk``, otherwise the number
        at risk at time 0.
    total_events : int, optional
        Total number of events reported for the arm.
    percent : bool
        Survival is in percent.
    slopes : {"spread", "step"}
        ``"spread"``: the events of a sloped stretch between two digitized points
        are spread along it; ``"step"``: all at its end (published algorithm).
    shift : bool
        Let a few censorings move across a drop when the drop's height says how
        many patients were at risk (matters where few are at risk).
    censoring : {"mixed", "even"}
        Without an at-risk table and with ``total_events``: where the censorings
        go. ``"even"``: evenly over the follow-up (published); ``"mixed"``: at the
        quantiles of a density half uniform, half proportional to the curve.

    Returns
    -------
    GuyotResult

    Raises
    ------
    CurveError
        Bad input, naming the argument, row and column.

    Notes
    -----
    At digitized point :math:`k` with survival :math:`S_k`, the events are
    :math:`d_k = \\mathrm{round}(\\hat n_k (1 - S_k / \\hat S_{last}))`, where
    :math:`\\hat S_{last}` is the reconstructed KM at the last point with an
    event and :math:`\\hat n_k` the patients still at risk. The module docstring
    lists the choices made where the published algorithm leaves one. R: the
    ``IPDfromKM`` package (``getIPD``) implements the published algorithm.

    References
    ----------
    Guyot P, Ades AE, Ouwens MJ, Welton NJ. Enhanced secondary analysis of
    survival data: reconstructing the data from published Kaplan-Meier survival
    curves. BMC Med Res Methodol 2012;12:9. doi:10.1186/1471-2288-12-9

    Liu N, Zhou Y, Lee JJ. IPDfromKM: reconstruct individual patient data from
    published Kaplan-Meier survival curves. BMC Med Res Methodol 2021;21:111.
    doi:10.1186/s12874-021-01308-8
    """
    if slopes not in ("spread", "step"):
        raise ValueError(f"slopes must be 'spread' or 'step', got {slopes!r}")
    if censoring not in ("mixed", "even"):
        raise ValueError(f"censoring must be 'mixed' or 'even', got {censoring!r}")
    for name, value in (("n", n), ("total_events", total_events)):
        if value is not None and (int(value) != value or value < 0):
            raise CurveError(f"must be a whole number >= 0, got {value!r}", argument=name)
    n = None if n is None else int(n)
    total_events = None if total_events is None else int(total_events)
    clean = clean_curve(curve, percent=percent)
    t_end = float(clean.time[-1])
    notes: list[str] = []
    if at_risk is not None:
        risk_t, risk_n, more = check_at_risk(at_risk, n=n, last_time=t_end)
        notes += more
        n = int(risk_n[0])
    else:
        if n is None:
            raise CurveError("give n (patients in the arm) when there is no at-risk table",
                             argument="n")
        risk_t, risk_n = np.array([0.0]), np.array([n])
        notes.append("no at-risk table: " + (
            ("censorings spread evenly over the follow-up" if censoring == "even" else
             "censorings spread over the follow-up, half evenly in time, half in "
             "proportion to the survival curve") +
            f", as many as make the events total {total_events}"
            if total_events is not None else
            "nobody censored before the last digitized time; patients without an event "
            "are censored there (Guyot 2012, IPDfromKM)"))
    if n < 1:
        raise CurveError("must be at least 1", argument="n")
    if total_events is not None and total_events > n:
        raise CurveError(f"{total_events} events but only {n} patients",
                         argument="total_events")

    if slopes == "spread":
        time, surv = _densify(clean.time, clean.survival, n)
    else:
        time, surv = clean.time, clean.survival
    time = time.copy()
    walk = _Walk(time, surv, shift=shift)
    if at_risk is None and censoring == "mixed":
        def place(a, b, c):
            return _half_survival(a, b, c, clean)
    else:
        place = _even
    n_hat, km = n, 1.0
    censored_so_far = 0
    hi = int(np.searchsorted(time, risk_t[0], side="left"))
    for j in range(risk_t.size):
        lo, a = hi, float(risk_t[j])
        last = j == risk_t.size - 1
        b = t_end if last else float(risk_t[j + 1])
        hi = time.size if last else int(np.searchsorted(time, b, side="left"))
        if not last:
            hi, c = _match_table(walk, lo, hi, n_hat, km, a, b, int(risk_n[j + 1]), place,
                                 snap=_SNAP * t_end, notes=notes)
        else:
            c = _last_interval(walk, lo, hi, n_hat, km, a, b, place,
                               total_events=total_events, censored_so_far=censored_so_far,
                               end_survival=surv[-1], table=at_risk is not None, notes=notes)
        n_hat, km, _ = walk.interval(lo, hi, n_hat, km, a, place(a, b, c), commit=True)
        walk.shift = shift
        censored_so_far += walk.censor_times[-1].size

    ev = walk.events
    times = np.concatenate([np.repeat(time, ev), *walk.censor_times, np.full(n_hat, t_end)])
    status = np.concatenate([np.ones(ev.sum(), int),
                             np.zeros(times.size - ev.sum(), int)])
    order = np.lexsort((-status, times))
    ipd = pd.DataFrame({"time": times[order], "event": status[order]})

    rec = kaplan_meier(ipd.time.to_numpy(), ipd.event.to_numpy())
    # Compare at each digitized time with the curve's value after any drop there.
    u_time = clean.time
    diff = survival_at(rec, u_time) - clean.step(u_time)
    if at_risk is not None:
        table = pd.DataFrame({"time": risk_t, "printed": risk_n,
                              "reconstructed": n_at_risk(ipd.time.to_numpy(), risk_t)})
    else:
        table = pd.DataFrame(columns=["time", "printed", "reconstructed"])
    return GuyotResult(
        ipd=ipd, curve=clean, changes=clean.changes, assumptions=tuple(notes), at_risk=table,
        rmse=float(np.sqrt(np.mean(diff ** 2))), max_abs_diff=float(np.max(np.abs(diff))),
        median=km_median(rec), events=int(ipd.event.sum()), total_events=total_events)
