"""Every printed number of a spec as a constraint on a patient-level data set.

:class:`Constraints` turns a :class:`~analysis.ensemble.spec.Spec` (with its
:class:`~analysis.ensemble.spec.Definitions`) into intervals on statistics of a
data set: KM medians per arm, the signed log-rank statistic (which carries the
printed χ², the printed P and the direction of the difference at once), the
follow-up range and median, and optional hazard ratios. ``loss`` is the summed
distance of each statistic outside its interval, in units of ``scale``; a data
set is accepted when the loss is exactly zero, i.e. every printed number is
reproduced at its printed precision.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .cox import cox_binary_sorted
from .fast import (km_steps, km_steps_sorted, logrank_z_sorted, median_from_steps,
                   median_of, survival_at_steps)
from .prior import Patients, _anchored
from .spec import NESTED_KINDS, Spec

__all__ = ["Constraint", "Constraints", "InfeasibleSpec"]


# Loss units: one "time unit" of a 24-month study is a month; the signed log-rank
# statistic counts in units of 0.5 (one patient's event moved past another changes
# it by about 0.05), so it does not lock the medians in place while they are far off.
Z_SCALE = 0.5
S_WEIGHT = 10.0
# A printed event count off by one costs 1 / EVENT_SCALE; a landmark rate off by one
# percentage point 0.01 / RATE_SCALE (a fifth of a unit).
EVENT_SCALE = 2.0
RATE_SCALE = 0.05
# Where the prior is anchored (.prior._anchored), a missed median follow-up (of all observed
# times) also costs this per observed time on the wrong side of the window: censoring piles
# up on a few days (held-out rhDNase, n = 647: 14-19 patients censored on each day around
# the median), so moving one patient across leaves the median's value, and the loss, flat
RANK_STEP = 0.02
# a Cox fit kept as the next one's start only with |ln HR| below this: an arm without events
# runs ln HR off to where exp overflows
COX_START_MAX = 10.0


class InfeasibleSpec(ValueError):
    """Printed numbers that contradict each other before any data are drawn.

    ``constraint`` names the constraint at fault (``"pfs median (combination)"``;
    ``""`` when none is singled out) and ``reason`` says why: ``"contradiction"``
    (printed values exclude each other) or ``"grid"`` (no time on the recording
    grid rounds to the printed value). Both are language-neutral, for readers of
    the feasibility table; the message is for the command line.
    """

    def __init__(self, message: str, *, constraint: str = "", reason: str = "contradiction",
                 field: str = ""):
        super().__init__(message)
        self.constraint = constraint
        self.reason = reason
        self.field = field  # the spec's dotted key to fix ("endpoints.os.hr_lower"), if one

    def __reduce__(self):
        # Keyword-only fields survive pickling (workers, multiprocessing).
        return (_infeasible, (str(self), self.constraint, self.reason, self.field))


def _infeasible(message: str, constraint: str, reason: str, field: str) -> InfeasibleSpec:
    return InfeasibleSpec(message, constraint=constraint, reason=reason, field=field)


def _field(stat: str, field: str = "") -> str:
    """The spec key a constraint's statistic comes from: ``os.hr_lower`` ->
    ``endpoints.os.hr_lower``; the log-rank statistic ``os.z`` -> ``endpoints.os.logrank_chi2``;
    ``field`` when the constraint names its key itself (a landmark rate)."""
    if field:
        return field
    if stat.startswith("follow_up."):
        return stat
    ep, _, key = stat.partition(".")
    return f"endpoints.{ep}." + ("logrank_chi2" if key in ("z", "absz") else key)


@dataclass(frozen=True)
class Constraint:
    """Statistic ``stat`` must lie in ``[lo, hi]``; ``nan`` bounds: "not reached".

    ``kind`` picks a graded violation so that local moves can see progress:
    ``"median"`` adds how far :math:`\\hat S` is from 0.5 at the interval's ends
    (times alone are flat while the curve is far from the median); ``"min"`` and
    ``"max"`` add every patient beyond the bound, not just the extreme one.
    """

    name: str
    stat: str
    lo: float
    hi: float
    scale: float
    printed: str
    kind: str = "value"
    field: str = ""  # the spec's dotted key, where _field cannot tell it from ``stat``

    def holds(self, values: dict[str, float]) -> bool:
        x = values[self.stat]
        if math.isnan(self.lo):
            return math.isnan(x)
        return not math.isnan(x) and self.lo <= x <= self.hi

    def violation(self, values: dict[str, float]) -> float:
        if self.holds(values):
            return 0.0
        x = values[self.stat]
        if math.isnan(self.lo):  # must be not reached: S at the end must stay above 0.5
            return 1.0 + S_WEIGHT * max(0.0, 0.5 - values[self.stat + ".s_end"])
        v = 1.0 + abs(self.hi) / self.scale if math.isnan(x) else \
            max(self.lo - x, x - self.hi, 0.0) / self.scale
        if self.kind == "median":
            v += S_WEIGHT * (max(0.0, values[self.stat + ".s_hi"] - 0.5)
                       + max(0.0, 0.5 - values[self.stat + ".s_lo"]))
        elif self.kind in ("min", "max"):
            v += values[self.stat + ".beyond"] / self.scale
        elif self.kind == "rank":
            v += values[self.stat + ".beyond"] * RANK_STEP
        return v


def _chi2_interval(ep, name: str) -> tuple[float, float, str]:
    lo, hi, text = 0.0, math.inf, []
    if ep.logrank_chi2 is not None:
        c_lo, c_hi = ep.logrank_chi2.printed.interval
        lo, hi = max(lo, c_lo), min(hi, c_hi)
        text.append(f"χ²={ep.logrank_chi2.text}")
    if ep.logrank_p is not None:
        p_lo, p_hi = ep.logrank_p.printed.interval
        lo = max(lo, float(stats.chi2.isf(min(p_hi, 1.0), 1)))
        hi = min(hi, float(stats.chi2.isf(p_lo, 1)) if p_lo > 0 else math.inf)
        text.append(f"P={ep.logrank_p.text}")
    if lo > hi:
        raise InfeasibleSpec(f"{name}: printed log-rank {' and '.join(text)} contradict each "
                             f"other (χ² in [{lo:.4f}, {hi:.4f}] is empty); check both "
                             f"against the paper, and keep the one its text and tables agree on",
                             constraint=f"{name} log-rank", reason="contradiction",
                             field=f"endpoints.{name}.logrank_p")
    return lo, hi, ", ".join(text)


class Constraints:
    """The printed numbers of ``spec`` under ``spec.definitions``."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.defs = spec.definitions
        unit = spec.span / 24  # months for a two-year study
        cons: list[Constraint] = []
        logrank: list[tuple[int, int, bool]] = []
        medians: list[tuple[int, int, int]] = []
        hazard: list[tuple[int, int, str]] = []
        events: list[tuple[int, int, int]] = []
        rates: list[tuple[int, int, int, float]] = []
        for k, ep in enumerate(spec.endpoints):
            for a, arm in enumerate(spec.arms):
                med = ep.medians.get(arm)
                if med is None:
                    continue
                lo, hi = (math.nan, math.nan) if med.not_reached else med.printed.interval
                if not med.not_reached:
                    medians.append((len(cons), k, a))
                cons.append(Constraint(f"{ep.name} median ({arm})", f"{ep.name}.median.{arm}",
                                       lo, hi, unit, med.shown, "median"))
            if ep.logrank_chi2 is not None or ep.logrank_p is not None:
                lo, hi, text = _chi2_interval(ep, ep.name)
                z_lo, z_hi = math.sqrt(lo), math.sqrt(hi)
                if ep.better == spec.arms[0]:
                    lo_z, hi_z = -z_hi, -z_lo
                    text += f", favours {ep.better}"
                elif ep.better == spec.arms[1]:
                    lo_z, hi_z = z_lo, z_hi
                    text += f", favours {ep.better}"
                else:  # direction not printed: only |z| is constrained
                    lo_z, hi_z = z_lo, z_hi
                logrank.append((len(cons), k, ep.better is not None))
                cons.append(Constraint(f"{ep.name} log-rank", f"{ep.name}.z" if ep.better
                                       else f"{ep.name}.absz", lo_z, hi_z, Z_SCALE, text))
            for key in ("hr", "hr_lower", "hr_upper"):
                val = getattr(ep, key)
                if val is not None:
                    lo, hi = val.printed.interval
                    hazard.append((len(cons), k, key))
                    cons.append(Constraint(f"{ep.name} {key}", f"{ep.name}.{key}", lo, hi,
                                           0.05, val.text))
            for a, arm in enumerate(spec.arms):
                val = ep.events.get(arm)
                if val is not None:
                    events.append((len(cons), k, a))
                    cons.append(Constraint(f"{ep.name} events ({arm})", f"{ep.name}.events.{arm}",
                                           *val.printed.interval, EVENT_SCALE, val.text))
            if ep.events_total is not None:
                events.append((len(cons), k, -1))
                cons.append(Constraint(f"{ep.name} events", f"{ep.name}.events.total",
                                       *ep.events_total.printed.interval, EVENT_SCALE,
                                       ep.events_total.text, field=f"endpoints.{ep.name}.events_total"))
            for i, mark in enumerate(ep.survival):
                for a, arm in enumerate(spec.arms):
                    val = mark.rates.get(arm)
                    if val is not None:
                        rates.append((len(cons), k, a, mark.time))
                        cons.append(Constraint(
                            f"{ep.name} survival at {mark.text} ({arm})",
                            f"{ep.name}.survival.{arm}.{mark.time:g}", *val.printed.interval,
                            RATE_SCALE, val.text, field=f"{mark.key}.{arm}"))
        fu = spec.follow_up
        if fu is not None:
            for key in ("min", "max", "median"):
                val = getattr(fu, key)
                if val is not None:
                    lo, hi = val.printed.interval
                    kind = key if key != "median" else \
                        ("median" if self.defs.follow_up_median == "reverse_km" else
                         "rank" if _anchored(spec) else "value")
                    cons.append(Constraint(f"follow-up {key}", f"follow_up.{key}", lo, hi,
                                           unit, val.shown, kind))
        self.constraints = tuple(cons)
        self._check_grid()
        self._check_order()
        # (position in constraints, endpoint index, signed?) of each log-rank window
        self.logrank = tuple(logrank)
        # (position in constraints, endpoint index, arm index) of each printed median
        self.medians = tuple(medians)
        # (position in constraints, endpoint index, "hr" | "hr_lower" | "hr_upper")
        self.hazard = tuple(hazard)
        # (position, endpoint index, arm index or -1 for both arms) of each printed count
        self.events = tuple(events)
        # (position, endpoint index, arm index, time) of each printed landmark rate
        self.rates = tuple(rates)
        self._bounds = {c.stat: (c.lo, c.hi) for c in cons}
        # rows of the endpoints the outer event ends, and of those it censors (the moves
        # of .sampler keep each patient's times as the kind says)
        self.nested = [k for k, ep in enumerate(spec.endpoints) if ep.kind in NESTED_KINDS]
        self.death_censored = [k for k, ep in enumerate(spec.endpoints)
                               if ep.kind == "death_censored"]
        self._stage_list = self._stages()
        self._anchored = _anchored(spec)
        self.cox_start: dict[int, float] = {}  # where each endpoint's Cox fit starts (_cox)

    def _check_grid(self) -> None:
        """Printed values that no data set recorded at ``spec.tick`` can give.

        A "first_below" KM median and the follow-up minimum and maximum are observed
        times, so whole multiples of the recording resolution; on a whole-month grid a
        printed median of 9.5 (to 0.1) cannot be met.
        """
        tick = self.spec.tick
        for c in self.constraints:
            grid_valued = (c.kind == "median" and c.stat != "follow_up.median"
                           and self.defs.median == "first_below") or c.kind in ("min", "max")
            if not grid_valued or math.isnan(c.lo):
                continue
            k = math.ceil(c.lo / tick - 1e-9)
            if k * tick > c.hi + 1e-9:
                raise InfeasibleSpec(
                    f"{c.name} printed {c.printed} needs a value in [{c.lo:g}, {c.hi:g}], but "
                    f"it is an observed time, a multiple of the recording resolution "
                    f"{tick:g} {self.spec.time_unit}", constraint=c.name, reason="grid")

    def _check_order(self) -> None:
        """Printed numbers whose intervals exclude each other, found without sampling.

        A KM median is an event time, so it cannot lie past the follow-up cap
        (planned follow-up, printed maximum, cut-off); the follow-up minimum, median
        and maximum must be in order; a printed hazard ratio must lie inside its
        printed CI and agree with the side ``better`` names.
        """
        spec = self.spec
        cap = spec.follow_up_cap
        by = {c.name: c for c in self.constraints}
        for c in self.constraints:
            if c.kind == "median" and c.stat != "follow_up.median" and not math.isnan(c.lo) \
                    and c.lo > cap + 1e-9:
                raise InfeasibleSpec(
                    f"{c.name} printed {c.printed} needs an event at {c.lo:g} or later, but "
                    f"no one is followed past {cap:g} {spec.time_unit} (planned or printed "
                    f"maximum follow-up); check both against the paper", constraint=c.name,
                    reason="contradiction", field=_field(c.stat))
        self._check_rates()
        order = [by.get(f"follow-up {k}") for k in ("min", "median", "max")]
        order = [c for c in order if c is not None]
        for a, b in zip(order, order[1:]):
            if a.lo > b.hi + 1e-9:
                raise InfeasibleSpec(f"{a.name} printed {a.printed} exceeds {b.name} printed "
                                     f"{b.printed}: the minimum, median and maximum follow-up "
                                     f"are in that order; check the transcription",
                                     constraint=a.name, reason="contradiction",
                                     field=_field(a.stat))
        for ep in spec.endpoints:
            hr, lo, hi = (by.get(f"{ep.name} {k}") for k in ("hr", "hr_lower", "hr_upper"))
            for low, high in ((lo, hr), (hr, hi), (lo, hi)):
                if low is not None and high is not None and low.lo > high.hi + 1e-9:
                    raise InfeasibleSpec(f"{low.name} printed {low.printed} exceeds {high.name} "
                                         f"printed {high.printed}: a hazard ratio lies inside its "
                                         f"CI (hr_lower <= hr <= hr_upper); check the transcription",
                                         constraint=low.name, reason="contradiction",
                                         field=_field(low.stat))
            if hr is not None and ep.better is not None:
                wrong = hr.lo >= 1 if ep.better == spec.arms[0] else hr.hi <= 1
                if wrong:
                    raise InfeasibleSpec(f"{hr.name} printed {hr.printed} says the other arm "
                                         f"does better than {ep.better} (the hazard ratio is "
                                         f"{spec.arms[0]} against {spec.arms[1]}); check better "
                                         f"and the order of [arms]", constraint=hr.name,
                                         reason="contradiction", field=_field(hr.stat))

    def _check_rates(self) -> None:
        """Printed landmark rates that exclude each other or a printed median: a
        Kaplan-Meier curve never rises, and is at or below one half from its median on
        (and above it before); an arm printed with no event has a flat curve."""
        spec = self.spec
        for ep in spec.endpoints:
            for arm in spec.arms:
                marks = [m for m in ep.survival if arm in m.rates]
                for early, late in zip(marks, marks[1:]):
                    a, b = early.rates[arm], late.rates[arm]
                    if b.printed.interval[0] > a.printed.interval[1] + 1e-12:
                        raise InfeasibleSpec(
                            f"{ep.name} survival at {late.text} ({arm}) printed {b.text} exceeds "
                            f"the rate at {early.text}, {a.text}: a Kaplan-Meier curve never "
                            f"rises; check the transcription", constraint=f"{ep.name} survival "
                            f"at {late.text} ({arm})", field=f"{late.key}.{arm}")
                med = ep.medians.get(arm)
                ev = ep.events.get(arm)
                for m in marks:
                    lo, hi = m.rates[arm].printed.interval
                    why = ""
                    if ev is not None and ev.printed.value == 0 and lo > 0 and hi < 1:
                        why = f"no {ep.name} event is printed for {arm} (events {ev.text})"
                    elif med is not None and med.not_reached and hi < 0.5:
                        why = f"the {ep.name} median of {arm} is printed as not reached"
                    elif med is not None and not med.not_reached:
                        m_lo, m_hi = med.printed.interval
                        if m.time < m_lo - 1e-9 and hi < 0.5:
                            why = f"the {ep.name} median of {arm} is printed {med.shown}, later"
                        elif m.time > m_hi + 1e-9 and lo > 0.5:
                            why = f"the {ep.name} median of {arm} is printed {med.shown}, earlier"
                    if why:
                        raise InfeasibleSpec(
                            f"{ep.name} survival at {m.text} ({arm}) printed {m.rates[arm].text} "
                            f"cannot hold: {why}; check both against the paper",
                            constraint=f"{ep.name} survival at {m.text} ({arm})",
                            field=f"{m.key}.{arm}")

    def _median_stats(self, out: dict, stat: str, t: np.ndarray, e: np.ndarray) -> None:
        """KM median of one curve (times sorted), and :math:`\\hat S` where the graded
        loss looks."""
        ev_t, surv, last = km_steps_sorted(t, e)
        tick = self.spec.tick
        out[stat] = median_from_steps(ev_t, surv, last, self.defs.median) * tick
        lo, hi = self._bounds[stat]
        if lo <= out[stat] <= hi:  # holds: the graded terms are not looked at
            return
        out[stat + ".s_end"] = float(surv[-1]) if surv.size else 1.0
        if not math.isnan(lo):
            s_lo, s_hi = survival_at_steps(ev_t, surv, [lo / tick - 1e-9, hi / tick])
            out[stat + ".s_lo"], out[stat + ".s_hi"] = float(s_lo), float(s_hi)

    def _stages(self) -> list[tuple]:
        """``(fill, positions)`` in the order :meth:`evaluate` computes them: cheap
        statistics first, the Cox fits last (about half of an evaluation's time), so a
        data set already past its cap is dropped before they are fitted. ``fill(pat,
        out, sort)`` puts statistics into ``out``; ``positions`` are the constraints
        they settle."""
        def where(prefix):
            return [i for i, c in enumerate(self.constraints) if c.stat.startswith(prefix)]

        endpoints = [(k, ep.name) for k, ep in enumerate(self.spec.endpoints)]
        stages = [(functools.partial(self._events, k), [p for p, kk, _ in self.events if kk == k])
                  for k, _ in endpoints]
        stages += [(functools.partial(self._logrank, k), [p for p, kk, _ in self.logrank if kk == k])
                   for k, _ in endpoints]
        stages.append((self._follow_up, where("follow_up.")))
        stages += [(functools.partial(self._medians, k), where(f"{name}.median."))
                   for k, name in endpoints]
        stages += [(functools.partial(self._rates, k), [r[0] for r in self.rates if r[1] == k])
                   for k, _ in endpoints]
        stages += [(functools.partial(self._cox, k), [p for p, kk, _ in self.hazard if kk == k])
                   for k, _ in endpoints]
        return [(fill, pos) for fill, pos in stages if pos]

    @staticmethod
    def _sorted(pat: Patients, k: int, sort: dict):
        """Endpoint ``k``'s times, events and first-arm flags sorted by time, once per
        evaluation (one sort serves both arms, the test and the Cox fit)."""
        if k not in sort:
            t = pat.time[k]
            order = np.argsort(t, kind="stable")
            sort[k] = t[order], pat.event[k][order], (pat.arm == 0)[order]
        return sort[k]

    def _logrank(self, k: int, pat: Patients, out: dict, sort: dict) -> None:
        z = logrank_z_sorted(*self._sorted(pat, k, sort))
        name = self.spec.endpoints[k].name
        out[f"{name}.z"], out[f"{name}.absz"] = z, abs(z)

    def _medians(self, k: int, pat: Patients, out: dict, sort: dict) -> None:
        ts, es, fs = self._sorted(pat, k, sort)
        ep = self.spec.endpoints[k]
        for a, arm in enumerate(self.spec.arms):
            if arm in ep.medians:
                m = fs if a == 0 else ~fs
                self._median_stats(out, f"{ep.name}.median.{arm}", ts[m], es[m])

    def _events(self, k: int, pat: Patients, out: dict, sort: dict) -> None:
        """Events of endpoint ``k`` per arm and in all."""
        e = pat.event[k]
        first = int(np.count_nonzero(e[pat.arm == 0]))
        total = int(np.count_nonzero(e))
        name = self.spec.endpoints[k].name
        out[f"{name}.events.{self.spec.arms[0]}"] = float(first)
        out[f"{name}.events.{self.spec.arms[1]}"] = float(total - first)
        out[f"{name}.events.total"] = float(total)

    def _rates(self, k: int, pat: Patients, out: dict, sort: dict) -> None:
        """Kaplan-Meier survival of endpoint ``k`` per arm at its printed landmarks (an
        event at the landmark itself counts, as in R's ``summary(survfit, times =)``)."""
        ts, es, fs = self._sorted(pat, k, sort)
        ep = self.spec.endpoints[k]
        tick = self.spec.tick
        for a, arm in enumerate(self.spec.arms):
            times = [m.time for m in ep.survival if arm in m.rates]
            if not times:
                continue
            m = fs if a == 0 else ~fs
            ev_t, surv, _ = km_steps_sorted(ts[m], es[m])
            at = survival_at_steps(ev_t, surv, np.array(times) / tick + 1e-9)
            for x, s_x in zip(times, at):
                out[f"{ep.name}.survival.{arm}.{x:g}"] = float(s_x)

    def _cox(self, k: int, pat: Patients, out: dict, sort: dict) -> None:
        # Newton's method starts at the last fit of this endpoint (where the prior is
        # anchored; else at 0 as before): a move changes ln HR by a few hundredths, and
        # the fit converges to the same number in about half the steps (the sampler clears
        # the starts with each member, so that a member's data do not depend on the worker)
        fit = cox_binary_sorted(*self._sorted(pat, k, sort), init=self.cox_start.get(k, 0.0))
        if self._anchored and fit.converged and abs(fit.coef) < COX_START_MAX:
            self.cox_start[k] = fit.coef
        name = self.spec.endpoints[k].name
        out[f"{name}.hr"], out[f"{name}.hr_lower"], out[f"{name}.hr_upper"] = \
            fit.hr, fit.lower, fit.upper

    def _follow_up(self, pat: Patients, out: dict, sort: dict) -> None:
        spec = self.spec
        t0, e0 = pat.time[0], pat.event[0]
        pool = (t0 if self.defs.follow_up_range == "all" else t0[~e0]) * spec.tick
        if pool.size:
            out["follow_up.min"], out["follow_up.max"] = float(pool.min()), float(pool.max())
        else:
            out["follow_up.min"] = out["follow_up.max"] = math.nan
        if "follow_up.min" in self._bounds:
            out["follow_up.min.beyond"] = float(np.sum(np.maximum(
                self._bounds["follow_up.min"][0] - pool, 0)))
        if "follow_up.max" in self._bounds:
            out["follow_up.max.beyond"] = float(np.sum(np.maximum(
                pool - self._bounds["follow_up.max"][1], 0)))
        if self.defs.follow_up_median == "observed":
            out["follow_up.median"] = median_of(t0) * spec.tick
            if "follow_up.median" in self._bounds:
                lo, hi = self._bounds["follow_up.median"]
                if not lo <= out["follow_up.median"] <= hi:
                    # observed times on the wrong side: fewer than half before the window
                    # and more than half up to its end put both middle ones inside
                    x, n = t0 * spec.tick, t0.size
                    out["follow_up.median.beyond"] = float(
                        max(int(np.count_nonzero(x < lo)) - (math.ceil(n / 2) - 1), 0)
                        + max(n // 2 + 1 - int(np.count_nonzero(x <= hi)), 0))
        elif "follow_up.median" in self._bounds:
            order = np.argsort(t0, kind="stable")
            self._median_stats(out, "follow_up.median", t0[order], ~e0[order])
        else:
            out["follow_up.median"] = median_from_steps(
                *km_steps(t0, ~e0), self.defs.median) * spec.tick

    def statistics(self, pat: Patients) -> dict[str, float]:
        """The statistics the constraints refer to, times in the spec's unit."""
        out: dict[str, float] = {}
        sort: dict = {}
        for fill, _ in self._stage_list:
            fill(pat, out, sort)
        return out

    def bounds(self, stat: str) -> tuple[float, float]:
        """The interval of statistic ``stat`` (e.g. ``"follow_up.max"``)."""
        return self._bounds[stat]

    def position(self, name: str) -> int | None:
        """Index of the constraint called ``name`` in :attr:`constraints`, if any."""
        return next((i for i, c in enumerate(self.constraints) if c.name == name), None)

    def follow_up_floor(self):
        """``f(pat) -> mask`` of patients observed before the printed minimum follow-up
        (and counted in it), or ``None`` when no minimum is printed."""
        if "follow_up.min" not in self._bounds:
            return None
        floor = self._bounds["follow_up.min"][0] / self.spec.tick
        if self.defs.follow_up_range == "all":
            return lambda pat: pat.time[0] < floor
        return lambda pat: (pat.time[0] < floor) & ~pat.event[0]

    def check(self, pat: Patients) -> dict[str, bool]:
        """Whether each constraint holds, by name."""
        values = self.statistics(pat)
        return {c.name: c.holds(values) for c in self.constraints}

    def violations(self, values: dict[str, float]) -> np.ndarray:
        return np.array([c.violation(values) for c in self.constraints])

    def evaluate(self, pat: Patients, *, cap: float = math.inf,
                 looser=None) -> tuple[float, np.ndarray | None]:
        """Summed violation and the violation of each constraint.

        With a ``cap``, the evaluation stops as soon as the violations found so far
        exceed it, and returns ``(inf, None)``: the sampler only needs to know that
        a move does not lower the loss below the cap, and the Cox fits come last.
        ``looser()``, if given, is called (once) when the cap is first exceeded and
        returns a higher cap to go on with (the annealing draws its random number
        only then, as it would after a full evaluation). The summed violation of a
        completed evaluation is the same with or without a cap.
        """
        values: dict[str, float] = {}
        sort: dict = {}
        viol = np.zeros(len(self.constraints))
        partial = 0.0
        for fill, positions in self._stage_list:
            fill(pat, values, sort)
            for p in positions:
                viol[p] = self.constraints[p].violation(values)
                partial += viol[p]
            # the margin keeps rounding of the partial sum from dropping a data set at its cap
            if partial > cap * (1 + 1e-12):
                if looser is None:
                    return math.inf, None
                cap, looser = looser(), None
                if partial > cap * (1 + 1e-12):
                    return math.inf, None
        return float(viol.sum()), viol

    def loss(self, pat: Patients, *, cap: float = math.inf) -> float:
        """Summed violation (``inf`` once it exceeds ``cap``, see :meth:`evaluate`)."""
        return self.evaluate(pat, cap=cap)[0]
