"""Language-neutral keys from printed labels: ``"Total bilirubin (μmol/L)"`` -> ``total_bilirubin``,
``"≤200 ng/mL"`` -> ``le200_ng_ml``. A label with no Latin letters or digits (a Chinese
label) gives no key; the caller falls back to a positional key (``r3``) or, for a bilingual
paper, to the English version's key for the same place."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slug", "distinct_slugs", "level_slug", "strip_n", "is_format", "unique"]

_RELATIONS = (("≤", " le "), ("≥", " ge "), ("<", " lt "), (">", " gt "), ("＜", " lt "),
              ("＞", " gt "), ("%", " pct "), ("+", " plus "))
_UNIT = re.compile(r"\s*[(（\[][^()（）\[\]]*[)）\]]\s*")
_N_IN_LABEL = re.compile(r"[(（\[]?\s*(?:n|N|例数)\s*[=＝]\s*\d+\s*[)）\]]?|[(（]\s*\d+\s*例\s*[)）]")


# what a column or row prints, announced after its name: "Control group N (%)", "Sex, n (%)",
# "Intervention group Mean ± SD", "Symptom duration, M [IQR]", "对照组 例(%)"
_FORMAT_IN_LABEL = re.compile(
    r"[,，;；]?\s*(?:(?:[nN]|例|No\.)\s*[(（\[]\s*%\s*[)）\]]|[mM]ean\s*(?:±|\+/-)\s*SD|[mM]ean\s*[(（\[]\s*SD\s*[)）\]]"
    r"|(?:M|[mM]edian)\s*[(（\[]\s*IQR\s*[)）\]]|x̄\s*±\s*s)\s*$")


def is_format(label: str) -> bool:
    """Whether ``label`` only announces what a column prints (``"n (%)"``, ``"Mean ± SD"``)."""
    # after a stand-in name, the label is the format's whole text when nothing else remains
    return bool(label.strip()) and _FORMAT_IN_LABEL.sub("", "x " + label.strip()).strip(" ,，;；") == "x"


def strip_n(label: str) -> str:
    """``"Combined group (n=53)"`` -> ``"Combined group"``; ``"Control group N (%)"`` ->
    ``"Control group"`` (what a column prints is not part of its group's name)."""
    label = _N_IN_LABEL.sub("", label).strip()
    return _FORMAT_IN_LABEL.sub("", label).strip() or label    # "n (%)" alone is a column's name


def _ascii_words(text: str, limit: int) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    return "_".join(words[:limit])


def slug(label: str, *, limit: int = 4) -> str:
    """An item key from a row or column label: units in parentheses and ``(n=…)`` dropped,
    lower-case ASCII words joined by ``_``, at most ``limit`` words."""
    text = strip_n(label)
    bare = _UNIT.sub(" ", text)
    return _ascii_words(bare if bare.strip() else text, limit)


_STOP = {"and", "or", "of", "with", "the", "in", "at", "to", "for", "a", "an", "by", "on"}


def distinct_slugs(labels, *, limit: int = 4, key=None) -> dict[str, str]:
    """``{label: key}`` by ``key`` (default :func:`slug`; :func:`level_slug` for levels), where
    labels that share their first ``limit`` words keep the words that tell them apart:
    "Frenchay Dysarthria Assessment Scale scoring Pre-treatment" and "... Post-treatment" ->
    ``frenchay_dysarthria_assessment_scale_pre`` and ``..._post``, not a key and its ``_2``."""
    key_of = key or slug
    keys = {label: key_of(label, limit=limit) for label in dict.fromkeys(labels)}
    groups: dict[str, list[str]] = {}
    for label, key in keys.items():
        if key:
            groups.setdefault(key, []).append(label)
    for key, same in groups.items():
        if len(same) < 2:
            continue
        tails = {label: key_of(label, limit=99).split("_")[limit:] for label in same}
        shared = set.intersection(*(set(t) for t in tails.values()))
        for label, tail in tails.items():
            extra = [w for w in tail if w not in shared and w not in _STOP][:2]
            if extra:
                keys[label] = "_".join([key, *extra])
    return keys


def level_slug(label: str, *, limit: int = 3) -> str:
    """A level key: relations spelled out (``"≥3 cm"`` -> ``ge3_cm``), digits kept."""
    text = strip_n(label)
    for sign, word in _RELATIONS:
        text = text.replace(sign, word)
    text = re.sub(r"(?<=\b[a-z]{2}) (?=\d)", "", text)  # "ge 3" -> "ge3"
    key = _ascii_words(text, limit)
    return re.sub(r"\b(le|ge|lt|gt)_(\d)", r"\1\2", key)


def unique(key: str, taken: set) -> str:
    """``key``, or ``key_2``, ``key_3``… when already taken; the result is added to ``taken``."""
    out, k = key, 2
    while out in taken:
        out = f"{key}_{k}"
        k += 1
    taken.add(out)
    return out
