"""Read a paper file into a :class:`~analysis.draft.document.Document`.

One reader per format, each built on the library that parses it (``markdown-it-py`` for
pipe tables, ``lxml`` for HTML and JATS, ``python-docx`` for Word, ``pdfplumber`` for a
born-digital PDF); they differ only in how they find paragraphs and table cells. Captions
and table notes are attached the same way for all (:func:`_attach_captions`).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .document import Document, Paragraph, Table
from .markup import plain

__all__ = ["read_paper", "FORMATS"]

FORMATS = {".md": "text", ".markdown": "text", ".txt": "text", ".qmd": "text",
           ".html": "html", ".htm": "html", ".xhtml": "html", ".xml": "html",
           ".docx": "docx", ".pdf": "pdf"}
CAPTION = re.compile(r"^\s*(?:Tab(?:le)?\.?\s*(\d+)|表\s*(\d+))(?=[\s.:：,，]|$)", re.I)
NOTE = re.compile(r"^\s*(?:Notes?\b|注[:：]?|Abbreviations?\b|\^?[a-z*]\^?\s*P\s*[<>])", re.I)


def read_paper(path) -> Document:
    """Read ``path`` by its suffix (``FORMATS``).

    Raises
    ------
    InputError
        For an unknown suffix, a file that cannot be read as its format, or a PDF without
        a text layer (a scan: the draft does not do OCR).
    """
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"cannot read a {path.suffix or 'suffix-less'} file as a paper; "
                         f"give one of {', '.join(sorted(FORMATS))}", file=path)
    if not path.is_file():
        raise InputError("no such file", file=path)
    reader = {"text": _read_text, "html": _read_html, "docx": _read_docx, "pdf": _read_pdf}[kind]
    blocks, remarks = reader(path)
    return Document(path=str(path), blocks=tuple(_attach_captions(blocks)), remarks=tuple(remarks))


# ---- Markdown and plain text -------------------------------------------------------------

_HEADING = re.compile(r"^#{1,6}\s+")


def _read_text(path: Path):
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (byte {err.start}); save the file as UTF-8", file=path) from None
    blocks, i = [], 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        start = i
        if "\t" in line:                                   # a tab-separated table
            while i < len(lines) and "\t" in lines[i]:
                i += 1
            rows = [tuple(plain(c) for c in row.split("\t")) for row in lines[start:i]]
            blocks.append(Table(caption="", rows=_rectangular(rows), where=f"line {start + 1}",
                                row_where=tuple(f"line {k + 1}" for k in range(start, i))))
            continue
        if line.lstrip().startswith("|"):                  # a Markdown pipe table
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                i += 1
            rows = _pipe_rows("\n".join(lines[start:i]))
            lines_of_rows = [f"line {k + 1}" for k in range(start, i)
                             if not re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", lines[k])]
            blocks.append(Table(caption="", rows=_rectangular(rows), where=f"line {start + 1}",
                                row_where=tuple(lines_of_rows)))
            continue
        heading = bool(_HEADING.match(line))
        if heading:                                        # a heading is its own block
            i += 1
        else:
            while i < len(lines) and lines[i].strip() and "\t" not in lines[i] \
                    and not lines[i].lstrip().startswith("|") and not _HEADING.match(lines[i]):
                i += 1
        text = plain(_HEADING.sub("", " ".join(lines[start:i])))
        if text:
            blocks.append(Paragraph(text=text, where=f"line {start + 1}", heading=heading))
    return blocks, []


def _pipe_rows(text: str) -> list[tuple[str, ...]]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows, row = [], None
    for tok in tokens:
        if tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append(plain(tok.content))
        elif tok.type == "tr_close":
            rows.append(tuple(row))
            row = None
    return rows


def _rectangular(rows) -> tuple[tuple[str, ...], ...]:
    width = max((len(r) for r in rows), default=0)
    return tuple(tuple(r) + ("",) * (width - len(r)) for r in rows)


# ---- HTML and JATS -----------------------------------------------------------------------

def _read_html(path: Path):
    from lxml import etree, html

    data = path.read_bytes()
    jats = path.suffix.lower() == ".xml"
    if not jats:
        # a saved article page is UTF-8 unless it declares otherwise; lxml alone guesses Latin-1
        declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
        data = data.decode(declared.group(1).decode() if declared else "utf-8", errors="replace")
    try:
        root = etree.fromstring(data) if jats else html.fromstring(data)
    except (etree.XMLSyntaxError, etree.ParserError) as err:
        raise InputError(f"cannot parse as {'XML' if jats else 'HTML'}: {err}", file=path) from None
    for el in root.iter("script", "style", "nav", "header", "footer"):
        el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)
    blocks = []
    para_tags = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "title", "caption", "figcaption"}

    def text_of(el) -> str:
        # keep sup/sub markup for plain(): serialize the element's inner HTML
        inner = (el.text or "") + "".join(etree.tostring(c, encoding="unicode", with_tail=True)
                                          for c in el)
        return plain(re.sub(r"\s+", " ", inner))

    def walk(el):
        tag = el.tag.split("}")[-1].lower() if isinstance(el.tag, str) else ""
        if tag == "table":
            rows = []
            for tr in el.iter("{*}tr", "tr"):
                row = []
                for cell in tr:
                    ctag = cell.tag.split("}")[-1].lower() if isinstance(cell.tag, str) else ""
                    if ctag in ("td", "th"):
                        row.append(text_of(cell))
                        row.extend([""] * (int(cell.get("colspan", "1") or 1) - 1))
                rows.append(tuple(row))
            caption = el.find(".//caption")
            line = getattr(el, "sourceline", None)
            blocks.append(Table(caption=text_of(caption) if caption is not None else "",
                                rows=_rectangular(rows), where=f"line {line}" if line else "table"))
            return
        if tag in para_tags or (jats and tag in {"p", "title", "label"}):
            text = text_of(el)
            if text:
                line = getattr(el, "sourceline", None)
                blocks.append(Paragraph(text=text, where=f"line {line}" if line else tag,
                                        heading=tag.startswith("h") or tag == "title"))
            return
        for child in el:
            walk(child)

    walk(root)
    return blocks, []


# ---- Word --------------------------------------------------------------------------------

def _read_docx(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as err:
        raise InputError(f"not a Word .docx file ({err})", file=path) from None

    def runs_text(paragraph) -> str:
        parts = []
        for run in paragraph.runs:
            text = run.text
            if run.font.superscript:
                text = f"<sup>{text}</sup>"
            elif run.font.subscript:
                text = f"<sub>{text}</sub>"
            parts.append(text)
        # math (OMML) and hyperlinks are not runs: fall back to the paragraph's full text
        joined = "".join(parts)
        return joined if len(joined.strip()) >= len(paragraph.text.strip()) else paragraph.text

    blocks, n_par, n_tab = [], 0, 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            n_par += 1
            text = plain(runs_text(item))
            if text:
                style = (item.style.name or "").lower() if item.style is not None else ""
                blocks.append(Paragraph(text=text, where=f"paragraph {n_par}",
                                        heading=style.startswith(("heading", "title"))))
        elif isinstance(item, DocxTable):
            n_tab += 1
            rows = []
            for r, row in enumerate(item.rows):
                cells, previous = [], None
                for cell in row.cells:
                    # a merged cell repeats its object across the span: print it once
                    cells.append("" if cell._tc is previous else
                                 plain(" ".join(runs_text(p) for p in cell.paragraphs)))
                    previous = cell._tc
                rows.append(tuple(cells))
            blocks.append(Table(caption="", rows=_rectangular(rows), where=f"table {n_tab}",
                                row_where=tuple(f"table {n_tab}, row {r + 1}" for r in range(len(rows)))))
    return blocks, []


# ---- PDF ---------------------------------------------------------------------------------

def _read_pdf(path: Path):
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    blocks, remarks = [], []
    try:
        pdf = pdfplumber.open(str(path))
    except (PDFSyntaxError, ValueError) as err:
        raise InputError(f"not a readable PDF ({err})", file=path) from None
    with pdf:
        chars = sum(len(page.chars) for page in pdf.pages)
        if chars == 0:
            raise InputError("this PDF has no text layer (a scan?); the draft reads born-digital "
                             "PDFs only: run OCR first or give the Word/HTML version", file=path)
        for number, page in enumerate(pdf.pages, start=1):
            found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
            if not found:
                found = page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "lines"})
            boxes = [t.bbox for t in found]

            def outside(obj, boxes=boxes):
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            items = []
            for table in found:
                rows = [tuple(plain(c or "") for c in row) for row in table.extract()]
                rows = [r for r in rows if any(r)]
                if rows:
                    items.append((table.bbox[1], Table(
                        caption="", rows=_rectangular(rows),
                        where=f"page {number}, bbox {tuple(round(v) for v in table.bbox)}")))
            text_page = page.filter(outside)
            lines = text_page.extract_text_lines(layout=False, strip=True)
            para, top, last_bottom = [], None, None
            for ln in lines:
                gap = None if last_bottom is None else ln["top"] - last_bottom
                height = ln["bottom"] - ln["top"]
                if para and gap is not None and gap > 0.6 * height:
                    items.append((top, Paragraph(text=plain(" ".join(para)),
                                                 where=f"page {number}, y={round(top)}")))
                    para, top = [], None
                if top is None:
                    top = ln["top"]
                para.append(ln["text"])
                last_bottom = ln["bottom"]
            if para:
                items.append((top, Paragraph(text=plain(" ".join(para)), where=f"page {number}, y={round(top)}")))
            items.sort(key=lambda pair: pair[0])
            blocks.extend(block for _, block in items)
    return blocks, remarks


# ---- shared ------------------------------------------------------------------------------

def _attach_captions(blocks):
    """A caption paragraph ("Table 2 ...", "Tab.2 ...", "表2 ...") just before a table becomes
    its caption; a "Note:"/"注:" paragraph just after it becomes its note. A Chinese original
    prints "表2" and then "Tab.2": the first caption is kept and the second dropped."""
    out = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Paragraph) and CAPTION.match(block.text):
            j = i
            captions = []
            while j < len(blocks) and isinstance(blocks[j], Paragraph) and CAPTION.match(blocks[j].text) \
                    and len(captions) < 2:
                captions.append(blocks[j])
                j += 1
            if j < len(blocks) and isinstance(blocks[j], Table) and not blocks[j].caption:
                table = blocks[j]
                note = ""
                k = j + 1
                if k < len(blocks) and isinstance(blocks[k], Paragraph) and NOTE.match(blocks[k].text):
                    note = blocks[k].text
                    k += 1
                out.append(Table(caption=captions[0].text, rows=table.rows, where=table.where,
                                 note=note, row_where=table.row_where))
                i = k
                continue
        if isinstance(block, Table) and i + 1 < len(blocks) and isinstance(blocks[i + 1], Paragraph) \
                and NOTE.match(blocks[i + 1].text):
            out.append(Table(caption=block.caption, rows=block.rows, where=block.where,
                             note=blocks[i + 1].text, row_where=block.row_where))
            i += 2
            continue
        out.append(block)
        i += 1
    return out
