"""One printed table as draft transcription rows.

Two layouts cover the trial reports seen so far:

* **arms in columns** (a baseline Table 1): a column per arm, its header printing the arm's
  n (``"Combined group (n=53)"``), then statistic and P columns; a row per item, a
  categorical item's levels on the rows under it (a heading row with no values, or the item
  row itself carrying the test);
* **arms in rows** (outcome tables): a row per arm, a column per item or per time point
  (under a spanning header: the item above, the level below), and rows that print the test
  (``"P value"``, ``"F/P group"``).

Which columns hold arms, tests and n comes from their labels (:func:`column_kind`); what a
cell holds comes from its shape and the caption, row and column (:mod:`.cells`).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

from .cells import Hint, canonical_minus, split_cell
from .document import Table
from ..i18n import t
from ..printed import non_number, printed_or_none
from .keys import distinct_slugs, is_format, level_slug, slug, strip_n, unique

__all__ = ["DraftRow", "Problem", "ArmBook", "draft_table", "column_kind", "table_number"]

# a group's n in its heading: "(n = 60)", "（n=60）", "(60例)"
_N_HEADER = re.compile(r"(?:[(（\[]?\s*(?:n|N)\s*[=＝]\s*|[(（]\s*(?=\d+\s*例\s*[)）]))(\d+)\s*例?\s*[)）\]]?")
_STAT_SYMBOL = {"t": "statistic", "z": "z", "u": "statistic", "h": "statistic", "χ²": "chi2",
                "χ2": "chi2", "x²": "chi2", "x2": "chi2", "χ": "chi2", "f": "F", "statistic": "statistic",
                "teststatistic": "statistic", "统计量": "statistic",
                # a test's name as a column heading: "Chi-square (df)", "t test (df)", "Mann–Whitney U"
                "chisquare": "chi2", "chisquared": "chi2", "chi2": "chi2", "chisq": "chi2", "χ²test": "chi2",
                "χ2test": "chi2", "ttest": "statistic", "ztest": "z", "ftest": "F", "utest": "statistic",
                "mannwhitneyu": "statistic", "mann–whitneyu": "statistic",
                # "F score", "t score": the statistic as some journals head it
                "fscore": "F", "tscore": "statistic", "zscore": "z", "χ²score": "chi2", "χ2score": "chi2"}


@dataclass(frozen=True)
class DraftRow:
    """One drafted value in the transcription's columns, plus where it was read and the
    cell as printed (before the minus sign was normalised)."""

    source: str
    item: str
    level: str
    arm: str
    quantity: str
    value: str
    row_label: str
    column_label: str
    where: str
    printed: str = ""


@dataclass(frozen=True)
class Problem:
    """Something a person must look at first: ``where`` locates it; ``kind`` names its
    sentence in the catalog (``[draft.problem]``), ``fields`` fill it."""

    where: str
    kind: str
    fields: tuple = ()   # (name, value) pairs

    def text(self, lang: str = "en") -> str:
        return t(f"draft.problem.{self.kind}", lang, **dict(self.fields))

    def located(self, lang: str = "en") -> str:
        """``where`` in ``lang``: the readers record "line 45", "page 3, y=341" (provenance.csv
        keeps them so); a file name before them ("zh/table1.csv line 4") stays as it is."""
        def say(m):
            return t(f"draft.where.{m[1]}", lang, n=m[2])
        return re.sub(r"\b(line|page) (\d+)", say, self.where)


@dataclass
class ArmBook:
    """The arms found so far, by the label they are printed with: each printed label maps to
    one key, in the order first seen (the first arm printed is usually the experimental one)."""

    keys: dict = field(default_factory=dict)   # normalised label -> key
    labels: dict = field(default_factory=dict)  # key -> label as first printed

    @staticmethod
    def _norm(label: str) -> str:
        text = strip_n(label).lower()
        bare = re.sub(r"\b(the|group|arm|patients)\b|组", "", text)
        # a group printed as "Patients" (against "Controls") is named by that word alone
        return re.sub(r"[\s()（）]+", "", bare) or re.sub(r"[\s()（）]+", "", text)

    def key(self, label: str, *, create: bool = True) -> str | None:
        norm = self._norm(label)
        if not norm:
            return None
        if norm in self.keys:
            return self.keys[norm]
        for known, key in self.keys.items():    # "combination" printed as "combined"
            # one word's two endings, not two groups sharing a first word ("colorectal cancer",
            # "colorectal polyp"; "WNT7B low", "WNT7B high")
            common = len(os.path.commonprefix([known, norm]))
            if common >= 6 and max(len(known), len(norm)) - common <= 5:
                self.keys[norm] = key
                return key
        if not create:
            return None
        base = slug(re.sub(r"\b(group|arm)\b", "", strip_n(label), flags=re.I), limit=2)
        key = unique(base or f"arm{len(self.labels) + 1}", set(self.labels))
        self.keys[norm] = key
        self.labels[key] = strip_n(label)
        return key


def table_number(caption: str, fallback: int) -> int:
    # "Table 2", "Tab.2", "表2", or a caption that opens with its number ("2. A组患者…")
    m = re.search(r"(?:Tab(?:le)?\.?\s*|表\s*)(\d+)", caption, re.I) or re.match(r"\s*(\d{1,2})[.:]\s", caption)
    return int(m.group(1)) if m else fallback


# "χ2(t)值", "t（χ²）": a second statistic in brackets is an alternative, not a unit
_ALTERNATIVE = re.compile(r"[(（]\s*((?:t|z|f|u|h|χ2|χ²|x2)(?:\s*/\s*(?:t|z|f|u|h|χ2|χ²|x2))*)\s*[)）]", re.I)


def _without_brackets(label: str) -> str:
    label = _ALTERNATIVE.sub(r"/\1", label)
    return re.sub(r"[(（].*?[)）]", "", label) or label


def _squash(label: str) -> str:
    # "t or Z", "t/χ²/Z value", "χ²值": the symbols, "/" between them
    label = re.sub(r"\s+(?:or|或)\s+|、", "/", label)
    return re.sub(r"[\s_\u00ad]+", "", label).lower().replace("value", "").replace("值", "").replace("-", "")


def column_kind(label: str) -> str:
    """``"p"``, ``"f"`` (a statistic/P pair such as ``F/P``), ``"statistic"``, ``"n"``,
    ``"ratio"`` or ``""`` for a label (a column header or a test row's label)."""
    label = re.sub(r"\^[^^]*\^|[*†‡§‖¶#]+", "", label)          # "P value*", "P^a^": a footnote mark
    # a raised digit before or after it ("¹P value", "P value²"), not the square of "χ²"
    label = re.sub(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+|(?<![χxX])[⁰¹²³⁴⁵⁶⁷⁸⁹]+$", "", label.strip())
    text = _squash(_without_brackets(label))
    if not text and re.search(r"value|值", label, re.I):
        return "p"                  # "value" alone: the italic P lost from "P value" in extraction
    words = re.split(r"/", text)
    if text in ("p", "pvalue", "p值", "p-value") or text.startswith("p(") :
        return "p"
    if len(words) == 2 and words[1].startswith("p") and words[0] in _STAT_SYMBOL:
        return "f"
    if re.match(r"^(f|t|χ²|χ2|z)/p", text):
        return "f"
    if all(w in _STAT_SYMBOL for w in words if w) and any(words):
        return "statistic"
    if re.fullmatch(r"(?:statistical)?(?:tests?|statistics?)(?:and|&|/)p", text):
        return "f"                                      # "Statistic and P": both in each cell
    if re.fullmatch(r"(?:statistical)?tests?(?:statistics?)?|statistics?|statistical|检验值?|统计量?", text):
        return "statistic"                              # "Statistical test", "Test statistic", "检验值"
    if re.fullmatch(r"n|no\.?|n\(%\)|number(?:of(?:cases|patients|subjects|participants))?|"
                    r"no\.?of(?:cases|patients)|cases|patients|samples?(?:size)?|(?:总|病)?例数|"
                    r"样本(?:量|数)|n\(例\)", text):
        return "n"
    if re.search(r"\b(hr|or|rr|hazardratio|oddsratio|riskratio)\b|95%ci", text):
        return "ratio"
    return ""


def _statistic_quantity(label: str) -> str:
    text = _squash(_without_brackets(re.sub(r"\^[^^]*\^|[*†‡§‖¶#]+", "", label)))   # "F Score^*^"
    words = [w for w in text.split("/") if w and not w.startswith("p")]
    kinds = {_STAT_SYMBOL.get(w, "statistic") for w in words}
    return kinds.pop() if len(kinds) == 1 else "statistic"


def _term(label: str) -> str:
    """The ANOVA term of a test row (``"F/P group"`` -> ``group``, ``"F/P 交互 值"`` -> ``""``)."""
    rest = re.sub(r"^\s*[A-Za-zχ²]+\s*/\s*P", "", label)
    return level_slug(rest.replace("value", ""))


_HINTS = (("range", r"median\(range\)|中位数\(范围\)|\(min[,-–]max\)"),
          ("median", r"median|m\(p25|iqr|中位数|p25"),
          ("mean", r"x̄±s|mean|均数|±s|\(sd\)"),
          ("count", r"n\(%\)|cases?\(%\)|例\(%\)|no\.\(%\)|patients\(%\)"),
          ("percent", r"\(%\)|%$|%\(n\)|率"),
          ("ratio", r"\b(hr|or|rr)\b|95%ci"))


def _hint_from(text: str) -> str:
    """What a label or caption says its cells hold; ``""`` when it says nothing or, as a
    caption "n (%)/mean ± SD" does, several things (each cell's shape then decides)."""
    low = text.lower().replace(" ", "")
    found = []
    for kind, pattern in _HINTS:
        hit = re.search(pattern, low) or (kind == "percent" and re.search(r"\brates?\b", text, re.I))
        if hit and not (kind == "median" and "range" in found) \
                and not (kind == "percent" and "count" in found):
            found.append(kind)
    return found[0] if len(found) == 1 else ""


def _spread(text: str) -> str:
    """What a table's medians print beside them, from its caption and note: ``"range"`` where
    they say "median (range)" and name no interquartile range, else ``"iqr"``."""
    if re.search(r"median\s*[(\[（]\s*(?:range|min)|中位数\s*[(（]\s*(?:范围|最小)", text, re.I) \
            and not re.search(r"iqr|interquartile|p25|q1|四分位", text, re.I):
        return "range"
    return "iqr"


def _ratio_quantity(text: str) -> str:
    low = text.lower()
    if re.search(r"\bor\b|odds", low):
        return "or"
    if re.search(r"\brr\b|risk ratio|relative risk", low):
        return "rr"
    return "hr"


def _levels_in(label: str) -> tuple[str, ...]:
    """The levels a heading names in brackets, "(male/female)", "(0/1/2/3)", "(M:F)": one count
    each in a cell printed "42/11" or "24:14"."""
    m = re.search(r"[(（]\s*([^()（）/]+(?:/[^()（）/]+)+)\s*[)）]", label) \
        or re.search(r"[(（]\s*([^()（）/:：]+(?:[:：][^()（）/:：]+))\s*[)）]", label)
    if not m:
        return ()
    return tuple(level_slug(x) or f"l{k + 1}" for k, x in enumerate(re.split(r"[/:：]", m.group(1))))


# sub-headings that split one group's cell in two columns ("n | %", "Mean | SD"), and how
# the two values print together in one cell
_FORMATS = {"n": re.compile(r"(?i)n|no\.?|number|例数?|cases"), "%": re.compile(r"(?i)\(?%\)?|percent|百分比|构成比"),
            "mean": re.compile(r"(?i)mean|均数|x̄"), "sd": re.compile(r"(?i)sd|s\.d\.|标准差|s")}
_JOINED = {("n", "%"): ("{} ({})", "n (%)"), ("mean", "sd"): ("{} ± {}", "mean ± SD")}


def _format_of(cell: str) -> str:
    return next((name for name, rx in _FORMATS.items() if rx.fullmatch(cell.strip())), "")


def _paired_columns(table: Table) -> tuple[Table, dict]:
    """A group's values printed in two columns under sub-headings "n | %" or "Mean | SD" (its
    name in another header row, over both): one column per group again, its cells printed as
    "5 (16.70)" or "54.1 ± 9.2", so the rest of the reading is that of one-cell tables.
    Returns the table and each joined cell's two printed cells (empty: nothing paired)."""
    rows = [list(r) for r in table.rows]
    n_header = _header_rows([r for r in rows if any(c.strip() for c in r)]) if len(rows) > 1 else 0
    pairs = {}                                  # first column of a pair -> how its cells join
    c = 1
    while n_header and c < len(rows[0]) - 1:
        kind = next((_JOINED[k] for h in rows[:n_header] if (k := (_format_of(h[c]), _format_of(h[c + 1])))
                     in _JOINED), None)
        if kind:
            pairs[c] = kind
        c += 2 if kind else 1
    if not pairs:
        return table, {}
    out, joined_cells = [], {}
    for r, row in enumerate(rows):
        new, c = [], 0
        while c < len(row):
            if c in pairs:
                a, b = row[c].strip(), row[c + 1].strip()
                cell, heading = pairs[c]
                if r < n_header:
                    # the format row reads "n (%)"; a group's name over the pair keeps its name
                    joined = heading if _format_of(a) and _format_of(b) else " ".join(x for x in (a, b) if x)
                else:
                    joined = cell.format(a, b) if a and b else a or b
                    joined_cells[joined] = (a, b)
                new.append(joined)
                c += 2
            else:
                new.append(row[c])
                c += 1
        out.append(tuple(new))
    return Table(table.caption, tuple(out), table.where, table.note, table.row_where), joined_cells


def _stacked(table: Table) -> list[Table]:
    """A wide table printed as blocks one under the other, each under its own header (its
    first row repeats the stub's heading, "组别", with labels and no value): one table per
    block, same caption and note."""
    rows = list(table.rows)
    where = list(table.row_where) + [table.where] * (len(rows) - len(table.row_where))
    head = rows[0][0].strip() if rows and rows[0] else ""
    starts = [0] + [r for r in range(2, len(rows)) if head and rows[r][0].strip() == head
                    and not any(_reads_as_value(c) for c in rows[r][1:])]
    return [Table(table.caption, tuple(rows[a:b]), table.where, table.note, tuple(where[a:b]))
            for a, b in zip(starts, starts[1:] + [len(rows)])]


def _apart(found: list, before: list) -> list:
    """A later block's rows with the items an earlier block took renamed (positional keys of
    Chinese labels repeat: "c3"); a group size it prints again, alike, dropped."""
    sizes = {(r.arm, r.value) for r in before if r.item == "group_size"}
    taken = {r.item for r in before}
    renamed = {}
    out = []
    for r in found:
        if r.item == "group_size" and (r.arm, r.value) in sizes:
            continue
        if r.item in taken or r.item in renamed:
            if r.item not in renamed:
                renamed[r.item] = unique(r.item, taken | set(renamed.values()))
            r = DraftRow(**{**r.__dict__, "item": renamed[r.item]})
        out.append(r)
    return out


def _reads_as_value(cell: str) -> bool:
    """Whether a cell prints a value (a count, a mean, a statistic, a P), not a heading."""
    if not cell.strip() or _N_HEADER.search(cell):
        return False
    return any(split_cell(cell, Hint(kind)) not in (None, ()) for kind in ("", "p"))


def _header_rows(rows) -> int:
    """How many leading rows are header rows: those with no body cell that reads as a value
    (a category heading's χ² and P beside empty group cells make it a body row)."""
    count = 0
    for row in rows[:3]:
        values = [c for c in row[1:] if _reads_as_value(c)]
        # a row naming no column ("Preoperation" alone) is a heading over the rows below it
        if values or (count and not any(c.strip() for c in row[1:])):
            break
        count += 1
    return max(count, 1)


def _column_shape(body, c: int) -> str:
    """The kind of value a column's cells mostly print: ``pm`` (mean ± SD), ``paren`` (a
    number with another in brackets), ``whole``, ``number`` or ``""``."""
    kinds = []
    for row in body:
        cell = row[c].strip() if c < len(row) else ""
        if not cell or column_kind(row[0]):
            continue
        kinds.append("pm" if "±" in cell else "paren" if re.search(r"\d\s*[(（]", cell)
                     else "whole" if _is_whole(cell) else "number" if re.search(r"\d", cell) else "")
    return max(set(kinds), key=kinds.count) if kinds else ""


_TESTS = ("statistic", "p", "f", "ratio")


def _column_labels(rows, n_header: int, shapes):
    width = len(rows[0])
    grid = [list(r) for r in rows[:n_header]]
    # the densest row names every column; the others are spanning headings over it, whichever
    # order a conversion put the rows in
    order = sorted(range(n_header), key=lambda r: sum(bool(c.strip()) for c in grid[r][1:]))
    dense = grid[order[-1]]
    for r in order[:-1]:                                # spanning headers fill to the right
        for c in range(2, width):
            # a heading spans no test column, a test's heading spans nothing (the blank after
            # "χ²/t" is a P lost in extraction), and a heading spans columns of one kind of
            # value ("Gender" over counts, not over the mean ± SD beside them)
            if not grid[r][c].strip() and grid[r][c - 1].strip() and not column_kind(grid[r][c - 1]) \
                    and column_kind(dense[c]) not in _TESTS and shapes[c] == shapes[c - 1]:
                grid[r][c] = grid[r][c - 1]
    # one heading over every value column ("Liver disease category" over "Control | Cases |
    # Total") names the grouping, not a group
    values = [c for c in range(1, width) if column_kind(dense[c]) not in _TESTS]
    grouping = {grid[r][values[0]].strip() for r in order[:-1] if values
                and len({grid[r][c].strip() for c in values}) == 1 and grid[r][values[0]].strip()}
    top = [grid[order[0]][c].strip() for c in range(width)]
    bottom = [grid[order[-1]][c].strip() if n_header > 1 else "" for c in range(width)]
    # a spanning "Group" over the groups' columns adds nothing to their names, nor does a row
    # announcing what each column prints ("n (%)" under each group's name)
    def name(c):
        if column_kind(dense[c]) in ("statistic", "p", "f"):
            return dense[c].strip()       # "Difference tests" over "Chi-square (df)": the test names it
        parts = [x for x in dict.fromkeys(grid[r][c].strip() for r in range(n_header)) if x]
        named = [x for x in parts if not (n_header > 1 and (re.fullmatch(r"(?i)groups?|arms?|组别|分组", x)
                                                            or x in grouping))]
        return " ".join([x for x in named if not is_format(x)] or named)

    labels = [name(c) for c in range(width)]
    return labels, top, bottom


_N_CELL = re.compile(r"^\s*[nN]\s*[=＝]\s*(\d+)\s*$")
_TOTAL_RATE = re.compile(r"\btotal\b|\boverall\b|总|合计", re.I)
# "观察组" names a group; "组别" heads the groups' column, "…分组" is a grouping of a variable
_GROUP_WORD = re.compile(r"\b(?:group|arm|cohort)s?\b|(?<!分)组(?!别)", re.I)
# footnote marks after a heading: "All participants²", "Total^a^", "Overall*"
_MARKS = re.compile(r"\^[^^]*\^|[*†‡§‖¶#⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ]+")
_TOTAL = re.compile(r"^\s*(?:total|overall|all(?: patients| subjects| participants)?|合计|总计|总体|全部)\s*$", re.I)
# a row printing each group's n: a denominator, not a category
_N_ROW = re.compile(r"^\s*(?:n|no\.?|number(?: of (?:patients|cases|subjects|participants))?|"
                    r"(?:evaluable|analy[sz]ed|enrolled) (?:patients|subjects|participants)|cases|"
                    r"patients|samples?(?: size)?|例数|病例数|样本(?:量|数)|例)\s*[,，]?\s*(?:n)?\s*$", re.I)


def _group_like(label: str, arms: ArmBook) -> bool:
    """Whether a label names a group of patients: it prints the group's n, names a known arm,
    or says "group"/"arm"/"组" (a bare "Group"/"组别" heading names the stub, not a group)."""
    bare = strip_n(label)
    if re.fullmatch(r"\s*(?:groups?|arms?|组别|分组|组)\s*", bare, re.I):
        return bool(_N_HEADER.search(label))
    return bool(_N_HEADER.search(label) or arms.key(label, create=False) or _GROUP_WORD.search(bare))


def draft_table(table: Table, *, source: str, arms: ArmBook, lang: str):
    """The draft rows and the problems found in one table.

    The table is read as a whole (``docs/draft.md``, "How a table is read"): the header block
    (leading rows with no printed value), the role of each column from its heading (group,
    total, n, statistic, P), then which axis holds the groups: the columns when two or more
    headings name groups, else the rows when two or more row labels do.

    Returns
    -------
    rows : list of DraftRow
    problems : list of Problem
    """
    paired, joined = _paired_columns(table)
    if joined:
        # each value keeps the cell it was printed in, not the cell the pairing made
        found, problems = draft_table(paired, source=source, arms=arms, lang=lang)
        return [r if r.printed not in joined else
                DraftRow(**{**r.__dict__, "printed": next((x for x in joined[r.printed]
                                                           if canonical_minus(x) == r.value), r.printed)})
                for r in found], problems
    parts = _stacked(table)
    if len(parts) > 1:
        out, problems = [], []
        for part in parts:
            found, trouble = draft_table(part, source=source, arms=arms, lang=lang)
            out += _apart(found, out)
            problems += trouble
        return out, problems
    rows = [r for r in table.rows if any(c.strip() for c in r)]
    if len(rows) < 2 or len(rows[0]) < 2:
        return [], [Problem(table.where, "too_small", (("source", source),))]
    n_header = _header_rows(rows)
    row_where = list(table.row_where) + [table.where] * (len(table.rows) - len(table.row_where))
    body_where = [w for r, w in zip(table.rows, row_where) if any(c.strip() for c in r)][n_header:]
    stub = _one_stub(rows[n_header:]) if len(rows[0]) > 2 else None
    spans = {}
    if stub is not None:
        stub, spans = stub
        rows = [(h[1] or h[0],) + tuple(h[2:]) for h in rows[:n_header]] + [r for r, _ in stub]
        body_where = [body_where[k] for _, k in stub]
    # the kind of value each column prints, for the spanning headings and the cells' hints
    shapes = [_column_shape(rows[n_header:], c) for c in range(len(rows[0]))]
    labels, top, bottom = _column_labels(rows, n_header, shapes)
    kinds = [column_kind(lab) for lab in labels]
    for c in range(1, len(labels)):
        # "Total (N=803)" under a block heading ("Before PSM") is that block's total
        if kinds[c] == "" and any(_TOTAL.match(_MARKS.sub("", strip_n(x))) for x in (labels[c], top[c], bottom[c]) if x):
            kinds[c] = "total"
        if kinds[c] == "" and not labels[c].strip() and kinds[c - 1] in ("statistic", "f"):
            kinds[c] = "p"            # "χ2/t | (blank)": the P heading lost with its italic P
        # "Patients" heads an n column only where it prints whole numbers, not "25 (49.0)"
        if kinds[c] == "n" and not all(_is_whole(r[c]) for r in rows[n_header:]
                                       if r[c].strip() and not column_kind(r[0])):
            kinds[c] = ""
        # a column of words only (the test each row used, "χ2 检验"): no group's values
        cells = [r[c] for r in rows[n_header:] if c < len(r) and r[c].strip()]
        if kinds[c] == "" and cells and not any(_reads_as_value(x) for x in cells):
            kinds[c] = "text"
    table_hint = _hint_from(table.caption)
    spread = _spread(f"{table.caption}\n{table.note}")
    body = rows[n_header:]
    arm_cols = [c for c in range(1, len(labels)) if kinds[c] == "" and _group_like(labels[c], arms)]
    arm_rows = [r for r in body if column_kind(r[0]) == "" and _group_like(r[0], arms)]
    if len(arm_cols) < 2 and len(arm_rows) < 2 and \
            not any(column_kind(r[0]) in ("p", "statistic", "f") for r in body):
        # no heading names a group and no test row: the plain columns are the groups
        arm_cols = [c for c in range(1, len(labels)) if kinds[c] == ""]
    if len(arm_cols) >= 2:
        blocks = _column_blocks(rows[:n_header], arm_cols, len(labels),
                                totals=[c for c in range(1, len(labels)) if kinds[c] == "total"])
        if len(blocks) > 1:
            return _blocks_in_columns(blocks, body, body_where, labels, kinds, table_hint,
                                      source=source, arms=arms, caption=table.caption, spread=spread)
        out, problems = _arms_in_columns(body, body_where, labels, kinds, arm_cols, table_hint,
                                         source=source, arms=arms, caption=table.caption, spans=spans,
                                         spread=spread)
        return out + _footnote_sizes(out, table.note, [(arms.key(labels[c]), labels[c]) for c in arm_cols]), \
            problems
    return _arms_in_rows(body, body_where, labels, top, bottom, kinds, n_header, table_hint, shapes,
                         source=source, arms=arms, caption=table.caption, spread=spread)


_SIZE_NOTE = re.compile(r"(?:\^([A-Za-z*†‡§‖¶#]+)\^|(?<![\w^])([*†‡§‖¶#]))[^.;。；]*?\b(?:recorded|available|measured|"
                        r"assessed|analy[sz]ed|data)\b[^.;。；]*?\b(\d+)\s*(?:and|,|/)\s*(\d+)\s*"
                        r"(?:patients|participants|subjects|cases)", re.I)


def _footnote_sizes(out, note: str, groups) -> list:
    """An item's own n printed in a footnote ("^a^Recorded for 85 and 84 patients"): one n per
    group, in the order the groups' columns print, under the item whose row carries the mark."""
    sizes = []
    for m in _SIZE_NOTE.finditer(note or ""):
        mark, numbers = m.group(1) or m.group(2), (m.group(3), m.group(4))
        if len(groups) != len(numbers):
            continue
        rows = [r for r in out if r.arm and (f"^{mark}^" in r.row_label or r.row_label.rstrip().endswith(mark))]
        for item in dict.fromkeys(r.item for r in rows):
            first = next(r for r in rows if r.item == item)
            sizes += [DraftRow(first.source, item, "", arm, "n", n, first.row_label, label, first.where, m.group(0))
                      for (arm, label), n in zip(groups, numbers)]
    return sizes


def _column_blocks(header, arm_cols, width, totals=()):
    """The column blocks of a table that prints its groups again for each time point ("CG | IG |
    χ²/t | P" under "Before intervention", then again under "After intervention"): ``[(name,
    group labels by column, columns)]``, one block when no group is printed twice."""
    # the header row naming the groups, and the spanning headings over them
    # (a row announcing what each column prints, "n (%)", names no group)
    group_row = max(header, key=lambda h: sum(bool(ArmBook._norm(h[c])) and not is_format(h[c])
                                              for c in arm_cols))
    names = [ArmBook._norm(group_row[c]) for c in arm_cols]
    if len(set(names)) == len(names) or not all(names):
        return [("", {}, list(range(1, width)))]
    starts, seen = [], set()
    for c, name in zip(arm_cols, names):
        if name in seen or not starts:
            starts.append(c)
            seen = set()
        seen.add(name)
    for k in range(1, len(starts)):
        while starts[k] - 1 in totals:            # a block's "Total" column before its groups
            starts[k] -= 1
    bounds = [1] + starts[1:] + [width]
    blocks = []
    for b in range(len(bounds) - 1):
        cols = list(range(bounds[b], bounds[b + 1]))
        spans = [h[c] for h in header if h is not group_row for c in cols if h[c].strip()]
        blocks.append((spans[0] if spans else f"b{b + 1}",
                       {c: group_row[c] for c in cols if c in arm_cols}, cols))
    return blocks


def _blocks_in_columns(blocks, body, where, labels, kinds, table_hint, *, source, arms, caption, spread):
    """Each column block read as a table of its own, its items keyed with the block's heading
    (``self_concept_before_intervention``); a group's n printed again with the same value is
    the same n."""
    out, problems, sizes = [], [], {}
    # (a block with no heading of its own is named "b2" by _column_blocks)
    blocks_named = {name for k, (name, _, _) in enumerate(blocks) if name and name != f"b{k + 1}"}
    for name, groups, cols in blocks:
        sub_labels = [labels[0]] + [groups.get(c) or labels[c] for c in cols]
        sub_kinds = [kinds[0]] + [kinds[c] for c in cols]
        sub_body = [(r[0],) + tuple(r[c] for c in cols) for r in body]
        arm_cols = [k + 1 for k, c in enumerate(cols) if c in groups]
        found, trouble = _arms_in_columns(sub_body, where, sub_labels, sub_kinds, arm_cols, table_hint,
                                          source=source, arms=arms, caption=caption, suffix=level_slug(name),
                                          spread=spread)
        block_sizes = []
        for r in found:
            if name in blocks_named and name not in r.column_label:
                # a block's heading is part of where its values were printed
                r = DraftRow(**{**r.__dict__, "column_label": f"{name} / {r.column_label}"})
            (block_sizes if r.item == "group_size" else out).append(r)
        if any(sizes.get(r.arm, r.value) != r.value for r in block_sizes):
            # another n for some arm (after matching, at a later time): the block's own sizes,
            # every arm's, so its analyses can name them
            out += [DraftRow(**{**r.__dict__, "item": f"group_size_{level_slug(name)}"}) for r in block_sizes]
        else:
            for r in block_sizes:
                _add_group_size(out, sizes, r, block=level_slug(name))
        problems += trouble
    return out, problems


def _add_group_size(out: list, seen: dict, row: DraftRow, *, block: str) -> None:
    """Append a group size ``row`` to ``out``: one per arm and table, so a block printing the
    same n again adds nothing, and another n for the arm (fewer patients at a later time) is
    kept as ``group_size_<block>``. ``seen`` maps each arm to the first n drafted for it."""
    if seen.setdefault(row.arm, row.value) == row.value:
        if any(r.item == "group_size" and r.arm == row.arm for r in out):
            return
    else:
        row = DraftRow(**{**row.__dict__, "item": f"group_size_{block}"})
    out.append(row)


def _one_stub(body):
    """A stub printed in two columns (an item over its levels, "Gender | Male"; a time point
    over the groups, "Before treatment | Study group") as one: the outer label becomes a row of
    its own above the inner labels, as a heading over its levels or a block over its groups.
    Returns ``(row, index of the printed row)`` pairs and, for each outer label made a row,
    how many rows its cell spans, or ``None`` when the second column is not a stub (it prints
    values)."""
    second = [r[1] for r in body if r[1].strip()]
    # a level may print like a value ("< 60", "≥ 60"): most of the column must be labels, and
    # the outer column must leave rows empty below a label (a spanned cell)
    labels = [c for c in second if not _reads_as_value(c)]
    if not second or len(labels) < 2 * len(second) / 3 or not any(r[0].strip() for r in body) \
            or not any(not r[0].strip() and r[1].strip() for r in body):
        return None
    spans = {}
    width = len(body[0]) - 1
    out = []                                   # (row, index of the printed row it comes from)
    for k, r in enumerate(body):
        rest = (r[1],) + tuple(r[2:])
        if r[0].strip() and r[1].strip():
            out.append(((r[0],) + ("",) * (width - 1), k))
            out.append((rest, k))
            # the outer cell spans its own row and the empty-stubbed rows below it
            spans[len(out) - 2] = 1 + next((j for j, below in enumerate(body[k + 1:]) if below[0].strip()),
                                           len(body) - k - 1)
        elif r[0].strip():
            out.append(((r[0],) + tuple(r[2:]), k))
        else:
            out.append((rest, k))
    return out, spans


def _emit(out, problems, *, cell, hint, source, item, level, arm, row_label, column_label, where,
          want_letters=False):
    parts = split_cell(cell, hint)
    if parts is None:
        problems.append(Problem(where, "cell", (("source", source), ("cell", cell), ("row", row_label),
                                                ("column", column_label))))
        return
    has_letters = any(p.quantity == "letters" for p in parts)
    if not arm:
        # a mark on a statistic or P points to the footnote naming its test ("^a^ Fisher's
        # exact test"), which analyses.toml quotes; it is not a comparison's letter
        parts = tuple(p for p in parts if p.quantity != "letters")
    for p in parts:
        out.append(DraftRow(source, item, p.level or level, arm, p.quantity, p.value,
                            row_label, column_label, where, cell))
    if want_letters and not has_letters and any(p.quantity == "mean" for p in parts):
        out.append(DraftRow(source, item, level, arm, "letters", "", row_label, column_label, where, cell))


def _arms_in_columns(body, where, labels, kinds, arm_cols, table_hint, *, source, arms, caption, suffix="",
                     spans=None, spread="iqr"):
    out, problems, taken = [], [], set()
    arm_keys = {c: arms.key(labels[c]) for c in arm_cols}
    # a "Total" column, or an n column ("Cases") beside the groups: each row's count over all of them
    total_cols = [c for c in range(1, len(labels)) if kinds[c] in ("total", "n")]
    sized = set()                                   # columns whose n is drafted
    for c in arm_cols + total_cols:
        # "Negative (76)": a group's n printed in brackets alone
        m = _N_HEADER.search(labels[c]) or re.search(r"[(（]\s*(\d+)\s*[)）]", labels[c])
        if m:
            sized.add(c)
            out.append(DraftRow(source, "group_size", "", arm_keys.get(c, ""), "n", m.group(1),
                                labels[0] or labels[c], labels[c], where[0] if where else "", m.group(0)))
    stat_cols = [c for c in range(1, len(labels)) if kinds[c] in ("statistic", "p", "f", "ratio")]
    # a row printing each group's n ("n", "Evaluable patients") or a test for the rows above it
    # ("χ² value", "P value" under the last item) is not an item
    n_rows = [r for r, row in enumerate(body)
              if _N_ROW.match(strip_n(row[0])) and all(_is_whole(row[c]) for c in arm_cols if row[c].strip())
              and any(row[c].strip() for c in arm_cols)]
    test_rows = [r for r, row in enumerate(body) if column_kind(row[0]) in ("statistic", "p", "f")]
    # a group's own row printing only its n, in an "n" column ("UDCA group(n=86) | 86"): that
    # group's size, not a count of all the groups
    n_cols = [c for c in total_cols if kinds[c] == "n"]
    own_rows = [r for r, row in enumerate(body) if n_cols and arms.key(row[0], create=False) in arm_keys.values()
                and all(c in n_cols for c in range(1, len(row)) if row[c].strip())]
    for r in own_rows:
        arm = arms.key(body[r][0], create=False)
        c = next(c for c in n_cols if body[r][c].strip())
        if not any(q.item == "group_size" and q.arm == arm for q in out):   # the header printed it already
            out.append(DraftRow(source, "group_size", "", arm, "n", body[r][c].strip(), body[r][0], labels[c],
                                where[r], body[r][c]))
    for r in n_rows:
        for c in arm_cols + total_cols:
            if body[r][c].strip() and c not in sized:       # the header printed it already
                sized.add(c)
                out.append(DraftRow(source, "group_size", "", arm_keys.get(c, ""), "n", body[r][c].strip(),
                                    body[r][0], labels[c], where[r], body[r][c]))
    n_rows += own_rows                                       # placed: no item of their own
    value_cols = arm_cols + total_cols
    # "N = 43" under a group on a heading row is that item's own n, not a value of a level
    has_arm = [any(r[c].strip() and not _N_CELL.match(r[c]) for c in value_cols) for r in body]
    has_stat = [any(r[c].strip() for c in stat_cols) for r in body]

    # Decide each row's item and level (see the module docstring): (row, item label, level
    # label), the level None for a heading row (its tests only) and "" for an item's own row.
    plan, heading_of = [], {}
    i = 0
    while i < len(body):
        h, label = i, body[i][0]
        i += 1
        if h in n_rows or h in test_rows:
            continue
        if has_arm[h]:
            plan.append((h, label, ""))
            continue
        children = []
        while i + len(children) < len(body) and has_arm[i + len(children)] \
                and i + len(children) not in n_rows and i + len(children) not in test_rows:
            children.append(i + len(children))
        if spans and h in spans:
            children = children[:spans[h]]        # a spanned stub cell: its own levels only
        with_stats = [k for k in children if has_stat[k]]
        if len(with_stats) > 1 and with_stats[0] == children[0] and children.index(with_stats[1]) > 1:
            # the P on the first level ("Smoking | Never 0.872 | Former | Active"): the next row
            # with a test of its own is the next item, not a level
            children = children[:children.index(with_stats[1])]
            with_stats = with_stats[:1]
        if len(children) == 1 and is_format(body[children[0]][0]) and not has_stat[h]:
            # "Time required (min)" over "Mean (SD)": the row names what the heading's item prints
            plan.append((children[0], label, ""))
            i = children[0] + 1
            continue
        if not (has_stat[h] or not with_stats or (with_stats == children[:1] and len(children) > 1)):
            heading_of.update((k, label) for k in children)
            continue                               # a heading over items with their own tests
        plan.append((h, label, None))
        for k in children:
            if has_stat[h] and has_stat[k]:
                break                              # a row with its own test ends the levels
            plan.append((k, label, body[k][0]))
            i = k + 1

    # the same items under several headings ("at incision" under "MAP" and under "HR"): each
    # is keyed with its heading (map_at_incision); its row label stays as printed
    repeated = {label for label, k in Counter(lab for _, lab, lv in plan if lv == "").items() if k > 1}
    plan = [(r, f"{strip_n(heading_of[r])} {label}" if lv == "" and label in repeated and r in heading_of
             else label, lv) for r, label, lv in plan]
    items, row_item = {}, {}
    bases = distinct_slugs(label for _, label, _ in plan)
    level_keys = {}
    for _, label, level_label in plan:
        level_keys.setdefault(label, []).append(level_label or "")
    level_keys = {label: distinct_slugs(levels, limit=3, key=level_slug) for label, levels in level_keys.items()}
    for r, item_label, level_label in plan:
        key = items.get(item_label)
        if key is None:
            base = bases[item_label] or f"r{r + 1}"
            key = unique(f"{base}_{suffix}" if suffix else base, taken)
            items[item_label] = key
        row_item[r] = (key, item_label)
        row = body[r]
        hint_kind = _hint_from(row[0]) or table_hint
        if level_label not in (None, "") and hint_kind == "mean" and not _hint_from(row[0]):
            hint_kind = ""                         # a category's levels print counts, whatever the caption says
        levels = _levels_in(row[0])
        if level_label is None:                    # the heading row: its tests and its own n
            cells = [c for c in stat_cols]
            for c in value_cols:
                m = _N_CELL.match(row[c])
                if m:
                    out.append(DraftRow(source, key, "", arm_keys.get(c, ""), "n", m.group(1), row[0],
                                        labels[c], where[r], row[c]))
        else:
            cells = value_cols + stat_cols
        dashed = set()
        printed = {_statistic_quantity(labels[c]) for c in cells if c in stat_cols and kinds[c] == "statistic"
                   and row[c].strip() and not _is_dash(row[c])}
        for c in cells:
            cell = row[c]
            if not cell.strip():
                continue
            if c in value_cols:
                level = "" if level_label == "" else level_keys[item_label][level_label] or f"l{r + 1}"
                hint = Hint(hint_kind, levels=levels, per_arm=True, spread=spread)
                rows_before = len(out)
                _emit(out, problems, cell=cell, hint=hint, source=source, item=key, level=level,
                      arm=arm_keys.get(c, ""), row_label=row[0], column_label=labels[c], where=where[r])
                # a lone count on an item's own row ("Liver cirrhosis 46 50") counts "yes"
                if level_label == "" and not levels:
                    for k in range(rows_before, len(out)):
                        if out[k].quantity in ("count", "percent") and not out[k].level:
                            out[k] = DraftRow(**{**out[k].__dict__, "level": "yes"})
            else:
                kind = kinds[c]
                hint = Hint(kind, ratio=_ratio_quantity(labels[c]),
                            statistic=_statistic_quantity(labels[c]) if kind in ("statistic", "f") else "statistic")
                if kind == "statistic" and _is_dash(cell):
                    # "— | — | 308.0" under "t test | U": a dash says this row's test is another
                    # column's; one dash per statistic is kept where none prints a value (a
                    # P-only test prints all dashes)
                    if hint.statistic in printed or hint.statistic in dashed:
                        continue
                    dashed.add(hint.statistic)
                _emit(out, problems, cell=cell, hint=hint, source=source, item=key, level="",
                      arm="", row_label=item_label if level_label is not None and level_label else row[0],
                      column_label=labels[c], where=where[r])
    # a test printed in a row of its own under the items belongs to the item just above it
    for r in test_rows:
        above = [k for k in row_item if k < r]
        if not above:
            problems.append(Problem(where[r], "row_unplaced", (("source", source), ("row", body[r][0]))))
            continue
        key, item_label = row_item[max(above)]
        kind = column_kind(body[r][0])
        for c in range(1, len(labels)):
            if body[r][c].strip():
                _emit(out, problems, cell=body[r][c], hint=Hint(kind, statistic=_statistic_quantity(body[r][0])),
                      source=source, item=key, level="", arm="", row_label=body[r][0],
                      column_label=labels[c], where=where[r])
    # columns that are neither a group, a total, a test nor an n: their numbers go to REVIEW.md
    for c in range(1, len(labels)):
        if c not in value_cols and c not in stat_cols and kinds[c] != "n" \
                and any(re.search(r"\d", body[r][c]) for r in range(len(body))):
            problems.append(Problem(where[0] if where else "", "column_unplaced",
                                    (("source", source), ("column", labels[c] or str(c + 1)))))
    # rows the plan did not place (values printed under a heading that has none)
    placed = {r for r, *_ in plan} | set(n_rows) | set(test_rows)
    for r, row in enumerate(body):
        if r not in placed and any(c.strip() for c in row[1:]):
            problems.append(Problem(where[r], "row_unplaced", (("source", source), ("row", row[0]))))
    return _t_of_means(_percent_first(out)), problems


def _t_of_means(rows: list) -> list:
    """``rows`` with a statistic drafted as a χ² (by its column's "χ2" heading) on a row of
    means and SDs drafted as a statistic: no χ² compares two means, the column holds the t of
    such rows ("t/χ²" printed as "χ2"). An item that prints counts too (age bands, then their
    mean ± SD) keeps its χ²: it compares the counts."""
    means = {(r.source, r.item) for r in rows if r.quantity == "mean" and r.arm}
    tested = {(r.source, r.item) for r in rows if r.quantity in ("statistic", "count") and not r.arm} \
        | {(r.source, r.item) for r in rows if r.quantity == "count" and r.arm}
    return [DraftRow(**{**r.__dict__, "quantity": "statistic"})
            if r.quantity == "chi2" and not r.arm and (r.source, r.item) in means - tested
            and not _is_dash(r.value) and not r.printed.lstrip().lower().startswith(("χ", "x", "chi"))
            else r for r in rows]


def _percent_first(rows: list) -> list:
    """``rows`` with "83.3 (50)" read as a percentage and its count, not a mean and SD, in
    every item where each such pair fits: a whole-number "SD" of which the "mean" is the
    share of the arm's n, as printed ("% (n)" tables that say so only on some rows)."""
    sizes = {r.arm: float(r.value) for r in rows if r.item == "group_size" and r.quantity == "n"
             and re.fullmatch(r"\d+", r.value)}
    pairs: dict = {}
    for k, r in enumerate(rows):
        if r.quantity in ("mean", "sd") and r.arm:
            pairs.setdefault((r.source, r.item), {}).setdefault((r.level, r.arm), {})[r.quantity] = k
    flip = set()
    for cells in pairs.values():
        fits = []
        for (level, arm), q in cells.items():
            if set(q) != {"mean", "sd"} or not sizes.get(arm):
                break
            mean, sd = rows[q["mean"]].value, rows[q["sd"]].value
            if not re.fullmatch(r"\d+", sd) or "." not in mean:
                break
            share = printed_or_none(mean)
            if share is None or not share.contains(100 * int(sd) / sizes[arm], rel_tol=1e-9):
                break
            fits += [q["mean"], q["sd"]]
        else:
            flip.update(fits)
    renamed = {"mean": "percent", "sd": "count"}
    # an item's own row printing one count per arm counts "yes"
    return [DraftRow(**{**r.__dict__, "quantity": renamed[r.quantity], "level": r.level or "yes"})
            if k in flip else r for k, r in enumerate(rows)]


def _is_dash(cell: str) -> bool:
    return non_number(re.sub(r"\^[^^]*\^$", "", cell.strip())) == "not_printed"


def _is_whole(cell: str) -> bool:
    return re.fullmatch(r"\s*\d+\s*", cell) is not None


def _arms_in_rows(body, where, labels, top, bottom, kinds, n_header, table_hint, shapes, *, source, arms,
                  caption, spread="iqr"):
    out, problems, taken = [], [], set()
    n_cols = [c for c in range(1, len(labels)) if kinds[c] == "n"]   # whole numbers (draft_table)
    value_cols = [c for c in range(1, len(labels)) if c not in n_cols]
    letters_in_table = any("^" in row[c] for row in body for c in value_cols)
    col_item, col_level = {}, {}
    items = {}
    item_labels = {c: top[c] if n_header > 1 and bottom[c] else labels[c] for c in value_cols}
    bases = distinct_slugs(item_labels.values())
    for c in value_cols:
        item_label = item_labels[c]
        if item_label not in items:
            items[item_label] = unique(bases[item_label] or f"c{c + 1}", taken)
        col_item[c] = items[item_label]
        col_level[c] = level_slug(bottom[c]) if n_header > 1 and bottom[c] else ""
        if n_header > 1 and bottom[c] and not col_level[c]:
            col_level[c] = f"c{c + 1}"
    group_label = {c: (top[c] if n_header > 1 and bottom[c] else labels[c]) for c in value_cols}
    block = {}
    for c in value_cols:
        block.setdefault(col_item[c], []).append(c)
    test_rows = [row for row in body if column_kind(row[0]) in ("p", "statistic", "f")]
    tested = {c for row in test_rows for c in value_cols if row[c].strip()}
    # a t or χ² printed under each column of a block (one per time point) makes each column an
    # item of its own, compared between the groups; an F over the block keeps it one item
    # measured over time (split_plot)
    for item, cols in list(block.items()):
        per_column = any(sum(bool(row[c].strip()) for c in cols) > 1 for row in test_rows
                         if column_kind(row[0]) != "f")
        if len(cols) > 1 and per_column and not any(column_kind(row[0]) == "f" for row in test_rows):
            for c in cols:
                col_item[c] = unique(slug(f"{top[c]} {bottom[c]}") or f"c{c + 1}", taken)
                col_level[c] = ""
                block[col_item[c]] = [c]
            del block[item]
    group_label = {c: labels[c] if len(block[col_item[c]]) == 1 else group_label[c] for c in value_cols}
    # a lone count in a column of its own is a count of "yes" out of the group's n, when every
    # such column prints its own test, or when the one tested column is the total of the others
    # ("Total effective rate", "总有效率": the 2×2 journals print); a test under one of several
    # other columns may span them (CR, PR, SD, PD) and is left to a person
    counted = [c for c in value_cols if any(_is_whole(row[c]) or re.match(r"^\s*\d+\s*[(（/]", row[c])
                                            or re.search(r"[(（]\s*\d+\s*/\s*\d+\s*[)）]", row[c])
                                            for row in body if not column_kind(row[0]))]
    yes_cols = set(counted) if tested and all(c in tested for c in counted) else \
        {c for c in tested & set(counted) if _TOTAL_RATE.search(labels[c])}
    arm_rows, block_key, sized = 0, "", {}
    group_rows = sum(_group_like(row[0], arms) for row in body if not column_kind(row[0]))

    def item_of(c):
        # under a block heading ("At rest", "After treatment") each column is an item of its own
        return f"{col_item[c]}_{block_key}" if block_key else col_item[c]

    def size(arm, value, label, column, at, cell):
        _add_group_size(out, sized, DraftRow(source, "group_size", "", arm, "n", value, label, column, at, cell),
                        block=block_key or str(len(out)))

    for r, row in enumerate(body):
        label = row[0]
        kind = column_kind(label)
        if not any(row[c].strip() for c in range(1, len(row))):
            block_key = level_slug(label) or f"b{r + 1}"     # a heading over the rows below it
            continue
        if kind in ("p", "statistic", "f"):
            statistic = _statistic_quantity(label)
            term = _term(label) if kind == "f" else ""
            for c in value_cols:
                if not row[c].strip():
                    continue
                # one test printed for a block of columns (an F over the time points) belongs to
                # the whole block; a test in each column (a t per time point) to its column
                whole_block = n_header > 1 and sum(bool(row[k].strip()) for k in block[col_item[c]]) == 1
                column_label = group_label[c] if whole_block else labels[c]
                level = (term or (f"r{r + 1}" if kind == "f" else "")) if whole_block else col_level[c]
                if kind == "f" and not whole_block and term:
                    level = f"{col_level[c]}_{term}" if col_level[c] else term
                _emit(out, problems, cell=row[c], hint=Hint(kind, statistic=statistic),
                      source=source, item=item_of(c), level=level, arm="", row_label=label,
                      column_label=column_label, where=where[r])
            continue
        # where rows name groups, a row that names none is not a group ("Chemotherapy
        # effective" among them is listed for a person, not made an arm)
        arm = arms.key(label, create=group_rows < 2 or _group_like(label, arms))
        if arm is None:
            problems.append(Problem(where[r], "row_neither", (("source", source), ("row", label))))
            continue
        arm_rows += 1
        m = _N_HEADER.search(label)
        if m and not any(row[c].strip() for c in n_cols):
            size(arm, m.group(1), label, labels[0] or label, where[r], m.group(0))
        for c in n_cols:
            if row[c].strip():
                size(arm, row[c].strip(), label, labels[c], where[r], row[c])
        for c in value_cols:
            if not row[c].strip():
                continue
            # bare whole numbers beside means are counts, whatever the caption says
            kind = _hint_from(labels[c]) or ("count" if shapes[c] == "whole" else table_hint)
            # "21/15" under "性别(男/女)": one count per level the heading names
            hint = Hint(kind, ratio=_ratio_quantity(labels[c]), per_arm=True, levels=_levels_in(labels[c]),
                        spread=spread)
            rows_before = len(out)
            _emit(out, problems, cell=row[c], hint=hint, source=source, item=item_of(c),
                  level=col_level[c], arm=arm, row_label=label, column_label=labels[c],
                  where=where[r], want_letters=letters_in_table)
            if c in yes_cols and not col_level[c]:
                for k in range(rows_before, len(out)):
                    if out[k].quantity in ("count", "percent") and not out[k].level:
                        out[k] = DraftRow(**{**out[k].__dict__, "level": "yes"})
    if arm_rows < 2:
        problems.append(Problem(where[0] if where else "", "few_arms", (("source", source), ("n", arm_rows))))
    return _rate_beside_counts(out), problems


def _rate_beside_counts(rows: list) -> list:
    """``rows`` with a rate printed in a column of its own beside the counts it is the share
    of ("Positive | Negative | Positivity rate (%)", "阳性 | 阴性 | 阳性率"), the test printed
    under the rate, moved to that count's item as a yes/no count: the test compares the
    counts, and the draft reads counts beside their n, not percentages alone."""
    sizes = {(r.source, r.arm): printed_or_none(r.value) for r in rows
             if r.item == "group_size" and r.quantity == "n" and r.arm}
    items: dict = {}
    for r in rows:
        items.setdefault((r.source, r.item), []).append(r)
    moves = {}
    for (source, item), group in items.items():
        rates = {r.arm: printed_or_none(r.value) for r in group if r.arm and r.quantity == "percent" and not r.level}
        if not rates or any(r.quantity == "count" for r in group) or not any(not r.arm for r in group):
            continue
        fits = []
        for (other_source, other), counted in items.items():
            counts = {r.arm: printed_or_none(r.value) for r in counted
                      if r.arm and r.quantity == "count" and not r.level}
            if other_source != source or other == item or set(counts) != set(rates) \
                    or any(r.quantity == "percent" for r in counted):
                continue
            if all(rates[a] and counts[a] and sizes.get((source, a)) and sizes[(source, a)].value
                   and rates[a].contains(100 * counts[a].value / sizes[(source, a)].value) for a in rates):
                fits.append(other)
        if len(fits) == 1:
            moves[(source, item)] = fits[0]
    if not moves:
        return rows
    counts_of = {(source, other) for (source, _), other in moves.items()}
    out = []
    for r in rows:
        if (r.source, r.item) in counts_of and r.arm and r.quantity == "count" and not r.level:
            r = DraftRow(**{**r.__dict__, "level": "yes"})
        elif (r.source, r.item) in moves:
            r = DraftRow(**{**r.__dict__, "item": moves[(r.source, r.item)],
                            "level": "yes" if r.arm and r.quantity == "percent" else r.level})
        out.append(r)
    return out
