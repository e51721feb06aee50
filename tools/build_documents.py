"""setuptools' ``build_py`` (pyproject.toml), plus the sources of the appendix and the handout.

They live at the project root beside the book, which renders them too; an installed
``trialcheck report`` renders from the package's copy. Which files, and the folder they go
to, are read from ``analysis/appendix.py`` (its ``INPUTS``, ``HANDOUT_INPUTS`` and
``DOCUMENTS_DIR``) without importing it: the build has none of the package's dependencies.
"""

from __future__ import annotations

import ast
from pathlib import Path

from setuptools.command.build_py import build_py

__all__ = ["BuildPy"]

ROOT = Path(__file__).resolve().parent.parent
_NAMES = ("INPUTS", "HANDOUT_INPUTS", "DOCUMENTS_DIR")


def _constants() -> dict:
    tree = ast.parse((ROOT / "analysis" / "appendix.py").read_text(encoding="utf-8"))
    return {target.id: ast.literal_eval(node.value)
            for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name) and target.id in _NAMES}


class BuildPy(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install renders from the project root itself
            return
        names = _constants()
        dest = Path(self.build_lib, "analysis", names["DOCUMENTS_DIR"])
        for rel in names["INPUTS"] + names["HANDOUT_INPUTS"]:
            src, out = ROOT / rel, dest / rel
            self.mkpath(str(out.parent))
            (self.copy_tree if src.is_dir() else self.copy_file)(str(src), str(out))
