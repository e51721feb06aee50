"""A printed value as a sentence writes it (``P = 0.291``, ``9.30%``), and whether a note
written by hand is in a page's language. The audit's notes and the presentation's sentences
both use them, so they sit below both (data -> audit -> presentation)."""

from __future__ import annotations

import re

from .i18n import t

__all__ = ["printed_value", "shown_value", "in_language"]

# quantities a sentence writes with their symbol
_SYMBOLS = ("chi2", "p", "statistic", "F", "z", "n", "percent", "hr", "or", "rr")


def printed_value(reported: str, quantity: str) -> str:
    """A printed number as a reader would write it: ``P = 0.652``, ``χ² = 8.21``, ``86.4%``."""
    if not reported:
        return "—"
    if quantity == "percent":
        return reported if reported.endswith(("%", "％")) else f"{reported}%"
    if quantity == "count":
        return reported.strip()                    # a count (a total of parts) is no group's n
    symbol = {"chi2": "χ²", "p": "P", "statistic": "t"}.get(quantity, quantity)
    text = reported.strip()
    if re.match(r"(?:P|χ²|χ2|t|Z|F)\s*[=<>≤≥＜＞]", text, re.I):
        return text                                # a claim printed with its symbol: "P>0.05"
    if re.match(r"[<>≤≥＜＞]", text):
        return f"{symbol} {text}"                  # "P <0.001", not "P = <0.001"
    return f"{symbol} = {text}"


def shown_value(printed: str, quantity: str, lang: str) -> str:
    """A version's printed value as a reader writes it: ``P = 0.291``, ``9.30%``, superscript
    letters by name, ``—`` where it prints none, anything else as printed."""
    if not printed:
        return "—"
    if quantity in _SYMBOLS:
        return printed_value(printed, quantity)
    return t("findings.letters", lang, letters=printed) if quantity == "letters" else printed


def in_language(text: str, lang: str) -> bool:
    """Whether a note recorded by hand (``discrepancies.csv``'s ``where`` and ``note``) is
    written in ``lang``: Chinese for a zh page, not Chinese for an en page."""
    letters = [c for c in str(text) if c.isalpha()]
    chinese = sum("\u4e00" <= c <= "\u9fff" for c in letters) > 0.3 * len(letters) if letters else False
    return chinese == (lang == "zh")
