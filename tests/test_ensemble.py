"""The survival ensemble: spec, fast statistics, sampler, written files, CLI.

Every printed constraint is recomputed on the written patient-level data with
lifelines and numpy, independently of the search code.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi
from lifelines.statistics import logrank_test as ll_logrank

from analysis.cli import main
from analysis.ensemble.constraints import Constraints, InfeasibleSpec
from analysis.ensemble.cox import cox_binary, logrank_hr
from analysis.ensemble.fast import (cox_score_flips, cox_score_moves, km_median_fast, logrank_z,
                                    logrank_z_flips, logrank_z_moves)
from analysis.ensemble.pipeline import DEFAULT_SPEC, OUTPUT_FILES, build, load_or_build
from analysis.ensemble.spec import load_spec
from analysis.errors import InputError
from analysis.km.estimate import kaplan_meier, km_median, logrank_test
from analysis.printed import parse_printed

SPEC = load_spec(DEFAULT_SPEC)
ARGS = ["--draws", "3", "--seed", "11", "--verdict-tries", "0", "--workers", "2"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("derived")
    assert main(["reconstruct", "summary", *ARGS, "--out", str(out)]) == 0
    return out


def _members(out: Path) -> list[pd.DataFrame]:
    ens = pd.read_csv(out / OUTPUT_FILES["members"])
    return [g.drop(columns="member") for _, g in ens.groupby("member", sort=True)]


def _median_from_lifelines_table(kmf) -> float:
    """First time S(t) <= 0.5 read off lifelines' survival table.

    Not ``median_survival_time_``: lifelines returns the first time S(t) < 0.5
    (strictly), which differs when the curve sits at exactly 0.5.
    """
    sf = kmf.survival_function_.iloc[:, 0]
    below = sf.index[sf.to_numpy() <= 0.5 + 1e-12]
    return float(below[0]) if len(below) else math.inf


def _check_printed(ipd: pd.DataFrame) -> None:
    """Every survival number of the paper, recomputed with lifelines / numpy."""
    for ep in SPEC.endpoints:
        t, e = ipd[f"{ep.name}_time"], ipd[f"{ep.name}_event"]
        comb = (ipd["arm"] == "combination").to_numpy()
        for arm, mask in (("combination", comb), ("control", ~comb)):
            kmf = KaplanMeierFitter().fit(t[mask], e[mask])
            assert ep.medians[arm].printed.contains(_median_from_lifelines_table(kmf)), \
                (ep.name, arm)
        lr = ll_logrank(t[comb], t[~comb], e[comb], e[~comb])
        assert ep.logrank_chi2.printed.contains(lr.test_statistic), ep.name
        assert ep.logrank_p.printed.contains(lr.p_value), ep.name
        cph = CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": comb.astype(int)}), "t", "e")
        assert cph.params_["x"] < 0  # "significantly higher in the combination group"
    os_time = ipd["os_time"].to_numpy()
    assert parse_printed("4").contains(os_time.min())
    assert parse_printed("24").contains(os_time.max())
    assert parse_printed("16").contains(float(np.median(os_time)))
    assert (ipd["arm"] == "combination").sum() == 53 and (ipd["arm"] == "control").sum() == 54


def test_written_ipd_meets_every_printed_number(written):
    ipd = pd.read_csv(written / OUTPUT_FILES["ipd"])
    assert list(ipd.columns) == ["patient", "arm", "os_time", "os_event", "pfs_time", "pfs_event"]
    _check_printed(ipd)


def test_every_member_meets_every_printed_number(written):
    members = _members(written)
    assert len(members) == 3
    for ipd in members:
        _check_printed(ipd)


def test_pfs_nested_in_os(written):
    for ipd in _members(written):
        assert (ipd["pfs_time"] <= ipd["os_time"]).all()
        died = ipd["os_event"] == 1
        assert (ipd.loc[died, "pfs_event"] == 1).all()
        censored = ipd["pfs_event"] == 0
        assert (ipd.loc[censored, "pfs_time"] == ipd.loc[censored, "os_time"]).all()
        assert (ipd.loc[censored, "os_event"] == 0).all()


def test_representative_is_a_member_and_summary_matches(written):
    doc = json.loads((written / OUTPUT_FILES["json"]).read_text())
    ens = pd.read_csv(written / OUTPUT_FILES["members"])
    rep = ens[ens["member"] == doc["representative_member"]].drop(columns="member")
    ipd = pd.read_csv(written / OUTPUT_FILES["ipd"])
    pd.testing.assert_frame_equal(rep.reset_index(drop=True), ipd)
    assert all(row["holds"] for row in doc["printed"])
    s12 = doc["endpoints"]["os"]["arms"]["control"]["survival"]["12"]
    assert s12["p05"] <= s12["p50"] <= s12["p95"]


def test_seed_reproduces_the_ensemble_byte_for_byte(written, tmp_path):
    assert main(["reconstruct", "summary", *ARGS, "--out", str(tmp_path), "--workers", "1"]) == 0
    for name in OUTPUT_FILES.values():
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_other_seed_other_ensemble(written, tmp_path):
    args = ["--draws", "1", "--seed", "12", "--verdict-tries", "0"]
    assert main(["reconstruct", "summary", *args, "--out", str(tmp_path)]) == 0
    assert (tmp_path / OUTPUT_FILES["ipd"]).read_bytes() != \
        (written / OUTPUT_FILES["ipd"]).read_bytes()


def test_load_or_build_rebuilds_only_when_stale(tmp_path):
    first = load_or_build(draws=1, seed=5, verdict_tries=0, out_dir=tmp_path)
    mtime = (tmp_path / OUTPUT_FILES["ipd"]).stat().st_mtime_ns
    again = load_or_build(draws=1, seed=5, verdict_tries=0, out_dir=tmp_path)
    assert (tmp_path / OUTPUT_FILES["ipd"]).stat().st_mtime_ns == mtime
    pd.testing.assert_frame_equal(first["ipd"], again["ipd"])
    other = load_or_build(draws=1, seed=6, verdict_tries=0, out_dir=tmp_path)
    assert other["summary"]["seed"] == 6


_SINGLE = """
time_unit = "month"
[study]
horizon = { value = "36", unit = "month" }
[arms.new]
n = "40"
[arms.old]
n = "42"
[endpoints.os]
median.new = "NR"
median.old = "21.5"
logrank_p = "0.04"
better = "new"
"""


def test_single_endpoint_spec(tmp_path):
    path = tmp_path / "single.toml"
    path.write_text(_SINGLE)
    spec = load_spec(path)
    rec = build(spec, draws=2, seed=1, verdict_tries=0, workers=1)
    ipd = rec.summary.ipd
    assert list(ipd.columns) == ["patient", "arm", "os_time", "os_event"]
    for _, g in rec.summary.ensemble_ipd.groupby("member"):
        new = (g["arm"] == "new").to_numpy()
        kmf = KaplanMeierFitter().fit(g["os_time"][new], g["os_event"][new])
        assert math.isinf(_median_from_lifelines_table(kmf))  # not reached
        kmf = KaplanMeierFitter().fit(g["os_time"][~new], g["os_event"][~new])
        assert parse_printed("21.5").contains(_median_from_lifelines_table(kmf))
        lr = ll_logrank(g["os_time"][new], g["os_time"][~new], g["os_event"][new],
                        g["os_event"][~new])
        assert parse_printed("0.04").contains(lr.p_value)


@pytest.mark.parametrize("args, word", [
    (["--draws", "0"], "--draws"),
    (["--draws", "two"], "--draws"),
    (["--seed", "1.5"], "--seed"),
    (["--seed", "-3"], "--seed"),
])
def test_bad_arguments_one_line(capsys, args, word):
    assert main(["reconstruct", "summary", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and word in err and err.startswith("error:")


@pytest.mark.parametrize("edit, key", [
    (('logrank_p = "0.04"', 'logrank_p = 0.04'), "endpoints.os.logrank_p"),
    (('median.old = "21.5"', 'median.older = "21.5"'), "endpoints.os.median.older"),
    (('n = "42"', 'n = "4.2"'), "arms.old.n"),
    (('better = "new"', 'better = "neither"'), "endpoints.os.better"),
    (('horizon = { value = "36", unit = "month" }', ''), "study.horizon"),
])
def test_bad_spec_names_file_and_key(tmp_path, capsys, edit, key):
    path = tmp_path / "bad.toml"
    path.write_text(_SINGLE.replace(*edit))
    with pytest.raises(InputError) as err:
        load_spec(path)
    assert str(path) in str(err.value) and f"'{key}'" in str(err.value)
    assert main(["reconstruct", "summary", "--spec", str(path), "--draws", "1"]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_contradictory_chi2_and_p(tmp_path):
    path = tmp_path / "contra.toml"
    path.write_text(_SINGLE.replace('logrank_p = "0.04"', 'logrank_p = "0.04"\nlogrank_chi2 = "6.2"'))
    with pytest.raises(InfeasibleSpec, match="contradict"):
        Constraints(load_spec(path))


# --- the fast statistics against analysis.km.estimate and lifelines ---------------

def _random_sets(n_sets=60, seed=3):
    rng = np.random.default_rng(seed)
    for _ in range(n_sets):
        n = int(rng.integers(6, 60))
        t = rng.integers(1, 15, n).astype(float)  # coarse: many ties
        e = rng.random(n) < 0.7
        g = rng.random(n) < 0.5
        if e.any() and g.any() and (~g).any():
            yield t, e, g


def test_fast_median_matches_km_module_both_rules():
    for t, e, _ in _random_sets():
        km = kaplan_meier(t, e)
        for rule in ("first_below", "midpoint"):
            a, b = km_median_fast(t, e, rule), km_median(km, method=rule)
            assert (math.isnan(a) and math.isnan(b)) or a == b


def test_fast_median_first_below_matches_lifelines():
    exact_half = 0
    for t, e, _ in _random_sets():
        kmf = KaplanMeierFitter().fit(t, e)
        ll = _median_from_lifelines_table(kmf)
        ours = km_median_fast(t, e, "first_below")
        assert (math.isinf(ll) and math.isnan(ours)) or ll == ours
        exact_half += ll != kmf.median_survival_time_
    assert exact_half > 0  # the sets include curves that sit at exactly 0.5


def test_fast_logrank_matches_lifelines_and_moves():
    rng = np.random.default_rng(5)
    for t, e, g in _random_sets():
        z = logrank_z(t, e, g)
        ll = ll_logrank(t[g], t[~g], e[g], e[~g]).test_statistic
        assert z * z == pytest.approx(ll, rel=1e-10)
        assert z * z == pytest.approx(logrank_test(t, e, g).chisq, rel=1e-10)
        # one patient (an event, then a censored one) moved to every other time,
        # onto ties, and past both ends: checked against lifelines refitted each time
        for i in np.concatenate([np.flatnonzero(e)[:1], np.flatnonzero(~e)[:1]]):
            cand = np.unique(np.concatenate([t, t + 0.5, [0.5, t.max() + 3]]))
            zm = logrank_z_moves(t, e, g, i, cand)
            for c in rng.choice(cand, 12, replace=False):
                moved = t.copy()
                moved[i] = c
                ref = ll_logrank(moved[g], moved[~g], e[g], e[~g]).test_statistic
                assert zm[cand == c][0] ** 2 == pytest.approx(ref, rel=1e-9)
        # many patients' moves at once, to times on and off the others'
        who = rng.integers(t.size, size=12)
        to = rng.choice(np.concatenate([t, t + 0.5]), 12)
        zm = logrank_z_moves(t, e, g, who, to)
        for i, c, z in zip(who, to, zm):
            moved = t.copy()
            moved[i] = c
            ref = ll_logrank(moved[g], moved[~g], e[g], e[~g]).test_statistic
            assert z ** 2 == pytest.approx(ref, rel=1e-9)


def test_cox_score_moves_matches_r():
    # R's survival::aml, x = Maintained; patient 1 (an event) and 3 (censored) moved:
    #   m <- aml; m$x <- as.integer(m$x == "Maintained"); m$time[i] <- c
    #   f <- coxph(Surv(time, status) ~ x, data = m, ties = "breslow", init = -0.5,
    #              control = coxph.control(iter.max = 0))
    #   sum(residuals(f, "score")); 1 / f$var
    t = np.array([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
                  5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45], dtype=float)
    e = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1], dtype=bool)
    x = np.arange(t.size) < 11
    cand = np.array([2.0, 9, 13, 30, 50])
    ref = {0: ([-1.4273926519, -1.6132553348, -1.6937979329, -1.8600339909, -2.6736659106],
               [4.0844903485, 4.1261117711, 4.1318332518, 4.1514351221, 3.8703113652]),
           2: ([-1.4495811825, -1.5615401146, -1.6132553348, -1.7911061172, -2.0811218991],
               [4.0933885770, 4.1193827192, 4.1261117711, 4.1461273294, 4.1144458506])}
    for i, (u_ref, info_ref) in ref.items():
        u, info = cox_score_moves(t, e, x, i, cand, -0.5)
        assert u == pytest.approx(u_ref, abs=5e-10)  # R printed to 10 decimals
        assert info == pytest.approx(info_ref, abs=5e-10)
    # each patient's status flipped in turn (m$status[i] <- 1 - m$status[i]), same calls,
    # and survdiff(Surv(time, status) ~ x, data = m)$chisq
    flips = {0: (-2.1585176534, 3.8781604486, 4.4889125372),
             2: (-1.0774852825, 4.3748322745, 2.5459184529),
             10: (-1.6132553348, 4.1261117711, 3.3963886990),  # alone at risk: no change
             11: (-1.2559344582, 3.8964691034, 2.7272681228),
             22: (-0.9679165792, 3.8972351250, 2.2616704987)}
    u, info = cox_score_flips(t, e, x, -0.5)
    z = logrank_z_flips(t, e, x)
    for i, (u_ref, info_ref, chisq_ref) in flips.items():
        assert u[i] == pytest.approx(u_ref, abs=5e-10)
        assert info[i] == pytest.approx(info_ref, abs=5e-10)
        assert z[i] ** 2 == pytest.approx(chisq_ref, abs=5e-10)


def test_cox_binary_matches_r_and_lifelines():
    d = load_rossi()
    fit = cox_binary(d["week"], d["arrest"], d["fin"])
    # R 4.x: coxph(Surv(week, arrest) ~ fin, data = rossi, ties = "efron")
    #   coef -0.3690692103, se 0.1897224368, exp(coef) 0.6913775584,
    #   lower .95 0.4766759574, upper .95 1.0027838
    assert fit.coef == pytest.approx(-0.3690692103, abs=5e-10)
    assert fit.se == pytest.approx(0.1897224368, abs=5e-10)
    assert fit.lower == pytest.approx(0.4766759574, abs=5e-10)
    assert fit.upper == pytest.approx(1.0027838, abs=5e-8)
    cph = CoxPHFitter().fit(d[["week", "arrest", "fin"]], "week", "arrest")
    assert fit.coef == pytest.approx(cph.params_["fin"], abs=1e-6)


def test_logrank_hr_against_r():
    # R 4.2.2, survival 3.5.3, lung by sex:
    #   survdiff(Surv(time, status) ~ sex, data = lung)$chisq  10.3267419549
    #   sum(lung$status == 2)  165;  table(lung$sex)  138 90
    #   exp(coef(coxph(Surv(time, status) ~ I(sex == 2), data = lung)))  0.588002818564
    #   p <- mean(lung$sex == 2); exp(-sqrt(survdiff(Surv(time, status) ~ sex,
    #     data = lung)$chisq / (sum(lung$status == 2) * p * (1 - p))))  0.5994061524
    hr = logrank_hr(10.3267419549, 165, allocation=90 / 228, favours_first=True)
    assert hr == pytest.approx(0.5994061524, abs=5e-11)
    assert abs(math.log(hr / 0.588002818564)) < 0.02  # the approximation, not the fit
    assert logrank_hr(10.3267419549, 165, allocation=90 / 228, favours_first=False) \
        == pytest.approx(1 / hr)
    with pytest.raises(ValueError, match="allocation"):
        logrank_hr(4.0, 60, allocation=1.0, favours_first=True)


def test_constraints_statistics_match_independent_recomputation(written):
    ipd = pd.read_csv(written / OUTPUT_FILES["ipd"])
    cons = Constraints(SPEC)
    from analysis.ensemble.prior import Patients
    ticks = lambda x: np.rint(x.to_numpy() / SPEC.tick).astype(np.int64)
    pat = Patients(arm=np.where(ipd["arm"] == "combination", 0, 1),
                   cens=np.zeros(len(ipd), dtype=np.int64),
                   time=np.stack([ticks(ipd["os_time"]), ticks(ipd["pfs_time"])]),
                   event=np.stack([ipd["os_event"].to_numpy(bool),
                                   ipd["pfs_event"].to_numpy(bool)]))
    assert all(cons.check(pat).values())
    stats = cons.statistics(pat)
    comb = (ipd["arm"] == "combination").to_numpy()
    lr = ll_logrank(ipd["os_time"][comb], ipd["os_time"][~comb], ipd["os_event"][comb],
                    ipd["os_event"][~comb])
    assert stats["os.z"] ** 2 == pytest.approx(lr.test_statistic, rel=1e-9)


def test_whole_month_grid_cannot_give_a_first_below_median_of_9_5():
    from dataclasses import replace

    month_grid = replace(SPEC, tick=1.0)
    with pytest.raises(InfeasibleSpec, match="pfs median .combination. printed 9.5"):
        Constraints(month_grid)
    Constraints(replace(month_grid.with_definitions(
        replace(SPEC.definitions, median="midpoint"))))  # 9.5 = (9 + 10) / 2 is possible
