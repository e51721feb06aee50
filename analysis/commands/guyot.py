"""``python -m analysis reconstruct guyot``: IPD from your own digitized KM curve.

Reads the digitized curve (``time,survival``) and, optionally, the numbers-at-risk
table (``time,n_at_risk``), reconstructs one arm with
:func:`analysis.km.reconstruct_guyot`, writes ``time,event`` (one row per
patient, sorted by time) and prints the diagnostics. Bad input is one line
naming the file, row and column; the output file is written only on success.
"""

from __future__ import annotations

import argparse

import pandas as pd

from ..atomic import write_text
from ..km.files import reconstruct_from_files
from . import one_line_errors

__all__ = ["register", "run"]


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "guyot", help="patient-level data from a digitized Kaplan-Meier curve (Guyot 2012)",
        description="Reconstruct one arm's individual patient data from its digitized "
                    "Kaplan-Meier curve and numbers at risk (Guyot et al. 2012, "
                    "doi:10.1186/1471-2288-12-9).")
    parser.add_argument("--curve", required=True, help="CSV with header time,survival")
    parser.add_argument("--at-risk", help="CSV with header time,n_at_risk (optional)")
    parser.add_argument("--n", required=True, type=_count, help="patients in the arm")
    parser.add_argument("--events", type=_count, help="total events, if reported")
    parser.add_argument("--percent", action="store_true", help="survival is in percent (0-100)")
    parser.add_argument("--out", required=True, help="output CSV: time,event")

    one_line_errors(parser, "reconstruct guyot")
    parser.set_defaults(func=run)


def _ipd_csv(ipd: pd.DataFrame) -> str:
    lines = ["time,event"]
    lines += [f"{t:.10g},{int(e)}" for t, e in zip(ipd.time, ipd.event)]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    result = reconstruct_from_files(args.curve, args.at_risk, n=args.n, total_events=args.events,
                                    percent=args.percent, n_flag="--n", events_flag="--events")
    write_text(args.out, _ipd_csv(result.ipd))
    print(result.report())
    print(f"wrote {args.out} ({result.n} rows)")
    return 0
