"""Families of survival reporting: ``log_rank`` (a printed log-rank χ²), ``survival_summary``
(Kaplan-Meier medians, follow-up times) and ``follow_up_window`` (the cut-off date against the
enrolment window and the horizon). The first two need patient data; the survival spec
(``docs/survival-spec.md``) is how the project reconstructs it."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from ..schema import TIME_UNITS
from .context import Context
from .model import key_of

__all__ = ["log_rank", "survival_summary", "follow_up_window"]


def log_rank(ctx: Context, spec, *, done=()) -> list:
    """The printed log-rank χ²: not checkable from summary numbers."""
    chi2 = ctx.value(spec.table, source=spec.source, item=spec.item, quantity="chi2")
    return [ctx.check(id=f"{spec.source}.{spec.item}.chi2", source=spec.source, item=spec.item, quantity="chi2",
                      reported=chi2.text, recomputed=None, method="log_rank",
                      verdict="not_checkable", notes=[ctx.note("needs_patient_data")],
                      covers=(key_of(spec.source, spec.item, "", "", "chi2"),))]


def survival_summary(ctx: Context, spec, *, done=()) -> list:
    """Every printed time of the item (``days``, ``weeks``, ``months``; a median printed as
    ``NR`` too): not checkable from summary numbers."""
    rows = ctx.rows(spec.table, source=spec.source, item=spec.item)
    rows = rows[rows["quantity"].isin(TIME_UNITS[:-1])]
    return [ctx.check(id=f"{r.source}.{r.item}.{r.level or r.arm}.{r.quantity}".replace("..", "."),
                      source=r.source, item=r.item, quantity=r.quantity, reported=r.value, recomputed=None,
                      method="",
                      verdict="not_checkable", notes=[ctx.note("needs_patient_data")],
                      covers=(key_of(r.source, r.item, r.level, r.arm, r.quantity),))
            for r in rows.itertuples(index=False)]


def _months_between(start: date, end: date) -> float:
    return (end - start).days / (365.25 / 12)


def follow_up_window(ctx: Context, spec, *, done=()) -> list:
    """Does the last patient enrolled have the whole horizon before the cut-off, and does the
    longest follow-up fit the horizon?

    Reads the item's ``cutoff`` date in the declared source, the first ``end`` date (enrolment
    end, printed to the month: any day of it), every printed horizon in ``years`` and the
    longest follow-up (level ``max``, ``months``) where printed.
    """
    tx = spec.table
    dates = ctx.rows(tx, quantity="date")
    years = ctx.rows(tx, quantity="years")
    cutoff = ctx.rows(tx, source=spec.source, item=spec.item, level="cutoff", quantity="date")
    end = dates[dates["level"] == "end"]
    if cutoff.empty or end.empty or years.empty:
        return []
    cut = date.fromisoformat(cutoff["value"].iloc[0])
    last = end["value"].iloc[0]
    first_day = date.fromisoformat(last + "-01")
    last_day = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1) - timedelta(days=1)
    window = (_months_between(last_day, cut), _months_between(first_day, cut))
    horizon = 12 * max(float(v) for v in years["value"])
    longest = ctx.rows(tx, item=spec.item, level="max", quantity="months")
    longest_value = float(longest["value"].iloc[0]) if len(longest) else horizon
    ok = window[1] >= horizon and longest_value <= horizon
    row = cutoff.iloc[0]
    cutoff_key = key_of(row["source"], row["item"], row["level"], row["arm"], row["quantity"])
    inputs = tuple(k for k in (key_of(r.source, r.item, r.level, r.arm, r.quantity)
                               for r in pd.concat([dates, years, longest]).itertuples(index=False))
                   if k != cutoff_key)
    return [ctx.check(id=f"{row['source']}.{spec.item}.window", source=row["source"], item=spec.item,
                      quantity="months",
                      reported=cutoff["value"].iloc[0], recomputed=window, method="arithmetic",
                      verdict="reproduced" if ok else "discrepant",
                      notes=[ctx.note("follow_up_window", last=last, lo=window[0], hi=window[1],
                                      horizon=horizon, longest=longest_value)],
                      covers=(cutoff_key,), inputs=inputs)]
