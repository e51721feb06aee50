"""appendix.qmd (single-file HTML for reviewers) and handout.qmd (two-page Typst PDF)."""

from __future__ import annotations

import re

import pytest
import yaml

from analysis.audit import run_audit
from analysis.dataset import load_discrepancies
from analysis.present.findings import key_findings
from analysis.present.readers import reader_findings
from analysis.i18n import catalog, t
from harness import PROJECT_ROOT

APPENDIX = PROJECT_ROOT / "appendix.qmd"
HANDOUT = PROJECT_ROOT / "handout.qmd"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def front_matter(path) -> dict:
    """The YAML front matter, parsed by PyYAML."""
    match = re.match(r"---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.S)
    assert match, f"{path.name}: no front matter"
    return yaml.safe_load(match[1])


# ---------------------------------------------------------------------------------------
# Front matter


def test_appendix_is_one_offline_html_file():
    html = front_matter(APPENDIX)["format"]["html"]
    assert html["embed-resources"] is True
    assert html["html-math-method"] == "plain"  # no MathJax from a CDN
    assert html["theme"] == ["cosmo", "tools/appendix.scss"]
    scss = (PROJECT_ROOT / "tools" / "appendix.scss").read_text(encoding="utf-8")
    assert re.search(r"scss:defaults --\*/.*\$web-font-path:\s*false;", scss, re.S)
    assert front_matter(APPENDIX)["execute"] == {"echo": False}


def test_handout_is_a_left_aligned_a4_typst_document():
    typst = front_matter(HANDOUT)["format"]["typst"]
    assert typst["papersize"] == "a4"
    assert typst["margin"] == {"x": "1.5cm", "y": "1.4cm"}
    assert typst["fontsize"] == "10.5pt"
    assert typst["mainfont"] == "Noto Sans CJK SC" and typst["font-paths"] == "fonts"
    assert typst["toc"] is False and typst["number-sections"] is False
    assert "html" not in front_matter(HANDOUT)["format"]
    # In the body (after the template's `#show`, which justifies); the title block comes
    # before the body, so the header holds its own: a show-set rule, which the template's
    # `set par(justify: true)` does not undo (a long title was hyphenated "be-/tween").
    raw = re.search(r"```\{=typst\}\n(.*?)```", HANDOUT.read_text(encoding="utf-8"), re.S)
    assert raw, "handout.qmd: no raw Typst block"
    for rule in ("#set par(justify: false)", "#set text(hyphenate: false)"):
        assert rule in raw[1]
    assert typst["include-in-header"]["text"].split("\n")[:2] == ["#set text(hyphenate: false)",
                                                                  "#show par: set par(justify: false)"]


def test_each_lone_document_gets_its_edition_title_and_language():
    # Passed as a metadata file: a quoted `-M title:"..."` reached Typst with its quotes.
    from analysis.appendix import appendix_metadata, handout_metadata

    for lang in ("en", "zh"):
        for meta, doc in ((handout_metadata(lang), "handout"), (appendix_metadata(lang), "appendix")):
            assert meta["title"] == t(f"{doc}.title", lang) and meta["lang"] == lang
            assert meta.get("region") == ("CN" if lang == "zh" else None)
        assert handout_metadata(lang)["survival"] is True      # this paper's figure page
    pbc = PROJECT_ROOT / "data" / "examples" / "pbc"
    assert appendix_metadata("en", data_dir=pbc)["title"].startswith("Mayo Clinic PBC trial")
    other = handout_metadata("en", data_dir=pbc)
    assert "Mayo Clinic PBC trial" in other["title"] and other["survival"] is True  # its spec
    gbsg = handout_metadata("en", data_dir=PROJECT_ROOT / "data" / "examples" / "gbsg")
    assert gbsg["survival"] is False  # no survival_spec.toml


# ---------------------------------------------------------------------------------------
# Executed as Quarto would (tests/harness.py), both editions


@pytest.mark.parametrize("profile", ["en", "zh"])
def test_appendix_executes_cleanly(run_chapter, profile):
    outputs = run_chapter(APPENDIX, profile)  # raises on any error or stderr output
    cells = {o.label: o for o in outputs if o.label}
    report = run_audit(profile)
    counts = report.summary()
    summary = cells["summary"].markdown
    assert summary.startswith(f"## {t('readers.appendix.summary_title', profile)}\n")
    assert len([p for p in summary.split("\n\n") if p.strip()]) == 2  # heading, one paragraph
    for n in (len(report.checks), *counts.values()):
        assert re.search(rf"(?<![\d.]){n}(?![\d.])", summary), n
    # Each discrepant check: heading, sentence, printed against allowed, method, why, detail.
    found = reader_findings(report)
    discrepant = cells["discrepant"].markdown
    assert len(found) == counts["discrepant"] == discrepant.count("\n### ")
    for f in found:
        assert f"### {found.index(f) + 1}. {f.title}" in discrepant
        assert f.sentence in discrepant and f"| {f.printed} | {f.allowed} |" in discrepant
        assert f.method in discrepant and f.why in discrepant and f"`{f.check}`" in discrepant
        assert all(note in discrepant for note in f.detail)
    # The complete list: every check exactly once, under its group.
    checks = cells["checks"].markdown
    for check in report.checks:
        assert checks.count(f"`{check.id}`") == 1, check.id
    assert checks.count("\n### ") == len({c.source for c in report.checks})
    assert checks.count("::: {.checks}") == len({c.source for c in report.checks})
    # heading, intro, the float with its table and caption
    versions = cells["versions"].markdown
    table = [line for line in versions.splitlines() if line.startswith("|")]
    assert "::: {#tbl-discrepancies}" in versions
    assert len(table) == 2 + len(load_discrepancies())
    assert bool(_CJK.search(table[0])) is (profile == "zh")
    provenance = cells["provenance"].markdown
    assert t("book.colophon.fingerprint", profile, folder="data/raw") in provenance
    assert t("book.colophon.commit", profile) in provenance
    if profile == "en":
        assert not any(_CJK.search(cells[k].markdown) for k in ("summary", "discrepant"))


@pytest.mark.parametrize("profile", ["en", "zh"])
def test_handout_executes_cleanly(run_chapter, profile):
    outputs = run_chapter(HANDOUT, profile)
    cells = {o.label: o for o in outputs if o.label}
    findings = key_findings(profile)
    assert cells["study"].markdown.strip().endswith(findings.study)
    claims = [line for line in cells["claims"].markdown.splitlines() if line.startswith("- ")]
    assert claims == [f"- {c}" for c in findings.claims] and len(claims) == 3
    assert cells["key-findings"].markdown.strip().endswith(findings.to_markdown().strip())
    # One plain sentence per discrepant check, with the printed number(s) in it.
    for f in findings.findings:
        assert f"- {f.sentence}" in cells["key-findings"].markdown
        for number in re.findall(r"\d+\.\d+", f.printed):
            assert number in f.sentence
    assert "`" not in cells["key-findings"].markdown  # no check ids for a journal club
    glance = cells["at-a-glance"].markdown.splitlines()
    assert len(glance) == 4 + len(findings.findings)  # lead-in, blank, header, rule, rows
    assert re.fullmatch(r"!\[\]\(handout_files/survival/figure1-(en|zh)\.png\)\{width=100%\}",
                        cells["figure-1"].markdown.strip())
    assert profile in cells["figure-1"].markdown
    questions = re.findall(r"^\d\. ", cells["questions"].markdown, re.M)
    assert 3 <= len(questions) <= 5
    assert re.search(r"\b[0-9a-f]{12}\b", cells["provenance"].markdown)
    caveat = [o.text for o in outputs if o.kind == "inline"]
    assert caveat == [repr(t("readers.handout.caveat", profile, draws=findings.draws))]
    if profile == "zh":
        for label in ("study", "claims", "key-findings", "questions"):
            assert _CJK.search(cells[label].markdown), label
    else:
        assert not any(_CJK.search(cells[k].markdown)
                       for k in ("study", "claims", "key-findings", "questions"))


def test_both_documents_label_what_they_cross_reference():
    assert "::: {#fig-survival}" in HANDOUT.read_text(encoding="utf-8")
    # tbl-discrepancies is written by a cell, present only where two versions are declared
    assert "::: {#tbl-provenance}" in APPENDIX.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Rendering: a kernel that loses the port race on start


_FAKE_QUARTO = """#!/bin/sh
n=$(cat "$FAKE_QUARTO_CALLS" 2>/dev/null || echo 0)
echo $((n + 1)) > "$FAKE_QUARTO_CALLS"
if [ "$n" -lt "$FAKE_QUARTO_FAILURES" ]; then
  echo "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:58557')"
  echo "Kernel died before replying to kernel_info"
  exit 1
fi
while [ $# -gt 0 ]; do
  if [ "$1" = --output ]; then echo "<html></html>" > "$2"; fi
  shift
done
"""


@pytest.mark.parametrize("failures, renders", [(1, True), (2, False)])
def test_a_kernel_port_race_is_retried_once(tmp_path, monkeypatch, failures, renders):
    from analysis.appendix import render_appendix
    from analysis.errors import InputError

    quarto = tmp_path / "quarto"
    quarto.write_text(_FAKE_QUARTO)
    quarto.chmod(0o755)
    calls = tmp_path / "calls"
    monkeypatch.setenv("FAKE_QUARTO_CALLS", str(calls))
    monkeypatch.setenv("FAKE_QUARTO_FAILURES", str(failures))
    out = tmp_path / "appendix.html"
    if renders:
        render_appendix(out, lang="en", quarto=str(quarto))
        assert out.read_text() == "<html></html>\n"
    else:
        with pytest.raises(InputError, match=r"quarto render failed \(exit 1\)"):
            render_appendix(out, lang="en", quarto=str(quarto))
        assert not out.exists()
    assert calls.read_text().strip() == "2"
