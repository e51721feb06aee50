"""``python -m analysis draft PAPER [VERSION] --out DIR [--lang en|zh] [--force]``: a draft data folder.

Reads a paper (Markdown or text with tab or pipe tables, HTML or JATS XML, Word .docx, a
born-digital PDF), drafts its transcription in the project's format, and prints what needs a
person first (also in ``DIR/REVIEW.md``). A bilingual paper may come as two files, the
original and its other-language version (``draft original.pdf version.docx``): one folder
with both versions under shared keys and the drafted ``discrepancies.csv``. Nothing is
written unless the whole draft is.
"""

from __future__ import annotations

import time

from ..draft import read_paper
from ..draft.build import drafts_of, drafts_of_files
from ..draft.markup import cjk_share
from ..errors import InputError
from ..draft.output import write_draft
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "draft", help="draft a paper's transcription and declaration to confirm",
        description="Draft the transcription of a paper (Markdown/text, HTML/JATS, .docx, PDF) "
                    "in the format of data/README.md: one CSV per table and text.csv per "
                    "language version, provenance.csv, a guessed analyses.toml, "
                    "discrepancies.csv for a bilingual paper, and REVIEW.md.")
    parser.add_argument("paper", nargs="+", help="the paper's file; or two files, one per language version "
                        "(a Chinese original PDF and its English version in Word)")
    parser.add_argument("--out", required=True, help="the draft folder to write")
    parser.add_argument("--lang", choices=("en", "zh"), action="append", default=None,
                        help="draft only this version (repeatable; default: every version found)")
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out")
    one_line_errors(parser, "draft")
    parser.set_defaults(func=run)


def run(args) -> int:
    start = time.perf_counter()
    if len(args.paper) > 2:
        raise InputError("give one file, or two (one per language version)", file=args.paper[2])
    documents = [read_paper(p) for p in args.paper]
    drafts = drafts_of(documents[0], langs=args.lang) if len(documents) == 1 else \
        drafts_of_files(documents, langs=args.lang)
    # messages in the language drafted (English when both are), as `export` does
    lang = next(iter(drafts)) if len(drafts) == 1 else "en"
    written, review = write_draft(drafts, args.out, paper=args.paper[0],
                                  remarks=tuple(r for d in documents for r in d.remarks),
                                  force=args.force, lang=lang,
                                  title=_titles(documents))
    for version, d in drafts.items():
        # one line per problem, however many of the row's values it concerns (as REVIEW.md)
        problems = list(dict.fromkeys((p.located(lang), p.text(lang)) for p in review[version]))
        print(t("draft.summary", lang, lang_name=t(f"lang.{version}", lang), values=len(d.rows),
                in_tables=sum(r.source.startswith("table") for r in d.rows), tables=len(d.tables),
                sections=len(d.sections), review=len(problems)))
        for where, text in problems:
            print(t("draft.review_line", lang, where=where, text=text))
    print(t("draft.wrote", lang, files=len(written), out=args.out, seconds=time.perf_counter() - start))
    return 0


def _titles(documents) -> dict:
    """``{lang: title}`` of the files that name the paper's title, by the title's script (a
    Chinese original's title is Chinese, its English version's English)."""
    titles = {}
    for document in documents:
        if document.title:
            titles.setdefault("zh" if cjk_share(document.title) > 0.3 else "en", document.title)
    return titles
