"""``python -m analysis data --check``: validate every raw file, the declaration and the
cross-language record, and summarise them."""

from __future__ import annotations

from ..audit.claims import check_claims, claims
from ..dataset import cross_validate, declaration, display_path, load_discrepancies, load_table, raw_dir
from ..errors import InputError, raise_all
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run", "check_summary"]


def register(subparsers) -> None:
    parser = subparsers.add_parser("data", help="check a paper's transcription and its declaration")
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

    Checks each declared file of each declared language (schema), with two languages
    ``discrepancies.csv`` against both transcriptions, then the declaration: every printed
    statistic claimed by exactly one analysis or listed as unchecked (see
    :mod:`analysis.audit.claims`).

    Raises :class:`~analysis.errors.InputError` (:class:`~analysis.errors.InputErrors` for
    several) with every problem found: each file is checked whatever the others hold, and
    the declaration once the files load.
    """
    decl = declaration(data_dir)
    lines, problems = [], []
    for source_lang in decl.languages:
        for table in decl.tables:
            try:
                df = load_table(table, source_lang, data_dir=data_dir)
            except InputError as err:
                problems.append(err)
                continue
            with_provenance = int((df["source"].ne("") & df["row_label"].ne("")).sum())
            lines.append(t("data.check.summary", lang, file=df["file"].iloc[0], rows=len(df),
                           items=df["item"].nunique(), values=with_provenance))
    if len(decl.languages) > 1 and not problems:
        try:
            disc = load_discrepancies(data_dir=data_dir)
            cross_validate(data_dir=data_dir)
            lines.append(t("data.check.discrepancies", lang,
                           file=display_path(raw_dir(data_dir) / "discrepancies.csv"), rows=len(disc),
                           values=int((disc["kind"] == "value").sum())))
        except InputError as err:
            problems.append(err)
    if not problems:
        families = {a.index: a.family for a in decl.analyses}
        items = {a.index: (a.source, a.item) for a in decl.analyses}
        judged = 0
        for source_lang in decl.languages:
            try:
                found = claims(source_lang, data_dir=data_dir)
                check_claims(found, declaration_file=decl.file, families=families, items=items)
                judged = max(judged, len(found.judged_by))
            except InputError as err:
                problems.append(err)
        lines.append(t("data.check.declared.summary", lang, file=decl.file, analyses=len(decl.analyses),
                       judged=judged, unchecked=len(decl.unchecked)))
    raise_all(_unique(problems))
    lines.append(t("data.check.ok", lang, files=len(lines)))
    return lines


def _unique(problems) -> list:
    """Each problem once (two languages often share a declaration problem)."""
    seen, out = set(), []
    for err in problems:
        for e in getattr(err, "errors", [err]):
            if str(e) not in seen:
                seen.add(str(e))
                out.append(e)
    return out


def run(args) -> int:
    for line in check_summary(data_dir=args.data_dir, lang=args.lang):
        print(line)
    return 0
