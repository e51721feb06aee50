"""``python -m analysis export --out DIR [--lang en|zh]``: every table and Figure 1 as files.

Writes what :func:`analysis.export.export_all` writes (CSV and HTML of Tables 1–4,
the English/Chinese discrepancies, the printed survival numbers and the audit's
checks; Figure 1 as PNG and SVG) under ``DIR/<lang>/``, one line per file written,
then a summary. Messages are in the language exported (English when both are).
"""

from __future__ import annotations

from ..dataset import declaration
from ..export import export_all
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="write every rebuilt table (CSV, HTML) and figure (PNG, SVG)",
        description="Write every rebuilt table as CSV (UTF-8 with BOM, for Excel) and "
                    "standalone HTML, and Figure 1 as PNG (300 dpi) and SVG, under "
                    "DIR/<lang>/. No Quarto needed; a rerun writes identical files.")
    parser.add_argument("--out", default="export",
                        help="output folder (default: export); created if missing")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="export one edition only (default: every language the data declares)")
    parser.add_argument("--data-dir", default=None,
                        help="raw-data folder (default: data/raw, or $REANALYSIS_DATA_DIR)")

    one_line_errors(parser, "export")
    parser.set_defaults(func=run)


def run(args) -> int:
    langs = (args.lang,) if args.lang else declaration(args.data_dir).languages
    lang = langs[0]
    result = export_all(args.out, langs=langs, data_dir=args.data_dir,
                        progress=lambda f: print(t("export.wrote", lang, path=f.path, size=f.size),
                                                 flush=True))
    print(t("export.summary", lang, files=len(result.files), out=result.out_dir))
    return 0
