"""The reader documents of any digitized paper (need Quarto): the single-file peer-review
appendix and the journal-club handout (at most two pages).

:func:`render_appendix` renders ``appendix.qmd`` for one data folder and language into
one offline HTML file, :func:`render_handout` ``handout.qmd`` into a Typst PDF.
``tools/render.py`` makes this paper's through them, ``python -m analysis appendix`` and
``python -m analysis report --data-dir DIR`` another paper's. Without Quarto,
``python -m analysis export --data-dir DIR`` writes the same content as files.

A document is rendered in a scratch folder holding copies of its inputs (:data:`INPUTS`,
:data:`HANDOUT_INPUTS`), with the data folder passed as ``$REANALYSIS_DATA_DIR`` (which
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
from .dataset import PROJECT_ROOT, declaration, is_this_paper, raw_dir, survival_spec
from .errors import InputError
from .fonts import cjk_font_path
from .i18n import check_lang, t

__all__ = ["INPUTS", "HANDOUT_INPUTS", "PORT_RACE", "QUARTO_MISSING", "appendix_metadata",
           "handout_metadata", "render_appendix", "render_handout"]

# Renders that start kernels at once (two editions, two test workers) now and then lose
# this race: jupyter_client picks a kernel's TCP ports by binding and releasing them, so
# two kernels can pick the same port and one dies on start. One retry is enough.
PORT_RACE = "ZMQError: Address already in use"

# What appendix.qmd and handout.qmd need beside them, relative to the project root; an
# installed package carries them in DOCUMENTS_DIR (tools/build_documents.py copies them).
INPUTS = ("appendix.qmd", "tools/appendix.scss", "references.bib", "csl")
HANDOUT_INPUTS = ("handout.qmd",)
DOCUMENTS_DIR = "documents"

QUARTO_MISSING = ("the appendix and the handout are rendered by Quarto, which is not on PATH "
                  "(install it from https://quarto.org/docs/get-started/); `python -m analysis "
                  "export --data-dir DIR` writes the same content as files without it")


def _documents_root() -> Path:
    """Where :data:`INPUTS` are: the project root in a clone, the package's copy once installed."""
    if (PROJECT_ROOT / "appendix.qmd").is_file():
        return PROJECT_ROOT
    return Path(__file__).with_name(DOCUMENTS_DIR)


def appendix_metadata(lang: str, *, data_dir=None) -> dict:
    """Title, language and region of the appendix: this paper's title from the catalog,
    another paper's from its declaration, as the ``lang`` version prints it."""
    check_lang(lang)
    title = (t("appendix.title", lang) if is_this_paper(data_dir)
             else t("appendix.title_other", lang, paper=t("appendix.cited", lang, title=paper))
             if (paper := declaration(data_dir).title_in(lang))
             else t("appendix.title_untitled", lang))
    meta = {"title": title, "lang": lang}
    if lang == "zh":
        meta["region"] = "CN"
    return meta


def handout_metadata(lang: str, *, data_dir=None) -> dict:
    """Title and language of the handout, and ``survival: true`` when the paper has a
    survival spec, hence an ensemble to draw (``handout.qmd`` shows its figure page only
    then)."""
    check_lang(lang)
    title = (t("handout.title", lang) if is_this_paper(data_dir)
             else t("handout.title_other", lang, paper=t("appendix.cited", lang, title=paper))
             if (paper := declaration(data_dir).title_in(lang))
             else t("handout.title_untitled", lang))
    meta = {"title": title, "lang": lang, "survival": survival_spec(data_dir) is not None}
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
    return _render("appendix.qmd", INPUTS, "html", appendix_metadata, out, lang=lang,
                   data_dir=data_dir, quarto=quarto, log=log)


def render_handout(out, *, lang: str, data_dir=None, quarto: str | None = None,
                   log=None) -> Path:
    """Render the journal-club handout (Typst PDF, at most two pages) of the paper in
    ``data_dir`` (default: this paper) to ``out``; parameters and errors as
    :func:`render_appendix`.

    The CJK font (:func:`analysis.fonts.cjk_font_path`) is linked beside the document: it
    sets both languages.
    """
    return _render("handout.qmd", HANDOUT_INPUTS, "typst", handout_metadata, out, lang=lang,
                   data_dir=data_dir, quarto=quarto, log=log)


def _render(document: str, inputs, to: str, metadata, out, *, lang, data_dir, quarto, log) -> Path:
    """Render ``document`` in a scratch folder holding copies of ``inputs``; its one output
    replaces ``out``."""
    root = raw_dir(data_dir).resolve()
    decl = declaration(root)
    if lang not in decl.languages:
        raise InputError(f"declares no {lang!r} transcription (languages: "
                         f"{', '.join(decl.languages)})", file=root / "analyses.toml",
                         column="languages")
    quarto = quarto or shutil.which("quarto")
    if quarto is None:
        raise InputError(QUARTO_MISSING, file="quarto")
    with tempfile.TemporaryDirectory(prefix="render-") as scratch:
        scratch = Path(scratch)
        for rel in inputs:
            src, dest = _documents_root() / rel, scratch / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if src.is_dir() else shutil.copyfile)(src, dest)
        meta = scratch / "metadata.yml"
        # JSON is YAML: every string arrives quoted and escaped, whatever it holds.
        meta.write_text(json.dumps(metadata(lang, data_dir=root), ensure_ascii=False),
                        encoding="utf-8")
        if to == "typst":
            (scratch / "fonts").mkdir()
            (scratch / "fonts" / cjk_font_path().name).symlink_to(cjk_font_path())
        env = dict(os.environ, REANALYSIS_DATA_DIR=str(root), QUARTO_PROFILE=lang,
                   QUARTO_PYTHON=sys.executable, PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join(filter(None, (str(PROJECT_ROOT),
                                                            os.environ.get("PYTHONPATH")))))
        output = Path(document).with_suffix(".pdf" if to == "typst" else ".html").name
        for attempt in (1, 2):
            done = subprocess.run([quarto, "render", document, "--to", to,
                                   "--metadata-file", meta.name, "--output", output],
                                  cwd=scratch, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if log:
                log.write(done.stdout)
                log.flush()
            if done.returncode == 0 or attempt == 2 or PORT_RACE not in done.stdout:
                break
        if done.returncode != 0:
            tail = "" if log else "\n" + "\n".join((done.stdout or "").splitlines()[-20:])
            raise InputError(f"quarto render failed (exit {done.returncode}){tail}",
                             file=document)
        with atomic_path(out) as tmp:
            shutil.copyfile(scratch / output, tmp)
    return Path(out)
