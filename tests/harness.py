"""Chapter-execution harness: run a .qmd's Python the way Quarto would, without Quarto.

``run_qmd(path, profile)`` extracts the ```{python} cells and the inline
`` `{python} expr` `` expressions of a Quarto document, in document order, runs them
in a fresh Jupyter kernel (nbclient) with ``QUARTO_PROFILE`` set and the document's
folder as working directory (as Quarto runs it), and returns what each produced. Any error, any output on
stderr (warnings included) raises :class:`ChapterError` naming the cell.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

__all__ = ["ChapterError", "CellOutput", "extract_cells", "run_qmd", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_FENCE = re.compile(r"^(?P<ticks>`{3,})\{python(?P<opts>[^}]*)\}\s*\n(?P<body>.*?)^(?P=ticks)\s*$",
                    re.S | re.M)
_INLINE = re.compile(r"`\{python\}\s+(?P<expr>[^`]+)`")
_OPTION = re.compile(r"^#\|\s*(?P<key>[\w-]+)\s*:\s*(?P<val>.*)$")


class ChapterError(RuntimeError):
    """A chapter cell raised, or wrote to stderr."""


@dataclass(frozen=True)
class CellOutput:
    """What one cell or inline expression produced.

    ``options`` holds the cell's ``#|`` options (label, tbl-cap, ...); ``text`` is
    stdout plus ``text/plain`` results; ``markdown``/``html`` the rich results;
    ``images`` the MIME types of image outputs.
    """

    kind: str  # "cell" or "inline"
    source: str
    options: dict = field(default_factory=dict)
    text: str = ""
    markdown: str = ""
    html: str = ""
    images: tuple = ()

    @property
    def label(self) -> str | None:
        return self.options.get("label")


def _options(body: str) -> dict:
    opts = {}
    for line in body.splitlines():
        m = _OPTION.match(line.strip())
        if not m:
            break
        opts[m["key"]] = m["val"].strip().strip('"').strip("'")
    return opts


def extract_cells(text: str) -> list[tuple[str, str, dict]]:
    """``(kind, source, options)`` for every Python cell and inline expression, in order."""
    found = []
    for m in _FENCE.finditer(text):
        found.append((m.start(), "cell", m["body"], _options(m["body"])))
    fenced = [(m.start(), m.end()) for m in re.finditer(r"^`{3,}.*?^`{3,}\s*$", text, re.S | re.M)]
    for m in _INLINE.finditer(text):
        if not any(a <= m.start() < b for a, b in fenced):
            found.append((m.start(), "inline", m["expr"].strip(), {}))
    return [(kind, src, opts) for _, kind, src, opts in sorted(found, key=lambda f: f[0])]


def _collect(kind: str, source: str, options: dict, outputs: list) -> CellOutput:
    text, markdown, html, images = [], [], [], []
    for out in outputs:
        if out.output_type == "stream":
            if out.name == "stderr":
                raise ChapterError(f"{kind} {options.get('label') or source[:60]!r} wrote to "
                                   f"stderr:\n{out.text}")
            text.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            data = out.data
            markdown.append(data.get("text/markdown", ""))
            html.append(data.get("text/html", ""))
            images.extend(k for k in data if k.startswith("image/"))
            if "text/markdown" not in data and "text/html" not in data:
                text.append(data.get("text/plain", ""))
    return CellOutput(kind=kind, source=source, options=options, text="".join(text),
                      markdown="\n".join(filter(None, markdown)),
                      html="\n".join(filter(None, html)), images=tuple(images))


def run_qmd(path, profile: str = "en", *, env: dict | None = None,
            timeout: int = 600) -> list[CellOutput]:
    """Execute a .qmd's Python in a fresh kernel as the ``profile`` edition.

    Parameters
    ----------
    path : path of the .qmd
    profile : {"en", "zh"}
        Passed to the kernel as ``QUARTO_PROFILE``, as Quarto does.
    env : dict, optional
        Extra environment variables for the kernel (e.g. ``REANALYSIS_DATA_DIR``).
    """
    path = Path(path)
    cells = extract_cells(path.read_text(encoding="utf-8"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for _, src, _ in cells]
    kernel_env = {**os.environ, "QUARTO_PROFILE": profile, "PYTHONWARNINGS": "default",
                  "MPLBACKEND": "agg", **(env or {})}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.resolve().parent)}})
    try:
        client.execute(env=kernel_env)
    except CellExecutionError as err:
        raise ChapterError(f"{path.name} ({profile}): {err}") from None
    return [_collect(kind, src, opts, cell.get("outputs", []))
            for (kind, src, opts), cell in zip(cells, nb.cells)]
