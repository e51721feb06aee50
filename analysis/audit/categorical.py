"""Family ``crosstab``: a printed χ² (or rank-sum Z) and P from a table of counts (2×2, r×2, r×c),
with every statistic SPSS crosstabs prints as a candidate."""

from __future__ import annotations

from scipy import stats

from ..errors import InputError
from ..printed import Printed
from ..stats.contingency import crosstab
from ..stats.ranks import rank_sum_from_counts
from ..stats.rounding import p_consistent, p_decision_error
from .context import Candidate, Context, judge_pair
from .model import key_of

__all__ = ["crosstab_family", "count_table", "count_table_checks"]

_CHI2_METHODS = {"pearson": "pearson_chi2", "yates": "yates_chi2", "likelihood_ratio": "lr_chi2",
                 "fisher": "fisher_exact", "linear_by_linear": "linear_by_linear"}


def _point(x: float) -> tuple[float, float]:
    return (x, x)


def _excluded(ctx: Context, spec, levels: set) -> list:
    """The declared ``exclude`` levels (categories left out of the test, e.g. "not recorded")."""
    excluded = spec.option("exclude", [])
    if not isinstance(excluded, list) or not all(isinstance(lv, str) for lv in excluded):
        raise InputError('must be a list of levels, e.g. exclude = ["unknown"]', file=ctx.declaration.file,
                         column=f"{spec.where}.exclude")
    missing = [lv for lv in excluded if lv not in levels]
    if missing:
        raise InputError(f"level {missing[0]!r} is not a printed level of {spec.source}/{spec.item} "
                         f"(levels: {', '.join(sorted(levels))})", file=ctx.declaration.file,
                         column=f"{spec.where}.exclude")
    return list(excluded)


def count_table(ctx: Context, spec) -> tuple[list, tuple, tuple]:
    """The arms' counts (rows = arms, in declared order), the keys of the counts read and the
    keys of the group sizes read.

    Without a ``counts`` option the counts are the item's printed levels (one printed level,
    e.g. "yes", means the rest of the arm is "no"), less the levels the ``exclude`` option
    leaves out of the test (their counts are still read). With ``counts = { table, source, item,
    levels }`` each arm's count is the sum of those levels there (e.g. ORR = CR + PR) against
    the rest of the arm.
    """
    derived = spec.option("counts")
    if derived is None:
        rows = ctx.rows(spec.table, source=spec.source, item=spec.item, quantity="count")
        excluded = _excluded(ctx, spec, set(rows["level"]))
        levels = [lv for lv in dict.fromkeys(rows["level"]) if lv not in excluded]
        table, n_keys = [], ()
        for a in ctx.arms:
            counts = [int(ctx.value(spec.table, source=spec.source, item=spec.item, level=lv, arm=a,
                                    quantity="count").value) for lv in levels]
            if len(levels) == 1:  # "yes" only: the rest of the arm is "no"
                counts.append(ctx.n_for(spec, a) - counts[0])
            table.append(counts)
        if len(levels) == 1:
            n_keys = tuple(k for a in ctx.arms for k in ctx.n_keys_for(spec, a))
        keys = tuple(key_of(spec.source, spec.item, lv, a, "count") for lv in [*levels, *excluded]
                     for a in ctx.arms)
        return table, keys, n_keys
    src_table, source, item = derived["table"], derived["source"], derived["item"]
    table = []
    for a in ctx.arms:
        hit = sum(int(ctx.value(src_table, source=source, item=item, level=lv, arm=a, quantity="count").value)
                  for lv in derived["levels"])
        table.append([hit, ctx.n(src_table, a) - hit])
    keys = tuple(key_of(source, item, lv, a, "count") for lv in derived["levels"] for a in ctx.arms)
    return table, keys, tuple(k for a in ctx.arms for k in ctx.n_keys(src_table, a))


def crosstab_family(ctx: Context, spec, *, done=()) -> list:
    """The printed statistic (``statistic`` option: the quantity it is transcribed as, default
    ``statistic``) and P of one count table; ``ordered = true`` puts the rank-sum Z first;
    ``rank_sum = true`` makes it one candidate more, after the χ² statistics, for a mixed
    "t/χ²/Z" column over categories that may or may not be ordered.

    A statistic printed as a dash, or not printed at all (a P-only test such as Fisher's
    exact test), leaves the P alone to be judged against every candidate; the dash is
    covered by the P check, shown as printed. A signed Z is compared by its magnitude.
    """
    stat_q = spec.option("statistic", "statistic")
    table, count_keys, n_keys = count_table(ctx, spec)
    stat_key = key_of(spec.source, spec.item, "", "", stat_q)
    p_key = key_of(spec.source, spec.item, "", "", "p")
    stat = ctx.maybe_value(spec.table, source=spec.source, item=spec.item, arm="", quantity=stat_q)
    dash = stat is None and len(ctx.rows(spec.table, source=spec.source, item=spec.item, arm="", quantity=stat_q))
    u_q = spec.option("u")
    u_checks = [] if u_q is None else [_mann_whitney_u(ctx, spec, u_q, table, count_keys + n_keys)]
    return u_checks + count_table_checks(
        ctx, id_prefix=f"{spec.source}.{spec.item}", source=spec.source, item=spec.item, table=table,
        stat=None if stat is None else stat.magnitude(),
        p=ctx.value(spec.table, source=spec.source, item=spec.item, arm="", quantity="p"),
        stat_covers=[stat_key] if stat is not None else [],
        p_covers=[p_key, stat_key] if dash else [p_key], inputs=count_keys + n_keys,
        ordinal=bool(spec.option("ordered", False)), rank_sum=bool(spec.option("rank_sum", False)))


def _mann_whitney_u(ctx: Context, spec, quantity: str, table, inputs):
    """A printed Mann–Whitney U beside the rank-sum Z over ordered categories: the U of
    either arm (software differs: SPSS prints the first arm's, others the smaller)."""
    if not isinstance(quantity, str) or len(table) != 2:
        raise InputError('must name the quantity the U is transcribed as (u = "statistic"), for two arms',
                         file=ctx.declaration.file, column=f"{spec.where}.u")
    printed = ctx.value(spec.table, source=spec.source, item=spec.item, arm="", quantity=quantity)
    rs = rank_sum_from_counts(table[0], table[1])
    n1, n2 = sum(table[0]), sum(table[1])
    us = (rs.u, n1 * n2 - rs.u)
    hit = next((u for u in us if printed.contains(u)), None)
    return ctx.check(id=f"{spec.source}.{spec.item}.u", source=spec.source, item=spec.item, quantity="U",
                     reported=printed.text, recomputed=hit if hit is not None else min(us),
                     method="mann_whitney_u", verdict="reproduced" if hit is not None else "discrepant",
                     notes=[ctx.note("mann_whitney_u", u1=us[0], u2=us[1])],
                     covers=(key_of(spec.source, spec.item, "", "", quantity),), inputs=tuple(inputs))


def count_table_checks(ctx: Context, *, id_prefix: str, source: str, item: str, table,
                       stat: Printed | None, p: Printed | None, stat_covers=(), p_covers=(), inputs=(),
                       ordinal: bool = False, rank_sum: bool = False) -> list:
    """Judge a printed χ² (or rank-sum Z) and its P for a table of counts (rows = arms).

    Candidates are every statistic SPSS prints for the table (crosstabs; plus the
    rank-sum Z for ordered categories, first, as section 1.6 prescribes; or last, with
    ``rank_sum``, where the paper does not say whether the categories are ordered).
    """
    # a printed level no arm has ("No elevation 0 (0) | 0 (0)") is no category of the data:
    # statistical software tabulates only the categories observed
    empty = [j for j in range(len(table[0])) if not any(row[j] for row in table)]
    if empty and len(table[0]) - len(empty) >= 2:
        table = [[v for j, v in enumerate(row) if j not in empty] for row in table]
    else:
        empty = []
    ct = crosstab(table)
    cands = []
    if ordinal or rank_sum:
        rs = rank_sum_from_counts(table[0], table[1])
        rank = Candidate("rank_sum_z", _point(abs(rs.z)), _point(rs.pvalue))
    if ordinal:
        cands.append(rank)
    for name, (value, pval) in ct.candidates().items():
        cands.append(Candidate(_CHI2_METHODS[name], None if name == "fisher" else _point(value),
                               _point(pval)))
    if rank_sum and not ordinal:
        cands.append(rank)
    s, s_ok, q, q_ok = judge_pair(cands, stat, p)
    notes = [ctx.note("empty_levels_dropped", k=len(empty))] if empty else []
    method = s.method if stat is not None else q.method
    if method == "yates_chi2" and ct.min_expected >= 5:
        notes.append(ctx.note("yates_large_expected", e=ct.min_expected))
    if method in ("pearson_chi2", "lr_chi2") and ct.min_expected < 5:
        notes.append(ctx.note("chi2_small_expected", e=ct.min_expected, k=ct.cells_expected_below_5))
    if ct.min_expected < 5 and method != "fisher_exact" and len(ct.table[0]) == 2:
        notes.append(ctx.note("fisher_named", p=ct.fisher_p))
    if method == "lr_chi2":
        notes.append(ctx.note("lr_used", pearson=ct.pearson, p=ct.pearson_p))
    if ordinal and method != "rank_sum_z":
        rs = rank_sum_from_counts(table[0], table[1])
        notes.append(ctx.note("ordinal_rank_sum", z=abs(rs.z), p=rs.pvalue))
    if method == "rank_sum_z":
        notes.append(ctx.note("rank_sum_spss"))
    if stat is not None and stat.decimals == 0:
        notes.append(ctx.note("integer_print", text=stat.text, lo=max(stat.interval[0], 0.0),
                              hi=stat.interval[1]))  # χ² and |Z| are never negative
    out = []
    quantity = "Z" if s.method == "rank_sum_z" else "chi2"
    if stat is not None:
        out.append(ctx.check(
            id=f"{id_prefix}.{quantity.lower()}", source=source, item=item, quantity=quantity,
            reported=stat.text, recomputed=s.stat, method=s.method,
            verdict="reproduced" if s_ok else "discrepant",
            notes=notes if s_ok else notes + [ctx.note("no_candidate")], covers=tuple(stat_covers),
            inputs=tuple(inputs) + tuple(p_covers)))
    if p is not None:
        pnotes = []
        if stat is not None and s.stat is not None:
            df = 1 if s.method in ("rank_sum_z", "linear_by_linear", "yates_chi2") else ct.pearson_df
            lo, hi = stat.interval
            if s.method == "rank_sum_z":
                from_print = (2 * stats.norm.sf(max(hi, 0)), 2 * stats.norm.sf(max(lo, 0)))
            else:
                from_print = (stats.chi2.sf(max(hi, 0), df), stats.chi2.sf(max(lo, 0), df))
            if not p_consistent(p, from_print):
                pnotes.append(ctx.note("statcheck_inconsistent", lo=from_print[0], hi=from_print[1]))
            if p_decision_error(p, from_print):
                pnotes.append(ctx.note("decision_error"))
        if q_ok and s_ok and q.method != s.method:
            pnotes.append(ctx.note("p_other_method"))
        out.append(ctx.check(
            id=f"{id_prefix}.p", source=source, item=item, quantity="P", reported=p.text,
            recomputed=q.p, method=q.method, verdict="reproduced" if q_ok else "discrepant",
            notes=pnotes if q_ok else pnotes + [ctx.note("no_candidate")], covers=tuple(p_covers),
            inputs=tuple(inputs) + (tuple(stat_covers) if stat is not None else ()),
            # a P that follows its misprinted statistic is that statistic's finding
            knock_on_of=f"{id_prefix}.{quantity.lower()}" if stat is not None and not (s_ok or q_ok)
            and s.stat is not None and not pnotes else ""))
    return out
