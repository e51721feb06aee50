"""Printed numbers and the rounding intervals they stand for."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from analysis.printed import non_number, parse_printed


@pytest.mark.parametrize("text,value,decimals,relation", [
    ("3.70", 3.70, 2, "="), ("0", 0.0, 0, "="), ("<0.001", 0.001, 3, "<"),
    ("83.02%", 83.02, 2, "="), ("2 013.843", 2013.843, 3, "="), (">0.05", 0.05, 2, ">"),
])
def test_parse(text, value, decimals, relation):
    p = parse_printed(text)
    assert (p.value, p.decimals, p.relation) == (value, decimals, relation)


def test_interval_is_half_a_unit_of_the_last_digit():
    assert parse_printed("3.70").interval == pytest.approx((3.695, 3.705))
    assert parse_printed("0").interval == (-0.5, 0.5)
    assert parse_printed("<0.001").interval == (-math.inf, 0.001)


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "1,5", "≈3"])
def test_rejects_what_is_not_a_number(bad):
    with pytest.raises(ValueError, match="not a printed number"):
        parse_printed(bad)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 6))
def test_a_rounded_value_contains_its_source(x, k):
    assert parse_printed(f"{x:.{k}f}").contains(x)


@pytest.mark.parametrize("text,value,relation", [
    ("＜0.001", 0.001, "<"), ("＞0.05", 0.05, ">"), ("≦0.05", 0.05, "≤"), ("83.02％", 83.02, "="),
    ("−2.31", -2.31, "="), ("–2.31", -2.31, "="), ("－2.31", -2.31, "="), ("-2.31", -2.31, "="),
    ("0·83", 0.83, "="), ("<0·0001", 0.0001, "<"), ("−1·5", -1.5, "="),
])
def test_chinese_typesetting_and_minus_variants(text, value, relation):
    p = parse_printed(text)
    assert (p.value, p.relation, p.text) == (value, relation, text)


@pytest.mark.parametrize("text,meaning", [
    ("—", "not_printed"), ("-", "not_printed"), (" – ", "not_printed"), ("NR", "not_reached"),
    ("Not reached", "not_reached"), ("未达到", "not_reached"), ("0.5", None), ("N/A x", None),
])
def test_non_numbers_are_named_not_parsed(text, meaning):
    assert non_number(text) == meaning
    if meaning:
        with pytest.raises(ValueError, match="not a printed number"):
            parse_printed(text)
