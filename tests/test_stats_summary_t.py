"""analysis.stats.summary_t against R's t.test, and the interval method on rounded inputs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from analysis.printed import parse_printed
from analysis.stats.rounding import meets
from analysis.stats.summary_t import t_pvalue, ttest_from_stats, ttest_range

X = np.array([5.1, 4.8, 6.2, 5.9, 5.5, 4.7, 6.0, 5.3])
Y = np.array([4.2, 5.0, 4.4, 3.9, 4.8, 5.6, 4.1, 4.5, 4.0, 4.9])


def _stats(v):
    return v.mean(), v.std(ddof=1), v.size


def test_student_matches_r():
    # R: t.test(x, y, var.equal = TRUE) -> t = 3.467962, df = 16, p-value = 0.003171001
    r = ttest_from_stats(*_stats(X), *_stats(Y), method="student")
    assert r.statistic == pytest.approx(3.467962, abs=5e-7)
    assert r.df == 16
    assert r.pvalue == pytest.approx(0.003171001, abs=5e-10)


def test_welch_matches_r():
    # R: t.test(x, y) -> t = 3.448042, df = 14.78808, p-value = 0.003651903
    r = ttest_from_stats(*_stats(X), *_stats(Y), method="welch")
    assert r.statistic == pytest.approx(3.448042, abs=5e-7)
    assert r.df == pytest.approx(14.78808, abs=5e-6)
    assert r.pvalue == pytest.approx(0.003651903, abs=5e-10)


def test_naive_flags_but_interval_reproduces():
    # Table 1 age: the printed inputs give |t| = 0.2240, which does not round to the
    # printed 0.223; the inputs' rounding intervals allow 0.206 to 0.242.
    p = parse_printed
    naive = ttest_from_stats(68.17, 2.83, 53, 68.04, 3.16, 54)
    assert not p("0.223").contains(abs(naive.statistic))
    rng = ttest_range(p("68.17"), p("2.83"), 53, p("68.04"), p("3.16"), 54)
    assert meets(p("0.223").interval, rng.abs_statistic)


def test_discrepant_however_rounded():
    # Same inputs, a printed t of 0.300: no value in the input intervals reaches it.
    p = parse_printed
    for method in ("student", "welch"):
        rng = ttest_range(p("68.17"), p("2.83"), 53, p("68.04"), p("3.16"), 54, method=method)
        assert not meets(p("0.300").interval, rng.abs_statistic)


def test_range_contains_point_and_p_is_monotone():
    p = parse_printed
    rng = ttest_range(p("21.06"), p("4.88"), 53, p("19.86"), p("3.91"), 54)
    assert rng.abs_statistic[0] <= abs(rng.point.statistic) <= rng.abs_statistic[1]
    assert rng.pvalue[0] == pytest.approx(t_pvalue(rng.abs_statistic[1], 105))
    assert rng.pvalue[1] == pytest.approx(t_pvalue(rng.abs_statistic[0], 105))


def test_bad_arguments():
    with pytest.raises(ValueError, match="method"):
        ttest_from_stats(1, 1, 5, 1, 1, 5, method="z")
    with pytest.raises(ValueError, match="n1"):
        ttest_range(1.0, 1.0, 1, 1.0, 1.0, 5)


def _printed(x, k):
    return parse_printed(f"{x:.{k}f}")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=3, max_size=30),
       st.lists(st.floats(-50, 50), min_size=3, max_size=30),
       st.integers(0, 3), st.sampled_from(["student", "welch"]))
def test_rounded_inputs_always_reproduce_the_true_statistic(x, y, k, method):
    x, y = np.array(x), np.array(y)
    if x.std(ddof=1) < 1e-3 or y.std(ddof=1) < 1e-3:
        return
    true = ttest_from_stats(*_stats(x), *_stats(y), method=method)
    printed_t = _printed(abs(true.statistic), 3)
    rng = ttest_range(_printed(x.mean(), k), _printed(x.std(ddof=1), k), x.size,
                      _printed(y.mean(), k), _printed(y.std(ddof=1), k), y.size, method=method)
    if rng.abs_statistic[1] == math.inf:
        return
    assert meets(printed_t.interval, rng.abs_statistic)
    assert rng.pvalue[0] <= true.pvalue * (1 + 1e-9) and true.pvalue <= rng.pvalue[1] * (1 + 1e-9)
