"""The reanalysis told for readers (analysis/present/findings.py, readers.py, paper.py): the numbers in the plain sentences.

The F bounds and ratios are checked against data: data sets with exactly the printed
means and SDs (and many within-patient correlation structures) are analysed by a
textbook split-plot ANOVA written here from raw observations, itself checked against R.
"""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from analysis.audit import run_audit
from analysis.audit.context import load_context
from analysis.audit.model import AuditReport, Check
from analysis.present.findings import check_groups, key_findings
from analysis.present.readers import reader_findings
from analysis.stats.rmanova import f_range, split_plot
from analysis.i18n import t
from analysis.present import MARKS
from harness import PROJECT_ROOT

# ---------------------------------------------------------------------------------------
# An independent split-plot ANOVA from raw observations


def split_plot_f(arms: list[np.ndarray]) -> dict[str, float]:
    """F of group, time and interaction from raw data (one (n_g, T) array per arm).

    Sequential sums of squares, as R's ``aov(y ~ group * time + Error(id/time))``.
    """
    y = np.vstack(arms)
    n = np.array([a.shape[0] for a in arms])
    big_n, t_ = y.shape
    grand = y.mean()
    arm_means = np.array([a.mean() for a in arms])
    ss_group = t_ * float((n * (arm_means - grand) ** 2).sum())
    ss_subjects = t_ * float(((y.mean(axis=1) - grand) ** 2).sum()) - ss_group
    time_means = y.mean(axis=0)
    ss_time = big_n * float(((time_means - grand) ** 2).sum())
    cell = np.array([a.mean(axis=0) for a in arms])
    ss_int = float((n[:, None] * (cell - arm_means[:, None] - time_means + grand) ** 2).sum())
    ss_total = float(((y - grand) ** 2).sum())
    ss_within_error = ss_total - ss_group - ss_subjects - ss_time - ss_int
    g = len(arms)
    df_sub, df_w = big_n - g, (big_n - g) * (t_ - 1)
    return {"group": ss_group / (g - 1) / (ss_subjects / df_sub),
            "time": ss_time / (t_ - 1) / (ss_within_error / df_w),
            "interaction": ss_int / ((g - 1) * (t_ - 1)) / (ss_within_error / df_w)}


def exact_sample(rng, mean, sd, corr, size) -> np.ndarray:
    """``size`` rows whose sample means, SDs and correlations are exactly the given ones."""
    z = rng.standard_normal((size, len(mean)))
    z -= z.mean(axis=0)
    z = z @ np.linalg.inv(np.linalg.cholesky(np.cov(z, rowvar=False))).T
    z = z @ np.linalg.cholesky(corr).T
    return np.asarray(mean) + z * np.asarray(sd)


def random_correlation(rng, t_: int) -> np.ndarray:
    """A random correlation matrix; rows of random factors normalised (any PSD matrix)."""
    low = rng.standard_normal((t_, t_)) * rng.uniform(0.1, 3.0, size=(t_, 1))
    low /= np.linalg.norm(low, axis=1, keepdims=True)
    corr = low @ low.T
    return (corr + 1e-9 * np.eye(t_)) / (1 + 1e-9)  # strictly positive definite


@pytest.fixture(scope="module")
def ctx():
    return load_context("en")


def printed_cells(ctx, table, item):
    """A marker's printed means and SDs (values), group sizes, and its split-plot quantities
    as the audit computes them."""
    times = list(dict.fromkeys(ctx.rows(table, item=item, quantity="mean")["level"]))
    means, sds = ([[ctx.value(table, item=item, level=tm, arm=a, quantity=q) for tm in times] for a in ctx.arms]
                  for q in ("mean", "sd"))
    n = [ctx.n(table, a) for a in ctx.arms]
    return ([[v.value for v in row] for row in means], [[v.value for v in row] for row in sds], n,
            split_plot(means, sds, n, ss_types=("III", "I")))


def test_raw_split_plot_matches_r(ctx):
    """AFU's printed means and SDs, compound symmetry r = 0.3, seed 11.

    R 4.x: d <- read.csv(...); summary(aov(y ~ group * time + Error(id/time), data = d))
    gives F = 27.77899 (group), 131.61079 (time), 5.91788 (group:time).
    """
    means, sds, n, _ = printed_cells(ctx, "table3", "afu")
    rng = np.random.default_rng(11)
    corr = np.full((4, 4), 0.3) + 0.7 * np.eye(4)
    arms = [exact_sample(rng, m, s, corr, k) for m, s, k in zip(means, sds, n)]
    f = split_plot_f(arms)
    assert f["group"] == pytest.approx(27.77899, abs=1e-5)
    assert f["time"] == pytest.approx(131.61079, abs=1e-5)
    assert f["interaction"] == pytest.approx(5.91788, abs=1e-5)


@pytest.mark.parametrize("table, item", [("table3", "afu"), ("table4", "apt")])
def test_f_range_holds_for_data_with_the_printed_means_and_sds(ctx, table, item):
    means, sds, n, sp = printed_cells(ctx, table, item)
    bounds = {e: f_range(sp, e) for e in ("group", "time", "interaction")}
    rng = np.random.default_rng(5)
    seen = {e: [] for e in bounds}
    for _ in range(300):
        arms = [exact_sample(rng, m, s, random_correlation(rng, 4), k)
                for m, s, k in zip(means, sds, n)]
        for effect, value in split_plot_f(arms).items():
            seen[effect].append(value)
    for effect, (lo, hi) in bounds.items():
        assert min(seen[effect]) >= lo * (1 - 1e-9), effect
        assert max(seen[effect]) <= hi * (1 + 1e-9), effect


def test_printed_afu_time_f_is_below_what_the_printed_moments_allow(ctx):
    _, _, _, sp = printed_cells(ctx, "table3", "afu")
    lo, _ = f_range(sp, "time")
    printed = ctx.value("table3", item="afu", level="time", quantity="F")
    assert printed.text == "48.408" and printed.interval[1] < lo
    assert lo == pytest.approx(69.9, abs=0.05)  # the number the handout prints


@pytest.mark.parametrize("table, item, printed_ratio", [("table3", "afu", 48.408 / 2.833),
                                                        ("table4", "apt", 47.530 / 3.300)])
def test_time_interaction_ratio_is_fixed_by_the_means(ctx, table, item, printed_ratio):
    means, sds, n, _ = printed_cells(ctx, table, item)
    check = next(c for c in run_audit("en").checks if c.id == f"{table}.{item}.anova.joint")
    lo, hi = check.recomputed
    rng = np.random.default_rng(2)
    ratios = set()
    for _ in range(20):
        arms = [exact_sample(rng, m, s, random_correlation(rng, 4), k)
                for m, s, k in zip(means, sds, n)]
        f = split_plot_f(arms)
        ratios.add(round(f["time"] / f["interaction"], 9))
    assert len(ratios) == 1  # whatever the correlations
    (ratio,) = ratios
    assert lo <= ratio <= hi
    assert not lo <= printed_ratio <= hi


# ---------------------------------------------------------------------------------------
# The sentences


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_discrepant_check_is_told_with_its_numbers(ctx, lang):
    report = run_audit(lang)
    found = reader_findings(report)
    discrepant = [c for c in report.checks if c.verdict == "discrepant"]
    assert [f.check for f in found] == [c.id for c in discrepant]
    for f, check in zip(found, discrepant):
        assert f.source == check.source and f.detail == check.notes
        for number in check.reported.split("/") if check.recomputed_as == "r_implied" else \
                check.reported.split("/")[1:]:
            assert number in f.sentence and number in f.printed
        if check.recomputed_as == "r_implied":
            lo, hi = f_range(printed_cells(ctx, check.origin, check.item)[3], "time")
            assert f"{lo:.1f}" in f.sentence and f"{lo:.1f}" in f.allowed
        if check.recomputed_as == "f_ratio":
            lo, hi = check.recomputed
            assert f"{lo:.2f}" in f.sentence and f"{hi:.2f}" in f.sentence
        for jargon in ("within-subject correlation", check.id, "implied"):
            assert jargon not in f.sentence


def test_apt_multivariate_escape_is_told_with_its_p():
    (apt,) = [f for f in reader_findings(run_audit("en")) if f.check == "table4.apt.anova.joint"]
    # R: pf(3.300, 3, 103, lower.tail = FALSE) = 0.02335 (printed F; df (3, 107 - 2 - 3 + 1))
    assert "0.023" in apt.sentence and "0.039" in apt.sentence


def test_another_kind_of_discrepancy_is_told_with_the_audit_numbers():
    # A t check is told in the t family's sentence, with the row's printed label (no key).
    check = Check(id="table1.bmi.t", source="Table 1", item="bmi", quantity="t", reported="2.50",
                  recomputed=(1.392, 1.418), method="student_t", verdict="discrepant",
                  notes=("a note",), covers=("table1/bmi///statistic",))
    (f,) = reader_findings(AuditReport(lang="en", checks=(check,)))
    assert f.sentence == ("Table 1 prints t = 2.50 for “BMI (kg/m²)”; the means, SDs and group sizes "
                          "printed beside it give t = 1.39 to 1.42 (Student's t (pooled variance)), so at "
                          "least one of these numbers is misprinted or another test was used.")
    assert f.allowed == "t = 1.39 to 1.42" and f.detail == ("a note",)


def _paper(lang, data_dir=None, checks=()):
    from analysis.dataset import declaration, load_all
    from analysis.present.paper import paper_text

    return paper_text(declaration(data_dir), load_all(lang, data_dir=data_dir), lang, checks=checks)


def test_study_and_claims_come_from_the_data(raw_copy):
    assert _paper("en").study.startswith("107 patients")
    assert "January 2020 to March 2022" in _paper("en").study
    assert "2020 年 1 月至 2022 年 3 月" in _paper("zh").study
    text = raw_copy / "en" / "text.csv"
    lines = text.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = [line.replace(",date,2020-01,", ",date,2019-11,") if line.startswith("sec1.3,enrolment,start")
              else line.replace(",chi2,6.363,", ",chi2,6.364,") if line.startswith("sec2.1,orr")
              else line for line in lines]
    assert edited != lines
    text.write_text("".join(edited), encoding="utf-8")
    paper = _paper("en", raw_copy)
    assert "November 2019 to March 2022" in paper.study
    response = paper.claims[0]
    assert "χ² = 6.364" in response.text and "83.02%" in response.text
    assert response.keys == ("sec2.1/orr//combination/percent", "sec2.1/orr//control/percent",
                             "sec2.1/orr///chi2", "sec2.1/orr///p")


def test_a_claim_resting_on_a_discrepant_number_is_marked():
    # udca's English abstract prints P = 0.030 for the χ² its counts give P = 0.003 for (planted)
    udca = PROJECT_ROOT / "data" / "examples" / "udca"
    paper = _paper("en", udca, run_audit("en", data_dir=udca).checks)
    marked = [c for c in paper.claims if c.discrepant]
    assert [c.keys[-1] for c in marked] == ["abstract/failure///p"]
    assert marked[0].to_text("en").endswith(t("readers.claim_marked", "en", n=1))
    assert not [c for c in _paper("zh", udca, run_audit("zh", data_dir=udca).checks).claims if c.discrepant]


def test_a_paper_that_declares_nothing_for_readers_gets_generic_questions_that_fit_its_audit(tmp_path):
    folder = tmp_path / "cgd"
    shutil.copytree(PROJECT_ROOT / "data" / "examples" / "cgd", folder)
    toml = folder / "analyses.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[:text.index("[paper]")] + text[text.index("[sources]"):], encoding="utf-8")
    # no study: the handout's title names the paper, a study section would repeat it
    checks = run_audit("en", data_dir=folder).checks
    found = _paper("en", folder, checks)
    assert found.study == "" and found.claims == ()
    assert found.questions == tuple(t(f"readers.handout.question_generic.{k}", "en")
                                    for k in ("which", "ask", "claims"))
    # an audit with nothing discrepant is not asked about numbers "the reanalysis could not reproduce"
    clean = _paper("en", folder, [c for c in checks if c.verdict != "discrepant"])
    assert clean.questions == tuple(t(f"readers.handout.question_generic.{k}", "en") for k in ("clean", "claims"))
    # nor is an audit that made no check at all told that every recomputed number agrees
    assert _paper("en", folder).questions == (t("readers.handout.question_generic.unchecked", "en"),)


@pytest.mark.parametrize("text, message", [
    ('study = "{abstract/enrolled//n}"', "five parts"),                       # four parts
    ('study = { zh = "x" }', 'en = "..."'),                                     # a missing language
    ('claims = "one"', "a list of texts"),
    ('colour = "red"', "unknown key 'colour'"),
])
def test_a_bad_paper_section_is_one_error_naming_the_key(tmp_path, text, message):
    from analysis.declaration import load_declaration
    from analysis.errors import InputError

    folder = tmp_path / "pbc"
    shutil.copytree(PROJECT_ROOT / "data" / "examples" / "pbc", folder)
    toml = folder / "analyses.toml"
    doc = toml.read_text(encoding="utf-8")
    toml.write_text(doc[:doc.index("[paper]")] + "[paper]\n" + text + "\n\n" + doc[doc.index("[sources]"):],
                    encoding="utf-8")
    with pytest.raises(InputError, match="paper") as err:
        load_declaration(folder)
    assert message in str(err.value)


def test_a_key_that_names_no_printed_value_is_one_error(tmp_path):
    from analysis.dataset import declaration, load_all
    from analysis.errors import InputError
    from analysis.present.paper import fill

    with pytest.raises(InputError, match=r"\{abstract/nothing///p\} is no printed value of the en transcription"):
        fill("P = {abstract/nothing///p}", load_all("en"), "en", where="analyses.toml [paper] study")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_key_findings_bullets(lang):
    k = key_findings(lang)
    report = run_audit(lang)
    assert k.bullets[0] == t("readers.counts", lang, total=len(report.checks), **report.summary())
    assert k.bullets[1:1 + len(k.findings)] == tuple(f.sentence for f in k.findings)
    assert len(k.claims) == 3 and k.draws > 0
    assert k.to_markdown() == "".join(f"- {b}\n" for b in k.bullets)


# ---------------------------------------------------------------------------------------
# The complete check list


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_check_groups_hold_every_check_once_and_every_note(lang):
    report = run_audit(lang)
    groups = check_groups(report)
    ids = [i for g in groups for i in g.frame[t("audit.column.id", lang)]]
    assert sorted(ids) == sorted(c.id for c in report.checks) and len(ids) == len(set(ids))
    by_id = {c.id: c for c in report.checks}
    order = ("discrepant", "not_checkable", "reproduced")
    for g in groups:
        frame = g.frame
        verdicts = [by_id[i].verdict for i in frame[t("audit.column.id", lang)]]
        assert verdicts == sorted(verdicts, key=order.index)  # discrepant first
        for i, verdict, cell, notes in zip(frame[t("audit.column.id", lang)], verdicts,
                                           frame[t("audit.column.verdict", lang)],
                                           frame[t("audit.column.notes", lang)]):
            assert cell == f"{MARKS[verdict]} {t(f'audit.verdict.{verdict}', lang)}"
            refs = [str(k) for k, note in enumerate(g.shared_notes, 1) if note in by_id[i].notes]
            if refs:
                assert notes.startswith(t("readers.appendix.see_notes", lang, notes=", ".join(refs)))
            for note in by_id[i].notes:
                assert note in g.shared_notes or note in notes
        for note in g.shared_notes:  # printed once, under the table (one note may begin another)
            assert g.to_markdown().count(f" {note}\n") == 1
    table1 = next(g for g in groups if g.source == t("source.table1", lang))
    repeated = next(n for n in table1.shared_notes if n.startswith(
        t("audit.note.correction_rule_consistent", lang, ylo=0, yhi=0, plo=0, phi=0)[:12]))
    assert sum(repeated in c.notes for c in report.checks) > 3


def test_check_list_columns_keep_their_width():
    md = check_groups(run_audit("en"))[0].to_markdown()
    rule = md.splitlines()[1]
    widths = [len(cell) - 1 for cell in rule.strip("|").split("|")]
    assert widths == [17, 10, 17, 15, 11, 30]  # notes at most 30 % of the width


# ---------------------------------------------------------------------------------------
# Why a finding matters


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_why_it_matters_follows_what_the_finding_contradicts(lang):
    """Issue #30: one sentence stood under every finding. Now it is the catalog's for what the
    check contradicts: a P its own statistic cannot give, a percentage no count gives, a t sign
    against the means, a group size, a sample size, a ratio and its CI; a test of a declared
    baseline row speaks of the balance of the arms."""
    examples = PROJECT_ROOT / "data" / "examples"
    why = {}
    for name, langs in (("cgd", ("en",)), ("gbsg", ("en",)), ("udca", ("en", "zh"))):
        if lang not in langs:
            continue
        report = run_audit(lang, data_dir=examples / name)
        why |= {f"{name}:{f.check}": f.why for f in reader_findings(report, data_dir=examples / name)}
    want = {"udca:table2.varices.yes.udca.percent" if lang == "zh" else "udca:table2.ascites.yes.udca.percent":
            "percent",
            "udca:abstract.group_size.udca.n": "group_size"}
    if lang == "en":
        want |= {"udca:table1.bili.t": "t_baseline",            # a baseline analysis of Table 1
                 "udca:sec2.3.failure_logrank.p": "p_of_statistic",
                 "cgd:table1.weight.t_sign": "sign", "cgd:table1.steroids.p": "counts_baseline",
                 "cgd:methods.n_total": "sample_size", "cgd:results.infection_hr.p": "ratio_p",
                 "cgd:results.infection.chi2": "counts",       # an outcome in the results text
                 "gbsg:results.rfs_hr.hr_ci": "ratio_ci"}
        del want["udca:abstract.group_size.udca.n"]           # printed so in the zh version only
    else:
        want |= {"udca:table1.stage.p": "counts_baseline", "udca:table2.enceph.chi2": "counts"}
    for finding, kind in want.items():
        assert why[finding] == t(f"readers.why.{kind}", lang), finding
    assert len({why[f] for f in want}) == len(set(want.values()))          # one sentence per family
    assert t("readers.why.other", lang) not in why.values()


# Issue #30, read on the examples' handouts: a percentage finding said "no whole number of
# patients out of the group's n gives that percentage (48)", a bare number beside a printed
# "84%", and false where another count would give it (the audit finds such counts); in a table
# with the groups as rows (pbc's Table 2) it named the group's row ("Placebo (n=154)") as if it
# were what the value is.
def test_a_percentage_finding_says_what_the_printed_count_gives():
    found = [f for name in ("gbsg", "pbc", "cgd") for f in key_findings(
        "en", data_dir=PROJECT_ROOT / "data" / "examples" / name).findings if f.printed.endswith("%")]
    assert len(found) == 3
    for f in found:
        assert f.allowed.endswith("%") and "no whole number" not in f.sentence, f.sentence
        assert f"the count printed with it is {f.allowed} of the group's n" in f.sentence


def test_a_value_in_a_table_with_groups_as_rows_is_named_by_its_row_and_column():
    found = key_findings("en", data_dir=PROJECT_ROOT / "data" / "examples" / "pbc").findings
    percent = next(f for f in found if f.printed == "39.86%")
    assert percent.sentence.startswith("Table 2, in the row “Placebo (n=154)”, prints 39.86% for “death”")


def test_a_sample_size_finding_does_not_read_as_if_its_range_allowed_the_printed_n(tmp_path):
    """cgd's methods print n = 106; the ways of computing n give 88, 92, ..., 132, none 106.
    The handout read "the rates, α and power it states give n = 88 to 132", which holds 106,
    and "What the printed inputs allow" showed "n = 88 to 132" beside the printed n = 106.
    Declared two-sided, as its paragraph states, the ways give 110 to 132; without ``sides``
    (one- and two-sided ways) the range holds 106 and the column says none gives it."""
    found = key_findings("en", data_dir=PROJECT_ROOT / "data" / "examples" / "cgd").findings
    f = next(f for f in found if f.printed == "n = 106")
    assert "none of the usual ways of computing n" in f.sentence and "n = 110 to 132" in f.sentence
    assert f.allowed == "n = 110 to 132"
    folder = tmp_path / "cgd"
    shutil.copytree(PROJECT_ROOT / "data" / "examples" / "cgd", folder)
    decl = folder / "analyses.toml"
    decl.write_text(re.sub(r"(?m)^sides = 2.*\n", "", decl.read_text(encoding="utf-8")), encoding="utf-8")
    f = next(f for f in key_findings("en", data_dir=folder).findings if f.printed == "n = 106")
    assert f.allowed == "none of the ways of computing it gives n = 106 (they give n = 88 to 132)", f.allowed
    assert t("readers.allowed_none_gives", "zh", printed="n = 106", recomputed="n = 88 至 132") == \
        "各种算法都得不到 n = 106（算得 n = 88 至 132）"


# ---------------------------------------------------------------------------------------
# A new user's report with nothing discrepant (issue #30): World J Clin Cases 2022, tables only

NEWUSER = PROJECT_ROOT / "tests" / "fixtures" / "wjcc-2022-12587"


def test_a_total_of_parts_is_shown_as_a_count_not_a_group_size():
    """Table 1's total effective count (16 + 12 + 9 = 37) showed "Recomputed: n = 37" in the
    check list and "n = 37; 82.22" in the export: n is a group's size, this is a count."""
    from analysis.present import paper_table
    from analysis.present.recomputed import record_text

    report = run_audit("en", data_dir=NEWUSER)
    parts = [r for r in report.to_frame().to_dict("records") if r["method"] == "sum_of_parts"]
    assert {record_text(r, "en") for r in parts} == {"37", "43"}
    frame = paper_table("table1", "en", data_dir=NEWUSER, audit=report.to_frame(), markup=False).frame
    recomputed = frame[t("tables.column.recomputed", "en")].tolist()
    assert "37; 82.22" in recomputed and not any("n = " in str(v) for v in recomputed), recomputed


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_t_note_says_the_point_value_is_computed_not_printed(lang):
    """"|t| over the rounding intervals ...: 0.117 to 0.134 (at the printed values 0.125)" read as if
    0.125 were the printed t; it is the t computed from the printed means and SDs."""
    note = t("audit.note.t_interval", lang, lo=0.117, hi=0.134, point=0.125)
    assert "at the printed values" not in note and "取印刷值时" not in note
    assert ("computed from the means and SDs as printed" if lang == "en" else "直接由印刷的均数和标准差") in note
    checks = {c.id: c for c in run_audit("en", data_dir=NEWUSER).checks}
    assert t("audit.note.t_interval", "en", lo=0.117, hi=0.134, point=0.125) in \
        checks["table2.wab_scoring_pre_treatment.t"].notes


def test_a_p_that_its_interval_gives_is_told_with_the_misprinted_ratio():
    """gbsg's results print 'hazard ratio 0·96 (95% CI 0·54–0·89); p=0·0036': the interval is
    centred on 0·69 and gives P = 0·0036 there. The P was told as a finding of its own ("the
    interval printed with the ratio implies P = 0.7097 to 0.7861"), though it follows from
    the misprinted ratio: findings that share a cause say so once (issue #30)."""
    from analysis.stats.ratio import ratio_ci_range

    # the P at the interval's centre, as R's coxph Wald P would be for HR 0.69 (0.54-0.89)
    assert ratio_ci_range(0.6932, 0.54, 0.89).pvalue[0] == pytest.approx(0.0036, abs=0.0005)
    folder = PROJECT_ROOT / "data" / "examples" / "gbsg"
    checks = {c.id: c for c in run_audit("en", data_dir=folder).checks}
    assert checks["results.rfs_hr.p"].knock_on_of == "results.rfs_hr.hr_ci"
    assert checks["abstract.rfs_hr.p.repeat"].knock_on_of == ""      # its own misprint (0·036)
    found = key_findings("en", data_dir=folder).findings
    assert not any(f.printed == "P = 0·0036" for f in found)
    hr = next(f for f in found if f.printed.startswith("HR = 0·96"))
    assert hr.sentence.endswith(t("readers.knock_on_ratio_p", "en", printed="0·0036"))
