"""Where a rendered number came from: data fingerprint, git commit, package versions.

The colophon prints a :class:`Provenance`. ``tools/render.py`` fingerprints every input of
the book with :func:`fingerprint` and clears an edition's frozen results when one changes,
so no stale number survives a re-render (Quarto's ``freeze: auto`` only watches the
``.qmd`` files).
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from .dataset import PROJECT_ROOT, is_this_paper, raw_dir
from .i18n import t

__all__ = ["PACKAGES", "Provenance", "data_fingerprint", "data_folder_name", "fingerprint", "git_commit",
           "package_versions", "collect"]

_ROOT = PROJECT_ROOT

# The packages whose versions can change a number or a figure in the book.
PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "lifelines", "matplotlib",
            "mplfonts", "tabulate", "nbclient", "ipykernel")


def fingerprint(paths, *, root, extra: str = "") -> str:
    """SHA-256 over the files at or below ``paths`` (relative to ``root``).

    Each file contributes its path relative to ``root`` and its bytes, in sorted path
    order, so renaming, editing, adding or removing a file changes the fingerprint.
    Python caches (``__pycache__``) are skipped; ``extra`` (e.g. a tool's version) is
    hashed first. A path that does not exist contributes nothing. Equivalent shell:
    ``find PATHS -type f | sort`` then hash ``path\\0bytes\\0`` for each.
    """
    root = Path(root)
    files = set()
    for rel in paths:
        path = root / rel
        if path.is_file():
            files.add(path)
        elif path.is_dir():
            files.update(p for p in path.rglob("*")
                         if p.is_file() and "__pycache__" not in p.relative_to(root).parts)
    digest = hashlib.sha256()
    if extra:
        digest.update(extra.encode("utf-8") + b"\0")
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def data_fingerprint(data_dir=None) -> str:
    """:func:`fingerprint` of every file under the raw-data folder (:func:`analysis.dataset.raw_dir`)."""
    root = raw_dir(data_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"data directory not found: {root}")
    return fingerprint(["."], root=root)


def data_folder_name(data_dir=None, lang: str | None = None) -> str:
    """How a reader is told which folder the fingerprint is of: ``data/raw`` for this
    paper, "the data folder" for another paper's (its path is the user's machine's)."""
    return _folder_name(is_this_paper(data_dir), lang)


def _folder_name(this_paper: bool, lang: str | None) -> str:
    return "data/raw" if this_paper else t("book.colophon.data_folder", lang)


def git_commit(root=None) -> str:
    """The checked-out commit, with ``+dirty`` when tracked files differ from it.

    ``"unknown"`` outside a git work tree (e.g. an unpacked release tarball).
    """
    cwd = Path(root) if root is not None else _ROOT
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha}+dirty" if dirty else sha


def package_versions(names=PACKAGES) -> dict[str, str]:
    """Installed version of each distribution in ``names`` ("not installed" if absent)."""
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@dataclass(frozen=True)
class Provenance:
    """Everything the colophon prints.

    Attributes
    ----------
    data_fingerprint : str
        :func:`data_fingerprint` of the data folder in use.
    this_paper : bool
        Whether that folder is this paper's ``data/raw`` (:func:`analysis.dataset.is_this_paper`).
    git_commit : str
        :func:`git_commit`.
    python : str
        The interpreter's version.
    packages : tuple of (str, str)
        ``(distribution, version)`` pairs, in :data:`PACKAGES` order.
    """

    data_fingerprint: str
    this_paper: bool
    git_commit: str
    python: str
    packages: tuple[tuple[str, str], ...]

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per item, columns ``item`` and ``value``, labels in ``lang``."""
        rows = [(t("book.colophon.fingerprint", lang, folder=_folder_name(self.this_paper, lang)),
                 self.data_fingerprint),
                (t("book.colophon.commit", lang), self.git_commit),
                ("Python", self.python), *self.packages]
        return pd.DataFrame(rows, columns=[t("book.colophon.item", lang),
                                           t("book.colophon.value", lang)])


def collect(*, data_dir=None) -> Provenance:
    """The :class:`Provenance` of the current checkout and environment."""
    import platform

    return Provenance(data_fingerprint=data_fingerprint(data_dir),
                      this_paper=is_this_paper(data_dir),
                      git_commit=git_commit(),
                      python=platform.python_version(),
                      packages=tuple(package_versions().items()))
