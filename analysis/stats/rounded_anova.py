"""A k-group ANOVA P value that knows the printed rounding (Carlisle 2017).

A P value recomputed from printed means and SDs with the F distribution treats the printed
numbers as exact. They are not: a mean printed to whole units moves in steps, so two arms of
a large trial often print the same mean (F = 0, P = 1) far more often than continuous data
would, and the P values pile up at 1. The remedy is a Monte Carlo test under the null whose
simulated summaries are rounded as the paper printed them: P is then the chance that a
randomised trial *printing its numbers this way* shows an F at least as large as the one
printed.

:func:`rounded_anova` tests one variable; :func:`rounded_anova_batch` tests many variables of
one trial in one array operation (the corpus runner's unit of work); :func:`stouffer`
combines a trial's P values.

References
----------
Carlisle JB. Data fabrication and other reasons for non-random sampling in 5087 randomised,
controlled trials in anaesthetic and general medical journals. Anaesthesia 2017;72:944-52.
doi:10.1111/anae.13938
Bolland MJ, Gamble GD, Avenell A, Grey A. Rounding, but not randomization method,
non-normality, or correlation, affected baseline P-value distributions in randomized trials.
J Clin Epidemiol 2019;110:50-62. doi:10.1016/j.jclinepi.2019.03.001
Stouffer SA, Suchman EA, DeVinney LC, Star SA, Williams RM. The American Soldier, vol. 1.
Princeton University Press; 1949.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["RoundedAnova", "rounded_anova", "rounded_anova_batch", "stouffer", "TIES",
           "DEFAULT_DRAWS"]

TIES = ("random", "mid")
DEFAULT_DRAWS = 10_000


@dataclass(frozen=True)
class RoundedAnova:
    """One variable's ANOVA: the printed F, its F-distribution P (printed numbers taken as
    exact) and the rounding-aware Monte Carlo P.

    ``greater`` and ``equal`` count the simulated F values above and equal to the printed
    one, out of ``draws``; ``pvalue`` is built from them as ``ties`` says.
    """

    statistic: float
    df_between: int
    df_within: int
    pvalue_f: float
    pvalue: float
    draws: int
    greater: int
    equal: int
    ties: str

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def _grid(values: np.ndarray, decimals: np.ndarray, top: np.ndarray, *,
          inplace: bool = False) -> np.ndarray:
    """``values`` on a variable's common grid: in units of 10^-top, rounded to each group's
    printed decimals where they are given (NaN decimals: not rounded). With ``inplace``,
    ``values`` (a float array of the result's shape) is overwritten when every group is
    rounded, saving the large simulated arrays a copy."""
    rounded = ~np.isnan(decimals)
    d = np.where(rounded, decimals, 0.0)
    if rounded.all():
        out = np.multiply(values, 10.0 ** d, out=values if inplace else None)
        np.rint(out, out=out)
        out *= 10.0 ** (top - d)
        return out
    on_grid = np.rint(values * 10.0 ** d) * 10.0 ** (top - d)
    return np.where(rounded, on_grid, values * 10.0 ** top)


def _ratio(mean_units, sd_units, n, weight, scale2):
    """Between over within sums of squares, on the grids (constant factors dropped).

    The sums run group by group in a fixed order, so the same rounded summaries give the
    same float, bit for bit, whatever the array's shape: a simulated trial that prints the
    same numbers as the paper ties with it exactly.
    """
    k = mean_units.shape[-1]
    between = np.zeros(mean_units.shape[:-1])
    within = np.zeros(mean_units.shape[:-1])
    for i in range(k):
        within = within + weight[..., i] * scale2[..., i] * sd_units[..., i] ** 2
        for j in range(i + 1, k):
            between = between + n[..., i] * n[..., j] * (mean_units[..., i] - mean_units[..., j]) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = between / within
    return np.where(within > 0, ratio, np.where(between > 0, np.inf, 0.0))


def rounded_anova_batch(means, sds, n, *, mean_decimals, sd_decimals, sd_is_se=None,
                        draws: int = DEFAULT_DRAWS, rng: np.random.Generator,
                        ties: str = "random") -> dict[str, np.ndarray]:
    """Rounding-aware Monte Carlo ANOVA P values of V variables at once.

    Parameters
    ----------
    means, sds, n : array_like, shape (V, K)
        Each variable's printed group means, SDs and group sizes; a variable with fewer than
        K groups is padded with ``n = 0`` (its mean and SD are then ignored).
    mean_decimals, sd_decimals : array_like, shape (V, K)
        The decimals each number was printed with; NaN where the printed number is not the
        rounded quantity (it is then simulated without rounding).
    sd_is_se : array_like of bool, shape (V, K), optional
        True where the paper printed the standard error, the SD being SE·√n: the simulated
        SE is rounded, not the SD.
    draws : int
        Simulated trials per variable.
    rng : numpy.random.Generator
        The random stream; the draws are taken in a fixed order (all normals, all
        chi-squares, the phases, then the tie-breaking uniforms), so one stream gives one
        answer.
    ties : {"random", "mid"}
        How a simulated F equal to the printed one counts (see Notes).

    Returns
    -------
    dict of arrays, shape (V,)
        ``statistic`` (F from the printed numbers), ``df_between``, ``df_within``,
        ``pvalue_f`` (F distribution), ``greater``, ``equal``, ``pvalue``.

    Notes
    -----
    Under the null all groups come from one normal population, whose mean μ and SD σ are
    estimated from the printed numbers (the n-weighted mean of the means; the pooled SD
    √(Σ(nᵢ−1)sᵢ²/(N−k))). Each draw simulates every group's sample mean
    mᵢ ~ N(μ + φ, σ²/nᵢ) and sample SD sᵢ = σ·√(χ²(nᵢ−1)/(nᵢ−1)), the exact sampling
    distributions of normal data, rounds both to the printed decimals and computes
    F = [Σ nᵢ(mᵢ − m̄)²/(k−1)] / [Σ(nᵢ−1)sᵢ²/(N−k)]. The phase φ ~ U(−u/2, u/2), u the
    printed unit of the means, is drawn afresh for each draw: where the true mean lies
    between two printable values decides how often rounded means tie, the printed means
    cannot tell it (their average is pulled to a printable value), and a uniform phase is
    what a mean unrelated to the printing grid has. Without it, variables whose SD is a few
    units of its last digit gave P values far from uniform in simulated honest trials
    (docs/corpus.md). With G simulated F above the printed F and E equal to it, out of D
    draws,

    * ``ties="random"`` (default): P = (G + U·(E + 1))/(D + 1), U ~ Uniform(0, 1]: the
      randomised Monte Carlo P. The printed trial is one more member of the simulated set
      (hence D + 1), and its rank among the E + 1 that tie is drawn at random, which makes P
      uniform under the null however many ties rounding creates. This is what the trial
      level needs: Stouffer's combination assumes uniform P values, and a trial with
      heavily rounded variables would otherwise be pulled towards P = 0.5.
    * ``ties="mid"``: P = (G + (E + 1)/2)/(D + 1), the mid-P, the usual way to count ties
      in a discrete test and the tie rule Carlisle's description points to. Its mean is
      1/2 but its spread is smaller than a uniform's when ties are common, so Stouffer's
      trial P values are too rarely extreme.

    Both never give 0 or 1 (a P of 0 would make Stouffer's Z infinite). The printed F and
    the simulated ones are computed on each variable's integer grid, group by group in one
    order, so a draw that prints the paper's numbers ties exactly. A group whose printed
    number is not on its decimals' grid (an SD derived from a CI, say) is simulated
    unrounded (NaN decimals).

    The test is a parametric bootstrap: σ is estimated, and with rounded means F is not
    pivotal, so P is uniform only approximately (two arms whose SEs are one or two units
    of the last digit are the worst case measured; docs/corpus.md). R has no packaged equivalent; by hand:
    ``m <- rnorm(D, mu, s/sqrt(n)); sd <- s*sqrt(rchisq(D, n-1)/(n-1))``, then ``round``
    and ``mean(F.sim >= F.obs)``.

    References
    ----------
    Carlisle JB. Anaesthesia 2017;72:944-52. doi:10.1111/anae.13938
    Phipson B, Smyth GK. Permutation P-values should never be zero. Stat Appl Genet Mol Biol
    2010;9:39. doi:10.2202/1544-6115.1585
    """
    if ties not in TIES:
        raise ValueError(f"ties must be one of {TIES}, got {ties!r}")
    if int(draws) != draws or draws < 1:
        raise ValueError(f"draws must be a positive whole number, got {draws!r}")
    means, sds, n = (np.atleast_2d(np.asarray(x, dtype=float)) for x in (means, sds, n))
    dm = np.broadcast_to(np.asarray(mean_decimals, dtype=float), means.shape)
    ds = np.broadcast_to(np.asarray(sd_decimals, dtype=float), means.shape)
    se = (np.zeros(means.shape, bool) if sd_is_se is None
          else np.broadcast_to(np.asarray(sd_is_se, dtype=bool), means.shape))
    if not (means.shape == sds.shape == n.shape):
        raise ValueError("means, sds and n must have one shape (variables x groups)")
    present = n > 0
    k = present.sum(axis=1)
    total = n.sum(axis=1)
    if np.any(k < 2) or np.any(total <= k):
        raise ValueError("every variable needs at least two groups and more people than groups")
    if np.any(~np.isfinite(means[present])) or np.any(~(sds[present] >= 0)):
        raise ValueError("means must be finite and SDs not negative")
    means = np.where(present, means, 0.0)
    sds = np.where(present, sds, 0.0)
    dm = np.where(present, dm, np.nan)
    ds = np.where(present, ds, np.nan)
    weight = np.where(present, n - 1, 0.0)
    df_within = total - k
    mu = (n * means).sum(axis=1) / total
    sigma = np.sqrt((weight * sds ** 2).sum(axis=1) / df_within)
    # the coarsest printed unit of the means (0: none rounded), for the phase (Notes)
    unit = np.nan_to_num(np.where(np.isnan(dm), 0.0, 10.0 ** -np.nan_to_num(dm)).max(axis=1))
    scale2 = np.where(se, n, 1.0)                      # SD² = scale2 · (printed number)²
    sd_factor = np.sqrt(scale2)
    top_m = np.nan_to_num(np.nanmax(np.where(np.isnan(dm), -np.inf, dm), axis=1), neginf=0.0)
    top_s = np.nan_to_num(np.nanmax(np.where(np.isnan(ds), -np.inf, ds), axis=1), neginf=0.0)

    obs_m = _grid(means, dm, top_m[:, None])
    obs_s = _grid(sds / sd_factor, ds, top_s[:, None])
    observed = _ratio(obs_m, obs_s, n, weight, scale2)

    v, g = means.shape
    shape = (v, int(draws), g)
    z = rng.standard_normal(shape)
    chi = rng.chisquare(np.maximum(weight, 1.0)[:, None, :], size=shape)
    phase = (rng.random((v, int(draws))) - 0.5) * unit[:, None]
    nn = np.where(present, n, 1.0)[:, None, :]
    # In place, the same operations in the same order as
    # sim_m = (μ + φ) + σ·z/√n and sim_s = σ·√(χ²/(n − 1)) (each bit the same, less memory).
    z *= sigma[:, None, None]
    z /= np.sqrt(nn)
    z += (mu[:, None] + phase)[:, :, None]
    sim_m = z
    chi /= np.maximum(weight, 1.0)[:, None, :]
    np.sqrt(chi, out=chi)
    chi *= sigma[:, None, None]
    sim_s = chi
    if se.any():
        sim_s /= sd_factor[:, None, :]
    if not present.all():
        sim_m = np.where(present[:, None, :], sim_m, 0.0)
        sim_s = np.where(present[:, None, :], sim_s, 0.0)
    sim_m = _grid(sim_m, dm[:, None, :], top_m[:, None, None], inplace=True)
    sim_s = _grid(sim_s, ds[:, None, :], top_s[:, None, None], inplace=True)
    simulated = _ratio(sim_m, sim_s, n[:, None, :], weight[:, None, :], scale2[:, None, :])
    obs = observed[:, None]
    greater = (simulated > obs).sum(axis=1)
    equal = (simulated == obs).sum(axis=1)
    if ties == "random":
        u = 1.0 - rng.random(v)                        # in (0, 1]
        p = (greater + u * (equal + 1)) / (draws + 1)
    else:
        p = (greater + (equal + 1) / 2) / (draws + 1)
    half = 0.5 / (draws + 1)
    p = np.clip(p, half, 1 - half)

    df_between = k - 1
    within_ms = (weight * sds ** 2).sum(axis=1) / df_within
    between_ss = np.zeros(v)
    for i in range(g):
        for j in range(i + 1, g):
            between_ss = between_ss + n[:, i] * n[:, j] * (means[:, i] - means[:, j]) ** 2
    between_ms = between_ss / total / df_between
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(within_ms > 0, between_ms / within_ms,
                     np.where(between_ms > 0, np.inf, 0.0))
    return {"statistic": f, "df_between": df_between, "df_within": df_within,
            "pvalue_f": stats.f.sf(f, df_between, df_within),
            "greater": greater, "equal": equal, "pvalue": p}


def rounded_anova(means, sds, n, *, mean_decimals, sd_decimals, sd_is_se=None,
                  draws: int = DEFAULT_DRAWS, seed=None, ties: str = "random") -> RoundedAnova:
    """Rounding-aware Monte Carlo ANOVA P value of one variable.

    Parameters
    ----------
    means, sds, n : sequence
        Each group's printed mean, SD and size (two groups or more).
    mean_decimals, sd_decimals : int or sequence
        The decimals they were printed with (one for all groups, or one per group; None or
        NaN: not rounded).
    sd_is_se : bool or sequence of bool, optional
        The paper printed SEs (the SD given is SE·√n).
    draws, seed, ties
        Simulated trials; a seed for :func:`numpy.random.default_rng`; the tie rule.

    Notes
    -----
    See :func:`rounded_anova_batch` for the simulation, the P value and the tie rule.
    Without rounding (NaN decimals) P estimates the F distribution's P,
    ``scipy.stats.f.sf(F, k − 1, N − k)``; R ``oneway.test(y ~ g, var.equal = TRUE)``.

    References
    ----------
    Carlisle JB. Anaesthesia 2017;72:944-52. doi:10.1111/anae.13938

    Examples
    --------
    Two arms of 500 printing the same whole-number mean: F = 0, yet under the rounding a
    tie is the likeliest outcome, so P is far from 1:

    >>> r = rounded_anova([66, 66], [7, 7], [500, 500], mean_decimals=0, sd_decimals=0,
    ...                   draws=20000, seed=1, ties="mid")
    >>> r.pvalue_f, round(r.pvalue, 1)
    (1.0, 0.7)
    """
    def row(x):
        a = np.asarray([np.nan if v is None else v for v in np.atleast_1d(x)], dtype=float)
        return a[None, :]

    k = len(means)
    dm = np.broadcast_to(row(mean_decimals), (1, k))
    ds = np.broadcast_to(row(sd_decimals), (1, k))
    se = None if sd_is_se is None else np.broadcast_to(np.atleast_1d(sd_is_se)[None, :], (1, k))
    out = rounded_anova_batch(row(means), row(sds), row(n), mean_decimals=dm, sd_decimals=ds,
                              sd_is_se=se, draws=draws, rng=np.random.default_rng(seed), ties=ties)
    return RoundedAnova(statistic=float(out["statistic"][0]), df_between=int(out["df_between"][0]),
                        df_within=int(out["df_within"][0]), pvalue_f=float(out["pvalue_f"][0]),
                        pvalue=float(out["pvalue"][0]), draws=int(draws),
                        greater=int(out["greater"][0]), equal=int(out["equal"][0]), ties=ties)


def stouffer(pvalues) -> float:
    """Stouffer's combined P of independent P values.

    Notes
    -----
    Z = Σ Φ⁻¹(1 − pᵢ)/√k, P = 1 − Φ(Z); a trial's P near 0 says its arms differ more than
    chance allows, near 1 that they are more alike. SciPy:
    ``combine_pvalues(p, method="stouffer").pvalue``; R: ``pnorm(sum(qnorm(1 - p))/sqrt(k),
    lower.tail = FALSE)``.

    References
    ----------
    Whitlock MC. Combining probability from independent tests: the weighted Z-method is
    superior to Fisher's approach. J Evol Biol 2005;18:1368-73.
    doi:10.1111/j.1420-9101.2005.00917.x
    """
    p = np.asarray(pvalues, dtype=float)
    if p.ndim != 1 or p.size < 1 or np.any((p <= 0) | (p >= 1)):
        raise ValueError("pvalues must be one or more numbers strictly between 0 and 1")
    return float(stats.combine_pvalues(p, method="stouffer").pvalue)
