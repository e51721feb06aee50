"""What every audit builder needs: the loaded tables, the catalog, and the judging rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..dataset import load_discrepancies, load_table
from ..errors import InputError
from ..i18n import t
from ..printed import Printed, parse_printed
from ..stats.rounding import meets, p_consistent
from .model import Check, key_of

__all__ = ["Context", "Candidate", "load_context", "judge_pair", "ARMS"]

ARMS = ("combination", "control")


@dataclass(frozen=True)
class Context:
    """The digitized data of one language version, and the language of the notes."""

    lang: str
    tables: dict = field(repr=False)
    discrepancies: pd.DataFrame = field(repr=False)

    def rows(self, table: str, **key: str) -> pd.DataFrame:
        """Rows of ``table`` whose columns equal the given values."""
        df = self.tables[table]
        for column, wanted in key.items():
            df = df[df[column] == wanted]
        return df

    def value(self, table: str, **key: str) -> Printed:
        """The one printed number matching ``key``."""
        return parse_printed(self._one(table, key)["value"])

    def text(self, table: str, **key: str) -> str:
        """The one printed string (e.g. superscript letters) matching ``key``."""
        return self._one(table, key)["value"]

    def _one(self, table: str, key: dict) -> pd.Series:
        hits = self.rows(table, **key)
        if len(hits) != 1:
            where = ", ".join(f"{k}={v!r}" for k, v in key.items())
            file = self.tables[table]["file"].iloc[0] if len(self.tables[table]) else table
            row = int(hits["line"].iloc[1]) if len(hits) > 1 else None
            raise InputError(f"the audit needs exactly one row with {where}; found {len(hits)}",
                             file=file, row=row)
        return hits.iloc[0]

    def n(self, table: str, arm: str) -> int:
        """Group size as printed in ``table`` (the text's for ``text``)."""
        src = {"text": "sec1.3"}.get(table, table)
        rows = self.rows(table, source=src, arm=arm, quantity="n")
        item = "group_size" if (rows["item"] == "group_size").any() else "response"  # Table 2 prints n per row
        return int(self.value(table, source=src, item=item, arm=arm, quantity="n").value)

    def note(self, key: str, **fields) -> str:
        """The catalog note ``audit.note.<key>`` in the report's language."""
        return t(f"audit.note.{key}", self.lang, **fields)

    def cross_notes(self, covers) -> tuple[str, ...]:
        """Notes for every recorded en/zh difference touching the covered values."""
        out = []
        for row in self.discrepancies.itertuples(index=False):
            if row.kind == "text" or not row.quantity:
                continue
            if key_of(row.source, row.item, row.level, row.arm, row.quantity) in covers:
                out.append(self.note("cross_language", en=row.en or "—", zh=row.zh or "—", note=row.note))
        return tuple(out)

    def section_notes(self, source: str) -> tuple[str, ...]:
        """Notes for recorded en/zh differences of labels or text of a whole table or section
        (rows of ``discrepancies.csv`` with kind ``label`` or ``text`` and no item)."""
        rows = self.discrepancies[self.discrepancies["kind"].isin(("label", "text"))
                                  & (self.discrepancies["source"] == source)
                                  & (self.discrepancies["item"] == "")]
        return tuple(self.note("cross_language", en=r.en or "—", zh=r.zh or "—", note=r.note)
                     for r in rows.itertuples(index=False))

    def check(self, **fields) -> Check:
        """A :class:`Check` with the cross-language notes of what it judges or uses appended.

        ``source`` is the raw-data source key; the check shows it through the catalog.
        """
        judged = tuple(fields.get("covers", ())) + tuple(fields.get("inputs", ()))
        notes = tuple(fields.pop("notes", ())) + self.cross_notes(judged)
        origin = fields.pop("source")
        return Check(notes=notes, source=t(f"source.{origin}", self.lang), origin=origin, **fields)


def load_context(lang: str = "en", *, data_dir=None) -> Context:
    """Every raw table of one language version and ``discrepancies.csv``, validated by the loader."""
    tables = {name: load_table(name, lang, data_dir=data_dir)
              for name in ("table1", "table2", "table3", "table4", "text")}
    return Context(lang=lang, tables=tables, discrepancies=load_discrepancies(data_dir=data_dir))


@dataclass(frozen=True)
class Candidate:
    """One candidate method's recomputed statistic and P (ranges; ``None`` = not printed by it)."""

    method: str
    stat: tuple[float, float] | None
    p: tuple[float, float] | None


def judge_pair(candidates, stat: Printed | None, p: Printed | None):
    """Pick, for a printed statistic and its P, the candidate that reproduces them.

    Preference: the first candidate reproducing both; else the first reproducing
    each one alone; else the first candidate (primary method), judged discrepant.
    Returns ``(stat_choice, stat_ok, p_choice, p_ok)``.
    """
    def stat_ok(c):
        return stat is not None and c.stat is not None and meets(stat.interval, c.stat)

    def p_ok(c):
        return p is not None and c.p is not None and p_consistent(p, c.p)

    both = [c for c in candidates if stat_ok(c) and p_ok(c)]
    s = both[0] if both else next((c for c in candidates if stat_ok(c)), None)
    q = both[0] if both else next((c for c in candidates if p_ok(c)), None)
    primary_s = next((c for c in candidates if c.stat is not None), candidates[0])
    return (s or primary_s, s is not None, q or candidates[0], q is not None)
