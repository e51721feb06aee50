"""Family ``split_plot``: an item measured at several times in both arms (per-time means and
SDs), its superscript letters and its repeated-measures (split-plot) ANOVA F values and P
values (see :mod:`analysis.stats.rmanova`).

The letter convention is declared in ``[letters]``: ``between`` (e.g. ``a``: vs the other arm
at the same time) and ``within`` (letter -> the earlier time it compares with in the same arm).
"""

from __future__ import annotations

import math

from ..errors import InputError
from ..i18n import t
from ..printed import Printed
from ..stats.rmanova import (EFFECTS, epsilon_for_p, f_pvalue, f_range, implied_sum, multivariate_search,
                             paired_threshold, split_plot)
from ..stats.rounding import meets, p_consistent
from ..stats.summary_t import ttest_range
from .context import Context
from .model import key_of

__all__ = ["split_plot_family"]


def _convention(ctx: Context, spec, times) -> tuple[str, dict]:
    """The between-arm letter and {within letter: index of the earlier time} for ``times``."""
    conv = ctx.declaration.letters
    within = {}
    for letter, level in conv.get("within", {}).items():
        if level not in times:
            raise InputError(f"time {level!r} is not a level of {spec.item!r} ({', '.join(times)})",
                             file=ctx.declaration.file, column=f"letters.within.{letter}")
        within[letter] = times.index(level)
    return conv.get("between", "a"), within


def split_plot_family(ctx: Context, spec, *, done=()) -> list:
    """All checks of one item measured over time: between-arm letters, within-arm letters,
    the three ANOVA F values and P values, and whether one model gives them all."""
    table, marker = spec.table, spec.item
    n = {a: ctx.n(table, a) for a in ctx.arms}
    times = list(dict.fromkeys(ctx.rows(table, source=spec.source, item=marker, quantity="mean")["level"]))
    cell = {(a, tm): (ctx.value(table, source=spec.source, item=marker, level=tm, arm=a, quantity="mean"),
                      ctx.value(table, source=spec.source, item=marker, level=tm, arm=a, quantity="sd"))
            for a in ctx.arms for tm in times}
    letters = {(a, tm): ctx.text(table, source=spec.source, item=marker, level=tm, arm=a, quantity="letters")
               for a in ctx.arms for tm in times}
    between, within = _convention(ctx, spec, times)
    sizes = tuple(k for a in ctx.arms for k in ctx.n_keys(table, a))
    return (_between(ctx, table, marker, times, cell, letters, n, between, sizes)
            + _within(ctx, table, marker, times, cell, letters, n, within, sizes)
            + _anova(ctx, table, marker, times, cell, n, sizes))


def _sd_ratio(cell, tm) -> float:
    """Larger over smaller printed SD of the two arms at one time point."""
    a, b = (value[1].value for (arm, time), value in cell.items() if time == tm)
    return max(a, b) / min(a, b) if min(a, b) > 0 else float("inf")


def _cell_keys(table, marker, arms, times) -> tuple:
    return tuple(key_of(table, marker, tm, a, q) for a in arms for tm in times for q in ("mean", "sd"))


def _letter_keys(table, marker, tm, arms):
    return tuple(key_of(table, marker, tm, a, "letters") for a in arms)


def _between(ctx, table, marker, times, cell, letters, n, between, sizes) -> list:
    out = []
    first, second = ctx.arms
    for tm in times:
        claimed = between in letters[(first, tm)] or between in letters[(second, tm)]
        ranges = {meth: ttest_range(*cell[(first, tm)], n[first],
                                    *cell[(second, tm)], n[second], method=meth)
                  for meth in ("student", "welch")}
        agree = [m for m, r in ranges.items() if (r.pvalue[0] < 0.05 if claimed else r.pvalue[1] >= 0.05)]
        meth = agree[0] if agree else "student"
        notes = [ctx.note("claim_significant" if claimed else "claim_not_significant")]
        ratio = _sd_ratio(cell, tm)
        if ratio > 2:
            notes.append(ctx.note("sd_heterogeneity", ratio=ratio))
        out.append(ctx.check(
            id=f"{table}.{marker}.{tm}.{between}", source=table, item=marker, quantity="P<0.05" if claimed else "P>=0.05",
            reported=letters[(first, tm)], recomputed=ranges[meth].pvalue, recomputed_as="p", method=f"{meth}_t",
            verdict="reproduced" if agree else "discrepant",
            notes=notes + ([] if agree else [ctx.note("no_candidate")]),
            covers=_letter_keys(table, marker, tm, ctx.arms),
            inputs=_cell_keys(table, marker, ctx.arms, [tm]) + sizes))
    return out


def _within(ctx, table, marker, times, cell, letters, n, within, sizes) -> list:
    out = []
    for a, size in zip(ctx.arms, sizes):
        for later in range(1, len(times)):
            for letter, earlier in within.items():
                if earlier >= later:
                    continue
                tm, te = times[later], times[earlier]
                claimed = letter in letters[(a, tm)]
                thr = paired_threshold(*cell[(a, tm)], *cell[(a, te)], n[a])
                lo, hi = thr.r_star
                if claimed:
                    ok = thr.significant_possible
                    notes = [ctx.note("paired_needs_r_above", lo=lo, hi=hi)] if ok else \
                        [ctx.note("paired_impossible")]
                    if ok and hi < -1:
                        notes = [ctx.note("paired_any_r")]
                    if ok and lo > 0.9:
                        notes.append(ctx.note("paired_implausible_high"))
                else:
                    ok = thr.nonsignificant_possible
                    notes = [ctx.note("paired_needs_r_below", lo=lo, hi=hi)] if ok else \
                        [ctx.note("paired_absent_impossible")]
                    if ok and hi < 0:
                        notes.append(ctx.note("paired_negative_r"))
                notes.append(ctx.note("paired_assumption"))
                out.append(ctx.check(
                    id=f"{table}.{marker}.{a}.{tm}.{letter}", source=table, item=marker,
                    quantity="P<0.05" if claimed else "P>=0.05", reported=letters[(a, tm)],
                    recomputed=thr.r_star, recomputed_as="r_threshold", method="paired_t_min_r",
                    verdict="reproduced" if ok else "discrepant", notes=notes,
                    covers=(key_of(table, marker, tm, a, "letters"),),
                    inputs=_cell_keys(table, marker, [a], [te, tm]) + (size,)))
    return out


def _anova(ctx, table, marker, times, cell, n, sizes) -> list:
    """The three F values and their P: univariate (sphericity assumed) first; where it
    cannot give a printed F, the multivariate tests SPSS prints alongside."""
    means = [[cell[(a, tm)][0] for tm in times] for a in ctx.arms]
    sds = [[cell[(a, tm)][1] for tm in times] for a in ctx.arms]
    size_keys, sizes = sizes, [n[a] for a in ctx.arms]
    sp = split_plot(means, sds, sizes, ss_types=("III", "I"))
    adm = sp.sum_admissible
    r_adm = (sp.average_correlation(adm[0]), 1.0)
    out, implied, f_printed, p_printed, multivariate = [], {}, {}, {}, {}
    cell_keys = _cell_keys(table, marker, ctx.arms, times) + size_keys
    worst = max(_sd_ratio(cell, tm) for tm in times)
    for eff in EFFECTS:
        f = ctx.value(table, item=marker, level=eff, quantity="F")
        p = ctx.value(table, item=marker, level=eff, quantity="p")
        f_printed[eff], p_printed[eff] = f, p
        s = implied_sum(sp, eff, f)
        implied[eff] = s
        ok = meets(s, adm)
        r = (sp.average_correlation(s[0]), sp.average_correlation(s[1]))
        notes = [ctx.note("anova_implied_between" if eff == "group" else "anova_implied_within",
                          lo=r[0], hi=r[1], alo=r_adm[0], ahi=r_adm[1]),
                 ctx.note("anova_assumptions")]
        if worst > 2:
            notes.append(ctx.note("anova_heterogeneity", ratio=worst))
        method = "split_plot_univariate"
        told = [("f_allowed", f_range(sp, eff))]   # what a reader is told the means allow
        if not ok:
            notes.append(ctx.note("anova_infeasible_low" if s[1] < adm[0] else "anova_infeasible_high"))
            if eff != "group":  # the group test is the same univariate F in both outputs
                fit = multivariate_search(means, sds, sizes, {eff: f})
                multivariate[eff] = fit
                if fit.found:
                    ok, method = True, "split_plot_multivariate"
                    notes.append(ctx.note("multivariate_single"))
                else:
                    notes.append(ctx.note("multivariate_not_found", fmin=fit.bounds[0]))
                    told.append(("f_multivariate", fit.bounds))
        out.append(ctx.check(
            id=f"{table}.{marker}.{eff}.F", source=table, item=marker, quantity="F", reported=f.text,
            recomputed=r, recomputed_as="r_implied", method=method, verdict="reproduced" if ok else "discrepant",
            notes=notes, covers=(key_of(table, marker, eff, "", "F"),), inputs=cell_keys,
            bounds=tuple(told)))
        out.append(_anova_p(ctx, table, marker, eff, f, p, sp.df[eff], size_keys))
    out.append(_joint(ctx, table, marker, sp, implied, f_printed, adm, means=means, sds=sds, sizes=sizes,
                      multivariate=multivariate, p_printed=p_printed, reads=cell_keys))
    return out


def _anova_p(ctx, table, marker, eff, f: Printed, p: Printed, df, size_keys) -> object:
    """P of a printed F: sphericity-assumed df, then the multivariate df, then ε-corrected df."""
    df1, df2 = df
    prange = (f_pvalue(f.interval[1], df1, df2), f_pvalue(f.interval[0], df1, df2))
    notes = [ctx.note("p_from_printed_f", df1=df1, df2=df2)]
    method = "f_sphericity"
    ok = p_consistent(p, prange)
    if not ok and eff != "group":
        mdf = _multivariate_df(df)
        mrange = (f_pvalue(f.interval[1], *mdf), f_pvalue(f.interval[0], *mdf))
        eps = epsilon_for_p(f, df1, df2, p)
        if p_consistent(p, mrange):
            ok, method, prange = True, "f_multivariate", mrange
            notes.append(ctx.note("p_multivariate_df", df1=mdf[0], df2=mdf[1]))
        elif eps is not None:
            ok, method = True, "f_epsilon_corrected"
            notes.append(ctx.note("epsilon_needed", p=prange[0], lo=eps[0], hi=eps[1]))
            notes.append(ctx.note("p_not_multivariate", p=mrange[0], df1=mdf[0], df2=mdf[1]))
    return ctx.check(id=f"{table}.{marker}.{eff}.p", source=table, item=marker, quantity="P", reported=p.text,
                     recomputed=prange, method=method, verdict="reproduced" if ok else "discrepant",
                     notes=notes if ok else notes + [ctx.note("no_candidate")],
                     covers=(key_of(table, marker, eff, "", "p"),),
                     inputs=(key_of(table, marker, eff, "", "F"),) + size_keys)


def _multivariate_df(df) -> tuple[int, int]:
    """(p, N − G − p + 1) from the univariate within-subject df (p, (N − G)·p)."""
    df1, df2 = df
    return df1, df2 // df1 - df1 + 1


def _joint(ctx, table, marker, sp, implied, f_printed, adm, *, means, sds, sizes, multivariate,
           p_printed, reads) -> object:
    """Can one model give all three printed F values (and their printed P)?"""
    lo = max(max(s[0] for s in implied.values()), adm[0])
    hi = min(min(s[1] for s in implied.values()), adm[1])
    # The ratio F_time/F_interaction is fixed by the means and n alone (shared error term).
    df1_int = sp.df["interaction"][0]
    ratio = (df1_int * sp.ss["time"][0] / (sp.df["time"][0] * sp.ss["interaction"][1]),
             df1_int * sp.ss["time"][1] / (sp.df["time"][0] * sp.ss["interaction"][0]))
    ft, fi = f_printed["time"].interval, f_printed["interaction"].interval
    printed_ratio = (max(ft[0], 0.0) / fi[1], ft[1] / fi[0] if fi[0] > 0 else math.inf)
    ok = lo <= hi and meets(ratio, printed_ratio)
    r = {e: tuple(sp.average_correlation(v) for v in s) for e, s in implied.items()}
    notes = [ctx.note("anova_joint", g0=r["group"][0], g1=r["group"][1], t0=r["time"][0], t1=r["time"][1],
                      i0=r["interaction"][0], i1=r["interaction"][1]),
             ctx.note("anova_ratio", lo=ratio[0], hi=ratio[1], plo=printed_ratio[0], phi=printed_ratio[1])]
    method, p_bounds = "split_plot_univariate", []
    if not ok:
        notes.append(ctx.note("anova_univariate_impossible"))
        failed = [e for e, fit in multivariate.items() if not fit.found]
        if failed:
            notes.append(ctx.note("multivariate_joint_skipped",
                                  effect=", ".join(t(f"audit.effect.{e}", ctx.lang) for e in failed)))
        else:
            fit = multivariate_search(means, sds, sizes, dict(f_printed))
            if fit.found:
                low, high = fit.correlation_range
                notes.append(ctx.note("multivariate_joint", lo=low, hi=high))
                method = "split_plot_multivariate"
                # The same output table must also give the printed P values.
                mismatched = []
                for eff in ("time", "interaction"):
                    f, p = f_printed[eff], p_printed[eff]
                    mdf = _multivariate_df(sp.df[eff])
                    prange = (f_pvalue(f.interval[1], *mdf), f_pvalue(f.interval[0], *mdf))
                    if not p_consistent(p, prange):
                        p_bounds.append((f"p_multivariate.{eff}", prange))
                        mismatched.append(ctx.note("multivariate_p_mismatch", effect=t(f"audit.effect.{eff}", ctx.lang),
                                                   printed=p.text,
                                                   lo=prange[0], hi=prange[1], df1=mdf[0], df2=mdf[1]))
                ok = not mismatched
                notes += mismatched
            else:
                notes.append(ctx.note("multivariate_joint_not_found"))
    return ctx.check(
        id=f"{table}.{marker}.anova.joint", source=table, item=marker, quantity="F",
        reported="/".join(f_printed[e].text for e in EFFECTS), recomputed=ratio, recomputed_as="f_ratio",
        method=method, verdict="reproduced" if ok else "discrepant", notes=notes, bounds=tuple(p_bounds),
        covers=tuple(key_of(table, marker, e, "", "F") for e in EFFECTS),
        inputs=reads + tuple(key_of(table, marker, e, "", "p") for e in ("time", "interaction")))
