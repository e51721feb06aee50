"""The single-file peer-review appendix for any digitized paper (needs Quarto).

:func:`render_appendix` renders ``appendix.qmd`` for one data folder and language into
one offline HTML file. ``tools/render.py`` makes this paper's appendices through it,
and ``python -m analysis appendix --data-dir DIR`` another paper's. Without Quarto,
``python -m analysis export --data-dir DIR`` writes the same content as files.

The document is rendered in a scratch folder holding copies of its inputs
(:data:`INPUTS`), with the data folder passed as ``$REANALYSIS_DATA_DIR`` (which
:func:`analysis.dataset.raw_dir` reads) and the language as ``$QUARTO_PROFILE``; the
title and language reach Quarto in a metadata file, since a quoted ``-M title:`` value
arrives in the page with its quotes. The result replaces ``out`` in one rename.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .atomic import atomic_path
from .dataset import PROJECT_ROOT, declaration, is_this_paper, raw_dir
from .errors import InputError
from .i18n import check_lang, t

__all__ = ["INPUTS", "QUARTO_MISSING", "appendix_metadata", "render_appendix"]

# What appendix.qmd needs beside it, relative to the project root.
INPUTS = ("appendix.qmd", "tools/appendix.scss", "references.bib", "csl")

QUARTO_MISSING = ("the appendix is rendered by Quarto, which is not on PATH (install it from "
                  "https://quarto.org/docs/get-started/); `python -m analysis export "
                  "--data-dir DIR` writes the same content as files without it")


def appendix_metadata(lang: str, *, data_dir=None) -> dict:
    """Title, language and region of the appendix: this paper's title from the catalog,
    another paper's from its declaration."""
    check_lang(lang)
    title = (t("appendix.title", lang) if is_this_paper(data_dir)
             else t("appendix.title_other", lang, paper=declaration(data_dir).title))
    meta = {"title": title, "lang": lang}
    if lang == "zh":
        meta["region"] = "CN"
    return meta


def render_appendix(out, *, lang: str, data_dir=None, quarto: str | None = None,
                    log=None) -> Path:
    """Render the appendix of the paper in ``data_dir`` (default: this paper) to ``out``.

    Parameters
    ----------
    out : path
        The HTML file to write (replaced whole, or left as it was on failure).
    lang : {"en", "zh"}
        A language the data folder declares.
    data_dir : path, optional
        The paper's raw-data folder (:func:`analysis.dataset.raw_dir`).
    quarto : str, optional
        The Quarto executable (default: ``quarto`` on PATH).
    log : file, optional
        Where Quarto's own output goes (default: captured, shown only on failure).

    Raises
    ------
    InputError
        Quarto is missing or fails, or the data folder does not declare ``lang``.
    """
    root = raw_dir(data_dir).resolve()
    decl = declaration(root)
    if lang not in decl.languages:
        raise InputError(f"declares no {lang!r} transcription (languages: "
                         f"{', '.join(decl.languages)})", file=root / "analyses.toml",
                         column="languages")
    quarto = quarto or shutil.which("quarto")
    if quarto is None:
        raise InputError(QUARTO_MISSING, file="quarto")
    with tempfile.TemporaryDirectory(prefix="appendix-") as scratch:
        scratch = Path(scratch)
        for rel in INPUTS:
            src, dest = PROJECT_ROOT / rel, scratch / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if src.is_dir() else shutil.copyfile)(src, dest)
        meta = scratch / "metadata.yml"
        # JSON is YAML: every string arrives quoted and escaped, whatever it holds.
        meta.write_text(json.dumps(appendix_metadata(lang, data_dir=root), ensure_ascii=False),
                        encoding="utf-8")
        env = dict(os.environ, REANALYSIS_DATA_DIR=str(root), QUARTO_PROFILE=lang,
                   QUARTO_PYTHON=sys.executable, PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join(filter(None, (str(PROJECT_ROOT),
                                                            os.environ.get("PYTHONPATH")))))
        done = subprocess.run([quarto, "render", "appendix.qmd", "--to", "html",
                               "--metadata-file", meta.name, "--output", "appendix.html"],
                              cwd=scratch, env=env, text=True,
                              stdout=log or subprocess.PIPE, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            tail = "" if log else "\n" + "\n".join((done.stdout or "").splitlines()[-20:])
            raise InputError(f"quarto render failed (exit {done.returncode}){tail}",
                             file="appendix.qmd")
        with atomic_path(out) as tmp:
            shutil.copyfile(scratch / "appendix.html", tmp)
    return Path(out)
