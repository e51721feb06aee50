"""Family ``repeat``: numbers printed again elsewhere (the abstract repeating a table's test),
judged against the same test as the place they repeat."""

from __future__ import annotations

from dataclasses import replace

from ..errors import InputError
from ..printed import non_number, parse_printed
from ..stats.rounding import meets, p_consistent
from .context import Context
from .median import median_iqr
from .model import key_of
from .pvalue import p_from_statistic
from .ratio import ratio_ci
from .survival import log_rank

__all__ = ["repeat", "SELF_CONTAINED"]

# Families that judge an item from its own printed numbers alone (a ratio and its CI, a
# statistic and its P), by name: a repetition is judged the same way, from what it prints
# itself. Imported here, not looked up in families.FAMILIES, which lists this family too.
SELF_CONTAINED = {"ratio_ci": ratio_ci, "p_from_statistic": p_from_statistic, "median_iqr": median_iqr,
                  "log_rank": log_rank}


def _of(ctx: Context, spec) -> tuple[str, str]:
    of = spec.option("of")
    if not (isinstance(of, dict) and isinstance(of.get("source"), str) and isinstance(of.get("item"), str)
            and set(of) <= {"source", "item"}):
        raise InputError('must be { source = "...", item = "..." }: the printed item whose test this repeats',
                         file=ctx.declaration.file, column=f"{spec.where}.of")
    return of["source"], of["item"]


def _judge(printed_text: str, quantity: str, original) -> bool | None:
    """Whether a repeated value agrees with the original check's recomputation (``None``:
    the check recomputes something else, e.g. a range of the whole interval)."""
    rec = original.recomputed
    if rec is None or non_number(printed_text) or len(original.covers) != 1 or original.recomputed_as not in (
            "", "p"):
        return None
    rec = rec if isinstance(rec, tuple) else (rec, rec)
    printed = parse_printed(printed_text)
    if quantity == "p":
        return p_consistent(printed, rec)
    return meets(printed.magnitude().interval, rec)


def _same(a: str, b: str) -> bool:
    """The same printed number (``＜0.001`` and ``<0.001`` alike), or the same non-number."""
    if non_number(a) or non_number(b):
        return non_number(a) == non_number(b)
    pa, pb = parse_printed(a), parse_printed(b)
    return (pa.value, pa.decimals, pa.relation) == (pb.value, pb.decimals, pb.relation)


def _repeated_input(ctx: Context, r, here: str, there: str, source: str):
    """A repeated count or n that the original checks read rather than judge: it must be
    printed the same as there."""
    there_text = ctx.printed_text(there)
    where = ctx.declaration.source_name(source, ctx.lang) or source
    same = _same(r.value, there_text)
    ident = ".".join(p for p in (r.source, r.item, r.level, r.arm, r.quantity) if p)
    return ctx.check(id=f"{ident}.repeat", source=r.source, item=r.item, quantity=r.quantity,
                     reported=r.value, recomputed=None, recomputed_as="", method="repeat",
                     verdict="reproduced" if same else "discrepant",
                     notes=[ctx.note("repeat_input_same" if same else "repeat_input_differs", where=where,
                                     there=there_text)],
                     covers=(here,), inputs=(there,))


def repeat(ctx: Context, spec, *, done=()) -> list:
    """Each printed value of this source's item against the check of the item it repeats
    (option ``of``), which must be declared earlier.

    When that item's analysis judges it from its own printed numbers (:data:`SELF_CONTAINED`:
    a ratio with its CI, a P from its statistic), the repetition is judged the same way from
    what it prints. Otherwise, printed the same as there: the original check's verdict, with
    a note saying so.
    Printed differently: judged against the original check's recomputed value when it has
    one for this number, else discrepant (two places print different values of one test).
    A count or n that the original checks only read must be printed the same as there.
    """
    source, item = _of(ctx, spec)
    originals = [c for c in done if c.origin == source and c.item == item and c.covers]
    if not originals:
        raise InputError(f"no analysis declared before this one judges {source}/{item}; declare that analysis "
                         "first", file=ctx.declaration.file, column=f"{spec.where}.of")
    out, judged = [], set()
    for a in ctx.declaration.analyses:
        if a.source == source and a.item == item and a.family in SELF_CONTAINED and a.index < spec.index:
            again = SELF_CONTAINED[a.family](ctx, replace(a, table=spec.table, source=spec.source), done=done)
            out += [replace(c, id=f"{c.id}.repeat") for c in again]
            judged |= {k for c in again for k in c.covers}
    for r in ctx.rows(spec.table, source=spec.source, item=spec.item).itertuples(index=False):
        here = key_of(r.source, r.item, r.level, r.arm, r.quantity)
        if here in judged:
            continue
        there = key_of(source, item, r.level, r.arm, r.quantity)
        original = next((c for c in originals if there in c.covers), None)
        if original is None and any(there in c.inputs for c in originals):
            out.append(_repeated_input(ctx, r, here, there, source))
            continue
        if original is None:
            raise InputError(f"{here} repeats {there}, which no analysis judges; transcribe it with the key of the "
                             "value it repeats", file=r.file, row=int(r.line), column="quantity")
        there_text = ctx.printed_text(there)
        same = _same(r.value, there_text)
        where = ctx.declaration.source_name(source, ctx.lang) or source
        if same:
            verdict, notes, method = original.verdict, [ctx.note("repeat_same", where=where)], original.method
            recomputed, as_ = original.recomputed, original.recomputed_as
        else:
            ok = _judge(r.value, r.quantity, original)
            verdict = "discrepant" if not ok else "reproduced"
            notes = [ctx.note("repeat_differs", where=where, there=there_text)]
            method = original.method if ok is not None else "repeat"
            recomputed, as_ = (original.recomputed, original.recomputed_as) if ok is not None else (None, "")
        ident = ".".join(p for p in (r.source, r.item, r.level, r.arm, r.quantity) if p)
        out.append(ctx.check(id=f"{ident}.repeat", source=r.source, item=r.item,
                             quantity="P" if r.quantity == "p" else r.quantity, reported=r.value,
                             recomputed=recomputed, recomputed_as=as_, method=method, verdict=verdict,
                             notes=notes, covers=(here,), inputs=(there,) + tuple(original.inputs)))
    return out
