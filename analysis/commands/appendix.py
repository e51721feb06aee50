"""``python -m analysis appendix [--data-dir DIR] [--lang en|zh] --out FILE.html``.

Renders the single-file peer-review appendix (:func:`analysis.appendix.render_appendix`)
of the paper whose digitized tables and declaration are in DIR (default: this paper).
Needs Quarto; without it, one line says so and points to ``export``.
"""

from __future__ import annotations

from ..appendix import render_appendix
from ..dataset import declaration
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "appendix", help="render the single-file peer-review appendix (needs Quarto)",
        description="Render the single-file HTML appendix for peer review (summary, "
                    "discrepant findings, every check, the English/Chinese differences) "
                    "of the paper digitized in --data-dir. Needs Quarto; `export` writes "
                    "the same content as files without it.")
    parser.add_argument("--out", required=True, help="the HTML file to write")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="language (default: the first the data declares)")
    parser.add_argument("--data-dir", default=None,
                        help="raw-data folder (default: data/raw, or $REANALYSIS_DATA_DIR)")
    one_line_errors(parser, "appendix")
    parser.set_defaults(func=run)


def run(args) -> int:
    lang = args.lang or declaration(args.data_dir).languages[0]
    out = render_appendix(args.out, lang=lang, data_dir=args.data_dir)
    print(t("export.wrote", lang, path=out, size=out.stat().st_size))
    return 0
