"""Families ``sample_size_two_proportions`` (n per group to compare two proportions, with the
printed z values, rates, margin and power) and ``dropout_inflation`` (the enrolled total from
n per group and a dropout rate).

Both read the items of the declared source by their keys: ``p1`` (control arm's proportion),
``p2`` (experimental arm's), ``alpha``, ``beta`` (``proportion``), ``z_alpha``, ``z_beta``
(``z``), ``response_rate_conventional``, ``response_rate_expected``, ``margin``, ``power``,
``dropout`` (``percent``), ``n_per_group`` and ``enrolled`` (``n``). See ``docs/analyses.md``.
"""

from __future__ import annotations

import math

from scipy import stats

from ..errors import InputError
from ..i18n import t
from ..stats.samplesize import dropout_variants, two_means_n, two_proportion_n
from .context import Context
from .model import key_of

__all__ = ["sample_size_two_proportions", "sample_size", "dropout_inflation"]

# (item, arm, quantity) of each number the formula reads.
_P1, _P2 = ("p1", "", "proportion"), ("p2", "", "proportion")  # arms: see _Reader.roles
_ALPHA, _BETA = ("alpha", "", "proportion"), ("beta", "", "proportion")
_ZA, _ZB = ("z_alpha", "", "z"), ("z_beta", "", "z")


class _Reader:
    def __init__(self, ctx: Context, spec):
        self.ctx, self.spec = ctx, spec
        first, second = ctx.arms
        # p2 is the experimental arm's proportion, p1 the control arm's.
        self.roles = {"p1": second, "p2": first}

    def key(self, item, arm, quantity):
        return key_of(self.spec.source, item, "", self.roles.get(item, arm), quantity)

    def value(self, item, arm, quantity):
        return self.ctx.value(self.spec.table, source=self.spec.source, item=item,
                              arm=self.roles.get(item, arm), quantity=quantity)

    def n_raw(self) -> float:
        """Unrounded n per group from the printed proportions and z values."""
        return two_proportion_n(self.value(*_P1).value, self.value(*_P2).value,
                                z_alpha=self.value(*_ZA).value, z_beta=self.value(*_ZB).value)


def sample_size_two_proportions(ctx: Context, spec, *, done=()) -> list:
    """The printed z values against the normal quantiles of the printed α and β; the printed
    rates, margin and power against the proportions; n per group against the formula."""
    r, src = _Reader(ctx, spec), spec.source
    p1, p2 = r.value(*_P1), r.value(*_P2)
    alpha, beta = r.value(*_ALPHA), r.value(*_BETA)
    out = []
    for zspec, base, exact in ((_ZA, _ALPHA, stats.norm.isf(alpha.value / 2)),
                               (_ZB, _BETA, stats.norm.isf(beta.value))):
        printed = r.value(*zspec)
        out.append(ctx.check(id=f"{src}.{zspec[0]}", source=src, item=zspec[0], quantity="z", reported=printed.text,
                             recomputed=float(exact), method="normal_quantile",
                             verdict="reproduced" if printed.contains(exact) else "discrepant",
                             covers=(r.key(*zspec),), inputs=(r.key(*base),)))
    for item, exact, reads in (("response_rate_conventional", 100 * p1.value, (_P1,)),
                               ("response_rate_expected", 100 * p2.value, (_P2,)),
                               ("margin", 100 * (p2.value - p1.value), (_P1, _P2)),
                               ("power", 100 * (1 - beta.value), (_BETA,))):
        printed = r.value(item, "", "percent")
        notes = [ctx.note("margin_is_difference")] if item == "margin" else []
        out.append(ctx.check(id=f"{src}.{item}", source=src, item=item, quantity="percent", reported=printed.text,
                             recomputed=exact, method="arithmetic",
                             verdict="reproduced" if printed.contains(exact) else "discrepant", notes=notes,
                             covers=(r.key(item, "", "percent"),), inputs=tuple(r.key(*k) for k in reads)))
    n_raw = r.n_raw()
    n_exact = two_proportion_n(p1.value, p2.value, alpha=alpha.value, power=1 - beta.value)
    n_printed = r.value("n_per_group", "", "n")
    ok = n_printed.value == -(-n_raw // 1)
    out.append(ctx.check(id=f"{src}.n_per_group", source=src, item="n_per_group", quantity="n",
                         reported=n_printed.text, recomputed=n_raw, method="two_proportion_n",
                         verdict="reproduced" if ok else "discrepant",
                         notes=[ctx.note("sample_size_formula", n=n_raw, n_exact=n_exact, printed=n_printed.text),
                                *ctx.section_notes(src)],
                         covers=(r.key("n_per_group", "", "n"),),
                         inputs=tuple(r.key(*k) for k in (_P1, _P2, _ALPHA, _BETA, _ZA, _ZB))))
    return out


def dropout_inflation(ctx: Context, spec, *, done=()) -> list:
    """The planned total (item ``planned``, else ``enrolled``) against every common way of
    inflating n per group (item ``n_per_group``, or half of ``n_total``; and the unrounded n
    when the two-proportion formula's inputs are printed) for the printed ``dropout`` rate."""
    r, src = _Reader(ctx, spec), spec.source
    target_item = "planned" if len(ctx.rows(spec.table, source=src, item="planned", quantity="n")) else "enrolled"
    per_group = len(ctx.rows(spec.table, source=src, item="n_per_group", quantity="n"))
    base_item = "n_per_group" if per_group else "n_total"
    n_printed = r.value(base_item, "", "n")
    base = n_printed.value if per_group else n_printed.value / 2
    formula = all(len(ctx.rows(spec.table, source=src, item=item, quantity=q)) for item, _, q in (_P1, _P2, _ZA, _ZB))
    dropout = r.value("dropout", "", "percent").value / 100
    target = r.value(target_item, "", "n")
    bases = [(f"n={n_printed.text}" if per_group else f"n={n_printed.text}/2", base)]
    if formula:
        bases.append(("n unrounded", r.n_raw()))
    hits = [(label, v) for label, b in bases for v in dropout_variants(b, dropout) if v.total == target.value]
    correct = dropout_variants(base, dropout)[0]
    notes = [ctx.note("dropout_variants", hits="; ".join(f"{lab}: {v.name}" for lab, v in hits) or "—",
                      correct=correct.total, n=f"2 × {base:g}", d=100 * dropout)]
    if hits and not any(v.name.startswith(("total n/(1-d)", "per-group n/(1-d)")) and "floor" not in v.name
                        for _, v in hits):
        notes.append(ctx.note("dropout_questionable"))
    reads = (r.key(base_item, "", "n"),) + (tuple(r.key(*k) for k in (_P1, _P2, _ZA, _ZB)) if formula else ())
    return [ctx.check(id=f"{src}.{target_item}", source=src, item=target_item, quantity="n", reported=target.text,
                      recomputed=float(hits[0][1].total if hits else correct.total), method="dropout_arithmetic",
                      verdict="reproduced" if hits else "discrepant", notes=notes,
                      covers=(r.key(target_item, "", "n"), r.key("dropout", "", "percent")), inputs=reads)]


_DESIGNS = ("two_proportions", "two_means")


def _fraction(ctx: Context, spec, item: str) -> tuple[float, str] | None:
    """A design value printed as a proportion or a percentage (``alpha``, ``power``, ``p1``...),
    as a fraction, with its key; ``None`` when the paper does not print it."""
    rows = ctx.rows(spec.table, source=spec.source, item=item)
    rows = rows[rows["quantity"].isin(("proportion", "percent"))]
    if not len(rows):
        return None
    r = rows.iloc[0]
    value = ctx.value(spec.table, source=r["source"], item=item, level=r["level"], arm=r["arm"],
                      quantity=r["quantity"]).value
    return (value / 100 if r["quantity"] == "percent" else value,
            key_of(r["source"], item, r["level"], r["arm"], r["quantity"]))


def _number(ctx: Context, spec, item: str, quantity: str):
    rows = ctx.rows(spec.table, source=spec.source, item=item, quantity=quantity)
    if not len(rows):
        return None
    r = rows.iloc[0]
    return (ctx.value(spec.table, source=r["source"], item=item, level=r["level"], arm=r["arm"],
                      quantity=quantity), key_of(r["source"], item, r["level"], r["arm"], quantity))



def _name(lang: str, *parts: str) -> str:
    """A candidate computation in words: "two-sided, pooled variance, continuity-corrected"."""
    return ", ".join(t(f"audit.sample_size.{p}", lang) for p in parts if p)

def sample_size(ctx: Context, spec, *, done=()) -> list:
    """The printed n per group (and total) against every common way of computing it from the
    design values the paper prints (option ``design``: ``two_proportions`` or ``two_means``).

    Reads, in the declared source, whichever are printed of: ``p1`` and ``p2`` (proportions
    or percentages) or ``delta`` (quantity ``mean``) and ``sd``; ``alpha``; ``power`` or
    ``beta``; ``z_alpha``, ``z_beta`` (quantity ``z``); ``n_per_group`` and ``n_total``
    (quantity ``n``). Candidates: one- or two-sided; the printed or the exact normal
    quantiles; for proportions pooled or unpooled variance, with or without continuity
    correction; for means the normal approximation or the t test. n is rounded up. Option
    ``sides`` (1 or 2): the sides the paragraph states, the only ones then tried.
    """
    file = ctx.declaration.file
    design = spec.option("design")
    if design not in _DESIGNS:
        raise InputError(f"must be one of {', '.join(_DESIGNS)}", file=file, column=f"{spec.where}.design")
    # a paragraph that states its test's sides ("a two-sided 5% level") admits only those
    sides_stated = spec.option("sides")
    if sides_stated not in (None, 1, 2):
        raise InputError("must be 1 or 2 (the sides of the test the paragraph states)", file=file,
                         column=f"{spec.where}.sides")
    all_sides = (sides_stated,) if sides_stated else (2, 1)
    read = []

    def need(found, what):
        if found is None:
            raise InputError(f"needs {what} printed in source {spec.source!r}; transcribe it, or list the "
                             "sample-size values under [[unchecked]] with a reason", file=file,
                             column=f"{spec.where}.design")
        read.append(found[1])
        return found[0]

    alpha_found = _fraction(ctx, spec, "alpha")
    alpha = need(alpha_found, "alpha (item 'alpha', as a proportion or percent)") if alpha_found else 0.05
    power_found, beta_found = _fraction(ctx, spec, "power"), _fraction(ctx, spec, "beta")
    power = (need(power_found, "power") if power_found else
             1 - need(beta_found, "power or beta (items 'power' or 'beta')"))
    zs = [(None, None)]
    za, zb = _number(ctx, spec, "z_alpha", "z"), _number(ctx, spec, "z_beta", "z")
    if za is not None and zb is not None:
        zs.append((za[0].value, zb[0].value))
        read += [za[1], zb[1]]
    candidates = []
    if design == "two_proportions":
        p1 = need(_fraction(ctx, spec, "p1"), "p1 (the control arm's proportion)")
        p2 = need(_fraction(ctx, spec, "p2"), "p2 (the experimental arm's proportion)")
        for sides in all_sides:
            for z_a, z_b in zs:
                for pooled in (True, False):
                    for cc in (False, True):
                        name = _name(ctx.lang, f"sided{sides}", "pooled" if pooled else "unpooled",
                                     "cc" if cc else "", "printed_z" if z_a else "")
                        candidates.append((name, two_proportion_n(
                            p1, p2, alpha=alpha, power=power, sides=sides, z_alpha=z_a if sides == 2 else None,
                            z_beta=z_b, pooled=pooled, continuity=cc)))
    else:
        delta = need(_number(ctx, spec, "delta", "mean"), "delta (the difference, quantity mean)").value
        sd = need(_number(ctx, spec, "sd", "sd"), "sd (the common SD, quantity sd)").value
        for sides in all_sides:
            for z_a, z_b in zs:
                for method in ("normal", "t"):
                    if method == "t" and z_a is not None:
                        continue  # the t solution uses no z values
                    name = _name(ctx.lang, f"sided{sides}", method, "printed_z" if z_a else "")
                    candidates.append((name, two_means_n(delta, sd, alpha=alpha, power=power, sides=sides,
                                                         z_alpha=z_a if sides == 2 else None, z_beta=z_b,
                                                         method=method)))
    per_group = [(name, math.ceil(round(n, 9))) for name, n in candidates]
    out = []
    printed_n = _number(ctx, spec, "n_per_group", "n")
    total = _number(ctx, spec, "n_total", "n")
    if printed_n is None and total is None:
        raise InputError("needs the planned n: item 'n_per_group' or 'n_total' (quantity n)", file=file,
                         column=f"{spec.where}.design")
    for found, item, factor in ((printed_n, "n_per_group", 1), (total, "n_total", 2)):
        if found is None:
            continue
        hits = [name for name, n in per_group if factor * n == found[0].value]
        if item == "n_total" and printed_n is not None and 2 * printed_n[0].value == found[0].value:
            hits = hits or [t("audit.sample_size.twice_per_group", ctx.lang)]
        shown = "; ".join(f"{name}: {factor * n}" for name, n in per_group)
        out.append(ctx.check(
            id=f"{spec.source}.{item}", source=spec.source, item=item, quantity="n", reported=found[0].text,
            recomputed=(min(factor * n for _, n in per_group), max(factor * n for _, n in per_group)),
            method=f"sample_size_{design}", verdict="reproduced" if hits else "discrepant",
            notes=[ctx.note("sample_size_candidates", hits=", ".join(hits) or t("audit.sample_size.none", ctx.lang),
                                 all=shown)],
            covers=(found[1],), inputs=tuple(read) + tuple(f[1] for f in (printed_n, total)
                                                          if f is not None and f is not found)))
    return out
