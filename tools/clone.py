"""A fresh copy of the project's working state, as `git clone` would give it plus edits.

Used by the render tests (tests/conftest.py) and benchmarks/render.py: tracked and
untracked-but-not-ignored files are copied with their mtimes (so make sees the install
stamp as fresh), and the project's .venv is linked, not rebuilt.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

__all__ = ["fresh_copy"]

ROOT = Path(__file__).resolve().parent.parent


def fresh_copy(dest: Path, *, root: Path = ROOT) -> Path:
    """Copy ``root``'s working state into ``dest`` (created) and link its ``.venv``."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=root, capture_output=True, check=True).stdout
    dest.mkdir(parents=True, exist_ok=True)
    for rel in filter(None, listed.decode("utf-8").split("\0")):
        src = root / rel
        if src.is_file():  # a tracked file deleted in the work tree is not copied
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    (dest / ".venv").symlink_to(root / ".venv")
    return dest
