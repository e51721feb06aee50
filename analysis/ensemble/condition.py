"""Each arm's patients drawn from the prior conditioned on what the report prints per arm.

A printed event count, a landmark rate to 0.1 % or a CI of the hazard ratio (which pins
the events of the smaller arm: se² >= 1/D_a + 1/D_b) leaves an arm of a few dozen patients
one or two numbers of events. The prior's hazards are matched to them only in expectation
(:mod:`.anchors`), so an arm drawn from it meets each with probability ~0.1-0.2, and the
sampler's one-patient moves then have to bring the count there while keeping the log-rank
and hazard-ratio windows: on the held-out lymphoma report (19 against 61 patients, HR 0.38,
0.18-0.81) every rejected member ended with 7 deaths in the small arm and all 61 of the
other dead, where accepted ones had 8 or 9.

:func:`draw_conditioned` instead draws ``R`` replicates of each arm at once (vectorised,
:func:`.prior.draw_patients`) and keeps the first that meets its targets
(:func:`arm_targets`): the events of each endpoint (the printed count; at least as many as a
printed CI's width needs), the Kaplan-Meier rate at each printed landmark and, second to
these, the printed median and (second arm, given the first) the median follow-up.
Replicates are independent draws from the prior, so the first that meets every target is a
draw from the prior conditioned on them; when none of ``CHUNKS`` batches does, the replicate
nearest them (summed violation in the units of :mod:`.constraints`, medians ranked after
counts and rates) is taken, and the sampler's moves go on from there. What involves both
arms (log-rank, hazard ratio, the other follow-up numbers) is left to the sampler.
"""

from __future__ import annotations

import math

import numpy as np

from .constraints import EVENT_SCALE, RATE_SCALE, Constraints
from .prior import Hyper, Patients, draw_patients

__all__ = ["draw_conditioned", "arm_targets", "km_rows", "variance_cap"]

# patients per batch of replicates (R = BATCH // arm size, at least MIN_R) and batches
BATCH, MIN_R, MAX_R, CHUNKS = 20_000, 32, 512, 2
# Efron's ties make the Cox variance a little different from Breslow's, for which the
# bound on the events below is exact
VAR_SLACK = 0.01
# a replicate's missed median counts this much less than a missed count or rate: a median
# printed to 0.1 month is a window of three days that few replicates meet, while the
# sampler's aimed moves put one event there without moving any across a landmark
MEDIAN_RANK = 1000.0


def variance_cap(cons: Constraints, k: int) -> float:
    """The largest variance of ln HR that endpoint ``k``'s printed hazard ratio and CI
    allow (``inf`` without a printed CI): each pair of the three printed numbers gives the
    standard error, at the ends of their printed rounding."""
    spec = cons.spec
    ep = spec.endpoints[k]
    if ep.hr_lower is None or ep.hr_upper is None:
        return math.inf
    q = 1.959963984540054  # the Wald CI of coxph, 95 %
    lo = max(ep.hr_lower.printed.interval[0], 1e-12)
    hi = ep.hr_upper.printed.interval[1]
    se = math.log(hi / lo) / (2 * q)
    if ep.hr is not None:
        h_lo, h_hi = ep.hr.printed.interval
        se = min(se, math.log(hi / max(h_lo, 1e-12)) / q, math.log(h_hi / lo) / q)
    return se ** 2 * (1 + VAR_SLACK)


def arm_targets(cons: Constraints, a: int, counts: dict | None = None) -> list[tuple]:
    """``(kind, k, lo, hi, scale, when)`` of arm ``a``: the windows its statistics must
    meet. ``counts`` holds arm 0's drawn events per endpoint, for arm 1.

    Events: the printed count, or arm 1's share of a printed total; and, where a CI of
    the hazard ratio is printed, as many as its width needs. At the Cox fit the score is
    zero, so the first arm's events are the sum of its shares :math:`p_j` of the risk set
    over all event times, and by Jensen's inequality the information
    :math:`\\sum_j p_j (1 - p_j) \\le D \\bar p (1 - \\bar p) = D_a D_b / D`: the variance of
    ln HR is at least :math:`1/D_a + 1/D_b`, so
    :math:`1/D_a + 1/D_b \\le se^2` at the largest se the printed numbers allow (first arm
    with the other all events, second arm with the first's count drawn). Simulated
    (exponential data, HR 0.38-3.5, 19-300 per arm): the ratio of the Cox variance to
    :math:`1/D_a + 1/D_b` had its 1st percentile at 1.001-1.04.
    """
    spec = cons.spec
    out = []
    for k, ep in enumerate(spec.endpoints):
        arm = spec.arms[a]
        ev = ep.events.get(arm)
        if ev is not None:
            lo, hi = ev.printed.interval
            out.append(("events", k, lo, hi, EVENT_SCALE, None))
        elif ep.events_total is not None and counts is not None and k in counts:
            lo, hi = ep.events_total.printed.interval
            out.append(("events", k, lo - counts[k], hi - counts[k], EVENT_SCALE, None))
        cap = variance_cap(cons, k)
        if math.isfinite(cap):
            other = 1 / spec.n[1 - a] if counts is None or k not in counts else \
                (1 / counts[k] if counts[k] > 0 else math.inf)
            room = cap - other
            if room > 0:
                out.append(("events", k, 1 / room - 1e-9, math.inf, EVENT_SCALE, None))
        for pos, kk, aa, when in cons.rates:
            if kk == k and aa == a:
                c = cons.constraints[pos]
                out.append(("rate", k, c.lo, c.hi, RATE_SCALE, when))
        med = ep.medians.get(arm)
        if med is not None:
            c = cons.constraints[cons.position(f"{ep.name} median ({arm})")]
            out.append(("median", k, c.lo, c.hi, c.scale, None))
    return out


def km_rows(t: np.ndarray, e: np.ndarray):
    """Sorted times, events and Kaplan-Meier survival after each position, per row
    (events before censorings at a tie; tied events multiply to 1 - d/r)."""
    m = t.shape[1]
    order = np.argsort(2 * t + ~e, axis=1, kind="stable")
    ts = np.take_along_axis(t, order, axis=1)
    es = np.take_along_axis(e, order, axis=1)
    risk = m - np.arange(m)
    surv = np.cumprod(np.where(es, 1.0 - 1.0 / risk, 1.0), axis=1)
    return ts, es, surv


def _violation(x: np.ndarray, lo: float, hi: float, scale: float) -> np.ndarray:
    if math.isnan(lo):  # printed not reached
        return np.where(np.isnan(x), 0.0, 1.0)
    miss = np.maximum(np.maximum(lo - x, x - hi), 0.0) / scale
    return np.where(np.isnan(x), 1.0 + abs(hi) / scale, miss)


def _follow_up_target(cons: Constraints, first_times: np.ndarray) -> tuple | None:
    """The second arm's target that puts the median of all observed times (the
    ``observed`` definition) in the printed window, given the first arm's times:
    ``("follow_up", 0, lo_t, hi_t, below0, upto0)``; ``None`` without a printed median
    follow-up or under ``reverse_km``."""
    if cons.defs.follow_up_median != "observed" or "follow_up.median" not in cons._bounds:
        return None
    lo, hi = cons.bounds("follow_up.median")
    tick = cons.spec.tick
    lo_t, hi_t = math.ceil(lo / tick - 1e-9), math.floor(hi / tick + 1e-9)
    return ("follow_up", 0, lo_t, hi_t, int((first_times < lo_t).sum()),
            int((first_times <= hi_t).sum()))


def _score(cons: Constraints, targets, time: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Summed violation of ``targets`` by each replicate (rows of ``time[k]``)."""
    tick = cons.spec.tick
    total = np.zeros(time.shape[1])
    rows = {}
    for kind, k, lo, hi, scale, when in targets:
        if kind == "follow_up":
            # both middle observed times of all patients inside the window: fewer than
            # half before it and more than half up to its end (order statistics off, ranked
            # with the median)
            n_all = sum(cons.spec.n)
            below = scale + (time[0] < lo).sum(axis=1)
            upto = when + (time[0] <= hi).sum(axis=1)
            off = np.maximum(below - (math.ceil(n_all / 2) - 1), 0) \
                + np.maximum(math.floor(n_all / 2) + 1 - upto, 0)
            total += off / MEDIAN_RANK
            continue
        if kind == "events":
            total += _violation(event[k].sum(axis=1).astype(float), lo, hi, scale)
            continue
        if k not in rows:
            rows[k] = km_rows(time[k], event[k])
        ts, es, surv = rows[k]
        if kind == "rate":
            seen = (ts <= math.floor(when / tick + 1e-9)).sum(axis=1)
            s = np.where(seen > 0, surv[np.arange(surv.shape[0]), np.maximum(seen - 1, 0)], 1.0)
            total += _violation(s, lo, hi, scale)
        else:  # first time the curve is at or below one half; second to the counts
            below = es & (surv <= 0.5 + 1e-8)
            hit = below.any(axis=1)
            at = ts[np.arange(ts.shape[0]), np.argmax(below, axis=1)] * tick
            total += _violation(np.where(hit, at, math.nan), lo, hi, scale) / MEDIAN_RANK
    return total


def draw_conditioned(cons: Constraints, hyper: Hyper, rng) -> Patients:
    """Both arms' patients, each the first of its replicates to meet :func:`arm_targets`
    (else the nearest of ``CHUNKS`` batches); arm 0's patients first, as
    :func:`.prior.draw_patients` orders them for ``np.repeat([0, 1], spec.n)``."""
    spec = cons.spec
    parts, counts = [], {}
    for a in (0, 1):
        targets = arm_targets(cons, a, counts if a == 1 else None)
        if a == 1:
            fu = _follow_up_target(cons, parts[0][1][0])
            if fu is not None:
                targets.append(fu)
        m = spec.n[a]
        r = int(np.clip(BATCH // max(m, 1), MIN_R, MAX_R)) if targets else 1
        best = None
        for _ in range(CHUNKS if targets else 1):
            pat = draw_patients(spec, hyper, np.full(r * m, a), rng)
            time = pat.time.reshape(-1, r, m)
            event = pat.event.reshape(-1, r, m)
            score = _score(cons, targets, time, event) if targets else np.zeros(1)
            j = int(np.argmin(score))  # the first of the lowest
            if best is None or score[j] < best[0]:
                best = (score[j], pat.cens.reshape(r, m)[j], time[:, j], event[:, j])
            if best[0] == 0:
                break
        _, cens, time, event = best
        parts.append((cens, time, event))
        counts = {k: int(event[k].sum()) for k in range(event.shape[0])}
    return Patients(arm=np.repeat(np.array([0, 1]), spec.n),
                    cens=np.concatenate([p[0] for p in parts]),
                    time=np.concatenate([p[1] for p in parts], axis=1),
                    event=np.concatenate([p[2] for p in parts], axis=1))
