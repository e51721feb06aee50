"""A paper's draft transcription: its versions, sections, tables and text statistics, with
keys shared between an English version and a Chinese original."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..printed import normalize_typesetting
from ..schema import value_problem
from .document import Document, Paragraph, Table
from .markup import cjk_share
from .samplesize import sample_size_in
from .sentences import Claim, statistics_in
from .keys import unique
from .tables import ArmBook, DraftRow, Problem, draft_table, table_number

__all__ = ["Draft", "draft_document", "drafts_of", "drafts_of_files", "split_versions", "align", "COLUMNS",
           "LANGS"]

COLUMNS = ["source", "item", "level", "arm", "quantity", "value", "row_label", "column_label"]
LANGS = ("en", "zh")
_ABSTRACT = re.compile(r"^\s*(?:Abstract|Summary|摘\s*要)\b", re.I)
_ABSTRACT_INSIDE = re.compile(r"(?:Abstract|Summary|摘\s*要)\s*[:：]")
_ABSTRACT_PART = re.compile(r"^\s*(?:Objectives?|Background|Methods?|Results?|Findings|Conclusions?|"
                            r"Interpretation|目的|方法|结果|结论)\b", re.I)
_SECTION = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)")
_SKIP = re.compile(r"discussion|references?|bibliography|acknowledg|conflicts?|funding|fund program|"
                   r"讨论|参考文献|致谢|利益冲突|基金", re.I)
_METHODS = re.compile(r"statistic|统计|^methods$", re.I)
_NAMED_KEYS = {"methods": r"(?:patients\s+and\s+)?methods?\b|资料与方法|对象与方法|方法",
               "results": r"results?\b|findings\b|结果"}
_NAMED = re.compile("|".join(f"(?:{w})" for w in _NAMED_KEYS.values()) + r"\s*$", re.I)
_TEST_WORDS = re.compile(r"t[- ]test|χ²|chi-?square|fisher|rank[- ]sum|wilcoxon|mann|log-?rank|kaplan|cox|"
                         r"anova|lsd|bonferroni|yates|continuity|kruskal|秩和|精确|卡方|方差分析|t检验|χ²检验",
                         re.I)


@dataclass(frozen=True)
class Draft:
    """One language version's draft.

    Attributes
    ----------
    lang : str
    rows : tuple of DraftRow
        Every drafted value, tables first (in table order), then the text, in reading order.
    problems : tuple of Problem
        What a person must look at first (cells that did not split, rows not placed).
    claims : tuple of Claim
        ``P < 0.05``-style statements, for the declaration's ``claim`` lines.
    arms : dict
        Arm key -> the label it is printed with.
    tables : tuple of (source, caption, where, note)
    methods : tuple of str
        Sentences of the statistical-methods section that name a test.
    sections : dict
        Text source -> its printed heading.
    table_arms : dict
        Table source -> the groups it compares, where they are not the trial's two arms.
    """

    lang: str
    rows: tuple
    problems: tuple
    claims: tuple
    arms: dict
    tables: tuple
    methods: tuple
    sections: dict
    table_arms: dict = field(default_factory=dict)   # source -> {key: label} of its own groups

    def to_frame(self) -> pd.DataFrame:
        """The drafted values with their place (``where``) and the cell as printed."""
        return pd.DataFrame([r.__dict__ for r in self.rows],
                            columns=COLUMNS + ["where", "printed"])


def split_versions(document: Document) -> dict:
    """The blocks of each language version: a file holding an English version and then the
    Chinese original (as the journal's bilingual PDF does) splits at the first Chinese
    paragraph; the Chinese version keeps only Chinese paragraphs (its English abstract is a
    copy of the other version's) and all its tables."""
    blocks = document.blocks
    first_zh = next((i for i, b in enumerate(blocks)
                     if isinstance(b, Paragraph) and cjk_share(b.text) > 0.3), None)
    if first_zh is None:
        # tables alone (a journal's table page): their labels say which language prints them
        labels = " ".join(c for b in blocks if isinstance(b, Table) for r in b.rows for c in r)
        return {"zh" if cjk_share(labels) > 0.5 else "en": blocks}
    english_before = sum(len(b.text) for b in blocks[:first_zh] if isinstance(b, Paragraph)) + \
        sum(len(b.rows) * 40 for b in blocks[:first_zh] if isinstance(b, Table))
    zh = tuple(b for b in blocks[first_zh:] if isinstance(b, Table) or cjk_share(b.text) > 0.1)
    if english_before < 600:                 # a title or an English abstract only: one version
        return {"zh": tuple(b for b in blocks if isinstance(b, Table) or cjk_share(b.text) > 0.1)}
    return {"en": blocks[:first_zh], "zh": zh}


def _section_of(paragraph: Paragraph, zh: bool):
    """``(number, title)`` when the paragraph opens a numbered section ("2.3 Survival", or a
    Chinese run-in heading "2.3 生存情况对比 随访4~24个月…"), else ``None``."""
    m = _SECTION.match(paragraph.text)
    if not m:
        return None
    number = m.group(1)
    rest = paragraph.text[m.end():]
    short = len(paragraph.text) < 80 and not re.search(r"[.;。；]\s*\S", rest)
    if not (paragraph.heading or short or ("." in number and zh)):
        return None
    if not re.match(r"[A-Za-z\u4e00-\u9fff]", rest):      # "49 patients…", "2 013.8"
        return None
    return number, (rest.split(" ")[0] if zh else rest)[:40]


def draft_document(blocks, *, lang: str) -> Draft:
    """Draft one version's blocks (see :func:`split_versions`)."""
    arms = ArmBook()
    zh = lang == "zh"
    rows, problems, claims, tables, methods, sections = [], [], [], [], [], {}
    text_rows, taken = [], {}
    # tables first: their headers name the arms the text then refers to
    k = 0
    for block in blocks:
        if isinstance(block, Table):
            k += 1
            source = f"table{table_number(block.caption, k)}"
            if any(t[0] == source for t in tables):
                source = f"{source}_{k}"
            found, trouble = draft_table(block, source=source, arms=arms, lang=lang)
            rows.extend(found)
            problems.extend(trouble)
            tables.append((source, block.caption, block.where, block.note))
    section, inline_abstract = None, False
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        opened = _section_of(block, zh)
        inside = _ABSTRACT_INSIDE.search(block.text[:400])
        if inside and not _ABSTRACT.match(block.text):
            # a PDF may run the abstract on from the affiliations above it
            block = Paragraph(text=block.text[inside.start():], where=block.where, heading=block.heading)
        named = _NAMED.match(block.text) if block.heading and not opened else None
        if opened:
            number, title = opened
            section = None if _SKIP.search(title) else f"sec{number}"
            if section:
                sections.setdefault(section, f"{number} {title.split('  ')[0]}".strip())
        elif _ABSTRACT.match(block.text):
            section, inline_abstract = "abstract", not block.heading
            sections.setdefault(section, block.text.split()[0].strip(":："))
        elif named:
            # an unnumbered heading of the usual sections: "Methods", "Results", "结果"
            section = next((key for key, words in _NAMED_KEYS.items() if re.match(words, block.text, re.I)), None)
            if section:
                sections.setdefault(section, block.text.strip())
        elif block.heading:
            section = None                          # introduction, discussion, references
        elif section == "abstract" and inline_abstract and not _ABSTRACT_PART.match(block.text):
            section = None                          # keywords, funding, introduction
        if section is None:
            continue
        if _METHODS.search(sections.get(section, "")):
            methods.extend(s.strip() for s in re.split(r"(?<=[。；;])|(?<=\.)\s+", block.text)
                           if _TEST_WORDS.search(s))
        sized, rest = sample_size_in(block.text, source=section, where=block.where)
        keys = taken.setdefault(section, set())
        keys.update("|".join((r.item, r.level, r.arm, r.quantity)) for r in sized)
        text_rows.extend(sized)
        found, said = statistics_in(rest, source=section, where=block.where, arms=arms, taken=keys)
        text_rows.extend(found)
        claims.extend(said)
    rows = _unique_keys(_within_n(_admissible(rows, problems), problems), problems)
    trial, own = _arms_of(rows, arms)
    return Draft(lang=lang, rows=tuple(rows + text_rows), problems=tuple(problems),
                 claims=tuple(claims), arms=trial, tables=tuple(tables),
                 methods=tuple(dict.fromkeys(methods)), sections=sections, table_arms=own)


def _admissible(rows, problems: list) -> list:
    """The table values the transcription format can hold: a value its quantity cannot be (a
    χ² printed negative, a count with decimals: a misprint or a misread) is listed first in
    REVIEW.md with the reason instead of a draft that does not load; a value with no row
    label takes its column's."""
    out = []
    for r in rows:
        why = None if r.quantity == "letters" else value_problem(r.quantity, r.value)
        if why:
            problems.append(Problem(r.where, "refused", (("source", r.source), ("row", r.row_label),
                                                         ("column", r.column_label), ("reason", why))))
            continue
        out.append(r if r.row_label.strip() else DraftRow(**{**r.__dict__, "row_label": r.column_label or r.source}))
    return out


def _within_n(rows, problems: list) -> list:
    """The table values without a count above its group's n (the item's own n, else the
    table's group size): the loader refuses such a file, and the draft cannot tell whether the
    count or the n is the misprint, so the count is listed first in REVIEW.md instead."""
    def whole(value):
        return int(value) if re.fullmatch(r"\d+", value.strip()) else None

    sizes, own = {}, {}
    for r in rows:
        if r.quantity == "n" and r.arm and whole(r.value) is not None:
            if r.item == "group_size":
                sizes.setdefault((r.source, r.arm), whole(r.value))
            elif not r.level:
                own.setdefault((r.source, r.item, r.arm), whole(r.value))
    out = []
    for r in rows:
        n = own.get((r.source, r.item, r.arm), sizes.get((r.source, r.arm)))
        count = whole(r.value) if r.quantity == "count" and r.arm else None
        if count is not None and n is not None and count > n:
            problems.append(Problem(r.where, "refused", (("source", r.source), ("row", r.row_label),
                                                         ("column", r.column_label),
                                                         ("reason", f"count {count} is above the group's n = {n}"))))
            continue
        out.append(r)
    return out


def _unique_keys(rows, problems: list) -> list:
    """Every table value under a key of its own: a layout the reader got wrong must still give
    a draft that loads, with the repeated key listed for a person."""
    items, out = {}, []                        # the items taken under each other part of the key
    for r in rows:
        item = unique(r.item, items.setdefault((r.source, r.level, r.arm, r.quantity), set()))
        if item != r.item:
            r = DraftRow(**{**r.__dict__, "item": item})
            problems.append(Problem(r.where, "duplicate", (("source", r.source), ("row", r.row_label),
                                                           ("item", r.item))))
        out.append(r)
    return out


def _arms_of(rows, arms: ArmBook) -> tuple[dict, dict]:
    """The trial's two arms, and the groups of each table that compares others.

    The trial's arms are the groups of the first table that compares exactly two (a baseline
    table); a table whose groups are not those (responders against non-responders, three
    dose groups) declares its own."""
    used = {}
    for r in rows:
        if r.arm:
            used.setdefault(r.source, {}).setdefault(r.arm, None)
    pairs = [tuple(v) for v in used.values() if len(v) == 2]
    trial = pairs[0] if pairs else tuple(arms.labels)[:2]
    labels = dict(arms.labels)
    # fewer than two groups found: the declaration still names two, the missing one a
    # placeholder that REVIEW.md asks a person to replace ("found 1 arm row(s)…")
    for k in ("arm1", "arm2")[:max(0, 2 - len(trial))]:
        trial, labels[k] = (*trial, k), "(not found in the tables: declare)"
    # a table with one group beside the trial's arms (a subgroup column) declares all three
    own = {source: {k: labels[k] for k in (v if len(v) > 1 else (*trial, *v))}
           for source, v in used.items() if not set(v) <= set(trial)}
    return {k: labels[k] for k in trial}, own


def _number(value: str) -> str:
    text = normalize_typesetting(value).replace(" ", "").rstrip("%")
    return text


def align(reference: Draft, other: Draft) -> Draft:
    """``other`` with the keys of ``reference`` wherever the same value is printed in the same
    table or section: the arms by their order, each value by source, quantity and number
    (nearest in reading order first). Values with no counterpart keep their own keys, made
    unique, and show up as differences in ``discrepancies.csv``."""
    arm_map = dict(zip(other.arms, reference.arms))
    for source, groups in other.table_arms.items():
        arm_map.update(zip(groups, reference.table_arms.get(source, {})))
    pool = {}
    for i, r in enumerate(reference.rows):
        pool.setdefault((r.source, r.quantity, _number(r.value)), []).append(i)
    used, out = set(), []
    ref_keys = {(r.source, r.item, r.level, r.arm, r.quantity) for r in reference.rows}
    own_keys = set()
    for j, r in enumerate(other.rows):
        arm = arm_map.get(r.arm, r.arm)
        candidates = [i for i in pool.get((r.source, r.quantity, _number(r.value)), []) if i not in used]
        same_arm = [i for i in candidates if reference.rows[i].arm == arm]
        pick = (same_arm or candidates or [None])[0]
        if pick is None:
            # a value the versions print differently: the same place, counted among the
            # values of its table or section, quantity and arm
            ordinal = sum(1 for q in other.rows[:j] if (q.source, q.quantity, q.arm) == (r.source, r.quantity, r.arm))
            places = [i for i, q in enumerate(reference.rows)
                      if (q.source, q.quantity, q.arm) == (r.source, r.quantity, arm)]
            if ordinal < len(places) and places[ordinal] not in used:
                pick = places[ordinal]
        if pick is not None:
            used.add(pick)
            ref = reference.rows[pick]
            key = (ref.item, ref.level, ref.arm)
        else:
            key = (r.item, r.level, arm)
            full = (r.source, *key, r.quantity)
            n = 2
            while full in ref_keys or full in own_keys:
                key = (f"{r.item}_{n}", r.level, arm)
                full = (r.source, *key, r.quantity)
                n += 1
        own_keys.add((r.source, *key, r.quantity))
        out.append(DraftRow(r.source, key[0], key[1], key[2], r.quantity, r.value, r.row_label,
                            r.column_label, r.where, r.printed))
    return Draft(lang=other.lang, rows=tuple(out), problems=other.problems, claims=other.claims,
                 arms={arm_map.get(k, k): v for k, v in other.arms.items()}, tables=other.tables,
                 methods=other.methods, sections=other.sections,
                 table_arms={source: {arm_map.get(k, k): v for k, v in groups.items()}
                             for source, groups in other.table_arms.items()})


def drafts_of(document: Document, *, langs=None) -> dict:
    """Every requested version's draft, the Chinese keyed like the English when both exist.

    Raises
    ------
    InputError
        When a requested language is not in the paper.
    """
    return _drafts_of_versions(split_versions(document), langs=langs, file=document.path)


def drafts_of_files(documents, *, langs=None) -> dict:
    """One paper printed as two files (a Chinese original PDF and its English version in
    Word): each language version from the file that holds it, drafted under shared keys as
    a bilingual file is; every value's place names its file.

    A version printed in both files (the Chinese original's English abstract) is taken from
    the file that prints more of it.

    Raises
    ------
    InputError
        When a requested language is in neither file.
    """
    versions, size = {}, {}
    for document in documents:
        name = Path(document.path).name
        for lang, blocks in split_versions(document).items():
            length = sum(len(getattr(b, "text", "")) + 40 * len(getattr(b, "rows", ())) for b in blocks)
            if length > size.get(lang, -1):
                versions[lang] = tuple(_in_file(b, name) for b in blocks)
                size[lang] = length
    return _drafts_of_versions(versions, langs=langs, file=" + ".join(str(d.path) for d in documents))


def _in_file(block, name: str):
    """``block`` with its place prefixed by its file's name ("version.docx, table 2, row 3")."""
    if isinstance(block, Table):
        return replace(block, where=f"{name}, {block.where}",
                       row_where=tuple(f"{name}, {w}" for w in block.row_where))
    return replace(block, where=f"{name}, {block.where}")


def _drafts_of_versions(versions: dict, *, langs, file) -> dict:
    wanted = tuple(langs or versions)
    missing = [lang for lang in wanted if lang not in versions]
    if missing:
        raise InputError(f"no {'/'.join(missing)} version found (found: {', '.join(versions) or 'none'}); "
                         "--lang names the version(s) to draft", file=file)
    drafts = {lang: draft_document(versions[lang], lang=lang) for lang in versions}
    if "en" in drafts and "zh" in drafts:
        drafts["zh"] = align(drafts["en"], drafts["zh"])
    return {lang: drafts[lang] for lang in wanted}
