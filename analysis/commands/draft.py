"""``python -m analysis draft PAPER --out DIR [--lang en|zh] [--force]``: a draft data folder.

Reads a paper (Markdown or text with tab or pipe tables, HTML or JATS XML, Word .docx, a
born-digital PDF), drafts its transcription in the project's format, and prints what needs a
person first (also in ``DIR/REVIEW.md``). Nothing is written unless the whole draft is.
"""

from __future__ import annotations

import time

from ..draft import read_paper
from ..draft.build import drafts_of
from ..draft.output import write_draft
from . import one_line_errors

__all__ = ["register", "run"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "draft", help="draft a paper's transcription and declaration for a person to confirm",
        description="Draft the transcription of a paper (Markdown/text, HTML/JATS, .docx, PDF) "
                    "in the format of data/README.md: one CSV per table and text.csv per "
                    "language version, provenance.csv, a guessed analyses.toml, "
                    "discrepancies.csv for a bilingual paper, and REVIEW.md.")
    parser.add_argument("paper", help="the paper's file")
    parser.add_argument("--out", required=True, help="the draft folder to write")
    parser.add_argument("--lang", choices=("en", "zh"), action="append", default=None,
                        help="draft only this version (repeatable; default: every version found)")
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out")
    one_line_errors(parser, "draft")
    parser.set_defaults(func=run)


def run(args) -> int:
    start = time.perf_counter()
    document = read_paper(args.paper)
    drafts = drafts_of(document, langs=args.lang)
    written, review = write_draft(drafts, args.out, paper=args.paper, remarks=document.remarks,
                                  force=args.force)
    for lang, d in drafts.items():
        problems = review[lang]
        print(f"{lang}: {len(d.rows)} values ({sum(r.source.startswith('table') for r in d.rows)} in "
              f"{len(d.tables)} tables, the rest in {len(d.sections)} text sections); "
              f"{len(problems)} to review first")
        for p in problems:
            print(f"  review: {p.where}: {p.what}")
    print(f"wrote {len(written)} files to {args.out} in {time.perf_counter() - start:.1f} s; "
          f"start with {args.out}/REVIEW.md")
    return 0
