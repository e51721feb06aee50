"""Shared fixtures: a writable copy of data/raw, and chapter runs cached per session."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from harness import PROJECT_ROOT, run_qmd

RAW = PROJECT_ROOT / "data" / "raw"


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
