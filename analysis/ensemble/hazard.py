"""Cumulative hazard of piecewise-constant hazards, shared by the prior and its anchors."""

from __future__ import annotations

import numpy as np

__all__ = ["cum_hazard"]


def cum_hazard(breaks: np.ndarray, rates: np.ndarray, t) -> np.ndarray:
    """:math:`H(t)` of piecewise-constant hazards (last piece open-ended).

    ``rates`` has shape (pieces,) or (pieces, m); the result has one row per ``t``.

    Notes
    -----
    :math:`H(t) = \\sum_j \\lambda_j \\, |[b_j, b_{j+1}) \\cap [0, t)|`; in R,
    ``sum(rates * pmax(0, pmin(t, ends) - breaks))``.
    """
    t = np.atleast_1d(np.asarray(t, dtype=float))
    ends = np.append(breaks[1:], np.inf)
    overlap = np.minimum(np.clip(t[:, None] - breaks[None, :], 0, None),
                         (ends - breaks)[None, :])
    return overlap @ rates
