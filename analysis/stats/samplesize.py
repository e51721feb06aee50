"""Sample size for comparing two proportions (section 1.1) and dropout inflation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy import stats

__all__ = ["two_proportion_n", "DropoutVariant", "dropout_variants", "variants_frame"]


def two_proportion_n(p1: float, p2: float, *, z_alpha: float | None = None, z_beta: float | None = None,
                     alpha: float = 0.05, power: float = 0.80) -> float:
    """Unrounded per-group n for a two-sided comparison of two proportions.

    Notes
    -----
    n = [z_{1−α/2}·√(2·p̄(1−p̄)) + z_{1−β}·√(p1(1−p1) + p2(1−p2))]² / (p1 − p2)²,
    p̄ = (p1 + p2)/2 (Fleiss JL, Levin B, Paik MC. Statistical Methods for Rates
    and Proportions, 3rd ed. Wiley 2003, eq. 4.14, without continuity
    correction; doi:10.1002/0471445428). ``z_alpha``/``z_beta`` default to the
    exact normal quantiles; pass 1.96 and 0.84 to use the printed ones.
    R: ``power.prop.test`` solves a close variant.
    """
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 < p < 1:
            raise ValueError(f"{name} must be in (0, 1), got {p!r}")
    if p1 == p2:
        raise ValueError("p1 and p2 must differ")
    za = float(stats.norm.isf(alpha / 2)) if z_alpha is None else z_alpha
    zb = float(stats.norm.ppf(power)) if z_beta is None else z_beta
    pbar = (p1 + p2) / 2
    num = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return num ** 2 / (p1 - p2) ** 2


@dataclass(frozen=True)
class DropoutVariant:
    """One way of turning a per-group n and a dropout rate into an enrolled total."""

    name: str
    total: int
    formula: str


def dropout_variants(n_per_group: float, dropout: float, *, groups: int = 2) -> tuple[DropoutVariant, ...]:
    """Enrolled totals under the common dropout arithmetics.

    ``n_per_group`` is either the rounded-up per-group n or the unrounded one;
    the variants inflate by ``1/(1−d)`` (correct: the expected completers are
    n) or by ``(1+d)`` (too little), on the total or per group, then round up
    (``ceil``), round, or truncate.
    """
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
    if n_per_group <= 0 or int(groups) != groups or groups < 1:
        raise ValueError("n_per_group must be positive and groups a positive integer")
    out = []
    for inflation, factor in (("n/(1-d)", 1 / (1 - dropout)), ("n*(1+d)", 1 + dropout)):
        for rounding, fn in (("ceil", math.ceil), ("round", lambda x: math.floor(x + 0.5)),
                             ("floor", math.floor)):
            total = groups * n_per_group * factor
            out.append(DropoutVariant(f"total {inflation} {rounding}", int(fn(round(total, 9))),
                                      f"{rounding}({groups}·{n_per_group:g}·{factor:.6g})"))
            per = n_per_group * factor
            out.append(DropoutVariant(f"per-group {inflation} {rounding}", groups * int(fn(round(per, 9))),
                                      f"{groups}·{rounding}({n_per_group:g}·{factor:.6g})"))
    return tuple(out)


def variants_frame(variants) -> pd.DataFrame:
    """The variants of :func:`dropout_variants` as a table (name, total, formula)."""
    return pd.DataFrame([v.__dict__ for v in variants])
