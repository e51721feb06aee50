"""Baseline balance as a whole: the distribution of baseline P values (Carlisle 2017).

In a randomised trial, baseline P values of independent continuous variables
are roughly uniform; too many near 1 (too similar arms) or near 0 (too
different) is a signal. Caveats that limit the test here: categorical
variables give discrete, non-uniform P values; P values recomputed from
rounded summaries are not exactly uniform; baseline variables are correlated.

References
----------
Carlisle JB. Data fabrication and other reasons for non-random sampling in 5087
randomised, controlled trials in anaesthetic and general medical journals.
Anaesthesia 2017;72:944-52. doi:10.1111/anae.13938
Bland M. Do baseline P-values follow a uniform distribution in randomised
trials? PLoS One 2013;8:e76010. doi:10.1371/journal.pone.0076010
Bolland MJ, Gamble GD, Avenell A, Grey A. Rounding, but not randomization
method, non-normality, or correlation, affected baseline P-value distributions
in randomized trials. J Clin Epidemiol 2019;110:50-62.
doi:10.1016/j.jclinepi.2019.03.001
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["BaselineBalance", "baseline_balance"]


@dataclass(frozen=True)
class BaselineBalance:
    """Combined tests of a set of baseline P values.

    ``stouffer_p_imbalance``: one-sided Stouffer P that the arms differ more than
    chance allows (combines the P values); ``stouffer_p_similarity``: that they
    are more alike than chance allows (combines 1 − P, Carlisle's direction).
    ``ks_p``: Kolmogorov–Smirnov test of uniformity.
    """

    pvalues: tuple[float, ...]
    stouffer_z: float
    stouffer_p_imbalance: float
    stouffer_p_similarity: float
    ks_statistic: float
    ks_p: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: v for k, v in self.__dict__.items() if k != "pvalues"}])


def baseline_balance(pvalues) -> BaselineBalance:
    """Stouffer and Kolmogorov–Smirnov tests of baseline P values.

    Notes
    -----
    Z = Σ Φ⁻¹(1 − p_i)/√k; P(imbalance) = 1 − Φ(Z), P(similarity) = Φ(Z).
    SciPy: ``combine_pvalues(p, method="stouffer")``; R: ``pnorm(sum(qnorm(1 - p))/sqrt(k))``.
    """
    p = np.asarray(pvalues, float)
    if p.ndim != 1 or p.size < 2 or np.any((p <= 0) | (p >= 1)):
        raise ValueError("pvalues must be at least two numbers strictly between 0 and 1")
    imbalance = stats.combine_pvalues(p, method="stouffer")
    similarity = stats.combine_pvalues(1 - p, method="stouffer")
    ks = stats.kstest(p, "uniform")
    return BaselineBalance(pvalues=tuple(float(x) for x in p), stouffer_z=float(imbalance.statistic),
                           stouffer_p_imbalance=float(imbalance.pvalue),
                           stouffer_p_similarity=float(similarity.pvalue),
                           ks_statistic=float(ks.statistic), ks_p=float(ks.pvalue))
