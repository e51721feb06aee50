"""Mann–Whitney (Wilcoxon rank-sum) Z from an ordered 2×k table of counts, as SPSS prints it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["RankSum", "rank_sum_from_counts"]


@dataclass(frozen=True)
class RankSum:
    """``u`` is Mann–Whitney U of the first arm, ``z`` signed, ``pvalue`` two-sided asymptotic."""

    u: float
    w: float
    z: float
    pvalue: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def rank_sum_from_counts(counts1, counts2) -> RankSum:
    """Rank-sum test for two arms over ordered categories.

    Parameters
    ----------
    counts1, counts2 : sequence of int
        Counts per category, categories in their order, for each arm.

    Notes
    -----
    Every category is one tie group with mid-rank ``c + (t+1)/2``. With
    ``U = R1 − n1(n1+1)/2``, SPSS prints
    ``Z = (U − n1·n2/2) / √(n1·n2/12 · [(N+1) − Σ(t³−t)/(N(N−1))])``, no continuity
    correction, P = 2Φ(−|Z|). R: ``wilcox.test(x, y, exact = FALSE, correct = FALSE)``
    gives the same P; SciPy: ``mannwhitneyu(x, y, use_continuity=False, method="asymptotic")``.
    """
    a = np.asarray(counts1)
    b = np.asarray(counts2)
    if a.shape != b.shape or a.ndim != 1 or a.size < 2:
        raise ValueError("counts1 and counts2 must be 1-D with the same number (>= 2) of categories")
    if np.any(a < 0) or np.any(b < 0) or np.any(a != np.round(a)) or np.any(b != np.round(b)):
        raise ValueError("counts must be non-negative integers")
    tot = a + b
    n1, n2, n = float(a.sum()), float(b.sum()), float(tot.sum())
    if n1 == 0 or n2 == 0:
        raise ValueError("each arm needs at least one observation")
    midrank = np.cumsum(tot) - tot + (tot + 1) / 2
    r1 = float((a * midrank).sum())
    u = r1 - n1 * (n1 + 1) / 2
    tie = float((tot ** 3 - tot).sum())
    var = n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1)))
    if var <= 0:
        raise ValueError("all observations are tied: the rank-sum Z is undefined")
    z = (u - n1 * n2 / 2) / math.sqrt(var)
    return RankSum(u=u, w=r1, z=z, pvalue=float(2 * stats.norm.sf(abs(z))))
