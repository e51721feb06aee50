"""Family ``group_sizes``: every printed group size and total against the reference group
sizes the declaration names (``reference_n``)."""

from __future__ import annotations

from ..errors import InputError
from .context import Context
from .model import key_of

__all__ = ["group_sizes"]


def group_sizes(ctx: Context, spec, *, done=()) -> list:
    """Printed ``n`` of the declared ``items`` in every file (sources in ``skip_sources``
    excepted) against the reference arm sizes, or their sum for a total (no arm)."""
    items = tuple(spec.option("items", ("group_size",)))
    skip = tuple(spec.option("skip_sources", ()))
    ref_table, ref_source, ref_item = ctx.declaration.reference_n
    if not ref_table:
        raise InputError("reference_n is not declared: name the file, source and item of the arms' sizes",
                         file=ctx.declaration.file, column="reference_n")
    reference = {a: int(ctx.value(ref_table, source=ref_source, item=ref_item, arm=a, quantity="n").value)
                 for a in ctx.arms}
    ref_keys = {a: key_of(ref_source, ref_item, "", a, "n") for a in ctx.arms}
    total = sum(reference.values())
    out = []
    for table in ctx.tables:
        df = ctx.rows(table, quantity="n")
        for r in df[df["item"].isin(items)].itertuples(index=False):
            if r.source in skip:
                continue
            want = reference[r.arm] if r.arm else total
            key = key_of(r.source, r.item, "", r.arm, "n")
            reads = (ref_keys[r.arm],) if r.arm else tuple(ref_keys.values())
            notes = [ctx.note("no_dropout")] if not r.arm else []
            ok = float(r.value) == want
            knock_on = ""
            beside = df[(df["source"] == r.source) & (df["item"] == r.item) & (df["arm"] != "")]
            if not r.arm and len(beside) == len(ctx.arms):
                # A total printed beside its arms must also be their sum.
                parts = int(sum(float(v) for v in beside["value"]))
                reads += tuple(key_of(b.source, b.item, "", b.arm, "n") for b in beside.itertuples(index=False))
                if float(r.value) != parts:
                    notes.append(ctx.note("total_not_parts", parts=" + ".join(beside["value"]), total=parts))
                    wrong = [b.arm for b in beside.itertuples(index=False) if float(b.value) != reference[b.arm]]
                    if ok and wrong:
                        # the total is right and a misprinted arm breaks the sum: one finding, the arm's
                        knock_on = f"{r.source}.{r.item}.{wrong[0]}.n"
                    ok = False
            out.append(ctx.check(id=f"{r.source}.{r.item}.{r.arm or 'total'}.n", source=r.source, item=r.item,
                                 quantity="n", reported=r.value, recomputed=float(want), method="group_sizes",
                                 verdict="reproduced" if ok else "discrepant", notes=notes, knock_on_of=knock_on,
                                 covers=(key,), inputs=tuple(dict.fromkeys(k for k in reads if k != key))))
    return out
