"""Every rebuilt table and Figure 1 as files, without Quarto (``python -m analysis export``).

Under ``<out>/<lang>/`` for each edition (the names are the same in both):

- ``table-1-baseline``, ``table-2-response``, ``table-3-markers-afp-afu``,
  ``table-4-markers-apt``: the paper's Tables 1–4 as the book rebuilds them, with the
  recomputed values and verdicts (:func:`analysis.present.paper_table`, plain text:
  superscript letters as `` ab``);
- ``discrepancies``: the recorded differences between the English and Chinese versions;
- ``survival-printed``: the survival numbers printed in section 2.3;
- ``audit-checks``: every audit check (:func:`analysis.present.findings.audit_checks_table`);

each as ``.csv`` and ``.html``, and Figure 1 as ``figure-1-survival.png`` (300 dpi)
and ``figure-1-survival.svg`` (:func:`analysis.figure1.write_figure1`).

Another paper's data folder (``--data-dir``, see docs/analyses.md) gets the tables its
declaration lists (``table-<n>``, with a caption naming the table), the differences
when it declares two languages, the audit's checks and, when it has a
``survival_spec.toml``, its survival figure under the same name (the ensemble is built
beside the spec first if it is missing or stale). The table of printed survival numbers
is this paper's.

CSV files are UTF-8 *with* a byte-order mark (``utf-8-sig``): Excel, which most
readers of a trial table open them with, otherwise reads the Chinese as mojibake;
pandas (``encoding="utf-8-sig"``), R (``readr``) and LibreOffice skip the mark. Lines
end in ``\\n``, every cell is text as printed. HTML files are small standalone pages
(``<meta charset="utf-8">``, ``lang`` set, inline style, nothing loaded from the
network). Every file is written atomically, and a rerun on the same data writes
byte-identical files.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .atomic import write_text
from .audit import AuditReport, run_audit
from .dataset import declaration, is_this_paper, survival_spec
from .errors import InputError
from .figure1 import write_figure1
from .present.findings import audit_checks_table
from .i18n import LANGS, check_lang, t
from .provenance import data_fingerprint, data_folder_name
from .present import LABELS, PAPER_TABLES, discrepancy_table, paper_table, survival_printed_table

__all__ = ["EXPORT_TABLES", "FIGURE_STEM", "ExportedFile", "ExportResult", "file_stem",
           "export_tables", "csv_text", "html_text", "export_all"]

# Written in this order, per language.
EXPORT_TABLES = (*PAPER_TABLES, "discrepancies", "survival_printed", "audit")
FIGURE_STEM = "figure-1-survival"

_STYLE = ("body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
          "margin:1.5em;font-size:14px;color:#222}"
          "table{border-collapse:collapse}"
          "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top;"
          "white-space:pre-line}"
          "th{background:#eee}"
          "p.source{color:#555;font-size:12px}")


def file_stem(name: str, *, labelled: bool = True) -> str:
    """The language-neutral file name (no extension) of an exported table.

    ``table1`` → ``table-1-baseline`` (the book's cross-reference label without
    ``tbl-``, numbered), ``discrepancies`` → ``discrepancies``, ``audit`` →
    ``audit-checks``. Another paper's tables (``labelled=False``) are ``table-<n>``.
    """
    numbered = name.startswith("table") and name.removeprefix("table").isdigit()
    if numbered and not labelled:  # another paper's declared table
        return f"table-{name.removeprefix('table')}"
    if name in PAPER_TABLES:
        return f"table-{name.removeprefix('table')}-{LABELS[name].removeprefix('tbl-')}"
    if name == "audit":
        return "audit-checks"
    if name in LABELS:
        return LABELS[name].removeprefix("tbl-")
    raise ValueError(f"name must be one of {EXPORT_TABLES} or tableN, got {name!r}")


def declared_tables(data_dir=None) -> list[str]:
    """The paper's own tables as its declaration lists them: a file holding one source
    of its name (``table1``), not the text's many sections."""
    return [name for name, rule in declaration(data_dir).tables.items() if rule.sources == (name,)]


@dataclass(frozen=True)
class ExportedFile:
    """One written file: its edition, what it holds, where, its size and SHA-256."""

    lang: str
    name: str
    format: str
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_all` wrote, in writing order."""

    out_dir: Path
    langs: tuple[str, ...]
    files: tuple[ExportedFile, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per file: ``lang, name, format, path, bytes, sha256``."""
        return pd.DataFrame([(f.lang, f.name, f.format, str(f.path), f.size, f.sha256)
                             for f in self.files],
                            columns=["lang", "name", "format", "path", "bytes", "sha256"])


def export_tables(lang: str, *, data_dir=None,
                  report: AuditReport | None = None) -> dict[str, tuple[str, pd.DataFrame]]:
    """``{name: (title, frame)}`` for every name in :data:`EXPORT_TABLES`, in ``lang``.

    ``report`` is :func:`analysis.audit.run_audit` for ``lang`` (run if not given);
    it supplies both the tables' verdict columns and the audit table.
    """
    check_lang(lang)
    report = report if report is not None else run_audit(lang, data_dir=data_dir)
    audit = report.to_frame()
    ours = is_this_paper(data_dir)
    decl = declaration(data_dir)
    out = {}
    for name in declared_tables(data_dir):
        title = (t(f"book.caption.{name}", lang) if ours else
                 t("export.caption", lang, table=decl.source_name(name, lang) or name))
        out[name] = (title, paper_table(name, lang, data_dir=data_dir, audit=audit,
                                        markup=False).frame)
    if len(decl.languages) > 1:
        out["discrepancies"] = (t("book.caption.discrepancies", lang),
                                discrepancy_table(lang, data_dir=data_dir))
    if ours:
        out["survival_printed"] = (t("book.caption.survival_printed", lang),
                                   survival_printed_table(lang, data_dir=data_dir))
    out["audit"] = (t("audit.title", lang, lang=t(f"lang.{lang}", lang)),
                    audit_checks_table(report))
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text, starting with the byte-order mark (see the module docstring)."""
    return "\ufeff" + frame.to_csv(index=False, lineterminator="\n")


def html_text(frame: pd.DataFrame, *, title: str, lang: str, footer: str = "") -> str:
    """A standalone HTML page holding the frame as a table (cells escaped, as text)."""
    esc = html.escape
    head = "".join(f"<th>{esc(str(c))}</th>" for c in frame.columns)
    body = "\n".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>"
                     for row in frame.itertuples(index=False, name=None))
    foot = f'<p class="source">{esc(footer)}</p>\n' if footer else ""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{esc(title)}</h1>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n"
            f"</tbody>\n</table>\n{foot}</body>\n</html>\n")


def _check_folder(path: Path, what: str) -> None:
    """Fail before writing anything if ``path``, or the nearest part of it that exists, is a file."""
    for part in (path, *path.parents):
        if part.exists():
            if not part.is_dir():
                raise InputError(f"{what} is a file, not a folder" if part == path else
                                 f"{what} lies under a file, not a folder: {part}", file=path)
            return


def _record(lang: str, name: str, path: Path) -> ExportedFile:
    data = path.read_bytes()
    return ExportedFile(lang=lang, name=name, format=path.suffix.lstrip("."), path=path,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest())


def export_all(out_dir, *, langs=LANGS, data_dir=None, ensemble: dict | None = None,
               progress=None) -> ExportResult:
    """Write every table (CSV, HTML) and Figure 1 (PNG, SVG) under ``out_dir/<lang>/``.

    Parameters
    ----------
    out_dir : path
        Created if missing; must not be a file.
    langs : sequence of {"en", "zh"}
        Editions to write (default both).
    data_dir : path, optional
        Raw-data folder (see :func:`analysis.dataset.raw_dir`).
    ensemble : dict, optional
        :func:`analysis.ensemble.pipeline.load_or_build`'s result, for the survival figure;
        loaded (rebuilt only if stale) when not given and the folder has a survival spec.
    progress : callable, optional
        Called with each :class:`ExportedFile` as soon as it is written.

    Returns
    -------
    ExportResult

    Raises
    ------
    InputError
        If ``out_dir`` or one of its language folders is an existing file (nothing
        is written then).
    """
    langs = tuple(dict.fromkeys(check_lang(lang) for lang in langs))
    if not langs:
        raise ValueError("langs must name at least one language")
    out = Path(out_dir)
    _check_folder(out, "--out")
    for lang in langs:
        _check_folder(out / lang, "language folder")
    spec = survival_spec(data_dir)
    if ensemble is None and spec is not None:
        from .ensemble.pipeline import load_or_build

        ensemble = load_or_build(spec)
    footer_fingerprint = data_fingerprint(data_dir)
    files = []

    def done(lang, name, path):
        record = _record(lang, name, path)
        files.append(record)
        if progress is not None:
            progress(record)

    for lang in langs:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        footer = t("export.footer", lang, fingerprint=footer_fingerprint,
                   folder=data_folder_name(data_dir, lang))
        for name, (title, frame) in export_tables(lang, data_dir=data_dir).items():
            stem = file_stem(name, labelled=is_this_paper(data_dir))
            write_text(folder / f"{stem}.csv", csv_text(frame))
            done(lang, name, folder / f"{stem}.csv")
            write_text(folder / f"{stem}.html", html_text(frame, title=title, lang=lang,
                                                          footer=footer))
            done(lang, name, folder / f"{stem}.html")
        if spec is not None:
            for path in write_figure1(folder, lang, data=ensemble, spec_path=spec,
                                      stem=FIGURE_STEM):
                done(lang, "figure1", path)
    return ExportResult(out_dir=out, langs=langs, files=tuple(files))
