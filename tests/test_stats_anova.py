"""One-way ANOVA from printed summaries (``analysis.stats.summary_anova``) against R."""

from __future__ import annotations

import pytest

from analysis.printed import parse_printed
from analysis.stats.summary_anova import anova_from_stats, anova_range


def test_anova_from_stats_matches_r():
    # R: y <- c(1:5, 3:7, 6:10); g <- factor(rep(1:3, each = 5)); oneway.test(y ~ g, var.equal = TRUE)
    # -> F = 12.667, num df = 2, denom df = 12, p-value = 0.001103
    r = anova_from_stats([3, 5, 8], [1.58113883, 1.58113883, 1.58113883], [5, 5, 5])
    assert (r.df_between, r.df_within) == (2, 12)
    assert r.statistic == pytest.approx(12.6667, abs=5e-4)
    assert r.pvalue == pytest.approx(0.001103, abs=5e-7)
    # R: three groups of 30 with exactly these means and SDs (each a rescaled rnorm(30)):
    # oneway.test(y ~ g, var.equal = TRUE) -> F = 2.6105, num df = 2, denom df = 87, p-value = 0.07925
    r = anova_from_stats([50.2, 52.6, 55.0], [8.1, 7.9, 8.4], [30, 30, 30])
    assert r.statistic == pytest.approx(2.6105, abs=5e-5)
    assert r.pvalue == pytest.approx(0.07925, abs=5e-6)


def test_anova_range_covers_the_rounding_box():
    means = [parse_printed(x) for x in ("50.2", "52.6", "55.0")]
    sds = [parse_printed(x) for x in ("8.1", "7.9", "8.4")]
    r = anova_range(means, sds, [30, 30, 30])
    assert r.statistic[0] < 2.6105 < r.statistic[1]
    assert r.pvalue[0] < 0.07925 < r.pvalue[1]
    # the smallest F over the box: the outer means 0.05 closer to the middle one, the SDs at
    # their largest (the between-group SS falls as the means draw together, the within rises)
    low = anova_from_stats([50.25, 52.6, 54.95], [8.15, 7.95, 8.45], [30, 30, 30]).statistic
    assert r.statistic[0] == pytest.approx(low, rel=1e-6)


def test_bad_inputs_name_what_is_wrong():
    with pytest.raises(ValueError, match="at least two groups"):
        anova_from_stats([1.0], [1.0], [5])
    with pytest.raises(ValueError, match="more than the number of groups"):
        anova_from_stats([1.0, 2.0], [1.0, 1.0], [1, 1])
