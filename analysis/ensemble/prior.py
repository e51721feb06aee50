"""The prior: smooth per-arm hazards and a censoring model tied to the study dates.

One ensemble member starts from hyperparameters :class:`Hyper` drawn by
:func:`draw_hyper` and patients drawn by :func:`draw_patients`:

* each arm and endpoint has a piecewise-constant hazard on ``PIECES`` equal pieces
  of the horizon (last piece continues beyond it); its shape is a Gaussian random
  walk of the log hazard between pieces (step sd 0.35: smooth, yet free in shape),
  scaled so that the model's median is the printed median (or, printed as not
  reached, S(horizon) ~ U(0.5, 0.95)), then shifted by a level term
  :math:`N(0, 0.15^2)` on the log scale;
* a nested endpoint (PFS inside OS) is the first of death and a separate event
  (progression) whose hazard is the nested endpoint's minus the outer one's
  (floored at 15 % of it), so PFS <= OS for every patient by construction;
* censoring: enrolment uniform over the printed enrolment window, administrative
  censoring at the earlier of the horizon and the cut-off date, plus loss to
  follow-up with a constant hazard chosen so that the model's median follow-up
  (under the spec's definition) is the printed one, times :math:`e^{N(0, 0.25^2)}`,
  kept within 0.001-0.1 per month (log-uniform over that range when no median
  follow-up is printed).

Times are recorded in whole ticks of the spec's resolution (a day by default).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .spec import Spec, _UNIT_MONTHS

__all__ = ["Hyper", "Patients", "draw_hyper", "draw_patients", "PIECES"]

PIECES = 4
LEVEL_SD = 0.15
DROPOUT_SD = 0.25
STEP_SD = 0.35
DROPOUT_PER_MONTH = (0.001, 0.1)
INNER_FLOOR = 0.15


@dataclass(frozen=True)
class Hyper:
    """Hyperparameters of one ensemble member.

    ``hazard[k, a, j]``: hazard of latent event ``k`` (0 = death/outer endpoint,
    then one per nested endpoint) in arm ``a`` on piece ``j``; ``dropout``: loss to
    follow-up hazard per time unit.
    """

    breaks: np.ndarray
    hazard: np.ndarray
    dropout: float


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


def _cum_hazard(breaks: np.ndarray, rates: np.ndarray, t) -> np.ndarray:
    """:math:`H(t)` of piecewise-constant hazards (last piece open-ended).

    ``rates`` has shape (pieces,) or (pieces, m); the result has one row per ``t``.
    """
    t = np.atleast_1d(np.asarray(t, dtype=float))
    ends = np.append(breaks[1:], np.inf)
    overlap = np.minimum(np.clip(t[:, None] - breaks[None, :], 0, None),
                         (ends - breaks)[None, :])
    return overlap @ rates


def _scaled_hazard(spec: Spec, endpoint, arm: str, shape: np.ndarray, breaks: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """``shape`` scaled so the model matches what is printed for this arm."""
    med = endpoint.medians.get(arm)
    if med is None:  # nothing printed: median anywhere from an eighth to four horizons
        at = spec.horizon * math.exp(rng.uniform(math.log(0.125), math.log(4)))
        target = math.log(2)
    elif med.not_reached:  # S(horizon) somewhere above one half
        at, target = spec.horizon, -math.log(rng.uniform(0.5, 0.95))
    else:  # model median = printed median
        at, target = max(med.printed.value, spec.tick), math.log(2)
    scale = target / _cum_hazard(breaks, shape, at)[0]
    return shape * scale * math.exp(rng.normal(0, LEVEL_SD))


def _dropout_rate(spec: Spec, hazard: np.ndarray, breaks: np.ndarray, rng) -> float:
    """Loss-to-follow-up hazard that gives the printed median follow-up in the model.

    ``observed``: half of all observed times (death or censoring) fall before it;
    ``reverse_km``: half of the censoring distribution does. Without a printed median,
    or when no rate can reach it, log-uniform over ``DROPOUT_PER_MONTH``.
    """
    per_unit = _UNIT_MONTHS[spec.time_unit]
    lo, hi = (r * per_unit for r in DROPOUT_PER_MONTH)
    fu = spec.follow_up.median if spec.follow_up is not None else None
    if fu is None or fu.printed.value >= spec.horizon:
        return math.exp(rng.uniform(math.log(lo), math.log(hi)))
    m = fu.printed.value
    if spec.definitions.follow_up_median == "reverse_km":
        rate = math.log(2) / m
    else:  # S_event(m) exp(-rate m) = 1/2, S_event averaged over the arms
        w = np.array(spec.n, dtype=float) / sum(spec.n)
        s_event = float(w @ np.exp(-_cum_hazard(breaks, hazard[0].T, m)[0]))
        if s_event <= 0.5:
            return lo
        rate = math.log(2 * s_event) / m
    return float(np.clip(rate * math.exp(rng.normal(0, DROPOUT_SD)), lo, hi))


def draw_hyper(spec: Spec, rng: np.random.Generator) -> Hyper:
    """Draw hazards and the dropout rate of one member."""
    breaks = np.linspace(0, spec.horizon, PIECES + 1)[:-1]
    n_ep = len(spec.endpoints)
    target = np.empty((n_ep, 2, PIECES))
    for k, ep in enumerate(spec.endpoints):
        for a, arm in enumerate(spec.arms):
            walk = np.cumsum(rng.normal(0, STEP_SD, PIECES))
            target[k, a] = _scaled_hazard(spec, ep, arm, np.exp(walk - walk.mean()), breaks, rng)
    hazard = target.copy()
    if n_ep > 1:  # nested: the separate event's hazard is the difference
        hazard[1:] = np.maximum(target[1:] - target[0], INNER_FLOOR * target[1:])
    return Hyper(breaks=breaks, hazard=hazard, dropout=_dropout_rate(spec, hazard, breaks, rng))


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


def draw_patients(spec: Spec, hyper: Hyper, arm: np.ndarray,
                  rng: np.random.Generator) -> Patients:
    """Draw patients of the given arms (0/1) from the member's model, in ticks."""
    m = arm.size
    # follow-up ends at the horizon: the first tick at or after it (730.5 days -> 731)
    horizon_ticks = math.ceil(spec.horizon / spec.tick - 1e-9)
    admin = np.full(m, horizon_ticks, dtype=np.int64)
    if spec.enrolment is not None and spec.cutoff is not None:
        start, end = spec.enrolment
        days = rng.integers(0, (end - start).days + 1, m)
        potential = ((spec.cutoff - start).days - days) / (365.25 / 12) \
            / _UNIT_MONTHS[spec.time_unit]
        admin = np.minimum(admin, np.floor(potential / spec.tick).astype(np.int64))
    drop = rng.exponential(1 / hyper.dropout, m)
    cens = np.minimum(admin, np.maximum(1, np.floor(drop / spec.tick + 0.5))).astype(np.int64)

    n_ep = hyper.hazard.shape[0]
    latent = np.empty((n_ep, m))
    for k in range(n_ep):
        latent[k] = _piecewise_exp(hyper.breaks, hyper.hazard[k, arm], rng.exponential(1.0, m))
    latent[1:] = np.minimum(latent[1:], latent[0])
    ticks = np.maximum(1, np.floor(latent / spec.tick + 0.5)).astype(np.int64)
    event = ticks <= cens
    time = np.where(event, ticks, cens)
    return Patients(arm=arm, cens=cens, time=time, event=event)
