"""The book: configuration sanity, and every chapter executed in both editions (harness)."""

from __future__ import annotations

import re
import shutil
import time
from functools import lru_cache

import pytest

from analysis.audit.run import run_audit
from analysis.i18n import catalog, t
from analysis.present import (CHECK_KINDS, MARKS, check_section, flagged_list, legend, markdown,
                              paper_table, recomputed_text)
from analysis.present.readers import reader_findings
from book_config import CHAPTERS, title_heading
from harness import PROJECT_ROOT

_CONFIG = (PROJECT_ROOT / "_quarto.yml").read_text(encoding="utf-8")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Collected before any chapter runs: a file written by a chapter in this session is newer.
_SESSION_START = time.time()
_VERDICTS = {lang: {t(f"audit.verdict.{v}", lang) for v in ("reproduced", "discrepant", "not_checkable")}
             for lang in ("en", "zh")}


@lru_cache(maxsize=None)
def _report(lang):
    """The audit of one language version, run once per session (``to_frame()`` is a copy)."""
    return run_audit(lang)


def _outputs(run_chapter, chapter, profile) -> dict:
    """A chapter's cell outputs by label (cached run, see conftest.run_chapter)."""
    return {o.label: o for o in run_chapter(PROJECT_ROOT / chapter, profile) if o.label}


def _header(markdown: str) -> list[str]:
    return [c.strip() for c in markdown.splitlines()[0].strip("|").split("|")]


def test_profiles_and_chapter_files():
    assert re.search(r"default: en", _CONFIG) and "[en, zh]" in _CONFIG
    for profile, out in (("en", "_book/en"), ("zh", "_book/zh")):
        text = (PROJECT_ROOT / f"_quarto-{profile}.yml").read_text(encoding="utf-8")
        assert f"lang: {profile}" in text and f"output-dir: {out}" in text
    assert len(CHAPTERS) >= 9
    for chapter in CHAPTERS:
        assert (PROJECT_ROOT / chapter).is_file(), chapter


def test_every_cross_reference_has_a_label():
    texts = {c: (PROJECT_ROOT / c).read_text(encoding="utf-8") for c in CHAPTERS}
    defined = {m for t in texts.values() for m in re.findall(r"\{#((?:tbl|fig|sec)-[\w-]+)", t)}
    used = {m for t in texts.values() for m in re.findall(r"@((?:tbl|fig|sec)-[\w-]+)", t)}
    assert used - defined == set()


@pytest.mark.parametrize("profile", ["en", "zh"])
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_executes_cleanly(chapter, profile, run_chapter):
    outputs = run_chapter(PROJECT_ROOT / chapter, profile)  # raises on error or stderr
    # The title heading's inline code runs right after the setup cell, in this edition's language.
    key = title_heading(PROJECT_ROOT / chapter)["key"]
    title = outputs[1]
    assert outputs[0].kind == "cell" and title.kind == "inline"
    assert title.source == f't("{key}", lang)' and title.text == repr(t(key, profile))
    assert bool(_CJK.search(title.text)) is (profile == "zh"), title.text
    tables = [o for o in outputs if re.fullmatch(r"table-\d", o.label or "") and o.markdown.startswith("|")]
    for out in tables:
        header = out.markdown.splitlines()[0]
        if profile == "zh":
            assert _CJK.search(header), f"{chapter}: zh table header not Chinese: {header}"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["table1", "table2", "table3", "table4"])
def test_rebuilt_tables_have_the_papers_rows_and_a_verdict(name, lang):
    from analysis.dataset import load_table

    table = paper_table(name, lang, markup=False, audit=_report(lang).to_frame())
    first = table.frame.iloc[:, 0].tolist()
    raw = load_table(name, lang)
    expected = set(raw.loc[raw["item"] != "group_size", "row_label"])
    if name in ("table3", "table4"):  # the groups head the columns, the F/P rows stay rows
        groups = set(raw.loc[raw["arm"] != "", "row_label"])
        assert all(any(c.startswith(g) for c in table.frame.columns) for g in groups)
        expected -= groups
    assert expected <= set(first)
    assert t("tables.column.verdict", lang) in table.frame.columns
    verdicts = set(table.frame[t("tables.column.verdict", lang)]) - {""}
    assert verdicts and verdicts <= _VERDICTS[lang]
    # The book shows the paper's columns and one mark per row, no recomputed values.
    shown = table.reader_frame()
    assert list(shown.columns) == [*table.frame.columns[:-2], t("tables.column.check", lang)]
    marks = {re.sub(r"\{.*", "", m).strip("[]") for m in shown.iloc[:, -1]} - {""}
    assert marks and marks <= set(MARKS.values())
    assert all(m in legend(lang) for m in MARKS.values())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tables_3_and_4_put_time_points_in_rows(lang):
    from analysis.dataset import load_table

    audit = _report(lang).to_frame()
    for name, markers in (("table3", 2), ("table4", 1)):
        frame = paper_table(name, lang, audit=audit, markup=False).reader_frame()
        assert frame.shape[1] == 4  # time, two groups, the mark
        raw = load_table(name, lang)
        # per marker: a header row, four time points, three F/P rows
        assert len(frame) == markers * (1 + 4 + 3)
        means = raw[(raw["quantity"] == "mean") & (raw["arm"] == "control")]["value"]
        assert all(any(cell.startswith(f"{m} ± ") for cell in frame.iloc[:, 2]) for m in means)
    afu = paper_table("table3", lang, audit=audit, markup=False)
    time_row = [i for i, keys in enumerate(afu.row_keys) if ("table3", "afu", "time", "", "F") in keys]
    assert afu.verdicts[time_row[0]] == "discrepant"


def test_changed_raw_value_changes_the_table(tmp_path):
    copy = tmp_path / "raw"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", copy)
    path = copy / "en" / "table1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "table1,age,,combination,mean,68.17", "table1,age,,combination,mean,69.17"), encoding="utf-8")
    before = paper_table("table1", "en", markup=False, audit=None).frame
    after = paper_table("table1", "en", data_dir=copy, markup=False, audit=None).frame
    assert "68.17 ± 2.83" in before.iloc[:, 1].tolist()
    assert "69.17 ± 2.83" in after.iloc[:, 1].tolist()


# ---------------------------------------------------------------------------------------
# The audit columns and check lists


def test_recomputed_values_are_shown_at_the_printed_precision():
    assert recomputed_text([0.206453, 0.241664], reported="0.223", quantity="t",
                           lang="en") == "t = 0.206 to 0.242"
    assert recomputed_text([0.206453, 0.241664], reported="0.223", quantity="t",
                           lang="zh") == "t = 0.206 至 0.242"
    assert recomputed_text(0.646213, reported="0.646", quantity="chi2", lang="en") == "χ² = 0.646"
    assert recomputed_text(0.000458, reported="0", quantity="chi2", lang="en") == "χ² = 0"
    assert recomputed_text([4.66e-26, 4.67e-26], reported="<0.001", quantity="P", lang="en") == "P <0.001"
    assert recomputed_text(58.4906, reported="58.49", quantity="percent", lang="en") == "58.49"
    assert recomputed_text([-0.970827, -0.95639], reported="48.408", quantity="F",
                           recomputed_as="r_implied", lang="en") == "implied r = -0.971 to -0.956"
    assert recomputed_text([22.0793, 22.4779], reported="26.995/48.408/2.833", quantity="F",
                           recomputed_as="f_ratio", lang="zh") == "F(时间)/F(交互) = 22.08 至 22.48"
    assert recomputed_text(None, reported="20", quantity="months", lang="en") == "—"


@pytest.mark.parametrize("worse", ["discrepant", "not_checkable"])
def test_a_row_shows_its_least_reassuring_verdict(worse):
    audit = _report("en").to_frame()
    # Age's P check alone made worse: the age row holds its t and P checks.
    audit.loc[audit["check"] == "table1.age.p", "verdict"] = worse
    frame = paper_table("table1", "en", audit=audit, markup=False).frame
    age = frame[frame.iloc[:, 0] == "Age (years)"].iloc[0]
    assert age[t("tables.column.verdict", "en")] == t(f"audit.verdict.{worse}", "en")
    sex = frame[frame.iloc[:, 0] == "Sex (male/female)"].iloc[0]
    assert sex[t("tables.column.verdict", "en")] == t("audit.verdict.reproduced", "en")
    if worse == "not_checkable":  # discrepant outranks not checkable
        audit.loc[audit["check"] == "table1.age.t", "verdict"] = "discrepant"
        frame = paper_table("table1", "en", audit=audit, markup=False).frame
        age = frame[frame.iloc[:, 0] == "Age (years)"].iloc[0]
        assert age[t("tables.column.verdict", "en")] == t("audit.verdict.discrepant", "en")


def test_check_kinds_name_real_audit_methods():
    methods = set(_report("en").checks_frame()["method"])
    for kind, keys in CHECK_KINDS.items():
        assert set(keys) & methods, kind
        assert all(f"audit.method.{k}" in catalog() for k in keys)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_check_lists_open_with_the_discrepant_checks_in_plain_words(lang):
    text = check_section("table3", _report(lang), lang)
    discrepant = text.index(t("audit.verdict.discrepant", lang))
    reproduced = text.index(t("audit.verdict.reproduced", lang))
    assert discrepant < reproduced
    # each discrepant check: a plain sentence with the printed number, then the detail
    for check in ("table3.afu.time.F", "table3.afu.anova.joint"):
        item = text[:text.index(f"`{check}`")].rsplit("\n- ", 1)[-1]
        assert "48.408" in item and "\n\n" in item  # sentence, then the technical paragraph
    # reproduced checks: one collapsed callout holding a compact table
    assert text.count('::: {.callout-note collapse="true"') == 1
    table = text[text.index("| "):]
    header = _header(table)
    assert header == [t("audit.column.id", lang), t("audit.column.reported", lang),
                      t("tables.column.recomputed", lang), t("audit.column.method", lang),
                      t("checks.note_numbers", lang)]
    if lang == "zh":
        assert not {"Check", "Verdict", "discrepant", "reproduced"} & set(re.split(r"[\s|]+", text))


def test_a_note_shared_by_many_checks_is_printed_once():
    audit = _report("en").to_frame()
    text = check_section("table1", _report("en"), "en")
    notes = [n for ns in audit[audit["check"].str.startswith("table1.")
                               & (audit["verdict"] == "reproduced")].drop_duplicates("check")["notes"]
             for n in ns]
    shared = max(set(notes), key=notes.count)
    assert notes.count(shared) > 5  # "Across this table, the corrected rows ..." today
    # once in the web page's collapsed list, once in the PDF's table
    html, pdf = text.split('::: {.content-visible unless-format="html"}')
    assert html.count(shared[:60]) == 1 and pdf.count(shared[:60]) == 1


def test_discrepant_checks_are_told_as_the_handout_and_appendix_tell_them():
    # One wording for readers everywhere: analysis.present.readers.reader_findings.
    for lang in ("en", "zh"):
        report = _report(lang)
        text = check_section("table3", report, lang) + check_section("table4", report, lang)
        summary = flagged_list(report, lang, verdict="discrepant")
        for f in reader_findings(report):
            assert f.sentence in text and f.sentence in summary and f.title in text


def test_a_correlation_threshold_outside_minus_one_to_one_is_said_in_words():
    for lo, hi, key in ((-848.660, -848.305, "any"), (1.2, 3.4, "none")):
        for lang in ("en", "zh"):
            got = recomputed_text([lo, hi], reported="ab", quantity="P<0.05",
                                  recomputed_as="r_threshold", lang=lang)
            assert got == t(f"audit.r_threshold.{key}", lang)
    assert recomputed_text([0.855, 0.858], reported="b", quantity="P<0.05",
                           recomputed_as="r_threshold", lang="en") == "r needed = 0.855 to 0.858"


def test_pipe_table_widths_set_the_separator_dashes():
    import pandas as pd

    frame = pd.DataFrame({"a": ["x"], "b": ["a long note " * 10]})
    text = markdown(frame, widths=(3, 1))
    dashes = [len(c) - 1 for c in text.splitlines()[1].strip("|").split("|")]
    assert dashes == [75, 25]
    with pytest.raises(ValueError, match="widths"):
        markdown(frame, widths=(1,))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_flagged_list_refers_to_labels_the_book_defines(lang):
    texts = "".join((PROJECT_ROOT / c).read_text(encoding="utf-8") for c in CHAPTERS)
    defined = set(re.findall(r"\{#((?:tbl|fig|sec)-[\w-]+)", texts))
    report = _report(lang)
    discrepant = flagged_list(report, lang, verdict="discrepant")
    flagged = [c.id for c in report.checks if c.verdict == "discrepant"]
    assert sorted(re.findall(r"`([\w.]+)`", discrepant)) == sorted(flagged)
    unchecked = flagged_list(report, lang, verdict="not_checkable")
    reasons = {c.notes for c in report.checks if c.verdict == "not_checkable"}
    # one item per reason, saying how many values it covers; no run of check ids
    assert unchecked.count("\n- ") + 1 == len(reasons)
    assert not re.findall(r"`([\w.]+)`", unchecked)
    for listed in (discrepant, unchecked):
        assert set(re.findall(r"@((?:tbl|fig|sec)-[\w-]+)", listed)) <= defined


# ---------------------------------------------------------------------------------------
# What the chapters show


@pytest.mark.parametrize("profile", ["en", "zh"])
def test_balance_and_anova_sections_list_real_checks(profile, run_chapter):
    t1 = _outputs(run_chapter, "chapters/table-1-baseline.qmd", profile)
    balance = t1["table-1-balance"].markdown
    assert "`table1.baseline.balance`" in balance and t("book.no_checks", profile) not in balance
    anova = _outputs(run_chapter, "chapters/tables-3-4-markers.qmd", profile)["tables-3-4-status"].markdown
    for check in ("table3.afp.group.F", "table3.afu.time.F", "table3.afu.anova.joint",
                  "table4.apt.interaction.p", "table4.apt.anova.joint"):
        assert f"`{check}`" in anova


def _texts(outputs) -> str:
    return "\n".join(o.text + o.markdown for o in outputs)


@pytest.mark.parametrize("profile", ["en", "zh"])
def test_summary_of_findings_says_what_did_not_reproduce(profile, run_chapter):
    outputs = run_chapter(PROJECT_ROOT / "chapters/summary-of-findings.qmd", profile)
    by_label = {o.label: o for o in outputs if o.label}
    report = _report(profile)
    discrepant = [c.id for c in report.checks if c.verdict == "discrepant"]
    listed = by_label["summary-discrepant"].markdown
    assert discrepant and all(f"`{c}`" in listed for c in discrepant)
    assert "@tbl-markers-afp-afu" in listed
    unchecked = by_label["summary-not-checkable"].markdown
    not_checkable = [c for c in report.checks if c.verdict == "not_checkable"]
    assert f"{len(not_checkable)} " in unchecked and not_checkable[0].notes[0][:40] in unchecked
    assert "@tbl-survival-printed" in unchecked and "@sec-survival" in unchecked
    inline = [o.text.strip("'") for o in outputs if o.kind == "inline"]
    for n in report.summary().values():
        assert str(n) in inline
    assert any(t("tables.feasibility.resolution.day", profile) in x for x in inline)


@pytest.mark.parametrize("profile", ["en", "zh"])
def test_survival_chapter_draws_and_writes_figure_1(profile, run_chapter):
    from analysis.figure1 import DEFAULT_FIG_DIR

    outputs = _outputs(run_chapter, "chapters/survival.qmd", profile)
    assert re.fullmatch(rf"!\[\]\(\.\./export/figures/figure1-{profile}\.png\)\{{width=100%\}}",
                        outputs["figure-1"].markdown.strip())
    for ext in ("png", "svg"):
        path = DEFAULT_FIG_DIR / f"figure1-{profile}.{ext}"
        assert path.is_file() and path.stat().st_mtime >= _SESSION_START - 1, path
    ensemble = outputs["ensemble"].markdown
    assert len(ensemble.splitlines()) == 2 + 16  # header, rule, 8 rows per endpoint
    feasibility = outputs["feasibility"].markdown
    assert t("tables.feasibility.verdict.no", profile) in feasibility
    if profile == "zh":
        for table in (ensemble, feasibility, outputs["survival-printed"].markdown):
            assert all(_CJK.search(h) for h in _header(table))
        assert t("tables.ensemble.q.hr", "en") not in ensemble


def test_zh_figure_labels_are_chinese():
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from analysis.ensemble.pipeline import load_or_build
    from analysis.figure1 import make_figure1

    fig = make_figure1("zh", data=load_or_build())
    texts = {x.get_text() for x in fig.findobj(Text) if x.get_text().strip()}
    plt.close(fig)
    for zh, en in (("图1（根据文中报告的汇总统计量重建，并非原图）",
                    "Figure 1 (reconstruction from reported summary statistics, not the original figure)"),
                   ("A  总生存", "A  Overall survival"), ("B  无进展生存", "B  Progression-free survival"),
                   ("自治疗开始的时间（月）", "Time since treatment initiation (months)"),
                   (t("figure1.at_risk", "zh"), t("figure1.at_risk", "en"))):
        assert zh in texts and en not in texts
    assert "reconstruction" not in " ".join(texts)
