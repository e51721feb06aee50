"""One-way ANOVA of k groups from printed means, SDs and group sizes.

:func:`anova_from_stats` is the point computation; :func:`anova_range` gives the range of F
and of its P over the rounding intervals of the printed means and SDs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..printed import Printed
from .rounding import bounds

__all__ = ["AnovaResult", "AnovaRange", "anova_from_stats", "anova_range"]


@dataclass(frozen=True)
class AnovaResult:
    """One one-way ANOVA: F with its degrees of freedom and P."""

    statistic: float
    df_between: int
    df_within: int
    pvalue: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


@dataclass(frozen=True)
class AnovaRange:
    """The ANOVA over the rounding intervals of its inputs: ranges of F and P."""

    statistic: tuple[float, float]
    df_between: int
    df_within: int
    pvalue: tuple[float, float]
    point: AnovaResult

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"f_low": self.statistic[0], "f_high": self.statistic[1], "df1": self.df_between,
                              "df2": self.df_within, "p_low": self.pvalue[0], "p_high": self.pvalue[1]}])


def _between(means, n) -> float:
    grand = np.dot(n, means) / n.sum()
    return float(np.dot(n, (means - grand) ** 2))


def anova_from_stats(means, sds, n) -> AnovaResult:
    """One-way ANOVA from summary data.

    Parameters
    ----------
    means, sds : sequence of float
        Each group's mean and SD.
    n : sequence of int
        Each group's size (at least 2 groups, N > k).

    Notes
    -----
    F = [Σ nᵢ (mᵢ − m̄)² / (k − 1)] / [Σ (nᵢ − 1) sᵢ² / (N − k)], m̄ the n-weighted grand mean;
    P from F(k − 1, N − k). R: ``summary(aov(y ~ g))`` on the raw data;
    ``oneway.test(y ~ g, var.equal = TRUE)``.

    Examples
    --------
    Three groups of 5 (R: ``oneway.test(y ~ g, var.equal = TRUE)`` with
    y = c(1:5, 3:7, 6:10): F = 12.667, num df = 2, denom df = 12, p-value = 0.001103):

    >>> r = anova_from_stats([3, 5, 8], [1.5811388, 1.5811388, 1.5811388], [5, 5, 5])
    >>> round(r.statistic, 3), r.df_between, r.df_within, round(r.pvalue, 6)
    (12.667, 2, 12, 0.001103)
    """
    means, sds, n = (np.asarray(x, dtype=float) for x in (means, sds, n))
    if not (len(means) == len(sds) == len(n)) or len(means) < 2:
        raise ValueError("means, sds and n must give at least two groups, one value each")
    if np.any(n < 1) or np.any(sds < 0):
        raise ValueError("n must be at least 1 and SDs not negative")
    k, total = len(means), int(n.sum())
    if total <= k:
        raise ValueError("n must add up to more than the number of groups")
    within = float(np.dot(n - 1, sds ** 2)) / (total - k)
    f = (_between(means, n) / (k - 1)) / within if within > 0 else np.inf
    return AnovaResult(statistic=float(f), df_between=k - 1, df_within=total - k,
                       pvalue=float(stats.f.sf(f, k - 1, total - k)))


def anova_range(means: list[Printed], sds: list[Printed], n: list[int]) -> AnovaRange:
    """F and P of :func:`anova_from_stats` over the rounding intervals of the printed means and SDs.

    The within-group mean square rises with each SD, and the between-group sum of squares is
    a convex quadratic in the means: its maximum over the box is at a corner, its minimum is
    found by a bounded minimisation (``scipy.optimize.minimize``, L-BFGS-B) from the centre.
    """
    n_arr = np.asarray(n, dtype=float)
    k, total = len(means), int(n_arr.sum())
    mb = [bounds(m) for m in means]
    sb = [bounds(s) for s in sds]
    within_lo = float(np.dot(n_arr - 1, np.array([b[0] for b in sb]) ** 2)) / (total - k)
    within_hi = float(np.dot(n_arr - 1, np.array([b[1] for b in sb]) ** 2)) / (total - k)
    between_hi = max(_between(np.array(c), n_arr) for c in itertools.product(*mb))
    centre = np.array([(lo + hi) / 2 for lo, hi in mb])
    best = optimize.minimize(lambda x: _between(x, n_arr), centre, method="L-BFGS-B", bounds=mb)
    between_lo = min(float(best.fun), _between(centre, n_arr))
    f_lo = (between_lo / (k - 1)) / within_hi if within_hi > 0 else np.inf
    f_hi = (between_hi / (k - 1)) / within_lo if within_lo > 0 else np.inf
    df1, df2 = k - 1, total - k
    point = anova_from_stats([m.value if isinstance(m, Printed) else m for m in means],
                             [s.value if isinstance(s, Printed) else s for s in sds], n)
    return AnovaRange(statistic=(f_lo, f_hi), df_between=df1, df_within=df2,
                      pvalue=(float(stats.f.sf(f_hi, df1, df2)), float(stats.f.sf(f_lo, df1, df2))), point=point)
