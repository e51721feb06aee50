"""The two set-up commands: idempotent installs, and a clear stop when Quarto is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import PROJECT_ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_second_run_does_not_reinstall():
    # `make test` got us here, so the install stamp is up to date: `make -q` exits 0
    # exactly when the target would run no recipe.
    done = subprocess.run(["make", "-q", ".venv/.installed"], cwd=PROJECT_ROOT)
    assert done.returncode == 0


@pytest.mark.skipif(shutil.which("quarto", path="/usr/bin:/bin") is not None,
                    reason="quarto is installed system-wide")
def test_render_without_quarto_stops_with_one_clear_paragraph(tmp_path):
    # On a PATH without quarto the script must explain how to get Quarto and exit 1.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": os.environ.get("LANG", "C.UTF-8")}
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "tools" / "render.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Quarto is needed to render the book" in done.stderr
    assert "https://quarto.org/docs/get-started/" in done.stderr
    assert "analysis export" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.skipif(Path(sys.prefix).resolve() != (PROJECT_ROOT / ".venv").resolve(),
                    reason="not running in the project's .venv")
def test_venv_imports_the_package_from_any_folder(tmp_path):
    # Chapters run their kernels from chapters/; users run commands from anywhere.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", "import analysis; print(analysis.__file__)"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve().parent == (PROJECT_ROOT / "analysis").resolve()


def test_render_stops_on_bad_data_before_rendering_anything(tmp_path):
    # A quarto that only reports its version: the data check must stop the render first.
    from clone import fresh_copy

    root = fresh_copy(tmp_path / "project")
    table = root / "data" / "raw" / "en" / "table1.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(",68.17,", ",68.1x7,", 1),
                     encoding="utf-8")
    shim = tmp_path / "bin" / "quarto"
    shim.parent.mkdir()
    shim.write_text("#!/bin/sh\necho 1.10.18\n")
    shim.chmod(0o755)
    env = dict(os.environ, PATH=f"{shim.parent}:/usr/bin:/bin")
    done = subprocess.run([sys.executable, "tools/render.py"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "data/raw/en/table1.csv" in done.stderr and "nothing was rendered" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (root / "_book").exists() and not (root / "_build").exists()
