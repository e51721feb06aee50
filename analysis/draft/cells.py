"""Split a printed table cell into its values, each kept as printed.

A cell such as ``"31(58.49)"`` holds a count and a percentage, ``"885.13±68.56^ab^"`` a
mean, an SD and superscript letters, ``"0.72 (0.60–0.86)"`` a ratio and its CI. Which
reading applies comes from the cell's shape and from what the caption, column or row says
the cell holds (:class:`Hint`): ``"31(58.49)"`` is a count and a percent under "n (%)", a
mean and an SD under "mean (SD)". A shape that fits no reading is returned as ``None`` for
a person to split (REVIEW.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..printed import non_number, normalize_typesetting, plain_power
from .keys import level_slug

__all__ = ["Part", "Hint", "split_cell", "NUM", "canonical_minus"]

# A printed number: optional relation and sign, a thousands space as Chinese typesetting
# prints it ("2 013.843"), scientific notation ("2.49 × 10^–21^", "3.2E-05"), optional
# percent sign.
NUM = (r"(?:[<>≤≥＜＞]\s*)?[-−–+]?(?:\d+(?:[.·]\d+)?\s*(?:[×xX]\s*10\s*\^?|[eE])\s*[-−–]\s*\d+\^?"
       r"|(?:\d{1,3}(?: \d{3})+|\d+)(?:[.·]\d+)?|[.·]\d+)%?")
_N = f"({NUM})"
_SEP = r"\s*(?:[-–—~～,，\u00ad\u2010]|to|至)\s*"   # a PDF may set the range dash as a soft hyphen
_LETTERS = r"(?:\^([A-Za-z*#†‡§‖¶]+)\^)?"
_SHAPES = {
    "pm": re.compile(rf"^{_N}\s*(?:±|\+/-|\+-)\s*{_N}\s*{_LETTERS}$"),
    "paren": re.compile(rf"^{_N}\s*{_LETTERS}\s*[(（\[]\s*{_N}\s*%?\s*[)）\]]\s*{_LETTERS}$"),
    "range": re.compile(rf"^{_N}\s*{_LETTERS}\s*[(（\[]\s*{_N}{_SEP}{_N}\s*[)）\]]\s*{_LETTERS}$"),
    "slash": re.compile(rf"^{_N}\s*/\s*{_N}\s*{_LETTERS}$"),
    # "24:14" under "(M:F)": one count per level
    "colon": re.compile(r"^(\d+)\s*[:：]\s*(\d+)$"),
    # a rate with the count and the n it is of: "84.78 (802/946)", "802/946 (84.78%)"
    "rate": re.compile(rf"^{_N}\s*[(（]\s*(\d+)\s*/\s*(\d+)\s*[)）]\s*{_LETTERS}$"),
    "of_n": re.compile(rf"^(\d+)\s*/\s*(\d+)\s*[(（]\s*{_N}\s*%?\s*[)）]\s*{_LETTERS}$"),
    "one": re.compile(rf"^{_N}\s*{_LETTERS}$"),
    "sd_range": re.compile(rf"^{_N}\s*[(（]\s*{_N}\s*[;；]\s*{_N}{_SEP}{_N}\s*[)）]\s*{_LETTERS}$"),
}
_MINUS = re.compile(r"[−–](?=\d)")
_INLINE_LETTERS = re.compile(r"(?<=[\d)）\]%])[a-h](?:[,\s]?[a-h])*$")
# A statistic printed with its name in the cell ("t = -0.92", "χ2 = 0.946", "P < 0.001"): the
# name, not the column heading, says which statistic it is (a t under a "χ²" heading).
_NAMED = re.compile(rf"^(t|χ²|χ2|x²|x2|z|f|h|u|p)\s*(?:[=＝:]\s*)?({NUM})\s*{_LETTERS}$", re.I)
# a statistic and its P in one cell ("t = 4.921, P < 0.05", "t₃₅ = −0.85, p = 0.40",
# "F(3,105) = 349.1, P < 0.001", "χ2 = 0.15 P = 0.64"); a printed df is not kept
_NAMED_PAIR = re.compile(rf"^(t|χ²|χ2|x²|x2|z|f|h|u)\s*(?:\(?\s*\d+(?:\s*,\s*\d+)?\s*\)?)?\s*[=＝:]\s*({NUM})"
                         rf"(?:\s*[,;，；]\s*|\s+)p\s*(?:[=＝]\s*)?({NUM})\s*{_LETTERS}$", re.I)
_NAMED_QUANTITY = {"t": "statistic", "χ²": "chi2", "χ2": "chi2", "x²": "chi2", "x2": "chi2", "z": "z",
                   "f": "F", "h": "statistic", "u": "statistic", "p": "p"}


@dataclass(frozen=True)
class Part:
    """One printed value of a cell: its quantity (``docs/analyses.md``), the printed text,
    and for a cell that prints two levels (``"42/11"`` under "male/female") the level."""

    quantity: str
    value: str
    level: str = ""


@dataclass(frozen=True)
class Hint:
    """What the table says a cell holds.

    ``kind`` is one of ``"p"``, ``"statistic"``, ``"f"`` (an ``F/P`` pair), ``"n"``,
    ``"count"`` (n (%) or "cases"), ``"mean"`` (mean ± SD or mean (SD)), ``"median"``
    (median (IQR) / M(P25, P75)), ``"range"`` (median (range)), ``"ratio"`` (HR, OR, RR with
    CI), ``"percent"``, or ``""`` (nothing said, or a caption announcing several kinds).
    ``spread`` is what a median's bracketed pair is where the label does not say: ``"iqr"``
    (quartiles) or ``"range"`` (the table's note says "median (range)").
    ``ratio`` is the quantity of a ratio (``hr``, ``or``, ``rr``); ``levels`` the two levels a
    ``"42/11"`` cell prints, from its row label ("Sex (male/female)"). ``per_arm`` marks a
    cell of one arm: with no label to say otherwise, its ``25 (20–35)`` is a median (IQR), as a
    ratio compares arms and is printed in a column of its own.
    """

    kind: str = ""
    ratio: str = "hr"
    levels: tuple[str, ...] = ()
    statistic: str = "statistic"
    per_arm: bool = False
    spread: str = "iqr"


def canonical_minus(text: str) -> str:
    """The printed value with one minus sign (``"−2.31"`` -> ``"-2.31"``); the draft records
    the original beside it."""
    return _MINUS.sub("-", text)


def _clean(value: str) -> str:
    # "$<$ 0.001" in the source prints "<0.001": the space is the markup's, not the paper's
    return re.sub(r"^([<>≤≥＜＞])\s+", r"\1", canonical_minus(value.strip()))


def _is_int(value: str) -> bool:
    return re.fullmatch(r"\d+", _clean(value).replace(" ", "")) is not None


def _num(value: str) -> float:
    text = normalize_typesetting(_clean(value)).lstrip("<>≤≥ ").rstrip("%").replace(" ", "")
    return float(text)


def _letters(*groups) -> tuple[Part, ...]:
    found = "".join(g for g in groups if g)
    return (Part("letters", found),) if found else ()


def split_cell(text: str, hint: Hint = Hint()) -> tuple[Part, ...] | None:
    """The values printed in ``text``, or ``None`` when its shape fits no reading.

    >>> split_cell("31(58.49)", Hint("count"))
    (Part(quantity='count', value='31', level=''), Part(quantity='percent', value='58.49', level=''))
    >>> split_cell("237.03 ± 47.46^ab^", Hint("mean"))[2]
    Part(quantity='letters', value='ab', level='')
    """
    text = plain_power(text.strip())
    if not text:
        return ()
    # a sign set apart from its number ("− 0.346", "t = − 0.92"): one value
    text = re.sub(r"(^|[=＝]\s*)([-−–+])\s+(?=[\d.·])", r"\1\2", text)
    # a footnote mark printed after a value without raising it ("0.218*", "1.000†")
    text = re.sub(r"(?<=[\d)%])\s*([*†‡§‖¶#]+)$", r"^\1^", text)
    # footnote letters that lost their superscript in a copy from a web page ("5 (11.11)a",
    # "0 (0)a b", "9.44 ± 1.62a,b"); after a lone number a letter may be a unit ("7d")
    m = _INLINE_LETTERS.search(text)
    if m and (text[m.start() - 1] in ")）]%" or re.search(r"[±(（\[]", text) or len(m[0]) > 1):
        text = text[:m.start()] + "^" + re.sub(r"[,\s]", "", m[0]) + "^"
    m = _NAMED_PAIR.match(text)
    if m:
        return (Part(_NAMED_QUANTITY[m[1].lower()], _clean(m[2])), Part("p", _clean(m[3]))) + _letters(m[4])
    m = _NAMED.match(text)
    if m and (m[1].lower() != "p" or "=" in text or re.search(r"[<>≤≥＜＞]", m[2])):
        return (Part(_NAMED_QUANTITY[m[1].lower()], _clean(m[2])),) + _letters(m[3])
    bare = re.sub(r"\^[^^]*\^$", "", text)                        # "—^c^": a dash and its footnote mark
    if non_number(bare):
        text = bare
        quantity = {"p": "p", "statistic": hint.statistic, "n": "n", "ratio": hint.ratio,
                    "median": "median", "mean": "mean", "percent": "percent"}.get(hint.kind)
        return (Part(quantity, text),) if quantity else None
    m = _SHAPES["pm"].match(text)
    if m:
        return (Part("mean", _clean(m[1])), Part("sd", _clean(m[2]))) + _letters(m[3])
    m = _SHAPES["range"].match(text)
    if m:
        est, lo, hi = (_clean(m[i]) for i in (1, 3, 4))
        letters = _letters(m[2], m[5])
        if hint.kind == "range" or (hint.spread == "range" and hint.per_arm and hint.kind in ("", "median")):
            return (Part("median", est), Part("min", lo), Part("max", hi)) + letters
        if hint.kind == "median" or (hint.kind == "" and hint.per_arm) or \
                (hint.kind != "ratio" and not _ordered(lo, est, hi)):
            if hint.kind in ("median", "mean", ""):
                return (Part("median", est), Part("q1", lo), Part("q3", hi)) + letters
            return None
        if hint.kind in ("ratio", "") and _ordered(lo, est, hi):
            return (Part(hint.ratio, est), Part("lower", lo), Part("upper", hi)) + letters
        return None
    m = _SHAPES["rate"].match(text)
    if m and hint.kind not in ("mean", "median", "ratio"):
        return (Part("percent", _clean(m[1])), Part("count", m[2]), Part("n", m[3])) + _letters(m[4])
    m = _SHAPES["of_n"].match(text)
    if m and hint.kind not in ("mean", "median", "ratio"):
        return (Part("count", m[1]), Part("n", m[2]), Part("percent", _clean(m[3]))) + _letters(m[4])
    m = _SHAPES["sd_range"].match(text)
    if m and hint.kind in ("mean", ""):
        # "84.03 (7.36; 68-96)" under "mean (SD; range)"
        return (Part("mean", _clean(m[1])), Part("sd", _clean(m[2])), Part("min", _clean(m[3])),
                Part("max", _clean(m[4]))) + _letters(m[5])
    m = _SHAPES["paren"].match(text)
    if m:
        first, second = _clean(m[1]), _clean(m[3])
        letters = _letters(m[2], m[4])
        percent_sign = "%" in text[m.start(3):]
        if hint.kind in ("statistic", "f") and _is_int(second) and not percent_sign:
            # "−0.177 (56)" under "t test (df)": the statistic and its degrees of freedom (not kept)
            return (Part(hint.statistic, first),) + letters
        if hint.kind == "mean" and not percent_sign:
            return (Part("mean", first), Part("sd", second)) + letters
        if hint.kind == "median" and not percent_sign:
            # "56.0 (12.5)" under "median (IQR)": the interquartile range printed as one width
            return (Part("median", first), Part("iqr", second)) + letters
        # "91.7 (55)" under "% (n)" or "rate": the percentage first, its count in brackets
        if hint.kind in ("count", "percent") and not _is_int(first) and _is_int(second) \
                and _num(first) <= 100 and not percent_sign:
            return (Part("percent", first), Part("count", second)) + letters
        # no percentage exceeds 100: "3006 [367]" is a mean and its SD
        over = _num(second) > 100
        if _is_int(first) and hint.kind in ("count", "", "n", "percent") and not over:
            value = second + "%" if percent_sign and not second.endswith("%") else second
            return (Part("count", first), Part("percent", value)) + letters
        if (not _is_int(first) or over) and hint.kind in ("", "mean"):
            return (Part("mean", first), Part("sd", second)) + letters
        return None
    counts = re.fullmatch(r"\s*(\d+(?:\s*/\s*\d+){2,})\s*", text)
    if counts and len(hint.levels) == counts[1].count("/") + 1:
        # "12/7/2/4/5/1" under "(0/1/2/3/4/5)": one count per level
        return tuple(Part("count", v.strip(), lv) for v, lv in zip(counts[1].split("/"), hint.levels))
    m = _SHAPES["slash"].match(text)
    if m:
        first, second = _clean(m[1]), _clean(m[2])
        if hint.kind == "f":
            return (Part(hint.statistic, first), Part("p", second)) + _letters(m[3])
        if len(hint.levels) == 2 and _is_int(first) and _is_int(second):
            return (Part("count", first, hint.levels[0]), Part("count", second, hint.levels[1])) + _letters(m[3])
        return None
    m = _SHAPES["colon"].match(text)
    if m and len(hint.levels) == 2 and hint.per_arm:
        return (Part("count", m[1], hint.levels[0]), Part("count", m[2], hint.levels[1]))
    worded = _worded_counts(text) if hint.per_arm else None
    if worded:
        return worded
    m = _SHAPES["one"].match(text)
    if m:
        value = _clean(m[1])
        quantity = {"p": "p", "statistic": hint.statistic, "f": hint.statistic, "n": "n",
                    "ratio": hint.ratio, "median": "median", "mean": "mean"}.get(hint.kind)
        if quantity is None:
            if value.endswith("%") or hint.kind == "percent":
                quantity = "percent"
            elif _is_int(value):
                quantity = "count"
            else:
                return None
        return (Part(quantity, value),) + _letters(m[2])
    return None


_WORD = r"[A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff'’-]*"
_COUNT_WORD = re.compile(rf"^(\d+)\s*({_WORD})$|^({_WORD}(?:\s+{_WORD})?)\s*[=:：]?\s*(\d+)$")


def _worded_counts(text: str) -> tuple[Part, ...] | None:
    """Counts printed with their categories in words: "11 M, 4 F", "Male = 24, Female = 26",
    "56 males, 174 females"; ``None`` for any other cell."""
    pieces = [p.strip() for p in re.split(r"[,;，；]", text)]
    if len(pieces) < 2:
        return None
    parts = []
    for piece in pieces:
        m = _COUNT_WORD.match(piece)
        if not m:
            return None
        count, word = (m[1], m[2]) if m[1] else (m[4], m[3])
        parts.append(Part("count", count, level_slug(word) or word))
    return tuple(parts) if len({p.level for p in parts}) == len(parts) else None


def _ordered(lo: str, est: str, hi: str) -> bool:
    try:
        return _num(lo) <= _num(est) <= _num(hi)
    except ValueError:
        return False
