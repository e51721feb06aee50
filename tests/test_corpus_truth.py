"""benchmarks/corpus/truth.py against closed forms written out here, textbook values and R.

Every reference number has its source beside it: a textbook, a published table, or the R call
that produced it (R 4.2.2, coin 1.4-2; R is not needed to run these tests).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("corpus_truth", ROOT / "benchmarks/corpus/truth.py")
truth = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = truth  # dataclasses look their module up there
_spec.loader.exec_module(truth)


def method(table, name, ordered=False):
    return truth.counts_methods(np.array(table), ordered)[name]


def row(**cells):
    return truth.check_row({"table": "1", "row_label": "x", **cells})


# --------------------------------------------------------------------------------------
# Printed numbers as intervals

@pytest.mark.parametrize("text, expected", [
    ("0.648", (0.6475, 0.6485)),
    ("< 0.001", (0.0, 0.001)),
    ("<0.001", (0.0, 0.001)),
    ("＜0.001", (0.0, 0.001)),
    ("P < 0.001", (0.0, 0.001)),
    ("≤0.05", (0.0, 0.05)),
    ("> 0.05", (0.05, 1.0)),
    (">0.999", (0.999, 1.0)),
    ("≥ 0.05", (0.05, 1.0)),
    ("0.000", (0.0, 0.0005)),
    ("P = 0.03", (0.025, 0.035)),
    ("0.724^a^", (0.7235, 0.7245)),
    ("1.000", (0.9995, 1.0)),
    ("3.22 × 10^–7", (3.215e-7, 3.225e-7)),
    ("3.22 × 10^–7^", (3.215e-7, 3.225e-7)),
    ("3.22×10⁻⁷", (3.215e-7, 3.225e-7)),
    ("0.04¹", (0.035, 0.045)),  # a superscript digit is a footnote mark
])
def test_p_intervals(text, expected):
    assert truth._p_interval(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("text, expected, negative", [
    ("0.221", (0.2205, 0.2215), False),
    ("−2.31", (2.305, 2.315), True),       # Unicode minus
    ("t = -0.92", (0.915, 0.925), True),
    ("χ2 = 0.946", (0.9455, 0.9465), False),
    ("0.00", (0.0, 0.005), False),
    ("12", (11.5, 12.5), False),
])
def test_statistic_intervals(text, expected, negative):
    interval, neg = truth._stat_interval(text)
    assert interval == pytest.approx(expected, abs=1e-12)
    assert neg is negative


@pytest.mark.parametrize("text", ["", "—", "-"])
def test_empty_cells_are_not_numbers(text):
    assert truth._p_interval(text) is None


# --------------------------------------------------------------------------------------
# Counts: closed forms, textbook values, R

def test_two_by_two_pearson_and_yates_closed_forms():
    # WJG 2024;30(45):4791 Table 1, Gender: male 25 / 23, female 15 / 17.
    a, b, c, d = 25, 23, 15, 17
    n = a + b + c + d
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    pearson = n * (a * d - b * c) ** 2 / margins
    yates = n * (abs(a * d - b * c) - n / 2) ** 2 / margins
    table = [[a, b], [c, d]]
    assert method(table, "pearson").lo == pytest.approx(pearson, rel=1e-12)
    assert method(table, "yates").lo == pytest.approx(yates, rel=1e-12)
    assert method(table, "z_prop").lo == pytest.approx(math.sqrt(pearson), rel=1e-12)
    # R: chisq.test(matrix(c(25,15,23,17),2), correct=FALSE)
    assert pearson == pytest.approx(0.2083333333)
    assert yates == pytest.approx(0.05208333333)   # R: chisq.test(matrix(c(25,15,23,17),2))
    # R: fisher.test(matrix(c(25,15,23,17),2))$p.value
    assert truth._fisher(np.array(table)).p_lo == pytest.approx(0.8197013723, rel=1e-8)


def test_lr_closed_form():
    table = np.array([[25, 23], [15, 17]])
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    g = 2 * sum(o * math.log(o / e) for o, e in zip(table.ravel(), expected.ravel()))
    assert method(table, "lr").lo == pytest.approx(g, rel=1e-12)


def test_agresti_party_identification():
    # Agresti (2007) An Introduction to Categorical Data Analysis, 2nd ed., Table 2.5 and
    # §2.4.3: gender × party identification, X² = 30.1, G² = 30.0, df = 2.
    table = [[762, 484], [327, 239], [468, 477]]  # levels × groups (females, males)
    assert method(table, "pearson").lo == pytest.approx(30.0701491, rel=1e-8)  # R: chisq.test
    assert method(table, "lr").lo == pytest.approx(30.01669261, rel=1e-8)  # R: 2*sum(O*log(O/E))
    assert method(table, "pearson").dist == ("chi2", ((2, 2),))


def test_agresti_alcohol_malformation_linear_trend():
    # Agresti (2007) Table 2.7, alcohol consumption × malformation; §2.5: X² = 12.1,
    # G² = 6.2 (df 4); with equally spaced scores M² = 1.83.
    table = [[17066, 48], [14464, 38], [788, 5], [126, 1], [37, 1]]
    assert method(table, "pearson").lo == pytest.approx(12.08205481, rel=1e-8)  # R: chisq.test
    assert method(table, "lr").lo == pytest.approx(6.201997907, rel=1e-8)
    # R: statistic(coin::lbl_test(ordered(level) ~ group))^2
    assert method(table, "lbl", ordered=True).lo == pytest.approx(1.827759638, rel=1e-8)


def test_fisher_tea_tasting():
    # Fisher (1935) The Design of Experiments; Agresti (2002) Table 3.8: two-sided P = 0.486.
    assert truth._fisher(np.array([[3, 1], [1, 3]])).p_lo == pytest.approx(0.4857142857, rel=1e-8)


@pytest.mark.parametrize("table, p", [
    # R: fisher.test(matrix(c(12,5,8,3,6,9,10,11),ncol=2))
    ([[12, 6], [5, 9], [8, 10], [3, 11]], 0.07943052582),
    # R: fisher.test(matrix(c(8,5,2,4,6,5,1,4,10),ncol=3))
    ([[8, 4, 1], [5, 6, 4], [2, 5, 10]], 0.02096971899),
    # R: fisher.test(matrix(c(3,6,5,2,7,4),nrow=2))
    ([[3, 6], [5, 2], [7, 4]], 0.3765979477),
])
def test_fisher_rxc_matches_r(table, p):
    lo, hi = truth._fisher_rxc(np.array(table))
    assert lo == hi == pytest.approx(p, rel=1e-8)


def test_rank_tests_on_ordered_counts_match_r():
    table = [[12, 6], [5, 9], [8, 10], [3, 11]]
    # R: x1 <- rep(1:4, c(12,5,8,3)); x2 <- rep(1:4, c(6,9,10,11))
    #    wilcox.test(x1, x2, exact=FALSE, correct=FALSE/TRUE): W = 340, P 0.02170109, 0.02210489
    m = truth.counts_methods(np.array(table), ordered=True)
    assert m["u_first"].lo == 340
    assert m["ranksum"].p_lo == pytest.approx(0.02170109243, rel=1e-8)
    assert m["ranksum_cc"].p_lo == pytest.approx(0.02210489309, rel=1e-8)
    # R: kruskal.test(list(x1, x2)): chi-squared = 5.2696
    assert m["kruskal"].lo == pytest.approx(5.269592, rel=1e-6)
    # R: kruskal.test over rep(1:3, c(8,5,2)), rep(1:3, c(4,6,5)), rep(1:3, c(1,4,10))
    h = method([[8, 4, 1], [5, 6, 4], [2, 5, 10]], "kruskal", ordered=True)
    assert h.lo == pytest.approx(11.171111, rel=1e-7)


# --------------------------------------------------------------------------------------
# Means: closed forms and R

def test_t_range_over_the_rounding_box_closed_form():
    # WJG 2024;30(45):4791 Table 1, Age: 41.87 ± 5.49 vs 42.15 ± 5.82, n = 40 each.
    m = truth.means_methods(truth.parse_means("41.87±5.49/40; 42.15±5.82/40"))
    d_min, d_max = 42.145 - 41.875, 42.155 - 41.865
    se_low = math.sqrt(5.485 ** 2 / 40 + 5.815 ** 2 / 40)  # equal n: pooled se = Welch se
    se_high = math.sqrt(5.495 ** 2 / 40 + 5.825 ** 2 / 40)
    for name in ("student", "welch"):
        assert m[name].lo == pytest.approx(d_min / se_high, rel=1e-12)
        assert m[name].hi == pytest.approx(d_max / se_low, rel=1e-12)
    assert m["student"].dist == ("t", ((78, 78),))


def test_t_range_straddling_zero_starts_at_zero():
    m = truth.means_methods(truth.parse_means("10.0±2.0/30; 10.0±2.0/30"))
    assert m["student"].lo == 0.0
    assert m["student"].hi == pytest.approx(0.1 / math.sqrt(1.95 ** 2 / 15), rel=1e-12)


def test_student_and_welch_match_closed_forms_and_r():
    # Printed with many decimals so the box is a point.
    m = truth.means_methods(truth.parse_means("12.3000000±2.1000000/15; 10.1000000(3.4000000)/25"))
    n1, n2, s1, s2 = 15, 25, 2.1, 3.4
    sp2 = ((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2)
    student = 2.2 / math.sqrt(sp2 * (1 / n1 + 1 / n2))
    a, b = s1 ** 2 / n1, s2 ** 2 / n2
    welch, welch_df = 2.2 / math.sqrt(a + b), (a + b) ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1))
    # R: x <- c(scale(1:15))*2.1+12.3; y <- c(scale(1:25))*3.4+10.1
    assert student == pytest.approx(2.25468045136, rel=1e-10)  # t.test(x, y, var.equal=TRUE)
    assert welch == pytest.approx(2.52957127400, rel=1e-10)    # t.test(x, y)
    assert welch_df == pytest.approx(37.93307037194, rel=1e-10)
    assert m["student"].lo == pytest.approx(student, rel=1e-6)
    assert m["welch"].lo == pytest.approx(welch, rel=1e-6)
    assert m["student"].p_lo == pytest.approx(0.02999776466, rel=1e-5)
    assert m["welch"].p_lo == pytest.approx(0.01569647898, rel=1e-5)


def test_anova_from_summaries_matches_r_and_contains_box():
    # R: a <- c(scale(1:20))*2.1+10.2; b <- c(scale(1:22))*2.3+12.5; cc <- c(scale(1:18))*1.9+11.4
    #    oneway.test(y ~ g, var.equal=TRUE): F = 6.1637112, df 2, 57, P = 0.003772588
    point = truth.means_methods(truth.parse_means(
        "10.2000000±2.1000000/20; 12.5000000±2.3000000/22; 11.4000000±1.9000000/18"))["anova"]
    assert point.lo == pytest.approx(6.1637112, rel=1e-6)
    assert point.p_lo == pytest.approx(0.003772588, rel=1e-5)
    box = truth.means_methods(truth.parse_means("10.2±2.1/20; 12.5±2.3/22; 11.4±1.9/18"))["anova"]
    assert box.lo < 6.1637112 < box.hi
    # The between-groups SS is convex: its box minimum is inside, not at a corner; a grid
    # over the box never goes below it.
    n = np.array([20, 22, 18.0])
    grid = np.stack(np.meshgrid(*[np.linspace(m - 0.05, m + 0.05, 11) for m in (10.2, 12.5, 11.4)]),
                    -1).reshape(-1, 3)
    ssb = ((grid - (grid @ n / n.sum())[:, None]) ** 2 @ n)
    ssw_high = ((n - 1) * np.array([2.15, 2.35, 1.95]) ** 2).sum()
    assert box.lo <= ssb.min() / 2 / (ssw_high / 57) + 1e-12


# --------------------------------------------------------------------------------------
# Rows: verdicts

WJG_GENDER = dict(stat_name="chi2", statistic="0.208", p="0.648", kind="counts",
                  inputs="25,15/40; 23,17/40", percents="62.50,37.50; 57.50,42.50", ordered="no")
WJG_AGE = dict(stat_name="t", statistic="0.221", p="0.825", kind="means",
               inputs="41.87±5.49/40; 42.15±5.82/40")


def test_published_rows_are_consistent():
    # WJG 2024;30(45):4791 Table 1 (https://wjgnet.com/1007-9327/tables/v30/i45/4791.htm)
    gender = row(**WJG_GENDER)
    assert gender["verdict"] == "consistent", gender["reason"]
    assert gender["methods"].split(";")[0] == "pearson"
    assert (gender["p_follows_statistic"], gender["p_follows_inputs"],
            gender["percents_fit"]) == ("yes", "yes", "yes")
    age = row(**WJG_AGE)
    assert age["verdict"] == "consistent", age["reason"]
    assert age["methods"] == "student;welch"
    assert age["stat_range"] == "0.2132–0.2294"


def test_wrong_statistic_is_inconsistent():
    bad = row(**{**WJG_AGE, "statistic": "2.210"})
    assert bad["verdict"] == "inconsistent"
    assert bad["methods"] == ""
    assert "statistic 2.210 not reproduced" in bad["reason"]
    assert bad["p_follows_statistic"] == "no"


def test_percentage_that_does_not_fit_its_count():
    bad = row(**{**WJG_GENDER, "percents": "62.50,37.50; 75.50,42.50"})
    assert bad["percents_fit"] == "no"
    assert bad["verdict"] == "inconsistent"
    assert "group 2 level 1" in bad["reason"] and "23/40" in bad["reason"]


def test_percentages_of_the_whole_table_are_named():
    # Percentages of all 127 cases rather than of each group's n: still a misfit, with a hint.
    bad = row(stat_name="chi2", statistic="0.425", p="0.514", kind="counts",
              inputs="24,12; 55,36", percents="18.9,9.4; 43.3,28.3")
    assert bad["percents_fit"] == "no" and bad["methods"] == "pearson"
    assert "all fit count/127" in bad["reason"]


def test_u_on_ordered_counts():
    # W = 340 as R's wilcox.test(rep(1:4, c(12,5,8,3)), rep(1:4, c(6,9,10,11)), exact=FALSE)
    checked = row(stat_name="u", statistic="340.0", p="0.022", kind="counts",
                  inputs="12,5,8,3; 6,9,10,11", ordered="yes")
    assert checked["verdict"] == "consistent", checked["reason"]
    assert checked["methods"] == "u_first;u_min"
    assert checked["p_follows_statistic"] == "" and checked["p_follows_inputs"] == "yes"


def test_negative_statistic_compared_in_absolute_value():
    checked = row(**{**WJG_AGE, "statistic": "−0.221"})
    assert checked["verdict"] == "consistent"
    assert "printed negative" in checked["reason"]


def test_p_only_row_follows_the_inputs():
    # Tea tasting as a yes-count per group: P printed alone, Fisher's 0.486 reproduces it.
    checked = row(stat_name="", statistic="", p="0.486", kind="counts", inputs="3/4; 1/4")
    assert checked["verdict"] == "consistent"
    assert "fisher" in checked["methods"].split(";")
    assert row(stat_name="", statistic="", p="0.03", kind="counts",
               inputs="3/4; 1/4")["verdict"] == "inconsistent"


def test_yes_count_complement_and_lbl_candidate():
    checked = row(stat_name="chi2", statistic="0.208", p="0.648", kind="counts",
                  inputs="25/40; 23/40", percents="62.50; 57.50")
    assert checked["verdict"] == "consistent"


def test_t_over_three_groups_is_not_recomputable():
    checked = row(stat_name="t", statistic="2.1", p="0.04", kind="means",
                  inputs="1.0±0.5/10; 1.2±0.5/10; 1.4±0.5/10")
    assert checked["verdict"] == "not recomputable"
    assert "no method computes t" in checked["reason"]


def test_other_checks_p_against_z_only():
    # z = 1.96 → P = 0.050 (normal two-sided); 0.20 cannot follow.
    fits = row(stat_name="z", statistic="1.96", p="0.050", kind="other")
    assert fits["verdict"] == "not recomputable" and fits["p_follows_statistic"] == "yes"
    bad = row(stat_name="z", statistic="1.96", p="0.20", kind="other")
    assert bad["verdict"] == "inconsistent" and bad["p_follows_statistic"] == "no"
    # χ² without a printed df: the P cannot be judged.
    no_df = row(stat_name="chi2", statistic="9.1", p="0.20", kind="other")
    assert no_df["p_follows_statistic"] == ""
    # With df printed: χ²(2) = 9.1 → P = 0.0106.
    assert row(stat_name="chi2", statistic="9.1", p="0.20", kind="other",
               df="2")["verdict"] == "inconsistent"


def test_unreadable_cell_names_its_column():
    checked = row(**{**WJG_AGE, "inputs": "41.87±5.49; 42.15±5.82/40"})
    assert checked["verdict"] == "unreadable"
    assert "'inputs'" in checked["reason"] and "no /n" in checked["reason"]


# --------------------------------------------------------------------------------------
# Articles, sets, the script

@pytest.mark.parametrize("url, expected", [
    ("https://wjgnet.com/1007-9327/tables/v30/i45/4791.htm", "development"),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC8123456/", "held-out"),
])
def test_set_rule(url, expected, tmp_path):
    by_hand = int.from_bytes(hashlib.sha256(url.encode("utf-8")).digest(), "big") % 3
    assert (by_hand == 0) == (expected == "held-out")
    paper = f"---\ntitle: \"x\"\nsource: {url}\nyear: 2024\n---\n\nTable 1\n"
    (tmp_path / "paper.md").write_text(paper, encoding="utf-8")
    assert truth.article_set(tmp_path) == expected


def _write_article(folder: Path) -> None:
    folder.mkdir()
    (folder / "paper.md").write_text(
        "---\nsource: https://wjgnet.com/1007-9327/tables/v30/i45/4791.htm\n---\n",
        encoding="utf-8")
    header = ",".join(truth.COLUMNS)
    (folder / "truth.csv").write_text("\n".join([
        header,
        '1,Gender,chi2,0.208,0.648,counts,"25,15/40; 23,17/40","62.50,37.50; 57.50,42.50",no,,',
        "1,Age (years),t,0.221,0.825,means,41.87±5.49/40; 42.15±5.82/40,,,,",
        "1,Weight,t,1.5,0.14,means,70.1±abc/40; 71±9/40,,,,",
        "1,BMI,t,0.5,0.6,means,1±1/40,2±1/40,,,,",
    ]) + "\n", encoding="utf-8")


def test_script_reports_unreadable_rows_and_is_deterministic(tmp_path, capsys):
    folder = tmp_path / "wjg-2024-4791"
    _write_article(folder)
    assert truth.main([str(folder)]) == 0
    out = capsys.readouterr().out
    assert "truth.csv: row 3 (line 4), column 'inputs'" in out
    assert "truth.csv: row 4 (line 5)" in out and "fields" in out
    assert "rows    4  consistent    2" in out and "unreadable    2" in out
    assert "[development]" in out
    first = (folder / "truth_checked.csv").read_bytes()
    truth.main([str(folder)])
    assert (folder / "truth_checked.csv").read_bytes() == first
    header = first.decode("utf-8").splitlines()[0].split(",")
    assert header == truth.OUT_COLUMNS


def test_truth_never_imports_the_project():
    tree = ast.parse((ROOT / "benchmarks/corpus/truth.py").read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and n.module}
    assert "analysis" not in imported
    assert imported <= {"__future__", "csv", "hashlib", "itertools", "math", "re", "sys",
                        "unicodedata", "dataclasses", "pathlib", "numpy", "pandas", "scipy"}
