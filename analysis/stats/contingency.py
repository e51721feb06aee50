"""Everything SPSS's crosstabs prints for an r×c table of counts.

Pearson χ², the continuity-corrected (Yates) χ² (2×2 only, as SPSS), the
likelihood-ratio χ², Fisher's exact test (two arms, any number of categories), the linear-by-linear
association χ² (integer scores), and the expected-count diagnostics SPSS
footnotes ("n cells have expected count less than 5").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["Crosstab", "crosstab", "fisher_2xc"]


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
    ``scipy.stats.fisher_exact`` for 2×2 and :func:`fisher_2xc` for two arms and more
    categories (R: ``fisher.test``; both two-sided by summing tables no more probable than
    the observed). Linear-by-linear:
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
        yates_stat = yates_p = math.nan
        # the test is the same on the transposed table: three arms of a yes/no item are 2×3
        fisher_p = fisher_2xc(x) if x.shape[0] == 2 else fisher_2xc(x.T) if x.shape[1] == 2 else math.nan
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


def fisher_2xc(table, *, limit: int = 2_000_000) -> float:
    """Fisher's exact test of a 2×c table: the two-sided P, or ``nan`` when more than ``limit``
    tables share its margins.

    Notes
    -----
    Every table with the observed margins is enumerated (its first row fixes it); a table's
    probability is the multivariate hypergeometric ∏ C(c_j, x_j) / C(N, r_1), and the P sums
    the tables no more probable than the observed one, within a relative 1e-7 as R does.
    R: ``fisher.test(x)``. ``scipy.stats.fisher_exact`` is exact for 2×2 only.

    Examples
    --------
    >>> round(fisher_2xc([[1, 1, 43, 29], [0, 3, 51, 20]]), 6)   # R: fisher.test -> 0.217590436
    0.21759
    """
    from scipy.special import gammaln

    x = np.asarray(table, dtype=int)
    if x.ndim != 2 or x.shape[0] != 2:
        raise ValueError(f"table must have 2 rows, got shape {x.shape}")
    cols, r1 = x.sum(axis=0), int(x[0].sum())
    n = int(cols.sum())

    def log_choose(a, k):
        return gammaln(a + 1) - gammaln(k + 1) - gammaln(a - k + 1)

    # Partial tables with the same running sum and the same probability are one state with a
    # multiplicity (columns of equal totals give many): the enumeration stays small for the
    # 2×12 tables of diagnoses papers print.
    # 0 ≤ log ∏ C(c_j, x_j) ≤ log C(n, r1) (Vandermonde)
    scale = int(log_choose(n, r1) * 1e9) + 2
    wide = (r1 + 1) * scale >= 2**62
    sums, logp, mult = np.zeros(1, dtype=np.int64), np.zeros(1), np.ones(1)
    for c in cols[:-1]:
        k = np.arange(int(c) + 1)
        sums = (sums[:, None] + k[None, :]).ravel()
        logp = (logp[:, None] + log_choose(int(c), k)[None, :]).ravel()
        mult = np.repeat(mult, len(k))
        keep = sums <= r1
        sums, logp, mult = sums[keep], logp[keep], mult[keep]
        exact = np.round(logp * 1e9).astype(np.int64)
        if wide:
            keys = np.stack([sums, exact], axis=1)
            _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        else:   # one integer key, much faster: the sum, then the log-probability below it
            _, first, inverse = np.unique(sums * scale + exact, return_index=True, return_inverse=True)
        sums, logp = sums[first], logp[first]
        mult = np.bincount(inverse.ravel(), weights=mult, minlength=len(first))
        if len(sums) > limit:
            return math.nan
    last = r1 - sums
    ok = (last >= 0) & (last <= cols[-1])
    logp = logp[ok] + log_choose(int(cols[-1]), last[ok]) - log_choose(n, r1)
    observed = float(sum(log_choose(int(c), int(v)) for c, v in zip(cols, x[0])) - log_choose(n, r1))
    p = mult[ok] * np.exp(logp)
    return float(min(1.0, p[logp <= observed + 1e-7].sum()))
