"""Family ``median_iqr``: rows printed as median (IQR), M [IQR width], M (P25, P75) or
median (range) with a rank-sum Z and/or P. Medians and their spread cannot be recomputed
from summaries, nor can the Z; the printed Z and P must agree with each other (two-sided
normal P)."""

from __future__ import annotations

from scipy import stats

from ..stats.rounding import p_consistent
from .context import Context
from .model import key_of

__all__ = ["median_iqr"]

# a median's spread as printed: quartiles, one-width IQR, or range
_SUMMARY = ("median", "q1", "q3", "iqr", "min", "max")


def median_iqr(ctx: Context, spec, *, done=()) -> list:
    """The Z–P pair of a rank-sum (or other normal-approximation) test, and the medians and
    quartiles as not checkable. The statistic is the item's ``z`` or ``statistic`` (option
    ``statistic``), compared by its magnitude."""
    src, item = spec.source, spec.item
    rows = ctx.rows(spec.table, source=src, item=item)
    summary = rows[rows["quantity"].isin(_SUMMARY)]
    keys = tuple(key_of(r.source, r.item, r.level, r.arm, r.quantity) for r in summary.itertuples(index=False))
    out = []
    if keys:
        out.append(ctx.check(id=f"{src}.{item}.median", source=src, item=item, quantity="median",
                             reported=", ".join(summary["value"]), recomputed=None, method="median_iqr",
                             verdict="not_checkable", notes=[ctx.note("median_not_checkable")], covers=keys))
    stat_q = spec.option("statistic", "z" if len(ctx.rows(spec.table, source=src, item=item, quantity="z"))
                         else "statistic")
    stat = ctx.maybe_value(spec.table, source=src, item=item, arm="", quantity=stat_q)
    p = ctx.maybe_value(spec.table, source=src, item=item, arm="", quantity="p")
    stat_key, p_key = key_of(src, item, "", "", stat_q), key_of(src, item, "", "", "p")
    has_stat_row = bool(len(ctx.rows(spec.table, source=src, item=item, arm="", quantity=stat_q)))
    if spec.option("statistic") is not None and not has_stat_row:
        # the option names a quantity the item does not print: say so, not "unclaimed"
        ctx.value(spec.table, source=src, item=item, arm="", quantity=stat_q)
    if p is None:
        return out
    if stat is None:
        out.append(ctx.check(id=f"{src}.{item}.p", source=src, item=item, quantity="P", reported=p.text,
                             recomputed=None, method="median_iqr", verdict="not_checkable",
                             notes=[ctx.note("rank_p_needs_data")],
                             covers=(p_key, stat_key) if has_stat_row else (p_key,), inputs=keys))
        return out
    lo, hi = stat.magnitude().interval
    lo = max(lo, 0.0)
    from_z = (float(2 * stats.norm.sf(hi)), float(2 * stats.norm.sf(lo)))
    ok = p_consistent(p, from_z)
    notes = [ctx.note("z_pair", z=stat.text, lo=from_z[0], hi=from_z[1])]
    return out + [ctx.check(id=f"{src}.{item}.p", source=src, item=item, quantity="P",
                            reported=p.text, recomputed=from_z, recomputed_as="p",
                            method="z_two_sided", verdict="reproduced" if ok else "discrepant", notes=notes,
                            covers=(stat_key, p_key), inputs=keys)]
