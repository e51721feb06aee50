"""Numbers exactly as a paper prints them, and the intervals they stand for.

A printed ``3.70`` is not the number 3.7: it says the true value lies in
``[3.695, 3.705]``. Everything that compares a recomputed value with a printed one
goes through :class:`Printed`, so the number of printed decimals is never lost.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Printed", "parse_printed", "printed_or_none", "normalize_typesetting", "plain_power", "non_number",
           "NON_NUMBERS"]

# Printed forms seen in papers: "0.223", "<0.001", "83.02%", "2 013.843" (a thousands space
# in Chinese typesetting), "＜0.001" (full-width relation), "−2.31" (a typographic minus).
# ".672": many journals print a P without its leading zero
_NUMBER = re.compile(r"^(?P<rel>[<>≤≥]?)\s*(?P<num>-?(?:\d+(?:\.\d+)?|\.\d+))\s*(?P<pct>%?)$")
# a P printed in scientific notation: "2.49 × 10^–21^", "2.49×10-21", "3.2E-05"
_SCIENTIFIC = re.compile(r"^(?P<rel>[<>≤≥]?)(?P<mant>\d+(?:\.\d+)?)(?:[×xX*]10\^?|[eE])(?P<exp>-\d+)\^?$")
_SPACES = re.compile(r"[\s\u2009\u202f\u00a0\u3000]")
# Chinese typesetting uses full-width forms; minus signs come as hyphen, U+2212 (minus),
# U+2013 (en dash), U+2012 (figure dash), U+FE63 and U+FF0D (small and full-width hyphen).
_FULL_WIDTH = str.maketrans({"＜": "<", "＞": ">", "≦": "≤", "≧": "≥", "％": "%", "．": ".",
                             "，": ",", **{chr(0xFF10 + d): str(d) for d in range(10)}})
_MINUS = re.compile(r"[\u2212\u2013\u2012\ufe63\uff0d](?=\s*\d)")
# "× 10⁻¹⁶" (or "× 10−¹⁶", a reader's superscript after a plain minus): a power of ten
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_POWER = re.compile(r"([×xX]\s*10)\s*[⁻−–-]\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
# The Lancet's decimal point is a raised dot: "0·83", "p<0·0001".
_MID_DOT = re.compile(r"(?<=\d)[\u00b7\u22c5](?=\d)")

# Cells that print no number on purpose, and what each means (the value is kept as printed).
NON_NUMBERS = {"—": "not_printed", "–": "not_printed", "-": "not_printed", "―": "not_printed",
               "/": "not_printed", "NA": "not_printed", "N/A": "not_printed", "n/a": "not_printed",
               "NR": "not_reached", "not reached": "not_reached",
               "未达到": "not_reached", "未达": "not_reached"}


@dataclass(frozen=True)
class Printed:
    """A printed number.

    Attributes
    ----------
    text : str
        The string as printed.
    value : float
        Its numeric value (percent sign dropped: ``"83.02%"`` -> 83.02).
    decimals : int
        Digits after the decimal point as printed (``"3.70"`` -> 2).
    relation : str
        ``"="`` for a plain number, or ``"<"``, ``">"``, ``"≤"``, ``"≥"`` for bounds
        such as ``"<0.001"``.
    """

    text: str
    value: float
    decimals: int
    relation: str = "="

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed digit."""
        return 0.5 * 10.0 ** (-self.decimals)

    @property
    def interval(self) -> tuple[float, float]:
        """The closed interval of true values this printed number allows.

        ``"3.70"`` -> (3.695, 3.705); ``"<0.001"`` -> (-inf, 0.001);
        ``">0.05"`` -> (0.05, inf). Closed on both ends: which way a tie at
        exactly half a unit was rounded is not knowable from print.
        """
        if self.relation in ("<", "≤"):
            return (-math.inf, self.value)
        if self.relation in (">", "≥"):
            return (self.value, math.inf)
        return (self.value - self.half_unit, self.value + self.half_unit)

    @property
    def signed(self) -> bool:
        """Whether the print carries a sign (``-2.31``, ``−2.31``, ``+2.31``)."""
        return self.value < 0 or normalize_typesetting(self.text).lstrip("<>≤≥ ").startswith(("-", "+"))

    def magnitude(self) -> "Printed":
        """The printed absolute value (same text, decimals and relation): papers print a
        two-sided statistic as |t| or with the sign of the difference."""
        return Printed(text=self.text, value=abs(self.value), decimals=self.decimals, relation=self.relation)

    def contains(self, x: float, *, rel_tol: float = 1e-12) -> bool:
        """Whether ``x`` rounds to this printed value (tolerant to float noise)."""
        lo, hi = self.interval
        slack = rel_tol * max(1.0, abs(x))
        return lo - slack <= x <= hi + slack


def normalize_typesetting(text: str) -> str:
    """``text`` with full-width forms, minus-sign variants, a raised decimal point and a
    power of ten in superscript digits as ASCII (``"＜0.05"`` -> ``"<0.05"``, ``"−2.31"`` ->
    ``"-2.31"``, ``"0·83"`` -> ``"0.83"``, ``"× 10⁻¹⁶"`` -> ``"× 10^-16^"``); everything else
    unchanged."""
    return _MID_DOT.sub(".", _MINUS.sub("-", plain_power(text).translate(_FULL_WIDTH)))


def plain_power(text: str) -> str:
    """A power of ten printed in superscript digits as ``^-16^`` (``"1.79 × 10⁻¹⁶"`` ->
    ``"1.79 × 10^-16^"``); everything else unchanged."""
    return _POWER.sub(lambda m: f"{m[1]}^-{m[2].translate(_SUPERSCRIPT)}^", text)


def printed_or_none(text: str) -> Printed | None:
    """:func:`parse_printed` of ``text``, or ``None`` where it prints no number (a dash, ``NR``,
    a word): for readers that try a reading and move on."""
    if non_number(text):
        return None
    try:
        return parse_printed(text)
    except ValueError:
        return None


def non_number(text: str) -> str | None:
    """What a printed non-number means: ``"not_reached"`` (``NR``, ``not reached``, ``未达到``),
    ``"not_printed"`` (a dash: ``—``, ``–``, ``-``), or ``None`` for anything else."""
    if not isinstance(text, str):
        return None
    cleaned = _SPACES.sub(" ", text).strip()
    return NON_NUMBERS.get(cleaned) or NON_NUMBERS.get(cleaned.lower())


def parse_printed(text: str) -> Printed:
    """Parse a printed number.

    Raises
    ------
    ValueError
        If ``text`` is not a number as papers print them.

    Examples
    --------
    >>> parse_printed("3.70").decimals
    2
    >>> parse_printed("<0.001").interval
    (-inf, 0.001)
    >>> parse_printed("2 013.843").value
    2013.843
    >>> parse_printed("＜0.05").relation
    '<'
    >>> parse_printed("2.49 × 10^–21^").interval
    (2.485e-21, 2.495e-21)
    """
    if not isinstance(text, str):
        raise ValueError(f"expected the printed text, got {type(text).__name__}")
    squeezed = _SPACES.sub("", normalize_typesetting(text))
    m = _SCIENTIFIC.match(squeezed)
    if m:
        # 2.49 × 10⁻²¹ is printed to 10⁻²³: the mantissa's decimals plus the exponent's
        mantissa, exponent = m.group("mant"), int(m.group("exp"))
        return Printed(text=text, value=float(f"{mantissa}e{exponent}"),
                       decimals=len(mantissa.partition(".")[2]) - exponent, relation=m.group("rel") or "=")
    m = _NUMBER.match(squeezed)
    if m is None:
        raise ValueError(f"not a printed number: {text!r}")
    num = m.group("num")
    dec = num.partition(".")[2]
    return Printed(text=text, value=float(num), decimals=len(dec),
                   relation=m.group("rel") or "=")
