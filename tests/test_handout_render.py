"""The handouts and appendices of the session's one real render (conftest.rendered;
skipped with one reason without Quarto)."""

from __future__ import annotations

import re
import shutil
import subprocess

from urllib.parse import unquote

import pytest

from analysis.audit import run_audit
from analysis.present.readers import reader_findings

EDITIONS = ("en", "zh")


@pytest.fixture(scope="module")
def documents(rendered) -> dict:
    """``{(lang, "handout" | "appendix"): path}`` in the session's one render (conftest)."""
    return {(lang, doc): rendered.book(lang) / f"{doc}-{lang}.{ext}"
            for lang in EDITIONS for doc, ext in (("handout", "pdf"), ("appendix", "html"))}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (Debian poppler-utils) is not installed")
    return path


def _pdftotext(pdf, *args) -> str:
    return subprocess.run([_tool("pdftotext"), *args, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("lang", EDITIONS)
def test_handout_is_exactly_two_pages(documents, lang):
    info = subprocess.run([_tool("pdfinfo"), str(documents[(lang, "handout")])],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M), info
    assert re.search(r"A4", info) or re.search(r"595\.\d* x 841\.\d* pts", info)


@pytest.mark.parametrize("lang", EDITIONS)
def test_no_handout_page_is_half_empty(documents, lang):
    # Word boxes (pdftotext -bbox): the last line of text on each page lies in its
    # lower third, the page number aside.
    html = _pdftotext(documents[(lang, "handout")], "-bbox")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert len(pages) == 2
    for number, (_, height, body) in enumerate(pages, 1):
        words = re.findall(r'yMax="([\d.]+)">([^<]*)</word>', body)
        text = [float(y) for y, word in words if word.strip() != str(number)]
        assert max(text) > 2 / 3 * float(height), f"page {number} ends at {max(text):.0f} pt"


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_discrepant_finding_is_in_the_handout_with_its_numbers(documents, lang):
    text = re.sub(r"\s+", " ", _pdftotext(documents[(lang, "handout")]))
    found = reader_findings(run_audit(lang))
    assert found
    for f in found:
        for number in re.findall(r"\d+\.\d+", f.printed + " " + f.allowed):
            assert number in text, (f.check, number)
    assert "table3.afu" not in text and "within-subject correlation" not in text


@pytest.mark.parametrize("lang", EDITIONS)
def test_appendix_is_one_offline_file_that_prints(documents, lang):
    html = documents[(lang, "appendix")].read_text(encoding="utf-8")
    assert not re.search(r"""<(?:script|img|iframe)[^>]*\ssrc=["']https?:""", html)
    assert not re.search(r"""<link[^>]*\shref=["']https?:""", html)
    assert re.search(rf'<html[^>]*\slang="{lang}(-[A-Za-z]+)?"', html)
    # The theme's CSS is embedded as data: URLs; the print rules of tools/appendix.scss
    # must be in it.
    css = " ".join(unquote(x) for x in re.findall(r'href="data:text/css,([^"]*)"', html))
    assert re.search(r"@media print\s*\{[^@]*#quarto-margin-sidebar[^{]*\{\s*display:\s*none", css)
    assert re.search(r"@page\s*\{\s*size:\s*A4", css)
    for f in reader_findings(run_audit(lang)):
        assert f.check in html
        for number in re.findall(r"\d+\.\d+", f.printed):
            assert number in html


@pytest.mark.parametrize("lang", EDITIONS)
def test_appendix_prints_on_a4_without_navigation_or_cut_off_text(documents, lang, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium (Debian) is not installed: cannot print the appendix")
    pdf = tmp_path / "appendix.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", documents[(lang, "appendix")].as_uri()],
                   capture_output=True, check=True, timeout=300)
    html = _pdftotext(pdf, "-bbox")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert pages
    for number, (width, height, body) in enumerate(pages, 1):
        assert round(float(width)) == 595 and round(float(height)) == 842  # A4 in pt
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', body):
            assert float(x_max) <= float(width) - 20, (number, word)  # inside the right margin
    text = _pdftotext(pdf)
    toc = "Table of contents" if lang == "en" else "目录"
    assert toc not in text  # the sidebar is not printed
    for f in reader_findings(run_audit(lang)):
        assert f.check in re.sub(r"\s+", "", text)
