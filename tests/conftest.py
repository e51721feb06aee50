"""Shared fixtures: a writable copy of data/raw, chapter runs cached per session, and one
real render of a fresh copy of the project per session."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from clone import fresh_copy
from harness import PROJECT_ROOT, run_qmd

RAW = PROJECT_ROOT / "data" / "raw"

# The session's renders (the book, every example's report) are made once per worker: the
# tests that read them run on one worker (`-n auto --dist loadgroup`, pyproject.toml), the
# rest of the suite on the others.
_RENDERS = {"rendered", "reports", "newuser_report"}


@pytest.hookimpl(tryfirst=True)          # before xdist reads the marks into each item's group
def pytest_collection_modifyitems(items):
    for item in items:
        if _RENDERS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("render"))


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A fresh copy of data/raw that a test may corrupt."""
    dest = tmp_path / "raw"
    shutil.copytree(RAW, dest)
    return dest


@lru_cache(maxsize=None)
def _run_cached(path: str, profile: str):
    return tuple(run_qmd(path, profile))


@pytest.fixture(scope="session")
def run_chapter():
    """``run_chapter(path, profile)``: a chapter's outputs, executed once per session."""
    return lambda path, profile: _run_cached(str(Path(path).resolve()), profile)


# ---------------------------------------------------------------------------------------
# One real render per session (tests/test_render*.py, tests/test_browser.py)

QUARTO_MISSING = ("Quarto is not on PATH: the render tests need a real Quarto "
                  "(.ci/run puts ../shared/tools/quarto/bin on PATH when it exists)")


@dataclass(frozen=True)
class Rendered:
    """A fresh copy of the project after ``make report``: its root and the run's output."""

    root: Path
    stdout: str

    def book(self, lang: str) -> Path:
        return self.root / "_book" / lang

    def make_report(self, *args: str) -> subprocess.CompletedProcess:
        """``make report`` (or ``tools/render.py ARGS``) in the copy; fails the test on error."""
        cmd = ([str(self.root / ".venv" / "bin" / "python"), "tools/render.py", *args] if args
               else ["make", "-o", ".venv/.installed", "report"])
        done = subprocess.run(cmd, cwd=self.root, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}"
        return done


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Rendered:
    """The project rendered once, as `make report` does it on a fresh clone."""
    if shutil.which("quarto") is None:
        pytest.skip(QUARTO_MISSING)
    # The venv is linked, not rebuilt; `make -o` keeps make from reinstalling into it.
    root = fresh_copy(tmp_path_factory.mktemp("clone") / "project")
    run = Rendered(root=root, stdout="")
    done = run.make_report()
    return Rendered(root=root, stdout=done.stdout)


# ---------------------------------------------------------------------------------------
# `python -m analysis report` on every example paper, once per session (tests/test_report.py,
# the layout tests of tests/test_pdf_layout.py and tests/test_browser.py)

EXAMPLES = PROJECT_ROOT / "data" / "examples"


def example_editions() -> list[tuple[str, str]]:
    """``(example, lang)`` for every declared language of every example paper."""
    from analysis.declaration import load_declaration

    return [(p.parent.name, lang) for p in sorted(EXAMPLES.glob("*/analyses.toml"))
            for lang in load_declaration(p.parent).languages]


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> dict:
    """``{example: OUT}`` after ``report --data-dir data/examples/<example> --out OUT``."""
    if shutil.which("quarto") is None:
        pytest.skip(QUARTO_MISSING)
    out = {}
    for name in sorted({name for name, _ in example_editions()}):
        folder = tmp_path_factory.mktemp(f"report-{name}")
        done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "analysis", "report",
                               "--data-dir", str(EXAMPLES / name), "--out", str(folder)],
                              cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"report {name} failed:\n{done.stdout}\n{done.stderr}"
        out[name] = folder
    return out


# A new user's confirmed transcription of a report the project had never seen (issue #30):
# 38 checks, none discrepant, 12 printed values declared unchecked (tests/test_report_real.py)
NEWUSER = PROJECT_ROOT / "tests" / "fixtures" / "wjcc-2022-12587"


@pytest.fixture(scope="session")
def newuser_report(tmp_path_factory) -> Path:
    """``OUT/en`` after ``report --data-dir tests/fixtures/wjcc-2022-12587 --out OUT``."""
    if shutil.which("quarto") is None:
        pytest.skip(QUARTO_MISSING)
    folder = tmp_path_factory.mktemp("report-newuser")
    done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "analysis", "report",
                           "--data-dir", str(NEWUSER), "--out", str(folder)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"report failed:\n{done.stdout}\n{done.stderr}"
    return folder / "en"
