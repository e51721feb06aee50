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
# "Table 2", "Tab.2", "表2", and a table continued from an earlier page: "续表1", "(续表 2)",
# "Continued tab 1"
CAPTION = re.compile(r"^\s*[(（]?\s*(?:续\s*|continued\s+)?(?:Tab(?:le)?\.?\s*(\d+)|表\s*(\d+))(?=[\s.:：,，)）]|$)",
                     re.I)
NOTE = re.compile(r"^\s*(?:Notes?\b|注[:：]?|Abbreviations?\b|\^?[a-z*]\^?\s*P\s*[<>])", re.I)
# the further paragraphs of a table's note: footnotes by their marks ("^a^P values were derived
# from Fisher's exact test", "*Results from Fisher's exact test"), "Data are mean ± SD"
_MORE_NOTE = re.compile(r"^\s*(?:\^[^^]{1,4}\^|[*†‡§‖¶#]|(?:Data|Values|All values|Results|Abbreviations?)\b)", re.I)


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
    blocks = tuple(_attach_captions(blocks))
    return Document(path=str(path), blocks=blocks, remarks=tuple(remarks),
                    title=_title_of(path, blocks) if kind != "pdf" else "")


def _title_of(path: Path, blocks) -> str:
    """The paper's title: a Markdown file's front-matter ``title``, else its first heading that
    is no section, abstract or table caption; "" where the only candidate is a table's caption
    (a file that holds a table alone may name itself by it: "Table 1 Comparison of ...")."""
    captions = {_bare_caption(b.caption) for b in blocks if isinstance(b, Table) and b.caption}
    captions |= {_bare_caption(a.text) for a, b in zip(blocks, blocks[1:])
                 if isinstance(a, Paragraph) and isinstance(b, Table)}

    def is_title(text: str) -> bool:
        return bool(text) and not CAPTION.match(text) and _bare_caption(text) not in captions

    if path.suffix.lower() in (".md", ".qmd"):
        head = path.read_text(encoding="utf-8-sig").split("\n", 40)
        if head and head[0].strip() == "---":
            for line in head[1:]:
                if line.strip() in ("---", "..."):
                    break
                m = re.match(r"title:\s*[\"']?(.*?)[\"']?\s*$", line)
                if m and is_title(m.group(1)):
                    return m.group(1)
    for block in blocks:
        if isinstance(block, Paragraph) and block.heading and 10 <= len(block.text) <= 250 \
                and not re.match(r"\s*(?:\d|abstract|summary|摘\s*要|tab(?:le)?\b|表)", block.text, re.I) \
                and is_title(block.text):
            return block.text
    return ""


def _bare_caption(text: str) -> str:
    """A caption's words without its number, footnote marks, case, spacing or closing stop."""
    text = re.sub(r"\^[^^]{1,6}\^|[⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈ*†‡§‖¶]+", "", CAPTION.sub("", text, count=1))
    return " ".join(text.lower().split()).strip(" .:：。")


# ---- Markdown and plain text -------------------------------------------------------------

_HEADING = re.compile(r"^#{1,6}\s+")


def _read_text(path: Path):
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (byte {err.start}); save the file as UTF-8", file=path) from None
    blocks, i = [], 0
    if lines and lines[0].strip() == "---":              # YAML front matter (Quarto, pandoc): not the paper's text
        end = next((k for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), None)
        i = end + 1 if end is not None else 0
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
            below = {}   # column -> [rows still spanned, text]: a rowspan cell fills them, as Word does
            for tr in el.iter("{*}tr", "tr"):
                row = []

                def spanned():
                    while len(row) in below:
                        left = below[len(row)]
                        row.append(left[1])
                        left[0] -= 1
                        if left[0] == 0:
                            del below[len(row) - 1]

                for cell in tr:
                    ctag = cell.tag.split("}")[-1].lower() if isinstance(cell.tag, str) else ""
                    if ctag in ("td", "th"):
                        spanned()
                        text, wide = text_of(cell), int(cell.get("colspan", "1") or 1)
                        tall = int(cell.get("rowspan", "1") or 1)
                        for k in range(wide):
                            if tall > 1:
                                below[len(row)] = [tall - 1, text if k == 0 else ""]
                            row.append(text if k == 0 else "")
                spanned()
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
        return _docx_inline(paragraph._p)

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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"


def _docx_inline(element) -> str:
    """A Word paragraph's text in reading order, as markup :func:`plain` reads: superscript
    runs as ``<sup>``, subscript as ``<sub>``, and equations (Office Math, which Word and
    pandoc use for ``±``, ``χ²``) by their text, a math superscript kept as ``<sup>``."""
    parts = []
    for child in element:
        tag = child.tag
        if tag == f"{_W}r":
            text = "".join(t.text or "" if t.tag == f"{_W}t" else " " for t in child
                           if t.tag in (f"{_W}t", f"{_W}tab"))
            align = child.find(f"{_W}rPr/{_W}vertAlign")
            mode = align.get(f"{_W}val") if align is not None else ""
            parts.append(f"<sup>{text}</sup>" if mode == "superscript" else
                         f"<sub>{text}</sub>" if mode == "subscript" else text)
        elif tag == f"{_M}sSup":
            base, sup = child.find(f"{_M}e"), child.find(f"{_M}sup")
            parts.append(_docx_inline(base) if base is not None else "")
            parts.append(f"<sup>{_docx_inline(sup)}</sup>" if sup is not None else "")
        elif tag == f"{_M}sSub":
            base, sub = child.find(f"{_M}e"), child.find(f"{_M}sub")
            parts.append(_docx_inline(base) if base is not None else "")
            parts.append(f"<sub>{_docx_inline(sub)}</sub>" if sub is not None else "")
        elif tag == f"{_M}r":
            parts.append("".join(t.text or "" for t in child.iter(f"{_M}t")))
        elif tag in (f"{_W}pPr", f"{_W}rPr", f"{_M}rPr", f"{_M}ctrlPr"):
            continue
        else:                                   # hyperlinks, math containers, smart tags
            parts.append(_docx_inline(child))
    return "".join(parts)


# ---- PDF ---------------------------------------------------------------------------------

def _read_pdf(path: Path):
    """Paragraphs and tables of a born-digital PDF from its words and their coordinates.

    A table is found by its caption ("Table 2", "表2"): the lines under it, up to its note or
    the next paragraph of prose, across a page break. Its columns are the vertical strips no
    word crosses; its rows are the runs of lines set at the font's line spacing (a cell
    wrapped over several lines is one cell). Smaller raised words are superscripts (footnote letters,
    ``χ²``).
    """
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(str(path))
    except (PDFSyntaxError, ValueError) as err:
        raise InputError(f"not a readable PDF ({err})", file=path) from None
    lines = []
    with pdf:
        if sum(len(page.chars) for page in pdf.pages) == 0:
            raise InputError("this PDF has no text layer (a scan?); the draft reads born-digital "
                             "PDFs only: run OCR first or give the Word/HTML version", file=path)
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(extra_attrs=["size"], x_tolerance=1.5, keep_blank_chars=False)
            page_lines = _pdf_lines(words, number)
            # a page number alone at the foot of the page is not text
            if page_lines and re.fullmatch(r"\d{1,4}", page_lines[-1]["text"].strip()) \
                    and page_lines[-1]["top"] > 0.85 * page.height:
                page_lines.pop()
            for line in page_lines:
                line["width"] = page.width
            lines.extend(page_lines)
    return _pdf_blocks(lines), []


_MATH_LETTERS = re.compile(r"[\U0001D400-\U0001D7FF]")


def _pdf_word(word) -> str:
    import unicodedata

    # math italic letters (𝜒, 𝑃) are letters; everything else stays as printed
    return _MATH_LETTERS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), word["text"])


def _pdf_lines(words, page: int) -> list[dict]:
    """Words grouped into lines (by their top, small raised words joined to the line they
    belong to), each line a dict with its words, text, top, bottom, x0, x1 and page."""
    if not words:
        return []
    lines: list[dict] = []
    # larger words first, so that a line is anchored on its text, not on a superscript
    for w in sorted(words, key=lambda w: (-round(w["size"], 1), round(w["top"]), w["x0"])):
        w = dict(w, text=_pdf_word(w))
        for line in lines:
            if abs(line["top"] - w["top"]) <= 0.25 * line["size"] or (
                    w["size"] < 0.8 * line["size"] and line["top"] - 0.4 * line["size"] <= w["top"] <= line["bottom"]):
                line["words"].append(w)
                break
        else:
            lines.append({"words": [w], "top": w["top"], "bottom": w["bottom"], "page": page, "size": w["size"]})
    for line in lines:
        for w in line["words"]:
            # smaller than its line: a superscript, or a subscript when set lower ("F/P" "group")
            w["small"] = w["size"] < 0.8 * line["size"]
            w["sub"] = w["small"] and w["top"] > line["top"] + 0.2 * line["size"]
        line["words"].sort(key=lambda w: w["x0"])
        line["x0"] = min(w["x0"] for w in line["words"])
        line["x1"] = max(w["x1"] for w in line["words"])
        line["text"] = _join(line["words"])
    return sorted(lines, key=lambda line: line["top"])


def _join(words) -> str:
    """Words as printed: a small word right after another is its superscript (``χ²``,
    ``47.46^ab^``), a word ending in a hyphen joins the next (``treat-`` ``ment``)."""
    out = ""
    for w in words:
        text = w["text"]
        # a footnote's own mark opens its line raised ("ᵇFisher's exact test.")
        if w.get("small") and (out or re.fullmatch(r"[a-z*#†‡§‖¶]{1,3}", text)):
            out += f"<sub>{text}</sub>" if w.get("sub") else f"<sup>{text}</sup>"
        elif out.endswith("\u00ad") or (out.endswith("-") and text[:1].islower() and len(out) > 1
                                        and out[-2].isalpha()):
            out = out[:-1] + text              # a word hyphenated at the end of a line
        else:
            out += (" " if out else "") + text
    return out


def _is_prose(line, text_width: float) -> bool:
    """A line of running text: several words, none set apart by more than a word space
    (a table's columns are), across most of the text width."""
    words = [w for w in line["words"] if not w.get("small")]
    gaps = [b["x0"] - a["x1"] for a, b in zip(words, words[1:])]
    return len(words) >= 4 and max(gaps, default=0) < 0.7 * line["size"] \
        and line["x1"] - line["x0"] > 0.6 * text_width


def _pdf_blocks(lines: list[dict]) -> list:
    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    right = max(line["x1"] for line in lines)
    text_width = right - left
    pitch = sorted(b["top"] - a["top"] for a, b in zip(lines, lines[1:])
                   if a["page"] == b["page"] and b["top"] > a["top"])
    pitch = pitch[len(pitch) // 4] if pitch else 12.0
    blocks, para, i = [], [], 0
    sizes = sorted(line["size"] for line in lines)
    body_size = sizes[len(sizes) // 2]

    def flush():
        if para:
            text = plain(" ".join(l["text"] for l in para))
            # one short line with no closing punctuation, set apart: a heading ("Methods")
            heading = (len(para) == 1 and len(text.split()) <= 8 and para[0]["size"] >= body_size
                       and not text.endswith((".", "。", ":", "：", ",")) and not re.search(r"[=<>±]", text)
                       and re.match(r"[A-Za-z\u4e00-\u9fff]|\d+(\.\d+)*\s+\S", text) is not None)
            blocks.append(Paragraph(text=text, where=f"page {para[0]['page']}, y={round(para[0]['top'])}",
                                    heading=heading))
            para.clear()

    while i < len(lines):
        line = lines[i]
        if CAPTION.match(line["text"]):
            flush()
            j = i + 1
            while j < len(lines) and CAPTION.match(lines[j]["text"]):   # "表2" then "Tab.2"
                j += 1
            region = []
            while j < len(lines) and not (_is_prose(lines[j], text_width) or NOTE.match(lines[j]["text"])
                                          or _footnote(lines[j]) or CAPTION.match(lines[j]["text"])
                                          or _opens_section(lines[j], text_width)):
                marks = all(re.fullmatch(r"[a-z*#†‡§‖¶]{1,5}", w["text"]) for w in lines[j]["words"])
                if region and not marks and abs(lines[j]["size"] - region[0]["size"]) > 0.15 * region[0]["size"]:
                    if len(lines[j]["words"]) >= 4:   # text in another size: the table has ended
                        break
                    j += 1                            # a stray mark (a footnote number): skipped
                    continue
                region.append(lines[j])
                j += 1
            blocks.append(Paragraph(text=plain(line["text"]), where=f"page {line['page']}, y={round(line['top'])}"))
            if region:
                blocks.append(_pdf_table(region))
            i = j
            continue
        previous = para[-1] if para else None
        new_paragraph = previous is not None and (
            line["page"] != previous["page"] and False or
            (line["page"] == previous["page"] and line["top"] - previous["top"] > 1.45 * pitch)
            or previous["x1"] < right - 0.15 * text_width or _opens_section(line, text_width))
        if new_paragraph:
            flush()
        para.append(line)
        i += 1
    flush()
    return blocks


def _footnote(line) -> bool:
    """A line opening with a raised mark, then words ("ᵇFisher's exact test."): the table's
    first footnote, not a row (a row opens with its label)."""
    words = line["words"]
    return len(words) >= 2 and words[0].get("small") and re.fullmatch(r"[a-z*#†‡§‖¶]{1,3}", words[0]["text"]) \
        is not None and re.search(r"[A-Za-z\u4e00-\u9fff]{3}", " ".join(w["text"] for w in words[1:])) is not None


_SECTION_LINE = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2}){0,3}\s+[A-Za-z\u4e00-\u9fff]|Abstract|摘\s*要|References|参考文献)")


def _opens_section(line, text_width: float) -> bool:
    """A line that starts a section: "2.3 Survival", or a short "2 Results"; not a sentence
    that begins with a number ("2 patients (3.70%) had …")."""
    m = _SECTION_LINE.match(line["text"])
    return bool(m) and ("." in m.group(0) or line["x1"] - line["x0"] < 0.5 * text_width)


def _pdf_table(region: list[dict]) -> Table:
    """Cells of a table region: columns from the strips no word crosses, rows from the runs
    of lines at the font's line spacing."""
    # a cell wrapped over lines keeps the font's line spacing (about 1.2-1.4 em); rows are
    # set further apart (the cell padding)
    size = sorted(line["size"] for line in region)[len(region) // 2]
    rows, band = [], []
    for line in region:
        if band and (line["page"] != band[-1]["page"] or line["top"] - band[-1]["top"] > 1.6 * size):
            rows.append(band)
            band = []
        band.append(line)
    if band:
        rows.append(band)
    # header rows: the leading ones without a number other than an "(n=53)"
    def has_value(b):
        text = " ".join(w["text"] for line in b for w in line["words"] if not w.get("small"))
        text = re.sub(r"[(（]?\s*[nN]\s*[=＝]\s*\d+\s*[)）]?|\d+\s*(?:个月|months?)", "", text)
        # "(n =" at the end of a header cell's first line, "63)" on its second
        for _ in re.findall(r"[(（]\s*[nN]\s*[=＝](?!\s*\d)", text):
            text = re.sub(r"(?<!\S)\d+\s*[)）]", "", text, count=1)
        return re.search(r"\d", text)
    n_header = next((k for k, b in enumerate(rows) if has_value(b)), 0)
    def words_of(b):
        return sorted(w["text"] for line in b for w in line["words"])

    header_words = [words_of(b) for b in rows[:n_header]]
    # a header repeated at the top of the next page is not a row
    rows = rows[:n_header] + [b for b in rows[n_header:] if words_of(b) not in header_words]
    body_words = [w for b in rows[n_header:] for line in b for w in line["words"]] or \
        [w for b in rows for line in b for w in line["words"]]
    lo = min(w["x0"] for b in rows for line in b for w in line["words"])
    hi = max(w["x1"] for b in rows for line in b for w in line["words"])
    covered = sorted((w["x0"], w["x1"]) for w in body_words)
    # a column border is an empty vertical strip in the body (header cells may span columns)
    edges, reach = [lo], covered[0][1]
    for x0, x1 in covered[1:]:
        if x0 - reach >= 3:
            edges.append(x0 - 1)
        reach = max(reach, x1)
    edges.append(hi + 1)
    # a column that only one body row starts a word in is a stray (a wrapped label, a note
    # line): it joins the column to its left
    body_rows = rows[n_header:]
    if len(body_rows) >= 3:
        def support(c):
            return sum(any(edges[c] <= w["x0"] < edges[c + 1] for line in b for w in line["words"])
                       for b in body_rows)
        edges = [edges[0]] + [edges[c] for c in range(1, len(edges) - 1) if support(c) >= 2] + [edges[-1]]
    # a superscript wrapped onto a line of its own is small next to the table's text
    sizes = sorted(w["size"] for b in rows for line in b for w in line["words"])
    for b in rows:
        for line in b:
            for w in line["words"]:
                w["small"] = w["small"] or w["size"] < 0.8 * sizes[len(sizes) // 2]
    grid = []
    for k, band in enumerate(rows):
        row = [[] for _ in range(len(edges) - 1)]
        for line in band:                        # reading order: line by line, left to right
            for w in line["words"]:
                x = w["x0"] if k < n_header else (w["x0"] + w["x1"]) / 2
                c = max(c for c in range(len(edges) - 1) if edges[c] <= max(x, lo))
                row[c].append(w)
        grid.append(row)
    # a strip holding only a symbol ("±" wrapped onto its own line in a narrow cell) is part
    # of the column to its left
    for c in range(len(edges) - 2, 0, -1):
        texts = [w["text"] for row in grid for w in row[c]]
        if texts and all(re.fullmatch(r"[±/~–<>≤≥-]", t) for t in texts):
            for row in grid:
                row[c - 1] = sorted(row[c - 1] + row[c], key=lambda w: (round(w["top"]), w["x0"]))
                del row[c]
    cells = [tuple(plain(_join(ws)) for ws in row) for row in grid]
    first = region[0]
    return Table(caption="", rows=_rectangular(cells), where=f"page {first['page']}, y={round(first['top'])}",
                 row_where=tuple(f"page {b[0]['page']}, y={round(b[0]['top'])}" for b in rows))


# ---- shared ------------------------------------------------------------------------------

def _note_after(blocks, k: int) -> tuple[str, int]:
    """The note printed under a table from block ``k`` on: its paragraphs, one per footnote, up
    to the first that reads as running text; and the index after them."""
    parts = []
    while k < len(blocks) and isinstance(blocks[k], Paragraph) and not blocks[k].heading \
            and len(blocks[k].text) < 600 and not CAPTION.match(blocks[k].text) \
            and (NOTE.match(blocks[k].text) or _MORE_NOTE.match(blocks[k].text) or (parts and len(parts) < 6
                 and re.match(r"^[A-Z][\w-]{0,12}\s", blocks[k].text) and "," in blocks[k].text
                 and not re.search(r"[.。]\s+[A-Z]", blocks[k].text))):
        parts.append(blocks[k].text)
        k += 1
    return " ".join(parts), k


def _attach_captions(blocks):
    """A caption paragraph ("Table 2 ...", "Tab.2 ...", "表2 ...") just before a table becomes
    its caption; a "Note:"/"注:" paragraph just after it becomes its note. A Chinese original
    prints "表2" and then "Tab.2": the first caption is kept and the second dropped."""
    out = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        # a caption that opens with its number alone ("2. A组患者…"), just above its table
        numbered = isinstance(block, Paragraph) and not block.heading and i + 1 < len(blocks) \
            and isinstance(blocks[i + 1], Table) and re.match(r"^\s*\d{1,2}\.\s+\S", block.text)
        if isinstance(block, Paragraph) and (CAPTION.match(block.text) or numbered):
            j = i + 1 if numbered else i
            captions = [block] if numbered else []
            while j < len(blocks) and isinstance(blocks[j], Paragraph) and CAPTION.match(blocks[j].text) \
                    and len(captions) < 2:
                captions.append(blocks[j])
                j += 1
            if j < len(blocks) and isinstance(blocks[j], Table) and not blocks[j].caption:
                table = blocks[j]
                note, k = _note_after(blocks, j + 1)
                out.append(Table(caption=captions[0].text, rows=table.rows, where=table.where,
                                 note=note, row_where=table.row_where))
                i = k
                continue
        if isinstance(block, Table) and not block.note:
            note, k = _note_after(blocks, i + 1)
            if note:
                out.append(Table(caption=block.caption, rows=block.rows, where=block.where,
                                 note=note, row_where=block.row_where))
                i = k
                continue
        out.append(block)
        i += 1
    return out
