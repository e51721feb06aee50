"""A faithful Python port of the published R code of Guyot et al. (2012).

The baseline for ``benchmarks/guyot.py``. It follows the R code distributed with
the paper (Additional file 1; the same code ships, lightly edited, in IPDfromKM
and survivalnma) line by line, with R's 1-based indexing kept: arrays get an
unused slot 0. Inputs are what the R code reads: the digitized points ``t.S``,
``S`` (already clean: sorted, non-increasing, starting at (0, 1)), the at-risk
table ``t.risk``, ``n.risk`` and the indices ``lower``/``upper`` of the
digitized points in each at-risk interval; and ``tot.events`` or ``None``.

Departures, only where the R code would stop with an error or loop forever:

- ``hist()`` stops on tied break points (two digitized points at one time); here
  a zero-width bin simply gets no censorings.
- The ``while`` loops are capped at 1000 rounds (the R code can cycle).
- Where the patients at risk reach 0, ``d/n.hat`` is ``0/0`` in R (``NaN``, and the
  next ``if`` stops); here the KM estimate is carried forward.
- A ``NaN`` number of events (the event-total loop divides by a KM estimate of
  0 without the guard the loop above it has; R's next ``if`` stops) and a negative
  number of events (the R ``rep()`` would stop) raise
  :class:`PublishedFailure`; so does anything else R would stop on.

R's ``round`` rounds halves to even, as Python's ``round`` does.

Reference: Guyot P, Ades AE, Ouwens MJ, Welton NJ. BMC Med Res Methodol
2012;12:9. doi:10.1186/1471-2288-12-9
"""

from __future__ import annotations

import numpy as np

__all__ = ["PublishedFailure", "guyot_published", "lower_upper"]

_MAX_ROUNDS = 1000


class PublishedFailure(RuntimeError):
    """Where the published R code would stop with an error."""


def lower_upper(t_S: np.ndarray, t_risk: np.ndarray) -> tuple[list[int], list[int]]:
    """1-based ``lower``/``upper`` as the R users compute them.

    ``lower[i] = min(which(t.S >= t.risk[i]))``,
    ``upper[i] = max(which(t.S < t.risk[i+1]))`` (``Inf`` after the last).
    """
    lower = [int(np.flatnonzero(t_S >= t)[0]) + 1 for t in t_risk]
    nxt = list(t_risk[1:]) + [np.inf]
    upper = [int(np.flatnonzero(t_S < t)[-1]) + 1 for t in nxt]
    return lower, upper


def _hist_counts(x: list[float], breaks: np.ndarray) -> np.ndarray:
    """R ``hist(x, breaks, plot = FALSE)$counts``: bins (b[k-1], b[k]], first closed."""
    counts = np.zeros(len(breaks) - 1, dtype=int)
    for v in x:
        k = int(np.searchsorted(breaks, v, side="left"))   # first break >= v
        k = max(k, 1)
        if v < breaks[0] or v > breaks[-1]:
            raise PublishedFailure("hist(): some 'x' not counted")
        counts[k - 1] += 1
    return counts


def _r_round(x: float) -> int:
    if not np.isfinite(x):     # R: round(NaN) is NaN, and the next if() stops
        raise PublishedFailure("NaN events (0/0): if() fails")
    return int(round(x))


def guyot_published(t_S, S, t_risk, n_risk, tot_events=None, *, lower=None, upper=None):
    """Run the published algorithm; return ``(time, event)`` arrays of the IPD.

    As in R, the IPD has ``n.risk[1]`` rows when the counts add up, and may have
    more (R extends the vectors) when they do not.
    """
    # R divides 0/0 silently and then stops; here that raises PublishedFailure.
    with np.errstate(divide="ignore", invalid="ignore"):
        return _guyot(t_S, S, t_risk, n_risk, tot_events, lower, upper)


def _guyot(t_S, S, t_risk, n_risk, tot_events, lower, upper):
    t_S = np.concatenate(([np.nan], np.asarray(t_S, float)))       # 1-based
    S = np.concatenate(([np.nan], np.asarray(S, float)))
    t_risk = np.asarray(t_risk, float)
    if lower is None or upper is None:
        lower, upper = lower_upper(t_S[1:], t_risk)
    n_risk = [None] + [int(v) for v in n_risk]
    lower = [None] + list(lower)
    upper = [None] + list(upper)
    n_int = len(n_risk) - 1
    n_t = upper[n_int]

    # Initialise vectors (R grows n.hat to n.t + 1 and n.censor to n.int).
    n_censor = [None] + [0] * n_int
    n_hat = [None] + [n_risk[1] + 1] * (n_t + 1)
    cen = [None] + [0] * n_t
    d = [None] + [0] * n_t
    KM_hat = [None] + [1.0] * n_t
    last_i = [None] + [1] * n_int
    sumdL = 0
    last = 1

    def km_step(k, last):
        if n_hat[k] == 0:          # R: 0/0 -> NaN, then stops; carry forward
            return KM_hat[last]
        return KM_hat[last] * (1 - d[k] / n_hat[k])

    if n_int > 1:
        # Time intervals 1, ..., (n.int - 1)
        for i in range(1, n_int):
            # First approximation of no. censored on interval i
            n_censor[i] = _r_round(n_risk[i] * S[lower[i + 1]] / S[lower[i]] - n_risk[i + 1])
            rounds = 0
            # Adjust tot. no. censored until n.hat = n.risk at start of interval (i+1)
            while ((n_hat[lower[i + 1]] > n_risk[i + 1])
                   or ((n_hat[lower[i + 1]] < n_risk[i + 1]) and (n_censor[i] > 0))):
                rounds += 1
                if rounds > _MAX_ROUNDS:
                    break
                if n_censor[i] <= 0:
                    for k in range(lower[i], upper[i] + 1):
                        cen[k] = 0
                    n_censor[i] = 0
                if n_censor[i] > 0:
                    cen_t = [t_S[lower[i]] + j * (t_S[lower[i + 1]] - t_S[lower[i]])
                             / (n_censor[i] + 1) for j in range(1, n_censor[i] + 1)]
                    # Distribute censored observations evenly over time.
                    counts = _hist_counts(cen_t, t_S[lower[i]:lower[i + 1] + 1])
                    for off, k in enumerate(range(lower[i], upper[i] + 1)):
                        cen[k] = int(counts[off])
                # Find no. events and no. at risk on each interval to agree with K-M
                n_hat[lower[i]] = n_risk[i]
                last = last_i[i]
                for k in range(lower[i], upper[i] + 1):
                    if i == 1 and k == lower[i]:
                        d[k] = 0
                        KM_hat[k] = 1.0
                    else:
                        d[k] = _r_round(n_hat[k] * (1 - (S[k] / KM_hat[last])))
                        KM_hat[k] = km_step(k, last)
                    n_hat[k + 1] = n_hat[k] - d[k] - cen[k]
                    if d[k] != 0:
                        last = k
                n_censor[i] = n_censor[i] + (n_hat[lower[i + 1]] - n_risk[i + 1])
            if n_hat[lower[i + 1]] < n_risk[i + 1]:
                n_risk[i + 1] = n_hat[lower[i + 1]]
            last_i[i + 1] = last

    # Time interval n.int.
    if n_int > 1:
        # Assume same censor rate as average over previous time intervals.
        n_censor[n_int] = min(_r_round(
            sum(n_censor[1:n_int]) * (t_S[upper[n_int]] - t_S[lower[n_int]])
            / (t_S[upper[n_int - 1]] - t_S[lower[1]])), n_risk[n_int])
    if n_int == 1:
        n_censor[n_int] = 0

    def spread_last():
        if n_censor[n_int] <= 0:
            for k in range(lower[n_int], upper[n_int]):
                cen[k] = 0
            n_censor[n_int] = 0
        if n_censor[n_int] > 0:
            cen_t = [t_S[lower[n_int]] + j * (t_S[upper[n_int]] - t_S[lower[n_int]])
                     / (n_censor[n_int] + 1) for j in range(1, n_censor[n_int] + 1)]
            if upper[n_int] == lower[n_int]:
                raise PublishedFailure("hist(): one break point in the last interval")
            counts = _hist_counts(cen_t, t_S[lower[n_int]:upper[n_int] + 1])
            for off, k in enumerate(range(lower[n_int], upper[n_int])):
                cen[k] = int(counts[off])

    spread_last()
    # Find no. events and no. at risk on each interval to agree with K-M estimates
    n_hat[lower[n_int]] = n_risk[n_int]
    last = last_i[n_int]
    for k in range(lower[n_int], upper[n_int] + 1):
        if KM_hat[last] != 0:
            d[k] = _r_round(n_hat[k] * (1 - (S[k] / KM_hat[last])))
        else:
            d[k] = 0
        KM_hat[k] = km_step(k, last)
        n_hat[k + 1] = n_hat[k] - d[k] - cen[k]
        # No. at risk cannot be negative
        if n_hat[k + 1] < 0:
            n_hat[k + 1] = 0
            cen[k] = n_hat[k] - d[k]
        if d[k] != 0:
            last = k

    # If total no. of events reported, adjust no. censored so that total agrees.
    if tot_events is not None:
        if n_int > 1:
            sumdL = sum(d[1:upper[n_int - 1] + 1])
            # If total no. events already too big, no events or censorings after.
            if sumdL >= tot_events:
                for k in range(lower[n_int], upper[n_int] + 1):
                    d[k] = 0
                for k in range(lower[n_int], upper[n_int]):
                    cen[k] = 0
                for k in range(lower[n_int] + 1, upper[n_int] + 2):
                    n_hat[k] = n_risk[n_int]
        # Otherwise adjust no. censored to give correct total no. events
        if (sumdL < tot_events) or (n_int == 1):
            sumd = sum(d[1:upper[n_int] + 1])
            rounds = 0
            while (sumd > tot_events) or ((sumd < tot_events) and (n_censor[n_int] > 0)):
                rounds += 1
                if rounds > _MAX_ROUNDS:
                    break
                n_censor[n_int] = n_censor[n_int] + (sumd - tot_events)
                spread_last()
                n_hat[lower[n_int]] = n_risk[n_int]
                last = last_i[n_int]
                for k in range(lower[n_int], upper[n_int] + 1):
                    d[k] = _r_round(n_hat[k] * (1 - (S[k] / KM_hat[last])))
                    KM_hat[k] = km_step(k, last)
                    if k != upper[n_int]:
                        n_hat[k + 1] = n_hat[k] - d[k] - cen[k]
                        # No. at risk cannot be negative
                        if n_hat[k + 1] < 0:
                            n_hat[k + 1] = 0
                            cen[k] = n_hat[k] - d[k]
                    if d[k] != 0:
                        last = k
                sumd = sum(d[1:upper[n_int] + 1])

    # Now form IPD: everyone starts censored at the last time, then events, then
    # censorings at the midpoints between digitized points.
    if any(v < 0 for v in d[1:n_t + 1]) or any(v < 0 for v in cen[1:n_t]):
        raise PublishedFailure("negative count: rep() fails")
    size = max(n_risk[1], sum(d[1:n_t + 1]) + sum(cen[1:n_t]))
    t_IPD = np.full(size, t_S[n_t])
    event_IPD = np.zeros(size, dtype=int)
    k = 0
    for j in range(1, n_t + 1):
        if d[j] != 0:
            t_IPD[k:k + d[j]] = t_S[j]
            event_IPD[k:k + d[j]] = 1
            k += d[j]
    for j in range(1, n_t):
        if cen[j] != 0:
            t_IPD[k:k + cen[j]] = (t_S[j] + t_S[j + 1]) / 2
            event_IPD[k:k + cen[j]] = 0
            k += cen[j]
    return t_IPD, event_IPD
