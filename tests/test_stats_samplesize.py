"""analysis.stats.samplesize and analysis.stats.carlisle."""

import pytest

from analysis.stats.carlisle import baseline_balance
from analysis.stats.samplesize import dropout_variants, two_means_n, two_proportion_n


def test_section_1_1_formula_by_hand():
    # p̄ = 0.725; 1.96·√(2·0.725·0.275) = 1.237663; 0.84·√(0.24 + 0.1275) = 0.509225;
    # (1.746888)² / 0.25² = 48.8264 -> 49 per group.
    assert two_proportion_n(0.60, 0.85, z_alpha=1.96, z_beta=0.84) == pytest.approx(48.8264, abs=5e-5)


def test_exact_quantiles_default():
    # qnorm(0.975) = 1.959964, qnorm(0.8) = 0.8416212
    assert two_proportion_n(0.60, 0.85) == pytest.approx(
        two_proportion_n(0.60, 0.85, z_alpha=1.959964, z_beta=0.8416212), rel=1e-6)


def test_dropout_variants():
    totals = {v.name: v.total for v in dropout_variants(49, 0.10)}
    assert totals["total n/(1-d) ceil"] == 109    # 98/0.9 = 108.9
    assert totals["per-group n/(1-d) ceil"] == 110  # 2·ceil(54.4)
    assert totals["total n*(1+d) floor"] == 107   # floor(107.8)
    assert totals["total n*(1+d) round"] == 108


def test_bad_arguments():
    with pytest.raises(ValueError, match="p1"):
        two_proportion_n(1.2, 0.5)
    with pytest.raises(ValueError, match="dropout"):
        dropout_variants(49, 1.0)


def test_stouffer_matches_r():
    # R: p <- c(0.824, 0.159, 0.103, 0.055); pnorm(sum(qnorm(1 - p))/sqrt(4)) = 0.9285868
    # Z = 1.466 > 0: small P values dominate, so P(more different) = 1 − 0.9285868.
    b = baseline_balance([0.824, 0.159, 0.103, 0.055])
    assert b.stouffer_p_imbalance == pytest.approx(1 - 0.9285868, abs=5e-8)
    assert b.stouffer_p_similarity == pytest.approx(0.9285868, abs=5e-8)
    with pytest.raises(ValueError, match="strictly"):
        baseline_balance([0.5, 1.0])


@pytest.mark.parametrize("kwargs,r_value", [
    # R: power.prop.test(p1 = 0.6, p2 = 0.85, power = 0.8)$n
    (dict(p1=0.6, p2=0.85, power=0.8), 48.88009052),
    # R: power.prop.test(p1 = 0.3, p2 = 0.45, power = 0.9)$n
    (dict(p1=0.3, p2=0.45, power=0.9), 216.8199377),
    # R: power.prop.test(p1 = 0.3, p2 = 0.45, power = 0.9, alternative = "one.sided")$n
    (dict(p1=0.3, p2=0.45, power=0.9, sides=1), 176.531916),
])
def test_two_proportions_match_r(kwargs, r_value):
    # power.prop.test's uniroot stops at tol = .Machine$double.eps^0.25: agree to 1e-4 relative.
    assert two_proportion_n(**kwargs) == pytest.approx(r_value, rel=1e-4)


@pytest.mark.parametrize("kwargs,r_value", [
    # R: power.t.test(delta = 5, sd = 10, power = 0.9)$n
    (dict(delta=5, sd=10, power=0.9), 85.03128939),
    # R: power.t.test(delta = 5, sd = 10, power = 0.8, alternative = "one.sided")$n
    (dict(delta=5, sd=10, power=0.8, sides=1), 50.15079949),
])
def test_two_means_t_matches_r(kwargs, r_value):
    assert two_means_n(**kwargs, method="t") == pytest.approx(r_value, rel=1e-4)


def test_two_means_normal_by_hand():
    # 2·(10·(1.959964 + 1.281552)/5)² = 84.05938
    assert two_means_n(5, 10, power=0.9) == pytest.approx(84.05938, abs=1e-4)


def test_continuity_and_unpooled_by_hand():
    # unpooled: (1.959964 + 0.841621)²·(0.24 + 0.1275)/0.25² = 46.1564...; cc: n/4·(1 + √(1 + 4/(n·0.25)))²
    n = (1.959964 + 0.8416212) ** 2 * 0.3675 / 0.0625
    assert two_proportion_n(0.6, 0.85, pooled=False) == pytest.approx(n, rel=1e-6)
    assert two_proportion_n(0.6, 0.85, pooled=False, continuity=True) == pytest.approx(
        n / 4 * (1 + (1 + 4 / (n * 0.25)) ** 0.5) ** 2, rel=1e-6)
