"""``python -m analysis reconstruct guyot``: IPD from your own digitized KM curve.

Reads the digitized curve (``time,survival``) and, optionally, the numbers-at-risk
table (``time,n_at_risk``), reconstructs one arm with
:func:`analysis.km.reconstruct_guyot`, writes ``time,event`` (one row per
patient, sorted by time) and prints the diagnostics. Bad input is one line
naming the file, row and column; the output file is written only on success.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import pandas as pd

from ..atomic import write_text
from ..errors import InputError
from ..km import CurveError, reconstruct_guyot
from . import one_line_errors


__all__ = ["register", "run", "read_table"]


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


def read_table(path, columns: tuple[str, str]) -> tuple[pd.DataFrame, list[int]]:
    """A two-column numeric CSV and the file line of each data row.

    Errors name the file, line and column; blank lines are skipped.
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = [(line, r) for line, r in enumerate(csv.reader(fh), start=1)
                if any(cell.strip() for cell in r)]
    if not rows:
        raise InputError("empty file", file=path)
    header_line, header = rows[0]
    header = [h.strip() for h in header]
    for name in columns:
        if name not in header:
            raise InputError(f"missing column {name!r} (header is {','.join(header)!r})",
                             file=path, row=header_line, column=name)
    if len(rows) < 2:
        raise InputError("no data rows", file=path)
    out = {name: [] for name in columns}
    for line, row in rows[1:]:
        for name in columns:
            idx = header.index(name)
            cell = row[idx].strip() if idx < len(row) else ""
            try:
                value = float(cell)
            except ValueError:
                raise InputError(f"not a number: {cell!r}", file=path, row=line,
                                 column=name) from None
            if not math.isfinite(value):
                raise InputError(f"not a finite number: {cell!r}", file=path, row=line,
                                 column=name)
            out[name].append(value)
    return pd.DataFrame(out), [line for line, _ in rows[1:]]


def _ipd_csv(ipd: pd.DataFrame) -> str:
    lines = ["time,event"]
    lines += [f"{t:.10g},{int(e)}" for t, e in zip(ipd.time, ipd.event)]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    curve, curve_lines = read_table(args.curve, ("time", "survival"))
    at_risk, risk_lines = (read_table(args.at_risk, ("time", "n_at_risk")) if args.at_risk
                           else (None, []))
    files = {"curve": (args.curve, curve_lines), "at_risk": (args.at_risk, risk_lines)}
    try:
        result = reconstruct_guyot(curve, at_risk=at_risk, n=args.n,
                                   total_events=args.events, percent=args.percent)
    except CurveError as err:
        flag = {"n": "--n", "total_events": "--events"}.get(err.argument)
        if flag:
            raise InputError(err.message, file=flag) from None
        path, lines = files[err.argument]
        raise InputError(err.message, file=path,
                         row=None if err.index is None else lines[err.index],
                         column=err.column) from None
    write_text(args.out, _ipd_csv(result.ipd))
    print(result.report())
    print(f"wrote {args.out} ({result.n} rows)")
    return 0
