"""Load a digitized paper from ``data/raw`` (or another data folder), validated, with provenance.

Layout: ``<data dir>/<lang>/<table>.csv`` for the languages and files that
``<data dir>/analyses.toml`` declares (this paper: ``en``, the English version, and
``zh``, the Chinese original; ``table`` in :data:`TABLES`); one row per printed value,
kept as text exactly as printed. ``discrepancies.csv`` lists where two language
versions differ. See ``data/README.md`` and ``docs/analyses.md``.

The data folder is ``data/raw`` of this project unless a ``data_dir`` is passed or
the environment variable ``REANALYSIS_DATA_DIR`` names another one (used to run the
book on a modified copy).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .declaration import Declaration, load_declaration
from .errors import InputError, raise_all
from .i18n import check_lang
from .printed import Printed, non_number, parse_printed
from .schema import (COLUMNS, DISCREPANCY_COLUMNS, KEY, NUMERIC_QUANTITIES, validate_discrepancies,
                     validate_raw)

__all__ = ["TABLES", "PROJECT_ROOT", "raw_dir", "raw_files", "survival_spec", "display_path", "read_csv_text", "load_table",
           "load_all", "load_discrepancies", "is_this_paper", "declaration", "cross_validate",
           "printed_value", "clear_cache"]

# This paper's files (data/raw/analyses.toml declares them; another data folder declares its own).
TABLES = ("table1", "table2", "table3", "table4", "text")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_ENV = "REANALYSIS_DATA_DIR"


def raw_dir(data_dir=None) -> Path:
    """The raw-data folder in use (argument, then ``$REANALYSIS_DATA_DIR``, then ``data/raw``)."""
    if data_dir is not None:
        return Path(data_dir)
    env = os.environ.get(_ENV)
    return Path(env) if env else PROJECT_ROOT / "data" / "raw"


def is_this_paper(data_dir=None) -> bool:
    """Whether the data folder in use is this project's ``data/raw`` (Cai et al. 2026),
    whose survival ensemble and Figure 1 live in ``data/derived``."""
    return raw_dir(data_dir).resolve() == (PROJECT_ROOT / "data" / "raw").resolve()


def survival_spec(data_dir=None) -> Path | None:
    """The data folder's ``survival_spec.toml`` (docs/survival-spec.md), or ``None``: a paper
    with one gets its survival ensemble and figure (derived files beside the spec)."""
    path = raw_dir(data_dir) / "survival_spec.toml"
    return path if path.is_file() else None


def declaration(data_dir=None) -> Declaration:
    """The data folder's ``analyses.toml`` (see :mod:`analysis.declaration`)."""
    root = raw_dir(data_dir)
    return load_declaration(root, shown=display_path(root / "analyses.toml"))


def raw_files(data_dir=None) -> list[Path]:
    """Every raw file, in a fixed order: the declaration, then each declared language's
    tables, then ``discrepancies.csv`` when two languages are declared."""
    root = raw_dir(data_dir)
    decl = declaration(data_dir)
    files = [root / "analyses.toml"]
    files += [root / lang / f"{table}.csv" for lang in decl.languages for table in decl.tables]
    return files + ([root / "discrepancies.csv"] if len(decl.languages) > 1 else [])


def display_path(path) -> str:
    """``path`` relative to the project when inside it, for messages and provenance."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def read_csv_text(path) -> pd.DataFrame:
    """Read a CSV with every cell as text (empty cells as ``""``), or raise InputError."""
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise InputError("file not found", file=shown)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise InputError("the file is empty (no header)", file=shown, row=1) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise InputError(f"not a readable UTF-8 CSV: {err}", file=shown) from None


def _with_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``number``, ``decimals`` and ``relation``; a printed dash or ``NR`` has no number and
    its meaning (``not_printed``, ``not_reached``) as its relation."""
    parsed = [parse_printed(v) if q in NUMERIC_QUANTITIES and not non_number(v) else None
              for q, v in zip(df["quantity"], df["value"])]
    df["number"] = [p.value if p else np.nan for p in parsed]
    df["decimals"] = pd.array([p.decimals if p else pd.NA for p in parsed], dtype="Int64")
    df["relation"] = [p.relation if p else (non_number(v) or "") for p, v in zip(parsed, df["value"])]
    return df


@lru_cache(maxsize=32)
def _load(path: Path, rule, arms: tuple, letters: str, lang: str, mtime_ns: int) -> pd.DataFrame:
    df = read_csv_text(path)
    validate_raw(df, rule=rule, arms=arms, letters=letters, file=display_path(path))
    df = df[COLUMNS].copy()
    df["lang"] = lang
    df["file"] = display_path(path)
    df["line"] = np.arange(2, len(df) + 2)
    return _with_numbers(df)


def load_table(table: str, lang: str = "en", *, data_dir=None) -> pd.DataFrame:
    """One raw table of one language version, validated.

    Parameters
    ----------
    table : str
        A file the data folder declares (this paper: ``table1`` ... ``table4``, ``text``).
    lang : {"en", "zh"}
        A declared language (this paper: ``en``, the English version; ``zh``, the Chinese original).
    data_dir : path, optional
        Raw-data folder; see :func:`raw_dir`.

    Returns
    -------
    DataFrame
        The file's columns (text as printed) plus provenance ``lang``, ``file``,
        ``line`` (1-based line in the file) and the parsed ``number``, ``decimals``
        and ``relation`` of numeric values (NaN/NA/"" otherwise).

    Raises
    ------
    InputError
        If the file is missing or violates the schema (message names file, row, column),
        or the declaration does not list ``lang``.
    """
    check_lang(lang)
    decl = declaration(data_dir)
    rule = decl.table(table)
    if lang not in decl.languages:
        raise InputError(f"declares no {lang!r} transcription (languages: {', '.join(decl.languages)})",
                         file=decl.file, column="languages")
    path = (raw_dir(data_dir) / lang / f"{table}.csv").resolve()
    mtime = path.stat().st_mtime_ns if path.is_file() else -1
    return _load(path, rule, rule.arms or decl.arms, decl.alphabet, lang, mtime).copy()


def load_all(lang: str = "en", *, data_dir=None) -> pd.DataFrame:
    """All raw tables of one language version, concatenated in declared order."""
    return pd.concat([load_table(t, lang, data_dir=data_dir) for t in declaration(data_dir).tables],
                     ignore_index=True)


def load_discrepancies(*, data_dir=None) -> pd.DataFrame:
    """``discrepancies.csv``: every recorded difference between the en and zh versions."""
    path = raw_dir(data_dir) / "discrepancies.csv"
    df = read_csv_text(path)
    validate_discrepancies(df, file=display_path(path))
    return df[DISCREPANCY_COLUMNS].copy()


# Kinds of discrepancies.csv rows that stand for one differing value cell (the others, label
# and text, record wording and are not compared with the files).
_VALUE_KINDS = ("value", "format", "missing")


def _kind(en, zh) -> str:
    """How two printed cells differ: ``missing`` (one absent), ``format`` (same number, decimals
    and relation printed differently, ``<0.001``/``＜0.001``; or the same non-number,
    ``not reached``/``未达到``) or ``value``."""
    if en is None or zh is None:
        return "missing"
    same = ((pd.notna(en.number) and en.number == zh.number and en.decimals == zh.decimals
             and en.relation == zh.relation)
            or (pd.isna(en.number) and pd.isna(zh.number) and en.relation != "" and en.relation == zh.relation))
    return "format" if same else "value"


def cross_validate(*, data_dir=None) -> None:
    """Check ``discrepancies.csv`` against both transcriptions.

    Every ``value``, ``format`` or ``missing`` record must show what ``<lang>/`` prints in
    each language (``""`` where a version prints nothing) and the kind of the difference, and
    every value that differs between the versions must be recorded. Does nothing when the
    declaration lists one language.

    Raises
    ------
    InputError
        Every failure, each naming the file, the row and the column.
    """
    decl = declaration(data_dir)
    if len(decl.languages) < 2:
        return
    first, second = decl.languages
    path = display_path(raw_dir(data_dir) / "discrepancies.csv")
    cells = {lang: {tuple(r[k] for k in KEY): r for _, r in load_all(lang, data_dir=data_dir).iterrows()}
             for lang in decl.languages}
    disc = load_discrepancies(data_dir=data_dir)
    recorded, problems = set(), []
    for idx, row in disc.iterrows():
        if row["kind"] not in _VALUE_KINDS:
            continue
        key = tuple(row[k] for k in KEY)
        shown = "/".join(key)
        recorded.add(key)
        for lang in decl.languages:
            cell = cells[lang].get(key)
            if (cell["value"] if cell is not None else "") != row[lang]:
                actual = (f"{cell['file']} row {cell['line']} prints {cell['value']!r}" if cell is not None
                          else f"the {lang} transcription prints nothing there")
                problems.append(InputError(f"records {row[lang]!r} for {shown}, but {actual}", file=path,
                                           row=int(idx) + 2, column=lang))
        kind = _kind(cells[first].get(key), cells[second].get(key))
        if kind != row["kind"]:
            problems.append(InputError(f"kind {row['kind']!r} for {shown}, but the printed cells differ in {kind}",
                                       file=path, row=int(idx) + 2, column="kind"))
    for key in sorted(set(cells[first]) | set(cells[second])):
        a, b = cells[first].get(key), cells[second].get(key)
        if key in recorded or (a is not None and b is not None and a["value"] == b["value"]):
            continue
        here, there = (b, a) if b is not None else (a, b)
        other = (f"{there['file']} row {there['line']} prints {there['value']!r}" if there is not None
                 else "the other version prints nothing there")
        problems.append(InputError(f"prints {here['value']!r} for {'/'.join(key)} where {other}, and {path} "
                                   "records no such difference", file=here["file"], row=int(here["line"]),
                                   column="value"))
    raise_all(problems)


def printed_value(df: pd.DataFrame, **key: str) -> Printed:
    """The one printed value matching ``key`` (columns of the key, e.g. ``item="age"``).

    Raises
    ------
    KeyError
        If no row or more than one row matches.
    """
    mask = np.ones(len(df), dtype=bool)
    for column, wanted in key.items():
        mask &= (df[column] == wanted).to_numpy()
    hits = df[mask]
    if len(hits) != 1:
        raise KeyError(f"{len(hits)} rows match {key}; expected exactly one")
    return parse_printed(hits["value"].iloc[0])


def clear_cache() -> None:
    """Forget loaded files (they are cached by path and modification time)."""
    _load.cache_clear()
