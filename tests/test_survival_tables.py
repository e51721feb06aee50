"""The book's survival sentences and tables say which bands the printed numbers set."""

import pytest

from analysis.ensemble.pipeline import load_or_build
from analysis.i18n import t
from analysis.survival_tables import (band, band_text, ensemble_table, hr_sentence,
                                      identification, identified_text)


@pytest.fixture(scope="module")
def data():
    return load_or_build()  # the committed data/derived files


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ensemble_table_says_what_sets_each_band(data, lang):
    table = ensemble_table(data, lang)
    col = t("book.survival.identified.column", lang)
    b = data["bands"]
    shown = b[b["quantity"].isin(["survival", "events", "hr", "rmst_diff"])
              & b["endpoint"].isin(["os", "pfs"])]
    assert len(table) == len(shown)
    pct = lambda r: f"{100 * r['width_ratio']:.0f}"
    want = {t(f"book.survival.identified.{r['identified_by']}", lang, pct=pct(r))
            for _, r in shown.iterrows()}
    assert set(table[col]) == want


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hr_sentence_sets_the_band_against_the_prior(data, lang):
    row = band(data, "os", "hr")
    text = hr_sentence(data, lang)
    assert band_text(row, lang, decimals=3) in text
    assert band_text(row, lang, decimals=3, low="prior_p05", high="prior_p95") in text
    assert f"{100 * row['width_ratio']:.0f}" in text
    assert identified_text(row, lang) != ""


def test_identification_lists_every_quantity_once(data):
    text = identification(data, "en")
    printed, prior = text.split(". Mostly the prior's: ")
    b = data["bands"]
    n = len(b[b["quantity"].isin(["survival", "events", "hr", "rmst_diff"])
              & b["endpoint"].isin(["os", "pfs"])])
    count = lambda s: 0 if s.rstrip(".").endswith("none") else s.count(", ") + 1
    # labels contain no ", " except the hazard ratio's "combination vs control"
    assert count(printed) + count(prior) - text.count("Cox hazard ratio, ") == n
