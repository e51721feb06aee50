"""Checks of printed χ²/Z statistics and P values of count tables (Tables 1, 2, text)."""

from __future__ import annotations

from scipy import stats

from ..printed import Printed
from ..stats.contingency import crosstab
from ..stats.ranks import rank_sum_from_counts
from ..stats.rounding import p_consistent, p_decision_error
from .context import Candidate, Context, judge_pair

__all__ = ["count_table_checks"]

_CHI2_METHODS = {"pearson": "pearson_chi2", "yates": "yates_chi2", "likelihood_ratio": "lr_chi2",
                 "fisher": "fisher_exact", "linear_by_linear": "linear_by_linear"}


def _point(x: float) -> tuple[float, float]:
    return (x, x)


def count_table_checks(ctx: Context, *, id_prefix: str, source: str, item: str, table,
                       stat: Printed | None, p: Printed | None, stat_covers=(), p_covers=(), inputs=(),
                       ordinal: bool = False) -> list:
    """Judge a printed χ² (or rank-sum Z) and its P for a table of counts (rows = arms).

    Candidates are every statistic SPSS prints for the table (crosstabs; plus the
    rank-sum Z for ordered categories, first, as section 1.6 prescribes).
    """
    ct = crosstab(table)
    cands = []
    if ordinal:
        rs = rank_sum_from_counts(table[0], table[1])
        cands.append(Candidate("rank_sum_z", _point(abs(rs.z)), _point(rs.pvalue)))
    for name, (value, pval) in ct.candidates().items():
        cands.append(Candidate(_CHI2_METHODS[name], None if name == "fisher" else _point(value),
                               _point(pval)))
    s, s_ok, q, q_ok = judge_pair(cands, stat, p)
    notes = []
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
    if stat is not None:
        quantity = "Z" if s.method == "rank_sum_z" else "chi2"
        out.append(ctx.check(
            id=f"{id_prefix}.{quantity.lower()}", source=source, item=item, quantity=quantity,
            reported=stat.text, recomputed=s.stat, method=s.method,
            verdict="reproduced" if s_ok else "discrepant",
            notes=notes if s_ok else notes + [ctx.note("no_candidate")], covers=tuple(stat_covers), inputs=tuple(inputs)))
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
            notes=pnotes if q_ok else pnotes + [ctx.note("no_candidate")], covers=tuple(p_covers), inputs=tuple(inputs)))
    return out
