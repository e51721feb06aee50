"""``python -m analysis data --check`` as a user runs it."""

from __future__ import annotations

import subprocess
import sys

from harness import PROJECT_ROOT


def _run(*args, cwd=PROJECT_ROOT):
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_check_passes_with_one_line_per_table():
    res = _run("data", "--check")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().split("\n")
    assert lines[0] == "data/raw/en/table1.csv: 86 rows, 17 items, 86 values with the source and row label they were printed under"
    assert lines[-2] == ("data/raw/analyses.toml: 53 analyses claim every printed statistic "
                         "(154 values judged, 0 listed as unchecked)")
    assert len(lines) == 13 and lines[-1] == "all raw files valid (12 files)"


def test_check_fails_cleanly_on_a_corrupted_copy(raw_copy):
    path = raw_copy / "zh" / "table3.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "table3,afu,m4,control,sd,11.34", "table3,afu,m4,control,sd,eleven"), encoding="utf-8")
    res = _run("data", "--check", "--data-dir", str(raw_copy))
    assert res.returncode == 1
    assert res.stdout == ""
    err = res.stderr.strip()
    assert "Traceback" not in err and len(err.split("\n")) == 1
    assert err.startswith(f"error: {raw_copy / 'zh' / 'table3.csv'}: row 47, column 'value': ")


def test_missing_file_is_one_line(raw_copy):
    (raw_copy / "en" / "text.csv").unlink()
    res = _run("data", "--check", "--data-dir", str(raw_copy))
    assert res.returncode == 1
    assert res.stderr.strip() == f"error: {raw_copy / 'en' / 'text.csv'}: file not found"
