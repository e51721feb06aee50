"""Audit a folder of papers on a Dask cluster: one tidy table of every check of every paper.

A *paper* in the folder is either a declared data folder (a folder holding ``analyses.toml``,
audited as it is) or a paper's file (Markdown, text, HTML/JATS XML, Word, PDF), drafted
first (:mod:`analysis.draft`) into ``OUT/drafts/<name>/`` and then audited. Each paper is one
Dask task; a paper that fails (unreadable file, a draft that does not load) is a row of
``papers.csv`` with its error, never the end of the run.
"""

from __future__ import annotations

import io
import time
import traceback
from pathlib import Path

import pandas as pd

from ..atomic import write_bytes, write_text

__all__ = ["PAPER_SUFFIXES", "CHECK_COLUMNS", "PAPER_COLUMNS", "find_papers", "audit_paper",
           "audit_corpus", "write_audit_outputs"]

PAPER_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".xml", ".docx", ".pdf")
CHECK_COLUMNS = ("paper", "lang", "check", "family", "quantity", "printed", "recomputed",
                 "verdict", "knock_on_of")
PAPER_COLUMNS = ("paper", "kind", "langs", "checks", "reproduced", "discrepant",
                 "not_checkable", "error")


def find_papers(folder, *, pattern: str = "*") -> list[tuple[str, str, str]]:
    """``(name, kind, path)`` of every paper under ``folder``, sorted by name: ``kind`` is
    ``"declared"`` (a folder with ``analyses.toml``; not searched further) or ``"file"`` (a
    file with one of :data:`PAPER_SUFFIXES` whose name matches the glob ``pattern``, e.g.
    ``paper.md`` where each paper's folder holds notes too). ``name`` is the path relative to
    ``folder``."""
    import fnmatch

    folder = Path(folder)
    found = []

    def walk(d: Path):
        if (d / "analyses.toml").is_file():
            rel = d.relative_to(folder).as_posix()
            found.append((d.name if rel == "." else rel, "declared", str(d)))
            return
        for child in sorted(d.iterdir()):
            if child.is_dir() and not child.name.startswith("."):
                walk(child)
            elif child.is_file() and child.suffix.lower() in PAPER_SUFFIXES \
                    and not child.name.startswith(".") and child.name.upper() != "README.MD" \
                    and fnmatch.fnmatch(child.name, pattern):
                found.append((child.relative_to(folder).as_posix(), "file", str(child)))

    walk(folder)
    return sorted(found)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def audit_paper(name: str, kind: str, path: str, drafts_dir: str) -> tuple[list[dict], dict]:
    """Every check of one paper (rows of :data:`CHECK_COLUMNS`) and its summary row
    (:data:`PAPER_COLUMNS`, and ``seconds``, the wall time, which is not written out);
    any exception becomes the summary's ``error``."""
    from ..audit import run_audit
    from ..dataset import clear_cache, declaration

    start = time.perf_counter()
    rows, langs = [], []
    summary = {"paper": name, "kind": kind, "langs": "", "checks": 0, "reproduced": 0,
               "discrepant": 0, "not_checkable": 0, "error": ""}
    try:
        data_dir = Path(path)
        if kind == "file":
            from ..draft import read_paper
            from ..draft.build import drafts_of
            from ..draft.output import write_draft

            document = read_paper(path)
            drafts = drafts_of(document)
            data_dir = Path(drafts_dir) / name
            write_draft(drafts, data_dir, paper=path, remarks=tuple(document.remarks), force=True,
                        lang=next(iter(drafts)) if len(drafts) == 1 else "en",
                        title=document.title or "")
        clear_cache()
        langs = list(declaration(data_dir).languages)
        for lang in langs:
            report = run_audit(lang, data_dir=data_dir)
            for c in report.checks:
                rec = c.as_json()
                rows.append({"paper": name, "lang": lang, "check": c.id, "family": c.method,
                             "quantity": c.quantity, "printed": _text(c.reported),
                             "recomputed": _text(rec["recomputed"]), "verdict": c.verdict,
                             "knock_on_of": c.knock_on_of or ""})
    except Exception as err:                            # a paper's failure is a row
        last = traceback.extract_tb(err.__traceback__)[-1]
        summary["error"] = (f"{type(err).__name__}: {err}".splitlines()[0][:300]
                            + f" ({Path(last.filename).name}:{last.lineno})")
    summary["langs"] = " ".join(langs)
    summary["checks"] = len(rows)
    for verdict in ("reproduced", "discrepant", "not_checkable"):
        summary[verdict] = sum(r["verdict"] == verdict for r in rows)
    summary["seconds"] = round(time.perf_counter() - start, 2)
    return rows, summary


def audit_corpus(folder, out, *, client, pattern: str = "*",
                 progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Audit every paper of ``folder`` on ``client``'s cluster (one task per paper).

    Returns the checks (:data:`CHECK_COLUMNS`) and the per-paper summary
    (:data:`PAPER_COLUMNS`), both in the papers' order.
    """
    from distributed import as_completed

    papers = find_papers(folder, pattern=pattern)
    drafts = Path(out) / "drafts"
    if progress is not None:
        progress.total = len(papers)
        progress.refresh()
    futures = {client.submit(audit_paper, name, kind, path, str(drafts), pure=False): i
               for i, (name, kind, path) in enumerate(papers)}
    results = [None] * len(papers)
    for future in as_completed(list(futures)):
        results[futures[future]] = future.result()
        if progress is not None:
            progress.update(1)
    checks = pd.DataFrame([r for rows, _ in results for r in rows], columns=list(CHECK_COLUMNS))
    summary = pd.DataFrame([s for _, s in results], columns=[*PAPER_COLUMNS, "seconds"])
    return checks, summary


def _csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def write_audit_outputs(checks: pd.DataFrame, papers: pd.DataFrame, out) -> list[str]:
    """``checks.csv``, ``papers.csv`` and, when pyarrow is installed, ``checks.parquet`` and
    ``papers.parquet``; returns the names written."""
    out = Path(out)
    written = []
    papers = papers[list(PAPER_COLUMNS)]                # no wall times: same bytes on a rerun
    for name, frame in (("checks", checks), ("papers", papers)):
        write_text(out / f"{name}.csv", _csv(frame))
        written.append(f"{name}.csv")
        try:
            buf = io.BytesIO()
            frame.to_parquet(buf, index=False)
        except ImportError:
            continue
        write_bytes(out / f"{name}.parquet", buf.getvalue())
        written.append(f"{name}.parquet")
    return written
