"""The book's survival sentences and tables say which bands the printed numbers set."""

import pytest

from analysis.ensemble.pipeline import DEFAULT_SPEC, load_or_build
from analysis.i18n import t
from analysis.present.survival import (band, band_text, ensemble_table, hr_sentence,
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
    assert band_text(band(data, "os", "hr_logrank"), lang, decimals=3) in text
    # R: p <- 53/107; exp(-sqrt(4.8625 / (107 * p * (1 - p))))  0.6528745788
    # (4.8625: the smallest χ² that prints as 4.863)
    assert "0.653" in text and "107" in text


def test_hr_all_events_is_the_printed_bound():
    from analysis.ensemble.spec import load_spec
    from analysis.ensemble.summarize import hr_all_events

    spec = load_spec(DEFAULT_SPEC)
    # R: p <- 53/107; exp(-sqrt(c(4.8625, 3.9695) / (107 * p * (1 - p))))
    #   0.6528745788 0.6802912078  (OS χ² 4.863, PFS χ² 3.970 at their lower ends)
    assert hr_all_events(spec, "os") == pytest.approx(0.6528745788, abs=5e-11)
    assert hr_all_events(spec, "pfs") == pytest.approx(0.6802912078, abs=5e-11)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_identification_lists_every_quantity_once(data, lang):
    lines = identification(data, lang).splitlines()
    assert len(lines) == 2 and all(line.startswith("- **") for line in lines)
    b = data["bands"]
    shown = b[b["quantity"].isin(["survival", "events", "hr", "rmst_diff"])
              & b["endpoint"].isin(["os", "pfs"])]
    join = t("book.survival.identified.join", lang)
    none = t("book.survival.identified.none", lang)
    for line, by in zip(lines, ("printed", "prior")):
        items = line.split("**", 2)[2].lstrip(":：").rstrip("。.").strip().split(join)
        want = (shown["identified_by"] == by).sum()
        assert len(items) == want or (want == 0 and items == [none])
