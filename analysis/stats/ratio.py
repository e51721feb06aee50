"""A printed ratio (hazard, odds or risk ratio) with its confidence interval: what the
interval implies for the point estimate and for the P value.

Ratios are estimated on the log scale, so a Wald interval is symmetric there: the point
estimate is the geometric mean of the bounds, and the standard error is the interval's
log-width over :math:`2 z_{1-\\alpha/2}`. Both are evaluated over the rounding intervals of
the printed numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy import stats

from ..printed import Printed
from .rounding import bounds

__all__ = ["RatioCI", "ratio_ci_range"]


@dataclass(frozen=True)
class RatioCI:
    """Ranges implied by a printed ratio and its interval.

    Attributes
    ----------
    estimate : (float, float)
        The geometric mean of the bounds: where the point estimate of a log-symmetric
        interval must lie.
    se_log : (float, float)
        Standard error of the log ratio.
    z : (float, float)
        |ln estimate| / SE.
    pvalue : (float, float)
        Two-sided normal P of ``z``.
    excludes_one : bool or None
        Whether the printed interval excludes 1 (``None`` when a bound prints as 1).
    """

    estimate: tuple[float, float]
    se_log: tuple[float, float]
    z: tuple[float, float]
    pvalue: tuple[float, float]
    excludes_one: bool | None

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"estimate_low": self.estimate[0], "estimate_high": self.estimate[1],
                              "se_log_low": self.se_log[0], "se_log_high": self.se_log[1],
                              "z_low": self.z[0], "z_high": self.z[1],
                              "p_low": self.pvalue[0], "p_high": self.pvalue[1]}])


def _log_bounds(x: Printed | float, name: str) -> tuple[float, float]:
    lo, hi = bounds(x)
    if hi <= 0:
        raise ValueError(f"{name} must be a ratio above 0, got {x}")
    return math.log(max(lo, 1e-300)), math.log(hi)


def ratio_ci_range(estimate: Printed | float, lower: Printed | float, upper: Printed | float,
                   *, level: float = 0.95) -> RatioCI:
    """What a printed ratio with its ``level`` confidence interval implies.

    Parameters
    ----------
    estimate, lower, upper : Printed or float
        The ratio and its interval as printed (their rounding intervals are used).
    level : float, keyword-only
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    RatioCI

    Notes
    -----
    With :math:`L, U` the bounds and :math:`z = \\Phi^{-1}(1 - (1-\\text{level})/2)`:
    :math:`\\widehat{\\text{estimate}} = \\sqrt{LU}`, :math:`SE = (\\ln U - \\ln L)/(2z)`,
    :math:`Z = |\\ln \\text{estimate}|/SE`, :math:`P = 2\\,(1 - \\Phi(Z))` (Altman & Bland 2011).
    Each is monotone in each input, so the range's ends are at the ends of the rounding
    intervals. In R, for a Cox model: ``summary(coxph(...))$conf.int`` gives the printed
    numbers and ``$coefficients[, "Pr(>|z|)"]`` the Wald P this reproduces.

    References
    ----------
    Altman DG, Bland JM. How to obtain the P value from a confidence interval. BMJ
    2011;343:d2304. doi:10.1136/bmj.d2304

    Examples
    --------
    R, ``summary(coxph(Surv(time, status) ~ sex, data = lung))``: HR 0.588 (0.424 to
    0.816), Wald P = 0.00149.

    >>> from analysis.printed import parse_printed as p
    >>> r = ratio_ci_range(p("0.588"), p("0.424"), p("0.816"))
    >>> r.pvalue[0] < 0.00149 < r.pvalue[1]
    True
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    quantile = float(stats.norm.isf((1 - level) / 2))
    est = _log_bounds(estimate, "estimate")
    lo = _log_bounds(lower, "lower")
    hi = _log_bounds(upper, "upper")
    if lo[0] > hi[1]:
        raise ValueError(f"lower ({lower}) must not exceed upper ({upper})")
    centre = (math.exp((lo[0] + hi[0]) / 2), math.exp((lo[1] + hi[1]) / 2))
    se = (max(hi[0] - lo[1], 0.0) / (2 * quantile), (hi[1] - lo[0]) / (2 * quantile))
    abs_log = (0.0, max(-est[0], est[1])) if est[0] <= 0 <= est[1] else sorted((abs(est[0]), abs(est[1])))
    z = (abs_log[0] / se[1] if se[1] > 0 else math.inf, abs_log[1] / se[0] if se[0] > 0 else math.inf)
    pvalue = (float(2 * stats.norm.sf(z[1])), float(2 * stats.norm.sf(z[0])))
    lb, ub = bounds(lower), bounds(upper)
    excludes = True if (lb[0] > 1 or ub[1] < 1) else False if (lb[1] < 1 < ub[0]) else None
    return RatioCI(estimate=centre, se_log=se, z=(float(z[0]), float(z[1])), pvalue=pvalue,
                   excludes_one=excludes)
