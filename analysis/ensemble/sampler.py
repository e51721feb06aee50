"""Seeded sampler of accepted data sets: prior draw, local moves, constrained Gibbs.

Member ``i`` of an ensemble with seed ``s`` uses its own random stream
``SeedSequence(s, spawn_key=(i,))``, so a member does not depend on which process
ran it, and the ensemble (the first ``draws`` accepted members in index order) is
the same for the same spec, seed and draws on any number of workers.

One member:

1. screened prior start: draw hyperparameters and all patients from the prior
   (:mod:`.prior`) until the summed constraint violation is at most
   ``SCREEN_LOSS`` (ABC rejection, at most ``SCREEN_TRIES`` draws, then the
   closest); where landmark rates, events or a hazard ratio's CI are printed, each arm
   is drawn conditioned on its own printed numbers (:mod:`.condition`) and
   ``CONDITIONED_TRIES`` such draws are screened;
2. local moves until every printed constraint holds: redraw one patient from the
   member's model, or stretch one patient's event times by a factor
   :math:`e^{N(0, \\sigma^2)}`, :math:`\\sigma` 0.1 or 0.01; while a printed median
   or follow-up maximum/median is missed, a share of the moves aims at it (one
   event moved into the median's window, the whole arm's event times stretched
   towards it, or one censoring time moved into the follow-up window). A move is
   kept when it does not increase the summed constraint violation
   (:class:`.constraints.Constraints`), or else with the simulated-annealing
   probability :math:`e^{-\\Delta/T}`, :math:`T` falling geometrically from 0.3 to
   0.003; give up (reject the member) after ``max_steps`` moves, or once
   ``STALL_STEPS`` moves in a row have not lowered the lowest loss so far by 0.1 %
   (a member stuck one event count away from a printed CI would otherwise use all
   ``max_steps``; most accepted members take a few hundred). Half of the moves
   go to a patient observed before the printed minimum follow-up, while there is
   one. When only log-rank and hazard-ratio windows are missed (the log-rank ones
   are ~0.001 wide in χ²), ``POLISH_SHARE`` of the moves are :func:`_polish` moves:
   one or two random patients' times set to positions among the other patients'
   times, with or without one death flipped to censoring or back, chosen from all
   such pairs scored at once to bring the statistics closest to their windows (a
   larger share does worse: the random moves get a member out of places the polish
   cannot improve). Where the prior is anchored, a polish move of the outer endpoint may
   move any death (the nested times censored at it go along, and their log-rank and
   hazard-ratio windows are scored too), a death or two may be flipped together, and
   when no candidate lowers the loss while a printed CI's se is more than moves can
   reach, one death is flipped into it and a few polish moves follow (:func:`_reflip`).
   A move's data set is evaluated cheapest statistics first and
   dropped as soon as its loss is past what the annealing would keep, before its
   Cox fits (:meth:`.constraints.Constraints.evaluate`);
3. ``sweeps`` sweeps of constrained Gibbs: each patient in turn (at most
   ``GIBBS_VISITS`` per sweep, in random order: every visit costs an evaluation,
   stopped at the first group of constraints missed, so a whole sweep of n = 1000
   would cost n^2) is redrawn from
   the model and the redraw is kept only when all constraints still hold. This is
   an exact MCMC step for the member's prior restricted to the accepted set, and
   loosens the data set's dependence on the path of step 2.

The ensemble is therefore not an exact posterior (prior conditioned on the printed
numbers): step 2 is an optimiser, and step 3 mixes slowly because the log-rank
windows are so narrow that only ~2 % of redraws keep every constraint. Its spread
comes from independent prior draws of hazards, censoring and patients, each moved
the shortest way to the accepted set; the calibration benchmark checks what that
spread is worth on real data.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

from .aims import (aim_events, aim_follow_up_median, aim_follow_up_min, aim_rate, flip_death,
                   move_to, movable_to, narrow, scan_rate)
from .condition import draw_conditioned, variance_cap
from .constraints import Constraints
from .cox import cox_binary_sorted, norm_quantile
from .fast import (cox_score_flips, cox_score_moves, km_median_fast, logrank_z_flips,
                   logrank_z_moves, logrank_z_sorted)
from .prior import Patients, _anchored, draw_hyper, draw_patients
from .progress import Progress
from .spec import Spec

__all__ = ["Member", "run_member", "sample_ensemble", "EnsembleRun"]

JITTER_SD = (0.1, 0.01)
MEDIAN_NEAREST = 5  # events considered per median move
MEDIAN_SHARE = 0.25  # of the moves while a printed median (or maximum follow-up) is missed
RESCALE_SHARE = 0.2  # of the median moves: the whole arm rescaled
AIM_SHARE = 0.5  # of the moves aimed at a missed number, where events or rates are printed
SCAN_SHARE = 0.5  # of the moves aimed at a missed rate: a scan of one patient's positions
SCREEN_LOSS, SCREEN_TRIES = 2.0, 40  # prior draws screened per member (see _screened_start)
# the same, with each arm drawn conditioned on its printed numbers (.condition): a draw
# costs 5-20 times a plain one, and starts nearer
CONDITIONED_TRIES = 8
GIVE_UP_TRIES = 60  # members tried without one accepted before the search stops
STALL_STEPS = 800  # moves without progress before a member is given up
MAX_STEPS = 3000  # moves before a member is given up
# the same two where events or landmark rates are printed: on a simulated report with
# both (n = 140, rates at 6 and 12 months to 0.1 %), 800 moves without progress gave up
# all but 1 of 8 members, 3000 of 8000 moves kept 7 of 8
COUNT_STEPS = (8000, 3000)
GIBBS_VISITS = 300  # patients redrawn per constrained-Gibbs sweep
POLISH_CHECK = 4  # of which the closest are checked against every constraint
POLISH_SHARE = 0.3  # of the moves, once only log-rank and hazard-ratio windows are missed
# ... or once they make up this share of the loss: held-out Melanoma (two endpoints, each
# with its HR and CI) kept a follow-up median 3 weeks off while six hazard-ratio windows
# were missed, and random moves brought those down from 54 to 3 in 3000 moves (only where
# the prior is anchored, .prior._anchored: other specs are drawn as before)
POLISH_DOMINANT = 0.8
# of the second patient's positions paired with the first's moves: 32 ran no faster and, on
# the calibration's small coarse case (leukemia, n = 42, weeks), lowered the hazard ratio's
# band more (its 5 % point over three seeds: 0.13-0.14 with one patient, 0.10-0.12 with 32,
# 0.12-0.13 with 16)
PAIR_POSITIONS = 16
# of the deaths flipped, paired with the first axis's moves and flips: a printed CI pins the
# hazard ratio and its se to a box that one flip jumps across (on held-out Melanoma one
# flip moved ln HR by ~0.05, the windows are ~0.002 wide); a death flipped with another's
# flipped back, or with a move, lands in it where single moves and moves paired with 16
# positions of one other patient did not (a member 0.009 from the box stalled 1200 moves;
# 78 of 124 estimated solutions among all pairs were two flips)
PAIR_FLIPS = 32
# polish moves after a death flipped into the se window of a printed CI (_reflip): a flip
# moves ln HR by about se^2 (one event's share of the information), a polish pair by up
# to about half that on held-out Melanoma
REFLIP_POLISH = 4
# annealing temperature of the local moves, from TEMP0 down to TEMP1 (loss units)
TEMP0, TEMP1 = 0.3, 0.003


@dataclass(frozen=True)
class Member:
    """One sampled member; ``patients`` is ``None`` when it was rejected."""

    index: int
    patients: Patients | None
    steps: int
    loss: float
    gibbs_accept: float
    dropout: float
    worst: str = ""


def _patient(pat: Patients, i: int) -> tuple:
    """Patient ``i``'s censoring time, times and events, to put back with :func:`_restore`
    when a move is not kept."""
    return pat.cens[i], pat.time[:, i].copy(), pat.event[:, i].copy()


def _restore(pat: Patients, i: int, kept: tuple) -> None:
    pat.cens[i], pat.time[:, i], pat.event[:, i] = kept


def _redraw(spec, hyper, pat: Patients, i: int, rng) -> None:
    one = draw_patients(spec, hyper, pat.arm[i:i + 1], rng)
    pat.cens[i] = one.cens[0]
    pat.time[:, i] = one.time[:, 0]
    pat.event[:, i] = one.event[:, 0]


def _jitter(pat: Patients, i: int, rng, nested: list[int]) -> bool:
    """Stretch patient ``i``'s event times; ``False`` if the patient has none.

    A nested endpoint stays at or before the outer one (its censored time is the
    outer one's); a separate one at or before the end of follow-up."""
    ev = pat.event[:, i]
    if not ev.any():
        return False
    f = math.exp(rng.normal(0.0, JITTER_SD[int(rng.integers(2))]))
    t = pat.time[:, i]
    if ev[0]:
        outer = int(min(max(1, round(t[0] * f)), pat.cens[i]))
    else:
        outer = int(t[0])
    new = t.copy()
    new[0] = outer
    stretched = np.rint(t * f)
    for k in range(1, t.size):
        end = outer if k in nested else pat.cens[i]
        new[k] = min(max(1, stretched[k]), end) if ev[k] else (outer if k in nested else t[k])
    pat.time[:, i] = new
    return True


def _movable(cons: Constraints, pat: Patients, k: int) -> np.ndarray:
    """Patients whose endpoint-``k`` time a polish move may change: an event (a death
    only if it came after any progression, so PFS is unchanged; where the prior is
    anchored, any death, taking the nested times censored at it along, :func:`_riders`).

    Held-out Melanoma (deaths from other causes censored in the second endpoint): the
    prior's second endpoint is an event of its own before death, so only the 14-23 of
    70-odd deaths that followed one could move, and every member rejected ended missing
    the first endpoint's hazard-ratio windows, never the second's."""
    if k == 0:
        if _anchored(cons.spec):
            return np.flatnonzero(pat.event[0])
        return np.flatnonzero(pat.event[0] & np.all(pat.time[cons.nested] < pat.time[0], axis=0))
    return np.flatnonzero(pat.event[k])


def _positions(cons: Constraints, pat: Patients, k: int, i: int) -> np.ndarray:
    """Every time patient ``i``'s endpoint-``k`` event may move to that gives a distinct
    data set: next to each other patient's time (the statistics are step functions of
    one time), a death after any progression and before censoring, a progression (or
    death) counted in an inner endpoint up to the death."""
    t = pat.time[k]
    nested = cons.nested
    lo = 1
    if k == 0 and nested:  # after the nested times that stay (move_to moves the others)
        r = np.array(nested)
        stay = pat.event[r, i] & (~np.isin(r, cons.death_censored) | (pat.time[r, i] != t[i]))
        lo = int(max(pat.time[r[stay], i].max(initial=1), 1))
    hi = int(pat.cens[i]) if k == 0 or k not in nested else int(pat.time[0, i])
    to = np.unique(np.concatenate([t - 1, t, t + 1]))
    return to[(to >= lo) & (to <= hi) & (to != t[i])]


def _marks(cons: Constraints, k: int, a: int) -> np.ndarray:
    """Ticks of endpoint ``k``'s printed landmark rates of arm ``a`` (the last tick each
    counts), sorted."""
    cache = cons.__dict__.setdefault("_marks_cache", {})
    if (k, a) not in cache:
        tick = cons.spec.tick
        cache[k, a] = np.array(sorted({math.floor(r[3] / tick + 1e-9) for r in cons.rates
                                       if r[1] == k and r[2] == a}), dtype=np.int64)
    return cache[k, a]


def _met_edges(cons: Constraints, viol: np.ndarray | None, k: int, a: int) -> np.ndarray:
    """Ticks at which the windows of met medians begin and end past (the first tick
    after each window): of arm ``a``'s printed median of endpoint ``k`` and, for the outer
    endpoint, of the median follow-up (of all observed times). A polish move that takes a
    time across one of them moves the median it settles; at the middle of follow-up on
    held-out Melanoma, 61 % of the polish's best candidates met the hazard-ratio windows
    they aimed at but only 2.5 % lowered the loss, the rest moving the median follow-up
    (printed to 0.1 month) or a median out of its window."""
    if viol is None or not _anchored(cons.spec):  # other specs are drawn as before
        return np.zeros(0, dtype=np.int64)
    tick = cons.spec.tick
    edges = []
    for pos, kk, aa in cons.medians:
        if kk == k and aa == a and viol[pos] == 0:
            c = cons.constraints[pos]
            edges += [math.ceil(c.lo / tick - 1e-9), math.floor(c.hi / tick + 1e-9) + 1]
    pos = cons.position("follow-up median")
    if k == 0 and pos is not None and viol[pos] == 0 and \
            cons.defs.follow_up_median == "observed":
        lo, hi = cons.bounds("follow_up.median")
        edges += [math.ceil(lo / tick - 1e-9), math.floor(hi / tick + 1e-9) + 1]
    return np.array(sorted(edges), dtype=np.int64)


def _same_side(cons: Constraints, pat: Patients, k: int, i: int, to: np.ndarray,
               viol: np.ndarray | None = None) -> np.ndarray:
    """The positions ``to`` on the same side of each of the arm's printed landmarks as
    patient ``i``'s endpoint-``k`` time: moving an event across one changes its rate; and
    (with the violations ``viol``) of the edges of every met median's window
    (:func:`_met_edges`)."""
    marks = _marks(cons, k, int(pat.arm[i]))
    edges = _met_edges(cons, viol, k, int(pat.arm[i]))
    if edges.size:
        marks = np.sort(np.concatenate([marks, edges]))
    if marks.size == 0 or to.size == 0:
        return to
    side = np.searchsorted(marks, pat.time[k, i], side="left")
    return to[np.searchsorted(marks, to, side="left") == side]


def _signature(cons: Constraints, pat: Patients, i: int) -> tuple:
    """What of patient ``i`` a printed count or landmark rate sees: the events, and the
    side of each of the arm's printed landmarks of every time."""
    a = int(pat.arm[i])
    sides = tuple(int(np.searchsorted(_marks(cons, k, a), pat.time[k, i], side="left"))
                  for k in range(pat.time.shape[0]))
    return tuple(pat.event[:, i].tolist()), sides


def _signatures(cons: Constraints, pat: Patients) -> np.ndarray:
    """:func:`_signature` of every patient at once: events, then sides, per endpoint."""
    sides = np.zeros_like(pat.time)
    for k in range(pat.time.shape[0]):
        for a in (0, 1):
            marks = _marks(cons, k, a)
            if marks.size:
                m = pat.arm == a
                sides[k, m] = np.searchsorted(marks, pat.time[k, m], side="left")
    return np.concatenate([pat.event.astype(sides.dtype), sides])


def _info(pat: Patients, k: int) -> float:
    """:math:`1/D_a + 1/D_b` of endpoint ``k`` (``inf`` with an arm without events): at
    most se² of the Cox fit (.condition.arm_targets)."""
    d_a = int(np.count_nonzero(pat.event[k] & (pat.arm == 0)))
    d_b = int(np.count_nonzero(pat.event[k])) - d_a
    return 1 / d_a + 1 / d_b if d_a and d_b else math.inf


def _worse_info(pat: Patients, caps, before) -> bool:
    """Whether a move took an endpoint's :math:`1/D_a + 1/D_b` past the largest se² its
    printed CI allows (or further past it): no data set there meets the CI."""
    for k, cap in caps:
        now = _info(pat, k)
        if now > cap and now > before[k]:
            return True
    return False


def _polish_candidates(cons: Constraints, pat: Patients, k: int, rng, viol=None):
    """Candidates of a polish move on endpoint ``k``: ``(who, to, first, moves)``,
    patient ``who[j]`` moved to time ``to[j]`` for ``j < moves``, then (where the
    endpoint's hazard ratio is printed, on the overall endpoint) every patient's death
    flipped (``to`` = -1). The moves are one random movable patient's, to every
    position (:func:`_positions`), then (from ``first`` on) ``PAIR_POSITIONS`` random
    positions of a second one.

    Both patients are drawn at random: the best move of many patients would be the
    one with the largest effect, nearly always an early death of the better arm
    moved late, and in this paper's ensemble that tripled the share of data sets
    without a death in the combination arm's first year (3 % to 10 %).
    """
    movable = _movable(cons, pat, k)
    pick = rng.permutation(movable)[:2]
    parts = [_same_side(cons, pat, k, int(i), _positions(cons, pat, k, int(i)), viol)
             for i in pick]
    if len(parts) == 2 and parts[1].size > PAIR_POSITIONS:
        parts[1] = np.sort(rng.choice(parts[1], PAIR_POSITIONS, replace=False))
    who = np.concatenate([np.full(p.size, i) for i, p in zip(pick, parts)] + [[]]).astype(int)
    to = np.concatenate(parts + [[]]).astype(pat.time.dtype)
    first = parts[0].size if parts else 0
    moves = to.size
    flippable = k == 0 or k in cons.death_censored
    if flippable and any(c[1] == k for c in cons.hazard) and \
            not any(c[1] == k for c in cons.events):  # a flip changes a printed count
        n = pat.time.shape[1]
        who = np.concatenate([who, np.arange(n)])
        to = np.concatenate([to, np.full(n, -1, dtype=to.dtype)])
    return who, to, first, moves


def _riders(cons: Constraints, pat: Patients, k: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """The other endpoints a polish move of endpoint ``k`` changes, with printed log-rank
    or hazard-ratio windows: ``(j, moved, flipped)``, the patients whose endpoint-``j``
    time moves with their death (censored at it, or its event the death itself, as
    :func:`.aims.move_to` moves them) and whose endpoint-``j`` status flips with it (an
    event-or-death endpoint that ends with the death, :func:`.aims.flip_death`). Only
    for the outer endpoint of an anchored spec (:func:`_movable`)."""
    if k != 0 or not _anchored(cons.spec):
        return []
    windows = {c[1] for c in cons.logrank + cons.hazard}
    out = []
    for j in cons.nested:
        if j not in windows:
            continue
        at_death = pat.time[j] == pat.time[0]
        dc = j in cons.death_censored
        moved = at_death & pat.event[0] & (~pat.event[j] | dc)
        flipped = at_death & np.bool_(not dc)
        out.append((j, moved, flipped))
    return out


def _polish_effects(cons: Constraints, pat: Patients, k: int, who, to, moves: int):
    """Endpoint ``k``'s log-rank statistic, ln HR and its standard error now, their
    change under each candidate, and one function per constraint giving its
    estimated violation at any such values (statistics down the first axis); and the
    same of every endpoint whose times move with endpoint ``k``'s (:func:`_riders`: a
    death moved takes the progression-free or cause-specific time censored at it along).

    The log-rank statistic is exact (:func:`.fast.logrank_z_moves`,
    :func:`.fast.logrank_z_flips`); the Cox fit is one Newton step from the current fit
    (:func:`_cox_moves`), off by ~4e-4 in ln HR. Returns also ``rows``: where each
    endpoint's ln HR is among the statistics (its se the next one).
    """
    now, delta, judge, rows = [], [], [], {}
    _endpoint_effects(cons, pat, k, who, to, moves, np.ones(to.size, dtype=bool),
                      now, delta, judge, rows)
    for j, moved, flipped in _riders(cons, pat, k):
        sel = np.r_[moved[who[:moves]], flipped[who[moves:]]] if to.size > moves \
            else moved[who[:moves]]
        if sel.any():
            _endpoint_effects(cons, pat, j, who, to, moves, sel, now, delta, judge, rows)
    return np.array(now), np.array(delta), judge, rows


def _endpoint_effects(cons: Constraints, pat: Patients, k: int, who, to, moves: int,
                      sel: np.ndarray, now: list, delta: list, judge: list,
                      rows: dict) -> None:
    """:func:`_polish_effects` of endpoint ``k`` for the candidates ``sel`` (the others
    leave it as it is), appended to ``now``, ``delta`` and ``judge``; ``rows[k]`` is where
    its ln HR is (its se the next row), if it has a printed hazard ratio."""
    t, e = pat.time[k], pat.event[k]
    first = pat.arm == 0
    n = t.size
    m_sel, f_sel = sel[:moves], sel[moves:]
    w, dest = who[:moves][m_sel], to[:moves][m_sel]
    flips = f_sel.any()
    order = np.argsort(t, kind="stable")

    def spread(values_moves, values_flips, base):
        out = np.full(to.size, base, dtype=float)
        out[:moves][m_sel] = values_moves
        if flips:
            out[moves:][f_sel] = values_flips[who[moves:][f_sel]]
        return out - base

    for pos, _, signed in (c for c in cons.logrank if c[1] == k):
        z_now = logrank_z_sorted(t[order], e[order], first[order])
        now.append(z_now)
        delta.append(spread(logrank_z_moves(t, e, first, w, dest),
                            logrank_z_flips(t, e, first) if flips else None, z_now))
        row = len(now) - 1
        judge.append(lambda x, con=cons.constraints[pos], signed=signed, row=row:
                     _miss(x[row] if signed else np.abs(x[row]), con))
    hazard = [c for c in cons.hazard if c[1] == k]
    if hazard:
        fit = cox_binary_sorted(t[order], e[order], first[order],
                                init=cons.cox_start.get(k, 0.0))
        cw = np.r_[w, np.arange(n)] if flips else w
        ct = np.r_[dest, np.full(n, -1, dtype=to.dtype)] if flips else dest
        coef, ratio = _cox_moves(t, e, first, order, cw, ct, w.size, fit.coef)
        se = fit.se * ratio
        col = len(now)
        rows[k] = col
        now += [fit.coef, fit.se]
        delta += [spread(coef[:w.size], coef[w.size:], fit.coef),
                  spread(se[:w.size], se[w.size:], fit.se)]
        q = norm_quantile(fit.alpha)
        for pos, _, key in hazard:
            shift = {"hr": 0.0, "hr_lower": -q, "hr_upper": q}[key]
            judge.append(lambda x, con=cons.constraints[pos], shift=shift, col=col:
                         _miss(np.exp(x[col] + shift * x[col + 1]), con))


def _cox_moves(t, e, first, order, who, to, moves: int, beta: float):
    """Each candidate's Cox fit, ln HR and its standard error, estimated by one Newton step
    from the current fit ``beta`` (Breslow's score and information of the candidate,
    :func:`.fast.cox_score_moves` for ``to[:moves]`` and :func:`.fast.cox_score_flips` for
    the rest, as changes from the data's own: Breslow's score at Efron's fit is not quite
    0 with ties). Off by ~4e-4 in ln HR and ~5e-4 in se (medians; held-out Melanoma near
    its windows); a parabola through the scores at ``beta`` and ``beta`` ± the largest
    step made both ~1e-5, but members took longer and more were rejected (tuning case of
    two endpoints with HR and CI: 45 of 48 accepted, 1.19 CPU s each, against 47 of 48,
    0.66 s), so it was not kept."""
    u, info = cox_score_moves(t, e, first, np.append(who[:moves], 0),
                              np.append(to[:moves], t[0]), beta)
    u_now, info_now = u[-1], info[-1]  # the data's own (a patient to its own time)
    u, info = u[:-1], info[:-1]
    if to.size > moves:
        u_f, info_f = cox_score_flips(t, e, first, beta)
        u, info = np.append(u, u_f), np.append(info, info_f)
    with np.errstate(invalid="ignore", divide="ignore"):
        return beta + (u - u_now) / info, np.sqrt(info_now / info)


def _se_window(cons: Constraints, k: int) -> tuple[float, float] | None:
    """The standard errors of ln HR that endpoint ``k``'s printed hazard ratio and CI
    limits allow together (each pair of the three at the ends of their printed rounding),
    or ``None`` without a printed CI."""
    ep = cons.spec.endpoints[k]
    if ep.hr_lower is None or ep.hr_upper is None:
        return None
    q = 1.959963984540054
    (l_lo, l_hi), (u_lo, u_hi) = ep.hr_lower.printed.interval, ep.hr_upper.printed.interval
    lo, hi = math.log(u_lo / max(l_hi, 1e-12)) / (2 * q), math.log(u_hi / max(l_lo, 1e-12)) / (2 * q)
    if ep.hr is not None:
        h_lo, h_hi = ep.hr.printed.interval
        lo = max(lo, math.log(u_lo / h_hi) / q, math.log(h_lo / max(l_hi, 1e-12)) / q)
        hi = min(hi, math.log(u_hi / max(h_lo, 1e-12)) / q, math.log(h_hi / max(l_lo, 1e-12)) / q)
    return lo, hi


def _reflip(cons: Constraints, pat: Patients, viol: np.ndarray, loss: float, rng, k: int,
            flips: np.ndarray, se_now: float, se_delta: np.ndarray, moves: int, apply):
    """A death flipped that brings endpoint ``k``'s se into the window its printed CI
    needs (:func:`_se_window`), then up to ``REFLIP_POLISH`` polish moves to bring its
    ln HR back: kept if the loss is then lower, else undone.

    A printed CI pins ln HR and its se to a box; one event more or less jumps the se
    across it (held-out Melanoma: se² = 1/I moves by ~0.6 % per death of the larger arm,
    the window is 1.3 % wide) and moves ln HR by about se², 0.045-0.064, while a pair of
    moves shifts ln HR by at most ~0.026. No single polish move gets there, and the
    annealing never keeps the flip alone (its loss rises by ~9), so members with the
    wrong number of events for their se stalled one step from the box."""
    win = _se_window(cons, k)
    if win is None or win[0] <= se_now <= win[1] or flips.size == 0:
        return loss, viol
    # only where no pair of the polish's moves reaches the window (near it, flipping an
    # event overshoots: 21 % of such flips were kept against 35 % of plain polish moves)
    move = se_delta[:moves][np.isfinite(se_delta[:moves])]
    if move.size and max(win[0] - se_now, se_now - win[1]) <= 2 * np.abs(move).max():
        return loss, viol
    est = se_now + se_delta[flips]
    inside = flips[(est >= win[0]) & (est <= win[1])]
    if inside.size == 0:
        # none lands in it (several events missing): the flip nearest it, if nearer
        off = np.maximum(win[0] - est, est - win[1])
        if not np.nanmin(off, initial=np.inf) < max(win[0] - se_now, se_now - win[1]):
            return loss, viol
        inside = flips[off <= np.nanmin(off)]
    saved = (pat.time.copy(), pat.event.copy(), pat.cens.copy())
    apply(int(inside[rng.integers(inside.size)]))
    cur_loss, cur_viol = cons.evaluate(pat)
    polish_pos = [c[0] for c in cons.logrank + cons.hazard]
    for _ in range(REFLIP_POLISH):
        if cur_loss < loss or not cur_viol[polish_pos].any():
            break
        cur_loss, cur_viol = _polish(cons, pat, cur_viol, cur_loss, rng, reflip=False)
    if cur_loss < loss:
        return cur_loss, cur_viol
    pat.time, pat.event, pat.cens = saved
    return loss, viol


def _polish(cons: Constraints, pat: Patients, viol: np.ndarray, loss: float, rng,
            reflip: bool = True):
    """Aim at an endpoint's missed log-rank window and printed hazard ratio (with its
    CI) by moving one or two patients' times, or flipping one or two deaths (or one
    with a move); return the new loss and violations.

    Every candidate (:func:`_polish_candidates`) is scored at once by its estimated
    violation of the endpoint's log-rank and hazard-ratio constraints
    (:func:`_polish_effects`), and so is every pair of a first patient's move (or a
    death flipped) with a second patient's, their effects added. Aiming at the
    log-rank statistic alone would move the hazard ratio out of its window as often
    as into it (the two are nearly the same function of the data), and a printed
    CI's width pins the number of events, which only a flip changes. One patient's
    moves are a path through these statistics in steps of ~4e-4 in z (median between
    neighbouring positions, lung, n = 228) to ~2e-3 (this paper, n = 107), coarser
    than a log-rank χ² printed to three decimals (a window ~2e-4 wide in z); pairs
    fill the space between the steps. Two moves interact by ~2e-5 to 1e-4 in z
    (median; up to ~2e-3 when they cross the same risk sets), so the
    ``POLISH_CHECK`` best candidates are checked exactly against every constraint,
    and the best is kept if it lowers the loss. Where the prior is anchored and none
    does, a death may be flipped into the se window of a printed CI with a few polish
    moves after it (:func:`_reflip`, unless ``reflip`` is false).
    """
    missed = sorted({c[1] for c in cons.logrank + cons.hazard if viol[c[0]] > 0})
    k = missed[int(rng.integers(len(missed)))]
    who, to, first, moves = _polish_candidates(cons, pat, k, rng, viol)
    if to.size == 0:
        return loss, viol
    now, delta, judge, rows = _polish_effects(cons, pat, k, who, to, moves)
    flips = np.arange(moves, to.size)
    if k and flips.size and not _anchored(cons.spec):
        # an endpoint whose deaths are censored flips a death's cause only: the event at
        # death (melanoma death) or censored there (death of another cause)
        can = pat.event[0] & (pat.time[k] == pat.time[0])
        flips = flips[can[who[flips]]]
    # where the prior is anchored, any patient's event of such an endpoint may be censored
    # (at death or the end of follow-up: apply) and any censored one be an event there: the
    # prior's events of its own come before death, and with only the events at death
    # flippable, a simulated report's cause-specific CI could not lose an event
    # (tuning case, two endpoints with HR and CI: 7 of 32 members stalled there)
    # one axis: nothing, or a first patient's move or a death flipped; the other:
    # nothing, or the second patient's move or one of PAIR_FLIPS random deaths flipped
    one = np.r_[-1, np.arange(first), flips]
    two = np.r_[-1, np.arange(first, moves),
                np.sort(rng.permutation(flips)[:PAIR_FLIPS])].astype(int)
    d = np.concatenate([np.zeros((now.size, 1)), delta], axis=1)
    x = now[:, None, None] + d[:, one + 1, None] + d[:, None, two + 1]
    est = sum(f(x) for f in judge)
    # one patient on both axes (a move and its flip, or a flip twice): effects do not add
    est[(one[:, None] >= 0) & (two[None, :] >= 0) & (who[one][:, None] == who[two][None, :])] \
        = np.inf
    cap = variance_cap(cons, k)
    if flips.size and math.isfinite(cap):
        # flips that take 1/D_a + 1/D_b past what the printed CI allows (Jensen), or
        # further past it: none of their data sets meets the CI
        e_k = pat.event[k]
        d = np.array([np.count_nonzero(e_k & (pat.arm == a)) for a in (0, 1)])
        sign = np.where(e_k[who], -1, 1) * (to < 0)  # each candidate's change of events
        step_a = np.r_[0, np.where(pat.arm[who] == 0, sign, 0)]
        step_b = np.r_[0, np.where(pat.arm[who] == 1, sign, 0)]
        d_a = d[0] + step_a[one + 1][:, None] + step_a[two + 1][None, :]
        d_b = d[1] + step_b[one + 1][:, None] + step_b[two + 1][None, :]
        with np.errstate(divide="ignore"):
            info = 1 / d_a + 1 / d_b
        info_now = 1 / d[0] + 1 / d[1] if d.all() else math.inf
        bad = (info > cap) & (info > info_now)
        est[bad] = np.inf
        flips = flips[~bad[np.searchsorted(one, flips), 0]]  # alone, for _reflip
    flat = est.ravel()
    check = min(POLISH_CHECK, flat.size)
    # the stable order's first candidates, without sorting them all
    cut = np.partition(flat, check - 1)[check - 1]
    near = np.flatnonzero(flat <= cut)
    near = near[np.argsort(flat[near], kind="stable")][:check]
    t = pat.time[k]

    def apply(j):
        if j < 0:
            return
        if to[j] < 0 and k:
            i = int(who[j])
            pat.event[k, i] = not pat.event[k, i]
            if not pat.event[k, i]:  # censored where follow-up of the endpoint ends
                pat.time[k, i] = pat.time[0, i]
        elif to[j] < 0:
            flip_death(cons, pat, int(who[j]))
        elif k == 0:  # the nested times censored at the death go along
            move_to(cons, pat, 0, int(who[j]), int(to[j]))
        else:
            t[who[j]] = to[j]

    best_loss, best_viol, best = loss, viol, None
    for f in near:
        pair = (int(one[f // two.size]), int(two[f % two.size]))
        touched = {int(who[j]) for j in pair if j >= 0}
        saved = {c: _patient(pat, c) for c in touched}
        for j in pair:
            apply(j)
        new, new_viol = cons.evaluate(pat, cap=best_loss)
        if new < best_loss:
            best_loss, best_viol, best = new, new_viol, pair
        for c, kept in saved.items():
            _restore(pat, c, kept)
    if best is not None:
        for j in best:
            apply(j)
    elif reflip and k in rows and _anchored(cons.spec):
        return _reflip(cons, pat, viol, loss, rng, k, flips, now[rows[k] + 1],
                       delta[rows[k] + 1], moves, apply)
    return best_loss, best_viol


def _miss(x, con):
    """Estimated violation of ``con`` at values ``x``; ties among the many candidates
    inside every window are broken towards the windows' middles (the hazard ratio's
    estimate is off by up to ~1e-3)."""
    width = con.hi - con.lo  # a "P < 0.001" window is open above
    inside = np.abs(x - (con.lo + con.hi) / 2) / width if 0 < width < math.inf else 0.0
    miss = np.maximum(np.maximum(con.lo - x, x - con.hi), 0) / con.scale + 1e-6 * inside
    return np.where(np.isnan(x), np.inf, miss)  # no events in an arm: no statistic


def _aim_median(cons: Constraints, pat: Patients, viol: np.ndarray, rng) -> bool:
    """Move one event of an arm whose printed median is missed into the median's window.

    A printed median to 0.1 month is a window of a few days late in follow-up,
    where events are sparse: stretching times rarely lands one there. The event
    moved is one of the ``MEDIAN_NEAREST`` closest to the window; ``False`` if none
    can move (nesting: a death stays at or after the patient's progression and
    at or before the censoring time, a progression at or before death).
    """
    missed = [m for m in cons.medians if viol[m[0]] > 0]
    pos, k, a = missed[int(rng.integers(len(missed)))]
    con = cons.constraints[pos]
    tick = cons.spec.tick
    lo, hi = math.ceil(con.lo / tick - 1e-9), math.floor(con.hi / tick + 1e-9)
    if hi < lo:
        return False
    new = int(rng.integers(lo, hi + 1))
    t = pat.time[k]
    cand = np.flatnonzero(movable_to(cons, pat, k, a, new))
    if cand.size == 0:
        return False
    near = cand[np.argsort(np.abs(t[cand] - new), kind="stable")[:MEDIAN_NEAREST]]
    move_to(cons, pat, k, int(near[rng.integers(near.size)]), new)
    return True


def _not_reached(cons: Constraints) -> list[tuple[int, int, int]]:
    """``(position, endpoint, arm)`` of each median printed as not reached."""
    spec = cons.spec
    out = []
    for k, ep in enumerate(spec.endpoints):
        for a, arm in enumerate(spec.arms):
            med = ep.medians.get(arm)
            if med is not None and med.not_reached:
                out.append((cons.position(f"{ep.name} median ({arm})"), k, a))
    return out


def _aim_not_reached(cons: Constraints, pat: Patients, viol: np.ndarray, nr, rng) -> bool:
    """Raise the end of a curve printed as not reaching one half: one of the
    ``MEDIAN_NEAREST`` latest events of the arm moves to a random earlier tick (an event
    among more patients at risk takes less off the curve). ``False`` if none can move."""
    missed = [m for m in nr if viol[m[0]] > 0]
    _, k, a = missed[int(rng.integers(len(missed)))]
    t = pat.time[k]
    ev = np.flatnonzero(pat.event[k] & (pat.arm == a))
    if ev.size == 0:
        return False
    late = ev[np.argsort(-t[ev], kind="stable")[:MEDIAN_NEAREST]]
    i = int(late[rng.integers(late.size)])
    if t[i] <= 1:
        return False
    new = int(rng.integers(1, t[i]))
    if not movable_to(cons, pat, k, a, new)[i]:
        return False
    move_to(cons, pat, k, i, new)
    return True


def _rescale(cons: Constraints, pat: Patients, viol: np.ndarray, rng) -> bool:
    """Stretch all event times of one arm so its KM median lands near a missed median.

    With hundreds of patients per arm, moving one event at a time cannot shift a
    median by months; this moves them all by the factor :math:`c` = printed /
    current median (times :math:`e^{N(0, 0.01^2)}`). A death pushed past the
    patient's censoring time becomes censored there; nested endpoints stay within
    the outer one (an inner time that was the death, as an event or censored there,
    moves with it); a separate endpoint's event pushed past the end of follow-up is
    censored there.
    """
    missed = [m for m in cons.medians if viol[m[0]] > 0]
    pos, k, a = missed[int(rng.integers(len(missed)))]
    con = cons.constraints[pos]
    tick = cons.spec.tick
    mask = pat.arm == a
    cur = km_median_fast(pat.time[k, mask], pat.event[k, mask], cons.defs.median) * tick
    if not math.isfinite(cur) or cur <= 0:
        return False
    c = (con.lo + con.hi) / 2 / cur * math.exp(rng.normal(0.0, 0.01))
    t, e = pat.time, pat.event
    sel = mask & e[k]
    nested = cons.nested
    # nested times that are the death itself: an event, or (deaths censored) censored there
    at_death = e.copy()
    at_death[cons.death_censored] = True
    was_death = (t == t[0]) & e[0] & at_death
    new = np.maximum(1, np.rint(t[k, sel] * c)).astype(np.int64)
    if k == 0:
        t[0, sel] = new
        inner = np.ix_(nested, np.flatnonzero(sel))
        t[inner] = np.where(was_death[inner], new, np.minimum(t[inner], new))
        gone = sel & (t[0] > pat.cens)  # deaths now after censoring: censored
        e[:, gone] &= t[:, gone] <= pat.cens[gone]
        t[:, gone] = np.minimum(t[:, gone], pat.cens[gone])
        inner = np.ix_(nested, np.flatnonzero(gone))
        e[inner] &= ~was_death[inner]
    elif k in nested:
        t[k, sel] = np.minimum(new, t[0, sel])
    else:
        t[k, sel] = np.minimum(new, pat.cens[sel])
        e[k, sel] = new <= pat.cens[sel]
    return True


def _aim_follow_up_max(cons: Constraints, pat: Patients, rng) -> bool:
    """Put the longest follow-up into the printed maximum's window.

    Too long: the longest-followed patient is censored at a time in the window
    (events after it are not observed). Too short: a patient alive at censoring,
    one of the ``MEDIAN_NEAREST`` longest followed, is followed on to a time in the
    window. Under the ``censored`` range only censored patients count.
    """
    lo, hi = cons.bounds("follow_up.max")
    tick = cons.spec.tick
    lo_t, hi_t = math.ceil(lo / tick - 1e-9), math.floor(hi / tick + 1e-9)
    if hi_t < lo_t:
        return False
    new = int(rng.integers(lo_t, hi_t + 1))
    alive = ~pat.event[0]
    pool = alive if cons.defs.follow_up_range == "censored" else np.ones_like(alive)
    t0 = pat.time[0]
    if not pool.any():
        return False
    if t0[pool].max() > hi_t:
        i = int(np.flatnonzero(pool)[np.argmax(t0[pool])])
        pat.cens[i] = new
        late = pat.time[:, i] > new
        pat.time[late, i], pat.event[late, i] = new, False
        return True
    cand = np.flatnonzero(alive)
    if cand.size == 0:
        return False
    cand = cand[np.argsort(-t0[cand], kind="stable")[:MEDIAN_NEAREST]]
    i = int(cand[rng.integers(cand.size)])
    pat.cens[i] = new
    pat.time[:, i] = np.where(pat.event[:, i], pat.time[:, i], new)
    return True


def _aim_follow_up_median(cons: Constraints, pat: Patients, rng) -> bool:
    """Move one censoring time across the printed median follow-up (median of all
    observed times): a patient censored on the wrong side is censored at a time in
    the window instead."""
    lo, hi = cons.bounds("follow_up.median")
    tick = cons.spec.tick
    lo_t, hi_t = math.ceil(lo / tick - 1e-9), math.floor(hi / tick + 1e-9)
    if hi_t < lo_t:
        return False
    t0, alive = pat.time[0], ~pat.event[0]
    too_low = np.median(t0) * tick < lo
    # follow someone censored early for longer, or someone censored late for less
    cand = np.flatnonzero(alive & ((t0 < lo_t) if too_low else (t0 > hi_t)))
    if cand.size == 0:
        return False
    i = int(cand[rng.integers(cand.size)])
    new = int(rng.integers(lo_t, hi_t + 1))
    pat.cens[i] = new
    t_i, e_i = pat.time[:, i], pat.event[:, i]
    pat.time[:, i] = np.where(e_i & (t_i <= new), t_i, new)
    pat.event[:, i] = e_i & (t_i <= new)
    return True


def _pick_aim(cons: Constraints, pat: Patients, viol: np.ndarray, rng, max_pos, fu_median_pos):
    """With printed events or landmark rates: an aimed move at one missed printed number
    picked at random among the missed ones (``AIM_SHARE`` of the moves), else ``None``.

    Aimed moves of each kind get an equal share of the missed numbers' moves instead of
    the older order (maximum follow-up, then median follow-up, then medians), in which a
    missed rate would wait for every median to be met.
    """
    if rng.random() >= AIM_SHARE:
        return None
    kinds = []
    if max_pos is not None and viol[max_pos] > 0:
        kinds.append(lambda: _aim_follow_up_max(cons, pat, rng))
    if fu_median_pos is not None and viol[fu_median_pos] > 0:
        kinds.append(lambda: aim_follow_up_median(cons, pat, rng)
                     if narrow(cons, "follow_up.median") else _aim_follow_up_median(cons, pat, rng))
    min_pos = cons.position("follow-up min")
    if min_pos is not None and viol[min_pos] > 0 and narrow(cons, "follow_up.min"):
        kinds.append(lambda: aim_follow_up_min(cons, pat, rng))
    if cons.medians and viol[[m[0] for m in cons.medians]].any():
        kinds.append(lambda: _rescale(cons, pat, viol, rng) if rng.random() < RESCALE_SHARE
                     else _aim_median(cons, pat, viol, rng))
    nr = _not_reached(cons)
    if nr and viol[[m[0] for m in nr]].any():
        kinds.append(lambda: _aim_not_reached(cons, pat, viol, nr, rng))
    if cons.events and viol[[c[0] for c in cons.events]].any():
        kinds.append(lambda: aim_events(cons, pat, viol, rng))
    if cons.rates and viol[[c[0] for c in cons.rates]].any():
        # half of them scan one patient's positions for the exact rates (.aims.scan_rate)
        kinds.append(lambda: scan_rate(cons, pat, viol, rng) if rng.random() < SCAN_SHARE
                     else aim_rate(cons, pat, viol, rng))
    return kinds[int(rng.integers(len(kinds)))] if kinds else None


def _anneal(cons: Constraints, pat: Patients, loss: float, temp: float, rng):
    """The moved data set's ``(loss, violations)`` if the annealing keeps it (its loss
    is at most ``loss``, or else with probability :math:`e^{-\\Delta/T}`), else
    ``(inf, None)``, often before its Cox fits are computed: the random number is
    drawn when the loss is first seen to rise, and the evaluation stops once the
    loss exceeds the level that number allows."""
    u = None

    def looser():
        nonlocal u
        u = rng.random()
        return loss - temp * math.log(u) if u > 0 else math.inf

    new_loss, new_viol = cons.evaluate(pat, cap=loss, looser=looser)
    if new_viol is None or new_loss <= loss:
        return new_loss, new_viol
    if u is None:
        u = rng.random()
    return (new_loss, new_viol) if u < math.exp((loss - new_loss) / temp) else (math.inf, None)


def _screened_start(spec: Spec, cons: Constraints, arm: np.ndarray, rng):
    """Prior draws (hyperparameters and patients) until one starts near the printed
    numbers: ABC rejection with tolerance ``SCREEN_LOSS`` on the summed violation,
    at most ``SCREEN_TRIES`` draws (then the closest). Every draw within tolerance
    is equally likely to start a member, so the screen conditions the prior
    instead of picking its mode; with hundreds of patients per arm, a draw whose
    curves give a log-rank statistic several units off cannot be repaired by
    local moves."""
    best = None
    # where events, landmark rates or a hazard ratio's CI are printed, each arm is drawn
    # conditioned on its own printed numbers (.condition)
    conditioned = _anchored(spec)
    for _ in range(CONDITIONED_TRIES if conditioned else SCREEN_TRIES):
        hyper = draw_hyper(spec, rng)
        pat = draw_conditioned(cons, hyper, rng) if conditioned else \
            draw_patients(spec, hyper, arm, rng)
        loss, viol = cons.evaluate(pat)
        if best is None or loss < best[2]:
            best = (hyper, pat, loss, viol)
        if loss <= SCREEN_LOSS:
            break
    return best


def run_member(spec: Spec, index: int, seed: int, *, constraints: Constraints | None = None,
               max_steps: int | None = None, sweeps: int = 1) -> Member:
    """Sample member ``index`` of the ensemble with ``seed``.

    ``max_steps`` defaults to ``MAX_STEPS``, or ``COUNT_STEPS[0]`` where events or landmark
    rates are printed (whose moves are patient by patient: a member meets them in a few
    thousand moves, and is given up after ``COUNT_STEPS[1]`` without progress instead of
    ``STALL_STEPS``).
    """
    cons = constraints or Constraints(spec)
    cons.cox_start.clear()  # a member's fits do not start from another member's
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    arm = np.repeat(np.array([0, 1]), spec.n)
    hyper, pat, loss, viol = _screened_start(spec, cons, arm, rng)
    n = arm.size
    steps = 0
    early = cons.follow_up_floor()
    nested = cons.nested
    polish_pos = [c[0] for c in cons.logrank + cons.hazard]
    max_pos = cons.position("follow-up max")
    fu_median_pos = cons.position("follow-up median") \
        if cons.defs.follow_up_median == "observed" else None
    counts = bool(cons.events or cons.rates)
    count_pos = [c[0] for c in cons.events + cons.rates]
    not_reached = _not_reached(cons)
    nr_pos = [m[0] for m in not_reached]
    anchored = _anchored(spec)
    caps = [(k, c) for k in range(len(spec.endpoints))
            if math.isfinite(c := variance_cap(cons, k))]
    # a follow-up minimum or median printed to the day at a daily resolution ("1 day",
    # "398 days"): aimed at exactly (.aims), not by random moves
    median_narrow = narrow(cons, "follow_up.median")
    min_pos = cons.position("follow-up min")
    min_narrow = min_pos is not None and narrow(cons, "follow_up.min")
    max_steps = max_steps or (COUNT_STEPS[0] if counts else MAX_STEPS)
    stall = COUNT_STEPS[1] if counts else STALL_STEPS
    best, best_step = loss, 0
    while loss > 0 and steps < max_steps and steps - best_step < stall:
        if loss < best * (1 - 1e-3):
            best, best_step = loss, steps
        temp = TEMP0 * (TEMP1 / TEMP0) ** (steps / max_steps)
        steps += 1
        if viol[polish_pos].sum() >= (POLISH_DOMINANT if anchored else 1.0) * viol.sum() \
                and viol[polish_pos].any() and rng.random() < POLISH_SHARE:
            loss, viol = _polish(cons, pat, viol, loss, rng)
            continue
        i = int(rng.integers(n))
        if early is not None and rng.random() < 0.5:
            # the follow-up minimum needs every patient past it: move those who are not
            below = np.flatnonzero(early(pat))
            if below.size:
                i = int(below[rng.integers(below.size)])
        aim = None
        if counts:  # printed events or landmark rates: any missed number may be aimed at
            aim = _pick_aim(cons, pat, viol, rng, max_pos, fu_median_pos)
        elif max_pos is not None and viol[max_pos] > 0 and rng.random() < MEDIAN_SHARE:
            aim = lambda: _aim_follow_up_max(cons, pat, rng)
        elif fu_median_pos is not None and viol[fu_median_pos] > 0 \
                and rng.random() < MEDIAN_SHARE:
            aim = (lambda: aim_follow_up_median(cons, pat, rng)) if median_narrow else \
                (lambda: _aim_follow_up_median(cons, pat, rng))
        elif min_narrow and viol[min_pos] > 0 and rng.random() < MEDIAN_SHARE:
            aim = lambda: aim_follow_up_min(cons, pat, rng)
        elif cons.medians and viol[[m[0] for m in cons.medians]].any() \
                and rng.random() < MEDIAN_SHARE:
            aim = (lambda: _rescale(cons, pat, viol, rng)) if rng.random() < RESCALE_SHARE \
                else (lambda: _aim_median(cons, pat, viol, rng))
        elif anchored and nr_pos and viol[nr_pos].any() and rng.random() < MEDIAN_SHARE:
            # a curve printed as not reaching one half (only where the prior is anchored:
            # other specs are drawn as before)
            aim = lambda: _aim_not_reached(cons, pat, viol, not_reached, rng)
        held = counts and not viol[count_pos].any()
        info_before = {k: _info(pat, k) for k, _ in caps}
        if aim is not None:
            saved = (pat.time.copy(), pat.event.copy(), pat.cens.copy())
            if held:
                before = _signatures(cons, pat)
            if not aim():
                continue
            if caps and _worse_info(pat, caps, info_before):
                pat.time, pat.event, pat.cens = saved
                continue
            if held and not np.array_equal(before, _signatures(cons, pat)):
                # printed counts and rates met: an aimed move that changes what they see
                # (a death moved across a landmark for the follow-up median) is not made
                pat.time, pat.event, pat.cens = saved
                continue
        else:
            old = _patient(pat, i)
            if held:
                before = _signature(cons, pat, i)
            if rng.random() < 0.5 or not _jitter(pat, i, rng, nested):
                _redraw(spec, hyper, pat, i, rng)
            if held and _signature(cons, pat, i) != before or \
                    caps and _worse_info(pat, caps, info_before):
                # printed counts and rates met: a move that changes what they see is not
                # made; nor one past the events a printed CI needs
                _restore(pat, i, old)
                continue
        new_loss, new_viol = _anneal(cons, pat, loss, temp, rng)
        if new_viol is None and aim is not None and anchored and polish_pos:
            # an aimed move (the median follow-up put in its window) that misses a
            # hazard-ratio or log-rank window it met: one polish on top, kept if the two
            # together lower the loss (held-out rhDNase, n = 647: the follow-up median
            # printed to the day stayed 3 days off, each aimed move undone for the
            # hazard ratio's window it broke)
            a_loss, a_viol = cons.evaluate(pat)
            if a_viol[polish_pos].any():
                p_loss, p_viol = _polish(cons, pat, a_viol, a_loss, rng)
                if p_loss < loss:
                    new_loss, new_viol = p_loss, p_viol
        if new_viol is not None:
            loss, viol = new_loss, new_viol
        elif aim is not None:
            pat.time, pat.event, pat.cens = saved
        else:
            _restore(pat, i, old)
    if loss > 0:
        viol = cons.violations(cons.statistics(pat))
        worst = cons.constraints[int(np.argmax(viol))].name
        return Member(index, None, steps, loss, math.nan, hyper.dropout, worst)
    kept = tried = 0
    for _ in range(sweeps):
        for i in rng.permutation(n)[:GIBBS_VISITS]:
            old = _patient(pat, i)
            _redraw(spec, hyper, pat, int(i), rng)
            tried += 1
            if cons.loss(pat, cap=0.0) == 0:
                kept += 1
            else:
                _restore(pat, i, old)
    return Member(index, pat, steps, 0.0, kept / tried if tried else math.nan, hyper.dropout)


# One Constraints object per worker process, built on first use.
_WORKER: dict = {}


def _work(job):
    spec, index, seed, max_steps, sweeps = job
    key = (spec.fingerprint, spec.definitions)
    if _WORKER.get("key") != key:
        _WORKER["key"], _WORKER["cons"] = key, Constraints(spec)
    return run_member(spec, index, seed, constraints=_WORKER["cons"], max_steps=max_steps,
                      sweeps=sweeps)


@dataclass(frozen=True)
class EnsembleRun:
    """Accepted members (index order) and what it took to get them."""

    members: tuple[Member, ...]
    tried: int
    rejected_worst: dict = field(default_factory=dict)

    @property
    def acceptance_rate(self) -> float:
        return len(self.members) / self.tried if self.tried else math.nan


def sample_ensemble(spec: Spec, *, draws: int, seed: int, workers: int | None = None,
                    max_tries: int | None = None, max_steps: int | None = None, sweeps: int = 1,
                    progress=None) -> EnsembleRun:
    """The first ``draws`` accepted members, trying members 0, 1, 2, ... in order.

    Stops after ``max_tries`` members (default ``50 * draws``) even if fewer were
    accepted, and after ``GIVE_UP_TRIES`` members when none was accepted (a spec
    that cannot be met gets its verdict in seconds, not after minutes of tries).
    ``progress`` (e.g. a tqdm bar, :func:`.progress.progress_bar`) gets ``update(1)`` per
    accepted member, the tries and acceptance so far, and once, when fewer than
    ``LOW_RATE`` of ``LOW_AFTER`` or more tries are accepted, a line naming the printed
    number that rejected most of them (:class:`.progress.Progress`).
    """
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    max_tries = max_tries or 50 * draws
    workers = workers or min(2, os.cpu_count() or 1)
    report = Progress(progress, Constraints(spec))  # InfeasibleSpec here, not in a worker
    jobs = ((spec, i, seed, max_steps, sweeps) for i in range(max_tries))
    accepted: list[Member] = []
    worst: dict[str, int] = {}
    tried = 0

    def consume(results):
        nonlocal tried
        for m in results:
            tried += 1
            if m.patients is None:
                worst[m.worst] = worst.get(m.worst, 0) + 1
            else:
                accepted.append(m)
            report.tried(accepted=len(accepted), tried=tried, worst=worst,
                         new=m.patients is not None)
            if len(accepted) >= draws or (not accepted and tried >= GIVE_UP_TRIES):
                return

    if workers > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(workers) as pool:
            consume(pool.imap(_work, jobs, chunksize=1))
            pool.terminate()
    else:
        consume(map(_work, jobs))
    return EnsembleRun(tuple(accepted), tried, dict(sorted(worst.items())))
