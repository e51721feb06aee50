"""analysis.stats.contingency and analysis.stats.ranks against R."""

import math

import numpy as np
import pytest
from scipy import stats

from analysis.stats.contingency import crosstab, fisher_2xc
from analysis.stats.ranks import rank_sum_from_counts

RESPONSE = [[31, 13, 7, 2], [14, 19, 14, 7]]


def test_yates_and_fisher_small_table():
    # R: m <- matrix(c(3,50,2,52), 2, byrow=TRUE)
    # chisq.test(m, correct=TRUE): X-squared = 0.0004581672, p-value = 0.9829227
    # chisq.test(m, correct=FALSE): X-squared = 0.22989, p-value = 0.6316054
    # fisher.test(m)$p.value: 0.6784839
    ct = crosstab([[3, 50], [2, 52]])
    assert ct.yates == pytest.approx(0.0004581672, abs=5e-11)
    assert ct.yates_p == pytest.approx(0.9829227, abs=5e-8)
    assert ct.pearson == pytest.approx(0.22989, abs=5e-6)
    assert ct.pearson_p == pytest.approx(0.6316054, abs=5e-8)
    assert ct.fisher_p == pytest.approx(0.6784839, abs=5e-8)
    assert ct.cells_expected_below_5 == 2


def test_yates_and_fisher_larger_table():
    # R: m2 <- matrix(c(12,5,7,15), 2, byrow=TRUE)
    # chisq.test(m2): X-squared = 4.32212, p-value = 0.03762002; fisher.test(m2)$p.value = 0.02484172
    ct = crosstab([[12, 5], [7, 15]])
    assert ct.yates == pytest.approx(4.32212, abs=5e-6)
    assert ct.yates_p == pytest.approx(0.03762002, abs=5e-9)
    assert ct.fisher_p == pytest.approx(0.02484172, abs=5e-9)


def test_likelihood_ratio_and_linear_by_linear_2x4():
    # R: r <- matrix(c(31,13,7,2,14,19,14,7), 2, byrow=TRUE); chisq.test(r)$statistic = 12.65009
    # E <- outer(rowSums(r), colSums(r))/sum(r); G2 <- 2*sum(r*log(r/E)) -> 13.027298609, p 0.004577941
    # M2 <- (sum(r)-1)*cor(rs, cs)^2 -> 11.30274, p 7.739259e-04
    ct = crosstab(RESPONSE)
    assert ct.pearson == pytest.approx(12.65009, abs=5e-6)
    assert ct.likelihood_ratio == pytest.approx(13.027298609, abs=5e-9)
    assert ct.likelihood_ratio_p == pytest.approx(0.004577941, abs=5e-10)
    assert ct.linear_by_linear == pytest.approx(11.30274, abs=5e-5)
    assert ct.linear_by_linear_p == pytest.approx(7.739259e-04, rel=1e-6)
    # fisher.test(r)$p.value -> 0.005023192372 (exact, two arms and four categories)
    assert ct.fisher_p == pytest.approx(0.005023192372, abs=5e-12)
    assert math.isnan(ct.yates)
    assert list(ct.candidates()) == ["pearson", "likelihood_ratio", "fisher", "linear_by_linear"]


def test_fisher_two_arms_many_categories_matches_r():
    # R: fisher.test(matrix(c(10,4,3,6,12,9,2,8), nrow = 2))$p.value -> 0.05608696412
    assert fisher_2xc([[10, 3, 12, 2], [4, 6, 9, 8]]) == pytest.approx(0.05608696412, abs=5e-11)
    # R: fisher.test(matrix(c(3,1,2,6,8,2), 2))$p.value -> 0.06242611877
    assert fisher_2xc([[3, 2, 8], [1, 6, 2]]) == pytest.approx(0.06242611877, abs=5e-11)
    # a 2×2 agrees with scipy's exact test (R: fisher.test(matrix(c(3,2,1,6), 2)) -> 0.2222222)
    assert fisher_2xc([[3, 1], [2, 6]]) == pytest.approx(0.2222222222, abs=5e-10)
    assert math.isnan(fisher_2xc([[500] * 6, [500] * 6], limit=1000))


def test_fisher_over_a_dozen_small_categories_matches_r():
    # the diagnoses a psychiatry trial prints (2×11 after its empty level; before the
    # enumeration merged equal states it gave up at 2 million partial tables). R:
    # fisher.test(matrix(c(13,10,2,2,2,1,1,0,1,3,1, 11,13,2,2,0,0,1,2,2,3,0), nrow = 2,
    # byrow = TRUE))$p.value -> 0.865566777
    assert fisher_2xc([[13, 10, 2, 2, 2, 1, 1, 0, 1, 3, 1], [11, 13, 2, 2, 0, 0, 1, 2, 2, 3, 0]]) \
        == pytest.approx(0.865566777, abs=5e-10)
    # R: fisher.test(matrix(c(9,7,5,4,3,3,2,2,1,1,0,2,1, 4,6,6,5,4,2,3,2,2,1,2,0,1), nrow = 2,
    # byrow = TRUE), workspace = 2e8)$p.value -> 0.9097374091
    assert fisher_2xc([[9, 7, 5, 4, 3, 3, 2, 2, 1, 1, 0, 2, 1], [4, 6, 6, 5, 4, 2, 3, 2, 2, 1, 2, 0, 1]]) \
        == pytest.approx(0.9097374091, abs=5e-10)
    # large counts: R: fisher.test(matrix(c(400,600,500,550,450,520), nrow = 2, byrow = TRUE),
    # workspace = 2e8)$p.value -> 1.318104856e-10
    assert fisher_2xc([[400, 600, 500], [550, 450, 520]]) == pytest.approx(1.318104856e-10, rel=1e-8)


def test_rank_sum_with_ties_matches_r():
    # R: a <- rep(1:4, c(31,13,7,2)); b <- rep(1:4, c(14,19,14,7))
    # w <- wilcox.test(a, b, exact=FALSE, correct=FALSE): W = 903.5, p = 4.969375e-04
    # qnorm(w$p.value/2) = -3.482402
    rs = rank_sum_from_counts(*RESPONSE)
    assert rs.u == 903.5
    assert rs.pvalue == pytest.approx(4.969375e-04, rel=1e-6)
    assert abs(rs.z) == pytest.approx(3.482402, abs=5e-7)
    a = np.repeat([1, 2, 3, 4], RESPONSE[0])
    b = np.repeat([1, 2, 3, 4], RESPONSE[1])
    scipy_p = stats.mannwhitneyu(a, b, use_continuity=False, method="asymptotic").pvalue
    assert rs.pvalue == pytest.approx(scipy_p, rel=1e-12)


def test_bad_tables():
    with pytest.raises(ValueError, match="integer"):
        crosstab([[1.5, 2], [3, 4]])
    with pytest.raises(ValueError, match="empty"):
        crosstab([[0, 2], [0, 4]])
    with pytest.raises(ValueError, match="same number"):
        rank_sum_from_counts([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="tied"):
        rank_sum_from_counts([3, 0], [4, 0])
