"""Speed and calibration of the summary reconstruction on held-out reports (issue #31).

For every spec in ``benchmarks/data/heldout_specs/`` (written by
``benchmarks/heldout_specs.py`` from data sets never used in tuning), time 200 accepted
data sets on 2 workers and print per case: n, endpoints, seconds, acceptance (accepted /
tried), the constraint that rejected most members, and the coverage of the true values
(``truth.json``: survival at landmarks no spec prints; events, rates and a second
endpoint's HR where the spec does not print them) by the ensemble's 5-95 % band. Then
coverage by class: ``HR with CI`` (the ``_hr`` specs), ``events and rates printed`` (the
``_full`` specs), and by kind of true value. Targets: <= 60 s for n <= 300 with a printed
HR and CI, <= 180 s for n <= 1000 with two endpoints; >= 80 % in every class.

A case not finished within ``--budget`` seconds is stopped and reported with what it had.
``--profile CASE`` runs cProfile on one worker for ``--draws`` data sets instead.

Run: ``nice -n 19 .venv/bin/python benchmarks/reconstruct_heldout.py [--only gtsg]``
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import pstats
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.ensemble.constraints import InfeasibleSpec  # noqa: E402
from analysis.ensemble.sampler import EnsembleRun, sample_ensemble  # noqa: E402
from analysis.ensemble.spec import load_spec  # noqa: E402
from analysis.ensemble.summarize import summarize  # noqa: E402

SPECS = Path(__file__).resolve().parent / "data" / "heldout_specs"


class _OutOfTime(Exception):
    pass


class _Clock:
    """A progress sink that stops the run once ``budget`` seconds have passed, keeping
    the members accepted so far."""

    def __init__(self, budget: float):
        self.start, self.budget, self.accepted = time.perf_counter(), budget, 0

    def update(self, n: int = 1) -> None:
        self.accepted += n
        self.check()

    def set_postfix_str(self, text: str) -> None:  # called after every try
        self.check()

    def check(self) -> None:
        if time.perf_counter() - self.start > self.budget:
            raise _OutOfTime

    def write(self, line: str, file=None) -> None:
        print(f"    {line}", flush=True)


def _truth_row(bands: pd.DataFrame, key: str) -> pd.Series | None:
    ep, quantity, *rest = key.split(".")
    sel = bands[(bands["endpoint"] == ep) & (bands["quantity"] == quantity)]
    if rest:
        sel = sel[sel["arm"] == rest[0]]
    if len(rest) > 1:
        sel = sel[np.isclose(sel["time"], float(".".join(rest[1:])))]
    return sel.iloc[0] if len(sel) else None


def _kind(key: str, printed_landmarks: set) -> str:
    q = key.split(".")[1]
    if q == "survival":
        return "rate at a printed landmark" if float(".".join(key.split(".")[3:])) \
            in printed_landmarks else "survival at an unprinted landmark"
    return {"events": "events", "hr": "HR"}.get(q, q)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished worker processes."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def run_case(path: Path, truth: dict, *, draws: int, seed: int, budget: float) -> dict:
    spec = load_spec(path)
    clock = _Clock(budget)
    load = os.getloadavg()[0]
    cpu0 = _cpu_seconds()
    start = time.perf_counter()
    done = True
    try:
        run = sample_ensemble(spec, draws=draws, seed=seed, workers=2, progress=clock)
    except _OutOfTime:
        run, done = None, False
    except InfeasibleSpec as err:
        return {"case": path.stem, "n": spec.n_total, "error": str(err)}
    took = time.perf_counter() - start
    # other work on the machine slows the wall clock; CPU time / 2 is what 2 idle cores take
    row = {"case": path.stem, "n": spec.n_total, "endpoints": len(spec.endpoints),
           "seconds": round(took, 1), "cpu_over_2": round((_cpu_seconds() - cpu0) / 2, 1),
           "finished": done, "load": round(load, 2)}
    if run is None:
        row["accepted"] = clock.accepted
        if clock.accepted:
            row["cpu_per_set"] = round(2 * row["cpu_over_2"] / clock.accepted, 2)
        return row
    if run.members:  # CPU seconds per accepted data set: less load-sensitive than the wall
        row["cpu_per_set"] = round(2 * row["cpu_over_2"] / len(run.members), 2)
    row.update(accepted=len(run.members), tried=run.tried,
               acceptance=round(100 * run.acceptance_rate, 1),
               hardest=max(run.rejected_worst, key=run.rejected_worst.get)
               if run.rejected_worst else "")
    if not run.members:
        return row
    bands = summarize(spec, run, seed=seed).bands
    printed = {m.time for ep in spec.endpoints for m in ep.survival}
    scored = []
    for key, true in truth.items():
        r = _truth_row(bands, key)
        if r is None:
            continue
        scored.append({"case": path.stem, "key": key, "kind": _kind(key, printed),
                       "true": true, "p05": r["p05"], "p95": r["p95"],
                       "covered": bool(r["p05"] - 1e-9 <= true <= r["p95"] + 1e-9)})
    row["covered"] = f"{sum(s['covered'] for s in scored)}/{len(scored)}"
    row["scored"] = scored
    return row


def profile(path: Path, *, draws: int, seed: int) -> None:
    spec = load_spec(path)
    prof = cProfile.Profile()
    prof.enable()
    run = sample_ensemble(spec, draws=draws, seed=seed, workers=1)
    prof.disable()
    print(f"{path.stem}: {len(run.members)}/{run.tried} accepted")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(35)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--budget", type=float, default=600.0,
                        help="seconds per case before it is stopped (default 600)")
    parser.add_argument("--only", help="cases whose name contains this")
    parser.add_argument("--profile", help="cProfile this case on one worker")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)
    if args.profile:
        profile(SPECS / f"{args.profile}.toml", draws=args.draws, seed=args.seed)
        return 0
    truths = json.loads((SPECS / "truth.json").read_text())
    rows = []
    for path in sorted(SPECS.glob("*.toml")):
        if args.only and args.only not in path.stem:
            continue
        row = run_case(path, truths.get(path.stem, {}), draws=args.draws, seed=args.seed,
                       budget=args.budget)
        rows.append(row)
        show = {k: v for k, v in row.items() if k != "scored"}
        print("  ".join(f"{k} {v}" for k, v in show.items()), flush=True)
    pd.set_option("display.width", 200)
    table = pd.DataFrame([{k: v for k, v in r.items() if k != "scored"} for r in rows])
    print("\nPer case (200 data sets, 2 workers; others share the machine's 2 cores):")
    print(table.to_string(index=False))
    done = table[table.get("finished", pd.Series(dtype=bool)) == True]  # noqa: E712
    if len(done):
        slow = done.loc[done["seconds"].idxmax()]
        print(f"\nslowest finished case: {slow['case']} (n = {slow['n']}), {slow['seconds']} s")
    unfinished = table[table.get("finished", pd.Series(dtype=bool)) == False]  # noqa: E712
    for _, r in unfinished.iterrows():
        print(f"not finished within {args.budget:g} s: {r['case']} (n = {r['n']})")
    scored = pd.DataFrame([s for r in rows for s in r.get("scored", [])])
    if len(scored):
        scored["class"] = np.where(scored["case"].str.endswith("_full"),
                                   "events and rates printed", "HR with CI only")
        print("\nCoverage of the true values by the 5-95 % band (target >= 80 % per class):")
        for by in ("class", "kind"):
            for name, g in scored.groupby(by):
                print(f"  {name:<36} {g['covered'].sum():>3}/{len(g):<3} = "
                      f"{100 * g['covered'].mean():3.0f} %")
        print(f"  {'all':<36} {scored['covered'].sum():>3}/{len(scored):<3} = "
              f"{100 * scored['covered'].mean():3.0f} %")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
