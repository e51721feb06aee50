"""Table 1: baseline t tests, count-table tests, GRIM/GRIMMER of age, and baseline balance as a whole."""

from __future__ import annotations

from dataclasses import replace

from ..stats.carlisle import baseline_balance
from ..stats.contingency import crosstab
from ..stats.rounding import grim, grimmer, p_consistent, p_decision_error
from ..stats.summary_t import t_pvalue, ttest_range
from .categorical import count_table_checks
from .context import ARMS, Candidate, Context, judge_pair
from .model import key_of

__all__ = ["table1_checks"]

_T = "table1"


def _k(item, quantity, level="", arm=""):
    return key_of(_T, item, level, arm, quantity)


def _continuous(ctx: Context, item: str, n: dict) -> tuple[list, float]:
    m = {a: ctx.value(_T, item=item, arm=a, quantity="mean") for a in ARMS}
    s = {a: ctx.value(_T, item=item, arm=a, quantity="sd") for a in ARMS}
    stat = ctx.value(_T, item=item, arm="", quantity="statistic")
    p = ctx.value(_T, item=item, arm="", quantity="p")
    ranges = {meth: ttest_range(m["combination"], s["combination"], n["combination"],
                                m["control"], s["control"], n["control"], method=meth)
              for meth in ("student", "welch")}
    cands = [Candidate(f"{meth}_t", r.abs_statistic, r.pvalue) for meth, r in ranges.items()]
    sc, s_ok, pc, p_ok = judge_pair(cands, stat, p)
    notes = [ctx.note("t_interval", lo=sc.stat[0], hi=sc.stat[1],
                      point=abs(ranges[sc.method.removesuffix("_t")].point.statistic))]
    if sc.method == "welch_t":
        notes.append(ctx.note("welch_needed"))
    notes += ctx.section_notes(_T)  # the English column header omits t
    inputs = tuple(_k(item, q, arm=a) for a in ARMS for q in ("mean", "sd"))
    out = [ctx.check(id=f"table1.{item}.t", source=_T, item=item, quantity="t", reported=stat.text,
                     recomputed=sc.stat, method=sc.method, verdict="reproduced" if s_ok else "discrepant",
                     notes=notes if s_ok else notes + [ctx.note("no_candidate")], covers=(_k(item, "statistic"),), inputs=inputs)]
    df = n["combination"] + n["control"] - 2
    from_print = (t_pvalue(stat.interval[1], df), t_pvalue(stat.interval[0], df))
    pnotes = [] if p_consistent(p, from_print) else [ctx.note("statcheck_inconsistent",
                                                              lo=from_print[0], hi=from_print[1])]
    if p_decision_error(p, from_print):
        pnotes.append(ctx.note("decision_error"))
    out.append(ctx.check(id=f"table1.{item}.p", source=_T, item=item, quantity="P", reported=p.text,
                         recomputed=pc.p, method=pc.method, verdict="reproduced" if p_ok else "discrepant",
                         notes=pnotes if p_ok else pnotes + [ctx.note("no_candidate")],
                         covers=(_k(item, "p"),), inputs=inputs))
    return out, ranges["student"].pvalue


def _integer_age(ctx: Context, n: dict) -> list:
    out = []
    for a in ARMS:
        mean = ctx.value(_T, item="age", arm=a, quantity="mean")
        sd = ctx.value(_T, item="age", arm=a, quantity="sd")
        ok_mean = grim(mean, n[a])
        ok_sd = grimmer(mean, sd, n[a])
        covers = (_k("age", "mean", arm=a), _k("age", "sd", arm=a))
        out.append(ctx.check(id=f"table1.age.{a}.grim", source=_T, item="age", quantity="mean",
                             reported=mean.text, recomputed=None, method="grim",
                             verdict="reproduced" if ok_mean else "discrepant",
                             notes=[ctx.note("grim_integer_age")], covers=covers[:1]))
        out.append(ctx.check(id=f"table1.age.{a}.grimmer", source=_T, item="age", quantity="sd",
                             reported=sd.text, recomputed=None, method="grimmer",
                             verdict="reproduced" if ok_sd else "discrepant",
                             notes=[ctx.note("grim_integer_age")], covers=covers[1:]))
    return out


def _count_table(ctx: Context, item: str, n: dict) -> tuple[list, tuple, float]:
    rows = ctx.rows(_T, item=item, quantity="count")
    levels = list(dict.fromkeys(rows["level"]))
    table = []
    for a in ARMS:
        counts = [int(ctx.value(_T, item=item, level=lv, arm=a, quantity="count").value) for lv in levels]
        if len(levels) == 1:  # "yes" only: the rest of the arm is "no"
            counts.append(n[a] - counts[0])
        table.append(counts)
    stat = ctx.value(_T, item=item, arm="", quantity="statistic")
    p = ctx.value(_T, item=item, arm="", quantity="p")
    count_keys = [_k(item, "count", level=lv, arm=a) for lv in levels for a in ARMS]
    checks = count_table_checks(ctx, id_prefix=f"table1.{item}", source=_T, item=item, table=table,
                                stat=stat, p=p, stat_covers=[_k(item, "statistic")],
                                p_covers=[_k(item, "p")], inputs=count_keys, ordinal=len(levels) > 2)
    return checks, checks[-1].recomputed, crosstab(table).min_expected


def table1_checks(ctx: Context) -> list:
    """Every statistic and P of Table 1, plus GRIM/GRIMMER of age and Carlisle's baseline test."""
    n = {a: ctx.n(_T, a) for a in ARMS}
    items = list(dict.fromkeys(ctx.rows(_T, quantity="statistic")["item"]))
    out, continuous_p, all_p, expected = [], [], [], {}
    for item in items:
        if len(ctx.rows(_T, item=item, quantity="mean")):
            checks, pval = _continuous(ctx, item, n)
            continuous_p.append(pval)
        else:
            checks, pval, expected[item] = _count_table(ctx, item, n)
        all_p.append(pval)
        out += checks
    out = _correction_rule(ctx, out, expected)
    if len(ctx.rows(_T, item="age", quantity="mean")):
        out += _integer_age(ctx, n)
    out.append(_balance(ctx, continuous_p, all_p))
    return out


def _correction_rule(ctx: Context, checks: list, expected: dict) -> list:
    """Which 2×2 rows used the continuity correction, against their smallest expected count.

    Adds one note to every 2×2 χ² check of the table: the ranges of smallest
    expected counts of the corrected and uncorrected rows, and whether one
    threshold separates them (a consistent rule) and whether it is the usual 5.
    """
    stat_checks = {c.item: c for c in checks if c.quantity == "chi2" and c.item in expected}
    yates = [expected[i] for i, c in stat_checks.items() if c.method == "yates_chi2"]
    plain = [expected[i] for i, c in stat_checks.items() if c.method == "pearson_chi2"]
    if not yates or not plain:
        return checks
    if max(yates) < 5 <= min(plain):
        key = "correction_rule_usual"
    elif max(yates) < min(plain):
        key = "correction_rule_consistent"
    else:
        key = "correction_rule_inconsistent"
    note = ctx.note(key, ylo=min(yates), yhi=max(yates), plo=min(plain), phi=max(plain))
    return [replace(c, notes=c.notes + (note,)) if c in stat_checks.values() else c for c in checks]


def _balance(ctx: Context, continuous_p, all_p) -> object:
    """Section 1.3's "no significant baseline difference (P>0.05)" and Carlisle's test.

    P ranges (over rounding intervals) judge the claim; their midpoints feed the
    combined tests, which are descriptive here (see the caveats note).
    """
    cont = baseline_balance([sum(r) / 2 for r in continuous_p])
    both = baseline_balance([sum(r) / 2 for r in all_p])
    notes = [ctx.note("carlisle_continuous", k=len(continuous_p), z=cont.stouffer_z,
                      p_sim=cont.stouffer_p_similarity, p_imb=cont.stouffer_p_imbalance, ks=cont.ks_p),
             ctx.note("carlisle_all", k=len(all_p), z=both.stouffer_z,
                      p_sim=both.stouffer_p_similarity, p_imb=both.stouffer_p_imbalance, ks=both.ks_p),
             ctx.note("carlisle_caveats")]
    verdict = "reproduced" if all(r[1] > 0.05 for r in all_p) else "discrepant"
    lowest = min(r[0] for r in all_p)
    return ctx.check(id="table1.baseline.balance", source="sec1.3", item="baseline", quantity="P",
                     reported="P>0.05", recomputed=(lowest, max(r[1] for r in all_p)), recomputed_as="p", method="stouffer",
                     verdict=verdict, notes=notes, covers=())
