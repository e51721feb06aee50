"""Carlisle's 5087 trials reproduced, the run's speed on 1 and 2 workers, the calibration, and
`corpus audit`'s papers per minute.

Run: ``.venv/bin/python benchmarks/corpus_baseline.py WORKBOOK [--draws 10000]
[--workers 1 2] [--sheets NEJM JAMA] [--calibration 5000] [--calibration-draws 1000]
[--audit data/examples benchmarks/corpus --audit-pattern paper.md]``.

WORKBOOK is Carlisle's Appendix S2 (Anaesthesia 2017;72:944, doi:10.1111/anae.13938), e.g.
from the public repository agbarnett/baseline_tables:
``git --git-dir=<mirror> show HEAD:data/anae13938-sup-0002-appendixs2.xlsx > carlisle.xlsx``.
It is not in this repository (Wiley's supplementary file; its licence is not stated).

Prints, per study set and overall, the trials whose P lies within 0.05 of 0 or 1 (target:
15.6 % ± 1 point, Carlisle's 794 of 5087), with the F-distribution P for comparison; the
wall time of each worker count (cluster start separately; target ≤ 120 s on 2 workers,
2 workers ≥ 1.7× as fast as 1); and, on simulated honest trials, the KS P of uniformity
(target > 0.01) and the share within 0.05 of 0 or 1 (target 10 % ± 1 point).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.corpus import DEFAULT_TIES  # noqa: E402
from analysis.corpus.audit import audit_corpus  # noqa: E402
from analysis.corpus.baseline import trial_table, variable_table  # noqa: E402
from analysis.corpus.reader import CorpusTable, read_table  # noqa: E402
from analysis.corpus.report import summary_dict  # noqa: E402
from analysis.corpus.run import local_client, run_baseline  # noqa: E402
from analysis.corpus.simulate import honest_trials  # noqa: E402


def _extreme(p) -> tuple[int, int]:
    p = np.asarray(p, float)
    p = p[~np.isnan(p)]
    return int(((p < 0.05) | (p > 0.95)).sum()), len(p)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workbook", nargs="?", help="Carlisle's Appendix S2 (.xlsx)")
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--ties", default=DEFAULT_TIES, choices=("random", "mid"))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sheets", nargs="*", help="only these study sets (a quick run)")
    parser.add_argument("--calibration", type=int, default=5000, help="honest trials (0: skip)")
    parser.add_argument("--calibration-draws", type=int, default=1000)
    parser.add_argument("--audit", nargs="*", default=[],
                        help="folders for `corpus audit` timing (papers per minute per worker "
                             "count), e.g. data/examples benchmarks/corpus")
    parser.add_argument("--audit-pattern", default="*",
                        help="file-name glob of papers in the --audit folders (paper.md for "
                             "benchmarks/corpus)")
    args = parser.parse_args()

    if args.workbook:
        start = time.perf_counter()
        table = read_table(args.workbook)
        print(f"read {len(table.rows)} rows in {time.perf_counter() - start:.1f} s, "
              f"{len(table.bad_rows)} skipped")
        if args.sheets:
            rows = table.rows[table.rows["study"].isin(args.sheets)].reset_index(drop=True)
            table = CorpusTable(source=table.source, sha256=table.sha256, rows=rows,
                                bad_rows=tuple(b for b in table.bad_rows if b.sheet in args.sheets))
        times, runs = {}, {}
        for workers in args.workers:
            started = time.perf_counter()
            client = local_client(workers)
            up = time.perf_counter() - started
            with tempfile.TemporaryDirectory() as out:
                started = time.perf_counter()
                runs[workers] = run_baseline(table, out, client=client, draws=args.draws,
                                             seed=args.seed, ties=args.ties)
                times[workers] = time.perf_counter() - started
            cluster = client.cluster
            client.close()
            cluster.close()
            print(f"{workers} worker(s): {times[workers]:.1f} s for {len(runs[workers].trials)} "
                  f"trials, {args.draws} draws per variable (cluster start {up:.1f} s)")
        if 1 in times and 2 in times:
            print(f"speed-up, 2 workers over 1: {times[1] / times[2]:.2f}x")
        run = runs[args.workers[-1]]
        if len(runs) > 1:
            first = next(iter(runs.values()))
            same = all(r.trials.equals(first.trials) for r in runs.values())
            print(f"identical results on {', '.join(map(str, runs))} workers: {same}")
        summary = summary_dict(run, table)
        print(f"\n{'study set':28} {'trials':>6} {'extreme':>8} {'%':>6} {'F-dist %':>9} {'KS P':>9}")
        for study, d in list(summary["studies"].items()) + [("All", summary["overall"])]:
            r, f = d["rounding_aware"], d["f_distribution"]
            print(f"{study:28} {r['trials']:6d} {r['extreme']:8d} {r['extreme_percent']:6.2f} "
                  f"{f['extreme_percent']:9.2f} {r['ks_uniform_p']:9.3g}")
        print("Carlisle 2017: 794 of 5087 trials (15.6 %); F distribution without rounding "
              "(issue #32): 41 %")

    if args.calibration:
        rows = honest_trials(args.calibration, seed=11)
        started = time.perf_counter()
        trials = trial_table(variable_table(rows, draws=args.calibration_draws, seed=5,
                                            ties=args.ties))
        took = time.perf_counter() - started
        hit, n = _extreme(trials["p"])
        hit_f, _ = _extreme(trials["p_f"])
        print(f"\ncalibration: {n} honest trials (k 2-4, n 10-500, 0-2 decimals), "
              f"{args.calibration_draws} draws, {took:.0f} s in one process")
        print(f"  within 0.05 of 0 or 1: {hit} ({100 * hit / n:.2f} %; target 10 ± 1); "
              f"KS P of uniformity {stats.kstest(trials['p'], 'uniform').pvalue:.3g} "
              f"(target > 0.01); F distribution without rounding: {100 * hit_f / n:.1f} %")

    for folder in args.audit:
        for workers in args.workers:
            client = local_client(workers)
            with tempfile.TemporaryDirectory() as out:
                started = time.perf_counter()
                checks, papers = audit_corpus(folder, out, client=client,
                                              pattern=args.audit_pattern)
                took = time.perf_counter() - started
            cluster = client.cluster
            client.close()
            cluster.close()
            print(f"corpus audit {folder}: {len(papers)} papers, {len(checks)} checks, "
                  f"{(papers['error'] != '').sum()} failed; {workers} worker(s): {took:.1f} s, "
                  f"{60 * len(papers) / took:.1f} papers per minute")


if __name__ == "__main__":
    main()
