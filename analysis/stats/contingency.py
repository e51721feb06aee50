"""Everything SPSS's crosstabs prints for an r×c table of counts.

Pearson χ², the continuity-corrected (Yates) χ² (2×2 only, as SPSS), the
likelihood-ratio χ², Fisher's exact test (2×2), the linear-by-linear
association χ² (integer scores), and the expected-count diagnostics SPSS
footnotes ("n cells have expected count less than 5").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["Crosstab", "crosstab"]


@dataclass(frozen=True)
class Crosstab:
    """Tests of independence for one table (rows = arms). ``nan`` = not printed by SPSS."""

    table: tuple[tuple[int, ...], ...]
    pearson: float
    pearson_df: int
    pearson_p: float
    yates: float
    yates_p: float
    likelihood_ratio: float
    likelihood_ratio_p: float
    fisher_p: float
    linear_by_linear: float
    linear_by_linear_p: float
    min_expected: float
    cells_expected_below_5: int

    def candidates(self) -> dict[str, tuple[float, float]]:
        """``{method: (χ², P)}`` for every statistic printed, in SPSS's order."""
        out = {"pearson": (self.pearson, self.pearson_p)}
        if not math.isnan(self.yates):
            out["yates"] = (self.yates, self.yates_p)
        out["likelihood_ratio"] = (self.likelihood_ratio, self.likelihood_ratio_p)
        if not math.isnan(self.fisher_p):
            out["fisher"] = (math.nan, self.fisher_p)
        out["linear_by_linear"] = (self.linear_by_linear, self.linear_by_linear_p)
        return out

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"method": k, "statistic": v[0], "p": v[1]}
                             for k, v in self.candidates().items()])


def crosstab(table) -> Crosstab:
    """SPSS crosstabs chi-square tests for a table of counts.

    Parameters
    ----------
    table : array-like of int, shape (r, c)
        Counts, one row per arm, columns in category order (order matters only
        for the linear-by-linear test).

    Notes
    -----
    Pearson and likelihood ratio: ``scipy.stats.chi2_contingency`` (R:
    ``chisq.test(x, correct = FALSE)``). Yates: ``correct=True``; as R's
    ``chisq.test``, the correction is capped at |O − E| per cell. Fisher:
    ``scipy.stats.fisher_exact`` (R: ``fisher.test``; both two-sided by summing
    tables no more probable than the observed). Linear-by-linear:
    M² = (N − 1)·r², r the Pearson correlation of integer row and column scores
    (Agresti 2002, Categorical Data Analysis, 2nd ed., §3.4.1).
    """
    x = np.asarray(table)
    if x.ndim != 2 or min(x.shape) < 2:
        raise ValueError(f"table must be a 2-D array with at least 2 rows and columns, got shape {x.shape}")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("table must hold non-negative integer counts")
    x = x.astype(int)
    if np.any(x.sum(axis=0) == 0) or np.any(x.sum(axis=1) == 0):
        raise ValueError("table has an empty row or column")
    pearson = stats.chi2_contingency(x, correction=False)
    lr = stats.chi2_contingency(x, correction=False, lambda_="log-likelihood")
    if x.shape == (2, 2):
        yates = stats.chi2_contingency(x, correction=True)
        yates_stat, yates_p = float(yates.statistic), float(yates.pvalue)
        fisher_p = float(stats.fisher_exact(x).pvalue)
    else:
        yates_stat = yates_p = fisher_p = math.nan
    rows, cols = np.indices(x.shape)
    w = x.ravel()
    r = np.corrcoef(np.repeat(rows.ravel(), w), np.repeat(cols.ravel(), w))[0, 1]
    n = int(x.sum())
    lbl = float((n - 1) * r ** 2)
    expected = pearson.expected_freq
    return Crosstab(
        table=tuple(tuple(int(v) for v in row) for row in x),
        pearson=float(pearson.statistic), pearson_df=int(pearson.dof), pearson_p=float(pearson.pvalue),
        yates=yates_stat, yates_p=yates_p,
        likelihood_ratio=float(lr.statistic), likelihood_ratio_p=float(lr.pvalue),
        fisher_p=fisher_p,
        linear_by_linear=lbl, linear_by_linear_p=float(stats.chi2.sf(lbl, 1)),
        min_expected=float(expected.min()), cells_expected_below_5=int((expected < 5).sum()))
