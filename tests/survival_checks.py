"""Every printed survival number recomputed on one reconstructed data set with lifelines
and numpy, never with the project's own Kaplan-Meier, log-rank or Cox code."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test as ll_logrank

__all__ = ["km_median", "check_member"]


def km_median(t, e) -> float:
    """First time lifelines' KM survival is <= 0.5 (inf when not reached)."""
    sf = KaplanMeierFitter().fit(t, e).survival_function_.iloc[:, 0]
    below = sf.index[sf.to_numpy() <= 0.5 + 1e-12]
    return float(below[0]) if len(below) else math.inf


def check_member(spec, g: pd.DataFrame) -> None:
    """Every printed number of ``spec`` recomputed on one member with lifelines/numpy."""
    first = (g["arm"] == spec.arms[0]).to_numpy()
    assert first.sum() == spec.n[0] and (~first).sum() == spec.n[1]
    for ep in spec.endpoints:
        t, e = g[f"{ep.name}_time"].to_numpy(), g[f"{ep.name}_event"].to_numpy()
        for arm, mask in zip(spec.arms, (first, ~first)):
            med = ep.medians.get(arm)
            if med is None:
                continue
            got = km_median(t[mask], e[mask])
            assert (math.isinf(got) if med.not_reached else med.printed.contains(got)), \
                (ep.name, arm, med.text, got)
        lr = ll_logrank(t[first], t[~first], e[first], e[~first])
        if ep.logrank_chi2 is not None:
            assert ep.logrank_chi2.printed.contains(lr.test_statistic), lr.test_statistic
        if ep.logrank_p is not None:
            assert ep.logrank_p.printed.contains(lr.p_value), lr.p_value
        cph = CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": first.astype(int)}), "t", "e")
        if ep.better is not None:
            assert (cph.params_["x"] < 0) == (ep.better == spec.arms[0])
        ci = np.exp(cph.confidence_intervals_.loc["x"].to_numpy())
        for val, got in ((ep.hr, math.exp(cph.params_["x"])), (ep.hr_lower, ci[0]),
                         (ep.hr_upper, ci[1])):
            if val is not None:
                assert val.printed.contains(got), (val.text, got)
    fu = spec.follow_up
    if fu is not None:
        t0 = g[f"{spec.endpoints[0].name}_time"].to_numpy()
        for val, got in ((fu.min, t0.min()), (fu.max, t0.max()), (fu.median, np.median(t0))):
            if val is not None:
                assert val.printed.contains(got), (val.text, got)
