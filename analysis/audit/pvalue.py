"""Family ``p_from_statistic``: a printed P against the P its printed χ², t, F or Z implies
(the statcheck rule: the P range over the statistic's rounding interval)."""

from __future__ import annotations

from scipy import stats

from ..errors import InputError
from ..stats.rounding import p_consistent
from .context import Context
from .model import key_of

__all__ = ["p_from_statistic", "DISTRIBUTIONS"]

# Upper-tail P of |statistic| (two-sided for t and Z), by the declared ``statistic`` quantity.
DISTRIBUTIONS = {
    "chi2": (("df",), lambda x, df: stats.chi2.sf(x, df)),
    "z": ((), lambda x: 2 * stats.norm.sf(abs(x))),
    "t": (("df",), lambda x, df: 2 * stats.t.sf(abs(x), df)),
    "F": (("df1", "df2"), lambda x, df1, df2: stats.f.sf(x, df1, df2)),
}


def p_from_statistic(ctx: Context, spec, *, done=()) -> list:
    """P from the printed statistic (option ``statistic``: ``chi2``, ``z``, ``t`` or ``F``,
    the quantity it is transcribed as) with the declared degrees of freedom (``df``, or
    ``df1`` and ``df2``)."""
    quantity = spec.option("statistic", "chi2")
    if quantity not in DISTRIBUTIONS:
        raise InputError(f"statistic must be one of {', '.join(DISTRIBUTIONS)}", file=ctx.declaration.file,
                         column=f"{spec.where}.statistic")
    names, sf = DISTRIBUTIONS[quantity]
    dfs = []
    for name in names:
        value = spec.option(name)
        if not isinstance(value, int) or value < 1:
            raise InputError("must be a whole number of degrees of freedom >= 1", file=ctx.declaration.file,
                             column=f"{spec.where}.{name}")
        dfs.append(value)
    stat = ctx.value(spec.table, source=spec.source, item=spec.item, arm="", quantity=quantity)
    p = ctx.value(spec.table, source=spec.source, item=spec.item, arm="", quantity="p")
    lo, hi = stat.interval
    if quantity in ("z", "t"):  # P falls as |statistic| grows
        lo, hi = (0.0, max(abs(lo), abs(hi))) if lo <= 0 <= hi else sorted((abs(lo), abs(hi)))
    prange = (float(sf(hi, *dfs)), float(sf(max(lo, 0.0), *dfs)))
    ok = p_consistent(p, prange)
    if quantity == "chi2" and dfs == [1]:
        method, note = "chi2_1df", ctx.note("p_from_printed_chi2")
    else:
        method = f"p_from.{quantity}"
        note = ctx.note(f"p_from.{quantity}", df=", ".join(map(str, dfs)))
    return [ctx.check(id=f"{spec.source}.{spec.item}.p", source=spec.source, item=spec.item, quantity="P",
                      reported=p.text, recomputed=prange, method=method,
                      verdict="reproduced" if ok else "discrepant", notes=[note],
                      covers=(key_of(spec.source, spec.item, "", "", "p"),),
                      inputs=(key_of(spec.source, spec.item, "", "", quantity),))]
