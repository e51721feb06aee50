"""Families about the baseline table as a whole: ``grim`` (GRIM/GRIMMER of a mean and SD of
whole-number data), ``baseline_balance`` (a printed "no baseline difference" claim and
Carlisle's combined test over the rows declared ``baseline = true``) and ``continuity_rule``
(which 2×2 rows used Yates' correction, against their smallest expected counts)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from ..errors import InputError
from ..stats.carlisle import baseline_balance as carlisle
from ..stats.rounded_anova import rounded_anova
from ..stats.contingency import crosstab
from ..stats.rounding import grim as grim_test
from ..stats.rounding import grimmer
from .categorical import count_table
from .claim import contradictions, parse_claim, printed_rows
from .context import Context
from .model import key_of
from .ttest import student_p

__all__ = ["grim", "baseline_balance", "continuity_rule"]


def grim(ctx: Context, spec, *, done=()) -> list:
    """GRIM of each arm's printed mean and GRIMMER of its SD, for data recorded as whole
    numbers (this paper: ages in whole years)."""
    if not len(ctx.rows(spec.table, source=spec.source, item=spec.item, quantity="mean")):
        return []
    out = []
    for a in ctx.arms:
        n = ctx.n_for(spec, a)
        mean = ctx.value(spec.table, source=spec.source, item=spec.item, arm=a, quantity="mean")
        sd = ctx.value(spec.table, source=spec.source, item=spec.item, arm=a, quantity="sd")
        mean_key, sd_key = (key_of(spec.source, spec.item, "", a, q) for q in ("mean", "sd"))
        n_keys = ctx.n_keys_for(spec, a)
        out.append(ctx.check(id=f"{spec.source}.{spec.item}.{a}.grim", source=spec.source, item=spec.item,
                             quantity="mean", reported=mean.text, recomputed=None, method="grim",
                             verdict="reproduced" if grim_test(mean, n) else "discrepant",
                             notes=[ctx.note("grim_integer_age")], covers=(mean_key,), inputs=n_keys))
        out.append(ctx.check(id=f"{spec.source}.{spec.item}.{a}.grimmer", source=spec.source, item=spec.item,
                             quantity="sd", reported=sd.text, recomputed=None, method="grimmer",
                             verdict="reproduced" if grimmer(mean, sd, n) else "discrepant",
                             notes=[ctx.note("grim_integer_age")], covers=(sd_key,), inputs=(mean_key, *n_keys)))
    return out


# Simulated trials per variable for its rounding-aware P: its Monte Carlo error (≤ 0.005 at
# P = 0.5) is below the precision the notes print.
_ROUNDED_DRAWS = 20_000


def rounded_p(ctx: Context, spec) -> float:
    """The rounding-aware P of one baseline variable (Carlisle 2017): each arm's mean and SD
    simulated under the null and rounded to the decimals the paper prints them with
    (:func:`analysis.stats.rounded_anova.rounded_anova`, ties counted half so that the note
    does not depend on the seed, which comes from the row's key)."""
    rows = [(ctx.value(spec.table, source=spec.source, item=spec.item, arm=a, quantity="mean"),
             ctx.value(spec.table, source=spec.source, item=spec.item, arm=a, quantity="sd"), ctx.n_for(spec, a))
            for a in ctx.arms]
    seed = int.from_bytes(hashlib.sha256(f"{spec.source}/{spec.item}".encode()).digest()[:8], "big")
    return rounded_anova([m.value for m, _, _ in rows], [s.value for _, s, _ in rows], [n for _, _, n in rows],
                         mean_decimals=[m.decimals for m, _, _ in rows], sd_decimals=[s.decimals for _, s, _ in rows],
                         draws=_ROUNDED_DRAWS, seed=seed, ties="mid").pvalue


def baseline_balance(ctx: Context, spec, *, done=()) -> list:
    """The printed claim (option ``claim``, e.g. ``P>0.05``) over every baseline row, and
    Carlisle's combined tests (Stouffer, Kolmogorov-Smirnov) as notes.

    P ranges (over rounding intervals) judge the claim: Student's for t rows, the P of the
    crosstab candidate chosen for count rows. The combined tests, descriptive here (see the
    caveats note), take each continuous row's rounding-aware P (:func:`rounded_p`), since a P
    recomputed from rounded summaries is not uniform under the null (Bolland et al. 2019),
    and the midpoint of each count row's range.
    """
    claim = parse_claim(ctx, spec, default="P>0.05")
    by_id = {c.id: c for c in done}
    continuous_p, all_p, combined, inputs, printed = [], [], [], [], {}
    for a in ctx.declaration.analyses:
        if not a.baseline:
            continue
        if a.family == "two_sample_t":
            pval = student_p(ctx, a)
            continuous_p.append(rounded_p(ctx, a))
            combined.append(continuous_p[-1])
        else:
            pval = by_id[f"{a.source}.{a.item}.p"].recomputed
            combined.append(sum(pval) / 2)
        all_p.append(pval)
        inputs += [k for c in done if c.origin == a.source and c.item == a.item for k in c.covers + c.inputs]
        p_key = key_of(a.source, a.item, "", "", "p")
        if ctx.maybe_value(a.table, source=a.source, item=a.item, arm="", quantity="p") is not None:
            printed[p_key] = ctx.value(a.table, source=a.source, item=a.item, arm="", quantity="p")
    if not all_p:
        raise InputError("no analysis is declared baseline = true", file=ctx.declaration.file,
                         column=spec.where)
    # A P of exactly 0 or 1 (Fisher's exact test on a sparse row) has no normal score; the
    # combined tests, descriptive here, leave it out (k in the note counts what they use).
    cont = carlisle([m for m in continuous_p if 0 < m < 1])
    both = carlisle([m for m in combined if 0 < m < 1])
    notes = [ctx.note("carlisle_continuous", k=len(cont.pvalues), z=cont.stouffer_z,
                      p_sim=cont.stouffer_p_similarity, p_imb=cont.stouffer_p_imbalance, ks=cont.ks_p),
             ctx.note("carlisle_all", k=len(both.pvalues), z=both.stouffer_z,
                      p_sim=both.stouffer_p_similarity, p_imb=both.stouffer_p_imbalance, ks=both.ks_p),
             ctx.note("carlisle_caveats")]
    # "P>0.05" holds when no row's printed P, nor its recomputed range, lies wholly below the bound.
    bad_printed, bad_recomputed = contradictions(claim, printed, dict(enumerate(all_p)))
    if bad_printed:
        notes.append(ctx.note("claim_printed_contradicts", rows=printed_rows(ctx, bad_printed, printed)))
    verdict = "discrepant" if bad_printed or bad_recomputed else "reproduced"
    # Named after the baseline table (its rows' source), though the claim is printed elsewhere.
    table_source = next(a.source for a in ctx.declaration.analyses if a.baseline)
    return [ctx.check(id=f"{table_source}.baseline.balance", source=spec.source, item="baseline", quantity="P",
                      reported=spec.option("claim", "P>0.05"), recomputed=(min(r[0] for r in all_p),
                                                                          max(r[1] for r in all_p)),
                      recomputed_as="p", method="stouffer", verdict=verdict, notes=notes, covers=(),
                      inputs=tuple(dict.fromkeys(inputs)))]


def continuity_rule(ctx: Context, spec, *, done=()) -> list:
    """Revises the χ² checks of the 2×2 crosstab rows of ``table``: one note with the ranges of
    smallest expected counts of the corrected and uncorrected rows, whether one threshold
    separates them (a consistent rule) and whether it is the usual 5. Returns all checks."""
    expected = {a.item: crosstab(count_table(ctx, a)[0]).min_expected for a in ctx.declaration.analyses
                if a.family == "crosstab" and a.table == spec.table and a.source == spec.source}
    stat_checks = {c.item: c for c in done
                   if c.origin == spec.source and c.quantity == "chi2" and c.item in expected}
    yates = [expected[i] for i, c in stat_checks.items() if c.method == "yates_chi2"]
    plain = [expected[i] for i, c in stat_checks.items() if c.method == "pearson_chi2"]
    if not yates or not plain:
        return list(done)
    if max(yates) < 5 <= min(plain):
        key = "correction_rule_usual"
    elif max(yates) < min(plain):
        key = "correction_rule_consistent"
    else:
        key = "correction_rule_inconsistent"
    note = ctx.note(key, ylo=min(yates), yhi=max(yates), plo=min(plain), phi=max(plain))
    revised = {id(c) for c in stat_checks.values()}
    return [replace(c, notes=c.notes + (note,)) if id(c) in revised else c for c in done]
