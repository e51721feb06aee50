"""Reading digitized curve and at-risk files, with errors that name file, line and column.

Shared by ``python -m analysis reconstruct guyot`` and Figure 1 (a digitized figure
in ``data/raw/figure1/``): a problem :func:`~analysis.km.reconstruct_guyot` finds in a
data row comes back as an :class:`~analysis.errors.InputError` naming the file line.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .curve import CurveError
from .guyot import GuyotResult, reconstruct_guyot

__all__ = ["read_table", "reconstruct_from_files"]


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


def reconstruct_from_files(curve_path, at_risk_path=None, *, n: int, total_events: int | None = None,
                           percent: bool = False, n_flag: str = "n", events_flag: str = "total_events"
                           ) -> GuyotResult:
    """:func:`~analysis.km.reconstruct_guyot` on a curve file (``time,survival``) and an
    optional at-risk file (``time,n_at_risk``).

    Raises
    ------
    InputError
        Naming the file, line and column of a bad value, or ``n_flag`` / ``events_flag``
        (how the caller spells those arguments, e.g. ``--n``) when one of them is wrong.
    """
    curve, curve_lines = read_table(curve_path, ("time", "survival"))
    at_risk, risk_lines = (read_table(at_risk_path, ("time", "n_at_risk")) if at_risk_path
                           else (None, []))
    files = {"curve": (curve_path, curve_lines), "at_risk": (at_risk_path, risk_lines)}
    try:
        return reconstruct_guyot(curve, at_risk=at_risk, n=n, total_events=total_events,
                                 percent=percent)
    except CurveError as err:
        flag = {"n": n_flag, "total_events": events_flag}.get(err.argument)
        if flag:
            raise InputError(err.message, file=flag) from None
        path, lines = files[err.argument]
        raise InputError(err.message, file=path,
                         row=None if err.index is None else lines[err.index],
                         column=err.column) from None
