"""analysis.stats.rounding: intervals, statcheck's P rules, GRIM, GRIMMER, DEBIT, percentages."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from analysis.printed import parse_printed as p
from analysis.stats.rounding import (convex_range, debit, grim, grimmer, meets, p_consistent,
                                     p_decision_error, percent_counts)


def test_grim_published_example():
    # Brown & Heathers 2017: a mean of 5.19 is impossible for 28 integer scores
    # (145/28 = 5.18, 146/28 = 5.21), while 5.18 is possible.
    assert not grim(p("5.19"), 28)
    assert grim(p("5.18"), 28)
    assert grim(p("5.19"), 28, items=3)  # 3 items per person: steps of 1/84


def test_grimmer():
    # n = 5 integer scores 1,2,3,4,5: mean 3.00, SD sqrt(2.5) = 1.58.
    assert grimmer(p("3.00"), p("1.58"), 5)
    # With S = 15 the sum of squares is odd (Q ≡ S mod 2): variance steps of 2/4 = 0.5.
    # SD 1.50 needs variance 2.25, between 2.0 (Q=53) and 2.5 (Q=55): impossible.
    assert not grimmer(p("3.00"), p("1.50"), 5)


def test_debit():
    # 0/1 data, n = 10, 3 ones: mean 0.30, SD sqrt(10/9·0.21) = 0.483
    assert debit(p("0.30"), p("0.48"), 10)
    assert not debit(p("0.30"), p("0.30"), 10)


def test_percent_counts():
    assert percent_counts(p("11.32"), 53) == (6,)
    assert percent_counts(p("3.70"), 54) == (2,)
    assert percent_counts(p("50"), 7) == ()  # 3/7 = 42.9, 4/7 = 57.1


def test_statcheck_p_rules():
    assert p_consistent(p("<0.001"), (1e-20, 1e-19))
    assert not p_consistent(p("<0.001"), (0.002, 0.003))
    assert p_consistent(p("0.012"), (0.0116, 0.0117))
    assert not p_consistent(p("0.012"), (0.0126, 0.0127))
    assert p_consistent(p("0.000"), (0.0002, 0.0003))  # 0.000 read as < 0.0005
    assert p_consistent(p(">0.05"), (0.04, 0.06))
    assert p_decision_error(p("0.03"), (0.06, 0.07))
    assert not p_decision_error(p("0.03"), (0.04, 0.06))
    assert p_decision_error(p("0.20"), (0.01, 0.02))


def test_meets():
    assert meets((0, 1), (1, 2))
    assert not meets((0, 1), (1.01, 2))
    assert meets((-math.inf, 0.001), (0.0005, 0.0006))


def test_convex_range_quadratic():
    f = lambda x: float(((x - 0.3) ** 2).sum())  # noqa: E731
    lo, hi = convex_range(f, [0, 0], [1, 1])
    assert -1e-8 < lo <= 0  # widened a hair below the true minimum, never above it
    assert hi == pytest.approx(2 * 0.7 ** 2)
    with pytest.raises(ValueError, match="lower"):
        convex_range(f, [1, 0], [0, 1])


@given(st.lists(st.integers(0, 100), min_size=2, max_size=60), st.integers(1, 3))
def test_true_integer_summaries_always_pass(xs, k):
    x = np.array(xs, float)
    mean, sd = p(f"{x.mean():.{k}f}"), p(f"{x.std(ddof=1):.{k}f}")
    assert grim(mean, x.size)
    assert grimmer(mean, sd, x.size)


@given(st.integers(2, 200), st.data())
def test_true_percentages_always_pass(n, data):
    k = data.draw(st.integers(0, n))
    d = data.draw(st.integers(0, 2))
    assert k in percent_counts(p(f"{100 * k / n:.{d}f}"), n)
