"""Two-sample t tests from printed means, SDs and group sizes.

:func:`ttest_from_stats` is the point computation (SciPy's
``ttest_ind_from_stats``); :func:`ttest_range` evaluates it over the rounding
intervals of the six printed inputs and returns the exact range of |t| and the
range of P. The range is exact because t = D/SE with the difference D
depending only on the means and SE only on the SDs, increasing in each.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import pandas as pd
from scipy import stats

from ..printed import Printed
from .rounding import bounds

__all__ = ["TTestResult", "TTestRange", "ttest_from_stats", "ttest_range", "t_pvalue"]

METHODS = ("student", "welch")


@dataclass(frozen=True)
class TTestResult:
    """One two-sample t test. ``statistic`` is signed (arm 1 minus arm 2)."""

    method: str
    statistic: float
    df: float
    pvalue: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


@dataclass(frozen=True)
class TTestRange:
    """A t test over the rounding intervals of its inputs.

    ``abs_statistic`` is the range of |t| (papers print |t|); ``pvalue`` and
    ``df`` are ranges too (Welch's df moves with the SDs).
    """

    method: str
    abs_statistic: tuple[float, float]
    df: tuple[float, float]
    pvalue: tuple[float, float]
    point: TTestResult

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"method": self.method,
                              "abs_t_low": self.abs_statistic[0], "abs_t_high": self.abs_statistic[1],
                              "df_low": self.df[0], "df_high": self.df[1],
                              "p_low": self.pvalue[0], "p_high": self.pvalue[1]}])


def _check(method: str, n1, n2) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    for name, n in (("n1", n1), ("n2", n2)):
        if int(n) != n or n < 2:
            raise ValueError(f"{name} must be an integer >= 2, got {n!r}")


def _se_df(sd1: float, n1: int, sd2: float, n2: int, method: str) -> tuple[float, float]:
    if method == "student":
        sp2 = ((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2)
        return math.sqrt(sp2 * (1 / n1 + 1 / n2)), float(n1 + n2 - 2)
    v1, v2 = sd1 ** 2 / n1, sd2 ** 2 / n2
    if v1 + v2 == 0:  # undefined; Welch's df always lies in [min(n)-1, n1+n2-2]
        return 0.0, math.nan
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    return math.sqrt(v1 + v2), df


def t_pvalue(abs_t: float, df: float) -> float:
    """Two-sided P of a t statistic. R: ``2 * pt(-abs(t), df)``."""
    return float(2 * stats.t.sf(abs(abs_t), df))


def ttest_from_stats(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int,
                     *, method: str = "student") -> TTestResult:
    """Student's (pooled) or Welch's t from summary statistics.

    Notes
    -----
    Student: t = (m1 − m2)/(s_p·√(1/n1 + 1/n2)), df = n1 + n2 − 2. Welch:
    t = (m1 − m2)/√(s1²/n1 + s2²/n2) with the Welch–Satterthwaite df.
    R: ``t.test(x, y, var.equal = TRUE/FALSE)`` on raw data.
    """
    _check(method, n1, n2)
    res = stats.ttest_ind_from_stats(mean1, sd1, n1, mean2, sd2, n2, equal_var=(method == "student"))
    _, df = _se_df(sd1, n1, sd2, n2, method)
    return TTestResult(method, float(res.statistic), df, float(res.pvalue))


def ttest_range(mean1: Printed | float, sd1: Printed | float, n1: int,
                mean2: Printed | float, sd2: Printed | float, n2: int,
                *, method: str = "student") -> TTestRange:
    """|t| and P over the rounding intervals of printed means and SDs.

    Notes
    -----
    With D = m1 − m2 in [D_lo, D_hi] and SE in [SE_lo, SE_hi] (SE increases with
    each SD, so its ends are at the SD interval ends), t = D/SE is monotone in
    each, so its range is at the four (D, SE) corners. P is monotone in |t| and
    in df; it is taken over the corners of both.
    """
    _check(method, n1, n2)
    m1, m2 = bounds(mean1), bounds(mean2)
    if bounds(sd1)[1] < 0 or bounds(sd2)[1] < 0:
        raise ValueError("SDs must be non-negative")
    # A printed SD of "0" allows [0, 0.5]: SDs are never negative.
    s1, s2 = ((max(0.0, lo), hi) for lo, hi in (bounds(sd1), bounds(sd2)))
    d_lo, d_hi = m1[0] - m2[1], m1[1] - m2[0]
    corners = [_se_df(a, n1, b, n2, method) for a, b in itertools.product(s1, s2)]
    ses = [c[0] for c in corners]
    dfs = [c[1] for c in corners if not math.isnan(c[1])] or [min(n1, n2) - 1.0, n1 + n2 - 2.0]
    se_lo, se_hi = min(ses), max(ses)
    if se_hi <= 0:
        raise ValueError("both SDs are zero: t is undefined")
    # SE may reach 0 when a printed SD rounds to 0: |t| is then unbounded.
    ts = [d / se if se > 0 else math.copysign(math.inf, d) if d else 0.0
          for d in (d_lo, d_hi) for se in (se_lo, se_hi)]
    t_lo, t_hi = min(ts), max(ts)
    if t_lo <= 0 <= t_hi:
        abs_t = (0.0, max(-t_lo, t_hi))
    else:
        abs_t = (min(abs(t_lo), abs(t_hi)), max(abs(t_lo), abs(t_hi)))
    df = (min(dfs), max(dfs))
    ps = [t_pvalue(t, v) for t in abs_t for v in df]
    point = ttest_from_stats(sum(m1) / 2, sum(s1) / 2, n1, sum(m2) / 2, sum(s2) / 2, n2, method=method)
    return TTestRange(method, abs_t, df, (min(ps), max(ps)), point)
