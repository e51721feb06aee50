"""``pip install .`` from a clone puts ``trialcheck`` on PATH, and from a folder outside the
project it drafts, checks, audits and reports an example paper (issue 33).

The project (a fresh copy of its working state) goes into a new virtual environment with
``--no-deps``: the dependencies are the running environment's, seen through a ``.pth`` line
naming its site-packages (a path, not a site folder: its own ``.pth`` files, which point at
this checkout, are not read), so ``analysis`` can only come from the install. The build
backend (setuptools) comes from the package index, as ``make test``'s own install does:
the venv's bundled setuptools cannot build a wheel alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import __version__
from analysis.cli import _COMMANDS
from clone import fresh_copy
from harness import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "cgd"


@dataclass(frozen=True)
class Installed:
    """A venv with the project installed, and a working folder outside the project."""

    bin: Path
    work: Path

    def run(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "REANALYSIS_DATA_DIR")}
        env["PATH"] = os.pathsep.join((str(self.bin), env.get("PATH", "")))
        return subprocess.run(list(args), cwd=self.work, env=env, capture_output=True, text=True,
                              timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("install")
    clone = fresh_copy(base / "clone")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    Path(site, "dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(clone)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    work = base / "work"
    work.mkdir()
    return Installed(bin=venv / "bin", work=work)


@pytest.fixture(scope="module")
def drafted(installed) -> Path:
    """The cgd example typeset as a paper, then drafted by the installed command."""
    typeset = subprocess.run([sys.executable, str(PROJECT_ROOT / "benchmarks" / "typeset.py"), str(EXAMPLE),
                              str(installed.work / "paper")], capture_output=True, text=True, timeout=300)
    assert typeset.returncode == 0, typeset.stderr
    done = installed.run("trialcheck", "draft", "paper/paper.md", "--out", "cgd")
    assert done.returncode == 0, done.stderr
    assert "cgd/REVIEW.md" in done.stdout
    return installed.work / "cgd"


def test_the_command_is_the_installed_package(installed):
    assert shutil.which("trialcheck", path=str(installed.bin)) is not None
    done = installed.run(str(installed.bin / "python"), "-c", "import analysis; print(analysis.__file__)")
    assert Path(done.stdout.strip()).is_relative_to(installed.bin.parent), done.stdout
    assert installed.run("trialcheck", "--version").stdout.strip() == f"trialcheck {__version__}"


def test_the_install_pulls_no_test_package(installed):
    done = installed.run(str(installed.bin / "python"), "-c",
                         "import importlib.metadata as m; print('\\n'.join(m.requires('trialcheck')))")
    plain = {r.split(";")[0].strip() for r in done.stdout.splitlines() if "extra ==" not in r}
    assert "pandas" in plain and "ipykernel" in plain, done.stdout + done.stderr
    assert not {"pytest<9", "pytest-xdist", "hypothesis", "selenium<4.52", "pyyaml"} & plain


def test_the_sdist_carries_what_the_wheel_and_the_package_need(tmp_path):
    # Building the wheel from the sdist reads requirements.in and runs tools/build_documents.py,
    # which copies the appendix's and handout's sources; the package reads its catalog.
    from analysis.appendix import HANDOUT_INPUTS, INPUTS

    clone = fresh_copy(tmp_path / "clone")
    done = subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                           "print(build_meta.build_sdist(sys.argv[1]))", str(tmp_path / "dist")],
                          cwd=clone, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with tarfile.open(tmp_path / "dist" / done.stdout.split()[-1]) as sdist:
        members = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for rel in INPUTS + HANDOUT_INPUTS + ("analysis/catalog.toml", "requirements.in",
                                          "tools/build_documents.py"):
        assert rel in members, rel
    assert not any(name.startswith("tests/") for name in members)


def test_help_lists_every_command_and_the_three_steps(installed):
    done = installed.run("trialcheck", "--help")
    assert done.returncode == 0, done.stderr
    for name in _COMMANDS + ("reconstruct",):
        assert f"\n    {name} " in done.stdout, name
    for step in ("1. draft", "2. confirm", "3. report"):
        assert step in done.stdout
    assert "Cai" not in done.stdout.split("audit a paper")[0]   # the description fits any paper
    assert max(map(len, done.stdout.splitlines())) <= 80


def test_draft_check_and_audit_an_example_paper(installed, drafted):
    assert (drafted / "analyses.toml").is_file() and (drafted / "REVIEW.md").is_file()
    check = installed.run("trialcheck", "data", "--check", "--data-dir", "cgd")
    assert check.returncode == 0, check.stderr
    assert "all raw files valid" in check.stdout
    audit = installed.run("trialcheck", "audit", "--data-dir", "cgd", "--json")
    assert audit.returncode == 0, audit.stderr
    verdicts = {c["verdict"] for c in json.loads(audit.stdout)}
    assert "reproduced" in verdicts and "discrepant" in verdicts   # cgd prints planted errors


def test_without_a_data_folder_it_says_so_in_one_line(installed):
    done = installed.run("trialcheck", "audit")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no --data-dir given" in done.stderr, done.stderr


@pytest.mark.skipif(shutil.which("quarto") is None,
                    reason="Quarto is not on PATH: the report's appendix and handout need it "
                           "(.ci/run puts ../shared/tools/quarto/bin on PATH when it exists)")
def test_report_an_example_paper(installed, drafted):
    done = installed.run("trialcheck", "report", "--data-dir", "cgd", "--out", "cgd-report", timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    out = installed.work / "cgd-report" / "en"
    assert (out / "appendix.html").stat().st_size > 0 and (out / "handout.pdf").stat().st_size > 0
    assert (out / "table-1.csv").is_file()
