"""Held-out survival specs: what a paper would print about public two-arm data sets that
were never used to tune the summary reconstruction (issue #31).

Data: ``benchmarks/data/heldout_cases.csv`` (``Rscript benchmarks/heldout_export.R``:
MASS's Melanoma, coin's GTSG, survival's rhDNase) and lifelines' larynx and lymphoma.
Not used: colon and veteran (kept aside to judge the kit), scikit-survival's data sets,
and every data set of ``benchmarks/reconstruct_summary.py``'s calibration (lung, ovarian,
pbc, retinopathy, mgus2, myeloid, rats, cgd, aml, rossi, waltons, kidney_transplant,
leukemia, dd).

Each data set gives two specs: ``<case>_hr`` prints what a short report does (n per arm,
KM medians, the Cox HR with its 95 % CI, the log-rank P, follow-up median and range) and
``<case>_full`` adds the events per arm and Kaplan-Meier rates at landmarks. Every
printed number is computed here with lifelines, and the call that gives it is written
beside it in the spec. The true values the benchmark scores (survival at two landmarks
that no spec prints, events and rates where the ``_hr`` spec does not print them, a
second endpoint's HR) go to ``truth.json``.

Run: ``.venv/bin/python benchmarks/heldout_specs.py`` (writes
``benchmarks/data/heldout_specs/``).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter, datasets
from lifelines.statistics import logrank_test

HERE = Path(__file__).resolve().parent
CASES = HERE / "data" / "heldout_cases.csv"
OUT = HERE / "data" / "heldout_specs"
DAYS_PER_MONTH = 365.25 / 12
_IN_MONTHS = {"day": 1 / DAYS_PER_MONTH, "month": 1.0, "year": 12.0}


def _data():
    """``(name, frame, settings)``: frame columns time, event, arm ('a' first), optional
    time2/event2, times in the data's own unit."""
    r = pd.read_csv(CASES, dtype={"arm": str})
    first = {"melanoma": "1", "gtsg": "Chemotherapy+Radiation", "rhdnase": "1",
             "bladder": "thiotepa", "glioma": "RIT"}
    out = []
    for name, g in r.groupby("case", sort=True):
        df = pd.DataFrame({"time": g["time"].to_numpy(float), "event": g["event"].to_numpy(int),
                           "arm": np.where(g["arm"] == first[name], "a", "b")})
        if g["time2"].notna().all():
            df["time2"], df["event2"] = g["time2"].to_numpy(float), g["event2"].to_numpy(int)
        out.append((name, df))
    d = datasets.load_larynx()  # stage I (a) against II-IV, years to 0.1
    out.append(("larynx", pd.DataFrame({
        "time": d["time"].to_numpy(float), "event": d["death"].to_numpy(int),
        "arm": np.where((d["Stage_II"] + d["Stage_III"] + d["Stage_IV"]) == 0, "a", "b")})))
    d = datasets.load_lymphoma()  # stage group 1 (a) against 2, days
    out.append(("lymphoma", pd.DataFrame({
        "time": d["Time"].to_numpy(float), "event": d["Censor"].to_numpy(int),
        "arm": np.where(d["Stage_group"] == 1, "a", "b")})))
    return out


# how each report prints: time unit of the text, recording resolution, the follow-up's
# unit, landmark times printed (_full) and scored (never printed), second endpoint's kind
SETTINGS = {
    "melanoma": dict(unit="day", time_unit="year", resolution="day", fu_unit="month",
                     printed=(3, 5), scored=(2, 8), second=("mss", "death_censored")),
    "gtsg": dict(unit="day", time_unit="month", resolution="day", fu_unit="day",
                 printed=(12, 24), scored=(6, 36)),
    "rhdnase": dict(unit="day", time_unit="day", resolution="day", fu_unit="day",
                    printed=(90,), scored=(60, 150)),
    "larynx": dict(unit="year", time_unit="year", resolution="0.1", fu_unit="year",
                   printed=(3,), scored=(2, 5)),
    "lymphoma": dict(unit="day", time_unit="month", resolution="day", fu_unit="month",
                     printed=(6,), scored=(3, 9)),
    # added after the sampler's changes of 8 December 2026 were made, to measure them on
    # cases they were not tuned on
    "bladder": dict(unit="month", time_unit="month", resolution="month", fu_unit="month",
                    printed=(12, 24), scored=(6, 36), second=("rfs", "event_or_death")),
    "glioma": dict(unit="month", time_unit="month", resolution="month", fu_unit="month",
                   printed=(12,), scored=(6, 24)),
}


def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _fmt(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}"


def _endpoint(lines: list, truth: dict, ep: str, t, e, a, marks, scored, *, full: bool,
              hr: bool) -> None:
    """One endpoint's printed lines, with the lifelines call of each; its true values."""
    kms = {arm: KaplanMeierFitter().fit(t[m], e[m]) for arm, m in (("a", a), ("b", ~a))}
    lr = logrank_test(t[a], t[~a], e[a], e[~a])
    cph = CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": a.astype(int)}), "t", "e")
    ci = np.exp(cph.confidence_intervals_.loc["x"].to_numpy())
    better = "a" if cph.params_["x"] < 0 else "b"
    lines.append(f"# logrank_test(t[a], t[b], e[a], e[b]).p_value = {lr.p_value:.6g}")
    lines.append(f'logrank_p = "{_p(lr.p_value)}"')
    lines.append(f'better = "{better}"  # sign of CoxPHFitter().params_["x"]')
    if hr:
        lines.append(f"# CoxPHFitter (Efron ties), x = arm a: exp(params_) = "
                     f"{math.exp(cph.params_['x']):.6g}, exp(confidence_intervals_) = "
                     f"{ci[0]:.6g}-{ci[1]:.6g}")
        lines += [f'hr = "{math.exp(cph.params_["x"]):.2f}"', f'hr_lower = "{ci[0]:.2f}"',
                  f'hr_upper = "{ci[1]:.2f}"']
    else:
        truth[f"{ep}.hr"] = math.exp(cph.params_["x"])
    for arm, km in kms.items():
        med = km.median_survival_time_
        lines.append(f"# KaplanMeierFitter().fit(t[{arm}], e[{arm}]).median_survival_time_ = {med:.6g}")
        lines.append(f'median.{arm} = "{"NR" if math.isinf(med) else _fmt(med, 1)}"')
        n_ev = int(km.event_table["observed"].sum())
        if full:
            lines.append(f'events.{arm} = "{n_ev}"  # .event_table["observed"].sum()')
        else:
            truth[f"{ep}.events.{arm}"] = n_ev
    for when in marks:
        rates = {arm: float(km.survival_function_at_times(when).iloc[0]) for arm, km in kms.items()}
        if full:
            lines += [f"[[endpoints.{ep}.survival]]  # .survival_function_at_times({when:g})",
                      f'time = "{when:g}"'] + [f'{arm} = "{100 * s:.1f}%"' for arm, s in rates.items()]
        else:
            truth.update({f"{ep}.survival.{arm}.{when:g}": s for arm, s in rates.items()})
    for when in scored:
        truth.update({f"{ep}.survival.{arm}.{when:g}": float(km.survival_function_at_times(when).iloc[0])
                      for arm, km in kms.items()})


def build(name: str, df: pd.DataFrame, *, full: bool) -> tuple[str, dict]:
    s = SETTINGS[name]
    scale = _IN_MONTHS[s["unit"]] / _IN_MONTHS[s["time_unit"]]
    t, e = df["time"].to_numpy() * scale, df["event"].to_numpy().astype(bool)
    a = (df["arm"] == "a").to_numpy()
    fu = _IN_MONTHS[s["time_unit"]] / _IN_MONTHS[s["fu_unit"]]  # text unit -> follow-up unit
    dec = 0 if s["fu_unit"] == "day" else 1
    lines = [f"# Held out: {name} ({'events and landmark rates printed' if full else 'HR with CI'}),"
             " written by benchmarks/heldout_specs.py with lifelines",
             f'title = "{name}"', f'time_unit = "{s["time_unit"]}"',
             f'resolution = "{s["resolution"]}"', "[study]",
             f'horizon = "{math.ceil(t.max()):d}"  # ceil(max(t))']
    for arm, m in (("a", a), ("b", ~a)):
        lines += [f"[arms.{arm}]", f'n = "{int(m.sum())}"']
    lines += ["[follow_up]  # min, max and median of all observed times (numpy)"]
    for key, x in (("min", t.min()), ("max", t.max()), ("median", float(np.median(t)))):
        lines.append(f'{key} = {{ value = "{_fmt(x * fu, dec)}", unit = "{s["fu_unit"]}" }}')
    truth: dict = {}
    body: list = []
    _endpoint(body, truth, "os", t, e, a, s["printed"], s["scored"], full=full, hr=True)
    lines += ["[endpoints.os]"] + body
    if "second" in s:
        ep, kind = s["second"]
        t2 = df["time2"].to_numpy() * scale
        body = [f'kind = "{kind}"', 'nested_in = "os"']
        _endpoint(body, truth, ep, t2, df["event2"].to_numpy().astype(bool), a, s["printed"],
                  s["scored"], full=full, hr=True)
        lines += [f"[endpoints.{ep}]"] + body
    lines += ["[summary]", "landmarks = [" + ", ".join(f'"{x:g}"' for x in s["scored"]) + "]"]
    return "\n".join(lines) + "\n", truth


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    truths = {}
    for name, df in _data():
        for full in (False, True):
            case = f"{name}_{'full' if full else 'hr'}"
            text, truth = build(name, df, full=full)
            (OUT / f"{case}.toml").write_text(text)
            truths[case] = truth
    (OUT / "truth.json").write_text(json.dumps(truths, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(truths)} specs to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
