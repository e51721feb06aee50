"""Families ``percent_of_count`` (a printed percentage against its count and n) and
``sum_of_parts`` (a printed total against its printed parts)."""

from __future__ import annotations

from ..errors import InputError
from ..stats.rounding import percent_counts
from .context import Context
from .model import key_of

__all__ = ["percent_of_count", "sum_of_parts"]


def _percent(ctx: Context, *, id: str, source: str, item: str, percent, count: int, n: int, covers,
             inputs=()) -> object:
    ok = count in percent_counts(percent, n)
    fitting = percent_counts(percent, n)
    notes = [] if ok else [ctx.note("percent_counts", counts=", ".join(map(str, fitting)), n=n) if fitting
                           else ctx.note("percent_no_count", n=n)]
    return ctx.check(id=id, source=source, item=item, quantity="percent", reported=percent.text,
                     recomputed=100 * count / n, method="percent_of_count",
                     verdict="reproduced" if ok else "discrepant", notes=notes, covers=tuple(covers),
                     inputs=tuple(inputs))


def percent_of_count(ctx: Context, spec, *, done=()) -> list:
    """Every printed percentage of the item, arm by arm, level by level.

    Without a ``counts`` option the count is the printed count of the same level and arm and
    n the arm's group size in the same file. With ``counts = { table, source, item, levels }``
    the count is the sum of those levels there and n the group size of that file. With
    ``denominator = "row"`` n is the level's count summed over the groups: row percentages
    ("Female 24 (12.31)": 24 of the 195 women in all groups).
    """
    rows = ctx.rows(spec.table, source=spec.source, item=spec.item, quantity="percent")
    levels = list(dict.fromkeys(rows["level"]))
    derived = spec.option("counts")
    denominator = spec.option("denominator", "group")
    if denominator not in ("group", "row") or (denominator == "row" and derived is not None):
        raise InputError('must be "group" (of each group\'s n) or "row" (of the level\'s total over the groups), '
                         "and \"row\" takes no counts option", file=ctx.declaration.file,
                         column=f"{spec.where}.denominator")
    if denominator == "row":
        return [_row_percent(ctx, spec, lv, a) for lv in levels for a in ctx.arms
                if len(ctx.rows(spec.table, source=spec.source, item=spec.item, level=lv, arm=a, quantity="percent"))]
    out = []
    for a in ctx.arms:
        for lv in levels:
            if not len(ctx.rows(spec.table, source=spec.source, item=spec.item, level=lv, arm=a,
                                quantity="percent")):
                continue
            if derived is None:
                count_keys = (key_of(spec.source, spec.item, lv, a, "count"),)
                n_table = spec.table
                count = int(ctx.value(spec.table, source=spec.source, item=spec.item, level=lv, arm=a,
                                      quantity="count").value)
            else:
                count_keys = tuple(key_of(derived["source"], derived["item"], dl, a, "count")
                                   for dl in derived["levels"])
                n_table = derived["table"]
                count = sum(int(ctx.key_value(n_table, k).value) for k in count_keys)
            n_keys = ctx.n_keys_for(spec, a) if derived is None else ctx.n_keys(n_table, a)
            n = ctx.sum_of(n_table, n_keys)
            ident = ".".join(part for part in (spec.source, spec.item, lv, a, "percent") if part)
            out.append(_percent(
                ctx, id=ident, source=spec.source, item=spec.item,
                percent=ctx.value(spec.table, source=spec.source, item=spec.item, level=lv, arm=a,
                                  quantity="percent"),
                count=count, n=n, covers=[key_of(spec.source, spec.item, lv, a, "percent")],
                inputs=count_keys + n_keys))
    return out


def _row_percent(ctx: Context, spec, level: str, arm: str):
    count_keys = tuple(key_of(spec.source, spec.item, level, a, "count") for a in ctx.arms)
    counts = {a: int(ctx.key_value(spec.table, k).value) for a, k in zip(ctx.arms, count_keys)}
    ident = ".".join(part for part in (spec.source, spec.item, level, arm, "percent") if part)
    return _percent(ctx, id=ident, source=spec.source, item=spec.item,
                    percent=ctx.value(spec.table, source=spec.source, item=spec.item, level=level, arm=arm,
                                      quantity="percent"),
                    count=counts[arm], n=sum(counts.values()),
                    covers=[key_of(spec.source, spec.item, level, arm, "percent")], inputs=count_keys)


def sum_of_parts(ctx: Context, spec, *, done=()) -> list:
    """For each arm that prints parts (levels) of the item's total count, the total against
    their sum."""
    out = []
    for a in ctx.arms:
        parts = ctx.rows(spec.table, source=spec.source, item=spec.item, arm=a, quantity="count")
        parts = parts[parts["level"] != ""]
        if not len(parts):
            continue
        reported = int(ctx.value(spec.table, source=spec.source, item=spec.item, level="", arm=a,
                                 quantity="count").value)
        total = sum(int(v) for v in parts["value"])
        out.append(ctx.check(
            id=f"{spec.source}.{spec.item}.{a}.count", source=spec.source, item=spec.item, quantity="count",
            reported=str(reported), recomputed=float(total), method="sum_of_parts",
            verdict="reproduced" if total == reported else "discrepant",
            notes=[ctx.note("sum_of_parts", parts=", ".join(parts["value"]))],
            covers=(key_of(spec.source, spec.item, "", a, "count"),),
            inputs=tuple(key_of(spec.source, spec.item, lv, a, "count") for lv in parts["level"])))
    return out
