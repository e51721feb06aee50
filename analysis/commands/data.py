"""``python -m analysis data --check``: validate every raw file, the declaration and the
cross-language record, and summarise them."""

from __future__ import annotations

from ..audit.claims import check_claims, claims
from ..dataset import cross_validate, declaration, display_path, load_discrepancies, load_table, raw_dir
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run", "check_summary"]


def register(subparsers) -> None:
    parser = subparsers.add_parser("data", help="check the digitized data and its declaration in data/raw")
    parser.add_argument("--check", action="store_true", required=True,
                        help="validate every raw file; one summary line per table")
    parser.add_argument("--data-dir", default=None,
                        help="raw-data folder (default: data/raw, or $REANALYSIS_DATA_DIR)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="language of the messages")
    one_line_errors(parser, "data")
    parser.set_defaults(func=run)


def check_summary(*, data_dir=None, lang: str = "en") -> list[str]:
    """Validate all raw files; return one summary line per file.

    Checks, in order: each declared file of each declared language (schema), with two
    languages ``discrepancies.csv`` against both transcriptions, then the declaration: every
    printed statistic claimed by exactly one analysis or listed as unchecked (see
    :mod:`analysis.audit.claims`).

    Raises :class:`~analysis.errors.InputError` at the first failure.
    """
    decl = declaration(data_dir)
    lines = []
    for source_lang in decl.languages:
        for table in decl.tables:
            df = load_table(table, source_lang, data_dir=data_dir)
            with_provenance = int((df["source"].ne("") & df["row_label"].ne("")).sum())
            lines.append(t("data.check.summary", lang, file=df["file"].iloc[0], rows=len(df),
                           items=df["item"].nunique(), values=with_provenance))
    if len(decl.languages) > 1:
        disc = load_discrepancies(data_dir=data_dir)
        cross_validate(data_dir=data_dir)
        lines.append(t("data.check.discrepancies", lang,
                       file=display_path(raw_dir(data_dir) / "discrepancies.csv"), rows=len(disc),
                       values=int((disc["kind"] == "value").sum())))
    families = {a.index: a.family for a in decl.analyses}
    judged = 0
    for source_lang in decl.languages:
        found = claims(source_lang, data_dir=data_dir)
        check_claims(found, declaration_file=decl.file, families=families)
        judged = max(judged, len(found.judged_by))
    lines.append(t("data.check.declared.summary", lang, file=decl.file, analyses=len(decl.analyses),
                   judged=judged, unchecked=len(decl.unchecked)))
    lines.append(t("data.check.ok", lang, files=len(lines)))
    return lines


def run(args) -> int:
    for line in check_summary(data_dir=args.data_dir, lang=args.lang):
        print(line)
    return 0
