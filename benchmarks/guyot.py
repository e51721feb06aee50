"""How accurately does ``reconstruct_guyot`` recover real IPD from a digitized curve?

For real two-arm data sets shipped inside lifelines, each seed simulates a
person digitizing both Kaplan–Meier curves (``analysis.km.digitize``), then
reconstructs each arm with ``analysis.km.reconstruct_guyot`` and, on the same
inputs, with a port of the published R code (``guyot_published.py``), and
compares with the truth:

Modes: ``table`` (the at-risk table), ``table+E`` (and the total events),
``n+E`` (no table: the arm's size and total events), ``n`` (only the size).

- ``add``: how much the reconstruction adds to the error already in its input,
  ``max|S_rec - S_true| - max|S_dig - S_true|`` over the follow-up, where
  ``S_dig`` is the cleaned (sorted, running-minimum) digitized step curve; the
  worse of the two arms;
- ``dMed``, ``dRMST``: |difference| in median (R definition) and in restricted
  mean survival time to the shorter arm's last time, the worse arm;
- ``dChi2``: |difference| in the log-rank chi-square; ``dlnHR``: in the Cox log
  hazard ratio (lifelines, Efron ties); ``dlnHR_u``: the same after rounding the
  reconstructed times to the data's whole unit (all these data sets record whole
  days, weeks or years), i.e. with the ties that click noise broke restored;
- ``n rows ok``: seeds where both arms have exactly n rows; ``failed``: seeds where
  the published code stops (an R error).

Each figure is the median and 90th percentile over the seeds.

Run: ``.venv/bin/python benchmarks/guyot.py [--seeds 10]``
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter
from lifelines import datasets as ll
from tabulate import tabulate
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis.km import (digitize_km, kaplan_meier, km_median, logrank_test,  # noqa: E402
                         reconstruct_guyot, rmst, survival_at)
from guyot_published import PublishedFailure, guyot_published  # noqa: E402


def _cases() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(time, event, arm) of each real data set, arm as 0/1."""
    w = ll.load_waltons()
    r = ll.load_rossi()
    g = ll.load_gbsg2()
    lu = ll.load_lung()
    k = ll.load_kidney_transplant()
    lk = ll.load_leukemia()
    dd = ll.load_dd()
    return {
        "waltons group": (w["T"], w["E"], w["group"] == "miR-137"),
        "rossi fin": (r["week"], r["arrest"], r["fin"] == 1),
        "gbsg2 horTh": (g["time"], g["cens"], g["horTh"] == "yes"),
        "lung sex": (lu["time"], lu["status"], lu["sex"] == 2),
        "kidney_transplant sex": (k["time"], k["death"], (k["black_male"] + k["white_male"]) == 0),
        "leukemia Rx": (lk["t"], lk["status"], lk["Rx"] == 1),
        "dd democracy": (dd["duration"], dd["observed"], dd["democracy"] == "Democracy"),
    }


def _sup_diff(a, b, t_max: float) -> float:
    """max |a(t) - b(t)| on [0, t_max] for two right-continuous step functions."""
    knots = np.unique(np.concatenate(([0.0], a.time, b.time)))
    knots = knots[knots <= t_max]
    return float(np.max(np.abs(survival_at(a, knots) - survival_at(b, knots))))


def _dig_km(curve: pd.DataFrame):
    """The cleaned digitized step curve as a KaplanMeier-like object."""
    t = curve.time.to_numpy(float)
    s = curve.survival.to_numpy(float)
    order = np.argsort(t, kind="stable")
    t, s = np.maximum(t[order], 0), np.minimum.accumulate(np.clip(s[order], 0, 1))
    return t, s


class _Steps:
    def __init__(self, time, survival):
        self.time, self.survival = np.asarray(time, float), np.asarray(survival, float)


def _published_inputs(curve: pd.DataFrame):
    t, s = _dig_km(curve)
    if t[0] > 0 or s[0] < 1:
        t, s = np.concatenate(([0.0], t)), np.concatenate(([1.0], s))
    return t, s


def _run_published(dig, mode: str):
    t, s = _published_inputs(dig.curve)
    if mode.startswith("table"):
        rt = dig.at_risk.time.to_numpy(float)
        rn = dig.at_risk.n_at_risk.to_numpy(int)
        keep = rt < t[-1]
        keep[0] = True
        rt, rn = rt[keep], rn[keep]
    else:
        rt, rn = np.array([0.0]), np.array([dig.n])
    events = dig.events if mode.endswith("+E") else None
    return guyot_published(t, s, rt, rn, events)


def _run_new(dig, mode: str):
    res = reconstruct_guyot(dig.curve, at_risk=dig.at_risk if mode.startswith("table") else None,
                            n=dig.n, total_events=dig.events if mode.endswith("+E") else None)
    return res.ipd.time.to_numpy(), res.ipd.event.to_numpy()


def _med_diff(a: float, b: float) -> float:
    """|a - b|; 0 when neither median is reached, inf when only one is."""
    if np.isnan(a) and np.isnan(b):
        return 0.0
    return float(abs(a - b)) if not (np.isnan(a) or np.isnan(b)) else np.inf


def _cox_lnhr(time, event, arm) -> float:
    df = pd.DataFrame({"time": time, "event": event, "arm": arm.astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")    # convergence chatter on degenerate fits
        return float(CoxPHFitter().fit(df, "time", "event").params_["arm"])


def _pair_stats(arms, t_tau):
    """Median, RMST per arm; log-rank chi2 and Cox ln HR for the pair."""
    kms = [kaplan_meier(t, e) for t, e in arms]
    time = np.concatenate([a[0] for a in arms])
    event = np.concatenate([a[1] for a in arms])
    arm = np.repeat([0, 1], [len(arms[0][0]), len(arms[1][0])])
    return (kms, [km_median(k) for k in kms], [rmst(k, tau=t_tau) for k in kms],
            logrank_test(time, event, arm).chisq, _cox_lnhr(time, event, arm))


def evaluate(time, event, arm, *, seed: int, modes=("table", "table+E", "n+E", "n")):
    """One seed of one case: a dict per (mode, method) of the error figures."""
    rng = np.random.default_rng(seed)
    whole = bool(np.all(time == np.round(time)))
    truth_arms = [(time[arm == g], event[arm == g]) for g in (0, 1)]
    t_tau = min(float(t.max()) for t, _ in truth_arms)
    true_kms, true_med, true_rm, true_chi, true_hr = _pair_stats(truth_arms, t_tau)
    digs = [digitize_km(t, e, rng=rng) for t, e in truth_arms]
    out = []
    for mode in modes:
        for method, run in (("new", _run_new), ("published", _run_published)):
            try:
                arms = [run(d, mode) for d in digs]
            except PublishedFailure:
                out.append({"mode": mode, "method": method, "failed": 1})
                continue
            kms, med, rm, chi, hr = _pair_stats(arms, t_tau)
            # The same with the reconstructed times rounded to the data's whole unit:
            # what is left once the ties that click noise broke are restored.
            hr_u = _cox_lnhr(np.round(np.concatenate([a[0] for a in arms])),
                             np.concatenate([a[1] for a in arms]),
                             np.repeat([0, 1], [len(arms[0][0]), len(arms[1][0])])) \
                if whole else np.nan
            add = []
            for k, tk, d, (t, _) in zip(kms, true_kms, digs, truth_arms):
                t_max = float(t.max())
                dig = _Steps(*_dig_km(d.curve))
                add.append(_sup_diff(k, tk, t_max) - _sup_diff(dig, tk, t_max))
            out.append({
                "mode": mode, "method": method, "failed": 0, "add": max(add),
                "dMed": max(_med_diff(a, b) for a, b in zip(med, true_med)),
                "dRMST": max(abs(a - b) for a, b in zip(rm, true_rm)),
                "dChi2": abs(chi - true_chi), "dlnHR": abs(hr - true_hr),
                "dlnHR_u": abs(hr_u - true_hr),
                "n_ok": int(all(len(a[0]) == len(b[0]) for a, b in zip(arms, truth_arms))),
            })
    return out


def _fmt(values, digits: int = 3) -> str:
    v = np.asarray(values, float)
    v = v[~np.isnan(v)]
    if v.size == 0:
        return "-"
    return f"{np.median(v):.{digits}f} / {np.quantile(v, 0.9):.{digits}f}"


def _targets(df: pd.DataFrame) -> list[list]:
    """The issue's targets, with the at-risk table, per case (medians over seeds),
    and in how many seeds the reconstruction does at least as well as the baseline
    on the same input (a paired view: medians of small differences are noisy)."""
    rows = []
    table = df[(df["mode"] == "table") & (df.failed == 0)]
    for case, g in table.groupby("case", sort=False):
        new = g[g.method == "new"].set_index("seed")
        pub = g[g.method == "published"].set_index("seed")
        row = [case]
        for col, limit in (("add", 0.01), ("dlnHR", 0.05)):
            m_new, m_pub = new[col].median(), pub[col].median()
            both = new.index.intersection(pub.index)
            wins = int((new.loc[both, col] <= pub.loc[both, col] + 1e-12).sum())
            row += [f"{m_new:.4f}", "yes" if m_new <= limit else "NO", f"{m_pub:.4f}",
                    "yes" if m_new <= m_pub else "NO", f"{wins}/{len(both)}"]
        rows.append(row)
    return rows


def timing(repeats: int = 5) -> tuple[int, float, float]:
    """Seconds to reconstruct the 524-patient male arm of kidney_transplant."""
    k = ll.load_kidney_transplant()
    male = (k["black_male"] + k["white_male"]) == 1
    t, e = k.loc[male, "time"].to_numpy(float), k.loc[male, "death"].to_numpy()
    best = {}
    for label, pts in (("digitized", (100, 150)), ("all corners", (10**6, 10**6))):
        dig = digitize_km(t, e, rng=np.random.default_rng(0), points=pts)
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            reconstruct_guyot(dig.curve, at_risk=dig.at_risk)
            runs.append(time.perf_counter() - t0)
        best[label] = min(runs)
    return len(t), best["digitized"], best["all corners"]


def write_example(folder: Path, *, seed: int = 2012) -> None:
    """The worked example of docs/reconstruct-guyot.md: lifelines' lung data (NCCTG
    advanced lung cancer, survival::lung), both sexes digitized as a person would;
    the women's curve in percent, as many figures print it."""
    from analysis.atomic import write_text
    lung = ll.load_lung()
    rng = np.random.default_rng(seed)
    for sex, label, percent in ((1, "men", False), (2, "women", True)):
        arm = lung[lung.sex == sex]
        dig = digitize_km(arm.time.to_numpy(float), arm.status.to_numpy(), rng=rng)
        curve = dig.curve.copy()
        if percent:
            curve["survival"] = (curve.survival * 100).round(1)
        write_text(folder / f"lung_{label}_curve.csv", curve.to_csv(index=False))
        write_text(folder / f"lung_{label}_at_risk.csv", dig.at_risk.to_csv(index=False))
        print(f"{label}: n = {dig.n}, events = {dig.events}, {len(curve)} points")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--cases", nargs="*", default=None, help="subset of case names")
    parser.add_argument("--example", type=Path,
                        help="only write the worked example's input files to this folder")
    args = parser.parse_args(argv)
    if args.example:
        write_example(args.example)
        return 0
    cases = _cases()
    if args.cases:
        cases = {k: v for k, v in cases.items() if k in args.cases}
    rows = []
    jobs = [(name, s) for name in cases for s in range(args.seeds)]
    for name, seed in tqdm(jobs, desc="guyot benchmark", file=sys.stderr):
        t, e, a = cases[name]
        for r in evaluate(np.asarray(t, float), np.asarray(e, int), np.asarray(a, int),
                          seed=seed):
            rows.append({"case": name, "seed": seed, **r})
    df = pd.DataFrame(rows)
    table = []
    for (case, mode, method), g in df.groupby(["case", "mode", "method"], sort=False):
        ok = g[g.failed == 0]
        table.append([case, mode, method, _fmt(ok["add"], 4), _fmt(ok["dMed"]),
                      _fmt(ok["dRMST"]), _fmt(ok["dChi2"]), _fmt(ok["dlnHR"], 4),
                      _fmt(ok["dlnHR_u"], 4), f"{int(ok['n_ok'].sum())}/{len(ok)}",
                      int(g.failed.sum())])
    print(f"Seeds: {args.seeds}. Each cell: median / 90th percentile over the seeds.")
    print("mode: table = at-risk table; +E = and the total events; n = only the arm's size.")
    print(tabulate(table, headers=["case", "mode", "method", "add", "dMed", "dRMST", "dChi2",
                                   "dlnHR", "dlnHR_u", "n rows ok", "failed"],
                   tablefmt="github"))
    print("\nTargets with the at-risk table (medians over the seeds; 'seeds <= base': "
          "seeds where the reconstruction is at least as good as the baseline):")
    print(tabulate(_targets(df), headers=[
        "case", "add", "<= 0.01", "add base", "<= base", "seeds <= base",
        "dlnHR", "<= 0.05", "dlnHR base", "<= base", "seeds <= base"], tablefmt="github"))
    n, fast, full = timing()
    print(f"\nTiming: {n}-patient arm (kidney_transplant, male), best of 5: "
          f"{fast:.3f} s digitized (100-150 points), {full:.3f} s with every corner clicked.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
