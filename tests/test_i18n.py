"""The string catalog: both languages for every key, and every key the code uses exists."""

from __future__ import annotations

import re

import pytest

from analysis.i18n import LANGS, catalog, current_lang, t
from harness import PROJECT_ROOT

# t("key", ...) calls with a literal key, in the package and the chapters.
_CALL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.\-]+)["']""")


def test_every_entry_has_both_languages():
    for key, entry in catalog().items():
        for lang in LANGS:
            assert entry.get(lang, "").strip(), f"{key!r} has no {lang} text"


def test_every_key_used_in_code_and_chapters_exists():
    files = [*PROJECT_ROOT.glob("analysis/**/*.py"), *PROJECT_ROOT.glob("*.qmd"),
             *PROJECT_ROOT.glob("chapters/*.qmd")]
    used = {(f.name, key) for f in files for key in _CALL.findall(f.read_text(encoding="utf-8"))}
    missing = sorted((name, key) for name, key in used if key not in catalog())
    assert not missing, f"keys used but not in catalog.toml: {missing}"


def test_placeholders_match_between_languages():
    for key, entry in catalog().items():
        fields = {lang: set(re.findall(r"\{(\w*)", entry[lang])) for lang in LANGS}
        assert fields["en"] == fields["zh"], f"{key!r}: placeholders differ {fields}"


def test_lookup_and_errors(monkeypatch):
    assert t("arm.control", "zh") == "对照组"
    monkeypatch.setenv("QUARTO_PROFILE", "zh")
    assert current_lang() == "zh" and t("arm.control") == "对照组"
    monkeypatch.setenv("QUARTO_PROFILE", "en")
    assert t("arm.control") == "Control group"
    with pytest.raises(KeyError, match="no string 'arm.placebo'"):
        t("arm.placebo", "en")
    with pytest.raises(ValueError, match="lang must be one of"):
        t("arm.control", "fr")
