"""Rounding intervals and the consistency checks built on them.

A printed number stands for the closed interval of values that round to it
(:class:`analysis.printed.Printed`). A recomputed statistic, evaluated over the
intervals of its printed inputs, is itself a range; the printed result is
consistent when the two ranges meet. GRIM, GRIMMER and DEBIT ask the same
question for means, SDs and percentages of integer data.

References
----------
Nuijten MB et al. The prevalence of statistical reporting errors in psychology
(1985-2013). Behav Res Methods 2016;48:1205-26. doi:10.3758/s13428-015-0664-2
Brown NJL, Heathers JAJ. The GRIM test. Soc Psychol Personal Sci 2017;8:363-9.
doi:10.1177/1948550616673876
Anaya J. The GRIMMER test. PeerJ Preprints 2016;4:e2400v1.
doi:10.7287/peerj.preprints.2400v1
Heathers JAJ, Brown NJL. DEBIT: a simple consistency test for binary data.
OSF preprint 2019. doi:10.31219/osf.io/5vb3u
"""

from __future__ import annotations

import itertools
import math
from typing import Callable, Sequence

import numpy as np
from scipy import optimize

from ..printed import Printed

__all__ = ["bounds", "meets", "p_consistent", "p_decision_error", "convex_range",
           "grim", "grimmer", "debit", "percent_counts"]

# Float noise allowed when comparing an interval end computed in floating point
# with a printed bound such as 0.0005: never large enough to matter in print.
_EPS = 1e-9


def bounds(x: Printed | float | int) -> tuple[float, float]:
    """The interval a printed number stands for; an exact number is a point."""
    if isinstance(x, Printed):
        return x.interval
    x = float(x)
    return (x, x)


def meets(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two closed intervals intersect (with float-noise slack)."""
    slack = _EPS * max(1.0, abs(a[0]), abs(a[1]), abs(b[0]) if math.isfinite(b[0]) else 1.0,
                       abs(b[1]) if math.isfinite(b[1]) else 1.0)
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


def p_consistent(printed: Printed, p_range: tuple[float, float]) -> bool:
    """statcheck's rule: does a recomputed P range agree with a printed P?

    ``P=0.012`` agrees when the range meets [0.0115, 0.0125]; ``P<0.001`` when
    some value in the range is below 0.001 (``≤`` and ``>`` alike). A printed
    ``0.000`` is read as ``<0.0005``, as statcheck does.
    """
    lo, hi = p_range
    if printed.relation in ("<", "≤"):
        return lo < printed.value + _EPS
    if printed.relation in (">", "≥"):
        return hi > printed.value - _EPS
    if printed.value == 0:
        return lo < printed.half_unit + _EPS
    return meets(printed.interval, p_range)


def p_decision_error(printed: Printed, p_range: tuple[float, float], *, alpha: float = 0.05) -> bool:
    """statcheck's gross inconsistency: printed and recomputed P fall on
    opposite sides of ``alpha`` for every value in the recomputed range."""
    plo, phi = printed.interval
    printed_sig = phi < alpha or (printed.relation in ("<", "≤") and printed.value <= alpha)
    printed_ns = plo >= alpha
    if printed_sig:
        return p_range[0] >= alpha
    if printed_ns:
        return p_range[1] < alpha
    return False


def convex_range(func: Callable[[np.ndarray], float], lower: Sequence[float],
                 upper: Sequence[float]) -> tuple[float, float]:
    """Exact range of a convex function over a box.

    The maximum of a convex function over a box is at a vertex (all 2^k are
    tried, so keep k small); the minimum is found by bounded local
    minimisation, which is global for a convex function.
    """
    lower = np.asarray(lower, float)
    upper = np.asarray(upper, float)
    if lower.shape != upper.shape or np.any(lower > upper):
        raise ValueError("lower and upper must have one shape and lower <= upper")
    hi = max(func(np.where(mask, upper, lower))
             for mask in itertools.product((False, True), repeat=lower.size))
    mid = (lower + upper) / 2
    res = optimize.minimize(func, mid, bounds=list(zip(lower, upper)), method="L-BFGS-B",
                            options={"ftol": 1e-15, "gtol": 1e-12})
    lo = min(float(res.fun), func(mid))
    # The optimiser stops within a relative 1e-15 of the minimum; widen by more so
    # that the range can only be too wide, never too narrow.
    lo -= 1e-9 * max(1.0, abs(lo), abs(hi))
    return (float(lo), float(hi))


def _check_n(n: int, name: str = "n") -> int:
    if int(n) != n or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


def grim(mean: Printed, n: int, *, items: int = 1) -> bool:
    """GRIM: can the mean of ``n`` integer scores (``items`` per person) round to ``mean``?

    Notes
    -----
    The sum of the scores is an integer ``S``; the test asks whether some ``S/(n*items)``
    lies in the printed interval. R: ``any(round(S/n, d) == m)`` over nearby ``S``.
    """
    k = _check_n(n) * _check_n(items, "items")
    lo, hi = mean.interval
    return math.floor(hi * k + _EPS) >= math.ceil(lo * k - _EPS)


def grimmer(mean: Printed, sd: Printed, n: int) -> bool:
    """GRIMMER: are a printed mean and SD possible for ``n`` integer scores?

    Notes
    -----
    For every integer sum ``S`` allowed by GRIM, the sum of squares ``Q`` is an
    integer with ``Q ≡ S (mod 2)`` (because ``x² ≡ x``), and
    ``SD² = (Q − S²/n)/(n − 1)``. The pair passes when some such ``Q`` gives an SD
    in the printed interval.
    """
    n = _check_n(n)
    if n < 2:
        raise ValueError("n must be at least 2 for an SD")
    mlo, mhi = mean.interval
    slo, shi = sd.interval
    for s in range(math.ceil(mlo * n - _EPS), math.floor(mhi * n + _EPS) + 1):
        qlo = max(slo, 0.0) ** 2 * (n - 1) + s * s / n
        qhi = shi ** 2 * (n - 1) + s * s / n
        q = math.ceil(qlo - _EPS)
        if q % 2 != s % 2:
            q += 1
        if q <= qhi + _EPS:
            return True
    return False


def debit(mean: Printed, sd: Printed, n: int) -> bool:
    """DEBIT: are a printed mean (a proportion) and SD possible for ``n`` 0/1 scores?

    Notes
    -----
    With ``k`` ones, ``SD = sqrt(n/(n−1) · p(1−p))``, ``p = k/n`` (the sample SD, as
    SPSS prints it). Passes when some integer ``k`` gives both the mean and SD.
    """
    n = _check_n(n)
    if n < 2:
        raise ValueError("n must be at least 2 for an SD")
    for k in range(n + 1):
        p = k / n
        if mean.contains(p) and sd.contains(math.sqrt(n / (n - 1) * p * (1 - p))):
            return True
    return False


def percent_counts(percent: Printed, n: int) -> tuple[int, ...]:
    """Integer counts ``k`` (0..n) whose percentage ``100·k/n`` rounds to ``percent``."""
    n = _check_n(n)
    return tuple(k for k in range(n + 1) if percent.contains(100.0 * k / n))
