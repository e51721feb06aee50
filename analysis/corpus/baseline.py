"""One trial's baseline test: a rounding-aware ANOVA P per variable, Stouffer per trial.

Pure functions of the tidy rows (:mod:`analysis.corpus.reader`) and the options; the random
stream of a trial comes from the seed and the trial's id only (:func:`trial_rng`), so a
trial gets the same P values whichever worker computes it and whatever else is in its batch.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from ..stats.rounded_anova import rounded_anova_batch, stouffer
from . import DEFAULT_TIES
from .reader import printed_grid

__all__ = ["VARIABLE_COLUMNS", "TRIAL_COLUMNS", "DEFAULT_TIES", "trial_rng", "variable_table",
           "trial_table"]

VARIABLE_COLUMNS = ("study", "trial", "variable", "groups", "n", "means_rounded", "sds_rounded",
                    "ses_rounded", "f", "df_between", "df_within", "p_f", "draws", "greater",
                    "equal", "p", "note")
TRIAL_COLUMNS = ("study", "trial", "variables", "p", "p_f")


def trial_rng(seed: int, study: str, trial: str) -> np.random.Generator:
    """The random stream of one trial: ``SeedSequence([seed, h₀..h₃])`` with hᵢ the first
    four 32-bit words of SHA-256(study NUL trial) — stable across runs, machines and Python
    versions (unlike ``hash()``)."""
    digest = hashlib.sha256(f"{study}\x00{trial}".encode("utf-8")).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), *words])))


def _variable_problem(g: pd.DataFrame) -> str:
    k, total = len(g), int(g["n"].sum())
    if k < 2:
        return "fewer than two groups"
    if total <= k:
        return "no more people than groups"
    if float(((g["n"] - 1) * g["sd"] ** 2).sum()) <= 0:
        return "every SD is 0"
    return ""


def _one_trial(study: str, trial: str, rows: pd.DataFrame, *, draws: int, seed: int,
               ties: str) -> list[dict]:
    out, usable = [], []
    for variable, g in rows.groupby("variable", sort=False):
        base = {"study": study, "trial": trial, "variable": variable, "groups": len(g),
                "n": int(g["n"].sum())}
        problem = _variable_problem(g)
        if problem:
            out.append({**base, "note": problem})
        else:
            usable.append((len(out), g))
            out.append(base)
    if not usable:
        return out
    width = max(len(g) for _, g in usable)
    shape = (len(usable), width)
    arrays = {name: np.zeros(shape) for name in ("means", "sds", "n")}
    dm, ds = np.full(shape, np.nan), np.full(shape, np.nan)
    se = np.zeros(shape, bool)
    for v, (_, g) in enumerate(usable):
        k = len(g)
        n = g["n"].to_numpy(float)
        arrays["means"][v, :k] = g["mean"].to_numpy(float)
        arrays["sds"][v, :k] = g["sd"].to_numpy(float)
        arrays["n"][v, :k] = n
        mean_kind = printed_grid(g["mean"], n, g["mean_decimals"], kind="mean")
        sd_kind = printed_grid(g["sd"], n, g["sd_decimals"], kind="sd")
        dm[v, :k] = np.where(mean_kind == "mean", g["mean_decimals"].to_numpy(float), np.nan)
        ds[v, :k] = np.where(sd_kind != "", g["sd_decimals"].to_numpy(float), np.nan)
        se[v, :k] = sd_kind == "se"
        i = usable[v][0]
        out[i].update(means_rounded=int((mean_kind == "mean").sum()),
                      sds_rounded=int((sd_kind == "sd").sum()),
                      ses_rounded=int((sd_kind == "se").sum()))
    res = rounded_anova_batch(arrays["means"], arrays["sds"], arrays["n"], mean_decimals=dm,
                              sd_decimals=ds, sd_is_se=se, draws=draws,
                              rng=trial_rng(seed, study, trial), ties=ties)
    for v, (i, _) in enumerate(usable):
        out[i].update(f=float(res["statistic"][v]), df_between=int(res["df_between"][v]),
                      df_within=int(res["df_within"][v]), p_f=float(res["pvalue_f"][v]),
                      draws=int(draws), greater=int(res["greater"][v]),
                      equal=int(res["equal"][v]), p=float(res["pvalue"][v]))
    return out


def variable_table(rows: pd.DataFrame, *, draws: int, seed: int,
                   ties: str = DEFAULT_TIES) -> pd.DataFrame:
    """Every variable of every trial in ``rows`` (tidy), one row per variable
    (:data:`VARIABLE_COLUMNS`); a variable that cannot be tested has an empty P and a note.

    Notes
    -----
    Per variable, :func:`analysis.stats.rounded_anova.rounded_anova_batch` (all of a trial's
    variables in one array operation, from the trial's own stream :func:`trial_rng`).

    Ties (a simulated statistic equal to the printed one) count half by default
    (``ties="mid"``), as in Carlisle's own code: the R code of Appendix S1 of Carlisle &
    Loadsman (Anaesthesia 2017;72:17-27, doi:10.1111/anae.13650), as adapted in the CRAN
    packages simdistr 1.0.1 (``R/CarlisleStouffer.R``, Carlisle and Loadsman contributors)
    and reappraised 0.1.1 (Bolland, ``R/carlisle_anova.R``), takes P = (#{sim < obs} +
    #{sim ≤ obs})/(2·draws), so a variable whose rounded means tie in every draw gets
    P = ½. Barnett's reanalysis has no Monte Carlo P to follow (a Bayesian model of the
    t statistics). On Carlisle's workbook the mid-P puts 15.6 % of trials within 0.05 of
    0 or 1 (Carlisle 15.6 %), the randomised P 16.7 %. The price is calibration: in 5000
    simulated honest trials the mid-P gives 9.1 % (KS P 0.03) where the randomised P gives
    10.2 % (KS P 0.28), so ``ties="random"`` remains for a P that is uniform under the null
    (docs/corpus.md).
    """
    out = []
    for (study, trial), g in rows.groupby(["study", "trial"], sort=False):
        out += _one_trial(study, trial, g, draws=draws, seed=seed, ties=ties)
    frame = pd.DataFrame(out, columns=list(VARIABLE_COLUMNS))
    for col in ("means_rounded", "sds_rounded", "ses_rounded", "df_between", "df_within", "draws",
                "greater", "equal"):
        frame[col] = frame[col].astype("Int64")
    frame["note"] = frame["note"].fillna("")
    return frame


def _combine(p: pd.Series) -> float:
    p = p.dropna()
    if p.empty:
        return float("nan")
    # An F-distribution P of exactly 1 (identical printed means) has no Stouffer Z: take it
    # as the largest P below 1 that floats hold, as a P of 0 as the smallest above 0.
    return stouffer(np.clip(p.to_numpy(float), 1e-300, np.nextafter(1.0, 0.0)))


def trial_table(variables: pd.DataFrame) -> pd.DataFrame:
    """One row per trial with a P (:data:`TRIAL_COLUMNS`): the number of variables tested,
    Stouffer's combination of their rounding-aware P (``p``) and of their F-distribution P
    (``p_f``, the printed numbers taken as exact)."""
    tested = variables[variables["p"].notna()]
    rows = []
    for (study, trial), g in tested.groupby(["study", "trial"], sort=False):
        rows.append({"study": study, "trial": trial, "variables": len(g),
                     "p": _combine(g["p"]), "p_f": _combine(g["p_f"])})
    return pd.DataFrame(rows, columns=list(TRIAL_COLUMNS))
