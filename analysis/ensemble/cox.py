"""Cox proportional-hazards model with one binary covariate (Efron ties), by Newton,
and the hazard ratio a log-rank χ² implies with a given number of events.

Fitted once per ensemble member and endpoint, so it avoids lifelines' per-fit
overhead (~50 ms); ``tests/test_ensemble.py`` checks it against lifelines'
``CoxPHFitter`` (also Efron).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .fast import _runs

__all__ = ["CoxFit", "cox_binary", "cox_binary_sorted", "logrank_hr", "norm_quantile"]


@dataclass(frozen=True)
class CoxFit:
    """Hazard ratio of ``x == 1`` vs ``x == 0`` with its Wald confidence interval."""

    coef: float
    se: float
    hr: float
    lower: float
    upper: float
    alpha: float = 0.05
    converged: bool = True

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"coef": self.coef, "se": self.se, "hr": self.hr,
                              "lower": self.lower, "upper": self.upper, "alpha": self.alpha}])


def _efron_terms(ts, es, xs):
    """Per tied-event slot: risk-set counts and tied counts, flattened over l.

    ``ts`` sorted ascending, ``es`` and ``xs`` boolean in the same order."""
    n = ts.size
    ev_t, d, first = _runs(ts[es])
    d1 = np.add.reduceat(xs[es].astype(float), first) if first.size else np.zeros(0)
    pos = np.searchsorted(ts, ev_t, side="left")
    cum1 = np.concatenate(([0], np.cumsum(xs)))
    r1 = cum1[-1] - cum1[pos]
    r0 = (n - pos) - r1
    rep = np.repeat(np.arange(ev_t.size), d)
    l_frac = (np.arange(rep.size) - np.repeat(np.cumsum(d) - d, d)) / d[rep]
    return d1.sum(), r0[rep], r1[rep], (d - d1)[rep], d1[rep], l_frac


def cox_binary(time, event, x, *, alpha: float = 0.05, tol: float = 1e-10,
               max_iter: int = 50) -> CoxFit:
    """Fit :math:`h(t|x) = h_0(t) e^{\\beta x}` for a 0/1 covariate ``x``.

    Notes
    -----
    Efron's partial likelihood: at an event time with :math:`d` tied events,
    :math:`\\ell = \\sum d_1\\beta - \\sum_{l=0}^{d-1}\\log(S_0 - \\tfrac{l}{d} D_0)`,
    :math:`S_0 = r_0 + r_1 e^\\beta`, :math:`D_0 = d_0 + d_1 e^\\beta`. Newton steps
    with step halving; Wald CI :math:`\\exp(\\hat\\beta \\pm z_{1-\\alpha/2}\\,se)`.
    R: ``coxph(Surv(time, event) ~ x, ties = "efron")``.

    References
    ----------
    Efron B. The efficiency of Cox's likelihood function for censored data.
    J Am Stat Assoc 1977;72:557-565. doi:10.1080/01621459.1977.10480613
    """
    t = np.asarray(time, dtype=float)
    e = np.asarray(event).astype(bool)
    xv = np.asarray(x).astype(float)
    if not (t.shape == e.shape == xv.shape) or t.ndim != 1:
        raise ValueError("time, event and x must be 1-d arrays of the same length")
    if not np.all(np.isin(xv, (0.0, 1.0))):
        raise ValueError("x must be 0/1")
    order = np.argsort(t, kind="stable")
    return cox_binary_sorted(t[order], e[order], xv[order].astype(bool), alpha=alpha, tol=tol,
                             max_iter=max_iter)


def cox_binary_sorted(ts: np.ndarray, es: np.ndarray, xs: np.ndarray, *, alpha: float = 0.05,
                      tol: float = 1e-10, max_iter: int = 50, init: float = 0.0) -> CoxFit:
    """:func:`cox_binary` for times already sorted ascending (``es``, ``xs`` boolean in
    their order), without the input checks: the sampler's inner loop has sorted them for
    the log-rank test already. ``init`` is where Newton's method starts (the fit of a
    data set one move away takes half the steps from there)."""
    o1, r0, r1, d0, d1, a = _efron_terms(ts, es, xs)

    def parts(beta):
        w = math.exp(beta)
        a0 = r0 + r1 * w - a * (d0 + d1 * w)
        a1 = r1 * w - a * d1 * w
        q = a1 / a0
        return o1 * beta - np.log(a0).sum(), o1 - q.sum(), np.sum(q * (1 - q))

    beta, converged = float(init) if math.isfinite(init) else 0.0, False
    ll, score, info = parts(beta)
    for _ in range(max_iter):
        if info <= 0:
            break
        step = score / info
        new = beta + step
        ll_new, score_new, info_new = parts(new)
        while ll_new < ll - 1e-12 and abs(step) > 1e-12:
            step /= 2
            new = beta + step
            ll_new, score_new, info_new = parts(new)
        beta, ll, score, info = float(new), ll_new, score_new, info_new
        if abs(step) < tol:
            converged = True
            break
    se = 1 / math.sqrt(info) if info > 0 else math.inf
    z = norm_quantile(alpha)
    # no events in one arm: beta runs off and the bounds overflow to 0 / inf
    return CoxFit(coef=beta, se=se, hr=_exp(beta), lower=_exp(beta - z * se),
                  upper=_exp(beta + z * se), alpha=alpha, converged=converged)


@functools.lru_cache(maxsize=8)
def norm_quantile(alpha: float) -> float:
    """Two-sided normal quantile :math:`z_{1-\\alpha/2}` of a Wald CI (cached)."""
    # scipy's isf costs more than the whole Newton fit of a small data set
    return float(stats.norm.isf(alpha / 2))


def _exp(x: float) -> float:
    return math.exp(x) if x < 700 else math.inf


def logrank_hr(chisq, events, *, allocation: float, favours_first: bool):
    """Hazard ratio (first arm vs second) implied by a log-rank χ² and the events.

    Parameters
    ----------
    chisq : float or array
        Log-rank χ² (1 df).
    events : float or array
        Total number of events in both arms.
    allocation : float
        Share of patients in the first arm, in (0, 1).
    favours_first : bool
        Whether the first arm had fewer events than expected (hazard ratio < 1).

    Notes
    -----
    Under proportional hazards the log-rank variance is about :math:`D\\pi(1-\\pi)`
    (:math:`D` events, :math:`\\pi` allocation), and the log-rank statistic is about
    :math:`\\ln HR \\sqrt{D\\pi(1-\\pi)}`, so
    :math:`\\ln HR \\approx \\mp\\sqrt{\\chi^2 / (D\\pi(1-\\pi))}`. It shows how far a printed
    χ² pins the hazard ratio once the number of events is known. R:
    ``exp(-sqrt(survdiff(...)$chisq / (D * p * (1 - p))))``.

    References
    ----------
    Schoenfeld D. The asymptotic properties of nonparametric tests for comparing
    survival distributions. Biometrika 1981;68:316-319. doi:10.1093/biomet/68.1.316

    Examples
    --------
    R's ``lung`` by sex: ``survdiff`` χ² 10.327, 165 deaths, 90 of 228 women; the
    Cox hazard ratio is 0.588.

    >>> round(float(logrank_hr(10.3267419549, 165, allocation=90 / 228,
    ...                        favours_first=True)), 3)
    0.599
    """
    if not 0 < allocation < 1:
        raise ValueError(f"allocation must be in (0, 1), got {allocation}")
    d = np.asarray(events, dtype=float)
    if np.any(d <= 0):
        raise ValueError("events must be positive")
    log_hr = np.sqrt(np.asarray(chisq, dtype=float) / (d * allocation * (1 - allocation)))
    return np.exp(-log_hr if favours_first else log_hr)
