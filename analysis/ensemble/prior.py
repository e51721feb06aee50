"""The prior: free per-arm hazards and a censoring model of accrual and cut-off.

One ensemble member starts from hyperparameters :class:`Hyper` drawn by
:func:`draw_hyper` and patients drawn by :func:`draw_patients`:

* each arm and endpoint has a piecewise-constant hazard on ``PIECES`` equal pieces
  of the span (the horizon, or the follow-up cap if shorter; the last piece
  continues beyond it); its shape is a linear trend of the log hazard shared by
  the arms (slope :math:`N(0, 1)` per piece, ``TREND_SD``: hazards that rise or
  fall steeply, as in Weibull-like data) plus a Gaussian random walk between
  pieces (step sd ``STEP_SD`` = 0.6, drawn independently per arm, so the
  hazards may cross and one arm may have the earlier median and the heavier
  tail), scaled so that the model's median is the printed median (or, printed
  as not reached, S(span) ~ U(0.5, 0.99): the medians do not pin the number of
  events then; not printed, the median anywhere from an eighth to four spans),
  then shifted by a level term :math:`N(0, 0.15^2)` on the log scale (the screened
  start and the median moves of :mod:`.sampler` bring a shifted median back);
* every other endpoint has a latent event of its own (progression, recurrence), and
  its kind (:data:`.spec.KINDS`) says how it meets the outer one: ``event_or_death``
  (PFS inside OS) is the first of death and that event, whose hazard is the nested
  endpoint's minus the outer one's (floored at 2 % of it, ``INNER_FLOOR``: a floor of
  15 % made PFS at least that much faster than OS on every piece, and no member could
  meet a paper whose PFS curve nearly is its OS curve, as in R's mgus2, where 115 of
  975 progression-or-death events are progressions), so PFS <= OS for every
  patient by construction; ``death_censored`` (recurrence-free time with deaths
  censored) is that event when it comes before death, else censored at death, and
  ``separate`` is that event censored only by the end of follow-up; for these two the
  latent hazard is the endpoint's own (the Kaplan-Meier curve with deaths censored
  estimates :math:`e^{-H}` of that cause-specific hazard);
* censoring, never at the horizon itself: each patient's potential follow-up is
  the time from enrolment to the cut-off when the spec prints both (enrolment
  uniform over the window), otherwise uniform between an earliest entry's
  ``admin_lo`` and the follow-up cap (:attr:`.spec.Spec.follow_up_cap`: planned
  follow-up, printed maximum); plus loss to follow-up at a constant hazard after
  the printed minimum follow-up. When a median follow-up is printed (its true value
  drawn uniformly within the printed rounding), the share of
  the censoring it needs that comes from accrual (``admin_lo``) versus loss to
  follow-up (rate) is drawn U(0, 1) and the two are solved so that the model's
  median follow-up (under the spec's definition) is that value; the rate is
  then multiplied by :math:`e^{N(0, 0.25^2)}` and kept within 0.0005-0.1 per month
  (log-uniform over that range, and ``admin_lo`` uniform, when no median
  follow-up is printed).

Times are recorded in whole ticks of the spec's resolution (a day by default).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .anchors import (_SCALE_RANGE, GRID, anchor_points, anchored_hazard, expected_events,
                      match_events, not_reached_range, refined_breaks)
from .hazard import cum_hazard as _cum_hazard
from .spec import NESTED_KINDS, Spec, _UNIT_MONTHS

__all__ = ["Hyper", "Patients", "draw_hyper", "draw_patients", "PIECES"]

PIECES = 4
LEVEL_SD = 0.15
DROPOUT_SD = 0.25
STEP_SD = 0.6
TREND_SD = 1.0
DROPOUT_PER_MONTH = (0.0005, 0.1)
NOT_REACHED_S = (0.5, 0.99)  # S(span) of an arm whose median is printed as not reached
INNER_FLOOR = 0.02


@dataclass(frozen=True)
class Hyper:
    """Hyperparameters of one ensemble member.

    ``hazard[k, a, j]``: hazard of latent event ``k`` (0 = death/outer endpoint,
    then the own event of each other endpoint) in arm ``a`` on piece ``j``; ``dropout``: loss to
    follow-up hazard per time unit; ``admin_lo``: shortest potential follow-up
    (time unit) when no enrolment dates are printed.
    """

    breaks: np.ndarray
    hazard: np.ndarray
    dropout: float
    admin_lo: float
    # events[k][a]: the count the prior's hazards were matched to for endpoint k, arm a
    # (printed, drawn within its rounding, or implied by a printed CI); None where none
    events: tuple | None = None


@dataclass
class Patients:
    """Patient-level data in ticks. ``time[k]``/``event[k]`` per endpoint ``k``.

    ``cens`` is each patient's censoring time (ticks): follow-up ends there unless
    the outer event comes first.
    """

    arm: np.ndarray
    cens: np.ndarray
    time: np.ndarray
    event: np.ndarray

    def copy(self) -> "Patients":
        return Patients(self.arm, self.cens.copy(), self.time.copy(), self.event.copy())




def _scaled_hazard(spec: Spec, endpoint, arm: str, shape: np.ndarray, breaks: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """``shape`` scaled so the model matches what is printed for this arm."""
    med = endpoint.medians.get(arm)
    if med is None:  # nothing printed: median anywhere from an eighth to four spans
        at = spec.span * math.exp(rng.uniform(math.log(0.125), math.log(4)))
        target = math.log(2)
    elif med.not_reached:  # S(span) somewhere above one half
        at, target = spec.span, -math.log(rng.uniform(*NOT_REACHED_S))
    else:  # model median = printed median
        at, target = max(med.printed.value, spec.tick), math.log(2)
    scale = target / _cum_hazard(breaks, shape, at)[0]
    return shape * scale * math.exp(rng.normal(0, LEVEL_SD))


def _follow_up_floor(spec: Spec) -> float:
    """No one is censored before the printed minimum follow-up (time unit)."""
    fu = spec.follow_up
    return fu.min.printed.interval[0] if fu is not None and fu.min is not None else 0.0


def _admin_survival(spec: Spec, m: float, lo: float) -> float:
    """P(potential follow-up > m): by the enrolment dates when printed, else uniform
    on ``[lo, cap]``."""
    return float(_admin_survival_at(spec, np.array([m], dtype=float), lo)[0])


def _admin_survival_at(spec: Spec, m: np.ndarray, lo: float) -> np.ndarray:
    """:func:`_admin_survival` at each of the times ``m`` at once (the same numbers)."""
    cap = spec.follow_up_cap
    if spec.enrolment is not None and spec.cutoff is not None:
        first, last = (min(spec.potential_follow_up(d), cap) for d in spec.enrolment[::-1])
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = (last - m) / (last - first)
        return np.where(m >= last, 0.0, np.where(m < first, 1.0, inside))
    return np.clip((cap - m) / max(cap - lo, 1e-12), 0.0, 1.0)


def _censoring(spec: Spec, hazard: np.ndarray, breaks: np.ndarray, rng) -> tuple[float, float]:
    """Loss-to-follow-up rate and shortest potential follow-up (see the module notes).

    ``observed``: half of all observed times (death or censoring) fall before the
    printed median follow-up ``m``, :math:`S_T(m) A(m) e^{-r(m - f)} = 1/2`
    (:math:`A` potential follow-up, :math:`f` printed minimum); ``reverse_km``: half
    of the censoring distribution does (:math:`S_T = 1`).
    """
    per_unit = _UNIT_MONTHS[spec.time_unit]
    r_lo, r_hi = (r * per_unit for r in DROPOUT_PER_MONTH)
    floor, cap = _follow_up_floor(spec), spec.follow_up_cap
    dated = spec.enrolment is not None and spec.cutoff is not None
    lo = cap if dated else rng.uniform(floor, cap)
    fu = spec.follow_up.median if spec.follow_up is not None else None
    free_rate = math.exp(rng.uniform(math.log(r_lo), math.log(r_hi)))
    if fu is None or not floor < fu.printed.value < cap:
        return free_rate, lo
    # the true median follow-up anywhere its printed rounding allows ("2" months: 1.5
    # to 2.5), which moves the censoring needed by a quarter either way
    m = min(max(rng.uniform(*fu.printed.interval), floor + 1e-9), cap - 1e-9)
    s_event = 1.0
    if spec.definitions.follow_up_median == "observed":
        w = np.array(spec.n, dtype=float) / sum(spec.n)
        s_event = float(w @ np.exp(-_cum_hazard(breaks, hazard[0].T, m)[0]))
    # censoring survival at m that the printed median needs (none alive at m: as little
    # censoring as allowed; the sampler then finds, or not, a data set that meets it)
    need = 0.5 / s_event if s_event > 0 else math.inf
    if need >= 1:  # events alone put the median before m: as little censoring as allowed
        return r_lo, (cap if not dated else lo)
    if not dated:  # split the censoring between accrual and loss to follow-up
        share = rng.uniform()
        lo = max(floor, cap - (cap - m) / need ** share)
    admin = _admin_survival(spec, m, lo)
    rate = math.log(admin / need) / (m - floor) if admin > need else r_lo
    return float(np.clip(rate * math.exp(rng.normal(0, DROPOUT_SD)), r_lo, r_hi)), lo


def _anchored(spec: Spec) -> bool:
    """Whether the spec prints landmark rates, events or a hazard ratio's CI, which anchor
    the hazards (:mod:`.anchors`); without them the prior is drawn exactly as before they
    existed."""
    return any(ep.survival or _counted(ep) for ep in spec.endpoints)


def _counted(ep) -> bool:
    """Whether the endpoint prints its events, or a CI that implies them."""
    return bool(ep.events) or ep.events_total is not None or \
        (ep.hr_lower is not None and ep.hr_upper is not None)


def _ci_events(ep, share: list[float], rng, n=None, pinned=None) -> list[float]:
    """Events per arm that a printed 95 % CI of the hazard ratio implies.

    The CI's limits are drawn within their rounding; their log ratio gives the standard
    error of ln HR, and the arms' events :math:`D_a, D_b` (in the model's ratio ``share``)
    solve :math:`se^2 = 1/D_a + 1/D_b`.

    Notes
    -----
    :math:`se = \\ln(u/l) / (2 z_{0.975})`; R: ``se <- log(u / l) / (2 * qnorm(0.975))``,
    the Wald CI of ``coxph``. With :math:`r = D_a / D_b`, :math:`D_b = (1 + 1/r) / se^2`.
    """
    lo = rng.uniform(*(max(x, 1e-9) for x in ep.hr_lower.printed.interval))
    hi = rng.uniform(*ep.hr_upper.printed.interval)
    se = math.log(hi / lo) / (2 * 1.959963984540054) if hi > lo else math.nan
    if not se > 0 or not all(x > 0 for x in share):
        return [None, None]
    r = share[0] / share[1]
    d_b = (1 + 1 / r) / se ** 2
    out = [r * d_b, d_b]
    if pinned is not None and sum(pinned) == 1:
        # one arm's hazard is set by its printed median, the other's (not reached) is
        # not: the first keeps the model's events and the second takes the rest of se^2
        # (held-out Melanoma: the ratio of a not-reached arm's drawn events put up to 184
        # of 90 patients' deaths in the other arm)
        a = pinned.index(True)
        rest = se ** 2 - 1 / share[a]
        out = [0.0, 0.0]
        out[a], out[1 - a] = share[a], (1 / rest if rest > 0 else math.inf)
    # no arm has more events than patients: the arm the ratio puts past its n keeps n, and
    # the other takes what is left of se^2 (held-out Melanoma: 90 patients asked for 184)
    if n is not None:
        for a in (0, 1):
            if out[a] > n[a]:
                rest = se ** 2 - 1 / n[a]
                out[a] = float(n[a])
                out[1 - a] = min(1 / rest, n[1 - a]) if rest > 0 else float(n[1 - a])
    return out


def _own_hazard(spec: Spec, target: np.ndarray) -> np.ndarray:
    """Each latent event's hazard from each endpoint's: an ``event_or_death`` endpoint's
    own event has the difference from the outer one (floored at ``INNER_FLOOR``)."""
    hazard = target.copy()
    for k, ep in enumerate(spec.endpoints):
        if ep.kind == "event_or_death":  # its own event's hazard is the difference
            hazard[k] = np.maximum(target[k] - target[0], INNER_FLOOR * target[k])
    return hazard


def draw_hyper(spec: Spec, rng: np.random.Generator) -> Hyper:
    """Draw hazards and the dropout rate of one member."""
    breaks = np.linspace(0, spec.span, PIECES + 1)[:-1]
    anchored = _anchored(spec)
    fine = breaks
    if anchored:
        times = [m.time for ep in spec.endpoints for m in ep.survival] + \
            [max(v.printed.value, spec.tick) for ep in spec.endpoints
             for v in ep.medians.values() if not v.not_reached]
        fine = refined_breaks(breaks, times, spec.span)
    piece = np.searchsorted(breaks, fine, side="right") - 1  # base piece of each fine one
    n_ep = len(spec.endpoints)
    target = np.empty((n_ep, 2, fine.size))
    last = np.zeros((n_ep, 2))  # time of each arm's last anchor point
    for k, ep in enumerate(spec.endpoints):
        trend = rng.normal(0, TREND_SD) * np.arange(PIECES)
        for a, arm in enumerate(spec.arms):
            walk = trend + np.cumsum(rng.normal(0, STEP_SD, PIECES))
            shape = np.exp(walk - walk.mean())
            points = anchor_points(spec, ep, arm, rng) if anchored else []
            if points and (ep.survival or len(points) > 1):
                target[k, a] = anchored_hazard(fine, shape[piece], points)
                last[k, a] = points[-1][0]
            else:
                target[k, a] = _scaled_hazard(spec, ep, arm, shape, breaks, rng)[piece]
                last[k, a] = points[-1][0] if points else 0.0
    hazard = _own_hazard(spec, target)
    dropout, admin_lo = _censoring(spec, hazard, fine, rng)
    events = None
    if anchored and any(_counted(ep) for ep in spec.endpoints):
        target, events = _match_events(spec, fine, target, last, dropout, admin_lo, rng)
        hazard = _own_hazard(spec, target)
    return Hyper(breaks=fine, hazard=hazard, dropout=dropout, admin_lo=admin_lo,
                 events=events)


def _match_events(spec: Spec, breaks: np.ndarray, target: np.ndarray, last: np.ndarray,
                  dropout: float, admin_lo: float, rng) -> tuple[np.ndarray, tuple]:
    """``target`` hazards, and the events per endpoint and arm they were matched to, with each arm's hazard past its last anchor point scaled so that
    the expected events under the member's censoring are the printed ones (each drawn
    within its rounding; a printed total is split in proportion to the model's counts), or
    else those a printed CI of the hazard ratio implies (:func:`_ci_events`)."""
    cap = spec.follow_up_cap
    grid = np.linspace(0.0, cap, GRID)
    floor = _follow_up_floor(spec)
    censor = _admin_survival_at(spec, grid, admin_lo) \
        * np.exp(-dropout * np.clip(grid - floor, 0, None))
    out = target.copy()
    wanted = []
    for k, ep in enumerate(spec.endpoints):
        # an endpoint's events come from its own hazard (an event-or-death endpoint's is
        # the whole of it); deaths censor a death-censored one
        other = target[0] if ep.kind == "death_censored" else None
        share = [expected_events(breaks, out[k, a], censor, grid,
                                 other=None if other is None else other[a]) for a in range(2)]
        want = [None if v is None else rng.uniform(max(v.printed.interval[0], 0.0),
                                                   v.printed.interval[1])
                for v in (ep.events.get(arm) for arm in spec.arms)]
        now = [n * p for n, p in zip(spec.n, share)]
        if want == [None, None] and ep.events_total is not None:
            lo, hi = ep.events_total.printed.interval
            total = rng.uniform(max(lo, 0.0), hi)
            want = [total * x / sum(now) if sum(now) > 0 else total / 2 for x in now]
        elif want == [None, None] and ep.hr_lower is not None and ep.hr_upper is not None:
            pinned = [ep.medians.get(arm) is not None and not ep.medians[arm].not_reached
                      for arm in spec.arms]
            want = _ci_events(ep, now, rng, spec.n, pinned)
        for a in range(2):
            if want[a] is not None:
                med = ep.medians.get(spec.arms[a])
                # a median printed as not reached bounds the scale by S(span) > 1/2 instead
                scales = not_reached_range(breaks, out[k, a], last[k, a], spec.span) \
                    if med is not None and med.not_reached else _SCALE_RANGE
                out[k, a] = match_events(breaks, out[k, a], want[a], spec.n[a], censor, grid,
                                         after=last[k, a],
                                         other=None if other is None else other[a],
                                         scale_range=scales)
        wanted.append(tuple(want))
    return out, tuple(wanted)


def _piecewise_exp(breaks: np.ndarray, rates: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse of the cumulative hazard at standard-exponential draws ``u``.

    ``rates`` has shape (n, pieces): one hazard row per draw.
    """
    widths = np.diff(breaks)
    cum = np.concatenate([np.zeros((rates.shape[0], 1)),
                          np.cumsum(rates[:, :-1] * widths, axis=1)], axis=1)
    j = (u[:, None] >= cum).sum(axis=1) - 1
    rows = np.arange(u.size)
    return breaks[j] + (u - cum[rows, j]) / rates[rows, j]


def _piecewise_exp_arms(breaks: np.ndarray, rates: np.ndarray, arm: np.ndarray,
                        u: np.ndarray) -> np.ndarray:
    """:func:`_piecewise_exp` with one hazard row per arm (``rates[a]``), each arm's
    cumulative hazard summed once instead of once per patient: the same numbers (the
    conditioned start draws tens of thousands of patients of one arm at a time)."""
    widths = np.diff(breaks)
    if arm.size == 1:  # one patient redrawn (the sampler's moves): no grouping
        r = rates[arm[0]]
        cum = np.concatenate([[0.0], np.cumsum(r[:-1] * widths)])
        j = np.searchsorted(cum, u, side="right") - 1
        return breaks[j] + (u - cum[j]) / r[j]
    out = np.empty(u.size)
    for a in np.unique(arm):
        sel = arm == a
        r = rates[a]
        cum = np.concatenate([[0.0], np.cumsum(r[:-1] * widths)])
        # entries of the non-decreasing cum at or below u: (u >= cum).sum()
        j = np.searchsorted(cum, u[sel], side="right") - 1
        out[sel] = breaks[j] + (u[sel] - cum[j]) / r[j]
    return out


def draw_patients(spec: Spec, hyper: Hyper, arm: np.ndarray,
                  rng: np.random.Generator) -> Patients:
    """Draw patients of the given arms (0/1) from the member's model, in ticks."""
    m = arm.size
    cap = spec.follow_up_cap_ticks
    if spec.enrolment is not None and spec.cutoff is not None:
        start, end = spec.enrolment
        days = rng.integers(0, (end - start).days + 1, m)
        potential = ((spec.cutoff - start).days - days) / (365.25 / 12) \
            / _UNIT_MONTHS[spec.time_unit]
        admin = np.minimum(cap, np.floor(potential / spec.tick).astype(np.int64))
    else:
        lo = min(max(1, math.ceil(hyper.admin_lo / spec.tick - 1e-9)), cap)
        admin = rng.integers(lo, cap + 1, m)
    floor = _follow_up_floor(spec)
    drop = floor + rng.exponential(1 / hyper.dropout, m)
    cens = np.minimum(admin, np.maximum(1, np.ceil(drop / spec.tick - 1e-9))).astype(np.int64)

    n_ep = hyper.hazard.shape[0]
    latent = np.empty((n_ep, m))
    for k in range(n_ep):
        latent[k] = _piecewise_exp_arms(hyper.breaks, hyper.hazard[k], arm,
                                        rng.exponential(1.0, m))
    first = latent < latent[0]  # its own event before the outer one
    for k, ep in enumerate(spec.endpoints):
        if ep.kind in NESTED_KINDS:
            latent[k] = np.minimum(latent[k], latent[0])
    ticks = np.maximum(1, np.floor(latent / spec.tick + 0.5)).astype(np.int64)
    event = ticks <= cens
    time = np.where(event, ticks, cens)
    for k, ep in enumerate(spec.endpoints):
        if ep.kind == "death_censored":  # the outer event first: censored there
            event[k] &= first[k]
            time[k] = np.where(event[k], time[k], time[0])
    return Patients(arm=arm, cens=cens, time=time, event=event)

