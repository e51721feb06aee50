"""``python -m analysis data --check``: validate every raw file and summarise it."""

from __future__ import annotations

from ..dataset import TABLES, display_path, load_discrepancies, load_table, raw_dir
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run", "check_summary"]


def register(subparsers) -> None:
    parser = subparsers.add_parser("data", help="check the digitized data in data/raw")
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

    Raises :class:`~analysis.errors.InputError` at the first invalid file.
    """
    lines = []
    for source_lang in ("en", "zh"):
        for table in TABLES:
            df = load_table(table, source_lang, data_dir=data_dir)
            with_provenance = int((df["source"].ne("") & df["row_label"].ne("")).sum())
            lines.append(t("data.check.summary", lang, file=df["file"].iloc[0], rows=len(df),
                           items=df["item"].nunique(), values=with_provenance))
    disc = load_discrepancies(data_dir=data_dir)
    lines.append(t("data.check.discrepancies", lang,
                   file=display_path(raw_dir(data_dir) / "discrepancies.csv"), rows=len(disc),
                   values=int((disc["kind"] == "value").sum())))
    lines.append(t("data.check.ok", lang, files=len(lines)))
    return lines


def run(args) -> int:
    for line in check_summary(data_dir=args.data_dir, lang=args.lang):
        print(line)
    return 0
