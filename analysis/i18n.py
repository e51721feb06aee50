"""The bilingual string catalog (``catalog.toml``) and the current edition's language.

Every user-facing string, in both languages, lives in ``catalog.toml`` under a
language-neutral key such as ``arm.combination``. Code asks for ``t("arm.combination",
lang)``; a missing key or a key without both languages is an error, and a test
checks every key used in the code against the catalog.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

__all__ = ["LANGS", "t", "catalog", "current_lang", "check_lang"]

LANGS = ("en", "zh")
_CATALOG = Path(__file__).with_name("catalog.toml")


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, val in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(val, dict) and set(val) & set(LANGS) and all(isinstance(v, str) for v in val.values()):
            out[full] = val
        elif isinstance(val, dict):
            out.update(_flatten(val, full))
        else:
            raise ValueError(f"{_CATALOG.name}: key {full!r} must hold 'en' and 'zh' strings")
    return out


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All entries, ``{key: {"en": ..., "zh": ...}}``."""
    with _CATALOG.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def current_lang() -> str:
    """The edition being built: ``zh`` when the Quarto profile says so, else ``en``.

    Quarto passes the active profile to Python cells as ``QUARTO_PROFILE``
    (possibly a comma-separated list).
    """
    profiles = os.environ.get("QUARTO_PROFILE", "").replace(" ", "").split(",")
    return "zh" if "zh" in profiles else "en"


def t(key: str, lang: str | None = None, /, **fields) -> str:
    """The catalog string for ``key`` in ``lang`` (default: the current edition).

    Keyword arguments fill ``{placeholders}`` with ``str.format``.
    """
    lang = check_lang(lang or current_lang())
    try:
        entry = catalog()[key]
    except KeyError:
        raise KeyError(f"no string {key!r} in {_CATALOG.name}") from None
    try:
        text = entry[lang]
    except KeyError:
        raise KeyError(f"string {key!r} has no {lang!r} text in {_CATALOG.name}") from None
    return text.format(**fields) if fields else text
