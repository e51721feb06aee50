"""Reading rendered pages: visible text of HTML, text and facts of PDFs (poppler-utils), the
texts a matplotlib figure cuts off, and whether printed labels reached a page whole."""

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


def cut_texts(fig) -> list[str]:
    """The texts of a drawn matplotlib figure that reach past its edges (1 px slack for
    anti-aliasing): what a PNG of it would cut off ("andard chemotherapy")."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    out = []
    for text in fig.findobj(Text):
        if text.get_text().strip() and text.get_visible():
            box = text.get_window_extent(renderer)
            if box.x0 < page.x0 - 1 or box.x1 > page.x1 + 1 or box.y0 < page.y0 - 1 or box.y1 > page.y1 + 1:
                out.append(text.get_text())
    return out


def missing_labels(labels, page_text: str) -> list[str]:
    """The ``labels`` a page's text does not hold whole. Spaces and line breaks are ignored
    (a PDF wraps a long label over lines, pdftotext lays columns side by side), and a
    label cut with "…" counts by what it kept; Pandoc's curly apostrophe is a straight one."""
    def flat(text: str) -> str:
        return "".join(text.split()).replace("’", "'")

    page = flat(page_text)
    return [label for label in labels if flat(label.removesuffix("…")) not in page]

