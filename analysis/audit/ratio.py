"""Family ``ratio_ci``: a printed hazard, odds or risk ratio with its confidence interval
and P (the interval against its point estimate on the log scale; the P against the
interval's implied standard error, Altman & Bland 2011)."""

from __future__ import annotations

from ..errors import InputError
from ..stats.ratio import ratio_ci_range
from ..stats.rounding import meets, p_consistent
from .context import Context
from .model import key_of

__all__ = ["ratio_ci", "MEASURES"]

MEASURES = ("hr", "or", "rr")


def ratio_ci(ctx: Context, spec, *, done=()) -> list:
    """The ratio's interval against its estimate and, when printed, its P against the interval.

    Reads the item's ``hr``, ``or`` or ``rr`` (option ``measure`` when several are printed),
    ``lower``, ``upper`` and ``p``; option ``level`` (default 0.95) is the confidence level.
    """
    file = ctx.declaration.file
    rows = ctx.rows(spec.table, source=spec.source, item=spec.item)
    printed = [m for m in MEASURES if m in set(rows["quantity"])]
    measure = spec.option("measure", printed[0] if len(printed) == 1 else None)
    if measure not in MEASURES or measure not in printed:
        raise InputError(f"must name the printed ratio, one of {', '.join(printed) or ', '.join(MEASURES)} "
                         f"(the quantity of {spec.source}/{spec.item})", file=file, column=f"{spec.where}.measure")
    level = spec.option("level", 0.95)
    if not isinstance(level, float) or not 0 < level < 1:
        raise InputError("must be the confidence level as a number between 0 and 1, e.g. 0.95", file=file,
                         column=f"{spec.where}.level")

    def get(quantity):
        return ctx.value(spec.table, source=spec.source, item=spec.item, arm="", quantity=quantity)

    def k(quantity):
        return key_of(spec.source, spec.item, "", "", quantity)

    est, lower, upper = get(measure), get("lower"), get("upper")
    try:
        r = ratio_ci_range(est, lower, upper, level=level)
    except ValueError as err:
        row = ctx.rows(spec.table, source=spec.source, item=spec.item, quantity="lower").iloc[0]
        raise InputError(f"{spec.source}/{spec.item}: {err}", file=row["file"], row=int(row["line"]),
                         column="value") from None
    ci_ok = meets(est.interval, r.estimate)
    out = [ctx.check(id=f"{spec.source}.{spec.item}.{measure}_ci", source=spec.source, item=spec.item,
                     quantity=measure.upper(), reported=f"{est.text} ({lower.text}–{upper.text})",
                     recomputed=r.estimate, recomputed_as="ratio", method="ratio_ci_log",
                     verdict="reproduced" if ci_ok else "discrepant",
                     notes=[ctx.note("ratio_ci_centre", lo=r.estimate[0], hi=r.estimate[1], level=100 * level)],
                     covers=(k(measure), k("lower"), k("upper")))]
    p = ctx.maybe_value(spec.table, source=spec.source, item=spec.item, arm="", quantity="p")
    if p is not None:
        p_ok = p_consistent(p, r.pvalue)
        notes = [ctx.note("ratio_p_from_ci", lo=r.pvalue[0], hi=r.pvalue[1], zlo=r.z[0], zhi=r.z[1])]
        says_significant = p.interval[1] < 0.05
        says_not = p.interval[0] >= 0.05
        if (r.excludes_one is True and says_not) or (r.excludes_one is False and says_significant):
            notes.append(ctx.note("ratio_decision_conflict", level=100 * level))
        # a P that the interval gives at its centre is off only through a misprinted ratio:
        # part of the ratio's finding, told once (issue #30)
        at_centre = [ratio_ci_range(c, lower, upper, level=level).pvalue for c in r.estimate]
        follows_centre = p_consistent(p, (min(a[0] for a in at_centre), max(a[1] for a in at_centre)))
        out.append(ctx.check(id=f"{spec.source}.{spec.item}.p", source=spec.source, item=spec.item, quantity="P",
                             reported=p.text, recomputed=r.pvalue, method="ratio_p_from_ci",
                             verdict="reproduced" if p_ok else "discrepant", notes=notes, covers=(k("p"),),
                             inputs=(k(measure), k("lower"), k("upper")),
                             knock_on_of=out[0].id if not (ci_ok or p_ok) and follows_centre else ""))
    return out
