"""The arms' sizes of a table that prints none: the sum of a complete categorical item's counts.

Many tables print "n (%)" per level and leave the arms' n to the text, or lose it in
typesetting ("TEA ()"). Where every level of an item is printed, each arm's n is the sum of
its counts, and each printed percentage must then be its count's share of that sum: an item
whose percentages all fit is complete, and its sum is the n the percentages were taken of.
The draft declares that item as the file's ``group_size`` (``docs/analyses.md``) and asks a
person to confirm the n against the text; nothing is written into the transcription.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..printed import printed_or_none

__all__ = ["CountedSizes", "sizes_from_counts"]


@dataclass(frozen=True)
class CountedSizes:
    """The item whose counts give each arm's n, and those sums (arm -> n)."""

    source: str
    item: str
    where: str
    sums: dict
    agreeing: int   # complete items whose sums are the same


def _whole(text: str):
    p = printed_or_none(text)
    return p if p is not None and p.relation == "=" else None


def _sums(rows, arms) -> dict | None:
    """Arm -> the sum of the item's counts, when every arm prints two or more levels, each
    with a count and a percentage that is the count's share of that sum."""
    sums = {}
    for arm in arms:
        cells = {}
        for r in rows:
            if r.arm == arm and r.level:
                cells.setdefault(r.level, {})[r.quantity] = r.value
        if len(cells) < 2 or any(set(q) != {"count", "percent"} for q in cells.values()):
            return None
        pairs = [(_whole(q["count"]), _whole(q["percent"])) for q in cells.values()]
        if any(c is None or p is None or c.decimals for c, p in pairs):
            return None
        total = sum(c.value for c, _ in pairs)
        if total <= 0 or not all(p.contains(100 * c.value / total, rel_tol=1e-9) for c, p in pairs):
            return None
        sums[arm] = int(total)
    return sums


def sizes_from_counts(rows, arms) -> CountedSizes | None:
    """The complete item that gives the arms' sizes in ``rows`` (one file's drafted rows),
    or ``None``.

    Of the complete items, the sums most of them share win (an item with missing answers sums
    to less), then the first printed.
    """
    items: dict = {}
    for r in rows:
        if r.quantity in ("count", "percent") and r.arm in arms:
            items.setdefault((r.source, r.item), []).append(r)
    found = []
    for (source, item), group in items.items():
        sums = _sums(group, arms)
        if sums:
            found.append((source, item, group[0].where, sums))
    if not found:
        return None
    votes = Counter(tuple(sorted(f[3].items())) for f in found)
    best, agreeing = votes.most_common(1)[0]
    source, item, where, sums = next(f for f in found if tuple(sorted(f[3].items())) == best)
    return CountedSizes(source, item, where, sums, agreeing)
