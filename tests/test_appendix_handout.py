"""appendix.qmd (single-file HTML for reviewers) and handout.qmd (two-page Typst PDF)."""

from __future__ import annotations

import re

import pytest
import yaml

from analysis.audit import run_audit
from analysis.dataset import load_discrepancies
from analysis.findings import key_findings
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


def test_handout_is_a_compact_a4_typst_document():
    typst = front_matter(HANDOUT)["format"]["typst"]
    assert typst["papersize"] == "a4"
    assert typst["margin"] == {"x": "1.5cm", "y": "1.4cm"}
    assert typst["fontsize"] == "9pt"
    assert typst["mainfont"] == "Noto Sans CJK SC" and typst["font-paths"] == "fonts"
    assert typst["toc"] is False and typst["number-sections"] is False
    assert "html" not in front_matter(HANDOUT)["format"]


def test_each_lone_document_gets_its_edition_title_and_language(tmp_path, monkeypatch):
    # Passed as a metadata file: a quoted `-M title:"..."` reached Typst with its quotes.
    import render

    from analysis.appendix import appendix_metadata

    for lang in ("en", "zh"):
        edition = render.Edition(lang, {})
        monkeypatch.setattr(edition, "tree", tmp_path)
        handout = yaml.safe_load(edition._metadata().read_text(encoding="utf-8"))
        for meta, doc in ((handout, "handout"), (appendix_metadata(lang), "appendix")):
            assert meta["title"] == t(f"{doc}.title", lang) and meta["lang"] == lang
            assert meta.get("region") == ("CN" if lang == "zh" else None)
    other = appendix_metadata("en", data_dir=PROJECT_ROOT / "data" / "examples" / "pbc")
    assert other["title"].startswith("Mayo Clinic PBC trial")


# ---------------------------------------------------------------------------------------
# Executed as Quarto would (tests/harness.py), both editions


@pytest.mark.parametrize("profile", ["en", "zh"])
def test_appendix_executes_cleanly(run_chapter, profile):
    outputs = run_chapter(APPENDIX, profile)  # raises on any error or stderr output
    cells = {o.label: o for o in outputs if o.label}
    counts = run_audit(profile).summary()
    findings = cells["key-findings"].markdown
    assert findings.strip() == key_findings(profile).to_markdown().strip()
    assert t("findings.counts", profile, total=sum(counts.values()), **counts) in findings
    flagged = cells["flagged"].markdown.splitlines()
    assert len(flagged) == 2 + counts["discrepant"] + counts["not_checkable"]
    assert t("audit.verdict.discrepant", profile) in flagged[2]
    for n in (1, 2, 3, 4):
        table = cells[f"table-{n}"].markdown
        assert table.startswith("|") and t("tables.column.check", profile) in table
        assert bool(_CJK.search(table.splitlines()[0])) is (profile == "zh")
    image = re.fullmatch(r"!\[\]\((export/figures/figure1-(en|zh)\.png)\)\{width=100%\}",
                         cells["figure-1"].markdown.strip())
    assert image and image[2] == profile and (PROJECT_ROOT / image[1]).is_file()
    provenance = cells["provenance"].markdown
    assert t("book.colophon.fingerprint", profile) in provenance
    assert t("book.colophon.commit", profile) in provenance


@pytest.mark.parametrize("profile", ["en", "zh"])
def test_handout_executes_cleanly(run_chapter, profile):
    outputs = run_chapter(HANDOUT, profile)
    cells = {o.label: o for o in outputs if o.label}
    assert cells["key-findings"].markdown.strip() == key_findings(profile).to_markdown().strip()
    assert re.search(r"\{width=92%\}$", cells["figure-1"].markdown.strip())
    table = cells["discrepancies"].markdown.splitlines()
    assert len(table) == 2 + len(load_discrepancies())
    assert bool(_CJK.search(table[0])) is (profile == "zh")
    assert re.search(r"\b[0-9a-f]{12}\b", cells["provenance"].markdown)


def test_both_documents_label_what_they_cross_reference():
    for path in (APPENDIX, HANDOUT):
        text = path.read_text(encoding="utf-8")
        assert "::: {#tbl-discrepancies}" in text and "::: {#fig-survival}" in text
    appendix = APPENDIX.read_text(encoding="utf-8")
    for label in ("tbl-baseline", "tbl-response", "tbl-markers-afp-afu", "tbl-markers-apt",
                  "tbl-flagged", "tbl-provenance"):
        assert f"::: {{#{label}}}" in appendix
