"""A sample-size paragraph: its numbers under the keys the ``sample_size`` and
``dropout_inflation`` families read (docs/analyses.md).

"assuming an event in 50% of the control group and 25% of the treated group, 58 patients
per group (116 in all) gave 80% power at a two-sided 5% level; allowing for 10% dropout, 129
were to be enrolled" prints ``p1``, ``p2``, ``n_per_group``,
``n_total``, ``power``, ``alpha``, ``dropout`` and ``planned``. A paragraph is read this way
only when it prints both a power and an n per group: otherwise its numbers are left to the
general sentence patterns, under the keys their phrases suggest.
"""

from __future__ import annotations

import re

from .tables import DraftRow

__all__ = ["sample_size_in"]

_PCT = r"(?P<v>\d+(?:\.\d+)?\s*[%％])"
_N = r"(?P<v>\d+)"
# (item, quantity, pattern); each pattern's group ``v`` is the printed value
_PATTERNS = [
    ("power", "percent", re.compile(_PCT + r"\s*(?:statistical\s+)?power", re.I)),
    ("power", "percent", re.compile(r"power\s*(?:of|=|was|is|:)?\s*" + _PCT, re.I)),
    ("power", "percent", re.compile(r"(?:把握度|检验效能)[^0-9%％]{0,6}" + _PCT)),
    ("alpha", "percent", re.compile(_PCT + r"\s*(?:significance\s+)?level", re.I)),
    ("alpha", "proportion", re.compile(r"(?:α|significance level)\s*(?:of|=|＝)\s*(?P<v>0?\.\d+)", re.I)),
    ("dropout", "percent", re.compile(_PCT + r"\s*(?:dropout|drop-out|attrition|loss to follow-up)", re.I)),
    ("dropout", "percent", re.compile(r"(?:dropout|drop-out|attrition)\s*(?:rate\s*)?(?:of|=)?\s*" + _PCT, re.I)),
    ("dropout", "percent", re.compile(r"(?:脱落率?|失访率?)[^0-9%％]{0,6}" + _PCT)),
    ("n_per_group", "n", re.compile(_N + r"\s*(?:patients|participants|subjects|cases)?\s*"
                                    r"(?:per|in each|for each|each)\s+(?:group|arm)", re.I)),
    ("n_per_group", "n", re.compile(r"每组[^0-9]{0,6}" + _N + r"\s*例")),
    ("n_per_group", "n", re.compile(_N + r"\s*例\s*/\s*组")),
    ("n_total", "n", re.compile(_N + r"\s*in\s+(?:all|total)", re.I)),
]
# after the dropout: the total to enrol
_PLANNED = [
    re.compile(_N + r"\s*(?:patients|participants|subjects)?\s*(?:were|was|would be|are)?\s*(?:to be\s+)?"
               r"(?:enrolled|enrol|recruited|needed|required|randomi[sz]ed)", re.I),
    re.compile(r"(?:a total of|total of)\s*" + _N, re.I),
    re.compile(r"共需?[^0-9]{0,6}" + _N + r"\s*例"),
]
_ANY_PCT = re.compile(r"\d+(?:\.\d+)?\s*[%％]")


def _free(spans: list, start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps no span already read."""
    return not any(start < e and s < end for s, e in spans)


def _clause(text: str, start: int, end: int) -> str:
    """The sentence or clause around a span, for ``row_label``."""
    left = max(text.rfind(sep, 0, start) for sep in (".", ";", "；", "。")) + 1
    rights = [i for i in (text.find(sep, end) for sep in ("; ", ". ", "；", "。")) if i != -1]
    return text[left:min(rights) if rights else len(text)].strip()


def sample_size_in(text: str, *, source: str, where: str) -> tuple[list, str]:
    """``(rows, rest)``: the sample-size values of a paragraph and the paragraph with their
    digits masked, for the general patterns to read what else it prints; ``([], text)`` when
    the paragraph does not print both a power and an n per group."""
    found, spans = {}, []
    for item, quantity, pattern in _PATTERNS:
        if item in found:
            continue
        m = pattern.search(text)
        if m and _free(spans, m.start("v"), m.end("v")):
            found[item] = (quantity, m.group("v"), m.start("v"), m.end("v"))
            spans.append((m.start("v"), m.end("v")))
    if not {"power", "n_per_group"} <= set(found):
        return [], text
    if "dropout" in found:
        after = found["dropout"][3]
        for pattern in _PLANNED:
            m = pattern.search(text, after)
            if m and _free(spans, m.start("v"), m.end("v")):
                found["planned"] = ("n", m.group("v"), m.start("v"), m.end("v"))
                spans.append((m.start("v"), m.end("v")))
                break
    # the two rates compared: the other percentages before the n per group
    first_n = found["n_per_group"][2]
    rates = [m for m in _ANY_PCT.finditer(text, 0, first_n) if _free(spans, m.start(), m.end())]
    if len(rates) == 2:
        for item, m in zip(("p1", "p2"), rates):
            found[item] = ("percent", m.group(0), m.start(), m.end())
            spans.append((m.start(), m.end()))
    rows = [DraftRow(source, item, "", "", quantity, re.sub(r"\s+", "", value).replace("％", "%"),
                     _clause(text, s, e), "", where, value)
            for item, (quantity, value, s, e) in sorted(found.items(), key=lambda kv: kv[1][2])]
    rest = list(text)
    for s, e in spans:
        rest[s:e] = "#" * (e - s)
    return rows, "".join(rest)
