"""The layouts real journals print (issue #29), each in a table constructed in its shape (not a
copy of a corpus article), read from Markdown, HTML and Word, in English and Chinese: the
unedited draft holds every printed value under the right quantity, loads (``data --check``)
and its audit flags the one statistic the inputs contradict."""

from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest

from conftest import QUARTO_MISSING

from analysis.audit import run_audit
from analysis.commands.data import check_summary
from analysis.dataset import clear_cache
from analysis.draft import draft_paper
from analysis.draft.output import write_draft
from analysis.present.readers import reader_findings

# Baseline table: a category heading whose χ² and P sit beside empty group cells (its levels
# below), statistics named in their cells, a t under the "χ²" heading, a Total column, a
# footnote mark as a Unicode superscript. The relapse χ² is planted: its counts give 1.835
# (Pearson; R: chisq.test(matrix(c(27, 83, 33, 67), 2), correct = FALSE)$statistic).
BASELINE = ("Table 1 Baseline characteristics, n (%)/mean ± SD", [
    ["Variable", "Total (n = 210)", "Group A (n = 110)", "Group B (n = 100)", "χ2", "P value"],
    ["Relapse", "", "", "", "χ2 = 1.52", "0.218"],
    ["Yes", "60 (28.57)", "27 (24.55)", "33 (33.00)", "", ""],
    ["No", "150 (71.43)", "83 (75.45)", "67 (67.00)", "", ""],
    ["Age, years", "54.3 ± 9.1", "53.9 ± 9.4", "54.7 ± 8.8", "t = 0.64", "0.523"],
    ["Weight, kg, median (IQR)", "61.0 (12.0)", "60.5 (11.0)", "61.5 (13.0)", "Z = 0.711", "0.477"],
    ["Smoker", "88 (41.90)", "43 (39.09)", "45 (45.00)", "0.75", "0.386ᵃ"],
])

# Outcomes with the groups as rows, the n in the row label, variables in columns under a
# spanning header, and the t and P in bottom rows (as Chinese journals print them).
GROUPS_AS_ROWS = ("Table 2 Scores before and after treatment (mean ± SD)", [
    ["Group", "Pain score", "", "Function score", ""],
    ["", "Before", "After", "Before", "After"],
    ["Group A (n = 110)", "6.12 ± 1.03", "2.31 ± 0.88", "41.2 ± 6.3", "70.4 ± 7.1"],
    ["Group B (n = 100)", "6.08 ± 1.11", "3.02 ± 0.97", "40.8 ± 6.0", "63.9 ± 7.4"],
    ["t value", "0.271", "5.557", "0.469", "6.500"],
    ["P value", "0.787", "< 0.001", "0.640", "< 0.001"],
])

# The same in Chinese: 组别 / 例数 column, 观察组 / 对照组, t值 / P值 rows.
ZH_ROWS = ("表2 两组治疗前后评分比较（x̄±s）", [
    ["组别", "例数", "疼痛评分", "功能评分"],
    ["观察组", "110", "2.31±0.88", "70.4±7.1"],
    ["对照组", "100", "3.02±0.97", "63.9±7.4"],
    ["t值", "", "5.557", "6.500"],
    ["P值", "", "<0.001", "<0.001"],
])

# A table comparing groups other than the arms, with the stub printed in two columns.
OWN_GROUPS = ("Table 3 Characteristics by response, n (%)", [
    ["Factor", "Level", "Responders (n = 60)", "Non-responders (n = 150)", "P"],
    ["Sex", "Male", "35 (58.33)", "80 (53.33)", "0.512"],
    ["", "Female", "25 (41.67)", "70 (46.67)", ""],
])


# Three groups, the test of each P named by its footnote mark under the table: the ANOVA P
# (R: oneway.test on groups with these means and SDs, n = 30 each: p-value = 0.07925) and the
# Fisher P (R: fisher.test(matrix(c(12, 18, 15, 15, 18, 12), 2)) -> 0.325464) are audited;
# the Kruskal–Wallis P cannot be recomputed from means and is not guessed an ANOVA.
THREE_GROUPS = ("Table 4 Baseline of the three groups", [
    ["Variable", "Group A (n = 30)", "Group B (n = 30)", "Group C (n = 30)", "P"],
    ["Age (years)", "50.2 ± 8.1", "52.6 ± 7.9", "55.0 ± 8.4", "0.079^b^"],
    ["Pain score", "3.1 ± 1.2", "3.4 ± 1.1", "3.2 ± 1.3", "0.030^c^"],
    ["Female, n (%)", "12 (40.0)", "15 (50.0)", "18 (60.0)", "0.325^a^"],
], ["^a^Fisher's exact test.", "^b^One-way analysis of variance.", "^c^Kruskal–Wallis test."])


def _markdown(tables, lead) -> str:
    out = [lead, ""] if lead else []
    for caption, rows, *notes in tables:
        out += [caption, "", "| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        out += ["| " + " | ".join(r) + " |" for r in rows[1:]] + [""]
        for note in (notes[0] if notes else ()):
            out += [note, ""]
    return "\n".join(out) + "\n"


# A statistic and its P in one cell, under a "Statistical test" heading, and counts printed
# with their categories in words. R: chisq.test(matrix(c(12, 11, 8, 13), 2), correct = FALSE)
# -> X-squared = 0.87757, p-value = 0.3489; the pooled t of the ages is 0.8475, P 0.4015.
IN_ONE_CELL = ("Table 5 Subject characteristics", [
    ["", "Patients (n = 20)", "Controls (n = 24)", "Statistical test"],
    ["Age, years (mean±SD)", "41.2±9.8", "38.6±10.4", "t~42~=0.85, p=0.40"],
    ["Sex", "12 M, 8 F", "11 M, 13 F", "χ2=0.88, p=0.35"],
])


def _sup(text: str) -> str:
    return re.sub(r"\^([^^]+)\^", r"<sup>\1</sup>", text)


def _html(tables, lead) -> str:
    body = (f"<p>{lead}</p>" if lead else "") + "".join(f"<p>{caption}</p><table>" + "".join(
        "<tr>" + "".join(f"<td>{_sup(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>"
        + "".join(f"<p>{_sup(n)}</p>" for n in (notes[0] if notes else ())) for caption, rows, *notes in tables)
    return f"<html><body>{body}</body></html>"


def _runs(paragraph, text: str) -> None:
    """``text`` into a Word paragraph, ``^a^`` as a superscript run."""
    for k, part in enumerate(re.split(r"\^([^^]+)\^", text)):
        if part:
            paragraph.add_run(part).font.superscript = k % 2 == 1


def _write(tmp_path, tables, fmt: str, lead: str = ""):
    """The tables as a paper in ``fmt``, after a paragraph ``lead`` (a Chinese one makes the
    paper a Chinese version)."""
    path = tmp_path / f"paper.{fmt}"
    if fmt == "md":
        path.write_text(_markdown(tables, lead), encoding="utf-8")
    elif fmt == "html":
        path.write_text(_html(tables, lead), encoding="utf-8")
    else:
        docx = pytest.importorskip("docx")
        document = docx.Document()
        if lead:
            document.add_paragraph(lead)
        for caption, rows, *notes in tables:
            document.add_paragraph(caption)
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, cells in zip(table.rows, rows):
                for cell, text in zip(row.cells, cells):
                    _runs(cell.paragraphs[0], text)
            for note in (notes[0] if notes else ()):
                _runs(document.add_paragraph(), note)
        document.save(path)
    return path


def _values(frame, **key):
    for column, wanted in key.items():
        frame = frame[frame[column] == wanted]
    return sorted(zip(frame["arm"], frame["quantity"], frame["value"]))


def _loads_and_audits(path, tmp_path, lang):
    out = tmp_path / "draft"
    write_draft(draft_paper(path), out, paper=str(path), force=True)
    clear_cache()
    check_summary(data_dir=out)                      # raises on any problem
    return {c.id: c.verdict for c in run_audit(lang, data_dir=out).checks}


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_journal_baseline_table_is_read_whole(tmp_path, fmt):
    path = _write(tmp_path, [BASELINE], fmt)
    frame = draft_paper(path)["en"].to_frame()
    relapse = frame[frame["row_label"].isin(["Relapse", "Yes", "No"])]
    # the heading's tests are kept, under its item, and its levels are counts, not means
    assert ("", "chi2", "1.52") in _values(relapse) and ("", "p", "0.218") in _values(relapse)
    assert ("a", "count", "27") in _values(relapse, level="yes")
    assert ("", "count", "60") in _values(relapse, level="yes")          # the Total column
    assert _values(frame, row_label="Age, years", arm="") == [("", "mean", "54.3"), ("", "p", "0.523"),
                                                              ("", "sd", "9.1"), ("", "statistic", "0.64")]
    assert ("", "z", "0.711") in _values(frame, row_label="Weight, kg, median (IQR)")
    assert ("a", "iqr", "11.0") in _values(frame, row_label="Weight, kg, median (IQR)")
    # the mark on a P names its test in a footnote: the P is kept, the mark is no letter
    assert ("", "p", "0.386") in _values(frame, row_label="Smoker")
    assert "letters" not in set(frame.loc[frame["row_label"] == "Smoker", "quantity"])
    verdicts = _loads_and_audits(path, tmp_path, "en")
    discrepant = sorted(k for k, v in verdicts.items() if v == "discrepant")
    assert discrepant == ["table1.relapse.chi2", "table1.relapse.p"], verdicts
    assert verdicts["table1.age_years.t"] == "reproduced"
    # the P (0.218) follows its printed χ² (1 df: 0.2176), which the counts contradict: one
    # finding, the χ²'s, that names the P (issue 29: one finding per error)
    report = run_audit("en", data_dir=tmp_path / "draft")
    assert {c.id: c.knock_on_of for c in report.checks}["table1.relapse.p"] == "table1.relapse.chi2"
    findings = reader_findings(report, data_dir=tmp_path / "draft")
    assert [f.check for f in findings] == ["table1.relapse.chi2"]
    assert "0.218" in findings[0].sentence and "1.52" in findings[0].sentence


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_groups_as_rows_with_a_test_under_each_column(tmp_path, fmt):
    path = _write(tmp_path, [BASELINE, GROUPS_AS_ROWS], fmt)
    frame = draft_paper(path)["en"].to_frame()
    table2 = frame[frame["source"] == "table2"]
    assert _values(table2, item="group_size") == [("a", "n", "110"), ("b", "n", "100")]
    after = table2[table2["column_label"].str.contains("Pain score") & table2["column_label"].str.contains("After")]
    assert ("", "statistic", "5.557") in _values(after) and ("b", "mean", "3.02") in _values(after)
    verdicts = _loads_and_audits(path, tmp_path, "en")
    t_checks = {k: v for k, v in verdicts.items() if k.startswith("table2.") and k.endswith(".t")}
    assert len(t_checks) == 4 and set(t_checks.values()) == {"reproduced"}, verdicts
    # the relapse χ² (table 1) is told by its row; a finding in table 2 would name its column
    report = run_audit("en", data_dir=tmp_path / "draft")
    assert "“Relapse”" in reader_findings(report, data_dir=tmp_path / "draft")[0].sentence


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_chinese_table_with_groups_as_rows(tmp_path, fmt):
    path = _write(tmp_path, [ZH_ROWS], fmt, lead="2 结果：两组患者治疗后疼痛评分与功能评分的比较见表2，差异均有统计学意义。")
    frame = draft_paper(path)["zh"].to_frame()
    assert len(set(frame.loc[frame["item"] == "group_size", "arm"])) == 2
    assert sorted(frame.loc[frame["quantity"] == "statistic", "value"]) == ["5.557", "6.500"]
    verdicts = _loads_and_audits(path, tmp_path, "zh")
    assert [v for k, v in verdicts.items() if k.endswith(".t")] == ["reproduced", "reproduced"], verdicts


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_table_of_other_groups_declares_them(tmp_path, fmt):
    path = _write(tmp_path, [BASELINE, OWN_GROUPS], fmt)
    draft = draft_paper(path)["en"]
    assert list(draft.arms) == ["a", "b"]
    assert list(draft.table_arms["table3"]) == ["responders", "non_responders"]
    frame = draft.to_frame()
    assert _values(frame[frame["source"] == "table3"], level="female", quantity="count") == [
        ("non_responders", "count", "70"), ("responders", "count", "25")]
    verdicts = _loads_and_audits(path, tmp_path, "en")
    # Pearson over the two groups' sexes: R chisq.test(matrix(c(35, 25, 80, 70), 2), correct = FALSE)
    # gives P = 0.5120; Yates 0.6132: the printed 0.512 is reproduced
    assert verdicts["table3.sex.p"] == "reproduced"


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_three_groups_and_the_tests_their_notes_name(tmp_path, fmt):
    path = _write(tmp_path, [THREE_GROUPS], fmt)
    draft = draft_paper(path)["en"]
    assert list(draft.table_arms["table4"]) == ["a", "b", "c"]
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table4.age.p"] == "reproduced"          # one-way ANOVA
    assert verdicts["table4.female.p"] == "reproduced"           # Fisher, 2×3
    assert not any(k.startswith("table4.pain_score") for k in verdicts)   # Kruskal–Wallis: not guessed


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_statistic_and_its_p_in_one_cell_and_counts_in_words(tmp_path, fmt):
    path = _write(tmp_path, [IN_ONE_CELL], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, row_label="Sex", arm="") == [("", "chi2", "0.88"), ("", "p", "0.35")]
    assert _values(frame, row_label="Sex", level="f") == [("controls", "count", "13"), ("patients", "count", "8")]
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert {k: v for k, v in verdicts.items() if k.startswith("table5.")} == {
        "table5.age_years.t": "reproduced", "table5.age_years.p": "reproduced",
        "table5.sex.chi2": "reproduced", "table5.sex.p": "reproduced"}


def test_a_p_that_does_not_follow_its_printed_t_is_misprinted(tmp_path):
    # |t| = 0.847 is reproduced (0.811 to 0.884 over the rounded means and SDs), and so would be
    # a P of 0.39 (0.381 to 0.422); but the t printed to three decimals fixes its P at 0.4015 to
    # 0.4021 (R: 2 * pt(-c(0.8475, 0.8465), 42)): a P computed from the data cannot be 0.39
    table = ("Table 6 Age", [["", "Patients (n = 20)", "Controls (n = 24)", "t", "P"],
                             ["Age, years", "41.2 ± 9.8", "38.6 ± 10.4", "0.847", "0.39"]])
    verdicts = _loads_and_audits(_write(tmp_path, [table], "md"), tmp_path, "en")
    assert verdicts["table6.age_years.t"] == "reproduced"
    assert verdicts["table6.age_years.p"] == "discrepant"


ZH_TWO_GROUPS = ("表1 两组患者一般资料比较", [
    ["项目", "观察组（n=40）", "对照组（n=40）", "χ²/t值", "P值"],
    ["年龄（岁）", "41.87±5.49", "42.15±5.82", "0.221", "0.825"],
    ["男性", "25（62.50）", "23（57.50）", "0.208", "0.648"],
])
EN_TWO_GROUPS = ("Table 1 General data of the two groups", [
    ["Item", "Observation group (n = 40)", "Control group (n = 40)", "χ²/t value", "P value"],
    ["Age (years)", "41.87 ± 5.49", "42.15 ± 5.82", "0.221", "0.825"],
    ["Male", "25 (62.50)", "23 (57.50)", "0.208", "0.684"],   # the English version's P differs
])


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_bilingual_paper_from_two_files(tmp_path, fmt):
    from analysis.draft.build import drafts_of_files
    from analysis.draft import read_paper

    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    original = _write(tmp_path / "zh", [ZH_TWO_GROUPS], fmt, lead="2 结果：两组患者一般资料比较见表1。")
    version = _write(tmp_path / "en", [EN_TWO_GROUPS], "docx", lead="2 Results: see Table 1.")
    drafts = drafts_of_files([read_paper(original), read_paper(version)])
    assert set(drafts) == {"en", "zh"}
    en, zh = (d.to_frame() for d in (drafts["en"], drafts["zh"]))
    key = ["source", "item", "level", "arm", "quantity"]
    assert set(map(tuple, zh[key].to_numpy())) == set(map(tuple, en[key].to_numpy()))   # shared keys
    assert all(w.startswith("paper.docx") for w in en["where"])
    out = tmp_path / "draft"
    write_draft(drafts, out, paper=str(original), force=True)
    differences = pd.read_csv(out / "discrepancies.csv", dtype=str, keep_default_na=False)
    assert differences[["kind", "en", "zh"]].values.tolist() == [["value", "0.684", "0.648"]]
    clear_cache()
    check_summary(data_dir=out)


_PDF_FRONT = ('---\ntitle: "Layouts"\nmainfont: "Noto Sans CJK SC"\nformat:\n  typst:\n    margin:\n'
              '      x: 1.5cm\n---\n\n')


@pytest.mark.skipif(shutil.which("quarto") is None, reason=QUARTO_MISSING)
@pytest.mark.parametrize("lang, tables, lead", [
    ("en", [BASELINE, GROUPS_AS_ROWS], "2 Results: the characteristics of the two groups are in Table 1."),
    ("zh", [ZH_TWO_GROUPS, ZH_ROWS], "2 结果：两组患者一般资料比较见表1，治疗后评分见表2，差异均有统计学意义。"),
])
def test_the_layouts_from_a_pdf(tmp_path, lang, tables, lead):
    # the same layouts typeset by Quarto (Typst) as a born-digital PDF: arms from the column
    # headers or the row labels, test columns and test rows recognised, the draft loads
    md = _write(tmp_path, tables, "md", lead=lead)
    md.write_text(_PDF_FRONT + md.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(["quarto", "render", "paper.md", "--to", "typst"], cwd=tmp_path, check=True, capture_output=True)
    draft = draft_paper(tmp_path / "paper.pdf")[lang]
    assert len(draft.arms) == 2
    frame = draft.to_frame()
    tests = set(frame.loc[frame["arm"] == "", "quantity"])
    assert {"p", "statistic"} <= tests or {"p", "chi2", "statistic"} <= tests, tests
    verdicts = _loads_and_audits(tmp_path / "paper.pdf", tmp_path, lang)
    if lang == "en":
        assert sorted(k for k, v in verdicts.items() if v == "discrepant") == ["table1.relapse.chi2",
                                                                             "table1.relapse.p"]
    else:
        assert [v for k, v in verdicts.items() if k.endswith(".t")] == ["reproduced"] * 3, verdicts


def test_a_value_its_quantity_cannot_be_goes_to_review_and_the_draft_loads(tmp_path):
    # a χ² printed negative (a t under the χ² heading, or a misprint) and a count with decimals
    table = ("Table 7 Baseline", [["", "Group A (n = 30)", "Group B (n = 30)", "χ2", "P"],
                                  ["Sex (male/female)", "18/12", "16/14", "-0.27", "0.60"],
                                  ["Smokers", "9.5", "11", "0.31", "0.58"]])
    path = _write(tmp_path, [table], "md")
    draft = draft_paper(path)["en"]
    refused = [dict(p.fields) for p in draft.problems if p.kind == "refused"]
    assert [(r["row"], r["column"]) for r in refused] == [("Sex (male/female)", "χ2")]
    # a count with decimals reads as no value at all: listed too
    assert any(dict(p.fields).get("cell") == "9.5" for p in draft.problems)
    _loads_and_audits(path, tmp_path, "en")                    # raises if the draft does not load
    assert "-0.27" in (tmp_path / "draft" / "REVIEW.md").read_text(encoding="utf-8").split("##")[2]


def test_a_paper_with_one_group_found_still_gives_a_draft_that_loads(tmp_path):
    table = ("Table 1 Outcomes of the treated patients (n = 40)", [["Item", "Treated group", "P"],
                                                                 ["Age, years", "52.1 ± 8.0", "0.32"]])
    path = _write(tmp_path, [table], "md")
    draft = draft_paper(path)["en"]
    assert len(draft.arms) == 2 and "arm1" in draft.arms          # a placeholder to declare
    assert any(p.kind == "few_arms" for p in draft.problems)
    _loads_and_audits(path, tmp_path, "en")


def test_results_sentences_an_hr_with_its_ci_and_p_and_a_median_not_reached(tmp_path):
    path = tmp_path / "paper.md"
    path.write_text(_markdown([("Table 1 Baseline", [["Item", "Drug group (n = 120)", "Placebo group (n = 118)", "P"],
                                                     ["Age, years", "61.2 ± 8.1", "60.4 ± 7.9", "0.44"]])], "")
                    + "## 2.3 Survival\n\nOverall survival was longer with the drug (HR 0.84 (95% CI 0.66–1.07), "
                    "P = 0.16). The median overall survival was not reached in the drug group and 18.2 months "
                    "in the placebo group.\n", encoding="utf-8")
    frame = draft_paper(path)["en"].to_frame()
    text = frame[frame["source"] == "sec2.3"]
    assert _values(text[text["item"] == "os"], arm="") == [("", "hr", "0.84"), ("", "lower", "0.66"),
                                                            ("", "p", "0.16"), ("", "upper", "1.07")]
    # each median under its own arm, the one not reached as NR in the sentence's unit
    assert _values(text, quantity="months") == [("drug", "months", "NR"), ("placebo", "months", "18.2")]


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_an_evaluable_patients_row_is_a_denominator_and_marks_are_letters(tmp_path, fmt):
    # the "Evaluable patients" row gives each group's n (not a category); "^a,d^" after a
    # mean is the letters a and d
    table = ("Table 8 Response", [["Outcome", "Drug", "Placebo", "P"],
                                  ["Evaluable patients", "98", "95", ""],
                                  ["Response, n (%)", "41 (41.8)", "27 (28.4)", "0.051"],
                                  ["Score", "6.1 ± 1.2^a,d^", "5.8 ± 1.3", "0.096"]])
    path = _write(tmp_path, [table], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, item="group_size") == [("drug", "n", "98"), ("placebo", "n", "95")]
    assert ("drug", "letters", "ad") in _values(frame, row_label="Score")
    assert not any(frame["row_label"].eq("Evaluable patients") & frame["quantity"].eq("count"))


def test_a_finding_in_a_groups_as_rows_table_names_the_column_not_the_test_row(tmp_path):
    # R: chisq.test(matrix(c(7, 19, 103, 81), 2), correct = FALSE) -> X-squared = 7.7102;
    # the table prints 7.865 under "Total complications", in its "χ2 value" row
    table = ("Table 2 Complications, n (%)", [["Group", "n", "Bleeding", "Total complications"],
                                              ["Group A", "110", "3 (2.73)", "7 (6.36)"],
                                              ["Group B", "100", "9 (9.00)", "19 (19.00)"],
                                              ["χ2 value", "", "", "7.865"], ["P value", "", "", "0.005"]])
    path = _write(tmp_path, [table], "md")
    _loads_and_audits(path, tmp_path, "en")
    report = run_audit("en", data_dir=tmp_path / "draft")
    sentences = [f.sentence for f in reader_findings(report, data_dir=tmp_path / "draft")]
    assert any("“Total complications”" in s and "7.865" in s for s in sentences), sentences
    assert not any("“χ2 value”" in s for s in sentences)


def test_a_claims_note_names_the_printed_row_not_its_key(tmp_path):
    from analysis.audit.claim import printed_rows
    from analysis.audit.context import load_context
    from analysis.printed import parse_printed

    _loads_and_audits(_write(tmp_path, [BASELINE], "md"), tmp_path, "en")
    ctx = load_context("en", data_dir=tmp_path / "draft")
    text = printed_rows(ctx, ["table1/relapse///p"], {"table1/relapse///p": parse_printed("0.218")})
    assert text == "“Relapse” P = 0.218"


def test_a_finding_about_many_rows_names_them_all_and_prints_its_claim_once(tmp_path):
    from analysis.audit.context import load_context
    from analysis.audit.model import Check
    from analysis.present.readers import _what
    from analysis.shown import printed_value

    _loads_and_audits(_write(tmp_path, [BASELINE], "md"), tmp_path, "en")
    ctx = load_context("en", data_dir=tmp_path / "draft")
    claim = Check(id="sec3.rows.claim", source="3 Discussion", item="rows", quantity="P", reported="P>0.05",
                  recomputed=(0.2, 0.6), method="claim", verdict="discrepant",
                  inputs=("table1/relapse///p", "table1/age_years///p", "table1/smoker///p"))
    assert _what(claim, ctx, "en") == "the 3 rows of Table 1"       # not the first row's label
    assert printed_value(claim.reported, claim.quantity) == "P>0.05"  # not "P = P>0.05"


@pytest.mark.parametrize("name", ["table3", "table4"])
def test_another_papers_table_is_laid_out_by_its_shape_not_its_file_name(tmp_path, name):
    # this paper's Table 3 layout (a block per marker) once went to any file named table3 and
    # stopped with an IndexError; another paper's groups-as-rows table keeps its own shape
    from analysis.present.paper_tables import paper_table

    caption, rows = GROUPS_AS_ROWS
    path = _write(tmp_path, [(caption.replace("Table 2", f"Table {name[-1]}"), rows)], "md")
    _loads_and_audits(path, tmp_path, "en")
    frame = paper_table(name, "en", data_dir=tmp_path / "draft", markup=False).frame
    assert list(frame.iloc[:, 0])[:2] == ["Group A (n = 110)", "Group B (n = 100)"]
    assert "t value" in list(frame.iloc[:, 0])


def test_the_drafts_title_is_the_papers(tmp_path):
    path = _write(tmp_path, [BASELINE], "md")
    path.write_text('---\ntitle: "Drug A against placebo in 210 patients"\n---\n\n' + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    from analysis.draft import read_paper
    document = read_paper(path)
    write_draft(draft_paper(path), tmp_path / "draft", paper=str(path), force=True, title=document.title)
    assert 'title = "Drug A against placebo in 210 patients"' in (tmp_path / "draft" / "analyses.toml").read_text(
        encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_footnote_that_prints_an_items_own_n(tmp_path, fmt):
    table = ("Table 9 Baseline", [["Item", "Drug group (n = 150)", "Placebo group (n = 160)", "t", "P"],
                                  ["Age, years", "61.2 ± 8.1", "60.4 ± 7.9", "0.88", "0.38"],
                                  ["Risk score^a^", "5.16 ± 1.18", "5.09 ± 1.12", "0.52", "0.60"]],
             ["^a^Recorded for 140 and 151 patients."])
    path = _write(tmp_path, [table], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, item="risk_score_a", quantity="n") == [("drug", "n", "140"), ("placebo", "n", "151")]
    _loads_and_audits(path, tmp_path, "en")
    checks = {c.id: c for c in run_audit("en", data_dir=tmp_path / "draft").checks}
    # the t is judged on the item's own n (140 and 151), not the columns' 150 and 160
    assert "table9/risk_score_a//drug/n" in checks["table9.risk_score_a.t"].inputs
    assert checks["table9.risk_score_a.t"].verdict == "reproduced"


def test_a_groups_own_row_in_an_n_column_is_its_size_not_a_count(tmp_path):
    # "Drug group (n = 60) | 60": each group's n printed again on a row of its own under an "n"
    # heading, above the outcomes (the n column holds nothing else); R: chisq.test(matrix(c(5,
    # 55, 12, 46), 2), correct = FALSE) -> X-squared = 3.6514838, p-value = 0.05602
    table = ("Table 2 Outcomes", [["", "n", "Drug group (n = 60)", "Control group (n = 58)", "χ²", "P"],
                                  ["Drug group (n = 60)", "60", "", "", "", ""],
                                  ["Control group (n = 58)", "58", "", "", "", ""],
                                  ["Death", "", "5 (8.33)", "12 (20.69)", "3.651", "0.056"]])
    path = _write(tmp_path, [table], "md")
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, item="group_size") == [("control", "n", "58"), ("drug", "n", "60")]
    assert set(frame["item"]) == {"group_size", "death"}          # no item made of the groups' rows
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table2.death.chi2"] == "reproduced"


# A wide Chinese table printed as two blocks one under the other, each under its own
# "组别" header; the groups' n in a 例数 column; sex as "30/20" under "性别(男/女)"; a
# "χ2(t)值" row whose marked value is a t. R references:
#   chisq.test(matrix(c(30, 20, 22, 28), 2, byrow = TRUE), correct = FALSE) -> 2.5641, p 0.1093
#   pooled t of 59.0±8.0 vs 55.5±7.0, n = 50 each -> t = 2.3282, p = 0.02196
#   chisq.test(matrix(c(12, 38, 20, 30), 2, byrow = TRUE), correct = FALSE) -> 2.9412, p 0.08635
#     (printed 3.941: planted; its P 0.086 is the counts')
#   chisq.test(matrix(c(15, 35, 16, 34), 2, byrow = TRUE), correct = FALSE) -> 0.04675, p 0.8288
STACKED_ZH = ("表1 两组患者一般资料比较", [
    ["组别", "例数", "性别(男/女)", "年龄(岁)"],
    ["观察组", "50", "30/20", "59.0±8.0"],
    ["对照组", "50", "22/28", "55.5±7.0"],
    ["χ2(t)值", "", "2.564", "2.328^a^"],
    ["P值", "", "0.109", "0.022"],
    ["组别", "吸烟史[例(%)]", "饮酒史[例(%)]", ""],
    ["观察组", "12(24.0)", "15(30.0)", ""],
    ["对照组", "20(40.0)", "16(32.0)", ""],
    ["χ2(t)值", "3.941", "0.047", ""],
    ["P值", "0.086", "0.829", ""],
], ["注：^a^为t值"])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_table_printed_in_stacked_blocks_with_alternative_statistics(tmp_path, fmt):
    path = _write(tmp_path, [STACKED_ZH], fmt, lead="结果 两组患者一般资料比较见表1。")
    frame = draft_paper(path)["zh"].to_frame()
    assert _values(frame, item="group_size") == [("arm1", "n", "50"), ("arm2", "n", "50")]
    sex = frame[frame["column_label"] == "性别(男/女)"]
    assert ("arm1", "count", "30") in _values(sex) and ("arm2", "count", "28") in _values(sex)
    # "χ2(t)值": χ² or t, so the printed number is a statistic, not a χ²
    assert ("", "statistic", "2.328") in _values(frame, column_label="年龄(岁)")
    verdicts = _loads_and_audits(path, tmp_path, "zh")
    discrepant = sorted(k for k, v in verdicts.items() if v == "discrepant")
    assert len(discrepant) == 1 and discrepant[0].endswith(".chi2"), verdicts
    reproduced = {k for k, v in verdicts.items() if v == "reproduced"}
    # both blocks' tests are audited: sex (χ², P), age (t, P), smoking's P, drinking (χ², P)
    assert sum(k.endswith((".t", ".p", ".chi2")) for k in reproduced) == 7, verdicts


# A Total ("All") column and "N (%)" after each group's name; a mixed "t/χ2/Z" column over a
# three-level category (R: chisq.test(matrix(c(15, 12, 33, 14, 16, 30), 2, byrow = TRUE),
# correct = FALSE) -> 0.74877, p 0.6877) and a median [IQR] row with a Z printed "− 0.35"
# (2 * pnorm(-0.35) = 0.7263).
TOTAL_AND_MIXED = ("Table 2 Baseline characteristics of participants", [
    ["Variable", "All (N = 120) N (%)", "Intervention group (N = 60) N (%)", "Control group (N = 60) N (%)",
     "t/χ2/Z", "P"],
    ["Education", "", "", "", "0.749", "0.688"],
    ["Primary", "29 (24.2)", "15 (25.0)", "14 (23.3)", "", ""],
    ["Secondary", "28 (23.3)", "12 (20.0)", "16 (26.7)", "", ""],
    ["College", "63 (52.5)", "33 (55.0)", "30 (50.0)", "", ""],
    ["Symptom duration (yr), M [IQR]", "5.00 [6.00]", "6.00 [7.00]", "5.00 [7.00]", "− 0.35", "0.726"],
])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_an_all_column_and_a_mixed_statistic_column(tmp_path, fmt):
    path = _write(tmp_path, [TOTAL_AND_MIXED], fmt)
    draft = draft_paper(path)["en"]
    frame = draft.to_frame()
    # the All column is a total, and "N (%)" is not part of a group's name
    assert set(frame["arm"]) - {""} == {"intervention", "control"}
    assert ("", "count", "29") in _values(frame, row_label="Primary")
    assert ("", "statistic", "-0.35") in _values(frame, row_label="Symptom duration (yr), M [IQR]")
    verdicts = _loads_and_audits(path, tmp_path, "en")
    # χ² or a rank-sum Z: the draft declares both candidates, and the χ² reproduces
    assert verdicts["table2.education.chi2"] == "reproduced", verdicts
    assert verdicts["table2.symptom_duration.p"] == "reproduced", verdicts
    assert "discrepant" not in verdicts.values(), verdicts


# Each group's n and % in two columns under "n | %", the groups' names in a second header row
# over them, and a statistic with its P in one cell without a comma. R references:
#   chisq.test(matrix(c(6, 24, 8, 22), 2, byrow = TRUE), correct = FALSE) -> 0.37267, p 0.5416
#   chisq.test(matrix(c(18, 12, 11, 19), 2, byrow = TRUE), correct = FALSE) -> 3.2703, p 0.07054
#     (printed 2.27: planted)
SPLIT_N_PERCENT = ("Table 2 Characteristics of the nurses in the two groups", [
    ["Variables", "Groups", "n", "%", "n", "%", "Statistic and P"],
    ["", "", "Intervention", "", "Control", "", ""],
    ["Gender", "Male", "6", "20.00", "8", "26.70", "χ2 = 0.373 P = 0.54"],
    ["", "Female", "24", "80.00", "22", "73.30", ""],
    ["Shift work", "Fixed", "18", "60.00", "11", "36.70", "χ2 = 2.27 P = 0.07"],
    ["", "Rotated", "12", "40.00", "19", "63.30", ""],
])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_groups_n_and_percent_in_two_columns(tmp_path, fmt):
    path = _write(tmp_path, [SPLIT_N_PERCENT], fmt)
    frame = draft_paper(path)["en"].to_frame()
    male = frame[frame["row_label"] == "Male"]
    assert ("control", "count", "8") in _values(male) and ("control", "percent", "26.70") in _values(male)
    # each value keeps its own printed cell, not a cell the reading joined
    assert set(male.loc[male["arm"] == "control", "printed"]) == {"8", "26.70"}
    assert ("", "chi2", "0.373") in _values(frame) and ("", "p", "0.54") in _values(frame)
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table2.gender.chi2"] == "reproduced", verdicts
    assert verdicts["table2.shift_work.chi2"] == "discrepant", verdicts


# Three arms beside an "All participants" column whose heading carries a footnote mark, and a
# mean [SD] too large to be a count and its percentage. R (one-way ANOVA from summaries:
# F = (SSB/2) / (SSW/117) with means 3100, 3050, 3200, SDs 350, 400, 380, n = 40 each):
# F = 1.6397, pf(F, 2, 117, lower.tail = FALSE) = 0.1985.
ALL_AND_THREE_ARMS = ("Table 3 Birth outcomes by group", [
    ["", "All participants (n = 120)^a^", "Group A (n = 40)", "Group B (n = 40)", "Group C (n = 40)", "p-value"],
    ["Birth weight, g", "3117 [380]", "3100 [350]", "3050 [400]", "3200 [380]", "0.20"],
], ["^a^Values are means [SD]."])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_all_column_with_a_mark_and_a_mean_sd_above_100(tmp_path, fmt):
    path = _write(tmp_path, [ALL_AND_THREE_ARMS], fmt)
    draft = draft_paper(path)["en"]
    assert list(draft.table_arms["table3"]) == ["a", "b", "c"]
    assert ("a", "sd", "350") in _values(draft.to_frame(), row_label="Birth weight, g")
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table3.birth_weight_g.p"] == "reproduced", verdicts


# Before and after propensity matching, the groups printed again under each, their n as
# "(40例)". R: pooled t of 30.0±4.0 (40) vs 28.0±5.0 (60) = 2.1171, p 0.03678; of 29.5±4.0
# vs 29.0±4.5 (35 each) = 0.4913, p 0.6248.
MATCHED_ZH = ("表1 两组患者匹配前后基线比较", [
    ["变量", "观察组 (40例)", "对照组 (60例)", "t值", "P值", "观察组 (35例)", "对照组 (35例)", "t值", "P值"],
    ["", "匹配前", "", "", "", "匹配后", "", "", ""],
    ["年龄/岁", "30.0±4.0", "28.0±5.0", "2.117", "0.037", "29.5±4.0", "29.0±4.5", "0.491", "0.625"],
])

# A first body row that names no column (a time point over the rows below), and events
# printed as one count per level, "10/12/5/3" under "(0/1/2/≥3)". R:
# chisq.test(matrix(c(10, 12, 5, 3, 8, 9, 9, 4), 2, byrow = TRUE), correct = FALSE)
# -> X-squared = 1.9365, p-value = 0.5857.
EVENTS_BY_LEVEL = ("Table 3 Haemodynamics and events", [
    ["", "Study group (N = 30)", "Control group (N = 30)", "P-value"],
    ["Preoperation", "", "", ""],
    ["Heart rate (bpm)", "73.6 ± 8.0", "73.7 ± 6.3", "0.957"],
    ["Bradycardia events (N.) (0/1/2/≥3)", "10/12/5/3", "8/9/9/4", "0.586"],
])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_groups_printed_again_per_block_with_their_n_in_li(tmp_path, fmt):
    path = _write(tmp_path, [MATCHED_ZH], fmt, lead="结果 匹配前后比较见表1。")
    frame = draft_paper(path)["zh"].to_frame()
    assert sorted(frame.loc[frame["quantity"] == "n", "value"]) == ["35", "35", "40", "60"]
    # where each value was printed names its block
    assert any(label.startswith("匹配后 / ") for label in frame["column_label"])
    verdicts = _loads_and_audits(path, tmp_path, "zh")
    t_checks = {k: v for k, v in verdicts.items() if k.endswith(".t")}
    assert len(t_checks) == 2 and set(t_checks.values()) == {"reproduced"}, verdicts


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_heading_row_is_no_header_and_counts_per_level_in_one_cell(tmp_path, fmt):
    path = _write(tmp_path, [EVENTS_BY_LEVEL], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, item="group_size") == [("control", "n", "30"), ("study", "n", "30")]
    events = frame[frame["row_label"].str.startswith("Bradycardia")]
    assert [v for a, q, v in _values(events) if a == "control" and q == "count"] == ["4", "8", "9", "9"]
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert next(v for k, v in verdicts.items() if k.startswith("table3.bradycardia") and k.endswith(".p")) \
        == "reproduced", verdicts


# A continued table ("(续表 2)"), three regions as rows, each cell a rate with the count and
# the n it is of ("80.00 (80/100)"), a χ² row under them. R:
#   chisq.test(matrix(c(80, 20, 85, 15, 70, 30), 2), correct = FALSE) -> 6.874, p 0.03216
#   chisq.test(matrix(c(60, 40, 75, 25, 66, 34), 2), correct = FALSE) -> 5.156, p 0.07592
# The second region's 75/100 printed as 57.00 %: planted.
RATES_ZH = ("(续表 2)", [
    ["地区", "服务态度满意率", "随访满意率"],
    ["东部", "80.00 (80/100)", "60.00 (60/100)"],
    ["中部", "85.00 (85/100)", "57.00 (75/100)"],
    ["西部", "70.00 (70/100)", "66.00 (66/100)"],
    ["χ2 值", "6.874", "5.156"],
    ["P 值", "0.032", "0.076"],
])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_continued_table_of_rates_with_their_counts_and_n(tmp_path, fmt):
    path = _write(tmp_path, [RATES_ZH], fmt, lead="结果 各地区满意率比较见表2。")
    frame = draft_paper(path)["zh"].to_frame()
    assert set(frame["source"]) == {"table2"}
    east = frame[frame["row_label"] == "东部"]
    assert {("percent", "80.00"), ("count", "80"), ("n", "100")} <= set(zip(east["quantity"], east["value"]))
    verdicts = _loads_and_audits(path, tmp_path, "zh")
    chi2 = {k: v for k, v in verdicts.items() if k.endswith(".chi2")}
    assert sorted(chi2.values()) == ["reproduced", "reproduced"], verdicts
    discrepant = [k for k, v in verdicts.items() if v == "discrepant"]
    assert len(discrepant) == 1 and discrepant[0].endswith(".arm2.percent"), verdicts


def test_a_page_of_tables_alone_is_in_the_language_its_labels_print(tmp_path):
    # a journal's table page: an English caption over Chinese labels is the Chinese version
    _, rows, *_ = STACKED_ZH
    path = _write(tmp_path, [("Table 1 General data of the two groups", rows)], "md")
    assert list(draft_paper(path)) == ["zh"]
    assert list(draft_paper(_write(tmp_path, [TOTAL_AND_MIXED], "md"))) == ["en"]


# No group size printed anywhere (the n lost from "Group A ()"): each arm's n is the sum of a
# complete item's counts, which every printed percentage of it fits (gender and education: 30;
# employment, with two answers missing, 28, outvoted). R, n = 30 each:
#   pooled t of 45.2 ± 8.1 vs 47.9 ± 7.6 -> t = -1.331, p 0.1883
#   pooled t of 23.4 ± 3.1 vs 22.1 ± 2.9 -> t = 1.677, p 0.09885 (printed 0.021: planted)
#   chisq.test(matrix(c(12, 18, 14, 16), 2), correct = FALSE)$p.value -> 0.6023
#   chisq.test(matrix(c(10, 9, 12, 11, 8, 10), 2), correct = FALSE)$p.value -> 0.8529
#   chisq.test(matrix(c(14, 15, 14, 13), 2), correct = FALSE)$p.value -> 0.7891
NO_SIZES = ("Table 1 Baseline characteristics", [
    ["Characteristic", "Group A ()", "Group B ()", "P"],
    ["Employment, n (%)", "", "", "0.789"],
    ["Employed", "14 (50.00)", "15 (53.57)", ""],
    ["Unemployed", "14 (50.00)", "13 (46.43)", ""],
    ["Gender, n (%)", "", "", "0.602"],
    ["Male", "12 (40.00)", "14 (46.67)", ""],
    ["Female", "18 (60.00)", "16 (53.33)", ""],
    ["Education, n (%)", "", "", "0.853"],
    ["Primary", "10 (33.33)", "9 (30.00)", ""],
    ["Secondary", "12 (40.00)", "11 (36.67)", ""],
    ["University", "8 (26.67)", "10 (33.33)", ""],
    ["Age (years, mean ± SD)", "45.2 ± 8.1", "47.9 ± 7.6", "0.188"],
    ["BMI (kg/m2, mean ± SD)", "23.4 ± 3.1", "22.1 ± 2.9", "0.021"],
])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_table_that_prints_no_group_size_takes_it_from_a_complete_item(tmp_path, fmt):
    path = _write(tmp_path, [NO_SIZES], fmt)
    drafts = draft_paper(path)
    assert not any(r.item == "group_size" for r in drafts["en"].rows)     # nothing invented as printed
    out = tmp_path / "draft"
    _, review = write_draft(drafts, out, paper=str(path), force=True)
    assert 'group_size = { source = "table1", item = "gender" }' in (out / "analyses.toml").read_text()
    assert [p.kind for p in review["en"]] == ["sizes_from_counts"]
    clear_cache()
    check_summary(data_dir=out)
    verdicts = {c.id: c.verdict for c in run_audit("en", data_dir=out).checks}
    assert verdicts["table1.age.p"] == "reproduced"
    assert verdicts["table1.bmi.p"] == "discrepant"
    assert verdicts["table1.education.p"] == "reproduced"
    # employment's 28 is its own total: its percentages are checked against 30 and fail
    assert verdicts["table1.employment.employed.a.percent"] == "discrepant"
    assert sum(v == "discrepant" for v in verdicts.values()) == 5, verdicts


# Percentages printed before their counts ("% (n)"), said on some rows only; an ordinal item
# with a level no arm has and a Wilcoxon P; a "Mean (SD)" row under its heading; a Fisher P
# named by its mark. R (SA n = 60, SH n = 62):
#   chisq.test(matrix(c(52, 48, 8, 14), 2), correct = FALSE)$p.value -> 0.1841
#   fisher.test(matrix(c(60, 0, 58, 4), 2))$p.value -> 0.1190
#   wilcox.test(rep(1:3, c(30, 22, 8)), rep(1:3, c(25, 27, 10)), correct = FALSE,
#               exact = FALSE)$p.value -> 0.3093
#   pooled t of 39.2 (26.4) vs 36.2 (22.4) -> t = 0.678, p 0.4993
PERCENT_FIRST = ("Table 2 Outcomes", [
    ["", "SA (n = 60)", "SH (n = 62)", "P"],
    ["Efficacy rate, % (n)", "86.7 (52)", "77.4 (48)", "0.184"],
    ["Complete resection", "100.0 (60)", "93.5 (58)", "0.119^b^"],
    ["Injections needed", "", "", "0.309^c^"],
    ["1", "50.0 (30)", "40.3 (25)", ""],
    ["2", "36.7 (22)", "43.5 (27)", ""],
    ["≥3", "13.3 (8)", "16.1 (10)", ""],
    ["Unable to determine", "0.0 (0)", "0.0 (0)", ""],
    ["Operation time (min)", "", "", ""],
    ["Mean (SD)", "39.2 (26.4)", "36.2 (22.4)", "0.499"],
], ["^b^Fisher's exact test.", "^c^Wilcoxon two-sample test."])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_percentages_printed_before_their_counts(tmp_path, fmt):
    path = _write(tmp_path, [PERCENT_FIRST], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, item="efficacy_rate", arm="sa") == [("sa", "count", "52"), ("sa", "percent", "86.7")]
    assert _values(frame, item="complete_resection", arm="sh") == [("sh", "count", "58"), ("sh", "percent", "93.5")]
    assert _values(frame, item="injections_needed", level="2", arm="sh") == [("sh", "count", "27"),
                                                                             ("sh", "percent", "43.5")]
    # the format row is what its heading's item prints
    assert _values(frame, item="operation_time", arm="sa") == [("sa", "mean", "39.2"), ("sa", "sd", "26.4")]
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert {k: v for k, v in verdicts.items() if v != "reproduced"} == {}
    assert {"table2.efficacy_rate.p", "table2.complete_resection.p", "table2.injections_needed.p",
            "table2.operation_time.p"} <= set(verdicts)


# Row percentages (each count's share of the level's total over the groups) in a two-column
# stub, over three groups, with the χ² under "Statistical value" and its mark. R:
#   chisq.test(matrix(c(20, 40, 30, 35, 25, 50), 2), correct = FALSE) -> 3.0769, p 0.2147
ROW_PERCENTS = ("Table 3 Sex by group", [
    ["Variable", "", "A (N = 60)", "B (N = 65)", "C (N = 75)", "Statistical value", "P"],
    ["Sex", "Female (%)", "20 (26.67)", "30 (40.00)", "25 (33.33)", "3.08#", "0.215"],
    ["", "Male (%)", "40 (32.00)", "35 (28.00)", "50 (40.00)", "", ""],
], ["#: Chi-square test."])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_row_percentages_in_a_two_column_stub(tmp_path, fmt):
    path = _write(tmp_path, [ROW_PERCENTS], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert set(frame.loc[frame["quantity"] == "count", "item"]) == {"sex"}
    assert _values(frame, item="sex", arm="") == [("", "p", "0.215"), ("", "statistic", "3.08")]
    out = tmp_path / "draft"
    write_draft(draft_paper(path), out, paper=str(path), force=True)
    assert 'denominator = "row"' in (out / "analyses.toml").read_text()
    clear_cache()
    verdicts = {c.id: c.verdict for c in run_audit("en", data_dir=out).checks}
    assert sorted(v for k, v in verdicts.items() if k.endswith("percent")) == ["reproduced"] * 6
    assert verdicts["table3.sex.chi2"] == verdicts["table3.sex.p"] == "reproduced"


# A test's name heading each statistic column under a spanning "Difference tests", with its df
# in brackets; dashes (one with a mark) where a row's test is another column's; a Mann–Whitney
# U beside its Z over ordered categories; "mean (SD; range)" cells; a P in scientific notation.
# R (n = 30 each):
#   chisq.test(matrix(c(18, 12, 12, 18), 2), correct = FALSE) -> X-squared = 2.4, p 0.1213
#   pooled t of 71.2 (6.4) vs 74.9 (7.1) -> t = -2.120, p 0.03828
#   wilcox.test(rep(1:4, c(5, 12, 9, 4)), rep(1:4, c(11, 12, 5, 2)), correct = FALSE,
#               exact = FALSE) -> W = 577 (the other group's U: 900 - 577 = 323), p 0.04824
#   pooled t of 12.1 (2.0) vs 18.3 (2.2) -> t = -11.42, p 1.793e-16
TESTS_BY_NAME = ("Table 1 Background characteristics", [
    ["Characteristics", "Drug (n=30)", "Placebo (n=30)", "Chi-square (df)", "t test (df)", "U", "z", "P value"],
    ["", "", "", "Difference tests", "", "", "", ""],
    ["Sex: female, n (%)", "18 (60)", "12 (40)", "2.4^a^ (1)", "—^b^", "—", "—", ".12"],
    ["Age (y), mean (SD; range)", "71.2 (6.4; 60-85)", "74.9 (7.1; 61-88)", "—", "−2.120 (58)", "—", "—", ".04"],
    ["Stage, n (%)", "", "", "—", "—", "323.0", "−1.975", ".048"],
    ["I", "5 (17)", "11 (37)", "", "", "", "", ""],
    ["II", "12 (40)", "12 (40)", "", "", "", "", ""],
    ["III", "9 (30)", "5 (17)", "", "", "", "", ""],
    ["IV", "4 (13)", "2 (7)", "", "", "", "", ""],
    ["Score, mean (SD; range)", "12.1 (2.0; 8-16)", "18.3 (2.2; 13-23)", "—", "−11.42 (58)", "—", "—",
     "1.79 × 10^−16^"],
], ["^a^Pearson chi-square test. ^b^Not applicable."])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_statistic_columns_named_by_their_test_with_df_dashes_and_a_u(tmp_path, fmt):
    path = _write(tmp_path, [TESTS_BY_NAME], fmt)
    draft = draft_paper(path)["en"]
    assert [p.text() for p in draft.problems] == []                 # no key drafted twice
    frame = draft.to_frame()
    # one dash per statistic (t and U are both "statistic"): no key is drafted twice
    assert _values(frame, item="sex_female", arm="") == [("", "chi2", "2.4"), ("", "p", ".12"),
                                                         ("", "statistic", "—"), ("", "z", "—")]
    assert _values(frame, item="age_mean", arm="drug") == [("drug", "max", "85"), ("drug", "mean", "71.2"),
                                                      ("drug", "min", "60"), ("drug", "sd", "6.4")]
    assert ("", "statistic", "-2.120") in _values(frame, item="age_mean", arm="")
    assert ("", "p", "1.79 × 10^-16^") in _values(frame, item="score_mean", arm="")
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table1.stage.u"] == "reproduced"
    assert {k: v for k, v in verdicts.items() if v != "reproduced"} == {}, verdicts
    assert {"table1.sex_female.chi2", "table1.age_mean.p", "table1.stage.z", "table1.stage.p",
            "table1.score_mean.p"} <= set(verdicts)


# Counts per level joined by a colon under "(M:F)". R:
#   chisq.test(matrix(c(24, 14, 23, 20), 2), correct = FALSE)$p.value -> 0.3789
#   pooled t of 61.97 ± 8.87 (38) vs 60.56 ± 9.82 (43): t = 0.6746, p 0.5019
COLON_COUNTS = ("Table 1 Baseline", [
    ["Characteristic", "Group A (n = 38)", "Group B (n = 43)", "P value"],
    ["Sex (M:F)", "24:14", "23:20", "0.38"],
    ["Age (years)", "61.97 ± 8.87", "60.56 ± 9.82", "0.50"],
])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_counts_joined_by_a_colon_under_their_levels(tmp_path, fmt):
    path = _write(tmp_path, [COLON_COUNTS], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, item="sex", level="m") == [("a", "count", "24"), ("b", "count", "23")]
    assert _loads_and_audits(path, tmp_path, "en")["table1.sex.p"] == "reproduced"


# A count printed above its group's n (a misprint of the count or of the n): the loader
# refuses such a file, so the draft lists the count first in REVIEW.md and still loads.
COUNT_ABOVE_N = ("Table 1 Baseline", [
    ["Characteristic", "Group A (n = 18)", "Group B (n = 45)", "P value"],
    ["Heart failure", "29 (46.4)", "20 (44.4)", "0.12"],
    ["Age (years)", "61.9 ± 8.8", "60.5 ± 9.8", "0.60"],
])


def test_a_count_above_its_groups_n_goes_to_review_and_the_draft_loads(tmp_path):
    path = _write(tmp_path, [COUNT_ABOVE_N], "md")
    out = tmp_path / "draft"
    _, review = write_draft(draft_paper(path), out, paper=str(path), force=True)
    refused = [p for p in review["en"] if p.kind == "refused"]
    assert len(refused) == 1 and "count 29 is above the group's n = 18" in refused[0].text("en")
    clear_cache()
    check_summary(data_dir=out)


# One "χ2" column holding the t of the mean rows and the χ² of the count rows. R:
#   pooled t of 24.10 ± 1.70 (51) vs 24.01 ± 1.38 (49) -> t = 0.2900, p 0.7724
#   chisq.test(matrix(c(40, 11, 44, 5), 2), correct = FALSE) -> X-squared = 2.401, p 0.1212
T_UNDER_CHI2 = ("Table 3 Characteristics by anxiety", [
    ["", "Non-anxiety group (n = 51)", "Anxiety group (n = 49)", "χ2", "P value"],
    ["Age (year)", "24.10 ± 1.70", "24.01 ± 1.38", "0.290", "0.772"],
    ["Gender", "", "", "2.401", "0.121"],
    ["Male", "40", "44", "", ""],
    ["Female", "11", "5", "", ""],
])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_t_printed_under_a_chi2_heading(tmp_path, fmt):
    path = _write(tmp_path, [T_UNDER_CHI2], fmt)
    frame = draft_paper(path)["en"].to_frame()
    assert ("", "statistic", "0.290") in _values(frame, item="age", arm="")
    assert ("", "chi2", "2.401") in _values(frame, item="gender", arm="")
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert {k: v for k, v in verdicts.items() if v != "reproduced"} == {}, verdicts
    assert {"table3.age.t", "table3.gender.chi2"} <= set(verdicts), verdicts


def test_a_chinese_review_says_where_in_chinese(tmp_path):
    # a cell no reading fits is listed first, located as the reader's language says it
    rows = [["项目", "观察组(n=30)", "对照组(n=30)", "t值", "P值"],
            ["年龄", "45.1±3.2", "abc", "0.5", "0.6"],
            ["体重", "60.1±3.2", "61.2±3.0", "1.38", "0.17"]]
    path = _write(tmp_path, [("表1 基线", rows)], "md", lead="结果 两组基线见表1。")
    out = tmp_path / "draft"
    write_draft(draft_paper(path), out, paper=str(path), force=True, lang="zh")
    review = (out / "REVIEW.md").read_text(encoding="utf-8")
    assert re.search(r"^- 第 \d+ 行: table1：单元格“abc”", review, re.M), review
    assert "line " not in review


@pytest.mark.skipif(shutil.which("quarto") is None, reason=QUARTO_MISSING)
def test_todays_layouts_from_a_pdf(tmp_path):
    # the same tables typeset by Quarto (Typst): an empty stub heading, footnotes whose mark
    # opens the line (not rows of the table), a range dash set as a soft hyphen
    md = _write(tmp_path, [TESTS_BY_NAME, PERCENT_FIRST], "md", lead="2 Results: the outcomes are in Table 2.")
    md.write_text(_PDF_FRONT + md.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(["quarto", "render", "paper.md", "--to", "typst"], cwd=tmp_path, check=True, capture_output=True)
    draft = draft_paper(tmp_path / "paper.pdf")["en"]
    assert [p.text() for p in draft.problems] == []
    frame = draft.to_frame()
    assert _values(frame, item="efficacy_rate", arm="sa") == [("sa", "count", "52"), ("sa", "percent", "86.7")]
    verdicts = _loads_and_audits(tmp_path / "paper.pdf", tmp_path, "en")
    assert {k: v for k, v in verdicts.items() if v != "reproduced"} == {}, verdicts
    assert {"table1.stage.u", "table1.age_mean.t", "table2.injections_needed.p", "table2.complete_resection.p",
            "table2.operation_time.p"} <= set(verdicts), verdicts


# Copied from a web page as a new user would: groups as rows with their n in a "Sample size"
# column, outcome categories with a total column, scores whose long names differ only in
# their last words, and footnote letters that lost their superscript ("2.31 ± 0.88a",
# "0 (0)a b"). R: chisq.test(matrix(c(32, 26, 8, 14), 2), correct = FALSE) gives
# X-squared = 2.2571, p = 0.133; t.test from summaries ((3.02 - 2.31) /
# sqrt((0.88^2 + 0.97^2) / 40)) gives 3.4286 on 78 df, p = 0.000972.
FLAT_COPY = [
    ("Table 1 Comparison of clinical efficacy between the two groups, n (%)", [
        ["Group", "Sample size", "Cured", "Improved", "Ineffective", "Total effective rate"],
        ["Group A", "40", "12", "20", "8", "32 (80.00)"],
        ["Group B", "40", "8", "18", "14", "26 (65.00)"],
        ["χ2 value", "", "", "", "", "2.257"],
        ["P value", "", "", "", "", "0.133"],
    ]),
    ("Table 2 Visual analogue scale pain scores of the two groups", [
        ["Group", "Visual analogue scale pain score before treatment",
         "Visual analogue scale pain score after treatment", "Grade 1 after treatment, %"],
        ["Group A (n = 40)", "6.12 ± 1.03", "2.31 ± 0.88a", "5 (12.50)a"],
        ["Group B (n = 40)", "6.08 ± 1.11", "3.02 ± 0.97a,b", "0 (0)a b"],
        ["t value", "0.167", "3.429", ""],
        ["P value", "0.868", "< 0.001", ""],
    ]),
]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_table_copied_flat_from_a_web_page(tmp_path, fmt):
    path = _write(tmp_path, FLAT_COPY, fmt)
    frame = draft_paper(path)["en"].to_frame()
    sizes = frame[(frame["source"] == "table1") & (frame["quantity"] == "n")]
    assert sorted(zip(sizes["item"], sizes["arm"], sizes["value"])) == [
        ("group_size", "a", "40"), ("group_size", "b", "40")]
    items = set(frame.loc[frame["source"] == "table2", "item"])
    assert {"visual_analogue_scale_pain_before", "visual_analogue_scale_pain_after"} <= items
    after = _values(frame, item="visual_analogue_scale_pain_after")
    assert ("a", "letters", "a") in after and ("b", "letters", "ab") in after
    assert ("b", "count", "0") in _values(frame, item="grade_1_after_treatment")
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table1.total_effective_rate.chi2"] == "reproduced"
    assert verdicts["table2.visual_analogue_scale_pain_after.t"] == "reproduced"


# Medians printed with their range, said only in the table's note (the caption is bare).
RANGE_IN_NOTE = ("Table 2", [
    ["Variable", "Open (N = 60)", "Laparoscopy (N = 80)", "p value"],
    ["Tumor size (cm)", "6 (2–30)", "5.2 (0.9–14.5)", "< .001^a^"],
    ["Node-positive", "36 (60.0)", "52 (65.0)", "0.542^b^"],
], ["^a^Wilcoxon rank sum test", "^b^Chi-square test",
    "Data are expressed as median (range) for continuous variables and as number (percentage) "
    "for categorical variables"])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_median_range_said_in_the_note(tmp_path, fmt):
    frame = draft_paper(_write(tmp_path, [RANGE_IN_NOTE], fmt))["en"].to_frame()
    assert _values(frame, item="tumor_size") == [
        ("", "p", "<.001"), ("laparoscopy", "max", "14.5"), ("laparoscopy", "median", "5.2"),
        ("laparoscopy", "min", "0.9"), ("open", "max", "30"), ("open", "median", "6"), ("open", "min", "2")]
    assert ("open", "count", "36") in _values(frame, item="node_positive")


# A heading spanning every value column names the grouping ("Patient category" over
# "Control | Cases (fibrosis) | Total"), a group named "Cases (...)" is a group, not an n
# column; age bands with their χ², then the ages' mean ± SD under the same heading; no n in
# this table (the counts' sums give it), another table's n for differently named groups; a
# P heading with a raised footnote digit. R: chisq.test(matrix(c(10, 14, 30, 26), 2),
# correct = FALSE) gives X-squared = 0.95238, p = 0.3291.
SPANNED_GROUPING = [
    ("Table 1 Demography of the participants, n (%)", [
        ["Variable", "Control", "Cases (fibrosis)", "Total", "χ2", "P value"],
        ["", "Patient category", "", "", "", ""],
        ["Age (years)", "", "", "", "", ""],
        ["≤ 40", "10 (25.0)", "14 (35.0)", "24 (30.0)", "0.952", "0.329"],
        ["> 40", "30 (75.0)", "26 (65.0)", "56 (70.0)", "", ""],
        ["mean ± SD", "45.2 ± 9.1", "43.8 ± 9.9", "44.5 ± 9.5", "", ""],
        ["Sex", "", "", "", "", ""],
        ["Female", "16 (40.0)", "18 (45.0)", "34 (42.5)", "0.205", "0.651"],
        ["Male", "24 (60.0)", "22 (55.0)", "46 (57.5)", "", ""],
    ]),
    ("Table 2 Laboratory parameters, mean ± SD", [
        ["Parameter", "Fibrosis (n = 40)", "Controls (n = 40)", "^1^P value"],
        ["Albumin (g/L)", "30.2 ± 5.1", "42.8 ± 3.6", "< 0.001"],
    ]),
]


def test_a_heading_over_the_groups_and_bands_before_their_mean(tmp_path):
    path = _write(tmp_path, SPANNED_GROUPING, "md")
    frame = draft_paper(path)["en"].to_frame()
    table1 = frame[frame["source"] == "table1"]
    assert set(table1["column_label"]) >= {"Control", "Cases (fibrosis)"}
    assert set(table1["arm"]) == {"control", "cases", ""}
    assert _values(frame, source="table1", item="age", quantity="chi2") == [("", "chi2", "0.952")]
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table1.age.chi2"] == "reproduced" and verdicts["table1.sex.chi2"] == "reproduced"
    assert verdicts["table2.albumin.p"] == "reproduced"
    assert not any(v == "discrepant" for v in verdicts.values())


def test_labels_sharing_their_first_words_get_keys_that_tell_them_apart():
    from analysis.draft.keys import distinct_slugs, level_slug
    assert distinct_slugs(["Obsessive-compulsive disorder",
                           "Obsessive-compulsive disorder and social anxiety disorder"],
                          limit=3, key=level_slug) == {
        "Obsessive-compulsive disorder": "obsessive_compulsive_disorder",
        "Obsessive-compulsive disorder and social anxiety disorder":
            "obsessive_compulsive_disorder_social_anxiety"}
    assert distinct_slugs(["WAB scoring pre-treatment", "WAB scoring post-treatment", "Age"]) == {
        "WAB scoring pre-treatment": "wab_scoring_pre_treatment",
        "WAB scoring post-treatment": "wab_scoring_post_treatment", "Age": "age"}


# Items printed again under a second heading ("at induction" under MAP, then under HR), each
# with its own P: keyed with their heading, not as "at_induction_2"; row labels as printed.
# R: t from summaries, (73.6 - 67.2) / sqrt((7.8^2 + 8.5^2) / 30) = 3.039 on 58 df, p = 0.0036.
REPEATED_UNDER_HEADINGS = ("Table 3 Physiologic measures", [
    ["Variable", "D group (n = 30)", "C group (n = 30)", "P-value"],
    ["MAP (mm Hg), mean ± SD", "", "", ""],
    ["at induction", "63.4 ± 5.5", "72.6 ± 7.5", "<.001"],
    ["at incision", "64.6 ± 5.1", "71.3 ± 6.4", "<.001"],
    ["HR (bpm), mean ± SD", "", "", ""],
    ["at induction", "67.2 ± 7.8", "73.6 ± 8.5", ".004"],
    ["at incision", "67.8 ± 8.2", "76.6 ± 7.3", "<.001"],
])


def test_the_same_rows_under_two_headings_are_keyed_with_them(tmp_path):
    path = _write(tmp_path, [REPEATED_UNDER_HEADINGS], "md")
    frame = draft_paper(path)["en"].to_frame()
    items = set(frame["item"]) - {"group_size"}
    assert items == {"map_at_induction", "map_at_incision", "hr_at_induction", "hr_at_incision"}
    assert set(frame.loc[frame["item"] == "map_at_induction", "row_label"]) == {"at induction"}
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table3.hr_at_induction.p"] == "reproduced"
    out = tmp_path / "draft"
    assert "would repeat the key" not in (out / "REVIEW.md").read_text(encoding="utf-8")


# Groups as rows with their counts in "阳性 | 阴性" columns and the rate in a column of its
# own, the χ² and P under the rate. R: chisq.test(matrix(c(24, 12, 16, 28), 2),
# correct = FALSE) gives X-squared = 7.2727, p = 0.007001.
RATE_BESIDE_COUNTS = ("表2 两组阳性率比较", [
    ["组别", "例数", "阳性", "阴性", "阳性率(%)"],
    ["观察组", "40", "24", "16", "60.00"],
    ["对照组", "40", "12", "28", "30.00"],
    ["χ²值", "", "", "", "7.273"],
    ["P值", "", "", "", "0.007"],
])


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_rate_in_its_own_column_beside_its_counts(tmp_path, fmt):
    path = _write(tmp_path, [RATE_BESIDE_COUNTS], fmt, lead="2 结果：两组阳性率比较见表2。")
    frame = draft_paper(path)["zh"].to_frame()
    positive = frame[frame["column_label"].isin(["阳性", "阳性率(%)", "P值", "χ²值"]) & (frame["item"] != "group_size")]
    assert positive["item"].nunique() == 1
    item = positive["item"].iloc[0]
    verdicts = _loads_and_audits(path, tmp_path, "zh")
    assert verdicts[f"table2.{item}.chi2"] == "reproduced" and verdicts[f"table2.{item}.p"] == "reproduced"


# Before and after matching side by side, each block with a Total column before its groups
# and its own n; a P printed on the first level of a heading, the next item with its own P.
# R: chisq.test(matrix(c(33, 17, 27, 23), 2), correct = FALSE) -> X-squared = 1.5,
# p = 0.2207; after matching matrix(c(16, 15, 14, 15), 2) -> p = 0.7961; smoking
# matrix(c(8, 9, 12, 13, 6, 4), 2) -> p = 0.7793.
MATCHED_BLOCKS = ("Table 1 Characteristics before and after matching", [
    ["Variable", "Total (N=100)", "A (N=60)", "B (N=40)", "P value", "Total (N=60)", "A (N=30)",
     "B (N=30)", "P value"],
    ["", "Before matching", "", "", "", "After matching", "", "", ""],
    ["Sex, n (%)", "", "", "", "0.221", "", "", "", "0.796"],
    ["Male", "50 (50.0)", "33 (55.0)", "17 (42.5)", "", "31 (51.7)", "16 (53.3)", "15 (50.0)", ""],
    ["Female", "50 (50.0)", "27 (45.0)", "23 (57.5)", "", "29 (48.3)", "14 (46.7)", "15 (50.0)", ""],
])
SMOKING = ("Table 2 Risk factors", [
    ["", "High (n=26)", "Low (n=26)", "P value"],
    ["Smoking", "", "", ""],
    ["Never", "8 (30.8)", "9 (34.6)", "0.779"],
    ["Former", "12 (46.2)", "13 (50.0)", ""],
    ["Active", "6 (23.1)", "4 (15.4)", ""],
    ["Statin use", "20 (76.9)", "14 (53.8)", "0.144"],
])


def test_matched_blocks_with_totals_and_a_p_on_the_first_level(tmp_path):
    path = _write(tmp_path, [MATCHED_BLOCKS, SMOKING], "md")
    frame = draft_paper(path)["en"].to_frame()
    sizes = frame[frame["item"] == "group_size_after_matching"]
    assert sorted(zip(sizes["arm"], sizes["value"])) == [("", "60"), ("a", "30"), ("b", "30")]
    assert set(frame.loc[frame["item"] == "smoking", "level"]) == {"never", "former", "active", ""}
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table1.sex_before_matching.p"] == "reproduced"
    assert verdicts["table1.sex_after_matching.p"] == "reproduced"
    assert verdicts["table2.smoking.p"] == "reproduced"
    assert not any(v == "discrepant" for v in verdicts.values())


# Three groups with mean and SD in columns of their own, an "F Score" column, and P values
# marked with the later footnote symbols (‖, ¶, **). R: one-way ANOVA from the summaries,
# F = 25.05 (p = 1.1e-08) and F = 4.725 (p = 0.0124).
F_SCORE = ("Table 1 Spectroscopy ratios", [
    ["Parameter", "Mean", "SD", "Mean", "SD", "Mean", "SD", "F Score^*^", "P Value^*^"],
    ["", "Malignant (n = 36)", "", "Benign (n = 13)", "", "Control (n = 15)", "", "", ""],
    ["NAA/Cho", "0.65", "0.28", "1.12", "0.59", "1.35", "0.14", "25.054", ".000^‖^"],
    ["Cho/Cr", "1.74", "0.61", "1.45", "0.65", "1.24", "0.16", "4.725", ".012^**^"],
], ["^*^ F score and P values by one-way analysis of variance."])


def test_an_f_score_column_and_later_footnote_symbols(tmp_path):
    path = _write(tmp_path, [F_SCORE], "md")
    frame = draft_paper(path)["en"].to_frame()
    assert _values(frame, item="naa_cho", quantity="F") == [("", "F", "25.054")]
    assert _values(frame, item="cho_cr", quantity="p") == [("", "p", ".012")]
    verdicts = _loads_and_audits(path, tmp_path, "en")
    assert verdicts["table1.naa_cho.f"] == "reproduced" and verdicts["table1.cho_cr.f"] == "reproduced"


def test_a_chinese_drafts_unchecked_reasons_are_chinese(tmp_path):
    path = _write(tmp_path, [RATE_BESIDE_COUNTS], "md", lead="2 结果：两组阳性率比较见表2。")
    out = tmp_path / "draft"
    write_draft(draft_paper(path), out, paper=str(path), force=True, lang="zh")
    toml = (out / "analyses.toml").read_text(encoding="utf-8")
    assert 'reason = "草稿：未能推测出产生该数值的分析"' in toml and "no analysis guessed" not in toml
