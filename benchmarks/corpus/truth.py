"""The independent truth of the corpus: recompute each printed statistic and P from its inputs.

``python benchmarks/corpus/truth.py [FOLDER ...]`` reads ``truth.csv`` of every article folder
under ``benchmarks/corpus/`` (or of the folders named), writes ``truth_checked.csv`` next to
each, and prints, per article and in total, how many rows are consistent, inconsistent, not
recomputable and unreadable, with each article's set (development / held-out).

This module never imports the project's ``analysis`` package: it is the yardstick that package
is measured against, so it uses only the standard library, numpy, scipy and pandas, and each
formula below is written out or is one documented scipy call.

Parameters
----------
FOLDER : path or slug, optional
    Article folders (``benchmarks/corpus/wjg-2024-4791`` or ``wjg-2024-4791``); all folders
    holding a ``truth.csv`` when none is given.

Notes
-----
**Printed numbers are intervals.** A number printed with *d* decimals stands for
``[x - 0.5e-d, x + 0.5e-d]``: a P of ``0.648`` is ``[0.6475, 0.6485]``, ``0.000`` is
``[0, 0.0005]``, ``< 0.001`` (also ``<0.001``, ``＜0.001``, ``≤``) is ``[0, 0.001]``, ``> 0.05``
is ``[0.05, 1]``, ``NS`` is ``[0.05, 1]``. Unicode minus, fullwidth signs, spaces, a leading
``P =`` and footnote marks (``^a^``, ``ᵃ``, ``*``) are accepted. Statistics are compared in
absolute value, because papers print the sign of t or z for either group order.

**kind = means** (``mean±SD/n`` or ``mean(SD)/n`` per group). Every mean and SD ranges over
its rounding interval (the *box*); a method reproduces the printed statistic when its range
over the box overlaps the printed statistic's interval.

- ``student``: pooled t, ``t = (m1 - m2) / sqrt(sp² (1/n1 + 1/n2))`` with
  ``sp² = ((n1-1) s1² + (n2-1) s2²) / (n1 + n2 - 2)``, df ``n1 + n2 - 2``.
  R: ``t.test(x, y, var.equal = TRUE)``.
- ``welch``: ``t = (m1 - m2) / sqrt(s1²/n1 + s2²/n2)``, Welch–Satterthwaite df
  ``(a + b)² / (a²/(n1-1) + b²/(n2-1))``, ``a = s1²/n1``, ``b = s2²/n2``. R: ``t.test(x, y)``.
  ``|t|`` rises with ``|m1 - m2|`` and falls with each SD, so its range over the box is
  ``min|Δ| / se(SD highs)`` to ``max|Δ| / se(SD lows)``, with ``min|Δ| = 0`` when the
  difference's interval straddles 0.
- ``z_unpooled`` (a printed z on means): the Welch statistic referred to the normal.
- ``anova``: one-way F from summaries, ``F = [Σ nᵢ (mᵢ - m̄)² / (k-1)] / [Σ (nᵢ-1) sᵢ² / (N-k)]``,
  df ``k-1, N-k``. R: ``oneway.test(y ~ g, var.equal = TRUE)`` or ``summary(aov(y ~ g))``.
  The between-group sum of squares is a convex quadratic in the means, so its maximum over
  the box is at a corner and its minimum is found by a bounded ``scipy.optimize.minimize``
  from the centre; the within sum of squares depends only on the SDs and is monotone.
  ``welch_f`` (k = 2 only) is the Welch t squared, F(1, Welch df).
- A t printed for three or more groups is not recomputable.

**kind = counts** (``25,15/40; 23,17/40``: the counts of each level per group; ``5/60`` is a
yes-count whose complement is ``n - 5``; a multi-level group whose counts fall short of its
``/n`` gets the remainder as one more level). The table is levels × groups, empty levels or
groups dropped. The counts are exact, so a method reproduces the statistic when its value lies
in the printed interval.

- ``pearson``: ``Σ (O - E)² / E``, df ``(r-1)(c-1)``; for 2×2 ``N (ad - bc)² / (r1 r2 c1 c2)``.
  R: ``chisq.test(tab, correct = FALSE)``.
- ``yates`` (2×2): ``N (|ad - bc| - N/2)² / (r1 r2 c1 c2)`` (as R, no correction beyond
  ``|O - E|``). R: ``chisq.test(tab, correct = TRUE)``.
- ``lr``: ``G = 2 Σ O ln(O / E)``. R: ``DescTools::GTest(tab, correct = "none")``.
- ``lbl`` (ordered levels, or more than two levels): Mantel–Haenszel linear-by-linear
  ``M² = (N - 1) r²``, r the Pearson correlation of level scores 1..k with group scores 1..g,
  df 1. R: ``coin::lbl_test(tab)`` (its statistic is ``M``; ``M²`` is SPSS's "Linear-by-Linear
  Association").
- ``fisher``: P only; 2×2 by ``scipy.stats.fisher_exact``; larger tables by enumerating every
  table with the printed margins (tables as likely or less likely than the observed one, with
  R's relative tolerance 1e-7), or, above two million tables, by scipy's Monte Carlo with a
  fixed seed and a ±3 standard error interval. R: ``fisher.test(tab)``.
- ``z_prop``, ``z_prop_yates`` (2×2): the two-proportion z, ``√`` of Pearson / Yates.
  R: ``sqrt(prop.test(tab, correct = FALSE)$statistic)``.
- ``ranksum``, ``ranksum_cc`` (ordered, 2 groups): Mann–Whitney on the expanded ordinal data,
  U from ``scipy.stats.mannwhitneyu``, ``Z = (U - n1 n2/2) / σ`` with the tie-corrected
  ``σ² = n1 n2 / 12 · (N + 1 - Σ(t³ - t) / (N (N - 1)))``, without and with the 0.5 continuity
  correction. R: ``wilcox.test(x, y, exact = FALSE, correct = FALSE / TRUE)``.
- ``u_first``, ``u_min`` (a printed U; ordered, 2 groups): U of the first group (R's ``W``) or
  the smaller U (SPSS).
- ``kruskal`` (ordered): tie-corrected Kruskal–Wallis H, χ² df g-1, also accepted for a
  printed χ² because R prints it as "Kruskal-Wallis chi-squared". R: ``kruskal.test``.
- Percentages: each printed percentage must contain ``count / n · 100`` in its interval, n the
  group's n; when all of them fit the total of the groups or the level totals instead, the
  reason says so.

**P values.** ``p_follows_statistic``: the two-sided P implied by the printed statistic's
interval, with each candidate method's reference distribution (t with the Student df or the
Welch df range; χ² with ``(r-1)(c-1)`` df, or 1 for ``lbl``; normal for z; F with ``k-1, N-k``),
or with the ``df`` column when one is printed, overlaps the printed P's interval.
``p_follows_inputs``: some candidate's P from the inputs (over the box for means; Fisher
counts too, and for a printed U the rank-sum P) overlaps it. For kind ``other`` only the first
check is made, and only when the distribution is known without the inputs (z always, t/χ²/F/H
with a ``df`` column).

**Verdict.** ``consistent``: the printed statistic (if any) is reproduced by a method, the P
follows the statistic (if both are printed and a distribution is known) and the inputs (a P is
computed from the data, so one truncated where it should be rounded is a misprint), and the
percentages fit. ``inconsistent`` otherwise, with the failed part in ``reason``.
``not recomputable``: kind ``other``, or no method fits the stat name and the inputs (a t over
three groups); ``inconsistent`` instead when its P check fails. ``unreadable``: a row this
script cannot parse; one printed line names the file, row (1 = first data row), file line and
column, and the run goes on.

**Output.** ``truth_checked.csv``: the input columns as read, then ``methods`` (those that
reproduce the statistic, ``;``-separated; for a row with only a P, those whose P fits),
``stat_range`` (the best method's range, ``%.4f–%.4f``), ``p_follows_statistic``,
``p_follows_inputs``, ``percents_fit`` (``yes``/``no``/empty), ``verdict``, ``reason``. Every
cell is formatted text, so a rerun writes the same bytes.

**Sets.** An article is *held-out* when ``int(sha256(source_url).hexdigest(), 16) % 3 == 0``,
the URL being the ``source:`` line of ``paper.md``'s front matter (UTF-8, no trailing newline);
otherwise *development* (README.md, "Sets").

Examples
--------
>>> row = dict(table="1", row_label="Age (years)", stat_name="t", statistic="0.221",
...            p="0.825", kind="means", inputs="41.87±5.49/40; 42.15±5.82/40")
>>> check_row(row)["verdict"]
'consistent'
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import math
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

CORPUS = Path(__file__).resolve().parent
COLUMNS = ["table", "row_label", "stat_name", "statistic", "p", "kind", "inputs", "percents",
           "ordered", "df", "note"]
ADDED = ["methods", "stat_range", "p_follows_statistic", "p_follows_inputs", "percents_fit",
         "verdict", "reason"]
OUT_COLUMNS = COLUMNS + ADDED
VERDICTS = ["consistent", "inconsistent", "not recomputable", "unreadable"]

# Relative slack on interval ends: floating error must not turn an exact boundary into a miss.
EPS = 1e-9
FISHER_LIMIT = 2_000_000
MC_RESAMPLES = 20_000


class Unreadable(ValueError):
    """A truth.csv cell this script cannot read; ``column`` names the cell."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Method:
    """One way to recompute a statistic: its range over the inputs, its P range, its law.

    ``dist`` is ``(family, df ranges)``: ``("t", ((38, 38),))``, ``("norm", ())``,
    ``("chi2", ((1, 1),))``, ``("f", ((2, 2), (116, 116)))``; None when no law applies.
    """

    name: str
    lo: float
    hi: float
    p_lo: float
    p_hi: float
    dist: tuple | None


# --------------------------------------------------------------------------------------
# Printed numbers

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_NUMBER = re.compile(r"^(<=|>=|<|>|=)?([-+]?(?:\d+\.?\d*|\.\d+))"
                     r"(?:e([-+]?\d+)|[×x]10\^?([-+]?\d+))?%?$")
_DASHES = {"", "-", "—", "–", "/", "NA", "na", "n/a", "..."}


def _normalise(text: str) -> str:
    # A superscript power of ten (10^–7^, 10⁻⁷) is part of the number, not a footnote mark.
    text = re.sub(r"10\^([-–−]?\d+)\^", r"10^\1", str(text))
    text = re.sub(r"10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(_SUP), text)
    # Footnote marks go before NFKC, which would turn a superscript ¹ into a digit 1.
    text = re.sub(r"\^[^^]*\^", "", text)
    text = "".join(ch for ch in text
                   if ch not in _SUPERSCRIPTS and unicodedata.category(ch) != "Lm")
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("≤", "<=").replace("≥", ">=").replace("−", "-").replace("‐", "-")
    text = re.sub(r"[–—](?=\d)", "-", text)
    return re.sub(r"[\s*†‡§#]", "", text)


def printed_interval(text: str, *, upper: float = math.inf) -> tuple[float, float] | None:
    """The interval a printed number stands for; None for an empty cell or a dash.

    ``upper`` is the ceiling for ``> x`` (1 for a P). Raises ValueError when not a number.
    """
    raw = str(text).strip()
    if raw in _DASHES:
        return None
    text = _normalise(raw)
    if text.upper() == "NS":
        return (0.05, upper)
    # A leading name ("P =", "t=", "χ2 =") is not part of the number.
    text = re.sub(r"^(?:[Pp]-?value|[Pp]值|[A-Za-zχ]+2?)(?=[=<>])", "", text)
    m = _NUMBER.match(text)
    if not m:
        raise ValueError(f"cannot read {raw!r} as a printed number")
    op, mantissa, e1, e2 = m.groups()
    exponent = int(e1 or e2 or 0)
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    x, half = float(f"{mantissa}e{exponent}"), float(f"5e{exponent - decimals - 1}")
    if not math.isfinite(x):
        raise ValueError(f"{raw!r} is out of range")
    if op in ("<", "<="):
        return (min(0.0, x), x)
    if op in (">", ">="):
        return (x, upper)
    return (x - half, x + half)


def _stat_interval(text: str) -> tuple[tuple[float, float], bool] | None:
    """The printed statistic's interval in absolute value, and whether it was printed < 0."""
    try:
        iv = printed_interval(text)
    except ValueError as err:
        raise Unreadable("statistic", str(err)) from None
    if iv is None:
        return None
    lo, hi = iv
    if lo <= 0 <= hi:
        return (0.0, max(-lo, hi)), hi <= 0 < -lo
    return (min(abs(lo), abs(hi)), max(abs(lo), abs(hi))), hi < 0


def _p_interval(text: str) -> tuple[float, float] | None:
    try:
        iv = printed_interval(text, upper=1.0)
    except ValueError as err:
        raise Unreadable("p", str(err)) from None
    if iv is None:
        return None
    lo, hi = max(iv[0], 0.0), min(iv[1], 1.0)
    if lo > 1:
        raise Unreadable("p", f"{text!r} is not a probability")
    return lo, hi


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    slack = lambda x: EPS * max(1.0, abs(x)) if math.isfinite(x) else 0.0
    return a[0] <= b[1] + slack(b[1]) and b[0] <= a[1] + slack(a[1])


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:.4f}"


def _fmt_range(lo: float, hi: float) -> str:
    return f"{_fmt(lo)}–{_fmt(hi)}"


def _fmt_p(lo: float, hi: float) -> str:
    return f"{lo:.4g}–{hi:.4g}"


# --------------------------------------------------------------------------------------
# Reference distributions

def _p_range(dist: tuple, lo: float, hi: float) -> tuple[float, float]:
    """Two-sided P over a statistic interval [lo, hi] (absolute) and over the df ranges."""
    family, dfs = dist
    sf = {"t": lambda x, d: 2 * stats.t.sf(x, d), "norm": lambda x: 2 * stats.norm.sf(x),
          "chi2": stats.chi2.sf, "f": stats.f.sf}[family]
    ps = [float(sf(x, *d)) for x in (lo, hi) for d in itertools.product(*dfs)]
    return max(min(ps), 0.0), min(max(ps), 1.0)


def _default_dist(stat_name: str, df: tuple[float, ...] | None) -> tuple | None:
    """The law of a statistic known without its inputs: z always, the others from ``df``."""
    if stat_name == "z":
        return ("norm", ())
    if df is None:
        return None
    family = {"t": "t", "chi2": "chi2", "h": "chi2", "f": "f"}.get(stat_name)
    need = 2 if family == "f" else 1
    if family is None or len(df) != need:
        return None
    return (family, tuple((d, d) for d in df))


def _with_df(dist: tuple, df: tuple[float, ...] | None) -> tuple:
    # A printed df overrides the df a method would use, but not the method's family.
    if df is None or dist[0] == "norm" or len(df) != len(dist[1]):
        return dist
    return (dist[0], tuple((d, d) for d in df))


# --------------------------------------------------------------------------------------
# kind = means

_MEANS_GROUP = re.compile(
    r"^([-+]?(?:\d+\.?\d*|\.\d+))(?:±|\+/-|\+-|\()((?:\d+\.?\d*|\.\d+))\)?(?:/(\d+))?$")


def parse_means(text: str) -> list[tuple[tuple[float, float], tuple[float, float], int]]:
    """``41.87±5.49/40; 42.15±5.82/40`` → [(mean interval, SD interval, n), ...]."""
    groups = []
    for i, part in enumerate(str(text).split(";"), 1):
        m = _MEANS_GROUP.match(_normalise(part))
        if not m:
            raise Unreadable("inputs", f"group {i} {part.strip()!r} is not mean±SD/n")
        mean, sd, n = m.groups()
        if n is None:
            raise Unreadable("inputs", f"group {i} {part.strip()!r} has no /n")
        sd_lo, sd_hi = printed_interval(sd)
        groups.append((printed_interval(mean), (max(sd_lo, 0.0), sd_hi), int(n)))
    if len(groups) < 2:
        raise Unreadable("inputs", "fewer than two groups")
    if any(n < 2 for _, _, n in groups):
        raise Unreadable("inputs", "a group has n < 2")
    return groups


def _welch_df(s1: float, s2: float, n1: int, n2: int) -> float:
    a, b = s1 ** 2 / n1, s2 ** 2 / n2
    den = a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1)
    return (a + b) ** 2 / den if den > 0 else float(n1 + n2 - 2)


def _two_group_t(groups, welch: bool) -> tuple[float, float, tuple[float, float]]:
    """The |t| range over the box and the df range, Student (pooled) or Welch."""
    ((m1lo, m1hi), (s1lo, s1hi), n1), ((m2lo, m2hi), (s2lo, s2hi), n2) = groups
    dlo, dhi = m1lo - m2hi, m1hi - m2lo
    dmin = 0.0 if dlo <= 0 <= dhi else min(abs(dlo), abs(dhi))
    dmax = max(abs(dlo), abs(dhi))

    def se(s1, s2):
        if welch:
            return math.sqrt(s1 ** 2 / n1 + s2 ** 2 / n2)
        pooled = ((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2)
        return math.sqrt(pooled * (1 / n1 + 1 / n2))

    se_lo, se_hi = se(s1lo, s2lo), se(s1hi, s2hi)
    hi = dmax / se_lo if se_lo > 0 else math.inf
    lo = dmin / se_hi if se_hi > 0 else (0.0 if dmin == 0 else math.inf)
    if not welch:
        return lo, hi, (n1 + n2 - 2, n1 + n2 - 2)
    # The Welch df is not monotone in the SDs, but it barely moves over a rounding box:
    # corners and centre bound it closely enough for a P.
    pts = [(a, b) for a in (s1lo, s1hi, (s1lo + s1hi) / 2) for b in (s2lo, s2hi, (s2lo + s2hi) / 2)]
    dfs = [_welch_df(a, b, n1, n2) for a, b in pts]
    return lo, hi, (min(dfs), max(dfs))


def _anova(groups) -> tuple[float, float]:
    """The one-way F range over the box."""
    n = np.array([g[2] for g in groups], float)
    lo = np.array([g[0][0] for g in groups])
    hi = np.array([g[0][1] for g in groups])
    k, N = len(n), n.sum()

    def ssb(m):
        return float(n @ (m - n @ m / N) ** 2)

    def grad(m):
        return 2 * n * (m - n @ m / N)

    # SSB is convex in the means: its maximum over the box is at a corner ...
    corners = itertools.product(*zip(lo, hi)) if k <= 12 else [lo, hi]
    ssb_max = max(ssb(np.array(c)) for c in corners)
    # ... and a local minimum found from the centre is the global one.
    if lo.max() <= hi.min():
        ssb_min = 0.0
    else:
        res = optimize.minimize(ssb, (lo + hi) / 2, jac=grad, bounds=list(zip(lo, hi)),
                                method="L-BFGS-B")
        ssb_min = max(min(float(res.fun), ssb((lo + hi) / 2)), 0.0)
    ssw = lambda col: float(((n - 1) * np.array([g[1][col] for g in groups]) ** 2).sum())
    ssw_lo, ssw_hi = ssw(0), ssw(1)
    f_lo = ssb_min / (k - 1) / (ssw_hi / (N - k)) if ssw_hi > 0 else math.inf
    f_hi = ssb_max / (k - 1) / (ssw_lo / (N - k)) if ssw_lo > 0 else math.inf
    return f_lo, (f_hi if ssb_max > 0 else 0.0)


def means_methods(groups) -> dict[str, Method]:
    """Every method that applies to these groups, by name."""
    out = {}
    k, N = len(groups), sum(g[2] for g in groups)

    def add(name, lo, hi, dist):
        p_lo, p_hi = _p_range(dist, lo, hi)
        out[name] = Method(name, lo, hi, p_lo, p_hi, dist)

    if k == 2:
        lo, hi, df = _two_group_t(groups, welch=False)
        add("student", lo, hi, ("t", (df,)))
        lo, hi, df = _two_group_t(groups, welch=True)
        add("welch", lo, hi, ("t", (df,)))
        add("z_unpooled", lo, hi, ("norm", ()))
        add("welch_f", lo ** 2, hi ** 2, ("f", ((1, 1), df)))
    f_lo, f_hi = _anova(groups)
    add("anova", f_lo, f_hi, ("f", ((k - 1, k - 1), (N - k, N - k))))
    return out


def _means_candidates(stat_name: str, k: int) -> list[str]:
    if stat_name == "t":
        return ["student", "welch"] if k == 2 else []
    return {"z": ["z_unpooled"], "f": ["anova", "welch_f"],
            "": ["student", "welch"] if k == 2 else ["anova"]}.get(stat_name, [])


# --------------------------------------------------------------------------------------
# kind = counts

def parse_counts(text: str) -> tuple[np.ndarray, list[list[int]], list[int]]:
    """``25,15/40; 23,17/40`` → (levels × groups table, printed counts per group, n per group)."""
    printed, ns, levels = [], [], []
    for i, part in enumerate(str(text).split(";"), 1):
        m = re.match(r"^(\d+(?:,\d+)*)(?:/(\d+))?$", _normalise(part))
        if not m:
            raise Unreadable("inputs", f"group {i} {part.strip()!r} is not counts[/n]")
        counts = [int(c) for c in m.group(1).split(",")]
        n = int(m.group(2)) if m.group(2) else sum(counts)
        if n == 0:
            raise Unreadable("inputs", f"group {i} has n = 0")
        if sum(counts) > n:
            raise Unreadable("inputs", f"group {i} counts sum to {sum(counts)} > n = {n}")
        printed.append(counts)
        ns.append(n)
        levels.append(len(counts))
    if len(printed) < 2:
        raise Unreadable("inputs", "fewer than two groups")
    if len(set(levels)) > 1:
        raise Unreadable("inputs", f"groups have different numbers of levels {levels}")
    # A yes-count's complement, or the remainder of incomplete levels, is one more level.
    short = any(sum(c) < n for c, n in zip(printed, ns)) or levels[0] == 1
    table = [c + [n - sum(c)] if short else c for c, n in zip(printed, ns)]
    return np.array(table, dtype=np.int64).T, printed, ns


def _fisher_rxc(table: np.ndarray) -> tuple[float, float]:
    """Exact Fisher P for an r×c table (R's fisher.test), as an interval; Monte Carlo if huge."""
    t = table if table.shape[0] <= table.shape[1] else table.T
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    r = len(rows)
    # log P(table) = const - Σ log nᵢⱼ!; enumerate tables column by column.
    const = (special.gammaln(rows + 1).sum() + special.gammaln(cols + 1).sum()
             - special.gammaln(rows.sum() + 1))
    observed = -special.gammaln(t + 1).sum()
    rem, acc = rows[None, :].astype(np.int64), np.zeros(1)
    for c in cols[:-1]:
        if math.comb(int(c) + r - 1, r - 1) * len(acc) > FISHER_LIMIT:
            return _fisher_monte_carlo(table)
        splits = np.array([s for s in itertools.product(range(c + 1), repeat=r - 1)
                           if sum(s) <= c], dtype=np.int64).reshape(-1, r - 1)
        splits = np.column_stack([splits, c - splits.sum(axis=1)])
        new = rem[:, None, :] - splits[None, :, :]
        ok = (new >= 0).all(axis=2)
        weights = -special.gammaln(splits + 1).sum(axis=1)
        acc = (acc[:, None] + weights[None, :])[ok]
        rem = new[ok]
    acc = acc - special.gammaln(rem + 1).sum(axis=1)
    p = float(np.exp(const + acc[acc <= observed + math.log1p(1e-7)]).sum())
    return min(p, 1.0), min(p, 1.0)


def _fisher_monte_carlo(table: np.ndarray) -> tuple[float, float]:
    method = stats.MonteCarloMethod(n_resamples=MC_RESAMPLES, rng=np.random.default_rng(0))
    p = float(stats.fisher_exact(table, method=method).pvalue)
    half = 3 * math.sqrt(p * (1 - p) / MC_RESAMPLES) + 1 / MC_RESAMPLES
    return max(p - half, 0.0), min(p + half, 1.0)


def _ordinal_data(table: np.ndarray):
    """Expanded ordinal data per group (scores 1..k in printed level order)."""
    scores = np.arange(1, table.shape[0] + 1)
    return [np.repeat(scores, table[:, j]) for j in range(table.shape[1])]


def counts_methods(table: np.ndarray, ordered: bool) -> dict[str, Method]:
    """Every method that applies to this levels × groups table, by name (Fisher is lazy)."""
    out: dict[str, Method] = {}
    levels, groups = table.shape
    df = (levels - 1) * (groups - 1)

    def add(name, value, p, dist):
        out[name] = Method(name, value, value, p, p, dist)

    chi = lambda x: ("chi2", ((x, x),))
    pearson = stats.chi2_contingency(table, correction=False)
    add("pearson", pearson.statistic, pearson.pvalue, chi(df))
    g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    add("lr", g.statistic, g.pvalue, chi(df))
    if table.shape == (2, 2):
        yates = stats.chi2_contingency(table, correction=True)
        add("yates", yates.statistic, yates.pvalue, chi(1))
        add("z_prop", math.sqrt(pearson.statistic), pearson.pvalue, ("norm", ()))
        add("z_prop_yates", math.sqrt(yates.statistic), yates.pvalue, ("norm", ()))
    if ordered or levels > 2:
        # Scores 1..k for levels and 1..g for groups; r weighted by the cell counts.
        rows, cols = np.indices(table.shape)
        w = table.ravel().astype(float)
        x, y, N = rows.ravel() + 1.0, cols.ravel() + 1.0, w.sum()
        cov = w @ ((x - w @ x / N) * (y - w @ y / N))
        var = (w @ (x - w @ x / N) ** 2) * (w @ (y - w @ y / N) ** 2)
        m2 = (N - 1) * cov ** 2 / var if var > 0 else 0.0
        add("lbl", m2, float(stats.chi2.sf(m2, 1)), chi(1))
    if ordered:
        data = _ordinal_data(table)
        h = stats.kruskal(*data)
        add("kruskal", h.statistic, h.pvalue, chi(groups - 1))
        if groups == 2:
            x, y = data
            n1, n2, N = len(x), len(y), len(x) + len(y)
            u1 = float(stats.mannwhitneyu(x, y, method="asymptotic").statistic)
            ties = table.sum(axis=1)
            sd = math.sqrt(n1 * n2 / 12 * (N + 1 - (ties ** 3 - ties).sum() / (N * (N - 1))))
            diff = abs(u1 - n1 * n2 / 2)
            for name, z in (("ranksum", diff / sd), ("ranksum_cc", max(diff - 0.5, 0) / sd)):
                add(name, z, float(2 * stats.norm.sf(z)), ("norm", ()))
            add("u_first", u1, math.nan, None)
            add("u_min", min(u1, n1 * n2 - u1), math.nan, None)
    return out


def _fisher(table: np.ndarray) -> Method:
    if table.shape == (2, 2):
        p = float(stats.fisher_exact(table).pvalue)
        p_lo, p_hi = p, p
    else:
        p_lo, p_hi = _fisher_rxc(table)
    return Method("fisher", math.nan, math.nan, p_lo, p_hi, None)


def _counts_candidates(stat_name: str) -> list[str]:
    return {"chi2": ["pearson", "yates", "lr", "lbl", "kruskal"],
            "z": ["z_prop", "z_prop_yates", "ranksum", "ranksum_cc"],
            "h": ["kruskal"], "u": ["u_first", "u_min"],
            "": ["pearson", "yates", "lr", "fisher", "lbl", "ranksum", "ranksum_cc",
                 "kruskal"]}.get(stat_name, [])


def parse_percents(text: str, printed: list[list[int]]) -> list[list[float | None]]:
    """``62.50,37.50; 57.50,42.50`` in the layout of the printed counts (None: not printed)."""
    parts = str(text).split(";")
    if len(parts) != len(printed):
        raise Unreadable("percents", f"{len(parts)} groups, the inputs have {len(printed)}")
    out = []
    for i, (part, counts) in enumerate(zip(parts, printed), 1):
        cells = [c.strip() for c in part.split(",")]
        if len(cells) != len(counts):
            raise Unreadable("percents", f"group {i} has {len(cells)} percentages for "
                                         f"{len(counts)} counts")
        try:
            out.append([printed_interval(c.rstrip("%")) for c in cells])
        except ValueError as err:
            raise Unreadable("percents", f"group {i}: {err}") from None
    return out


def percent_misfits(percents, printed, ns) -> list[str]:
    """The printed percentages that do not contain count / n · 100, n the group's n."""
    bad = []
    for j, (group, counts, n) in enumerate(zip(percents, printed, ns), 1):
        for i, (iv, c) in enumerate(zip(group, counts), 1):
            if iv is not None and not _overlap(iv, (100 * c / n, 100 * c / n)):
                bad.append(f"group {j} level {i}: {(iv[0] + iv[1]) / 2:g}% but {c}/{n} = "
                           f"{100 * c / n:.2f}%")
    return bad


def _percent_hint(percents, printed, ns) -> str:
    """Another denominator all the printed percentages fit, so a reader sees the layout."""
    total = sum(ns)
    if not percent_misfits(percents, printed, [total] * len(ns)):
        return f" (all fit count/{total}, the total of the groups)"
    level_totals = [sum(col) for col in zip(*printed)]
    rows = [[100 * c / t if t else math.nan for c, t in zip(counts, level_totals)]
            for counts in printed]
    fits = all(iv is None or _overlap(iv, (x, x))
               for group, xs in zip(percents, rows) for iv, x in zip(group, xs))
    return " (all fit count/level total, row percentages)" if fits else ""


# --------------------------------------------------------------------------------------
# One row

_STAT_NAMES = {"t": "t", "chi2": "chi2", "χ2": "chi2", "x2": "chi2", "chisq": "chi2",
               "chi-square": "chi2", "z": "z", "u": "u", "f": "f", "h": "h", "": ""}


def _fields(row: dict) -> dict:
    get = lambda c: "" if row.get(c) is None or (isinstance(row.get(c), float)
                                                 and math.isnan(row[c])) else str(row[c]).strip()
    f = {c: get(c) for c in COLUMNS}
    key = unicodedata.normalize("NFKC", f["stat_name"]).lower().replace(" ", "")
    if key not in _STAT_NAMES:
        raise Unreadable("stat_name", f"{f['stat_name']!r} is not t, chi2, z, f, u, h or empty")
    f["stat_name"] = _STAT_NAMES[key]
    f["kind"] = f["kind"].lower()
    if f["kind"] not in ("means", "counts", "other"):
        raise Unreadable("kind", f"{f['kind']!r} is not means, counts or other")
    ordered = f["ordered"].lower()
    if ordered not in ("yes", "no", ""):
        raise Unreadable("ordered", f"{f['ordered']!r} is not yes or no")
    f["ordered"] = ordered == "yes"
    try:
        f["df"] = tuple(float(d) for d in _normalise(f["df"]).split(",")) if f["df"] else None
    except ValueError:
        raise Unreadable("df", f"{f['df']!r} is not a df or a df pair") from None
    return f


def _check(row: dict) -> dict:
    f = _fields(row)
    stat = _stat_interval(f["statistic"])
    P = _p_interval(f["p"])
    if stat is None and P is None:
        raise Unreadable("statistic", "neither a statistic nor a P is printed")
    if stat is not None and not f["stat_name"]:
        raise Unreadable("stat_name", "a statistic is printed without its name")
    S, negative = stat if stat else (None, False)
    notes = ["printed negative, compared as |statistic|"] if negative else []
    out = dict(methods="", stat_range="", p_follows_statistic="", p_follows_inputs="",
               percents_fit="")
    problems, misfits, hint = [], [], ""

    def yes(flag):
        return "yes" if flag else "no"

    if f["kind"] == "means":
        groups = parse_means(f["inputs"])
        everything = means_methods(groups)
        names = _means_candidates(f["stat_name"], len(groups))
        p_names = names
        shape = f"{len(groups)} groups"
    elif f["kind"] == "counts":
        table, printed, ns = parse_counts(f["inputs"])
        if f["percents"]:
            percents = parse_percents(f["percents"], printed)
            misfits = percent_misfits(percents, printed, ns)
            out["percents_fit"] = yes(not misfits)
            hint = _percent_hint(percents, printed, ns) if misfits else ""
        table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
        everything = counts_methods(table, f["ordered"]) if min(table.shape) >= 2 else {}
        names = _counts_candidates(f["stat_name"]) if everything else []
        # A printed statistic's P may come from Fisher (small counts); a U's P from its Z.
        extra = ["ranksum", "ranksum_cc"] if f["stat_name"] == "u" else []
        p_names = names + extra + ["fisher"] if f["stat_name"] else names
        if "fisher" in p_names and P is not None and everything:
            everything["fisher"] = _fisher(table)
        shape = f"a {table.shape[0]}×{table.shape[1]} table"
    else:
        everything, names, p_names, shape = {}, [], [], ""
    cands = [everything[n] for n in names if n in everything]
    p_cands = [everything[n] for n in p_names if n in everything]

    # P from the printed statistic: each candidate's law, or the law the name and df give.
    dists = [_with_df(m.dist, f["df"]) for m in cands if m.dist]
    if not dists and _default_dist(f["stat_name"], f["df"]):
        dists = [_default_dist(f["stat_name"], f["df"])]
    if S is not None and P is not None and dists:
        ranges = [_p_range(d, *S) for d in dists]
        out["p_follows_statistic"] = yes(any(_overlap(r, P) for r in ranges))
        if out["p_follows_statistic"] == "no":
            lo, hi = min(r[0] for r in ranges), max(r[1] for r in ranges)
            problems.append(f"P {f['p']} does not follow from the statistic {f['statistic']} "
                            f"(P {_fmt_p(lo, hi)})")

    if not cands:
        if f["kind"] == "other":
            why = "kind other: not recomputable from the table"
        elif f["kind"] == "counts" and not everything:
            why = f"{shape} after dropping empty levels or groups"
        else:
            why = f"no method computes {f['stat_name'] or 'a P'} from {f['kind']} of {shape}"
        if misfits:
            problems.append("percentages do not fit count/n: " + "; ".join(misfits) + hint)
        out["verdict"] = "inconsistent" if problems else "not recomputable"
        out["reason"] = "; ".join(problems + [why] + notes)
        return out

    if P is not None:
        p_fit = [m for m in p_cands if _overlap((m.p_lo, m.p_hi), P)]
        out["p_follows_inputs"] = yes(p_fit)
    if S is not None:
        fit = [m for m in cands if _overlap((m.lo, m.hi), S)]
        best = fit[0] if fit else min(cands, key=lambda m: max(S[0] - m.hi, m.lo - S[1]))
        out["methods"] = ";".join(m.name for m in fit)
        if not fit:
            tried = ", ".join(f"{m.name} {_fmt_range(m.lo, m.hi)}" for m in cands)
            problems.insert(0, f"statistic {f['statistic']} not reproduced ({tried})")
    else:
        best = p_fit[0] if p_fit else p_cands[0]
        out["methods"] = ";".join(m.name for m in p_fit)
    if not math.isnan(best.lo):
        out["stat_range"] = _fmt_range(best.lo, best.hi)
    # a P is computed from the data, not from the rounded statistic: it must follow from the
    # inputs too (a P truncated where it should be rounded is a misprint)
    if P is not None and out["p_follows_inputs"] == "no":
        tried = ", ".join(f"{m.name} {_fmt_p(m.p_lo, m.p_hi)}" for m in p_cands)
        problems.append(f"P {f['p']} does not follow from the inputs ({tried})")
    if misfits:
        problems.append("percentages do not fit count/n: " + "; ".join(misfits) + hint)
    out["verdict"] = "inconsistent" if problems else "consistent"
    out["reason"] = "; ".join(problems + notes)
    return out


def check_row(row: dict) -> dict:
    """The row's input columns (as strings) followed by the checks (``ADDED`` columns)."""
    out = {c: "" if row.get(c) is None else str(row.get(c)) for c in COLUMNS}
    try:
        with np.errstate(all="ignore"):
            out.update(_check(row))
    except Unreadable as err:
        out.update({c: "" for c in ADDED}, verdict="unreadable",
                   reason=f"column {err.column!r}: {err}")
    return out


# --------------------------------------------------------------------------------------
# Articles

def read_truth(path: Path) -> tuple[list[tuple[int, dict | str]], list[str]]:
    """The rows of a truth.csv as (file line, row dict or a problem), and file-level problems."""
    problems, rows = [], []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            problems.append(f"{path}: header lacks column(s) {', '.join(missing)}")
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                rows.append((line, f"column '(row)': {err}"))
                continue
            if not any(x.strip() for x in fields):
                continue
            if len(fields) != len(header):
                rows.append((line, f"column '(all)': {len(fields)} fields, the header has "
                                   f"{len(header)} (quote a cell holding commas)"))
                continue
            rows.append((line, dict(zip(header, fields))))
    return rows, problems


def check_article(folder: Path | str) -> pd.DataFrame:
    """Every row of the folder's truth.csv checked; columns ``OUT_COLUMNS``, all strings.

    An unreadable row's ``reason`` names its row (1 = first data row), file line and column;
    ``df.attrs["problems"]`` lists file-level problems.
    """
    folder = Path(folder)
    rows, problems = read_truth(folder / "truth.csv")
    out = []
    for number, (line, row) in enumerate(rows, 1):
        if isinstance(row, str):
            checked = {**{c: "" for c in OUT_COLUMNS}, "verdict": "unreadable", "reason": row}
        else:
            try:
                checked = check_row(row)
            except Exception as err:  # a bug must cost one row, not the run
                checked = {**{c: "" for c in COLUMNS}, **{c: "" for c in ADDED},
                           "verdict": "unreadable", "reason": f"column '(row)': {err!r}"}
        if checked["verdict"] == "unreadable":
            checked["reason"] = f"row {number} (line {line}), {checked['reason']}"
        out.append(checked)
    df = pd.DataFrame(out, columns=OUT_COLUMNS, dtype=str)
    df.attrs["problems"] = problems  # file-level: a header lacking columns
    return df


def source_url(folder: Path | str) -> str | None:
    """The ``source:`` of paper.md's YAML front matter."""
    paper = Path(folder) / "paper.md"
    if not paper.exists():
        return None
    lines = paper.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if line.startswith("source:"):
            return line.split(":", 1)[1].strip().strip("\"'") or None
    return None


def set_of_url(url: str) -> str:
    """README's rule: held-out when the SHA-256 of the URL, as a number, is divisible by 3."""
    return "held-out" if int(hashlib.sha256(url.encode("utf-8")).hexdigest(), 16) % 3 == 0 \
        else "development"


def article_set(folder: Path | str) -> str:
    """``development``, ``held-out``, or ``unknown`` when paper.md gives no source."""
    url = source_url(folder)
    return set_of_url(url) if url else "unknown"


def write_checked(df: pd.DataFrame, path: Path) -> None:
    # csv rather than DataFrame.to_csv: every cell is already a formatted string.
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(OUT_COLUMNS)
        writer.writerows(df[OUT_COLUMNS].fillna("").itertuples(index=False, name=None))


def _counts(df: pd.DataFrame) -> dict[str, int]:
    return {"rows": len(df), **{v: int((df["verdict"] == v).sum()) for v in VERDICTS}}


def _summary(name: str, counts: dict[str, int]) -> str:
    return (f"{name:<32} rows {counts['rows']:>4}  consistent {counts['consistent']:>4}  "
            f"inconsistent {counts['inconsistent']:>4}  not recomputable "
            f"{counts['not recomputable']:>4}  unreadable {counts['unreadable']:>4}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        folders = [Path(a) if Path(a).is_dir() or "/" in a else CORPUS / a for a in args]
    else:
        folders = sorted(p.parent for p in CORPUS.glob("*/truth.csv"))
    totals: dict[str, dict[str, int]] = {}
    articles: dict[str, int] = {}
    for folder in folders:
        truth = folder / "truth.csv"
        if not truth.exists():
            print(f"{truth}: missing, skipped")
            continue
        try:
            df = check_article(folder)
        except (OSError, UnicodeDecodeError, csv.Error) as err:
            print(f"{truth}: unreadable file ({err}), skipped")
            continue
        for problem in df.attrs["problems"]:
            print(problem)
        for reason in df.loc[df["verdict"] == "unreadable", "reason"]:
            print(f"{truth}: {reason}")
        write_checked(df, folder / "truth_checked.csv")
        which = article_set(folder)
        counts = _counts(df)
        print(_summary(f"{folder.name} [{which}]", counts))
        for key in ("total", which):
            articles[key] = articles.get(key, 0) + 1
            agg = totals.setdefault(key, dict.fromkeys(counts, 0))
            for c, v in counts.items():
                agg[c] += v
    for key in ("development", "held-out", "unknown", "total"):
        if key in totals:
            print(_summary(f"{key} ({articles[key]} articles)", totals[key]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
