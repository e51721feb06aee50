"""Inline markup of a paper's text as plain printed text.

Papers reach the draft as Markdown with inline LaTeX and HTML (``$\\chi^2$``,
``<sup>ab</sup>``), as HTML, Word or PDF. Every reader hands its text through
:func:`plain`, so the cell splitter and the sentence reader see one form: symbols as
printed (``χ²``, ``±``, ``≤``), superscript footnote letters as ``^ab^`` (the draft keeps
them as ``letters``), citation marks removed, runs of spaces collapsed.
"""

from __future__ import annotations

import re

__all__ = ["plain", "cjk_share", "SUPERSCRIPT"]

_LATEX = (
    (r"\\chi\s*\^\s*\{?\s*2\s*\}?", "χ²"), (r"\\chi", "χ"), (r"\\pm", "±"), (r"\\mp", "∓"),
    (r"\\leqslant|\\leq?", "≤"), (r"\\geqslant|\\geq?", "≥"), (r"\\times", "×"),
    (r"\\alpha", "α"), (r"\\beta", "β"), (r"\\delta", "δ"), (r"\\Delta", "Δ"), (r"\\mu", "μ"),
    (r"\\kappa", "κ"), (r"\\sigma", "σ"), (r"\\bar\s*\{\s*x\s*\}", "x̄"), (r"\\sim", "~"),
    (r"\\%", "%"), (r"\\cdot", "·"), (r"\\lt\b", "<"), (r"\\gt\b", ">"), (r"\\le\b", "≤"),
    (r"\\ge\b", "≥"), (r"\\text\w*\s*\{([^}]*)\}", r"\1"), (r"\\mathrm\s*\{([^}]*)\}", r"\1"),
    (r"\^\s*\{?\s*2\s*\}?", "²"), (r"_\s*\{([^}]*)\}", r" \1"), (r"\\,|\\;|\\ ", " "),
)
SUPERSCRIPT = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_SUP = re.compile(r"<sup>\s*(.*?)\s*</sup>", re.S | re.I)
_SUB = re.compile(r"<sub>\s*(.*?)\s*</sub>", re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MATH = re.compile(r"\$([^$]*)\$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Footnote marks some pages print as Unicode modifier letters ("0.724ᵃ", "1.35ᶜ")
_MODIFIER = dict(zip("ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "abcdefghijklmnoprstuvwxyz"))
_MARKS = re.compile(r"(?<=[\d)%])\s?([" + "".join(_MODIFIER) + r"](?:,?[" + "".join(_MODIFIER) + r"])*)(?![\w])")


def _sup(text: str) -> str:
    """A superscript as printed: a citation ``[7]`` goes, letters become ``^ab^``, digits
    and signs become superscript characters (``kg/m²``)."""
    text = text.strip()
    if re.fullmatch(r"\[[\d,\s\-–]+\]", text):
        return ""
    if re.fullmatch(r"[A-Za-z*#†‡§‖¶](?:[,\s]*[A-Za-z*#†‡§‖¶])*", text):   # "a", "ab", "a,d"
        return "^" + re.sub(r"[,\s]", "", text) + "^"
    return text.translate(SUPERSCRIPT)


def _math(m: re.Match) -> str:
    body = m.group(1)
    for pattern, repl in _LATEX:
        body = re.sub(pattern, repl, body)
    return body.replace("{", "").replace("}", "").replace("\\", "")


def plain(text: str) -> str:
    """``text`` as printed, without markup: ``"$\\chi^2=6.363$"`` -> ``"χ²=6.363"``,
    ``"2.83 <sup>ab</sup>"`` -> ``"2.83^ab^"``, ``"kg/m <sup>2</sup> )"`` -> ``"kg/m²)"``.

    >>> plain("68.17 $\\\\pm$ 2.83 <sup>ab</sup>")
    '68.17 ± 2.83^ab^'
    """
    # pandoc's Markdown: ^sup^, ~sub~, *emphasis*, "\ " (a non-breaking space)
    text = text.replace("\\ ", " ")
    text = re.sub(r"(?<![\\^])\^([^\s^]+)\^", lambda m: "<sup>" + m.group(1) + "</sup>", text)
    text = re.sub(r"(?<![\\~])~([^\s~]+)~", r"<sub>\1</sub>", text)
    text = re.sub(r"(?<![\\*])\*([^\s*][^*]*?)\*(?!\*)", r"\1", text)
    text = _MARKS.sub(lambda m: "<sup>" + "".join(_MODIFIER.get(c, "") for c in m.group(1)) + "</sup>", text)
    text = _SUP.sub(lambda m: "\x00" + _sup(m.group(1)), text)
    text = _SUB.sub(lambda m: " " + m.group(1), text)
    text = _MATH.sub(_math, text)
    text = _TAG.sub("", text)
    # "**" is bold, unless it is a footnote mark "^**^"
    text = re.sub(r"(?<!\^)\*\*(?!\^)", "", text).replace("\\*", "*").replace("&gt;", ">").replace("&lt;", "<")
    text = text.replace("&amp;", "&").replace("&nbsp;", " ")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    # Chinese is printed without spaces; a PDF's justified lines put some between characters
    text = re.sub(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])", "", text)
    text = re.sub(r"\s*\x00", "", text)            # a superscript sticks to what it marks
    text = re.sub(r"([(（\[])\s+", r"\1", text)
    text = re.sub(r"\s+([)）\],，;；。:：])", r"\1", text)
    return text.strip()


def cjk_share(text: str) -> float:
    """The share of Chinese characters among the letters of ``text`` (0 for none)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(bool(_CJK.match(c)) for c in letters) / len(letters)
