"""Sample size for comparing two proportions or two means, and dropout inflation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy import optimize, stats

__all__ = ["two_proportion_n", "two_means_n", "DropoutVariant", "dropout_variants", "variants_frame"]


def _quantiles(alpha: float, power: float, sides: int, z_alpha, z_beta) -> tuple[float, float]:
    if sides not in (1, 2):
        raise ValueError(f"sides must be 1 or 2, got {sides!r}")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(f"alpha and power must be in (0, 1), got {alpha!r} and {power!r}")
    za = float(stats.norm.isf(alpha / sides)) if z_alpha is None else float(z_alpha)
    zb = float(stats.norm.ppf(power)) if z_beta is None else float(z_beta)
    return za, zb


def two_proportion_n(p1: float, p2: float, *, z_alpha: float | None = None, z_beta: float | None = None,
                     alpha: float = 0.05, power: float = 0.80, sides: int = 2, pooled: bool = True,
                     continuity: bool = False) -> float:
    """Unrounded per-group n for comparing two proportions.

    Parameters
    ----------
    p1, p2 : float
        The two proportions, in (0, 1).
    z_alpha, z_beta : float, optional
        The normal quantiles as printed (e.g. 1.96 and 0.84); default: exact, from
        ``alpha``, ``sides`` and ``power``.
    sides : {1, 2}
        One- or two-sided test.
    pooled : bool
        The null variance from the mean proportion (Fleiss) or, ``False``, both arms' own
        variances throughout.
    continuity : bool
        Fleiss–Tytun–Ury continuity correction.

    Notes
    -----
    Pooled: n = [z_α·√(2·p̄(1−p̄)) + z_β·√(p1(1−p1) + p2(1−p2))]² / (p1 − p2)², p̄ = (p1 + p2)/2
    (Fleiss, Levin & Paik 2003, eq. 4.14; R's ``power.prop.test`` solves the same equation).
    Unpooled: n = (z_α + z_β)²·(p1(1−p1) + p2(1−p2)) / (p1 − p2)². Continuity correction:
    n' = n/4·(1 + √(1 + 4/(n·|p1 − p2|)))².

    References
    ----------
    Fleiss JL, Levin B, Paik MC. Statistical Methods for Rates and Proportions, 3rd ed.
    Wiley 2003. doi:10.1002/0471445428

    Examples
    --------
    R: ``power.prop.test(p1 = 0.6, p2 = 0.85, power = 0.8)$n`` = 48.88009

    >>> round(two_proportion_n(0.60, 0.85), 4)
    48.8801
    """
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 < p < 1:
            raise ValueError(f"{name} must be in (0, 1), got {p!r}")
    if p1 == p2:
        raise ValueError("p1 and p2 must differ")
    za, zb = _quantiles(alpha, power, sides, z_alpha, z_beta)
    spread = p1 * (1 - p1) + p2 * (1 - p2)
    if pooled:
        pbar = (p1 + p2) / 2
        n = (za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(spread)) ** 2 / (p1 - p2) ** 2
    else:
        n = (za + zb) ** 2 * spread / (p1 - p2) ** 2
    if continuity:
        n = n / 4 * (1 + math.sqrt(1 + 4 / (n * abs(p1 - p2)))) ** 2
    return n


def two_means_n(delta: float, sd: float, *, alpha: float = 0.05, power: float = 0.80, sides: int = 2,
                z_alpha: float | None = None, z_beta: float | None = None, method: str = "normal") -> float:
    """Unrounded per-group n for comparing two means with a common SD.

    Parameters
    ----------
    delta, sd : float
        The difference to detect and the common standard deviation (both > 0).
    method : {"normal", "t"}
        The normal approximation n = 2·σ²·(z_α + z_β)²/δ², or the exact power of the
        two-sample t test (noncentral t, df = 2(n − 1)), solved for n as R's
        ``power.t.test`` does.

    Examples
    --------
    R: ``power.t.test(delta = 5, sd = 10, power = 0.9)$n`` = 85.03129

    >>> round(two_means_n(5, 10, power=0.9, method="t"), 3)
    85.031
    """
    if delta == 0 or sd <= 0:
        raise ValueError(f"delta must not be 0 and sd must be positive, got {delta!r} and {sd!r}")
    if method not in ("normal", "t"):
        raise ValueError(f"method must be 'normal' or 't', got {method!r}")
    za, zb = _quantiles(alpha, power, sides, z_alpha, z_beta)
    normal = 2 * (sd * (za + zb) / delta) ** 2
    if method == "normal":
        return normal
    effect = abs(delta) / sd

    def shortfall(n: float) -> float:
        df = 2 * (n - 1)
        crit = stats.t.isf(alpha / sides, df)
        return float(stats.nct.sf(crit, df, effect * math.sqrt(n / 2))) - power
    return float(optimize.brentq(shortfall, 2.0, max(10 * normal, 10.0), xtol=1e-10))


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
