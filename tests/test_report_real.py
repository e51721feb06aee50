"""``report`` on two real published reports of the corpus, drafted and left as drafted (their
drafts match the hand-confirmed transcriptions: 0 and 2 edits): the appendix and handout read
as written for that paper (issue #30). Every finding names a row its paper prints, no
sentence repeats a symbol ("P = P") or shows a raw key, nothing speaks of the seed paper's
book or data folder, and the handout is one or two pages. One real render per article, skipped
with one reason without Quarto."""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest

from conftest import QUARTO_MISSING
from harness import PROJECT_ROOT
from analysis.appendix import appendix_metadata, handout_metadata
from analysis.i18n import t
from analysis.present.findings import key_findings
from pages import HAVE_POPPLER, POPPLER_MISSING, missing_labels, pdf_text, visible_text

CORPUS = PROJECT_ROOT / "benchmarks" / "corpus"
# two English reports and a Chinese one, each in the language it is printed in
ARTICLES = {"wjgs-2026-120732": "en", "pmc-11529306": "en", "zgqkyx-2025-8612": "zh"}
# the seed paper's words, which another paper's pages must not carry
SEED = re.compile(r"\bbook\b|\bCai\b|sorafenib|TACE|data/raw|本书|蔡佳梦|索拉非尼")


def _run(*args, cwd=PROJECT_ROOT) -> None:
    done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "analysis", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def real_reports(tmp_path_factory) -> dict:
    """``{article: (data folder, report folder)}``."""
    if shutil.which("quarto") is None:
        pytest.skip(QUARTO_MISSING)
    out = {}
    for name in ARTICLES:
        folder = tmp_path_factory.mktemp(name)
        _run("draft", CORPUS / name / "paper.md", "--out", folder / "data")
        _run("report", "--data-dir", folder / "data", "--out", folder / "out")
        out[name] = (folder / "data", folder / "out" / ARTICLES[name])
    return out


def _handout(out) -> str:
    if not HAVE_POPPLER:
        pytest.skip(POPPLER_MISSING)
    return pdf_text(out / "handout.pdf")


def _printed_labels(data) -> set[str]:
    labels = set()
    for csv in data.glob("*/*.csv"):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        labels |= set(frame["row_label"]) | set(frame["column_label"])
    return {re.sub(r"\s+", " ", label).strip() for label in labels}


@pytest.mark.parametrize("name", ARTICLES)
def test_the_handout_is_one_or_two_pages_and_reads_as_this_papers(real_reports, name):
    data, out = real_reports[name]
    handout = _handout(out)
    assert 1 <= handout.count("\f") <= 2                                  # pdftotext ends each page with \f
    text = re.sub(r"\s+", " ", handout)
    assert not SEED.search(text), SEED.search(text)
    assert not re.search(r"\b(P|χ²|t|Z|F) = \1\b", text)                   # "P = P>0.05"
    assert not re.search(r"[{}`]|\b\w+/\w+/|\btable\d\.", text), text     # a key or a check id
    # every finding names a row (or a column heading) its paper prints
    quoted = re.findall(r"“([^”]+)”", text)
    assert quoted
    labels = _printed_labels(data)
    for label in quoted:
        assert label in labels or (label.endswith("…") and any(x.startswith(label[:-1]) for x in labels)), label


@pytest.mark.parametrize("name", ARTICLES)
def test_the_appendix_speaks_of_this_paper_only(real_reports, name):
    _, out = real_reports[name]
    text = visible_text(out / "appendix.html")
    assert not SEED.search(text), SEED.search(text)[0]
    assert not re.search(r"\b(P|χ²|t|Z|F) = \1\b", text)
    assert not re.search(r"\b\w+/\w+/+\w*", text), re.search(r"\b\w+/\w+/+\w*", text)[0]
    assert t("book.colophon.data_folder", ARTICLES[name]) in text    # the fingerprint's folder


def test_each_discrepancy_of_a_real_paper_is_told_once(real_reports):
    """wjgs-2026-120732's three χ² that its counts contradict carry the P printed with them
    (one finding each), and its test rows under 'Total complications' are told by that row."""
    _, out = real_reports["wjgs-2026-120732"]
    text = re.sub(r"\s+", " ", _handout(out))
    assert text.count("follows from this value and is wrong with it") == 3
    assert "for “Total complications”" in text and "for “χ2”" not in text


def test_the_appendix_lists_what_was_left_unchecked_by_printed_row(real_reports):
    """pmc-11529306's draft leaves its columns of percentages of all cases unchecked: the
    appendix says why and names them by their printed row and column, never by a key."""
    data, out = real_reports["pmc-11529306"]
    text = visible_text(out / "appendix.html")
    assert "What was left unchecked, and why" in text
    assert "“Male” (WNT7B Low (%)): 18.9%" in text
    assert "table1/" not in text


@pytest.mark.parametrize("name", ARTICLES)
def test_nothing_the_handout_and_appendix_mean_to_print_is_cut_off(real_reports, name):
    """Issue #30: an at-risk label came out as "andard chemotherapy" (the figure's own check is
    tests/test_figure1.py). Every label the pages mean to print reaches them whole: the title,
    each finding's quoted row, where it is printed, the printed value and what the printed
    inputs allow, in the PDF's text (pdftotext) and the appendix's visible text."""
    data, out = real_reports[name]
    lang = ARTICLES[name]
    found = key_findings(lang, data_dir=data).findings
    assert found
    labels = [label for f in found for label in (*re.findall(r"“([^”]+)”", f.sentence), f.where, f.printed,
                                                 f.allowed)]
    assert not missing_labels([handout_metadata(lang, data_dir=data)["title"], *labels], _handout(out))
    appendix = visible_text(out / "appendix.html")
    assert not missing_labels([appendix_metadata(lang, data_dir=data)["title"], *labels,
                               *(f.sentence for f in found), *(f.title for f in found)], appendix)



# ---------------------------------------------------------------------------------------
# A new user's report with nothing discrepant (issue #30), as a reader sees its pages


def test_a_report_with_nothing_discrepant_reads_as_such(newuser_report):
    """Its appendix said "checks every statistic ... 0 are discrepant ... The discrepant
    findings follow ..." with 12 values unchecked and no finding; its check list showed a total
    of parts as "n = 43" and a t note "(at the printed values 0.125)" beside a printed 0.125."""
    text = visible_text(newuser_report / "appendix.html")
    assert "checks 38 of the values printed in" in text and "12 other printed values were left unchecked" in text
    assert "every statistic" not in text and "0 are discrepant" not in text
    assert "discrepant findings follow" not in text and "The complete check list follows." in text
    assert "n = 43" not in text and "n = 37" not in text
    assert "at the printed values" not in text
    assert "computed from the means and SDs as printed, |t| = 0.125." in text
    handout = _handout(newuser_report)
    assert 1 <= handout.count("\f") <= 2
    assert not SEED.search(re.sub(r"\s+", " ", handout))


def test_a_rebuilt_table_of_a_real_report_reads_as_printed(newuser_report):
    """Exported Table 1 had 'Total effective rate' before 'Not effective' and 'n = 37; 82.22';
    Table 3 had lost its letters ('5 (11.11)a' printed, '5 (11.11)' exported)."""
    table1 = pd.read_csv(newuser_report / "table-1.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(table1.columns)[4:7] == ["Effective", "Not effective", "Total effective rate"]
    assert "37; 82.22" in set(table1["Recomputed"])
    table3 = pd.read_csv(newuser_report / "table-3.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert set(table3["Grade 1 Post-treatment, %"]) == {"5 (11.11) a", "0 (0) ab"}
    html = (newuser_report / "table-3.html").read_text(encoding="utf-8")
    assert "0 (0) ab" in html or "0 (0)<sup>ab</sup>" in html
