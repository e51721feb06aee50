"""Families ``sample_size_two_proportions`` (n per group to compare two proportions, with the
printed z values, rates, margin and power) and ``dropout_inflation`` (the enrolled total from
n per group and a dropout rate).

Both read the items of the declared source by their keys: ``p1`` (control arm's proportion),
``p2`` (experimental arm's), ``alpha``, ``beta`` (``proportion``), ``z_alpha``, ``z_beta``
(``z``), ``response_rate_conventional``, ``response_rate_expected``, ``margin``, ``power``,
``dropout`` (``percent``), ``n_per_group`` and ``enrolled`` (``n``). See ``docs/analyses.md``.
"""

from __future__ import annotations

from scipy import stats

from ..stats.samplesize import dropout_variants, two_proportion_n
from .context import Context
from .model import key_of

__all__ = ["sample_size_two_proportions", "dropout_inflation"]

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
    """The enrolled total against every common way of inflating n per group (printed, or the
    formula's unrounded n) for the printed dropout rate."""
    r, src = _Reader(ctx, spec), spec.source
    n_printed = r.value("n_per_group", "", "n")
    n_raw = r.n_raw()
    dropout = r.value("dropout", "", "percent").value / 100
    enrolled = r.value("enrolled", "", "n")
    hits = [(label, v) for label, base in ((f"n={n_printed.text}", n_printed.value), ("n unrounded", n_raw))
            for v in dropout_variants(base, dropout) if v.total == enrolled.value]
    correct = dropout_variants(n_printed.value, dropout)[0]
    notes = [ctx.note("dropout_variants", hits="; ".join(f"{lab}: {v.name}" for lab, v in hits) or "—",
                      correct=correct.total, n=f"2 × {n_printed.text}", d=100 * dropout)]
    if hits and not any(v.name.startswith(("total n/(1-d)", "per-group n/(1-d)")) and "floor" not in v.name
                        for _, v in hits):
        notes.append(ctx.note("dropout_questionable"))
    return [ctx.check(id=f"{src}.enrolled", source=src, item="enrolled", quantity="n", reported=enrolled.text,
                      recomputed=float(hits[0][1].total if hits else correct.total), method="dropout_arithmetic",
                      verdict="reproduced" if hits else "discrepant", notes=notes,
                      covers=(r.key("enrolled", "", "n"), r.key("dropout", "", "percent")),
                      inputs=(r.key("n_per_group", "", "n"),) + tuple(r.key(*k) for k in (_P1, _P2, _ZA, _ZB)))]
