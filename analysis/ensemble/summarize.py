"""What an ensemble of accepted data sets says about what the paper does not print.

:func:`summarize` takes the accepted members of :func:`.sampler.sample_ensemble`
and returns an :class:`EnsembleSummary`: per member the statistics a reader wants
(survival at the landmark times, Cox hazard ratio with its CI, events, RMST and its
difference, medians, log-rank), their 5/50/95 % bands, the pointwise bands of the
curves, the representative member (closest to the pointwise median curves) and each
printed number set against the representative data set and the ensemble's range.
Single data sets are measured with :mod:`analysis.km.estimate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..km.estimate import kaplan_meier, km_median, logrank_test, rmst, survival_at
from .constraints import Constraints
from .cox import cox_binary, logrank_hr
from .prior import Patients, draw_hyper, draw_patients
from .spec import Spec

__all__ = ["EnsembleSummary", "summarize", "member_statistics", "patients_frame",
           "prior_statistics", "prior_conflicts", "conflict_text", "hr_all_events",
           "BAND_QUANTILES", "CURVE_STEP", "IDENTIFIED_RATIO"]

BAND_QUANTILES = (0.05, 0.5, 0.95)
CURVE_STEP = 0.25  # grid of the pointwise curve bands, in the spec's time unit
_DECIMALS = 6  # times written in months to 1e-6: far finer than a day (0.033 months)
# A band at most this share of the prior's width counts as set by the printed numbers.
IDENTIFIED_RATIO = 0.5
_PRIOR_STREAM = 1  # spawn_key (i, 1): prior draws, apart from members' streams (i,)


def patients_frame(spec: Spec, pat: Patients) -> pd.DataFrame:
    """Patient-level data, one row per patient, times in the spec's unit.

    Columns ``patient, arm`` then ``<endpoint>_time, <endpoint>_event`` per endpoint.
    """
    out = {"patient": np.arange(1, pat.arm.size + 1),
           "arm": np.asarray(spec.arms, dtype=object)[pat.arm]}
    for k, ep in enumerate(spec.endpoints):
        out[f"{ep.name}_time"] = np.round(pat.time[k] * spec.tick, _DECIMALS)
        out[f"{ep.name}_event"] = pat.event[k].astype(int)
    return pd.DataFrame(out)


def member_statistics(spec: Spec, ipd: pd.DataFrame) -> dict[str, float]:
    """The statistics of one data set (as from :func:`patients_frame`), flat dict."""
    out: dict[str, float] = {}
    first = (ipd["arm"] == spec.arms[0]).to_numpy()
    for ep in spec.endpoints:
        t = ipd[f"{ep.name}_time"].to_numpy(float)
        e = ipd[f"{ep.name}_event"].to_numpy(int)
        rm = []
        for arm, mask in zip(spec.arms, (first, ~first)):
            km = kaplan_meier(t[mask], e[mask])
            for lm in spec.landmarks:
                out[f"{ep.name}.survival.{arm}.{lm:g}"] = float(survival_at(km, lm))
            out[f"{ep.name}.events.{arm}"] = float(km.events)
            out[f"{ep.name}.median_first_below.{arm}"] = km_median(km, method="first_below")
            out[f"{ep.name}.median_midpoint.{arm}"] = km_median(km, method="midpoint")
            rm.append(rmst(km, tau=spec.span))
            out[f"{ep.name}.rmst.{arm}"] = rm[-1]
        out[f"{ep.name}.rmst_diff"] = rm[0] - rm[1]
        lr = logrank_test(t, e, np.where(first, 0, 1))
        out[f"{ep.name}.logrank_chi2"], out[f"{ep.name}.logrank_p"] = lr.chisq, lr.p
        fit = cox_binary(t, e, first.astype(int))
        out[f"{ep.name}.hr"], out[f"{ep.name}.hr_lower"], out[f"{ep.name}.hr_upper"] = \
            fit.hr, fit.lower, fit.upper
        # what the log-rank χ² (inside its printed window) and this data set's number
        # of events imply: set beside the Cox band, it shows how much of that band
        # the events alone leave open
        d = e.sum()
        out[f"{ep.name}.hr_logrank"] = float(logrank_hr(
            lr.chisq, d, allocation=first.mean(),
            favours_first=bool(lr.observed[0] < lr.expected[0]))) if d else math.nan
    return out


def hr_all_events(spec: Spec, endpoint: str) -> float:
    """The hazard ratio nearest 1 that the printed log-rank test allows at all.

    :func:`~.cox.logrank_hr` with the smallest χ² of the printed window and every
    patient having an event (the most events possible): a bound from the printed
    numbers alone, whatever the prior. ``nan`` when the endpoint prints no log-rank
    test or not which arm did better.
    """
    cons = Constraints(spec)
    k = [ep.name for ep in spec.endpoints].index(endpoint)
    window = [cons.constraints[pos] for pos, j, signed in cons.logrank if j == k and signed]
    if not window:
        return math.nan
    z_min = min(abs(window[0].lo), abs(window[0].hi))
    return float(logrank_hr(z_min ** 2, spec.n_total, allocation=spec.n[0] / spec.n_total,
                            favours_first=spec.endpoint(endpoint).better == spec.arms[0]))


def prior_statistics(spec: Spec, *, draws: int, seed: int) -> pd.DataFrame:
    """:func:`member_statistics` of ``draws`` data sets drawn from the prior alone.

    The prior already places each printed median (its hazards are scaled to it) and
    the follow-up model, but no other printed number is imposed: the spread the
    ensemble would have if the log-rank test, the follow-up range and any hazard
    ratio printed nothing.
    """
    arm = np.repeat(np.array([0, 1]), spec.n)
    rows = []
    for i in range(draws):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i, _PRIOR_STREAM)))
        pat = draw_patients(spec, draw_hyper(spec, rng), arm, rng)
        rows.append(member_statistics(spec, patients_frame(spec, pat)))
    return pd.DataFrame(rows)


def _printed_columns(spec: Spec) -> list[tuple[str, str, str, object, dict]]:
    """``(spec key, statistic column(s), catalog kind, printed Value, fields)`` of each
    printed number that :func:`member_statistics` also measures and the prior does not
    place by construction: hazard ratios with their CI, events, landmark rates."""
    out = []
    for ep in spec.endpoints:
        base = {"endpoint": ep.name}
        for key in ("hr", "hr_lower", "hr_upper"):
            val = getattr(ep, key)
            if val is not None:
                out.append((f"endpoints.{ep.name}.{key}", f"{ep.name}.{key}", key, val, base))
        for arm, val in ep.events.items():
            out.append((f"endpoints.{ep.name}.events.{arm}", f"{ep.name}.events.{arm}", "events",
                        val, {**base, "arm": arm}))
        if ep.events_total is not None:
            out.append((f"endpoints.{ep.name}.events_total",
                        tuple(f"{ep.name}.events.{arm}" for arm in spec.arms), "events_total",
                        ep.events_total, base))
        for mark in ep.survival:
            for arm, val in mark.rates.items():
                out.append((f"{mark.key}.{arm}", f"{ep.name}.survival.{arm}.{mark.time:g}",
                            "survival", val, {**base, "arm": arm, "time": mark.text}))
    return out


def prior_conflicts(spec: Spec, prior: pd.DataFrame) -> list[dict]:
    """Printed numbers outside the 5-95 % band of data sets drawn from the prior alone.

    Each is ``{key, kind, fields, printed, prior_p05, prior_p95}``: a printed hazard
    ratio (or CI limit), event count or landmark rate whose printed interval does not meet
    the prior's band. The ensemble still meets it (every accepted data set reproduces
    every printed number); the conflict says that the prior alone would not have placed
    it there, so the band of that number is the paper's, and the sampler had to move
    far from the prior's draws.

    Notes
    -----
    Printed interval :math:`[l, u]` (the printed rounding) against the prior's
    :math:`[q_{0.05}, q_{0.95}]`: a conflict when :math:`u < q_{0.05}` or
    :math:`l > q_{0.95}`. In R: ``quantile(prior_hr, c(0.05, 0.95))``.
    """
    found = []
    for key, col, kind, val, fields in _printed_columns(spec):
        cols = col if isinstance(col, tuple) else (col,)
        if not all(c in prior for c in cols):
            continue
        x = sum(prior[c].to_numpy(float) for c in cols)
        lo, _, hi = _q(x)
        p_lo, p_hi = val.printed.interval
        if math.isnan(lo) or (p_hi >= lo and p_lo <= hi):
            continue
        found.append({"key": key, "kind": kind, "fields": fields, "printed": val.text,
                      "prior_p05": float(lo), "prior_p95": float(hi)})
    return found


def conflict_text(spec: Spec, conflict: dict, lang: str = "en", *, met: bool = True) -> str:
    """The sentence naming a conflict: "the printed OS hazard ratio 1.02 lies outside the
    prior's 1.29–3.14", and with ``met`` that every accepted data set meets it anyway."""
    from ..i18n import t

    f = dict(conflict["fields"])
    f["endpoint"] = spec.endpoint_label(f["endpoint"], lang)
    if "arm" in f:
        f["arm"] = spec.arm_label(f["arm"], lang)
    fmt = (lambda x: f"{x:.0f}") if conflict["kind"].startswith("events") else \
        (lambda x: f"{100 * x:.1f} %") if conflict["kind"] == "survival" else (lambda x: f"{x:.2f}")
    text = t("ensemble.run.conflict", lang, what=t(f"ensemble.run.what.{conflict['kind']}", lang, **f),
             printed=conflict["printed"], lo=fmt(conflict["prior_p05"]),
             hi=fmt(conflict["prior_p95"]))
    return t("ensemble.run.met", lang, conflict=text) if met else text


def _curves(spec: Spec, ipd: pd.DataFrame, grid: np.ndarray) -> np.ndarray:
    """S on ``grid`` per endpoint and arm: shape (endpoints, 2, grid)."""
    first = (ipd["arm"] == spec.arms[0]).to_numpy()
    out = np.empty((len(spec.endpoints), 2, grid.size))
    for k, ep in enumerate(spec.endpoints):
        t = ipd[f"{ep.name}_time"].to_numpy(float)
        e = ipd[f"{ep.name}_event"].to_numpy(int)
        for a, mask in enumerate((first, ~first)):
            out[k, a] = survival_at(kaplan_meier(t[mask], e[mask]), grid)
    return out


@dataclass(frozen=True)
class EnsembleSummary:
    """An ensemble and its summaries.

    Attributes
    ----------
    members : DataFrame
        One row per accepted member: ``member`` (its index in the seeded stream),
        ``dropout`` and every statistic of :func:`member_statistics`.
    bands : DataFrame
        ``quantity, endpoint, arm, time, min, p05, p50, p95, max, representative``,
        then ``prior_p05, prior_p95`` (the same band from the prior alone,
        :func:`prior_statistics`), ``width_ratio`` (ensemble width / prior width, on
        the log scale for hazard ratios) and ``identified_by``: ``"printed"`` when the
        printed numbers narrowed the band to at most ``IDENTIFIED_RATIO`` of the
        prior's, else ``"prior"`` (the band is mostly the prior's).
    curves : DataFrame
        Pointwise bands of the KM curves: ``endpoint, arm, time, p05, p50, p95``.
    representative : int
        Row of ``members`` closest to the pointwise median curves.
    ipd : DataFrame
        The representative member's patient-level data.
    printed : DataFrame
        Each printed number: ``constraint, printed, representative, min, max, holds``.
    """

    spec: Spec
    seed: int
    draws: int
    tried: int
    members: pd.DataFrame
    bands: pd.DataFrame
    curves: pd.DataFrame
    representative: int
    ipd: pd.DataFrame
    ensemble_ipd: pd.DataFrame
    printed: pd.DataFrame
    gibbs_accept: float
    conflicts: tuple = ()  # prior_conflicts: printed numbers outside the prior's band

    @property
    def acceptance_rate(self) -> float:
        return len(self.members) / self.tried if self.tried else math.nan

    def to_frame(self) -> pd.DataFrame:
        return self.bands

    def _repr_html_(self) -> str:
        return self.bands.to_html(index=False, float_format=lambda x: f"{x:.3f}")


def _q(x: np.ndarray) -> list[float]:
    finite = x[np.isfinite(x)]
    return list(np.quantile(finite, BAND_QUANTILES)) if finite.size else [math.nan] * 3


def _width(lo: float, hi: float, quantity: str) -> float:
    if quantity.startswith("hr"):
        return math.log(hi / lo) if lo > 0 else math.nan
    return hi - lo


def _band_rows(spec: Spec, members: pd.DataFrame, rep: int, prior: pd.DataFrame) -> pd.DataFrame:
    # a printed hazard ratio, event count or landmark rate is the paper's, whatever the
    # width of the prior's band (a printed HR far outside the prior's band once read
    # "prior" here, as if the prior had set it)
    printed = {col for _, col, _, _, _ in _printed_columns(spec) if isinstance(col, str)}
    rows = []
    for col in members.columns:
        if col in ("member", "dropout"):
            continue
        parts = col.split(".")
        endpoint, quantity = parts[0], parts[1]
        arm = parts[2] if len(parts) > 2 else ""
        time = ".".join(parts[3:]) if len(parts) > 3 else ""
        x = members[col].to_numpy(float)
        finite = x[np.isfinite(x)]
        q = np.quantile(finite, BAND_QUANTILES) if finite.size else [math.nan] * 3
        rows.append({"quantity": quantity, "endpoint": endpoint, "arm": arm,
                     "time": float(time) if time else math.nan,
                     "min": finite.min() if finite.size else math.nan,
                     "p05": q[0], "p50": q[1], "p95": q[2],
                     "max": finite.max() if finite.size else math.nan,
                     "not_reached": int(x.size - finite.size),
                     "representative": float(x[rep])})
        p05, _, p95 = _q(prior[col].to_numpy(float))
        prior_width, width = _width(p05, p95, quantity), _width(q[0], q[2], quantity)
        ratio = width / prior_width if prior_width > 0 else math.nan
        rows[-1].update({"prior_p05": p05, "prior_p95": p95, "width_ratio": ratio,
                         "identified_by": "printed" if col in printed else
                         "" if math.isnan(ratio) else
                         "printed" if ratio <= IDENTIFIED_RATIO else "prior"})
    return pd.DataFrame(rows)


def summarize(spec: Spec, run, *, seed: int) -> EnsembleSummary:
    """Summaries of an :class:`~.sampler.EnsembleRun`."""
    if not run.members:
        raise ValueError("no accepted member to summarize")
    frames = [patients_frame(spec, m.patients) for m in run.members]
    members = pd.DataFrame([{"member": m.index, "dropout": m.dropout,
                             **member_statistics(spec, f)}
                            for m, f in zip(run.members, frames)])
    grid = np.arange(0, spec.span + 1e-9, CURVE_STEP)
    curves = np.stack([_curves(spec, f, grid) for f in frames])  # (members, ep, 2, grid)
    median_curve = np.median(curves, axis=0)
    rep = int(np.argmin(((curves - median_curve) ** 2).sum(axis=(1, 2, 3))))
    q = np.quantile(curves, BAND_QUANTILES, axis=0)
    curve_rows = [{"endpoint": ep.name, "arm": arm, "time": float(g),
                   "p05": q[0, k, a, j], "p50": q[1, k, a, j], "p95": q[2, k, a, j]}
                  for k, ep in enumerate(spec.endpoints) for a, arm in enumerate(spec.arms)
                  for j, g in enumerate(grid)]

    cons = Constraints(spec)
    stats_all = [cons.statistics(m.patients) for m in run.members]
    printed = []
    for c in cons.constraints:
        vals = np.array([s[c.stat] for s in stats_all], dtype=float)
        if c.stat.endswith("z"):  # one window, shown as the printed χ² and P
            ep = spec.endpoint(c.stat.split(".")[0])
            for key, val in (("logrank_chi2", ep.logrank_chi2), ("logrank_p", ep.logrank_p)):
                if val is None:
                    continue
                x = members[f"{ep.name}.{key}"].to_numpy(float)
                printed.append({"constraint": f"{ep.name} {key}", "printed": val.text,
                                "interval": "[{:.6g}, {:.6g}]".format(*val.printed.interval),
                                "representative": x[rep], "min": x.min(), "max": x.max(),
                                "holds": bool(val.contains(x[rep]))})
            if ep.better:
                printed.append({"constraint": f"{ep.name} better", "printed": ep.better,
                                "interval": "z < 0" if ep.better == spec.arms[0] else "z > 0",
                                "representative": vals[rep], "min": vals.min(),
                                "max": vals.max(), "holds": bool(c.holds(stats_all[rep]))})
            continue
        finite = vals[np.isfinite(vals)]
        printed.append({"constraint": c.name, "printed": c.printed,
                        "interval": f"[{c.lo:.6g}, {c.hi:.6g}]",
                        "representative": vals[rep],
                        "min": finite.min() if finite.size else math.nan,
                        "max": finite.max() if finite.size else math.nan,
                        "holds": bool(c.holds(stats_all[rep]))})
    ens = pd.concat([f.assign(member=m.index) for m, f in zip(run.members, frames)],
                    ignore_index=True)
    ens = ens[["member", *frames[0].columns]]
    prior = prior_statistics(spec, draws=len(run.members), seed=seed)
    gibbs = float(np.mean([m.gibbs_accept for m in run.members]))
    return EnsembleSummary(spec=spec, seed=seed, draws=len(run.members), tried=run.tried,
                           members=members, bands=_band_rows(spec, members, rep, prior),
                           curves=pd.DataFrame(curve_rows), representative=rep,
                           ipd=frames[rep], ensemble_ipd=ens, printed=pd.DataFrame(printed),
                           gibbs_accept=gibbs, conflicts=tuple(prior_conflicts(spec, prior)))
