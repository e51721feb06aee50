"""A check's recomputed value as a reader sees it, at the precision the paper prints."""

from __future__ import annotations

import math

from ..i18n import check_lang, t
from ..printed import parse_printed

__all__ = ["recomputed_text", "record_text"]

# How a statistic is named in front of its recomputed value (percentages and counts go
# unnamed: the column they sit in says what they are; "n" is a group's size, not a count).
_SYMBOL = {"chi2": "χ²", "percent": "", "count": ""}



def _fixed(x: float, decimals: int) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:.{decimals}f}"
    return "0" if decimals == 0 and text == "-0" else text



def _p(x: float, decimals: int) -> str:
    """A P value as papers print it: below the last printed digit it is ``<0.001``."""
    floor = 10.0 ** -decimals
    return f"<{floor:.{decimals}f}" if x < floor else _fixed(x, decimals)



def recomputed_text(recomputed, *, reported: str = "", quantity: str = "",
                    recomputed_as: str = "", verdict: str = "", method: str = "", lang: str) -> str:
    """A check's recomputed value for a reader, at the precision the paper prints.

    Parameters
    ----------
    recomputed : float, [low, high] or None
        As the audit's ``to_frame()``/JSON gives it; a range is what the rounding
        intervals of the printed inputs allow.
    reported : str
        The printed value; its decimals set the recomputed value's (a printed
        ``0.223`` shows ``0.206 to 0.242``), so a reader sees whether it rounds to print.
    quantity : str
        The check's statistic (``t``, ``P``, ``chi2``, ...), shown before the value.
    recomputed_as : str
        What the number is when it is not the printed quantity (``p``,
        ``r_threshold``, ``r_implied``, ``f_ratio``); it is then named by the catalog
        and shown to 3 decimals (P values, correlations) or 2 (F ratios).
    verdict, method : str
        The audit's verdict and the method that reproduced the value. A reproduced value
        that does not show the printed one at its precision says why the audit accepted it
        (never "81.2" beside a printed 81.3 as if they agreed): a signed print compared by
        magnitude is named ``|t|``; a value on the edge of the printed rounding interval
        (81.25 for 81.3) shows one more decimal and says so; a value another method gives
        (the check's recomputed number is the primary method's) names that method.
    lang : {"en", "zh"}

    Returns
    -------
    str
        e.g. ``"t = 0.206 to 0.242"``, ``"P <0.001"``, ``"implied r = -0.971 to -0.956"``,
        ``"—"`` when nothing was recomputed, and words for a correlation threshold
        outside [-1, 1] ("significant whatever the correlation").
    """
    check_lang(lang)
    if recomputed is None or (isinstance(recomputed, float) and math.isnan(recomputed)):
        return "—"
    lo, hi = (float(v) for v in recomputed) if isinstance(recomputed, (list, tuple)) \
        else (float(recomputed),) * 2
    try:
        printed = parse_printed(reported)
    except ValueError:  # letters, dates, "P>0.05": no printed precision to follow
        printed = None
    if recomputed_as in ("p", "r_threshold", "r_implied"):
        decimals = 3
    elif recomputed_as == "f_ratio":
        decimals = 2
    elif printed is None:
        decimals = 3  # a composite print ("0.33 (0.17–0.65)") has no one precision either
    else:
        decimals = printed.decimals
    if recomputed_as == "r_threshold" and (hi < -1 or lo > 1):
        # A threshold outside [-1, 1] is no correlation: the comparison is (or is not)
        # significant whatever the within-patient correlation.
        return t("audit.r_threshold.any" if hi < -1 else "audit.r_threshold.none", lang)
    is_p = recomputed_as == "p" or (not recomputed_as and quantity == "P")
    name = t(f"audit.recomputed_as.{recomputed_as}", lang) if recomputed_as \
        else _SYMBOL.get(quantity, quantity)
    why = ""
    if verdict == "reproduced" and printed is not None and not recomputed_as and printed.relation == "=":
        if printed.value < 0 <= lo:
            # the audit compares a two-sided statistic's magnitude; its sign is a check of its own
            printed, name = printed.magnitude(), f"|{name}|" if name else name
        shown = _shown(lo, hi, decimals, is_p)
        if not _between(shown, printed.value):
            edges = printed.interval
            if any(abs(x - e) <= 1e-9 * max(1.0, abs(e)) for x in (lo, hi) for e in edges):
                decimals += 1          # 81.25 for a printed 81.3: it rounds either way
                why = t("audit.shown.edge", lang)
            elif method:
                why = t("audit.shown.other_method", lang, method=t(f"audit.method.{method}", lang))
    a, b = _shown(lo, hi, decimals, is_p)
    value = a if a == b else t("audit.range", lang, lo=a, hi=b)
    if name:
        value = f"{name} {value}" if value.startswith("<") else f"{name} = {value}"
    return value + why


def _shown(lo: float, hi: float, decimals: int, is_p: bool) -> tuple[str, str]:
    """The two ends as printed at ``decimals`` (a P below the last digit as ``<0.001``)."""
    return (_p(lo, decimals), _p(hi, decimals)) if is_p else (_fixed(lo, decimals), _fixed(hi, decimals))


def _between(shown: tuple[str, str], value: float) -> bool:
    """Whether the printed value lies within the ends as shown (``<0.001`` spans 0 to 0.001)."""
    (lo, *_), (*_, hi) = ((0.0, float(x[1:])) if x.startswith("<") else (float(x.replace("∞", "inf")),) * 2
                          for x in shown)
    return lo <= value <= hi



def record_text(rec: dict, lang: str) -> str:
    """:func:`recomputed_text` of one row of the audit's ``to_frame()``."""
    return recomputed_text(rec["recomputed"], reported=str(rec["reported"]),
                           quantity=str(rec["statistic"]),
                           recomputed_as=str(rec.get("recomputed_as") or ""),
                           verdict=str(rec.get("verdict") or ""), method=str(rec.get("method") or ""),
                           lang=lang)

