"""``python -m analysis corpus baseline TABLE --out DIR``: Carlisle's baseline test of a corpus.

Reads a corpus of baseline tables (Carlisle's workbook, one sheet per study set, or a tidy
CSV), tests every trial on a Dask cluster (a ``LocalCluster`` of ``--workers`` processes, or
the cluster at ``--scheduler``), and writes ``variables.csv``, ``trials.csv``,
``summary.json`` and ``report.html`` into ``--out``. A rerun into the same folder skips the
trials already done. Skipped rows are listed on stderr as ``warning:`` lines, one each.
"""

from __future__ import annotations

import sys

from ..corpus import DEFAULT_TIES
from ..stats.rounded_anova import DEFAULT_DRAWS, TIES
from . import one_line_errors, whole_number

__all__ = ["register", "run_baseline_command", "run_audit_command", "DEFAULT_SEED"]

DEFAULT_SEED = 2017
_SHOWN_WARNINGS = 20


def register(subparsers) -> None:
    parser = subparsers.add_parser("corpus", help="tests over a corpus of trials, on Dask")
    sub = parser.add_subparsers(dest="corpus_command", required=True, metavar="ACTION")
    one_line_errors(parser, "corpus")
    base = sub.add_parser(
        "baseline", help="Carlisle's baseline test (rounding-aware ANOVA P, Stouffer per trial)")
    base.add_argument("table", help="Carlisle's workbook (.xlsx, one sheet per study set) or a "
                                    "tidy CSV (study, trial, variable, group, n, mean, sd, "
                                    "mean_decimals, sd_decimals)")
    base.add_argument("--out", required=True, help="output folder (a rerun into it resumes)")
    base.add_argument("--draws", default=str(DEFAULT_DRAWS),
                      help=f"Monte Carlo draws per variable (default {DEFAULT_DRAWS})")
    base.add_argument("--seed", default=str(DEFAULT_SEED), help=f"random seed (default {DEFAULT_SEED})")
    base.add_argument("--ties", choices=TIES, default=DEFAULT_TIES,
                      help="a simulated F equal to the printed one: counted half (mid, the "
                           "default: Carlisle's mid-P) or ranked at random (random: a P uniform "
                           "under the null)")
    where = base.add_mutually_exclusive_group()
    where.add_argument("--workers", default=None,
                       help="worker processes of a local Dask cluster (default: one per core)")
    where.add_argument("--scheduler", default=None,
                       help="address of an existing Dask scheduler (tcp://host:8786)")
    base.add_argument("--batch", default="20", help="trials per Dask task (default 20)")
    one_line_errors(base, "corpus baseline")
    base.set_defaults(func=run_baseline_command)

    aud = sub.add_parser("audit", help="draft (a paper's file) and audit every paper of a folder")
    aud.add_argument("folder", help="a folder of papers: files (Markdown, HTML/XML, .docx, PDF) "
                                    "and declared data folders (with analyses.toml)")
    aud.add_argument("--out", required=True, help="output folder (checks.csv, papers.csv, "
                                                  "Parquet copies, drafts/)")
    aud.add_argument("--pattern", default="*",
                     help="only files whose name matches this glob are papers (default: all; "
                          "e.g. 'paper.md' where each paper's folder holds notes too)")
    where = aud.add_mutually_exclusive_group()
    where.add_argument("--workers", default=None,
                       help="worker processes of a local Dask cluster (default: one per core)")
    where.add_argument("--scheduler", default=None,
                       help="address of an existing Dask scheduler (tcp://host:8786)")
    one_line_errors(aud, "corpus audit")
    aud.set_defaults(func=run_audit_command)


def run_baseline_command(args) -> int:
    from tqdm import tqdm

    from ..corpus.reader import read_table
    from ..corpus.report import EXTREME, write_outputs
    from ..corpus.run import run_baseline

    options = {}
    for name, minimum in (("draws", 1), ("seed", 0), ("workers", 1), ("batch", 1)):
        text = getattr(args, name)
        if text is None:
            continue
        try:
            options[name] = whole_number(text, minimum=minimum)
        except ValueError as err:
            print(f"error: corpus baseline: --{name} {err}", file=sys.stderr)
            return 2
    table = read_table(args.table)
    for bad in table.bad_rows[:_SHOWN_WARNINGS]:
        print(f"warning: {bad}; row skipped", file=sys.stderr)
    if len(table.bad_rows) > _SHOWN_WARNINGS:
        print(f"warning: {len(table.bad_rows) - _SHOWN_WARNINGS} more rows skipped "
              f"(all listed in summary.json)", file=sys.stderr)
    if table.rows.empty:
        from ..errors import InputError
        raise InputError("no usable rows", file=args.table)
    client = _client(args, options.get("workers"))
    try:
        with tqdm(desc="trials", unit="trial", file=sys.stderr, disable=None) as bar:
            run = run_baseline(table, args.out, client=client, draws=options["draws"],
                               seed=options["seed"], ties=args.ties, batch=options["batch"],
                               progress=bar)
    finally:
        _close(client, args)
    summary = write_outputs(run, table, args.out)
    overall = summary["overall"]["rounding_aware"]
    naive = summary["overall"]["f_distribution"]
    print(f"{summary['trials']['in_input']} trials read ({run.computed} computed now, "
          f"{run.resumed} from an earlier run), {summary['trials']['with_p']} with a P; "
          f"{summary['variables']['tested']} variables tested; "
          f"{summary['rows']['skipped']} rows skipped")
    for study, d in summary["studies"].items():
        r = d["rounding_aware"]
        print(f"  {study}: {r['extreme']} of {r['trials']} trials within {EXTREME} of 0 or 1 "
              f"({r['extreme_percent']} %)")
    print(f"all: {overall['extreme']} of {overall['trials']} ({overall['extreme_percent']} %; "
          f"10 % expected; F distribution without rounding: {naive['extreme_percent']} %)")
    print(f"written to {args.out}: variables.csv, trials.csv, summary.json, report.html")
    return 0


def _client(args, workers):
    import os

    from ..corpus.run import local_client, remote_client

    if args.scheduler:
        return remote_client(args.scheduler)
    return local_client(workers or os.cpu_count() or 1)


def _close(client, args) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None and not args.scheduler:
        cluster.close()


def run_audit_command(args) -> int:
    import time
    from pathlib import Path

    from tqdm import tqdm

    from ..corpus.audit import audit_corpus, find_papers, write_audit_outputs
    from ..errors import InputError

    workers = None
    if args.workers is not None:
        try:
            workers = whole_number(args.workers, minimum=1)
        except ValueError as err:
            print(f"error: corpus audit: --workers {err}", file=sys.stderr)
            return 2
    folder = Path(args.folder)
    if not folder.is_dir():
        raise InputError("not a folder", file=folder)
    if not find_papers(folder, pattern=args.pattern):
        raise InputError("no paper files or declared folders (analyses.toml) in it", file=folder)
    client = _client(args, workers)
    start = time.perf_counter()
    try:
        with tqdm(desc="papers", unit="paper", file=sys.stderr, disable=None) as bar:
            checks, papers = audit_corpus(folder, args.out, client=client, pattern=args.pattern,
                                          progress=bar)
    finally:
        _close(client, args)
    took = time.perf_counter() - start
    written = write_audit_outputs(checks, papers, args.out)
    failed = papers[papers["error"] != ""]
    print(f"{len(papers)} papers audited in {took:.1f} s ({60 * len(papers) / took:.1f} per "
          f"minute), {len(checks)} checks: {int(papers['reproduced'].sum())} reproduced, "
          f"{int(papers['discrepant'].sum())} discrepant, "
          f"{int(papers['not_checkable'].sum())} not checkable; {len(failed)} papers failed")
    for row in failed.itertuples(index=False):
        print(f"  {row.paper}: {row.error}")
    print(f"written to {args.out}: {', '.join(written)}")
    return 0
