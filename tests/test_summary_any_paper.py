"""Another paper's summaries: ``reconstruct summary --spec`` on its spec (issue #20, part 1:
its own arm names, its files beside its spec, this paper's ``data/derived`` untouched), and
the appendix's summary paragraph, which says what was checked and what was left unchecked
and announces findings only where there are some (issue #30)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

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


# ---------------------------------------------------------------------------------------
# The appendix's summary paragraph (analysis.present.findings.appendix_summary)

NEWUSER = PROJECT_ROOT / "tests" / "fixtures" / "wjcc-2022-12587"   # 38 checks, none discrepant, 12 unchecked
EXAMPLES = PROJECT_ROOT / "data" / "examples"


def test_a_summary_with_nothing_discrepant_announces_no_findings():
    """A new user's report (issue #30) read "0 are discrepant, that is no admissible input and
    method gives the printed value. The discrepant findings follow in plain language ..."
    where none followed."""
    from analysis.i18n import t
    from analysis.present.findings import appendix_summary

    for lang in ("en",):
        text = appendix_summary(lang, data_dir=NEWUSER)
        assert "0 are discrepant" not in text and "discrepant findings follow" not in text, text
        assert "none is discrepant" in text, text
        assert text.endswith(t("readers.appendix.summary_follow_none", lang)), text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_summary_with_findings_still_announces_them(lang):
    from analysis.i18n import t
    from analysis.present.findings import appendix_summary

    text = appendix_summary(lang, data_dir=EXAMPLES / "udca")
    assert t("readers.appendix.summary_follow", lang) in text
    assert "none is discrepant" not in text and "无不符" not in text


def test_a_summary_counts_what_was_checked_and_what_was_left_unchecked():
    """The same report said it "checks every statistic printed in ..., 38" although 12 printed
    values were declared unchecked (and listed further down)."""
    from analysis.present.findings import appendix_summary

    text = appendix_summary("en", data_dir=NEWUSER)
    assert "every statistic" not in text, text
    assert "checks 38 of the values" in text and "12 other printed values were left unchecked" in text, text
    assert "What was left unchecked, and why" in text
    # a paper that leaves nothing unchecked keeps "every"
    assert "checks every statistic printed in" in appendix_summary("en", data_dir=EXAMPLES / "udca")
