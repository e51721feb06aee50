"""Family ``one_way_anova``: a printed F and P of three or more groups from their printed
mean, SD and n."""

from __future__ import annotations

from ..stats.rounding import p_consistent
from ..stats.summary_anova import anova_range
from .context import Candidate, Context, judge_pair
from .model import key_of
from .pvalue import DISTRIBUTIONS

__all__ = ["one_way_anova"]


def one_way_anova(ctx: Context, spec, *, done=()) -> list:
    """One-way ANOVA from summary data over the rounding intervals of the printed means and
    SDs (:func:`~analysis.stats.summary_anova.anova_range`), judged against the printed F (when
    printed, as quantity ``F``) and P; the P is also checked against the printed F (statcheck)."""
    src, item = spec.source, spec.item

    def k(quantity, arm=""):
        return key_of(src, item, "", arm, quantity)

    means = [ctx.value(spec.table, source=src, item=item, arm=a, quantity="mean") for a in ctx.arms]
    sds = [ctx.value(spec.table, source=src, item=item, arm=a, quantity="sd") for a in ctx.arms]
    n = [ctx.n_for(spec, a) for a in ctx.arms]
    r = anova_range(means, sds, n)
    summary = tuple(k(q, arm=a) for a in ctx.arms for q in ("mean", "sd"))
    sizes = tuple(k for a in ctx.arms for k in ctx.n_keys_for(spec, a))
    p = ctx.value(spec.table, source=src, item=item, arm="", quantity="p")
    f = ctx.maybe_value(spec.table, source=src, item=item, arm="", quantity="F") \
        if len(ctx.rows(spec.table, source=src, item=item, arm="", quantity="F")) else None
    cand = [Candidate("one_way_anova", r.statistic, r.pvalue)]
    fc, f_ok, pc, p_ok = judge_pair(cand, f, p)
    out = []
    if f is not None:
        out.append(ctx.check(id=f"{src}.{item}.f", source=src, item=item, quantity="F", reported=f.text,
                             recomputed=r.statistic, method="one_way_anova",
                             verdict="reproduced" if f_ok else "discrepant",
                             notes=[] if f_ok else [ctx.note("no_candidate")], covers=(k("F"),),
                             inputs=summary + sizes + (k("p"),)))
    notes = []
    if f is not None:
        _, sf = DISTRIBUTIONS["F"]
        from_print = (float(sf(f.interval[1], r.df_between, r.df_within)),
                      float(sf(max(f.interval[0], 0.0), r.df_between, r.df_within)))
        if not p_consistent(p, from_print):
            notes.append(ctx.note("statcheck_inconsistent", lo=from_print[0], hi=from_print[1]))
    out.append(ctx.check(id=f"{src}.{item}.p", source=src, item=item, quantity="P", reported=p.text,
                         recomputed=pc.p, method="one_way_anova", verdict="reproduced" if p_ok else "discrepant",
                         notes=notes if p_ok else notes + [ctx.note("no_candidate")], covers=(k("p"),),
                         inputs=summary + sizes + ((k("F"),) if f is not None else ()),
                         knock_on_of=f"{src}.{item}.f" if f is not None and not (f_ok or p_ok) and not notes else ""))
    return out
