"""What every audit family needs: the declaration, the loaded tables, the catalog, and the judging rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..dataset import declaration, load_discrepancies, load_table
from ..declaration import Declaration
from ..schema import DISCREPANCY_COLUMNS
from ..shown import in_language, shown_value
from ..errors import InputError
from ..i18n import t
from ..printed import Printed, non_number, parse_printed
from ..stats.rounding import meets, p_consistent
from .model import KEY_COLUMNS, Check, key_of

__all__ = ["Context", "Candidate", "load_context", "judge_pair"]


@dataclass(frozen=True)
class Context:
    """The digitized data of one language version, its declaration, and the language of the notes."""

    lang: str
    tables: dict = field(repr=False)
    discrepancies: pd.DataFrame = field(repr=False)
    declaration: Declaration = field(repr=False)

    @property
    def arms(self) -> tuple[str, ...]:
        """The declared arms, experimental first."""
        return self.declaration.arms

    def rows(self, table: str, **key: str) -> pd.DataFrame:
        """Rows of ``table`` whose columns equal the given values."""
        df = self.tables[table]
        for column, wanted in key.items():
            df = df[df[column] == wanted]
        return df

    def value(self, table: str, **key: str) -> Printed:
        """The one printed number matching ``key``.

        Raises :class:`InputError` (naming the file and row) when the paper prints a dash or
        ``NR`` there; :meth:`maybe_value` is for analyses that accept those.
        """
        row = self._one(table, key)
        if non_number(row["value"]):
            raise InputError(f"prints {row['value']!r} ({non_number(row['value']).replace('_', ' ')}) where the "
                             "analysis needs a number", file=row["file"], row=int(row["line"]), column="value")
        return parse_printed(row["value"])

    def maybe_value(self, table: str, **key: str) -> Printed | None:
        """The printed number matching ``key``, or ``None`` when no row matches or the paper
        prints a dash or ``NR`` there."""
        if not len(self.rows(table, **key)):
            return None
        row = self._one(table, key)
        return None if non_number(row["value"]) else parse_printed(row["value"])

    def text(self, table: str, **key: str) -> str:
        """The one printed string (e.g. superscript letters) matching ``key``."""
        return self._one(table, key)["value"]

    def _one(self, table: str, key: dict) -> pd.Series:
        hits = self.rows(table, **key)
        if len(hits) != 1:
            where = ", ".join(f"{k}={v!r}" for k, v in key.items())
            file = self.tables[table]["file"].iloc[0] if len(self.tables[table]) else table
            if len(hits) > 1:
                raise InputError(f"needs one printed value with {where}, but rows "
                                 f"{', '.join(map(str, hits['line']))} all match; give each its own level or arm",
                                 file=file, row=int(hits["line"].iloc[1]))
            raise InputError(f"needs the printed value with {where}, and this file has none: transcribe it "
                             "if the paper prints it; if not, declare the analysis without it "
                             "(docs/analyses.md) or list the item's values under [[unchecked]] with a reason",
                             file=file)
        return hits.iloc[0]

    def n_keys(self, table: str, arm: str) -> tuple[str, ...]:
        """The raw-data keys that give ``table``'s group size for ``arm`` (declared per file):
        the printed n, or, where no table prints the arms' sizes, the counts of an item whose
        levels are complete (``group_size`` names that item; the n is their sum)."""
        where = self.declaration.table(table).group_size
        if where is None:
            raise InputError(f"tables.{table}.group_size is not declared, but an analysis needs it",
                             file=self.declaration.file, column=f"tables.{table}.group_size")
        n_key = key_of(where[0], where[1], "", arm, "n")
        if self.printed_row(n_key) is not None:
            return (n_key,)
        counts = [key_of(r["source"], r["item"], r["level"], arm, "count") for t in self.tables
                  for _, r in self.rows(t, source=where[0], item=where[1], arm=arm, quantity="count").iterrows()]
        if not counts:
            raise InputError(f"names {where[0]}/{where[1]}, which prints neither an n nor counts for arm "
                             f"{arm!r}", file=self.declaration.file, column=f"tables.{table}.group_size")
        return tuple(counts)

    def n(self, table: str, arm: str) -> int:
        """Group size of ``arm`` in ``table`` (where the declaration says)."""
        return self.sum_of(table, self.n_keys(table, arm))

    def sum_of(self, table: str, keys) -> int:
        """The sum of the printed whole numbers with raw-data keys ``keys`` (one key: its value)."""
        return int(sum(self.key_value(table, k).value for k in keys))

    def n_keys_for(self, spec, arm: str) -> tuple[str, ...]:
        """The keys of the group size an analysis uses for ``arm``: the block named by its ``n``
        option (``{ source, item }``, e.g. an "evaluable" n), else the item's own printed
        ``n`` (a footnote "recorded for 50 and 48 patients"), else the file's group size."""
        block = spec.option("n")
        if block is not None:
            if not (isinstance(block, dict) and set(block) == {"source", "item"}
                    and all(isinstance(v, str) for v in block.values())):
                raise InputError('must be { source = "...", item = "..." }: where the n this analysis uses is printed',
                                 file=self.declaration.file, column=f"{spec.where}.n")
            if not len(self.rows(spec.table, source=block["source"], item=block["item"], arm=arm, quantity="n")):
                raise InputError(f"no printed n for arm {arm!r} at {block['source']}/{block['item']} in the "
                                 f"{spec.table!r} file", file=self.declaration.file, column=f"{spec.where}.n")
            return (key_of(block["source"], block["item"], "", arm, "n"),)
        if spec.item and len(self.rows(spec.table, source=spec.source, item=spec.item, level="", arm=arm,
                                       quantity="n")):
            return (key_of(spec.source, spec.item, "", arm, "n"),)
        return self.n_keys(spec.table, arm)

    def n_for(self, spec, arm: str) -> int:
        """The group size an analysis uses for ``arm`` (see :meth:`n_keys_for`)."""
        return self.sum_of(spec.table, self.n_keys_for(spec, arm))

    def key_value(self, table: str, key: str) -> Printed:
        """The printed number with raw-data key ``key`` in ``table``, or in the file that
        declares its source (a table that prints no n declares another file's group size)."""
        source = key.split("/")[0]
        if source not in self.declaration.table(table).sources:
            table = next((name for name, rule in self.declaration.tables.items() if source in rule.sources), table)
        return self.value(table, **dict(zip(KEY_COLUMNS, key.split("/"))))

    def printed_row(self, key: str) -> pd.Series | None:
        """The transcription row with raw-data key ``key`` in any declared file (``None``: none)."""
        wanted = dict(zip(KEY_COLUMNS, key.split("/")))
        for table in self.tables:
            hits = self.rows(table, **wanted)
            if len(hits):
                return hits.iloc[0]
        return None

    def printed_text(self, key: str) -> str | None:
        """The printed string with raw-data key ``key`` in any declared file (``None``: none)."""
        row = self.printed_row(key)
        return None if row is None else row["value"]

    def note(self, key: str, **fields) -> str:
        """The note ``audit.note.<key>`` in the report's language: the paper's own wording
        from the declaration's ``[notes]`` when it has one, else the catalog's generic text."""
        own = self.declaration.notes.get(key, {})
        if self.lang in own:
            return own[self.lang].format(**fields)
        return t(f"audit.note.{key}", self.lang, **fields)

    def cross_notes(self, covers, judged=()) -> tuple[str, ...]:
        """Notes for every recorded en/zh difference touching the covered values: each
        version's value with its symbol (``t = 0.616``; a difference of format as printed),
        the row named where the value is another item's than the ``judged`` ones (an input),
        and the recorded note where it is written in the report's language."""
        items = {tuple(k.split("/")[:2]) for k in judged}
        out = []
        for row in self.discrepancies.itertuples(index=False):
            if row.kind == "text" or not row.quantity:
                continue
            key = key_of(row.source, row.item, row.level, row.arm, row.quantity)
            if key in covers:
                values = {v: getattr(row, v) or "—" if row.kind == "format"
                          else shown_value(getattr(row, v), row.quantity, self.lang) for v in ("en", "zh")}
                note = self._cross_note(values, row.note)
                printed = self.printed_row(key)
                if (row.source, row.item) not in items and printed is not None and printed["row_label"]:
                    note = self.note("cross_language_row", row=printed["row_label"], text=note)
                out.append(note)
        return tuple(out)

    def _cross_note(self, values: dict, recorded: str) -> str:
        if recorded and in_language(recorded, self.lang):
            return self.note("cross_language", **values, note=recorded)
        return self.note("cross_language_values", **values)

    def section_notes(self, source: str) -> tuple[str, ...]:
        """Notes for recorded en/zh differences of labels or text of a whole table or section
        (rows of ``discrepancies.csv`` with kind ``label`` or ``text`` and no item)."""
        rows = self.discrepancies[self.discrepancies["kind"].isin(("label", "text"))
                                  & (self.discrepancies["source"] == source)
                                  & (self.discrepancies["item"] == "")]
        return tuple(self._cross_note({"en": r.en or "—", "zh": r.zh or "—"}, r.note)
                     for r in rows.itertuples(index=False))

    def check(self, **fields) -> Check:
        """A :class:`Check` with the cross-language notes of what it judges or uses appended.

        ``source`` is the raw-data source key; the check shows it through the catalog.
        """
        judged = tuple(fields.get("covers", ())) + tuple(fields.get("inputs", ()))
        notes = tuple(fields.pop("notes", ())) + self.cross_notes(judged, fields.get("covers", ()))
        origin = fields.pop("source")
        shown = self.declaration.source_name(origin, self.lang) or t(f"source.{origin}", self.lang)
        return Check(notes=notes, source=shown, origin=origin, **fields)


def load_context(lang: str = "en", *, data_dir=None) -> Context:
    """Every declared raw table of one language version and, when two languages are declared,
    ``discrepancies.csv``, validated by the loader."""
    decl = declaration(data_dir)
    tables = {name: load_table(name, lang, data_dir=data_dir) for name in decl.tables}
    disc = (load_discrepancies(data_dir=data_dir) if len(decl.languages) > 1
            else pd.DataFrame(columns=DISCREPANCY_COLUMNS))
    return Context(lang=lang, tables=tables, discrepancies=disc, declaration=decl)


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
