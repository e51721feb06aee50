"""The schema of ``data/raw``: what a valid transcription of a paper looks like.

Which sources and quantities a file may hold, the arms and the superscript letters come
from the paper's declaration (:mod:`analysis.declaration`). Column-wise rules are a
pandera schema; rules that relate rows (the levels of a
categorical item summing to the arm's n, counts not above n, one value per key) are
checked after it. Every violation becomes an :class:`~analysis.errors.InputError`
naming the file, the 1-based line and the column.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .declaration import TableRule
from .errors import InputError, raise_all
from .printed import non_number, parse_printed
from .quantities import NUMERIC_QUANTITIES, QUANTITIES, RANGES, TIME_UNITS

__all__ = ["COLUMNS", "KEY", "NUMERIC_QUANTITIES", "TIME_UNITS", "QUANTITIES", "DISCREPANCY_COLUMNS", "value_problem",
           "validate_raw", "validate_discrepancies"]

COLUMNS = ["source", "item", "level", "arm", "quantity", "value", "row_label", "column_label"]
KEY = ["source", "item", "level", "arm", "quantity"]
DISCREPANCY_COLUMNS = ["kind", "source", "item", "level", "arm", "quantity", "where", "en", "zh", "note"]
DISCREPANCY_KINDS = ("value", "format", "missing", "label", "text")

# Counts and group sizes are always numbers; any other cell may print a dash or "NR".
_NUMBER_REQUIRED = frozenset({"n", "count"})

_KEY_PATTERN = r"^[a-z0-9_]+$"
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _letters_pattern(letters: str) -> re.Pattern:
    """Each declared letter at most once, in declared order (``abcd``: ``""``, ``ab``, ``bd``...)."""
    return re.compile("^" + "".join(f"{re.escape(c)}?" for c in letters) + "$")


def _value_ok(quantity: str, value: str, letters: str) -> bool:
    if quantity == "letters":
        return bool(_letters_pattern(letters).match(value))
    if quantity == "date":
        return bool(_DATE.match(value))
    if non_number(value) and quantity not in _NUMBER_REQUIRED:
        return True
    try:
        printed = parse_printed(value)
    except ValueError:
        return False
    low, high, integer = RANGES[quantity]
    if integer and (printed.decimals or printed.relation != "="):
        return False
    return (low is None or printed.value >= low) and (high is None or printed.value <= high)


def _describe_value_rule(quantity: str, letters: str) -> str:
    if quantity == "letters":
        if not letters:
            return ("no superscript letters are declared: a [letters] section in analyses.toml says "
                    "what each letter means (docs/analyses.md)")
        return (f"superscript letters must be some of '{letters}' (the [letters] section of "
                "analyses.toml), in that order, or empty")
    if quantity == "date":
        return "a date must be written YYYY-MM or YYYY-MM-DD"
    low, high, integer = RANGES.get(quantity, (None, None, False))
    kind = "a whole number" if integer else "a number"
    bounds = []
    if low is not None:
        bounds.append(f">= {low}")
    if high is not None:
        bounds.append(f"<= {high}")
    rule = f"{quantity} must be {kind}" + (f" {' and '.join(bounds)}" if bounds else "")
    if quantity in _NUMBER_REQUIRED:
        return rule
    examples = _EXAMPLES.get(quantity, "'12.5', '＜0.05', '−2.31'")
    return rule + f" as printed ({examples}), or a dash ('—') or 'NR' as printed"


# What a valid printed value of a quantity looks like, for the messages.
_EXAMPLES = {"p": "'0.012', '<0.001', '＜0.05', '0·0036'", "percent": "'12.5', '12.5%', '83.02％'",
             "statistic": "'2.31', '−2.31', '0·69'", "chi2": "'6.363', '0·58'", "proportion": "'0.60'"}
# A value that still carries the statistic's printed name: "p=0·51", "t = 7.56", "χ²=4.863".
_NAMED = re.compile(r"^\s*(?:[A-Za-zχ²]{1,6}\s*(?:\([^)]*\))?\s*[=＝:]|[Pp]\s*(?=[<>≤≥＜＞‹]))")


def value_problem(quantity: str, value: str, letters: str = "") -> str | None:
    """Why ``value`` cannot be a ``quantity`` as the schema reads it, or ``None`` when it can
    (``letters``: the declared superscript letters, for quantity ``letters``)."""
    if quantity not in QUANTITIES or _value_ok(quantity, value, letters):
        return None
    return _value_problem(value, quantity, letters)


def _value_problem(value: str, quantity: str, letters: str) -> str:
    """The message for a value its quantity does not allow."""
    m = _NAMED.match(value) if isinstance(value, str) else None
    if m:
        return (f"value {value!r}: transcribe the number without the statistic's name, "
                f"{value[m.end():].strip()!r}; the quantity ({quantity!r}) says what it is")
    return f"value {value!r}: {_describe_value_rule(quantity, letters)}"


def _schema(rule: TableRule, arms) -> pa.DataFrameSchema:
    text = dict(dtype=str, nullable=False)
    return pa.DataFrameSchema(
        {
            "source": pa.Column(checks=pa.Check.isin(sorted(rule.sources)), **text),
            "item": pa.Column(checks=pa.Check.str_matches(_KEY_PATTERN), **text),
            "level": pa.Column(checks=pa.Check.str_matches(r"^[A-Za-z0-9_]*$"), **text),
            "arm": pa.Column(checks=pa.Check.isin((*arms, "")), **text),
            "quantity": pa.Column(checks=pa.Check.isin(sorted(rule.quantities)), **text),
            "value": pa.Column(**text),
            "row_label": pa.Column(checks=pa.Check.str_length(min_value=1), **text),
            "column_label": pa.Column(**text),
        },
        strict=True, ordered=True, coerce=False,
    )


def _column_rule(column: str, value, rule: TableRule, arms) -> str:
    """What a key column may hold, for the message."""
    allowed = {"source": rule.sources, "arm": (*arms, "(empty)"), "quantity": rule.quantities}.get(column)
    if allowed is not None:
        if column == "arm":
            return f"value {value!r} is not one of {', '.join(allowed)} (the declared arms)"
        listed = {"source": "sources", "quantity": "quantities"}[column]
        return (f"value {value!r} is not one of {', '.join(allowed)}: add it to tables.{rule.name}.{listed} "
                "in analyses.toml if the table prints it")
    if column in ("item", "level"):
        return f"value {value!r}: keys are lower-case letters, digits and '_' (levels may use capitals)"
    if column == "row_label":
        return ("must not be empty: the row label as printed; for a group size printed only in a column "
                "header, the table's top-left header, or the column header when that is empty")
    return f"value {value!r}: must not be empty"


def _line(index) -> int:
    return int(index) + 2  # header is line 1, first data row line 2


def validate_raw(df: pd.DataFrame, *, rule: TableRule, arms, file, letters: str = "abcd") -> None:
    """Validate one raw transcription file, read as strings.

    Parameters
    ----------
    df : DataFrame
        The file, every cell as text.
    rule : TableRule
        What the file may hold (from the declaration).
    arms : sequence of str
        The declared arms (a row's ``arm`` is one of them or empty).
    file : str
        The file as shown in messages.
    letters : str
        The superscript letters the declaration defines, in order.

    Raises
    ------
    InputError
        At the first violation, naming ``file``, the line and the column.
    """
    if not isinstance(rule, TableRule):
        raise ValueError(f"rule must be a TableRule, got {type(rule).__name__}")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; expected header "
                         f"{','.join(COLUMNS)}", file=file, row=1, column=missing[0])
    extra = [c for c in df.columns if c not in COLUMNS]
    if extra:
        raise InputError(f"unexpected column; expected header {','.join(COLUMNS)}",
                         file=file, row=1, column=extra[0])
    if df.empty:
        raise InputError("no data rows", file=file, row=2)
    problems = []
    try:
        _schema(rule, arms).validate(df[COLUMNS], lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"]).sort_values("index", kind="stable")
        if cases.empty:
            raise InputError(str(err).splitlines()[0], file=file) from None
        for case in cases.drop_duplicates(subset=["index", "column"]).itertuples(index=False):
            problems.append(InputError(_column_rule(case.column, case.failure_case, rule, arms),
                                       file=file, row=_line(case.index), column=case.column))
    bad_rows = {p.row for p in problems}
    for idx, row in df.iterrows():
        if _line(idx) in bad_rows:
            continue  # its key is already wrong: one message per row
        if row["quantity"] in QUANTITIES and not _value_ok(row["quantity"], row["value"], letters):
            problems.append(InputError(_value_problem(row["value"], row["quantity"], letters),
                                       file=file, row=_line(idx), column="value"))
    raise_all(problems)
    _check_rows(df, complete=rule.levels_complete, group_size=rule.group_size, file=file)


def _check_rows(df: pd.DataFrame, *, complete: bool, group_size, file) -> None:
    """The rules that relate rows; every violation is collected, then raised together."""
    problems = []
    for idx in df.index[df.duplicated(subset=KEY, keep="first")]:
        key = ", ".join(f"{k}={df.at[idx, k]!r}" for k in KEY)
        problems.append(InputError(f"duplicate value for ({key})", file=file, row=_line(idx), column="value"))

    # The file's group sizes must agree; an item's own n (a footnote, an "evaluable" block) and
    # a section printing another n are what the audit checks, not what the loader refuses.
    n_rows = df[(df["quantity"] == "n") & (df["arm"] != "")]
    if group_size is not None:
        n_rows = n_rows[(n_rows["source"] == group_size[0]) & (n_rows["item"] == group_size[1])]
    else:
        # an item printing its own n beside its counts ("84.78 (802/946)") is its denominator
        own = df.loc[df["quantity"] != "n", ["source", "item"]].drop_duplicates()
        n_rows = n_rows[~n_rows.set_index(["source", "item"]).index.isin(pd.MultiIndex.from_frame(own))]
    arm_n: dict[str, int] = {}
    for idx, row in n_rows.iterrows():
        n = int(parse_printed(row["value"]).value)
        if arm_n.setdefault(row["arm"], n) != n:
            problems.append(InputError(f"arm '{row['arm']}' has n={n} here but n={arm_n[row['arm']]} "
                                       "earlier in the file", file=file, row=_line(idx), column="value"))
    own_n = {(r["source"], r["item"], r["arm"]): int(parse_printed(r["value"]).value)
             for _, r in df[(df["quantity"] == "n") & (df["arm"] != "") & (df["level"] == "")].iterrows()}

    def n_of(row) -> int | None:
        return own_n.get((row["source"], row["item"], row["arm"]), arm_n.get(row["arm"]))

    counts = df[(df["quantity"] == "count") & (df["arm"] != "")]
    for idx, row in counts.iterrows():
        n = n_of(row)
        if n is not None and parse_printed(row["value"]).value > n:
            problems.append(InputError(f"count {row['value']} is above the arm's n={n}",
                                       file=file, row=_line(idx), column="value"))

    if complete:
        for (item, arm), group in counts.groupby(["item", "arm"], sort=False):
            n = n_of(group.iloc[0])
            if group["level"].nunique() < 2 or n is None:
                continue  # a single printed level (e.g. "cirrhosis: yes") is not a partition
            total = int(sum(parse_printed(v).value for v in group["value"]))
            if total != n:
                levels = ", ".join(group["level"])
                problems.append(InputError(
                    f"the levels of '{item}' ({levels}) in arm '{arm}' sum to {total}, but the arm's n is {n}; "
                    "if the paper prints them so, declare levels_complete = false for this file in "
                    "analyses.toml", file=file, row=_line(group.index[-1]), column="value"))
    raise_all(sorted(problems, key=lambda e: e.row))


def validate_discrepancies(df: pd.DataFrame, *, file) -> None:
    """Validate ``discrepancies.csv``: its columns, kinds, and that en and zh differ."""
    missing = [c for c in DISCREPANCY_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}", file=file, row=1,
                         column=missing[0])
    for idx, row in df.iterrows():
        if row["kind"] not in DISCREPANCY_KINDS:
            raise InputError(f"kind {row['kind']!r} is not one of {', '.join(DISCREPANCY_KINDS)}",
                             file=file, row=_line(idx), column="kind")
        if row["en"] == row["zh"]:
            raise InputError("en and zh are the same: not a discrepancy", file=file,
                             row=_line(idx), column="zh")
        if not row["where"]:
            raise InputError("every discrepancy needs a 'where'", file=file, row=_line(idx),
                             column="where")
