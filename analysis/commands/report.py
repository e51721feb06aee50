"""``python -m analysis report [--data-dir DIR] [--lang en|zh|all] --out OUT``.

Everything a reader of one declared paper gets, per declared language, under
``OUT/<lang>/``: the export (every rebuilt table as CSV and HTML, the audit's checks;
:func:`analysis.export.export_all`), then the single-file peer-review appendix
(``appendix.html``) and the journal-club handout of at most two pages (``handout.pdf``),
rendered by
Quarto through :func:`analysis.appendix.render_appendix` and
:func:`analysis.appendix.render_handout`, the same code ``make report`` renders this
paper's with. A paper with a ``survival_spec.toml`` gets its survival figure in the
export and on the handout's second page; its ensemble is built beside the spec first
when missing or stale (about a minute for 300 patients, with a progress bar). Without
Quarto the export is still written and one paragraph says how to get the rest (exit
status 1).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from ..appendix import QUARTO_MISSING, render_appendix, render_handout
from ..dataset import declaration, survival_spec
from ..ensemble.pipeline import DEFAULT_DRAWS, load_or_build
from ..ensemble.progress import progress_bar
from ..errors import InputError
from ..export import export_all
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="write the tables, peer-review appendix and handout of a paper",
        description="For the paper digitized in --data-dir, in each declared language: every "
                    "rebuilt table as CSV and HTML, the single-file peer-review appendix (HTML) "
                    "and the journal-club handout of at most two pages (PDF), under OUT/<lang>/. The "
                    "appendix and handout need Quarto; without it only the export is written.")
    parser.add_argument("--out", required=True, help="output folder; created if missing")
    parser.add_argument("--lang", choices=("en", "zh", "all"), default="all",
                        help="one language, or every language the data declares (default)")
    parser.add_argument("--data-dir", default=None,
                        help="raw-data folder (default: data/raw, or $REANALYSIS_DATA_DIR)")
    one_line_errors(parser, "report")
    parser.set_defaults(func=run)


def run(args) -> int:
    decl = declaration(args.data_dir)
    if args.lang not in (*decl.languages, "all"):
        raise InputError(f"declares no {args.lang!r} transcription (languages: {', '.join(decl.languages)})",
                         file=decl.file, column="languages")
    langs = decl.languages if args.lang == "all" else (args.lang,)
    lang = langs[0]
    out = Path(args.out)
    spec, ensemble = survival_spec(args.data_dir), None
    if spec is not None:
        # counts only when the ensemble has to be built (a fresh one is read); the command's
        # own bar, in the report's first language
        with progress_bar(DEFAULT_DRAWS, lang=lang) as bar:
            ensemble = load_or_build(spec, progress=bar)
    result = export_all(out, langs=langs, data_dir=args.data_dir, ensemble=ensemble,
                        progress=lambda f: print(t("export.wrote", lang, path=f.path, size=f.size),
                                                 flush=True))
    print(t("export.summary", lang, files=len(result.files), out=result.out_dir), flush=True)
    if shutil.which("quarto") is None:
        print(QUARTO_MISSING[0].upper() + QUARTO_MISSING[1:] + ".", file=sys.stderr)
        return 1
    for edition in langs:
        for name, render in (("appendix.html", render_appendix), ("handout.pdf", render_handout)):
            start = time.monotonic()
            print(t("report.rendering", lang, path=out / edition / name), flush=True)
            path = render(out / edition / name, lang=edition, data_dir=args.data_dir)
            print(t("report.rendered", lang, path=path, size=path.stat().st_size,
                    seconds=time.monotonic() - start), flush=True)
    return 0
