"""Family ``claim``: a printed statement over a set of rows ("all P > 0.05"), judged against
the printed P values of those rows as well as their recomputed P; and the helpers
``baseline_balance`` shares."""

from __future__ import annotations

from ..errors import InputError
from ..printed import parse_printed
from .context import Context
from .model import key_of

__all__ = ["claim", "parse_claim", "contradictions", "printed_rows"]


def parse_claim(ctx: Context, spec, default: str | None = None):
    """The ``claim`` option (``P>0.05``, ``P＜0.05``, ``P ≥ 0.05``) as a printed bound."""
    text = spec.option("claim", default)
    try:
        bound = parse_printed(str(text).strip().lstrip("Pp").strip())
    except ValueError:
        bound = None
    if bound is None or bound.relation == "=":
        raise InputError(f"must read P>bound or P<bound, e.g. 'P>0.05', got {text!r}", file=ctx.declaration.file,
                         column=f"{spec.where}.claim")
    return bound


def _holds(bound, interval: tuple[float, float]) -> bool:
    """Whether some value of ``interval`` satisfies the claim (rounding cannot rule it out)."""
    lo, hi = interval
    return hi > bound.value if bound.relation in (">", "≥") else lo < bound.value


def printed_rows(ctx: Context, keys, printed: dict) -> str:
    """The printed P values of ``keys`` as a reader finds them: each row's label as printed
    and its P (“Sex” P = 0.035), never the raw-data key."""
    out = []
    for key in keys:
        row = ctx.printed_row(key)
        label = key if row is None else str(row["row_label"])
        out.append(f"“{label}” P = {printed[key].text.lstrip('=')}")
    return ", ".join(out)


def contradictions(bound, printed: dict, recomputed: dict) -> tuple[list, list]:
    """The keys whose printed P, and the check ids whose recomputed P range, contradict the claim."""
    return ([k for k, p in printed.items() if not _holds(bound, p.interval)],
            [i for i, r in recomputed.items() if not _holds(bound, r)])


def claim(ctx: Context, spec, *, done=()) -> list:
    """The claim (option ``claim``) over the P of the rows option ``rows`` lists
    (``[{ source, item }, ...]``; an entry without ``item`` takes every P of that source)."""
    bound = parse_claim(ctx, spec)
    rows = spec.option("rows")
    if not (isinstance(rows, list) and rows and all(isinstance(r, dict) and isinstance(r.get("source"), str)
                                                    for r in rows)):
        raise InputError('must list the rows the claim is about: [{ source = "table2", item = "..." }, ...]',
                         file=ctx.declaration.file, column=f"{spec.where}.rows")
    printed, keys = {}, []
    for want in rows:
        for table in ctx.tables:
            hits = ctx.rows(table, source=want["source"], quantity="p", arm="")
            if "item" in want:
                hits = hits[hits["item"] == want["item"]]
            for r in hits.itertuples(index=False):
                key = key_of(r.source, r.item, r.level, r.arm, r.quantity)
                keys.append(key)
                printed[key] = ctx.value(table, source=r.source, item=r.item, level=r.level, arm="", quantity="p")
    if not printed:
        raise InputError("no printed P matches these rows", file=ctx.declaration.file, column=f"{spec.where}.rows")
    recomputed = {c.id: (c.recomputed if isinstance(c.recomputed, tuple) else (c.recomputed,) * 2)
                  for c in done if c.quantity == "P" and c.recomputed is not None and set(c.covers) & set(keys)}
    bad_printed, bad_recomputed = contradictions(bound, printed, recomputed)
    notes = [ctx.note("claim_rows", k=len(printed), r=len(recomputed))]
    if bad_printed:
        notes.append(ctx.note("claim_printed_contradicts", rows=printed_rows(ctx, bad_printed, printed)))
    if bad_recomputed:
        notes.append(ctx.note("claim_recomputed_contradicts", checks=", ".join(bad_recomputed)))
    ranges = [p.interval for p in printed.values()] + list(recomputed.values())
    text = spec.option("claim")
    return [ctx.check(id=f"{spec.source}.{spec.item or 'rows'}.claim", source=spec.source, item=spec.item or "rows",
                      quantity="P", reported=text, recomputed=(min(r[0] for r in ranges), max(r[1] for r in ranges)),
                      recomputed_as="p", method="claim",
                      verdict="discrepant" if bad_printed or bad_recomputed else "reproduced", notes=notes,
                      covers=(), inputs=tuple(keys))]
