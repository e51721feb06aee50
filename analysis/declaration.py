"""The declaration of a digitized paper: ``<data dir>/analyses.toml``.

It says what the transcription looks like (languages, arms, the files and what each may
hold, where the group sizes are printed) and, for every printed item, which analysis
produced the printed statistic, in the terms of the paper's methods section. The audit
(:mod:`analysis.audit`) runs from it; ``python -m analysis data --check`` enforces that
every printed statistic is claimed by exactly one declared analysis or listed as
deliberately unchecked. Format: ``docs/analyses.md``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from .i18n import catalog
from .quantities import QUANTITIES

__all__ = ["FILE", "SIGN_CONVENTIONS", "PLACEHOLDER", "TableRule", "Analysis", "Unchecked", "Paper",
           "Declaration", "load_declaration", "parse_declaration"]

FILE = "analyses.toml"
_LANGS = ("en", "zh")
# Which difference a signed statistic is the sign of (top-level ``sign``, or an analysis's).
SIGN_CONVENTIONS = ("first_minus_second", "second_minus_first")
_ANALYSIS_KEYS = {"family", "table", "source", "item", "baseline"}
# A printed value in the prose of ``[paper]``: ``{source/item/level/arm/quantity}``, optionally
# ``:month`` to print a ``YYYY-MM`` date as a month ("January 2020", "2020 年 1 月").
PLACEHOLDER = re.compile(r"\{(?P<key>[^{}/:]*(?:/[^{}/:]*){4})(?::(?P<format>month))?\}")


@dataclass(frozen=True)
class TableRule:
    """One transcription file ``<lang>/<name>.csv``: the sources and quantities it may hold,
    whether the levels of its categorical items must add up to the arm's n, and the
    ``(source, item)`` of its printed group sizes (``None``: it prints none)."""

    name: str
    sources: tuple[str, ...]
    quantities: tuple[str, ...]
    levels_complete: bool = False
    group_size: tuple[str, str] | None = None
    # the groups this file compares when they are not the trial's arms (responders and
    # non-responders, three dose groups): its rows' arms, and the arms its analyses compare
    arms: tuple[str, ...] = ()
    # how the paper lays the table out, for the rebuilt table: "items_as_rows" (groups as
    # columns), "arms_as_rows" (groups as rows), "times_as_rows" (a block per marker, a row
    # per time point); "" lets the shape of the data decide
    layout: str = ""


@dataclass(frozen=True)
class Analysis:
    """One declared analysis: its family, what it reads (``table``, ``source``, ``item``),
    whether the item is a baseline variable, and the family's options."""

    index: int
    family: str
    table: str
    source: str
    item: str
    baseline: bool = False
    options: dict = field(default_factory=dict, repr=False)

    @property
    def where(self) -> str:
        """The dotted key of this analysis in the declaration, for messages."""
        return f"analysis[{self.index}]"

    def option(self, name: str, default=None):
        return self.options.get(name, default)


@dataclass(frozen=True)
class Unchecked:
    """A printed value deliberately left unchecked, and why."""

    key: str
    reason: str


@dataclass(frozen=True)
class Paper:
    """``[paper]``: what a reader is told about the paper, as the paper states it, per language.

    Each text is a dict ``{lang: str}`` whose printed numbers are placeholders
    (:data:`PLACEHOLDER`), filled from the transcription of that language, so that no number
    is typed twice and a claim whose numbers the audit finds discrepant can be marked.
    ``title`` holds the paper's title as each version prints it, for any of the declared
    languages (:meth:`Declaration.title_in`: the top-level ``title`` for the others).
    """

    title: dict = field(default_factory=dict)
    study: dict = field(default_factory=dict)
    claims: tuple[dict, ...] = ()
    questions: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Declaration:
    """A parsed ``analyses.toml`` (see ``docs/analyses.md``)."""

    file: str
    title: str
    languages: tuple[str, ...]
    arms: tuple[str, ...]
    tables: dict = field(repr=False)
    reference_n: tuple[str, str, str] = ("", "", "")
    source_names: dict = field(default_factory=dict, repr=False)
    letters: dict = field(default_factory=dict, repr=False)
    analyses: tuple[Analysis, ...] = ()
    unchecked: tuple[Unchecked, ...] = ()
    sign: str | None = None
    notes: dict = field(default_factory=dict, repr=False)
    paper: Paper = field(default_factory=Paper, repr=False)

    def title_in(self, lang: str) -> str:
        """The paper's title as the ``lang`` version prints it (``[paper] title``), else the
        top-level ``title``."""
        return self.paper.title.get(lang) or self.title

    def table(self, name: str) -> TableRule:
        if name not in self.tables:
            raise ValueError(f"table must be one of {sorted(self.tables)}, got {name!r}")
        return self.tables[name]

    @property
    def alphabet(self) -> str:
        """The superscript letters the ``[letters]`` convention uses, in alphabetical order."""
        used = set(self.letters.get("between", "")) | set(self.letters.get("within", {}))
        return "".join(sorted(used))

    def source_name(self, source: str, lang: str) -> str | None:
        """The declared display name of a source in ``lang`` (else English), or ``None``."""
        names = self.source_names.get(source)
        return None if names is None else names.get(lang, names.get("en"))


LAYOUTS = ("items_as_rows", "arms_as_rows", "times_as_rows")


def _need(cond: bool, message: str, file: str, key: str) -> None:
    if not cond:
        raise InputError(message, file=file, column=key)


def _strings(value, file: str, key: str, *, allowed=None) -> tuple[str, ...]:
    _need(isinstance(value, list) and value and all(isinstance(v, str) for v in value),
          "must be a non-empty list of strings", file, key)
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise InputError(f"{bad[0]!r} is not one of {', '.join(allowed)}", file=file, column=key)
    return tuple(value)


def _text(table: dict, name: str, file: str, key: str, *, required: bool = True) -> str:
    value = table.get(name, "")
    _need(isinstance(value, str), "must be a string", file, f"{key}{name}")
    _need(bool(value) or not required, "is required", file, f"{key}{name}")
    return value


def _sign(doc: dict, file: str) -> str | None:
    """The paper's sign convention for signed statistics (``first_minus_second``: positive when
    the first declared arm's mean is larger), or ``None``."""
    sign = _text(doc, "sign", file, "", required=False) or None
    _need(sign is None or sign in SIGN_CONVENTIONS, f"must be one of {', '.join(SIGN_CONVENTIONS)}", file, "sign")
    return sign


def _notes(notes, file: str) -> dict:
    """``[notes]``: the paper's own wording of audit notes (``key = { en = ..., zh = ... }``),
    for what only this paper says (its section numbers, its numbers); the catalog holds the
    generic text every other paper gets."""
    _need(isinstance(notes, dict), "must be a table of key = { en = ..., zh = ... }", file, "notes")
    for key, text in notes.items():
        _need(f"audit.note.{key}" in catalog(), f"no audit note {key!r} to reword (see [audit.note] in "
              "analysis/catalog.toml)", file, f"notes.{key}")
        _need(isinstance(text, dict) and text and all(isinstance(v, str) for v in text.values())
              and set(text) <= set(_LANGS), "must be { en = \"...\", zh = \"...\" }", file, f"notes.{key}")
    return notes


def _texts(value, languages: tuple, file: str, key: str) -> dict:
    """One text of ``[paper]``: ``{ en = "...", zh = "..." }`` with every declared language (a
    plain string for a paper declared in one language)."""
    if isinstance(value, str) and len(languages) == 1:
        value = {languages[0]: value}
    _need(isinstance(value, dict) and set(value) == set(languages)
          and all(isinstance(v, str) and v.strip() for v in value.values()),
          "must be { " + ", ".join(f'{lang} = "..."' for lang in languages) + " } (one text per declared language)",
          file, key)
    for lang, text in value.items():
        bare = PLACEHOLDER.sub("", text)
        _need("{" not in bare and "}" not in bare,
              "a printed value is written {source/item/level/arm/quantity} (five parts, empty ones "
              "left empty), optionally {...:month}", file, f"{key}.{lang}")
    return value


def _paper(spec, languages: tuple, file: str) -> Paper:
    _need(isinstance(spec, dict), "must be a table", file, "paper")
    unknown = sorted(set(spec) - {"title", "study", "claims", "questions"})
    _need(not unknown, f"unknown key {unknown[0]!r} (title, study, claims, questions)" if unknown else "", file,
          "paper")
    lists = {}
    for name in ("claims", "questions"):
        items = spec.get(name, [])
        _need(isinstance(items, list), "must be a list of texts", file, f"paper.{name}")
        lists[name] = tuple(_texts(v, languages, file, f"paper.{name}[{i}]") for i, v in enumerate(items))
    study = _texts(spec["study"], languages, file, "paper.study") if "study" in spec else {}
    # a title for some of the versions (a draft finds the Chinese one where its file prints it)
    title = spec.get("title", {})
    if isinstance(title, str) and len(languages) == 1:
        title = {languages[0]: title}      # as [paper]'s other texts: a plain string for one language
    _need("title" not in spec or isinstance(title, dict) and title and set(title) <= set(languages)
          and all(isinstance(v, str) and v.strip() for v in title.values()),
          "must be { " + ", ".join(f'{lang} = "..."' for lang in languages) + " } (a title per declared "
          "language; a language left out takes the top-level title)", file, "paper.title")
    return Paper(title=title, study=study, **lists)


def parse_declaration(doc: dict, *, file: str) -> Declaration:
    """Check and convert a loaded ``analyses.toml``; errors name ``file`` and the dotted key."""
    languages = _strings(doc.get("languages"), file, "languages", allowed=_LANGS)
    arms = _strings(doc.get("arms"), file, "arms")
    _need(len(arms) == 2, "exactly two arms (the experimental arm first)", file, "arms")
    raw_tables = doc.get("tables")
    _need(isinstance(raw_tables, dict) and raw_tables, "must declare at least one file", file, "tables")
    tables = {}
    for name, spec in raw_tables.items():
        key = f"tables.{name}"
        _need(isinstance(spec, dict), "must be a table", file, key)
        unknown = sorted(set(spec) - {"sources", "quantities", "levels_complete", "group_size", "arms", "layout"})
        if unknown:
            raise InputError(f"unknown key {unknown[0]!r}", file=file, column=key)
        gs = spec.get("group_size")
        if gs is not None:
            _need(isinstance(gs, dict), "must be { source = ..., item = ... }", file, f"{key}.group_size")
            gs = (_text(gs, "source", file, f"{key}.group_size."), _text(gs, "item", file, f"{key}.group_size."))
        complete = spec.get("levels_complete", False)
        _need(isinstance(complete, bool), "must be true or false", file, f"{key}.levels_complete")
        own_arms = _strings(spec["arms"], file, f"{key}.arms") if "arms" in spec else ()
        _need(len(own_arms) != 1, "must name two or more groups (or be left out: the trial's arms)", file,
              f"{key}.arms")
        tables[name] = TableRule(name=name, sources=_strings(spec.get("sources"), file, f"{key}.sources"),
                                 quantities=_strings(spec.get("quantities"), file, f"{key}.quantities",
                                                     allowed=QUANTITIES),
                                 levels_complete=complete, group_size=gs, arms=own_arms,
                                 layout=_text(spec, "layout", file, f"{key}.", required=False) or "")
        _need(tables[name].layout in ("", *LAYOUTS), f"must be one of {', '.join(LAYOUTS)}", file,
              f"{key}.layout")
    # a paper that prints no group size anywhere has no reference n: what needs one says so
    ref = doc.get("reference_n")
    reference = ("", "", "")
    if ref is not None:
        _need(isinstance(ref, dict), "must be { table = ..., source = ..., item = ... }", file, "reference_n")
        reference = (_text(ref, "table", file, "reference_n."), _text(ref, "source", file, "reference_n."),
                     _text(ref, "item", file, "reference_n."))
        _need(reference[0] in tables, f"names no declared file ({', '.join(tables)})", file, "reference_n.table")
    names = doc.get("sources", {})
    _need(isinstance(names, dict) and all(isinstance(v, dict) for v in names.values()),
          "must map each source to { en = ..., zh = ... }", file, "sources")
    letters = doc.get("letters", {})
    _need(isinstance(letters, dict), "must be a table", file, "letters")
    analyses = []
    for i, spec in enumerate(doc.get("analysis", [])):
        key = f"analysis[{i}]."
        _need(isinstance(spec, dict), "must be a table", file, key[:-1])
        table = _text(spec, "table", file, key)
        _need(table in tables, f"names no declared file ({', '.join(tables)})", file, f"{key}table")
        baseline = spec.get("baseline", False)
        _need(isinstance(baseline, bool), "must be true or false", file, f"{key}baseline")
        analyses.append(Analysis(
            index=i, family=_text(spec, "family", file, key), table=table,
            source=_text(spec, "source", file, key, required=False) or table,
            item=_text(spec, "item", file, key, required=False), baseline=baseline,
            options={k: v for k, v in spec.items() if k not in _ANALYSIS_KEYS}))
    unchecked = []
    for i, spec in enumerate(doc.get("unchecked", [])):
        key = f"unchecked[{i}]."
        _need(isinstance(spec, dict), "must be { key = ..., reason = ... }", file, key[:-1])
        unchecked.append(Unchecked(key=_text(spec, "key", file, key), reason=_text(spec, "reason", file, key)))
    return Declaration(file=file, title=str(doc.get("title", "")), languages=languages, arms=arms,
                       tables=tables, reference_n=reference, source_names=names, letters=letters,
                       analyses=tuple(analyses), unchecked=tuple(unchecked),
                       sign=_sign(doc, file),
                       notes=_notes(doc.get("notes", {}), file),
                       paper=_paper(doc.get("paper", {}), languages, file))


@lru_cache(maxsize=8)
def _load(path: Path, shown: str, mtime_ns: int) -> Declaration:
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"not valid TOML: {err}", file=shown) from None
    return parse_declaration(doc, file=shown)


def load_declaration(folder, *, shown: str | None = None) -> Declaration:
    """The declaration ``<folder>/analyses.toml``, checked.

    Raises
    ------
    InputError
        If the file is missing or malformed (the message names the file and the dotted key).
    """
    path = (Path(folder) / FILE).resolve()
    shown = shown or str(path)
    if not path.is_file():
        raise InputError("file not found (every data folder declares its analyses)", file=shown)
    return _load(path, shown, path.stat().st_mtime_ns)
