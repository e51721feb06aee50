"""Read a corpus of baseline tables: Carlisle's workbook as published, or a tidy CSV.

Both become one tidy frame, one row per group of one variable of one trial (:data:`COLUMNS`).
A row that cannot be used (a word where a number belongs, a negative SD, a group given
twice) is named by its file, sheet, row and column, skipped and counted; only a file that
cannot be read at all, or has no recognisable columns, stops the run (:class:`InputError`).

The workbook (Carlisle 2017, Appendix S2) has one sheet per journal with the columns
``trial, measure, Group, number in group, mean, sd, decM (or decm), decsd``; the sheet's name
is the study set. The tidy CSV has ``study, trial, variable, group, n, mean, sd,
mean_decimals, sd_decimals``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["COLUMNS", "BadRow", "CorpusTable", "read_table", "tidy_from_frame", "printed_grid"]

# The tidy frame's columns, in order; `sheet` and `row` say where each row was read.
COLUMNS = ("study", "trial", "variable", "group", "n", "mean", "sd", "mean_decimals",
           "sd_decimals", "sheet", "row")

# Names the workbook and tidy CSVs use for each column (compared lower-case, spaces and
# underscores dropped).
_ALIASES = {
    "study": ("study", "journal", "set", "studyset"),
    "trial": ("trial", "trialid", "id"),
    "variable": ("variable", "measure", "row"),
    "group": ("group", "arm", "column"),
    "n": ("n", "numberingroup", "samplesize", "size"),
    "mean": ("mean", "stat1"),
    "sd": ("sd", "stat2"),
    "mean_decimals": ("meandecimals", "decm", "dp1", "decmean"),
    "sd_decimals": ("sddecimals", "decsd", "dp2", "decs"),
}
_REQUIRED = ("trial", "variable", "group", "n", "mean", "sd", "mean_decimals", "sd_decimals")
_MAX_DECIMALS = 15


@dataclass(frozen=True)
class BadRow:
    """A skipped row: where it is and what is wrong with it."""

    file: str
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        sheet = f"sheet '{self.sheet}', " if self.sheet else ""
        return f"{self.file}: {sheet}row {self.row}, column '{self.column}': {self.message}"


@dataclass(frozen=True)
class CorpusTable:
    """A corpus read: the usable rows (tidy), the skipped ones, and the input's digest."""

    source: str
    sha256: str
    rows: pd.DataFrame
    bad_rows: tuple[BadRow, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.rows.copy()


def _key(name) -> str:
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


def _columns(frame: pd.DataFrame, *, file: str, sheet: str, study_from_sheet: bool) -> dict:
    found = {}
    keys = {_key(c): c for c in frame.columns}
    for name, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in keys:
                found[name] = keys[alias]
                break
    needed = _REQUIRED if study_from_sheet else ("study",) + _REQUIRED
    missing = [c for c in needed if c not in found]
    if missing:
        where = f"sheet '{sheet}': " if sheet else ""
        raise InputError(f"{where}no column for {', '.join(missing)} (found: "
                         f"{', '.join(map(str, frame.columns))})", file=file)
    return found


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _read_rows(frame: pd.DataFrame, cols: dict, *, file: str, sheet: str, study: str | None,
               header_row: int) -> tuple[list[dict], list[BadRow]]:
    good, bad = [], []
    records = frame.to_dict("records")
    for i, rec in enumerate(records):
        line = i + header_row + 1
        values = {name: rec[col] for name, col in cols.items()}
        if all(_text(v) is None for v in values.values()):
            continue                                    # a blank line
        out = {"sheet": sheet, "row": line}
        problem = None
        ids = (("study",) if study is None else ()) + ("trial", "variable", "group")
        for name in ids:
            text = _text(values[name])
            if text is None:
                problem = (name, "empty")
                break
            out[name] = text
        if study is not None:
            out["study"] = study
        if problem is None:
            for name in ("n", "mean", "sd", "mean_decimals", "sd_decimals"):
                x = _number(values[name])
                if x is None:
                    problem = (name, f"not a number: {_text(values[name])!r}")
                elif name == "n" and (not x.is_integer() or x < 1):
                    problem = (name, f"a group size must be a whole number of 1 or more, got {x:g}")
                elif name == "sd" and x < 0:
                    problem = (name, f"an SD cannot be negative, got {x:g}")
                elif name.endswith("decimals") and (not x.is_integer()
                                                    or not 0 <= x <= _MAX_DECIMALS):
                    problem = (name, f"decimals must be a whole number from 0 to "
                                     f"{_MAX_DECIMALS}, got {x:g}")
                if problem:
                    break
                out[name] = x
        if problem is None:
            good.append(out)
        else:
            bad.append(BadRow(file=file, sheet=sheet, row=line, column=str(cols[problem[0]]),
                              message=problem[1]))
    return good, bad


def printed_grid(values, n, decimals, *, kind: str) -> np.ndarray:
    """What each printed number is, given its decimals: which quantity lies on the grid.

    Returns, per value, ``"mean"``/``"sd"`` (the value is on the 10^-decimals grid),
    ``"se"`` (only for ``kind="sd"``: the value is an SD computed from a printed SE, SE·√n,
    and SE is on the grid) or ``""`` (neither: not simulated with rounding).

    Notes
    -----
    A value x is on the grid when |x·10^d − round(x·10^d)| ≤ max(10⁻⁶, 10⁻⁵·|x·10^d|): the
    relative slack absorbs SDs that a workbook stores to six or seven significant figures
    after converting them from SEs (7.745967 = 2.0·√15).
    """
    x = np.asarray(values, dtype=float)
    d = np.asarray(decimals, dtype=float)

    def on(v):
        u = v * 10.0 ** d
        return np.abs(u - np.rint(u)) <= np.maximum(1e-6, 1e-5 * np.abs(u))

    out = np.where(on(x), kind, "")
    if kind == "sd":
        out = np.where((out == "") & on(x / np.sqrt(np.asarray(n, dtype=float))), "se", out)
    return out.astype(object)


def tidy_from_frame(good: list[dict], bad: list[BadRow], *, file: str) -> pd.DataFrame:
    """The tidy frame of ``good`` rows; a repeated (study, trial, variable, group) is added
    to ``bad`` (the later row) and dropped."""
    frame = pd.DataFrame(good, columns=list(COLUMNS))
    key = ["study", "trial", "variable", "group"]
    dup = frame.duplicated(key, keep="first")
    for rec in frame[dup].itertuples(index=False):
        bad.append(BadRow(file=file, sheet=rec.sheet, row=int(rec.row), column="group",
                          message=f"group {rec.group} of variable {rec.variable} of trial "
                                  f"{rec.trial} given twice"))
    frame = frame[~dup].reset_index(drop=True)
    frame["n"] = frame["n"].astype("int64")
    for col in ("mean_decimals", "sd_decimals"):
        frame[col] = frame[col].astype("int64")
    return frame


def read_table(path) -> CorpusTable:
    """Read a corpus file: an Excel workbook (one sheet per study set) or a tidy CSV.

    Raises
    ------
    InputError
        The file cannot be read, or a sheet lacks a needed column. Bad rows do not raise:
        they are in :attr:`CorpusTable.bad_rows`.
    """
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    good, bad = [], []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=object)
        except Exception as err:                       # openpyxl raises many kinds
            raise InputError(f"not a readable Excel workbook ({err})", file=path) from None
        for sheet, frame in sheets.items():
            if frame.empty:
                continue
            cols = _columns(frame, file=str(path), sheet=sheet, study_from_sheet=True)
            g, b = _read_rows(frame, cols, file=str(path), sheet=sheet,
                              study=cols and (None if "study" in cols else sheet), header_row=1)
            good += g
            bad += b
    else:
        try:
            frame = pd.read_csv(path, dtype=object, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
            raise InputError(f"not a readable CSV file ({err})", file=path) from None
        cols = _columns(frame, file=str(path), sheet="", study_from_sheet=False)
        good, bad = _read_rows(frame, cols, file=str(path), sheet="", study=None, header_row=1)
    rows = tidy_from_frame(good, bad, file=str(path))
    bad.sort(key=lambda b: (b.sheet, b.row))
    return CorpusTable(source=str(path), sha256=digest, rows=rows, bad_rows=tuple(bad))
