"""The paper's title in each language (issue #30: the Chinese handout showed the English title):
``[paper] title`` holds a version's own title, the top-level ``title`` the others'; a draft
from a Chinese original and its English version fills both from their files; a declaration
without one loads as before."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from analysis.appendix import appendix_metadata, handout_metadata
from analysis.dataset import clear_cache, declaration
from analysis.errors import InputError
from harness import PROJECT_ROOT

UDCA = PROJECT_ROOT / "data" / "examples" / "udca"
ZH_TITLE = "熊去氧胆酸治疗原发性胆汁性肝硬化的随机对照试验"


def _udca_with(tmp_path, paper_title: str):
    """udca's folder with ``paper_title`` in place of its ``[paper] title`` line."""
    folder = tmp_path / "udca"
    shutil.copytree(UDCA, folder)
    toml = folder / "analyses.toml"
    lines = [line for line in toml.read_text(encoding="utf-8").split("\n") if not line.startswith("title = {")]
    toml.write_text("\n".join(lines).replace("[paper]\n", f"[paper]\n{paper_title}\n", 1), encoding="utf-8")
    clear_cache()
    return folder


def test_the_bilingual_example_declares_its_chinese_title():
    assert declaration(UDCA).title_in("zh") == "熊去氧胆酸对比安慰剂治疗原发性胆汁性肝硬化（双语示例）"


def test_an_old_declaration_has_one_title_for_both_versions(tmp_path):
    decl = declaration(_udca_with(tmp_path, ""))
    assert decl.paper.title == {}
    assert decl.title_in("zh") == decl.title_in("en") == decl.title


def test_each_version_gets_its_own_title(tmp_path):
    folder = _udca_with(tmp_path, f'title = {{ zh = "{ZH_TITLE}" }}')
    decl = declaration(folder)
    assert decl.title_in("zh") == ZH_TITLE
    assert decl.title_in("en") == "UDCA vs placebo in primary biliary cirrhosis (bilingual example)"
    assert handout_metadata("zh", data_dir=folder)["title"] == f"期刊俱乐部：《{ZH_TITLE}》再分析"
    assert appendix_metadata("zh", data_dir=folder)["title"] == f"《{ZH_TITLE}》再分析：审稿附录"
    assert handout_metadata("en", data_dir=folder)["title"].startswith("Journal club: UDCA vs placebo")


@pytest.mark.parametrize("text, message", [
    ('title = { fr = "Essai" }', "paper.title"),
    ('title = { zh = "" }', "paper.title"),
    ('title = "one title"', "paper.title"),
])
def test_a_bad_title_is_one_error(tmp_path, text, message):
    folder = _udca_with(tmp_path, text)
    with pytest.raises(InputError, match=message):
        declaration(folder)


_ZH_PAPER = f"""---
title: "{ZH_TITLE}"
---

2 结果：两组患者一般资料比较见表1。

表1 两组患者一般资料比较

| 项目 | 观察组（n=40） | 对照组（n=40） | χ²/t值 | P值 |
|---|---|---|---|---|
| 年龄（岁） | 41.87±5.49 | 42.15±5.82 | 0.221 | 0.825 |
| 男性 | 25（62.50） | 23（57.50） | 0.208 | 0.648 |
"""

_EN_PAPER = """---
title: "Ursodeoxycholic acid in primary biliary cirrhosis: a randomised trial"
---

2 Results: the general data of the two groups are in Table 1.

Table 1 General data of the two groups

| Item | Observation group (n = 40) | Control group (n = 40) | χ²/t value | P value |
|---|---|---|---|---|
| Age (years) | 41.87 ± 5.49 | 42.15 ± 5.82 | 0.221 | 0.825 |
| Male | 25 (62.50) | 23 (57.50) | 0.208 | 0.648 |
"""


def test_a_draft_of_two_files_declares_each_versions_title(tmp_path):
    (tmp_path / "zh.md").write_text(_ZH_PAPER, encoding="utf-8")
    (tmp_path / "en.md").write_text(_EN_PAPER, encoding="utf-8")
    done = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "analysis", "draft",
                           tmp_path / "zh.md", tmp_path / "en.md", "--out", tmp_path / "draft"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    clear_cache()
    decl = declaration(tmp_path / "draft")
    assert set(decl.languages) == {"en", "zh"}
    assert decl.title == "Ursodeoxycholic acid in primary biliary cirrhosis: a randomised trial"
    assert decl.paper.title == {"zh": ZH_TITLE}
    assert handout_metadata("zh", data_dir=tmp_path / "draft")["title"] == f"期刊俱乐部：《{ZH_TITLE}》再分析"


# A file that holds a table alone may name itself by the table's caption (a corpus excerpt's
# front matter: 'title: "Table 1 Comparison of ..."', or the caption without its number). That
# is no title: the draft leaves the declaration's title empty and says so in REVIEW.md, and
# the pages name the paper neutrally instead of heading the handout with a caption.
_CAPTION_TITLED = """---
title: "{title}"
---

{caption}

| Item | Observation group (n = 40) | Control group (n = 40) | t | P |
|---|---|---|---|---|
| Age (years) | 41.87 ± 5.49 | 42.15 ± 5.82 | 0.221 | 0.825 |
| BMI (kg/m²) | 23.10 ± 2.20 | 23.40 ± 2.10 | 0.624 | 0.534 |
"""


@pytest.mark.parametrize("title, caption", [
    ("Table 1 Comparison of general data between the two groups", "Table 1 Comparison of general data between the two groups"),
    ("Comparison of general data between the two groups.", "Table 3. Comparison of general data between the two groups^a^."),
    ("Characteristics of participants at baseline", "Characteristics of participants at baseline^1^"),
    ("表 1 两组患者一般资料比较", "表 1 两组患者一般资料比较"),
    ("(续表 2)", "(续表 2)"),
])
def test_a_tables_caption_is_no_title(tmp_path, title, caption):
    from analysis.draft import read_paper

    path = tmp_path / "paper.md"
    path.write_text(_CAPTION_TITLED.format(title=title, caption=caption), encoding="utf-8")
    assert read_paper(path).title == ""


@pytest.mark.parametrize("lang, review, handout, appendix", [
    ("en", "The file names no title", "Journal club: a paper reanalysed", "A paper reanalysed: appendix for peer review"),
    ("zh", "文件中没有论文标题", "期刊俱乐部：论文再分析", "论文再分析：审稿附录"),
])
def test_a_draft_without_a_title_says_so_and_the_pages_name_the_paper_neutrally(tmp_path, lang, review,
                                                                                  handout, appendix):
    from analysis.draft import draft_paper, read_paper
    from analysis.draft.output import write_draft

    caption = "Table 1 Comparison of general data between the two groups"
    path = tmp_path / "paper.md"
    path.write_text(_CAPTION_TITLED.format(title=caption, caption=caption), encoding="utf-8")
    write_draft(draft_paper(path), tmp_path / "draft", paper=str(path), force=True, lang=lang,
                title=read_paper(path).title)
    clear_cache()
    folder = tmp_path / "draft"
    assert declaration(folder).title == ""
    text = (folder / "REVIEW.md").read_text(encoding="utf-8")
    assert review in text and caption not in text.split("\n## ")[0]
    for version in ("en", "zh"):
        assert caption not in handout_metadata(version, data_dir=folder)["title"]
    assert handout_metadata(lang, data_dir=folder)["title"] == handout
    assert appendix_metadata(lang, data_dir=folder)["title"] == appendix


def test_review_is_written_in_the_language_asked_for_not_the_papers(tmp_path):
    """REVIEW.md of a Chinese paper drafted with --lang en reads in English (the language loop
    over the versions once left the last version's language in its place)."""
    from analysis.draft import draft_paper
    from analysis.draft.output import write_draft

    path = tmp_path / "zh.md"
    path.write_text(_ZH_PAPER, encoding="utf-8")
    write_draft(draft_paper(path), tmp_path / "draft", paper=str(path), force=True, lang="en", title=ZH_TITLE)
    assert (tmp_path / "draft" / "REVIEW.md").read_text(encoding="utf-8").startswith("# Review the draft of zh.md")


def test_a_title_is_cited_between_book_title_marks_in_chinese(tmp_path):
    """The udca handout read "…（双语示例） 再分析"; a new user's "…防范措施再分析" read as
    reanalysing the measures: in Chinese a title is set in 《》, whatever it ends with."""
    folder = _udca_with(tmp_path, 'title = { zh = "UDCA 对比安慰剂（双语示例）" }')
    assert handout_metadata("zh", data_dir=folder)["title"] == "期刊俱乐部：《UDCA 对比安慰剂（双语示例）》再分析"
    folder = _udca_with(tmp_path / "b", 'title = { zh = "UDCA vs placebo in PBC" }')
    assert appendix_metadata("zh", data_dir=folder)["title"] == "《UDCA vs placebo in PBC》再分析：审稿附录"
    assert appendix_metadata("en", data_dir=folder)["title"].startswith("UDCA vs placebo in primary biliary")


def test_a_one_language_paper_may_give_its_title_as_a_plain_string(tmp_path):
    folder = tmp_path / "gbsg"
    shutil.copytree(PROJECT_ROOT / "data" / "examples" / "gbsg", folder)
    toml = folder / "analyses.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[paper]\n", '[paper]\ntitle = "A plain title"\n', 1),
                    encoding="utf-8")
    clear_cache()
    assert declaration(folder).title_in("en") == "A plain title"
