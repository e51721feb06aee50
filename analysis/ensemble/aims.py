"""Moves of the sampler aimed at a missed printed count or landmark rate.

A printed Kaplan-Meier rate to 0.1 % at a landmark pins, in an arm of 70, the exact
number of events before the landmark (given the censoring there), and a printed event
count pins the events in all: random redraws seldom land on either. These moves change
one patient in the direction the missed number needs; the annealing of
:mod:`.sampler` then keeps or undoes them like any other move. Every move keeps each
patient's times as the endpoint kinds say (a death at or after any progression and at
or before the end of follow-up; a nested endpoint at or before the death).
"""

from __future__ import annotations

import math

import numpy as np

from .condition import km_rows
from .fast import km_steps, survival_at_steps

__all__ = ["movable_to", "move_to", "flip_death", "aim_rate", "aim_events", "scan_rate",
           "NEAREST"]

CENSOR_SHARE = 0.3  # of the rate moves: a censoring time moved across the landmark
NEAR_SPAN = 0.1  # an event moved across a landmark lands within this share of the span of it
NEAREST = 5  # events considered per move: the ones closest to where they are moved


def movable_to(cons, pat, k: int, a: int, new: int) -> np.ndarray:
    """Mask of arm ``a``'s endpoint-``k`` events that may move to tick ``new``: a death
    at or after the patient's other endpoints' times and within follow-up, a nested
    endpoint's own event (not the death itself) before death, a separate one's within
    follow-up."""
    t, e = pat.time[k], pat.event[k]
    nested = cons.nested
    if k == 0:
        low = pat.time[nested].max(axis=0) if nested else np.ones_like(t)
        return e & (pat.arm == a) & (low <= new) & (pat.cens >= new)
    if k in nested:  # a progression (not the death itself) that stays before death
        own = e & (pat.arm == a) & (t < pat.time[0]) & (pat.time[0] >= new)
        if k in cons.death_censored:
            # the endpoint's event is the death itself (a melanoma death): the death moves
            others = [r for r in nested if r != k]
            low = pat.time[others].max(axis=0) if others else np.ones_like(t)
            own |= _death_event(cons, pat, k) & (pat.arm == a) & (pat.cens >= new) \
                & (low <= new)
        return own
    return e & (pat.arm == a) & (pat.cens >= new)


def _death_event(cons, pat, k: int) -> np.ndarray:
    """Mask of patients whose endpoint-``k`` event (deaths censored) is their death."""
    return pat.event[k] & pat.event[0] & (pat.time[k] == pat.time[0])


def move_to(cons, pat, k: int, i: int, new: int) -> None:
    """Patient ``i``'s endpoint-``k`` event moved to tick ``new`` (a death takes the nested
    endpoints censored at it along, and the event of an endpoint whose deaths are censored
    when that event is the death itself; such an event moved is the death moved)."""
    nested = cons.nested
    if k in cons.death_censored and _death_event(cons, pat, k)[i]:
        at_death = [r for r in nested if pat.time[r, i] == pat.time[0, i]
                    and (not pat.event[r, i] or r in cons.death_censored)]
        pat.time[at_death, i] = new
        pat.time[0, i] = new
        return
    if k == 0 and nested:  # censored nested endpoints end with death
        stay = pat.event[nested, i] & ~np.isin(nested, cons.death_censored) | \
            (pat.event[nested, i] & (pat.time[nested, i] != pat.time[0, i]))
        pat.time[nested, i] = np.where(stay, pat.time[nested, i], new)
    pat.time[k, i] = new


def flip_death(cons, pat, i: int) -> None:
    """Patient ``i`` dies at their last contact instead of being censored there, or
    the other way round; the other endpoints follow (an event-or-death endpoint that
    ended with the death ends with it, censored; one censored at the death is
    unchanged; a separate endpoint's event after the new censoring time is censored
    there)."""
    t0 = pat.time[0, i]
    died = not pat.event[0, i]
    pat.event[0, i] = died
    for r in cons.nested:
        if r not in cons.death_censored and pat.time[r, i] == t0:
            pat.event[r, i] = died
    if not died:
        pat.cens[i] = t0
        late = pat.time[:, i] > t0
        pat.time[late, i], pat.event[late, i] = t0, False


def aim_rate(cons, pat, viol: np.ndarray, rng) -> bool:
    """Move one event across a landmark whose printed rate is missed.

    Too high a rate: an event after the landmark (one of the ``NEAREST`` to it) is moved
    to a random tick at or before it; too low: one before it is moved after it, within
    the patient's follow-up; either lands within ``NEAR_SPAN`` of the span of the
    landmark, so that other landmarks and the median move least. ``CENSOR_SHARE`` of the
    moves shift a censoring time across it instead. ``False`` if nothing can move.
    """
    missed = [r for r in cons.rates if viol[r[0]] > 0]
    pos, k, a, when = missed[int(rng.integers(len(missed)))]
    con = cons.constraints[pos]
    tick = cons.spec.tick
    at = math.floor(when / tick + 1e-9)  # last tick counted in S(landmark)
    mask = pat.arm == a
    ev_t, surv, _ = km_steps(pat.time[k, mask], pat.event[k, mask])
    now = float(survival_at_steps(ev_t, surv, [at])[0])
    t = pat.time[k]
    if rng.random() < CENSOR_SHARE:
        return _shift_censoring(cons, pat, k, a, at, rng)
    reach = max(1, int(cons.spec.span / tick * NEAR_SPAN))  # how far from the landmark
    if now > con.hi:  # too few events by the landmark
        if at < 1:
            return False
        new = int(rng.integers(max(1, at - reach), at + 1))
        cand = np.flatnonzero(movable_to(cons, pat, k, a, new) & (t > at))
    else:  # too many
        top = min(int(pat.cens[mask].max()), at + reach)
        if top <= at:
            return False
        new = int(rng.integers(at + 1, top + 1))
        cand = np.flatnonzero(movable_to(cons, pat, k, a, new) & (t <= at))
    if cand.size == 0:
        return False
    near = cand[np.argsort(np.abs(t[cand] - at), kind="stable")[:NEAREST]]
    move_to(cons, pat, k, int(near[rng.integers(near.size)]), new)
    return True


def _shift_censoring(cons, pat, k: int, a: int, at: int, rng) -> bool:
    """One of arm ``a``'s patients censored (on every endpoint) at or before tick ``at``
    is followed to a random tick past it, or one censored past it is censored at a
    random tick at or before it: the fine steps of a Kaplan-Meier rate between two event
    counts come from where the censoring falls among the events."""
    alive = (pat.arm == a) & ~pat.event.any(axis=0)
    t0 = pat.time[0]
    early = np.flatnonzero(alive & (t0 <= at))
    late = np.flatnonzero(alive & (t0 > at))
    cap = int(pat.cens[pat.arm == a].max())
    if early.size and (not late.size or rng.random() < 0.5):
        if cap <= at:
            return False
        i, new = int(early[rng.integers(early.size)]), int(rng.integers(at + 1, cap + 1))
    elif late.size:
        i, new = int(late[rng.integers(late.size)]), int(rng.integers(1, at + 1))
    else:
        return False
    pat.cens[i] = new
    pat.time[:, i] = new  # alive and event-free on every endpoint: censored there
    pat.event[:, i] = False
    return True


def aim_events(cons, pat, viol: np.ndarray, rng) -> bool:
    """Take one event away from, or give one to, an arm whose printed count is missed.

    Overall endpoint: a death becomes censoring at the same time, or a censored patient
    dies at their last contact. Another endpoint: its own event is removed (the
    endpoint then ends as the patient's death or follow-up does) or added at a random
    tick before that end. A printed total picks the arm at random.
    """
    missed = [c for c in cons.events if viol[c[0]] > 0]
    pos, k, a = missed[int(rng.integers(len(missed)))]
    con = cons.constraints[pos]
    if a < 0:
        a = int(rng.integers(2))
    e = pat.event[k]
    mask = pat.arm == a
    count = int(np.count_nonzero(e[pat.arm == a] if con.stat.endswith(cons.spec.arms[a])
                                 else e))
    fewer = count > con.hi
    kind = cons.spec.endpoints[k].kind
    if k == 0:
        cand = np.flatnonzero(mask & (e if fewer else ~e))
    elif kind in ("event_or_death", "death_censored"):
        # an own event before the death (or a patient with none who did not die of it)
        alive = ~pat.event[0] if kind == "event_or_death" else True
        cand = np.flatnonzero(mask & (e & (pat.time[k] < pat.time[0]) & alive if fewer
                                      else ~e & (pat.time[0] > 1)))
    else:
        cand = np.flatnonzero(mask & (e if fewer else ~e & (pat.time[k] > 1)))
    if cand.size == 0:
        return False
    i = int(cand[rng.integers(cand.size)])
    if k == 0:
        flip_death(cons, pat, i)
        return True
    end = int(pat.time[0, i]) if kind in ("event_or_death", "death_censored") \
        else int(pat.cens[i])
    if fewer:
        pat.time[k, i], pat.event[k, i] = end, kind == "event_or_death" and pat.event[0, i]
    else:
        last = end - 1 if kind != "separate" else int(pat.time[k, i])
        if last < 1:
            return False
        pat.time[k, i], pat.event[k, i] = int(rng.integers(1, last + 1)), True
    return True


NARROW_TICKS = 7  # a follow-up window of at most this many ticks is aimed at exactly
# (was 3: a median printed to 0.1 month at a daily resolution is 3 or 4 days wide, and
# held-out Melanoma's 65.9 months, 4 days, was then left to random moves and never met)


def narrow(cons, stat: str) -> bool:
    """Whether the printed ``stat`` (``"follow_up.min"``, ``"follow_up.median"``) allows
    at most ``NARROW_TICKS`` recorded times ("398 days" at a resolution of a day: one)."""
    if stat not in cons._bounds:
        return False
    lo, hi = cons.bounds(stat)
    tick = cons.spec.tick
    return math.floor(hi / tick + 1e-9) - math.ceil(lo / tick - 1e-9) + 1 <= NARROW_TICKS


def _censor_at(pat, i: int, new: int) -> None:
    """Patient ``i``'s follow-up ends at tick ``new``: what happened later is not seen."""
    pat.cens[i] = new
    t_i, e_i = pat.time[:, i], pat.event[:, i]
    pat.time[:, i] = np.where(e_i & (t_i <= new), t_i, new)
    pat.event[:, i] = e_i & (t_i <= new)


def aim_follow_up_min(cons, pat, rng) -> bool:
    """Bring the shortest follow-up down into a narrow printed minimum's window ("1 day"):
    one of the ``NEAREST`` earliest patients dies (if they died, and nothing else of
    theirs came later) or is censored at a tick in the window. ``False`` when the
    minimum is not above the window."""
    lo, hi = cons.bounds("follow_up.min")
    tick = cons.spec.tick
    lo_t, hi_t = max(1, math.ceil(lo / tick - 1e-9)), math.floor(hi / tick + 1e-9)
    t0 = pat.time[0]
    pool = np.ones(t0.size, dtype=bool) if cons.defs.follow_up_range == "all" else ~pat.event[0]
    if hi_t < lo_t or not pool.any() or t0[pool].min() <= hi_t:
        return False
    new = int(rng.integers(lo_t, hi_t + 1))
    cand = np.flatnonzero(pool)
    cand = cand[np.argsort(t0[cand], kind="stable")[:NEAREST]]
    i = int(cand[rng.integers(cand.size)])
    if pat.event[0, i] and movable_to(cons, pat, 0, int(pat.arm[i]), new)[i]:
        move_to(cons, pat, 0, i, new)
    else:
        _censor_at(pat, i, new)
    return True


def aim_follow_up_median(cons, pat, rng, *, reach: int = 60) -> bool:
    """Put the median of all observed times into a narrow printed window exactly.

    One random patient is moved to the tick, within ``reach`` ticks of the window, that
    brings the median of all observed times (the middle two averaged for an even count)
    nearest the window's middle, all such ticks scored at once: a patient alive at the
    end of follow-up is censored there, half the time, or else a death is moved there
    (within the patient's follow-up and after their other events), since where most
    patients die the middle times are deaths. ``False`` when no one can move.
    """
    lo, hi = cons.bounds("follow_up.median")
    tick = cons.spec.tick
    t0 = pat.time[0]
    lo_t, hi_t = math.ceil(lo / tick - 1e-9), math.floor(hi / tick + 1e-9)
    x = np.arange(max(1, lo_t - reach), hi_t + reach + 1)
    # only a patient on the side the median must leave can move it (held-out rhDNase:
    # 24 observed times had to cross, and half the moves picked one already across)
    med = float(np.median(t0)) * tick
    side = (t0 * tick < lo) if med < lo else (t0 * tick > hi) if med > hi else \
        np.ones(t0.size, dtype=bool)
    alive = np.flatnonzero(~pat.event.any(axis=0) & side)
    death = alive.size == 0 or rng.random() < 0.5
    if death:
        nested = cons.nested
        low = pat.time[nested].max(axis=0) if nested else np.ones_like(t0)
        dead = np.flatnonzero(pat.event[0] & (low < t0) & side)
        if dead.size == 0:
            return False
        i = int(dead[rng.integers(dead.size)])
        x = x[(x >= low[i]) & (x <= pat.cens[i])]
        if x.size == 0:
            return False
    else:
        i = int(alive[rng.integers(alive.size)])
    others = np.delete(t0, i)
    grid = np.concatenate([np.broadcast_to(others, (x.size, others.size)), x[:, None]], axis=1)
    med = np.median(grid, axis=1) * tick
    miss = np.maximum(np.maximum(lo - med, med - hi), 0) + 1e-6 * np.abs(med - (lo + hi) / 2)
    best = np.flatnonzero(miss == miss.min())
    new = int(x[best[rng.integers(best.size)]])
    if death:
        move_to(cons, pat, 0, i, new)
    else:
        _censor_at(pat, i, new)
    return True


SCAN_PATIENTS = 4  # patients of the arm whose every position a rate scan scores


def scan_rate(cons, pat, viol: np.ndarray, rng) -> bool:
    """Meet an arm's missed landmark rates of the overall endpoint by moving one patient's
    time, chosen from every position of ``SCAN_PATIENTS`` random patients of the arm,
    each candidate's Kaplan-Meier rates computed exactly at once.

    Between two event counts a printed rate to 0.1 % is met only by where the censoring
    falls among the events before the landmark (36.3 % of 45 patients with some censored
    before 24 months is no whole number of deaths), which one random move seldom finds.
    A death keeps its event and moves within its follow-up (after any progression); a
    patient with no event is censored at the new time. Of the candidates that meet every
    rate of the arm one is taken at random (else one of the nearest); ``False`` if no
    candidate changes the rates' violation for the better."""
    missed = [r for r in cons.rates if viol[r[0]] > 0 and r[1] == 0]
    if not missed:
        return False
    _, k, a, _ = missed[int(rng.integers(len(missed)))]
    tick = cons.spec.tick
    rates = [(cons.constraints[p], math.floor(w / tick + 1e-9)) for p, kk, aa, w in cons.rates
             if kk == k and aa == a]
    idx = np.flatnonzero(pat.arm == a)
    t, e = pat.time[k, idx], pat.event[k, idx]
    nested = cons.nested
    low = pat.time[nested][:, idx].max(axis=0) if nested else np.ones_like(t)
    free = ~pat.event[:, idx].any(axis=0)
    who = np.flatnonzero(e | free)
    who = rng.permutation(who)[:SCAN_PATIENTS]
    to = np.unique(np.concatenate([t - 1, t, t + 1]))
    # every position past the last landmark gives the same rates: keep the first
    last = max(at for _, at in rates)
    to = to[to <= last + 1]
    rows_i, rows_to = [], []
    for j in who:
        hi = pat.cens[idx[j]] if e[j] else int(t.max()) + 1
        lo = low[j] if e[j] else 1
        ok = to[(to >= max(lo, 1)) & (to <= hi) & (to != t[j])]
        rows_i.append(np.full(ok.size, j))
        rows_to.append(ok)
    if not rows_i:
        return False
    ci, cto = np.concatenate(rows_i), np.concatenate(rows_to)
    if ci.size == 0:
        return False
    times = np.broadcast_to(t, (ci.size, t.size)).copy()
    times[np.arange(ci.size), ci] = cto
    ts, es, surv = km_rows(times, np.broadcast_to(e, times.shape))
    miss = np.zeros(ci.size)
    for con, at in rates:
        seen = (ts <= at).sum(axis=1)
        s = np.where(seen > 0, surv[np.arange(ci.size), np.maximum(seen - 1, 0)], 1.0)
        miss += np.maximum(np.maximum(con.lo - s, s - con.hi), 0.0)
    now = sum(max(con.lo - x, x - con.hi, 0.0) for con, x in
              ((con, float(survival_at_steps(*km_steps(t, e)[:2], [at])[0])) for con, at in rates))
    if miss.min() >= now - 1e-9:  # (the two products may differ in the last bits)
        return False
    best = np.flatnonzero(miss == miss.min())
    c = int(best[rng.integers(best.size)])
    i, new = int(idx[ci[c]]), int(cto[c])
    if e[ci[c]]:
        move_to(cons, pat, k, i, new)
    else:
        _censor_at(pat, i, new)
        pat.time[:, i] = new
    return True
