"""``reconstruct summary --spec`` on another paper's spec (issue #20, part 1): its own arm
names, its files beside its spec, this paper's ``data/derived`` untouched."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

from harness import PROJECT_ROOT

PBC = PROJECT_ROOT / "data" / "examples" / "pbc" / "survival_spec.toml"
DERIVED = PROJECT_ROOT / "data" / "derived"


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*")) if p.is_file()}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "analysis", "reconstruct", "summary", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)


def test_another_papers_spec_runs_with_its_arm_names_and_writes_beside_itself(tmp_path):
    spec = tmp_path / "survival_spec.toml"
    shutil.copy(PBC, spec)
    before = _digest(DERIVED)
    res = _run("--spec", str(spec), "--draws", "4", "--verdict-tries", "0")
    assert res.returncode == 0, res.stderr
    assert "D-penicillamine" in res.stdout and "Placebo" in res.stdout
    assert (tmp_path / "derived" / "ensemble_summary.json").is_file()
    assert _digest(DERIVED) == before


def test_an_arm_name_of_the_wrong_shape_is_one_line_naming_the_key(tmp_path):
    spec = tmp_path / "survival_spec.toml"
    spec.write_text(PBC.read_text(encoding="utf-8").replace('name = "Placebo"', "name = 3"), encoding="utf-8")
    res = _run("--spec", str(spec), "--draws", "4", "--verdict-tries", "0")
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and "arms.placebo.name" in res.stderr, res.stderr
    assert not (tmp_path / "derived").exists()


def test_an_endpoint_name_of_the_wrong_shape_names_its_key(tmp_path):
    import pytest

    from analysis.ensemble.spec import load_spec
    from analysis.errors import InputError

    spec = tmp_path / "survival_spec.toml"
    spec.write_text(PBC.read_text(encoding="utf-8").replace(
        "[endpoints.os]\n", "[endpoints.os]\nname = { fr = \"Survie\" }\n"), encoding="utf-8")
    with pytest.raises(InputError, match=r"endpoints\.os\.name"):
        load_spec(spec)
    spec.write_text(PBC.read_text(encoding="utf-8").replace(
        "[endpoints.os]\n", "[endpoints.os]\nname = { en = \"Death\", zh = \"死亡\" }\n"), encoding="utf-8")
    assert load_spec(spec).endpoint_label("os", "zh") == "死亡"
