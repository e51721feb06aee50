r"""The split-plot (mixed) repeated-measures ANOVA from cell means, SDs and n.

Design: G arms (between subjects, n_g subjects each, N = Σ n_g), T time points
(within subjects). Only the cell means ȳ_gt and SDs s_gt are printed; the
within-subject correlations are not.

Identities (sphericity-assumed univariate tests, as SPSS GLM prints them)
-------------------------------------------------------------------------
Let S_g be arm g's T×T sample covariance matrix and S_p = Σ(n_g−1)S_g/(N−G)
the pooled within-arm covariance matrix. Its trace is known from the SDs,
tr S_p = Σ_t Σ_g (n_g−1)s_gt²/(N−G); its sum Σ = 1'S_p1 is not, because it
holds the covariances. M is any T×(T−1) orthonormal contrast matrix
(MM' = I − 11'/T). Then

* SS_group = T·Σ_g n_g(ā_g − ā)², ā_g = mean_t ȳ_gt, ā = n-weighted mean of ā_g;
  MS_error(between) = Σ/T, df N − G.
* SS_time (Type III, SPSS) = Σ_t(m_t − m̄)²/c, m_t = (1/G)Σ_g ȳ_gt, c = Σ_g(1/n_g)/G².
  Type I (R's ``aov``) uses n-weighted means and c = 1/N instead.
* SS_time×group = Σ_g n_g Σ_t(e_gt − ē_g)², e_gt = ȳ_gt − n-weighted mean of ȳ_·t.
* MS_error(within) = tr(M'S_pM)/(T−1) = (tr S_p − Σ/T)/(T−1), df (N−G)(T−1).

So F_time/F_time×group = (G−1)·SS_time/SS_time×group is fixed by the means and n
alone (both share the within error); and each F fixes Σ given the means:

    Σ = T·SS_group/((G−1)·F_group)
    Σ = T·(tr S_p − SS_time/F_time)
    Σ = T·(tr S_p − SS_time×group/((G−1)·F_time×group)).

Σ is admissible when each arm's covariance matrix is positive semi-definite
with the printed SDs: Σ_g(n_g−1)·max(0, 2·max_t s_gt − Σ_t s_gt)² ≤ (N−G)·Σ ≤
Σ_g(n_g−1)(Σ_t s_gt)². The implied average correlation is
r̄ = (Σ − tr S_p)/C, C = Σ_{t≠u} Σ_g(n_g−1)s_gt s_gu/(N−G) (r̄ = 1 at the top of
the range).

Greenhouse–Geisser and Huynh–Feldt multiply both df by ε (1/(T−1) ≤ ε ≤ 1);
F is unchanged, P grows.

Multivariate tests (the alternative SPSS prints first)
------------------------------------------------------
With two arms each within-subject hypothesis has rank 1, so Pillai, Wilks,
Hotelling and Roy give one exact F on (p, N−G−p+1) df, p = T−1:
F = (N−G−p+1)/p · T²/(N−G), with T²_time = m'M(M'S_pM)⁻¹M'm/c and
T²_time×group = (n1·n2/N)·d'M(M'S_pM)⁻¹M'd, d = ȳ_1 − ȳ_2. These depend on the
whole of S_p, not only on Σ; :func:`multivariate_search` looks for arm
correlation matrices that give printed F values (constructive: a solution found
proves feasibility; none found is numerical evidence only). The group test is
the same univariate F in both outputs.

References
----------
Winer BJ, Brown DR, Michels KM. Statistical Principles in Experimental Design,
3rd ed. McGraw-Hill 1991, ch. 7. O'Brien RG, Kaiser MK. MANOVA method for
analyzing repeated measures designs. Psychol Bull 1985;97:316-33.
doi:10.1037/0033-2909.97.2.316
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ..printed import Printed
from .rounding import bounds, convex_range

__all__ = ["SplitPlot", "split_plot", "split_plot_ss", "implied_sum", "f_range", "f_pvalue",
           "epsilon_for_p", "PairedThreshold", "paired_threshold", "EFFECTS",
           "MultivariateFit", "multivariate_f", "multivariate_search"]

EFFECTS = ("group", "time", "interaction")
SS_TYPES = ("III", "I")


def _matrix(x, name: str) -> list[list]:
    rows = [list(r) for r in x]
    if len(rows) < 2 or len({len(r) for r in rows}) != 1 or len(rows[0]) < 2:
        raise ValueError(f"{name} must be a G×T table with G >= 2 arms and T >= 2 times")
    return rows


def split_plot_ss(means, n, *, ss_type: str = "III") -> dict[str, float]:
    """Hypothesis sums of squares of the split-plot ANOVA from cell means.

    Parameters
    ----------
    means : array-like, shape (G, T)
    n : sequence of int, length G

    Returns
    -------
    dict with keys ``group``, ``time``, ``interaction``.
    """
    if ss_type not in SS_TYPES:
        raise ValueError(f"ss_type must be one of {SS_TYPES}, got {ss_type!r}")
    y = np.asarray(means, float)
    w = np.asarray(n, float)
    if y.ndim != 2 or w.shape != (y.shape[0],) or np.any(w < 1):
        raise ValueError("means must be G×T and n must hold G positive counts")
    g, t = y.shape
    big_n = w.sum()
    arm = y.mean(axis=1)
    ss_group = t * float((w * (arm - (w @ arm) / big_n) ** 2).sum())
    wmean = (w @ y) / big_n
    if ss_type == "III":
        m = y.mean(axis=0)
        c = float((1 / w).sum()) / g ** 2
    else:
        m, c = wmean, 1 / big_n
    ss_time = float(((m - m.mean()) ** 2).sum() / c)
    e = y - wmean
    e = e - e.mean(axis=1, keepdims=True)
    ss_int = float((w[:, None] * e ** 2).sum())
    return {"group": ss_group, "time": ss_time, "interaction": ss_int}


@dataclass(frozen=True)
class SplitPlot:
    """Split-plot ANOVA quantities over the rounding intervals of the inputs.

    Every ``(low, high)`` pair is a range over the input intervals (and over
    SS types I and III when both are asked for).
    """

    n: tuple[int, ...]
    times: int
    ss: dict
    trace: tuple[float, float]
    sum_admissible: tuple[float, float]
    trace_point: float
    cross_point: float
    df: dict

    @property
    def arms(self) -> int:
        return len(self.n)

    def average_correlation(self, total: float) -> float:
        """r̄ for a covariance sum Σ, at the printed SDs."""
        return (total - self.trace_point) / self.cross_point

    def to_frame(self) -> pd.DataFrame:
        rows = [{"quantity": f"SS_{k}", "low": v[0], "high": v[1]} for k, v in self.ss.items()]
        rows += [{"quantity": "trace(S_p)", "low": self.trace[0], "high": self.trace[1]},
                 {"quantity": "1'S_p1 admissible", "low": self.sum_admissible[0],
                  "high": self.sum_admissible[1]}]
        return pd.DataFrame(rows)


def split_plot(means, sds, n, *, ss_types: tuple[str, ...] = ("III",)) -> SplitPlot:
    """Split-plot ANOVA building blocks from printed cell means and SDs.

    Parameters
    ----------
    means, sds : G×T tables of :class:`~analysis.printed.Printed` or float
    n : sequence of int, one per arm
    ss_types : which SS types to take the union over (``"III"`` is SPSS's default).

    Notes
    -----
    The hypothesis SS are convex quadratics in the means, so their exact range
    over the box of mean intervals comes from :func:`~.rounding.convex_range`.
    tr S_p and the admissible ends of Σ are monotone in each SD.
    """
    means = _matrix(means, "means")
    sds = _matrix(sds, "sds")
    g, t = len(means), len(means[0])
    if len(sds) != g or len(sds[0]) != t or len(n) != g:
        raise ValueError("means, sds and n must agree in arms and times")
    n = tuple(int(v) for v in n)
    if any(v < 2 for v in n):
        raise ValueError("every arm needs n >= 2")
    mb = np.array([[bounds(v) for v in row] for row in means])
    sb = np.array([[bounds(v) for v in row] for row in sds])
    if np.any(sb[..., 0] < 0):
        raise ValueError("SDs must be non-negative")
    lo, hi = mb[..., 0].ravel(), mb[..., 1].ravel()
    ss = {}
    for eff in EFFECTS:
        ranges = [convex_range(lambda x, k=k: split_plot_ss(x.reshape(g, t), n, ss_type=k)[eff], lo, hi)
                  for k in ss_types]
        ss[eff] = (min(r[0] for r in ranges), max(r[1] for r in ranges))
    w = np.array(n, float) - 1
    dfe = w.sum()
    trace = tuple(float((w[:, None] * sb[..., i] ** 2).sum() / dfe) for i in (0, 1))
    # Lower end: max_j min over the box of (s_j − Σ_{k≠j} s_k), a lower bound of the
    # smallest variance of a sum, so the admissible range can only be too wide.
    low_parts = []
    for a in range(g):
        worst = max(sb[a, j, 0] - (sb[a, :, 1].sum() - sb[a, j, 1]) for j in range(t))
        low_parts.append(max(0.0, worst) ** 2)
    admissible = (float(w @ np.array(low_parts)) / dfe,
                  float(w @ sb[..., 1].sum(axis=1) ** 2) / dfe)
    s_mid = sb.mean(axis=2)
    trace_point = float((w[:, None] * s_mid ** 2).sum() / dfe)
    cross_point = float(sum(w[a] * (s_mid[a].sum() ** 2 - (s_mid[a] ** 2).sum()) for a in range(g)) / dfe)
    big_n = sum(n)
    df = {"group": (g - 1, big_n - g), "time": (t - 1, (big_n - g) * (t - 1)),
          "interaction": ((g - 1) * (t - 1), (big_n - g) * (t - 1))}
    return SplitPlot(n=n, times=t, ss=ss, trace=trace, sum_admissible=admissible,
                     trace_point=trace_point, cross_point=cross_point, df=df)


def implied_sum(sp: SplitPlot, effect: str, f: Printed | float) -> tuple[float, float]:
    """Range of Σ = 1'S_p1 that makes ``effect``'s F equal the printed F (see module Notes)."""
    if effect not in EFFECTS:
        raise ValueError(f"effect must be one of {EFFECTS}, got {effect!r}")
    f_lo, f_hi = bounds(f)
    if f_hi <= 0:
        raise ValueError("F must be positive to imply an error mean square")
    f_lo = max(f_lo, 0.0)  # a printed "0.000" allows F down to 0: an unbounded error MS

    def ratio(ss, f_value):
        return ss / f_value if f_value > 0 else math.inf

    df1 = sp.df[effect][0]
    ss_lo, ss_hi = sp.ss[effect]
    t = sp.times
    if effect == "group":
        return (t * ss_lo / (df1 * f_hi), t * ratio(ss_hi, df1 * f_lo))
    k = sp.df["time"][0] / df1  # MS_w = SS/(df1·F); Σ = T(tr − (T−1)·MS_w)
    return (t * (sp.trace[0] - k * ratio(ss_hi, f_lo)), t * (sp.trace[1] - k * ss_lo / f_hi))


def f_range(sp: SplitPlot, effect: str) -> tuple[float, float]:
    """Smallest and largest F of ``effect`` that data with the printed means and SDs give.

    Notes
    -----
    The inverse of :func:`implied_sum`. With T time points, hypothesis SS and df₁, trace
    tr of the pooled covariance matrix and the sum Σ of its entries (``1'S_p1``):

    * group: :math:`F = T\\,SS / (df_1 Σ)`;
    * time, interaction: :math:`F = (T-1)\\,SS / (df_1 (tr - Σ/T))`.

    Taking SS, tr and Σ over their ranges (rounding intervals of the printed means
    and SDs; Σ over what positive semi-definite matrices with those SDs allow) gives
    the bounds; an infinite upper bound means the error mean square can reach 0.
    The same box as :func:`implied_sum`'s, so a printed F outside this range is exactly
    an F whose implied Σ no admissible matrix has. No R equivalent (closed form).
    """
    t_ = sp.times
    ss_lo, ss_hi = sp.ss[effect]
    adm_lo, adm_hi = sp.sum_admissible
    df1 = sp.df[effect][0]
    if effect == "group":
        return (t_ * ss_lo / (df1 * adm_hi),
                t_ * ss_hi / (df1 * adm_lo) if adm_lo > 0 else math.inf)
    low_error = sp.trace[0] - adm_hi / t_
    return ((t_ - 1) * ss_lo / (df1 * (sp.trace[1] - adm_lo / t_)),
            (t_ - 1) * ss_hi / (df1 * low_error) if low_error > 0 else math.inf)


def f_pvalue(f: float, df1: float, df2: float) -> float:
    """Upper-tail P of an F statistic. R: ``pf(f, df1, df2, lower.tail = FALSE)``."""
    return float(stats.f.sf(f, df1, df2))


def epsilon_for_p(f: Printed | float, df1: int, df2: int, p: Printed, *,
                  grid: int = 2001) -> tuple[float, float] | None:
    """Range of the sphericity correction ε (1/df1 ≤ ε ≤ 1) under which F gives the printed P.

    Greenhouse–Geisser and Huynh–Feldt report F on (ε·df1, ε·df2) df. Returns
    ``None`` when no admissible ε does. ε is scanned on a fine grid (P is
    monotone in ε for fixed F).
    """
    f_lo, f_hi = bounds(f)
    p_lo, p_hi = p.interval
    ok = [e for e in np.linspace(1 / df1, 1.0, grid)
          if f_pvalue(f_hi, e * df1, e * df2) <= p_hi and f_pvalue(f_lo, e * df1, e * df2) >= p_lo]
    return (float(min(ok)), float(max(ok))) if ok else None


@dataclass(frozen=True)
class PairedThreshold:
    """A within-arm paired comparison whose correlation r is not printed.

    The paired t is significant exactly when r > ``r_star``; ``r_star`` is a
    range over the input intervals. ``significant_possible``: some r ≤ 1 makes it
    significant; ``nonsignificant_possible``: some r ≥ −1 makes it not.
    """

    r_star: tuple[float, float]
    significant_possible: bool
    nonsignificant_possible: bool
    t_critical: float
    df: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"r_star_low": self.r_star[0], "r_star_high": self.r_star[1],
                              "significant_possible": self.significant_possible,
                              "nonsignificant_possible": self.nonsignificant_possible,
                              "t_critical": self.t_critical, "df": self.df}])


def paired_threshold(mean_a, sd_a, mean_b, sd_b, n: int, *, alpha: float = 0.05) -> PairedThreshold:
    """Smallest within-subject correlation that makes a paired difference significant.

    Notes
    -----
    Paired t = d/√((a² + b² − 2r·a·b)/n), df = n − 1, d = mean_a − mean_b, a and b
    the SDs. |t| ≥ t_crit ⇔ r ≥ r* = (a² + b² − n·d²/t_crit²)/(2ab). At r = 1 the
    variance is (a − b)², so significance is possible iff (a − b)² ≤ n·d²/t_crit²
    somewhere in the box; at r = −1 it is (a + b)². Both tests are exact over the
    intervals; the range of r* is taken on a 9×9 grid of SDs at the extreme |d|.
    R: ``t.test(x, y, paired = TRUE)`` on raw data.
    """
    if int(n) != n or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    (ma_lo, ma_hi), (mb_lo, mb_hi) = bounds(mean_a), bounds(mean_b)
    (a_lo, a_hi), (b_lo, b_hi) = bounds(sd_a), bounds(sd_b)
    if a_lo <= 0 or b_lo <= 0:
        raise ValueError("SDs must be positive")
    d_lo, d_hi = ma_lo - mb_hi, ma_hi - mb_lo
    abs_d_max = max(abs(d_lo), abs(d_hi))
    abs_d_min = 0.0 if d_lo <= 0 <= d_hi else min(abs(d_lo), abs(d_hi))
    df = int(n) - 1
    tc = float(stats.t.isf(alpha / 2, df))
    gap_min = max(0.0, a_lo - b_hi, b_lo - a_hi)
    sig_possible = gap_min ** 2 <= n * abs_d_max ** 2 / tc ** 2
    nonsig_possible = (a_hi + b_hi) ** 2 >= n * abs_d_min ** 2 / tc ** 2
    stars = [(a * a + b * b - n * d * d / tc ** 2) / (2 * a * b)
             for a, b in itertools.product(np.linspace(a_lo, a_hi, 9), np.linspace(b_lo, b_hi, 9))
             for d in (abs_d_min, abs_d_max)]
    return PairedThreshold(r_star=(float(min(stars)), float(max(stars))),
                           significant_possible=bool(sig_possible),
                           nonsignificant_possible=bool(nonsig_possible), t_critical=tc, df=df)


def _contrasts(t: int) -> np.ndarray:
    """A T×(T−1) orthonormal contrast matrix (columns orthogonal to the unit vector)."""
    q = np.linalg.qr(np.column_stack([np.ones(t), np.eye(t)[:, :t - 1]]))[0]
    return q[:, 1:]


def _multivariate_factory(means, sds, n):
    """Precompute what does not depend on the correlations; return R1, R2 -> F values."""
    y = np.asarray(means, float)
    s = np.asarray(sds, float)
    w = np.asarray(n, float)
    if y.shape[0] != 2 or s.shape != y.shape or w.shape != (2,):
        raise ValueError("the multivariate tests here handle two arms: means and sds of shape (2, T), two n")
    t = y.shape[1]
    dfe = w.sum() - 2
    m = _contrasts(t)
    p = t - 1
    scale = (dfe - p + 1) / (p * dfe)
    mu_m = y.mean(axis=0) @ m
    c = float((1 / w).sum()) / 4
    d_m = (y[0] - y[1]) @ m
    ss_group = split_plot_ss(y, w, ss_type="III")["group"]
    outer = [(w[g] - 1) / dfe * np.outer(s[g], s[g]) for g in range(2)]

    def fvalues(r1, r2) -> dict[str, float]:
        pooled = outer[0] * r1 + outer[1] * r2
        inner = m.T @ pooled @ m
        return {"group": float(ss_group / (pooled.sum() / t)),
                "time": float(scale * mu_m @ np.linalg.solve(inner, mu_m) / c),
                "interaction": float(scale * w[0] * w[1] / w.sum() * d_m @ np.linalg.solve(inner, d_m))}

    return fvalues


def multivariate_f(means, sds, n, correlations) -> dict[str, float]:
    """F for group (univariate), time and time×group (multivariate, exact for two arms).

    Parameters
    ----------
    means, sds : array-like, shape (2, T)
    n : two group sizes
    correlations : two T×T correlation matrices, one per arm

    Notes
    -----
    See the module notes. R: ``anova(lm(cbind(y1, …, yT) ~ group), X = ~1, test = "Pillai")``
    gives the same F for time×group.
    """
    r1, r2 = (np.asarray(r, float) for r in correlations)
    return _multivariate_factory(means, sds, n)(r1, r2)


@dataclass(frozen=True)
class MultivariateFit:
    """Result of :func:`multivariate_search`.

    ``found``: the printed F values are attainable together; ``f`` the F values at
    the point returned (for one effect, at the end of the search nearest the
    target); ``correlations`` the two arm matrices there (tuples of rows);
    ``bounds``: for a single effect, the smallest and largest F found.
    """

    found: bool
    f: dict
    correlations: tuple
    bounds: tuple[float, float] | None

    @property
    def correlation_range(self) -> tuple[float, float]:
        """Smallest and largest off-diagonal correlation of the returned point."""
        off = [r[j] for mat in self.correlations for i, r in enumerate(mat) for j in range(len(r)) if i != j]
        return (min(off), max(off))


def _correlation(theta: np.ndarray, t: int) -> np.ndarray:
    # Rows of a lower-triangular factor normalised to unit length give every
    # correlation matrix (positive semi-definite, unit diagonal).
    low = np.zeros((t, t))
    low[np.tril_indices(t)] = theta
    low /= np.maximum(np.linalg.norm(low, axis=1, keepdims=True), 1e-12)
    return low @ low.T


def _as_tuples(r1, r2) -> tuple:
    return tuple(tuple(tuple(float(v) for v in row) for row in r) for r in (r1, r2))


def multivariate_search(means, sds, n, targets: dict, *, starts: int = 4, seed: int = 0) -> MultivariateFit:
    """Are printed F values attainable under the multivariate tests for some arm correlations?

    Parameters
    ----------
    means, sds : (2, T) printed cell means and SDs (their printed values are used)
    n : two group sizes
    targets : ``{effect: Printed}`` for any of ``group``, ``time``, ``interaction``
    starts : random starts per search (deterministic for a ``seed``)

    Notes
    -----
    One effect: F is continuous on the connected set of correlation-matrix pairs,
    so every value between the smallest and largest F found is attained (the
    search minimises and maximises log F with L-BFGS from ``starts`` starts).
    Several effects: least squares on Σ(log F − log F_printed)² from ``starts``
    starts; found when all F values round to the printed ones. A failure is
    numerical evidence, not proof.
    """
    unknown = set(targets) - set(EFFECTS)
    if unknown or not targets:
        raise ValueError(f"targets must be a non-empty dict over {EFFECTS}, got {sorted(targets)}")
    y = [[sum(bounds(v)) / 2 for v in row] for row in means]
    s = [[sum(bounds(v)) / 2 for v in row] for row in sds]
    fvalues = _multivariate_factory(y, s, n)
    t = len(y[0])
    k = t * (t + 1) // 2
    effects = [e for e in EFFECTS if e in targets]
    rng = np.random.default_rng(seed)

    def at(x):
        r1, r2 = _correlation(x[:k], t), _correlation(x[k:], t)
        return fvalues(r1, r2), r1, r2

    def least_squares(n_starts):
        goal = np.log([sum(bounds(targets[e])) / 2 for e in effects])
        best_x, best_cost = None, np.inf
        for _ in range(n_starts):
            res = optimize.least_squares(
                lambda x: np.log([max(at(x)[0][e], 1e-300) for e in effects]) - goal,
                rng.normal(size=2 * k), max_nfev=300)
            f = at(res.x)[0]
            if all(bounds(targets[e])[0] <= f[e] <= bounds(targets[e])[1] for e in effects):
                return res.x, True
            if res.cost < best_cost:
                best_x, best_cost = res.x, res.cost
        return best_x, False

    if len(effects) > 1:
        x, found = least_squares(starts)
        f, r1, r2 = at(x)
        return MultivariateFit(found, f, _as_tuples(r1, r2), None)
    eff = effects[0]
    x, found = least_squares(1)
    if found:
        f, r1, r2 = at(x)
        return MultivariateFit(True, f, _as_tuples(r1, r2), None)
    lo, hi = bounds(targets[eff])
    ends = []
    for sign in (1.0, -1.0):  # the smallest F, then (if still needed) the largest
        best = None
        for _ in range(starts):
            res = optimize.minimize(lambda x: sign * np.log(max(at(x)[0][eff], 1e-300)),
                                    rng.normal(size=2 * k), method="L-BFGS-B", options={"maxiter": 300})
            if best is None or res.fun < best.fun:
                best = res
        ends.append(at(best.x))
        if sign > 0 and ends[0][0][eff] > hi:
            break
    f_min = ends[0][0][eff]
    f_max = ends[1][0][eff] if len(ends) > 1 else math.nan
    found = f_min <= hi and f_max >= lo  # then some point in between gives the printed F
    f, r1, r2 = ends[0] if len(ends) == 1 or abs(f_min - lo) <= abs(f_max - hi) else ends[1]
    return MultivariateFit(bool(found), f, _as_tuples(r1, r2), (f_min, f_max))
