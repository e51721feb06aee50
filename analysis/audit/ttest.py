"""Family ``two_sample_t``: a printed t and P from the two arms' printed mean, SD and n."""

from __future__ import annotations

from ..declaration import SIGN_CONVENTIONS
from ..errors import InputError
from ..stats.rounding import p_consistent, p_decision_error
from ..stats.summary_t import t_pvalue, ttest_range
from .context import Candidate, Context, judge_pair
from .model import key_of

__all__ = ["two_sample_t", "student_p", "sign_check"]

METHODS = ("student", "welch")


def _ranges(ctx: Context, spec) -> dict:
    m = {a: ctx.value(spec.table, source=spec.source, item=spec.item, arm=a, quantity="mean") for a in ctx.arms}
    s = {a: ctx.value(spec.table, source=spec.source, item=spec.item, arm=a, quantity="sd") for a in ctx.arms}
    n = {a: ctx.n_for(spec, a) for a in ctx.arms}
    first, second = ctx.arms
    return {meth: ttest_range(m[first], s[first], n[first], m[second], s[second], n[second], method=meth)
            for meth in METHODS}


def student_p(ctx: Context, spec) -> tuple[float, float]:
    """The range of Student's P over the rounding intervals (for the baseline-balance check)."""
    return _ranges(ctx, spec)["student"].pvalue


def two_sample_t(ctx: Context, spec, *, done=()) -> list:
    """Student's and Welch's t from summary data, judged against the printed t (absolute
    value) and P; the P is also checked against the printed t (statcheck). A signed print
    gets a check of its sign against the direction of the printed means (:func:`sign_check`), and so
    does every t of a paper that declares its sign convention."""
    src, item = spec.source, spec.item
    if spec.option("sign", SIGN_CONVENTIONS[0]) not in SIGN_CONVENTIONS:
        raise InputError(f"must be one of {', '.join(SIGN_CONVENTIONS)}", file=ctx.declaration.file,
                         column=f"{spec.where}.sign")

    def k(quantity, arm=""):
        return key_of(src, item, "", arm, quantity)

    p = ctx.value(spec.table, source=src, item=item, arm="", quantity="p")
    ranges = _ranges(ctx, spec)
    cands = [Candidate(f"{meth}_t", r.abs_statistic, r.pvalue) for meth, r in ranges.items()]
    summary = tuple(k(q, arm=a) for a in ctx.arms for q in ("mean", "sd"))
    sizes = tuple(k for a in ctx.arms for k in ctx.n_keys_for(spec, a))
    if not len(ctx.rows(spec.table, source=src, item=item, arm="", quantity="statistic")):
        # many journals print the P alone: it is judged against each method's P
        _, _, pc, p_ok = judge_pair(cands, None, p)
        return [ctx.check(id=f"{src}.{item}.p", source=src, item=item, quantity="P", reported=p.text,
                          recomputed=pc.p, method=pc.method, verdict="reproduced" if p_ok else "discrepant",
                          notes=[] if p_ok else [ctx.note("no_candidate")], covers=(k("p"),),
                          inputs=summary + sizes)]
    signed = ctx.value(spec.table, source=src, item=item, arm="", quantity="statistic")
    stat = signed.magnitude()
    sc, s_ok, pc, p_ok = judge_pair(cands, stat, p)
    notes = [ctx.note("t_interval", lo=sc.stat[0], hi=sc.stat[1],
                      point=abs(ranges[sc.method.removesuffix("_t")].point.statistic))]
    if sc.method == "welch_t":
        notes.append(ctx.note("welch_needed"))
    notes += ctx.section_notes(spec.source)  # this paper: the English column header omits t
    # The summary data, the group sizes, and the other printed number of the pair (the
    # candidate chosen is the one reproducing both).
    out = [ctx.check(id=f"{src}.{item}.t", source=src, item=item, quantity="t", reported=stat.text,
                     recomputed=sc.stat, method=sc.method, verdict="reproduced" if s_ok else "discrepant",
                     notes=notes if s_ok else notes + [ctx.note("no_candidate")], covers=(k("statistic"),),
                     inputs=summary + sizes + (k("p"),))]
    # With a declared convention every printed t states a direction (an unsigned one: positive).
    if signed.signed or spec.option("sign", ctx.declaration.sign):
        out.append(sign_check(ctx, spec, printed=signed, quantity="t", covers=(k("statistic"),),
                              inputs=tuple(k("mean", arm=a) for a in ctx.arms)))
    # the P of the printed t, with the df of the method that reproduced it (Welch's moves with the SDs)
    dfs = ranges["welch"].df if sc.method == "welch_t" else (sum(ctx.n_for(spec, a) for a in ctx.arms) - 2,) * 2
    lo_t, hi_t = sorted(abs(x) for x in stat.interval)
    from_print = (min(t_pvalue(hi_t, d) for d in dfs), max(t_pvalue(lo_t, d) for d in dfs))
    follows = p_consistent(p, from_print)
    pnotes = [] if follows else [ctx.note("statcheck_inconsistent", lo=from_print[0], hi=from_print[1])]
    if p_decision_error(p, from_print):
        pnotes.append(ctx.note("decision_error"))
    # a P computed from the data lies in its printed t's P range: where the t is reproduced and
    # the P does not follow from it, the P is misprinted (statcheck), even if the wider range
    # of the rounded means and SDs allows it
    judged = p_ok and (follows or not s_ok)
    out.append(ctx.check(id=f"{src}.{item}.p", source=src, item=item, quantity="P", reported=p.text,
                         recomputed=pc.p, method=pc.method, verdict="reproduced" if judged else "discrepant",
                         notes=pnotes if p_ok else pnotes + [ctx.note("no_candidate")],
                         covers=(k("p"),), inputs=summary + sizes + (k("statistic"),),
                         knock_on_of=f"{src}.{item}.t" if not (s_ok or p_ok) and follows else ""))
    return out


def sign_check(ctx: Context, spec, *, printed, quantity: str, covers, inputs) -> object:
    """The sign of a printed statistic against the direction of the printed means.

    The convention is the analysis's ``sign`` option, else the declaration's top-level
    ``sign`` (``first_minus_second``: positive when the first declared arm's mean is larger).
    Undeclared, the check is not checkable and says what to declare. Means whose rounding
    intervals allow either order agree with either sign.
    """
    convention = spec.option("sign", ctx.declaration.sign)
    ident = f"{spec.source}.{spec.item}.{quantity.lower()}_sign"
    if convention is None:
        return ctx.check(id=ident, source=spec.source, item=spec.item, quantity=quantity, reported=printed.text,
                         recomputed=None, method="sign", verdict="not_checkable",
                         notes=[ctx.note("sign_undeclared")], covers=tuple(covers), inputs=tuple(inputs))
    first, second = (ctx.value(spec.table, source=spec.source, item=spec.item, arm=a, quantity="mean")
                     for a in ctx.arms)
    lo = first.interval[0] - second.interval[1]
    hi = first.interval[1] - second.interval[0]
    if convention == "second_minus_first":
        lo, hi = -hi, -lo
    ok = (lo <= 0 if printed.value < 0 else hi >= 0)
    return ctx.check(id=ident, source=spec.source, item=spec.item, quantity=quantity, reported=printed.text,
                     recomputed=(lo, hi), recomputed_as="difference", method="sign",
                     verdict="reproduced" if ok else "discrepant",
                     notes=[ctx.note(f"sign.{convention}", lo=lo, hi=hi)], covers=tuple(covers),
                     inputs=tuple(inputs))
