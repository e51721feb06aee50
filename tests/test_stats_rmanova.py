"""The split-plot ANOVA identities of analysis.stats.rmanova, on raw data where the ANOVA is direct."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings, strategies as st
from scipy import stats
from statsmodels.stats.anova import anova_lm

from analysis.printed import parse_printed
from analysis.stats.rmanova import (epsilon_for_p, f_pvalue, implied_sum, multivariate_f, multivariate_search,
                                    paired_threshold, split_plot, split_plot_ss)
from analysis.stats.rounding import meets

# 9 subjects × 3 times; arm A = subjects 1-4, arm B = subjects 5-9 (the R data set below).
Y = np.array([[10, 12, 15], [9, 11, 16], [11, 14, 14], [8, 10, 13],
              [12, 12, 12], [14, 13, 15], [11, 12, 11], [13, 15, 14], [10, 12, 13]], float)
ARM = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1])
# R (aov, sequential = Type I SS):
# d <- data.frame(y = c(t(Y)), id = factor(rep(1:9, each = 3)), time = factor(rep(1:3, 9)),
#                 group = factor(rep(c("A","B"), c(12, 15))))
# summary(aov(y ~ group*time + Error(id/time), data = d))
#   Error: id       group SS 3.112963, F 0.68417; Residuals SS 31.85 (df 7)
#   Error: id:time  time SS 34.740741, F 17.75074; group:time SS 18.225926, F 9.31252; Residuals 13.70 (df 14)
# Balanced subset (subject 9 dropped): group SS 5.0416667 F 1.05831; residuals 28.5833333;
#   time SS 30.25 F 16.25373; group:time SS 20.583333 F 11.05970; residuals 11.166667


def _summaries(y, arm):
    means = np.array([y[arm == g].mean(axis=0) for g in (0, 1)])
    sds = np.array([y[arm == g].std(axis=0, ddof=1) for g in (0, 1)])
    n = [int((arm == g).sum()) for g in (0, 1)]
    pooled = sum((n[g] - 1) * np.cov(y[arm == g].T) for g in (0, 1)) / (sum(n) - 2)
    return means, sds, n, pooled


@pytest.mark.parametrize("subset, ref", [
    (slice(None), dict(group=(3.112963, 0.68417), time=(34.740741, 17.75074),
                       interaction=(18.225926, 9.31252), err_between=31.85, err_within=13.70)),
    (slice(0, 8), dict(group=(5.0416667, 1.05831), time=(30.25, 16.25373),
                       interaction=(20.583333, 11.05970), err_between=28.5833333, err_within=11.166667)),
])
def test_identities_match_r_aov(subset, ref):
    y, arm = Y[subset], ARM[subset]
    means, sds, n, pooled = _summaries(y, arm)
    ss = split_plot_ss(means, n, ss_type="I")
    for eff in ("group", "time", "interaction"):
        assert ss[eff] == pytest.approx(ref[eff][0], abs=5e-6)
    big_n, t = sum(n), y.shape[1]
    total = pooled.sum()
    # Error SS from the pooled covariance matrix: between = (N-G)·1'S1/T, within = (N-G)(tr S − 1'S1/T)
    assert (big_n - 2) * total / t == pytest.approx(ref["err_between"], abs=5e-6)
    assert (big_n - 2) * (np.trace(pooled) - total / t) == pytest.approx(ref["err_within"], abs=5e-6)
    sp = split_plot(means, sds, n, ss_types=("I",))
    assert sp.trace[0] == pytest.approx(np.trace(pooled))
    # Each R F value implies the true covariance sum (to R's printed digits).
    for eff in ("group", "time", "interaction"):
        lo, hi = implied_sum(sp, eff, ref[eff][1])
        assert lo == pytest.approx(total, rel=2e-5) and hi == pytest.approx(total, rel=2e-5)
    assert sp.sum_admissible[0] <= total <= sp.sum_admissible[1]


def test_type3_matches_statsmodels_on_contrasts():
    # Type III: the within-subject effects are the intercept and group tests of the
    # orthonormal contrasts of each subject's profile (the multivariate approach).
    means, _, n, _ = _summaries(Y, ARM)
    m = np.linalg.qr(np.column_stack([np.ones(3), np.eye(3)[:, :2]]))[0][:, 1:]
    z = Y @ m
    ss_time = ss_int = 0.0
    for k in range(z.shape[1]):
        df = pd.DataFrame({"z": z[:, k], "g": ARM})
        tab = anova_lm(smf.ols("z ~ C(g, Sum)", df).fit(), typ=3)
        ss_time += tab.loc["Intercept", "sum_sq"]
        ss_int += tab.loc["C(g, Sum)", "sum_sq"]
    ss = split_plot_ss(means, n, ss_type="III")
    assert ss["time"] == pytest.approx(ss_time, rel=1e-10)
    assert ss["interaction"] == pytest.approx(ss_int, rel=1e-10)


def test_f_ratio_fixed_by_means():
    # F_time / F_interaction = (G−1)·SS_time/SS_interaction whatever the covariance.
    means, _, n, _ = _summaries(Y, ARM)
    ss = split_plot_ss(means, n, ss_type="I")
    assert 17.75074 / 9.31252 == pytest.approx(ss["time"] / ss["interaction"], rel=1e-5)


def test_infeasible_f_is_outside_admissible_range():
    means, sds, n, _ = _summaries(Y, ARM)
    sp = split_plot(means, sds, n, ss_types=("I",))
    # A time F far below the true one needs a within error larger than the SDs allow.
    lo, hi = implied_sum(sp, "time", 1.0)
    assert hi < sp.sum_admissible[0]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 2))
def test_rounded_summaries_always_admit_the_true_f(seed, k):
    rng = np.random.default_rng(seed)
    n = (int(rng.integers(4, 9)), int(rng.integers(4, 9)))
    arm = np.repeat([0, 1], n)
    y = rng.normal(size=(sum(n), 1)) + rng.normal(size=(sum(n), 4)) + arm[:, None] * rng.normal(size=4)
    means, sds, n, pooled = _summaries(y, arm)
    ss = split_plot_ss(means, n, ss_type="I")
    total, t = pooled.sum(), 4
    f = {"group": ss["group"] / (total / t),
         "time": ss["time"] / 3 / ((np.trace(pooled) - total / t) / 3),
         "interaction": ss["interaction"] / 3 / ((np.trace(pooled) - total / t) / 3)}
    fmt = lambda x, d: parse_printed(f"{x:.{d}f}")  # noqa: E731
    sp = split_plot([[fmt(v, k) for v in row] for row in means], [[fmt(v, k) for v in row] for row in sds],
                    n, ss_types=("I", "III"))
    for eff, value in f.items():
        s = implied_sum(sp, eff, fmt(value, 3))
        assert meets(s, sp.sum_admissible)
        assert s[0] - 1e-6 * abs(total) <= total <= s[1] + 1e-6 * abs(total)


def test_paired_threshold_matches_paired_t():
    rng = np.random.default_rng(1)
    x = rng.normal(size=30)
    y = 0.3 * x + rng.normal(size=30) + 0.35
    d = paired_threshold(y.mean(), y.std(ddof=1), x.mean(), x.std(ddof=1), 30)
    r = np.corrcoef(x, y)[0, 1]
    p = stats.ttest_rel(y, x).pvalue
    assert d.r_star[0] == pytest.approx(d.r_star[1])
    assert (p < 0.05) == (r > d.r_star[0])
    # At r = r*, the paired t equals the critical value.
    a, b, diff = y.std(ddof=1), x.std(ddof=1), y.mean() - x.mean()
    t_at = diff / np.sqrt((a * a + b * b - 2 * d.r_star[0] * a * b) / 30)
    assert abs(t_at) == pytest.approx(d.t_critical)


def test_paired_impossible_even_at_r_one():
    # Means 10.00 vs 10.01 with SDs 1.00 and 5.00: the SD gap alone exceeds any signal.
    p = parse_printed
    d = paired_threshold(p("10.00"), p("1.00"), p("10.01"), p("5.00"), 20)
    assert not d.significant_possible and d.nonsignificant_possible


def test_epsilon_for_p():
    # R: pf(2.833, 3, 315, lower.tail=FALSE) = 0.03843573; pf(3.3, 1.98, 207.9, lower.tail=FALSE) = 0.03929848
    assert f_pvalue(2.833, 3, 315) == pytest.approx(0.03843573, abs=5e-9)
    eps = epsilon_for_p(parse_printed("3.300"), 3, 315, parse_printed("0.039"))
    assert eps is not None and eps[0] <= 0.66 <= eps[1]
    assert epsilon_for_p(parse_printed("30.0"), 3, 315, parse_printed("0.039")) is None


def test_bad_arguments():
    with pytest.raises(ValueError, match="G×T"):
        split_plot([[1, 2]], [[1, 1]], [5])
    with pytest.raises(ValueError, match="ss_type"):
        split_plot_ss([[1, 2], [3, 4]], [3, 3], ss_type="II")
    with pytest.raises(ValueError, match="effect"):
        implied_sum(split_plot([[1, 2], [3, 4]], [[1, 1], [1, 1]], [3, 3]), "subject", 2.0)


def _correlations(y, arm):
    return [np.corrcoef(y[arm == g].T) for g in (0, 1)]


def test_multivariate_f_matches_r_pillai():
    # R (Y, arms as above; contrasts of the profile; sum-to-zero arm coding):
    # anova(lm(cbind(y1 - y2, y2 - y3) ~ g), test = "Pillai")
    #   all 9 subjects: g approx F = 8.8274435 (2, 6)
    #   subjects 1-8 (balanced): (Intercept) approx F = 31.675393, gb approx F = 18.376963 (2, 5)
    # With two arms the hypotheses have rank 1, so Pillai's F is exact and equals ours.
    means, sds, n, _ = _summaries(Y, ARM)
    f = multivariate_f(means, sds, n, _correlations(Y, ARM))
    assert f["interaction"] == pytest.approx(8.8274435, abs=5e-7)
    y, arm = Y[:8], ARM[:8]
    means, sds, n, _ = _summaries(y, arm)
    f = multivariate_f(means, sds, n, _correlations(y, arm))
    assert f["time"] == pytest.approx(31.675393, abs=5e-6)
    assert f["interaction"] == pytest.approx(18.376963, abs=5e-6)
    assert f["group"] == pytest.approx(1.05831, abs=5e-6)  # the univariate group F of aov above


def test_multivariate_search_finds_the_true_correlations_values():
    means, sds, n, _ = _summaries(Y, ARM)
    true = multivariate_f(means, sds, n, _correlations(Y, ARM))
    fmt = lambda x: parse_printed(f"{x:.3f}")  # noqa: E731
    fit = multivariate_search(means, sds, n, {e: fmt(v) for e, v in true.items()})
    assert fit.found
    for e, v in true.items():
        assert fmt(v).contains(fit.f[e])
    # An F below the smallest attainable one is reported as not found, with that bound.
    single = multivariate_search(means, sds, n, {"time": parse_printed("0.001")})
    assert not single.found and single.bounds[0] > 0.001
