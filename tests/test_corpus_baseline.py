"""`corpus baseline`: the rounding-aware ANOVA P (analysis.stats.rounded_anova), the corpus
reader, the Dask runner (determinism, resume) and the command.

Data: simulated honest trials (analysis.corpus.simulate), and a few rows typed in from
Carlisle's Appendix S2 (Anaesthesia 2017;72:944, doi:10.1111/anae.13938; the workbook as
copied in github.com/agbarnett/baseline_tables, data/anae13938-sup-0002-appendixs2.xlsx,
sheet NEJM, trial 1, and sheet Anesthesia and Analgesia, trial 1). No network, no workbook.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.corpus import DEFAULT_TIES
from analysis.corpus.baseline import trial_rng, trial_table, variable_table
from analysis.corpus.reader import printed_grid, read_table
from analysis.corpus.report import write_outputs
from analysis.corpus.run import local_client, run_baseline
from analysis.corpus.simulate import honest_trials
from analysis.errors import InputError
from analysis.stats.rounded_anova import rounded_anova, rounded_anova_batch, stouffer

ROOT = Path(__file__).resolve().parents[1]

# Carlisle's Appendix S2, typed in: NEJM trial 1 (4645 and 4652 per arm, whole numbers) and
# Anesthesia and Analgesia trial 1 (SDs stored as SE·√n: 7.745967 = 2.0·√15).
CARLISLE_ROWS = """study,trial,variable,group,n,mean,sd,mean_decimals,sd_decimals
NEJM,1,1,1,4645,66,7,0,0
NEJM,1,1,2,4652,66,7,0,0
NEJM,1,2,1,4645,139,20,0,0
NEJM,1,2,2,4652,139,20,0,0
NEJM,1,3,1,4645,79,11,0,0
NEJM,1,3,2,4652,79,11,0,0
Anesthesia and Analgesia,1,1,1,15,36.3,7.745967,1,1
Anesthesia and Analgesia,1,1,2,15,37.6,11.61895,1,1
Anesthesia and Analgesia,1,2,1,15,68.8,19.364917,1,1
Anesthesia and Analgesia,1,2,2,15,63.3,7.745967,1,1
"""


def _tidy_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.drop(columns=["sheet", "row"]).to_csv(path, index=False)
    return path


# --- the statistics -------------------------------------------------------------------

def test_unrounded_f_matches_scipy_and_the_monte_carlo_matches_the_f_distribution():
    rng = np.random.default_rng(3)
    data = [rng.normal(10, 2, size=s) for s in (12, 15, 9)]
    ref = stats.f_oneway(*data)
    means = [x.mean() for x in data]
    sds = [x.std(ddof=1) for x in data]
    r = rounded_anova(means, sds, [12, 15, 9], mean_decimals=None, sd_decimals=None,
                      draws=40000, seed=1)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert r.pvalue_f == pytest.approx(ref.pvalue, rel=1e-10)
    assert (r.df_between, r.df_within) == (2, 33)
    # Without rounding, the Monte Carlo P estimates the F distribution's P (SE < 0.0025).
    assert r.equal == 0
    assert r.pvalue == pytest.approx(ref.pvalue, abs=0.01)


def test_rounded_monte_carlo_matches_exact_enumeration():
    # Printed: means 5 and 6, SDs 2 and 2, n = 10 per arm, all whole numbers. Under the null
    # (mu 5.5 + a phase uniform on (-0.5, 0.5), sigma 2) the rounded means a1, a2 and SDs
    # b1, b2 take few values; F is proportional to (a1 - a2)^2 / (b1^2 + b2^2), the printed
    # one to 1/8. P(F > printed) and P(F = printed) enumerated from the normal and
    # chi-square CDFs, averaged over 400 phases (midpoint rule):
    sigma, n = 2.0, 10
    se = sigma / np.sqrt(n)
    a = np.arange(-5, 17)
    b = np.arange(0, 9)
    cdf = lambda s: stats.chi2.cdf((n - 1) * (np.maximum(s, 0) / sigma) ** 2, n - 1)
    pb = cdf(b + 0.5) - cdf(b - 0.5)
    diff = a[:, None] - a[None, :]
    sumsq = b[:, None] ** 2 + b[None, :] ** 2
    num = 8 * diff[:, :, None, None] ** 2
    den = sumsq[None, None, :, :]
    gt = np.where(den == 0, num > 0, num > den)
    eq = (den > 0) & (num == den)
    qb = pb[:, None] * pb[None, :]
    greater = equal = 0.0
    phases = (np.arange(400) + 0.5) / 400 - 0.5
    for phase in phases:
        mu = 5.5 + phase
        pa = stats.norm.cdf((a + 0.5 - mu) / se) - stats.norm.cdf((a - 0.5 - mu) / se)
        w = (pa[:, None] * pa[None, :])[:, :, None, None] * qb[None, None, :, :]
        greater += (w * gt).sum() / len(phases)
        equal += (w * eq).sum() / len(phases)
        assert pa.sum() == pytest.approx(1, abs=1e-9)
    assert pb.sum() == pytest.approx(1, abs=1e-9)
    draws = 100_000
    r = rounded_anova([5, 6], [2, 2], [10, 10], mean_decimals=0, sd_decimals=0, draws=draws,
                      seed=7, ties="mid")
    for count, exact in ((r.greater, greater), (r.equal, equal)):
        assert abs(count / draws - exact) < 4 * np.sqrt(exact * (1 - exact) / draws)
    assert r.pvalue == pytest.approx((r.greater + (r.equal + 1) / 2) / (draws + 1))
    # the F distribution, blind to the rounding, gives another answer
    # F = [10·10/20·(6 − 5)²/1] / [(9·4 + 9·4)/18] = 5/4
    assert r.statistic == pytest.approx(1.25) and r.pvalue_f == pytest.approx(stats.f.sf(1.25, 1, 18))
    assert abs(r.pvalue_f - (greater + equal / 2)) > 0.03


def test_ties_random_is_uniform_over_the_tied_range_and_never_0_or_1():
    out = rounded_anova_batch(np.full((400, 2), 66.0), np.full((400, 2), 7.0),
                              np.full((400, 2), 4645.0), mean_decimals=0, sd_decimals=0,
                              draws=50, rng=np.random.default_rng(2), ties="random")
    # Arms of 4645 printing the same whole-number mean (F = 0): most draws tie, and P is the
    # printed trial's random rank among the ties, uniform on (G, G + E + 1)/(D + 1).
    g, e = out["greater"], out["equal"]
    assert np.all(e > 25)
    position = (out["pvalue"] * 51 - g) / (e + 1)
    assert np.all((position > 0) & (position <= 1))
    assert stats.kstest(position, "uniform").pvalue > 0.01
    assert np.all((out["pvalue"] > 0) & (out["pvalue"] < 1))


def test_stouffer_matches_scipy():
    p = [0.01, 0.2, 0.7, 0.93]
    assert stouffer(p) == pytest.approx(stats.combine_pvalues(p, method="stouffer").pvalue,
                                        rel=1e-12)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        stouffer([0.2, 1.0])


def test_an_sd_from_an_se_is_told_apart_and_rounded_as_the_se():
    kind = printed_grid([7.745967, 7.0, 7.12345], [15, 15, 15], [1, 0, 1], kind="sd")
    assert list(kind) == ["se", "sd", ""]


# --- the corpus -----------------------------------------------------------------------

def test_trial_streams_depend_on_seed_and_id_only():
    a = trial_rng(1, "NEJM", "1").random(3)
    assert np.array_equal(a, trial_rng(1, "NEJM", "1").random(3))
    assert not np.array_equal(a, trial_rng(1, "NEJM", "2").random(3))
    assert not np.array_equal(a, trial_rng(2, "NEJM", "1").random(3))
    rows = honest_trials(6, seed=1)
    whole = variable_table(rows, draws=100, seed=4)
    alone = variable_table(rows[rows["trial"] == "4"], draws=100, seed=4)
    pd.testing.assert_frame_equal(whole[whole["trial"] == "4"].reset_index(drop=True), alone)


def test_carlisle_rows_typed_in(tmp_path):
    table = read_table(_tidy_csv_text(tmp_path, CARLISLE_ROWS))
    v = variable_table(table.rows, draws=4000, seed=1)
    nejm = v[v["study"] == "NEJM"]
    # Identical printed means: F = 0 and the F distribution says P = 1 for each, which
    # Stouffer turns into a trial P of 1; rounded, ties are common and P is not extreme.
    assert list(nejm["f"]) == [0, 0, 0] and list(nejm["p_f"]) == [1, 1, 1]
    assert nejm["equal"].min() > 2000
    trials = trial_table(v)
    assert trials.set_index("study").loc["NEJM", "p_f"] > 0.999
    aa = v[v["study"] == "Anesthesia and Analgesia"]
    assert list(aa["ses_rounded"]) == [2, 2] and list(aa["means_rounded"]) == [2, 2]
    # n = 15 per arm: rounding to 0.1 hardly matters, the Monte Carlo P is the F-test's
    assert np.allclose(aa["p"], aa["p_f"], atol=0.03)


def _tidy_csv_text(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_tie_rule_is_carlisles_mid_p():
    # Carlisle & Loadsman's code (Anaesthesia 2017;72:17, Appendix S1, as adapted in the CRAN
    # packages simdistr and reappraised) counts a tie half; the randomised P stays an option.
    assert DEFAULT_TIES == "mid"
    assert inspect.signature(variable_table).parameters["ties"].default == "mid"
    assert inspect.signature(run_baseline).parameters["ties"].default == "mid"


@pytest.mark.parametrize("ties", ["mid", "random"])
def test_calibration_reduced(ties):
    """Honest trials: trial P uniform, 10 % within 0.05 of 0 or 1 (full size: the
    benchmark, 5000 trials), with either tie rule."""
    trials = trial_table(variable_table(honest_trials(300, seed=11), draws=200, seed=5,
                                        ties=ties))
    p = trials["p"].to_numpy()
    assert len(p) == 300
    assert stats.kstest(p, "uniform").pvalue > 0.01
    assert abs(np.mean((p < 0.05) | (p > 0.95)) - 0.10) < 0.055     # 3 binomial SE


def test_bad_rows_are_named_skipped_and_counted(tmp_path):
    text = CARLISLE_ROWS + ("NEJM,2,1,1,100,abc,7,0,0\n"      # line 12: a word for a mean
                            "NEJM,2,1,2,100,66,-1,0,0\n"      # line 13: a negative SD
                            "NEJM,1,1,2,4652,66,7,0,0\n"      # line 14: group given twice
                            "NEJM,3,1,1,0,66,7,0,0\n")        # line 15: n = 0
    table = read_table(_tidy_csv_text(tmp_path, text))
    found = [(b.row, b.column) for b in table.bad_rows]
    assert found == [(12, "mean"), (13, "sd"), (14, "group"), (15, "n")]
    assert "not a number: 'abc'" in str(table.bad_rows[0])
    assert len(table.rows) == 10


@pytest.fixture(scope="module")
def clients():
    one = local_client(1, processes=False)
    two = local_client(2, processes=False)
    yield one, two
    for c in (one, two):
        cluster = c.cluster
        c.close()
        cluster.close()


def test_same_results_on_one_and_two_workers_and_any_batch(tmp_path, clients):
    path = _tidy_csv(honest_trials(24, seed=3), tmp_path / "sim.csv")
    table = read_table(path)
    a = run_baseline(table, tmp_path / "a", client=clients[0], draws=300, seed=9, batch=24)
    b = run_baseline(table, tmp_path / "b", client=clients[1], draws=300, seed=9, batch=5)
    pd.testing.assert_frame_equal(a.variables, b.variables)
    pd.testing.assert_frame_equal(a.trials, b.trials)
    assert len(a.trials) == 24 and a.computed == 24
    # ... and the same as the plain function, without Dask
    direct = variable_table(table.rows, draws=300, seed=9)
    assert np.array_equal(direct["p"].to_numpy(float), a.variables["p"].to_numpy(float),
                          equal_nan=True)


def test_resume_skips_done_trials_and_writes_the_same_bytes(tmp_path, clients):
    path = _tidy_csv(honest_trials(20, seed=4), tmp_path / "sim.csv")
    table = read_table(path)
    out = tmp_path / "out"
    first = run_baseline(table, out, client=clients[1], draws=200, seed=1, batch=4)
    write_outputs(first, table, out)
    before = {f: (out / f).read_bytes() for f in ("variables.csv", "trials.csv", "summary.json",
                                                 "report.html")}
    parts = sorted((out / "parts").glob("part-*.csv"))
    assert len(parts) == 5
    parts[1].unlink()
    parts[3].unlink()                                   # as if interrupted
    again = run_baseline(table, out, client=clients[1], draws=200, seed=1, batch=4)
    assert (again.computed, again.resumed) == (8, 12)
    write_outputs(again, table, out)
    assert {f: (out / f).read_bytes() for f in before} == before
    with pytest.raises(InputError, match="other settings.*seed 1 -> 2"):
        run_baseline(table, out, client=clients[1], draws=200, seed=2)
    summary = json.loads(before["summary.json"])
    assert summary["overall"]["rounding_aware"]["trials"] == 20
    assert "<svg" in before["report.html"].decode() and "http" not in \
        before["report.html"].decode().replace('xmlns="http://www.w3.org/2000/svg"', "")


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "analysis", "corpus", "baseline", *args],
                          capture_output=True, text=True, cwd=cwd)


def test_cli_errors_are_one_line(tmp_path):
    missing = _cli(str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o"))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0 and missing.stderr.startswith("error: ")
    assert "Traceback" not in missing.stderr
    wrong = _tidy_csv_text(tmp_path, "trial,mean\n1,2\n", "wrong.csv")
    r = _cli(str(wrong), "--out", str(tmp_path / "o"))
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert "no column for" in r.stderr and "wrong.csv" in r.stderr
    r = _cli(str(wrong), "--out", str(tmp_path / "o"), "--draws", "0")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--draws" in r.stderr
    r = subprocess.run([sys.executable, "-m", "analysis", "corpus", "audit", str(tmp_path / "none"),
                        "--out", str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "not a folder" in r.stderr


# --- corpus audit (issue #32 item 4) ----------------------------------------------------

def test_corpus_audit_a_declared_folder_and_a_paper_that_fails(tmp_path, clients):
    import shutil

    from analysis.corpus.audit import audit_corpus, find_papers, write_audit_outputs

    folder = tmp_path / "papers"
    shutil.copytree(ROOT / "data" / "examples" / "cgd", folder / "cgd")
    (folder / "broken.pdf").write_bytes(b"not a PDF at all")
    (folder / "notes.csv").write_text("not a paper\n")
    assert [(n, k) for n, k, _ in find_papers(folder)] == [("broken.pdf", "file"),
                                                          ("cgd", "declared")]
    checks, papers = audit_corpus(folder, tmp_path / "out", client=clients[1])
    assert list(papers["paper"]) == ["broken.pdf", "cgd"]
    broken, cgd = papers.iloc[0], papers.iloc[1]
    assert broken["error"] and broken["checks"] == 0           # a row, not the end of the run
    assert cgd["error"] == "" and cgd["checks"] == len(checks) > 0
    assert cgd["reproduced"] + cgd["discrepant"] + cgd["not_checkable"] == cgd["checks"]
    # the same checks as `python -m analysis audit --data-dir` on the folder
    from analysis.audit import run_audit
    direct = run_audit("en", data_dir=folder / "cgd").checks_frame()
    assert list(checks["check"]) == list(direct["id"])
    assert list(checks["verdict"]) == list(direct["verdict"])
    written = write_audit_outputs(checks, papers, tmp_path / "out")
    assert "checks.csv" in written and "papers.csv" in written
    back = pd.read_csv(tmp_path / "out" / "papers.csv", keep_default_na=False)
    assert list(back.columns) == ["paper", "kind", "langs", "checks", "reproduced", "discrepant",
                                  "not_checkable", "error"]
    if "checks.parquet" in written:
        assert len(pd.read_parquet(tmp_path / "out" / "checks.parquet")) == len(checks)


def test_cli_runs_names_bad_rows_and_resumes(tmp_path):
    table = _tidy_csv_text(tmp_path, CARLISLE_ROWS + "NEJM,2,1,1,100,abc,7,0,0\n")
    out = tmp_path / "out"
    r = _cli(str(table), "--out", str(out), "--workers", "1", "--draws", "50")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert f"warning: {table}: row 12, column 'mean': not a number: 'abc'; row skipped" in r.stderr
    assert "2 trials read (2 computed now, 0 from an earlier run), 2 with a P" in r.stdout
    files = ("variables.csv", "trials.csv", "summary.json", "report.html")
    before = {f: (out / f).read_bytes() for f in files}
    again = _cli(str(table), "--out", str(out), "--workers", "1", "--draws", "50")
    assert "(0 computed now, 2 from an earlier run)" in again.stdout
    assert {f: (out / f).read_bytes() for f in files} == before
