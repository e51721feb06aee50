"""Small, fast Kaplan–Meier primitives for one or two arms (numpy only).

These are the building blocks the reconstruction, its benchmark and the survival
ensemble call thousands of times, so they avoid pandas and lifelines objects. Each
is checked against R ``survival`` and lifelines in ``tests/test_km_estimate.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "KaplanMeier", "LogRank", "kaplan_meier", "survival_at", "km_median", "rmst",
    "logrank_test", "n_at_risk",
]

# R survival's tolerance for "survival exactly equal to p" (quantile.survfit).
_TOL = float(np.sqrt(np.finfo(float).eps))


def _as_time_event(time, event) -> tuple[np.ndarray, np.ndarray]:
    time = np.asarray(time, dtype=float)
    event = np.asarray(event)
    if time.ndim != 1 or event.shape != time.shape:
        raise ValueError(f"time and event must be 1-d and the same length, got shapes "
                         f"{time.shape} and {event.shape}")
    if time.size == 0:
        raise ValueError("time is empty")
    if not np.all(np.isfinite(time)) or np.any(time < 0):
        raise ValueError("time must be finite and non-negative")
    if not np.all(np.isin(event, (0, 1, True, False))):
        raise ValueError("event must be 0/1 (or boolean)")
    return time, event.astype(bool)


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier step function, one row per distinct observed time.

    Attributes
    ----------
    time : ndarray
        Distinct times (events or censorings), ascending.
    n_risk : ndarray
        Number at risk just before each time (``time_i >= t``).
    n_event, n_censor : ndarray
        Events and censorings at each time.
    survival : ndarray
        :math:`\\hat S(t)` just after each time (right-continuous).
    """

    time: np.ndarray
    n_risk: np.ndarray
    n_event: np.ndarray
    n_censor: np.ndarray
    survival: np.ndarray

    @property
    def n(self) -> int:
        return int(self.n_risk[0])

    @property
    def events(self) -> int:
        return int(self.n_event.sum())

    def __call__(self, t) -> np.ndarray:
        return survival_at(self, t)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"time": self.time, "n_risk": self.n_risk, "n_event": self.n_event,
                             "n_censor": self.n_censor, "survival": self.survival})


def kaplan_meier(time, event) -> KaplanMeier:
    """Kaplan–Meier estimate of one arm.

    Parameters
    ----------
    time : array_like
        Follow-up times, non-negative.
    event : array_like
        1 (or True) for an event, 0 for a censoring.

    Returns
    -------
    KaplanMeier

    Notes
    -----
    :math:`\\hat S(t) = \\prod_{t_i \\le t} (1 - d_i / n_i)`. R:
    ``survfit(Surv(time, event) ~ 1)``; its ``time``, ``n.risk``, ``n.event``,
    ``n.censor`` and ``surv`` are the fields here.

    References
    ----------
    Kaplan EL, Meier P. Nonparametric estimation from incomplete observations.
    J Am Stat Assoc 1958;53:457-481. doi:10.1080/01621459.1958.10501452
    """
    time, event = _as_time_event(time, event)
    uniq, inverse, total = np.unique(time, return_inverse=True, return_counts=True)
    n_event = np.bincount(inverse, weights=event, minlength=uniq.size).astype(int)
    n_censor = total - n_event
    n_risk = time.size - np.concatenate(([0], np.cumsum(total)[:-1]))
    survival = np.cumprod(1.0 - n_event / n_risk)
    return KaplanMeier(uniq, n_risk, n_event, n_censor, survival)


def survival_at(km: KaplanMeier, t) -> np.ndarray:
    """:math:`\\hat S(t)` at the given times (1 before the first time).

    R: ``summary(fit, times = t, extend = TRUE)$surv``.
    """
    t = np.asarray(t, dtype=float)
    idx = np.searchsorted(km.time, t, side="right")
    return np.where(idx == 0, 1.0, km.survival[np.maximum(idx - 1, 0)])


def km_median(km: KaplanMeier, *, method: str = "midpoint") -> float:
    """Median survival time; ``nan`` when the curve never reaches 0.5.

    Parameters
    ----------
    km : KaplanMeier
    method : {"midpoint", "first_below"}
        ``"first_below"``: the first time with :math:`\\hat S(t) \\le 0.5` (SPSS,
        SAS, lifelines). ``"midpoint"``: the same, except that where the curve sits
        exactly at 0.5 over a stretch the median is the middle of that stretch (R
        ``survival``; the stretch ends at the next drop, or at the last follow-up
        time if the curve never drops again).

    Notes
    -----
    R: ``quantile(survfit(...), 0.5)`` / ``print(fit)``, with "exactly 0.5"
    meaning within ``sqrt(.Machine$double.eps)``, as R's ``findq``.
    """
    if method not in ("midpoint", "first_below"):
        raise ValueError(f"method must be 'midpoint' or 'first_below', got {method!r}")
    s = km.survival
    below = np.flatnonzero(s <= 0.5 + _TOL)
    if below.size == 0:
        return float("nan")
    i = below[0]
    if method == "first_below" or abs(s[i] - 0.5) >= _TOL:
        return float(km.time[i])
    after = np.flatnonzero(s < 0.5 - _TOL)
    end = km.time[after[0]] if after.size else km.time[-1]
    return float((km.time[i] + end) / 2)


def rmst(km: KaplanMeier, *, tau: float) -> float:
    """Restricted mean survival time, the area under :math:`\\hat S` on ``[0, tau]``.

    Notes
    -----
    :math:`\\int_0^\\tau \\hat S(t)\\,dt`. R: ``print(fit, rmean = tau)`` (the
    ``*rmean`` column), or ``summary(fit, rmean = tau)$table["rmean"]``.
    """
    tau = float(tau)
    if not np.isfinite(tau) or tau <= 0:
        raise ValueError(f"tau must be a positive number, got {tau}")
    keep = km.time < tau
    knots = np.concatenate(([0.0], km.time[keep], [tau]))
    heights = np.concatenate(([1.0], km.survival[keep]))
    return float(np.sum(np.diff(knots) * heights))


@dataclass(frozen=True)
class LogRank:
    """Two-group log-rank test (1 degree of freedom).

    Attributes
    ----------
    chisq : float
    p : float
    observed, expected : tuple of float
        Events observed and expected in group 0 and group 1 (sorted group labels).
    groups : tuple
        The two group labels, in the order of ``observed``.
    """

    chisq: float
    p: float
    observed: tuple
    expected: tuple
    groups: tuple
    df: int = 1

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"group": list(self.groups), "observed": list(self.observed),
                             "expected": list(self.expected),
                             "chisq": [self.chisq] * 2, "p": [self.p] * 2})


def logrank_test(time, event, group) -> LogRank:
    """Log-rank test of two groups.

    Parameters
    ----------
    time, event : array_like
        Follow-up times and 0/1 event indicators, all patients.
    group : array_like
        Two distinct labels.

    Notes
    -----
    With :math:`d_j, n_j` events and numbers at risk at each event time and
    :math:`d_{1j}, n_{1j}` those of the first group,
    :math:`\\chi^2 = (\\sum d_{1j} - e_{1j})^2 / \\sum v_j`,
    :math:`e_{1j} = d_j n_{1j}/n_j`,
    :math:`v_j = d_j (n_{1j}/n_j)(1 - n_{1j}/n_j)(n_j - d_j)/(n_j - 1)`.
    R: ``survdiff(Surv(time, event) ~ group)``.

    References
    ----------
    Mantel N. Evaluation of survival data and two new rank order statistics arising
    in its consideration. Cancer Chemother Rep 1966;50:163-170. PMID 5910392
    """
    time, event = _as_time_event(time, event)
    group = np.asarray(group)
    if group.shape != time.shape:
        raise ValueError("group must have the same length as time")
    labels = np.unique(group)
    if labels.size != 2:
        raise ValueError(f"group must have exactly two labels, got {labels.size}")
    in1 = group == labels[0]
    uniq, inverse = np.unique(time, return_inverse=True)
    m = uniq.size
    d = np.bincount(inverse, weights=event, minlength=m)
    d1 = np.bincount(inverse, weights=event & in1, minlength=m)
    c = np.bincount(inverse, minlength=m)
    c1 = np.bincount(inverse, weights=in1, minlength=m)
    n = time.size - np.concatenate(([0], np.cumsum(c)[:-1]))
    n1 = in1.sum() - np.concatenate(([0], np.cumsum(c1)[:-1]))
    frac = n1 / n
    e1 = d * frac
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.where(n > 1, d * frac * (1 - frac) * (n - d) / np.maximum(n - 1, 1), 0.0)
    o1, ex1 = d1.sum(), e1.sum()
    var = v.sum()
    chisq = float((o1 - ex1) ** 2 / var) if var > 0 else float("nan")
    p = float(stats.chi2.sf(chisq, 1)) if var > 0 else float("nan")
    total = d.sum()
    return LogRank(chisq, p, (float(o1), float(total - o1)), (float(ex1), float(total - ex1)),
                   tuple(labels.tolist()))


def n_at_risk(time, at) -> np.ndarray:
    """Numbers at risk at the given times: patients with follow-up ``>= at``.

    R: ``summary(survfit(...), times = at, extend = TRUE)$n.risk``.
    """
    time = np.sort(np.asarray(time, dtype=float))
    at = np.asarray(at, dtype=float)
    return time.size - np.searchsorted(time, at, side="left")
