"""Reading rendered pages: visible text of HTML, text and facts of PDFs (poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

CJK = re.compile(r"[\u4e00-\u9fff]")
POPPLER_MISSING = "poppler-utils (pdftotext, pdfinfo, pdffonts) is not installed"
HAVE_POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdffonts"))


class _Visible(HTMLParser):
    """Text a reader sees: no <script>, <style> or attribute values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def book_pages(book: Path) -> list[Path]:
    """The edition's HTML pages (not the lone appendix)."""
    return sorted(p for p in book.rglob("*.html") if not p.name.startswith("appendix-")
                  and "site_libs" not in p.parts)


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout



def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout
