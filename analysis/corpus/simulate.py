"""Honest trials, for calibrating the corpus baseline test.

Each simulated trial randomises one normal population into k arms, so its baseline P values
should be uniform; the printed summaries are the sample means and SDs rounded to 0–2
decimals, as a paper would print them. The frame has the tidy corpus columns
(:data:`analysis.corpus.reader.COLUMNS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .reader import COLUMNS

__all__ = ["honest_trials"]


def honest_trials(trials: int, *, seed: int, groups=(2, 4), n=(10, 500), decimals=(0, 2),
                  variables=(3, 10), sd_units=(3, 1000), study: str = "simulated") -> pd.DataFrame:
    """``trials`` simulated randomised trials as a tidy corpus.

    Parameters
    ----------
    trials : int
        How many trials.
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    groups, n, decimals, variables : (int, int)
        Inclusive ranges, drawn uniformly per trial (arms, variables), per group (size) and
        per variable (decimals, the same for the means and SDs of one variable).
    sd_units : (float, float)
        Range of the population SD in units of the last printed digit (log-uniform).

    Notes
    -----
    Each variable has its own population: SD σ = u·10⁻ᵈ with u log-uniform on ``sd_units``
    (the default, 3 to 1000 units, prints SDs of one to four significant figures, about
    as in Carlisle's workbook, where 10 % of SDs are 5 units or fewer), mean
    μ = σ·U(1, 10). Each group's
    values are drawn from N(μ, σ²) person by person; its printed mean and SD (``ddof=1``)
    are rounded to the variable's decimals. R: ``round(mean(rnorm(n, mu, s)), d)``.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for t in range(1, trials + 1):
        k = int(rng.integers(groups[0], groups[1] + 1))
        sizes = rng.integers(n[0], n[1] + 1, size=k)
        for v in range(1, int(rng.integers(variables[0], variables[1] + 1)) + 1):
            d = int(rng.integers(decimals[0], decimals[1] + 1))
            sigma = float(np.exp(rng.uniform(np.log(sd_units[0]), np.log(sd_units[1])))) / 10 ** d
            mu = sigma * float(rng.uniform(1, 10))
            for g, size in enumerate(sizes, start=1):
                x = rng.normal(mu, sigma, size=int(size))
                rows.append({"study": study, "trial": str(t), "variable": str(v), "group": str(g),
                             "n": int(size), "mean": round(float(x.mean()), d),
                             "sd": round(float(x.std(ddof=1)), d), "mean_decimals": d,
                             "sd_decimals": d, "sheet": "", "row": len(rows) + 2})
    return pd.DataFrame(rows, columns=list(COLUMNS))
