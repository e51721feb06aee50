"""The conventions real reports use (issue 17), each on a small declared paper written here:
signed t, P-only Fisher rows, excluded categories, an item's own n, HR with CI and P,
median (IQR) rows, repeated tests, claims over rows, totals beside their arms, Chinese
typesetting. Every reference value is R's, with the call beside it."""

from __future__ import annotations

import csv
import textwrap

import pytest

from analysis.audit import run_audit
from analysis.dataset import clear_cache

HEADER = ("source", "item", "level", "arm", "quantity", "value", "row_label", "column_label")
QUANTITIES = ["n", "count", "mean", "sd", "statistic", "z", "p", "hr", "lower", "upper", "median", "q1", "q3",
              "chi2", "percent", "days"]


def paper(tmp_path, rows, analyses, *, extra=""):
    """A one-file English paper (arms ``a`` and ``b``, group sizes in ``text/group``)."""
    (tmp_path / "en").mkdir(parents=True)
    with (tmp_path / "en" / "text.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for r in rows:
            w.writerow([*r, "label", ""])
    (tmp_path / "analyses.toml").write_text(textwrap.dedent(f"""\
        title = "test paper"
        languages = ["en"]
        arms = ["a", "b"]
        reference_n = {{ table = "text", source = "text", item = "group" }}
        {extra}
        [tables.text]
        sources = ["text", "abstract"]
        quantities = {QUANTITIES!r}
        group_size = {{ source = "text", item = "group" }}
        """).replace("'", '"') + textwrap.dedent(analyses), encoding="utf-8")
    clear_cache()
    return {c.id: c for c in run_audit("en", data_dir=tmp_path).checks}


GROUPS = [("text", "group", "", "a", "n", "158"), ("text", "group", "", "b", "n", "154")]
# R: t.test on pbc age by trt (data/examples/pbc): 51.42 ± 11.01 (n = 158), 48.58 ± 9.96 (154), t = 2.385
AGE = [("text", "age", "", "a", "mean", "51.42"), ("text", "age", "", "a", "sd", "11.01"),
       ("text", "age", "", "b", "mean", "48.58"), ("text", "age", "", "b", "sd", "9.96"),
       ("text", "age", "", "", "p", "0.018")]
T_ANALYSIS = """
[[analysis]]
family = "two_sample_t"
table = "text"
source = "text"
item = "age"
"""


@pytest.mark.parametrize("printed", ["-2.385", "−2.385", "–2.385"])
def test_a_negative_t_is_compared_by_magnitude_and_its_sign_checked(tmp_path, printed):
    checks = paper(tmp_path, GROUPS + AGE + [("text", "age", "", "", "statistic", printed)],
                   T_ANALYSIS, extra='sign = "first_minus_second"')
    assert checks["text.age.t"].verdict == "reproduced"
    # first minus second is 51.42 - 48.58 > 0: a negative t has the wrong sign
    assert checks["text.age.t_sign"].verdict == "discrepant"


def test_the_declared_convention_decides_the_sign(tmp_path):
    checks = paper(tmp_path, GROUPS + AGE + [("text", "age", "", "", "statistic", "-2.385")],
                   T_ANALYSIS, extra='sign = "second_minus_first"')
    assert checks["text.age.t_sign"].verdict == "reproduced"


def test_an_undeclared_convention_leaves_the_sign_not_checkable(tmp_path):
    checks = paper(tmp_path, GROUPS + AGE + [("text", "age", "", "", "statistic", "-2.385")], T_ANALYSIS)
    assert checks["text.age.t"].verdict == "reproduced"
    assert checks["text.age.t_sign"].verdict == "not_checkable"
    assert "sign" in checks["text.age.t_sign"].notes[0]


FISHER = """
[[analysis]]
family = "crosstab"
table = "text"
source = "text"
item = "rash"
"""


@pytest.mark.parametrize("stat", [None, "—", "-"])
def test_a_fisher_p_printed_without_a_statistic_is_judged(tmp_path, stat):
    # R: fisher.test(matrix(c(12, 5, 8, 15), 2))$p.value = 0.05355099259
    groups = [("text", "group", "", "a", "n", "20"), ("text", "group", "", "b", "n", "20")]
    rows = groups + [("text", "rash", "yes", "a", "count", "12"), ("text", "rash", "no", "a", "count", "8"),
                     ("text", "rash", "yes", "b", "count", "5"), ("text", "rash", "no", "b", "count", "15")]
    stat_rows = [] if stat is None else [("text", "rash", "", "", "statistic", stat)]
    good = paper(tmp_path / "good", rows + stat_rows + [("text", "rash", "", "", "p", "0.054")], FISHER)
    assert good["text.rash.p"].verdict == "reproduced"
    assert good["text.rash.p"].method == "fisher_exact"
    assert "text.rash.chi2" not in good
    bad = paper(tmp_path / "bad", rows + stat_rows + [("text", "rash", "", "", "p", "0.540")], FISHER)
    assert bad["text.rash.p"].verdict == "discrepant"


def test_a_category_excluded_from_the_test(tmp_path):
    # R: chisq.test(matrix(c(10, 15, 20, 12), 2), correct = FALSE): X-squared = 2.850, P = 0.09137
    # (with the 3 and 9 'unknown' patients: 5.881, P = 0.05285)
    groups = [("text", "group", "", "a", "n", "33"), ("text", "group", "", "b", "n", "36")]
    rows = groups + [("text", "smoke", lv, arm, "count", v) for lv, arm, v in (
        ("yes", "a", "10"), ("no", "a", "20"), ("unknown", "a", "3"),
        ("yes", "b", "15"), ("no", "b", "12"), ("unknown", "b", "9"))]
    rows += [("text", "smoke", "", "", "statistic", "2.850"), ("text", "smoke", "", "", "p", "0.091")]
    analysis = FISHER.replace('"rash"', '"smoke"')
    assert paper(tmp_path / "plain", rows, analysis)["text.smoke.chi2"].verdict == "discrepant"
    checks = paper(tmp_path / "excl", rows, analysis + 'exclude = ["unknown"]\n')
    assert checks["text.smoke.chi2"].verdict == "reproduced"
    assert checks["text.smoke.p"].verdict == "reproduced"


def test_an_item_with_its_own_n(tmp_path):
    # A footnote: "recorded for 40 and 45 patients". R: chisq.test(matrix(c(30, 25, 10, 20), 2),
    # correct = FALSE): X-squared = 3.506, P = 0.06115
    groups = [("text", "group", "", "a", "n", "50"), ("text", "group", "", "b", "n", "50")]
    rows = groups + [("text", "ecg", "", "a", "n", "40"), ("text", "ecg", "", "b", "n", "45"),
                     ("text", "ecg", "yes", "a", "count", "30"), ("text", "ecg", "yes", "b", "count", "25"),
                     ("text", "ecg", "", "", "statistic", "3.506"), ("text", "ecg", "", "", "p", "0.061")]
    checks = paper(tmp_path, rows, FISHER.replace('"rash"', '"ecg"'))
    assert checks["text.ecg.chi2"].verdict == "reproduced"
    assert "text/ecg//a/n" in checks["text.ecg.chi2"].inputs


RATIO = """
[[analysis]]
family = "ratio_ci"
table = "text"
source = "text"
item = "death"
"""


@pytest.mark.parametrize("hr,lower,upper,p,ci_ok,p_ok", [
    # R: summary(coxph(Surv(time, status) ~ sex, data = lung)): HR 0.5880, 95% CI 0.4237-0.8160,
    # Wald P = 0.001491
    ("0.588", "0.424", "0.816", "0.001", True, True),
    ("0.59", "0.42", "0.82", "0.002", True, True),
    ("0.59", "0.42", "0.82", "0.015", True, False),   # P contradicts the CI's SE
    ("0.688", "0.424", "0.816", "0.001", False, False),  # estimate outside its own interval's centre
    ("0.59", "0.42", "0.82", "0.12", True, False),    # and the decision conflicts
])
def test_a_ratio_with_its_interval_and_p(tmp_path, hr, lower, upper, p, ci_ok, p_ok):
    rows = GROUPS + [("text", "death", "", "", q, v) for q, v in (("hr", hr), ("lower", lower), ("upper", upper),
                                                                  ("p", p))]
    checks = paper(tmp_path, rows, RATIO)
    assert (checks["text.death.hr_ci"].verdict == "reproduced") is ci_ok
    assert (checks["text.death.p"].verdict == "reproduced") is p_ok
    if p == "0.12":
        assert any("disagree" in n for n in checks["text.death.p"].notes)


MEDIAN = """
[[analysis]]
family = "median_iqr"
table = "text"
source = "text"
item = "crp"
"""


@pytest.mark.parametrize("z,p,ok", [
    # R: w <- wilcox.test(c(1,3,5,7,9,11,2), c(4,6,8,10,12,14,16,18), exact = FALSE, correct = FALSE)
    # w$p.value = 0.03724254; qnorm(w$p.value / 2, lower.tail = FALSE) = 2.083095
    ("-2.083", "0.037", True), ("2.08", "0.04", True), ("2.083", "0.37", False),
])
def test_median_iqr_rows(tmp_path, z, p, ok):
    rows = GROUPS + [("text", "crp", "", arm, q, v) for arm, vals in (("a", ("5", "3", "9")), ("b", ("10", "6", "16")))
                     for q, v in zip(("median", "q1", "q3"), vals)]
    rows += [("text", "crp", "", "", "z", z), ("text", "crp", "", "", "p", p)]
    checks = paper(tmp_path, rows, MEDIAN)
    assert checks["text.crp.median"].verdict == "not_checkable"
    assert (checks["text.crp.p"].verdict == "reproduced") is ok


def _abstract_repeats(item: str) -> str:
    return f"""
[[analysis]]
family = "repeat"
table = "text"
source = "abstract"
item = "{item}"
of = {{ source = "text", item = "{item}" }}
"""


def test_a_test_repeated_in_the_abstract(tmp_path):
    rows = GROUPS + AGE + [("text", "age", "", "", "statistic", "2.385"),
                           ("abstract", "age", "", "", "p", "0.018"), ("abstract", "age", "", "", "statistic", "2.358")]
    checks = paper(tmp_path, rows, T_ANALYSIS + _abstract_repeats("age"))
    assert checks["abstract.age.p.repeat"].verdict == "reproduced"
    assert checks["abstract.age.statistic.repeat"].verdict == "discrepant"  # 2.358 is not the t of the inputs


@pytest.mark.parametrize("abstract_count, verdict", [("27", "reproduced"), ("72", "discrepant")])
def test_a_count_repeated_in_the_abstract_must_be_printed_the_same(tmp_path, abstract_count, verdict):
    # R: chisq.test(matrix(c(27, 158 - 27, 45, 154 - 45), 2), correct = FALSE): X-squared = 6.466447,
    # p-value = 0.01099
    counts = [("text", "fail", "yes", "a", "count", "27"), ("text", "fail", "yes", "b", "count", "45"),
              ("text", "fail", "", "", "chi2", "6.47"), ("text", "fail", "", "", "p", "0.011")]
    rows = GROUPS + counts + [("abstract", "fail", "yes", "a", "count", abstract_count),
                              ("abstract", "fail", "yes", "b", "count", "45"),
                              ("abstract", "fail", "", "", "chi2", "6.47"), ("abstract", "fail", "", "", "p", "0.011")]
    checks = paper(tmp_path, rows, """
[[analysis]]
family = "crosstab"
table = "text"
source = "text"
item = "fail"
statistic = "chi2"
""" + _abstract_repeats("fail"))
    assert checks["text.fail.chi2"].verdict == "reproduced"
    assert checks["abstract.fail.chi2.repeat"].verdict == "reproduced"
    assert checks["abstract.fail.yes.b.count.repeat"].verdict == "reproduced"
    assert checks["abstract.fail.yes.a.count.repeat"].verdict == verdict


def test_a_claim_is_judged_against_the_printed_p_values_too(tmp_path):
    rows = GROUPS + AGE + [("text", "age", "", "", "statistic", "2.385")]
    claim = T_ANALYSIS + """
[[analysis]]
family = "claim"
table = "text"
source = "text"
claim = "P＞0.01"
rows = [{ source = "text", item = "age" }]
"""
    assert paper(tmp_path / "ok", rows, claim)["text.rows.claim"].verdict == "reproduced"
    checks = paper(tmp_path / "bad", rows, claim.replace("P＞0.01", "P>0.05"))
    assert checks["text.rows.claim"].verdict == "discrepant"
    assert any("0.018" in n for n in checks["text.rows.claim"].notes)


def test_a_total_against_the_arms_printed_beside_it(tmp_path):
    rows = GROUPS + [("abstract", "group", "", "a", "n", "158"), ("abstract", "group", "", "b", "n", "154"),
                     ("abstract", "group", "", "", "n", "312")]
    analysis = """
[[analysis]]
family = "group_sizes"
table = "text"
items = ["group"]
"""
    assert paper(tmp_path / "ok", rows, analysis)["abstract.group.total.n"].verdict == "reproduced"
    rows[-2] = ("abstract", "group", "", "b", "n", "145")  # the abstract prints another n: checked, not refused
    checks = paper(tmp_path / "bad", rows, analysis)
    assert checks["abstract.group.b.n"].verdict == "discrepant"
    assert checks["abstract.group.total.n"].verdict == "discrepant"


RULE = FISHER + """
[[analysis]]
family = "test_rule"
table = "text"
source = "text"
use = "fisher"
when = "min_expected < 5"
"""
# R: m <- matrix(c(1, 6, 19, 14), 2); fisher.test(m)$p.value = 0.09147609
# chisq.test(m, correct = FALSE): X-squared = 4.329, P = 0.03747 (smallest expected count 3.5)
SMALL = [("text", "group", "", "a", "n", "20"), ("text", "group", "", "b", "n", "20"),
         ("text", "rash", "yes", "a", "count", "1"), ("text", "rash", "no", "a", "count", "19"),
         ("text", "rash", "yes", "b", "count", "6"), ("text", "rash", "no", "b", "count", "14")]


def test_a_row_that_follows_the_declared_test_rule(tmp_path):
    checks = paper(tmp_path, SMALL + [("text", "rash", "", "", "statistic", "—"),
                                      ("text", "rash", "", "", "p", "0.091")], RULE)
    assert checks["text.rash.p"].verdict == "reproduced"
    assert checks["text.rash.p"].method == "fisher_exact"


def test_a_row_that_breaks_the_declared_test_rule(tmp_path):
    rows = SMALL + [("text", "rash", "", "", "statistic", "4.329"), ("text", "rash", "", "", "p", "0.037")]
    assert paper(tmp_path / "free", rows, FISHER)["text.rash.p"].verdict == "reproduced"  # Pearson fits
    checks = paper(tmp_path / "rule", rows, RULE)
    assert checks["text.rash.p"].verdict == "discrepant"
    assert "did not follow its own rule" in checks["text.rash.p"].notes[-1]
    assert "smallest expected count 3.50" in checks["text.rash.p"].notes[-1]
    # a rule on observed counts is told by the smallest count (1), not an expected one
    on_counts = paper(tmp_path / "count", rows, RULE.replace("min_expected < 5", "min_count < 5"))
    assert "smallest count 1)" in on_counts["text.rash.p"].notes[-1]


def test_a_value_no_test_gives_is_not_said_to_fit_one(tmp_path):
    # P = 0.200 fits neither Fisher's 0.0915 nor any χ² (0.0375 Pearson; R as above)
    rows = SMALL + [("text", "rash", "", "", "statistic", "—"), ("text", "rash", "", "", "p", "0.200")]
    note = paper(tmp_path, rows, RULE)["text.rash.p"].notes[-1]
    assert "nor does any other test" in note and "fits" not in note


SAMPLE = """
[[analysis]]
family = "sample_size"
table = "text"
source = "abstract"
design = "{design}"

[[analysis]]
family = "dropout_inflation"
table = "text"
source = "abstract"
"""


def _sample_rows(**items):
    quantity = {"alpha": "percent", "power": "percent", "p1": "percent", "p2": "percent", "delta": "mean",
                "sd": "sd", "n_per_group": "n", "n_total": "n", "planned": "n", "dropout": "percent"}
    return GROUPS + [("abstract", k, "", "", quantity[k], v) for k, v in items.items()]


def test_a_sample_size_paragraph_for_two_means(tmp_path):
    # "to detect a difference of 5 (SD 10) with 90% power at a two-sided 5% level, 86 patients
    # per group (t test; R: power.t.test(delta = 5, sd = 10, power = 0.9)$n = 85.03); allowing
    # for 10% dropout, 192 were to be enrolled (172/0.9 = 191.1, rounded up)"
    rows = _sample_rows(delta="5", sd="10", power="90%", alpha="5%", n_per_group="86", dropout="10%",
                        planned="192")
    checks = paper(tmp_path / "ok", rows, SAMPLE.format(design="two_means"))
    assert checks["abstract.n_per_group"].verdict == "reproduced"
    assert "printed value: two-sided, t distribution." in checks["abstract.n_per_group"].notes[0]
    assert checks["abstract.planned"].verdict == "reproduced"
    rows[-1] = ("abstract", "planned", "", "", "n", "180")
    assert paper(tmp_path / "bad", rows, SAMPLE.format(design="two_means"))["abstract.planned"].verdict == \
        "discrepant"


def test_a_sample_size_paragraph_for_two_proportions(tmp_path):
    # R: power.prop.test(p1 = 0.3, p2 = 0.45, power = 0.9)$n = 216.8 -> 217 per group, 434 in all
    rows = _sample_rows(p1="30%", p2="45%", power="90%", n_per_group="217", n_total="434", dropout="10%",
                        planned="483")
    checks = paper(tmp_path / "ok", rows, SAMPLE.format(design="two_proportions"))
    assert checks["abstract.n_per_group"].verdict == "reproduced"
    assert checks["abstract.n_total"].verdict == "reproduced"
    assert checks["abstract.planned"].verdict == "reproduced"  # 434/0.9 = 482.2 -> 483
    rows[-4] = ("abstract", "n_per_group", "", "", "n", "197")
    assert paper(tmp_path / "bad", rows, SAMPLE.format(design="two_proportions"))["abstract.n_per_group"].verdict \
        == "discrepant"
