"""analysis.km.reconstruct_guyot, its curve cleaning, the CLI, and the port of the
published R code used as the benchmark's baseline."""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines.datasets import load_waltons

from analysis.cli import main
from analysis.km import (CurveError, clean_curve, digitize_km, kaplan_meier, n_at_risk,
                         reconstruct_guyot, survival_at)

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}",
                                                  ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _corners(time, event):
    """The exact corners of a KM curve, as a perfect digitization would give."""
    km = kaplan_meier(time, event)
    pts, prev = [(0.0, 1.0)], 1.0
    for t, s in zip(km.time, km.survival):
        if s < prev:
            pts += [(t, prev), (t, s)]
            prev = s
    pts.append((float(np.max(time)), prev))
    return pd.DataFrame(pts, columns=["time", "survival"])


# --- the published algorithm, ported -----------------------------------------------

# Input of the R check below: 12 digitized points, at-risk table at 0, 4, 8.
T_S = [0, 1.1, 1.9, 3.2, 4.0, 5.5, 6.1, 7.4, 8.8, 9.5, 11.2, 12.0]
S = [1, 0.95, 0.90, 0.86, 0.80, 0.74, 0.70, 0.63, 0.57, 0.52, 0.47, 0.47]


def test_port_matches_the_published_r_code():
    pub = _load("guyot_published")
    # R 4 (Rscript): the published code of Guyot et al. 2012 (Additional file 1, with
    # lower/upper computed as in survivalnma), run as
    #   guyot(tS, S, t.risk = c(0, 4, 8), n.risk = c(40, 32, 20))
    # time = 1.1 1.1 1.9 1.9 3.2 4 4 4 5.5 5.5 6.1 7.4 7.4 7.4 8.8 9.5 9.5 11.2 0.55 2.55
    #        2.55 4.75 6.75 8.1 10.35 10.35 10.35 12 (x13);  event = 1 (x18), 0 (x22)
    t, e = pub.guyot_published(T_S, S, [0, 4, 8], [40, 32, 20])
    expected = ([1.1] * 2 + [1.9] * 2 + [3.2] + [4] * 3 + [5.5] * 2 + [6.1] + [7.4] * 3
                + [8.8] + [9.5] * 2 + [11.2] + [0.55] + [2.55] * 2 + [4.75, 6.75, 8.1]
                + [10.35] * 3 + [12] * 13)
    np.testing.assert_allclose(t, expected)
    np.testing.assert_array_equal(e, [1] * 18 + [0] * 22)
    # ... tot.events = 20:  d = 0 2 2 1 3 2 1 3 1 2 2 0;  cen = 1 0 2 0 1 0 1 1 0 0 0 0
    t, e = pub.guyot_published(T_S, S, [0, 4, 8], [40, 32, 20], 20)
    ev = np.bincount(np.searchsorted(T_S, t[e == 1]), minlength=12)
    np.testing.assert_array_equal(ev, [0, 2, 2, 1, 3, 2, 1, 3, 1, 2, 2, 0])
    # ... no table: guyot(tS, S, 0, 40, tot.events = 18):
    #     d = 0 2 2 1 3 2 1 2 2 2 1 0;  cen = 0 1 1 1 1 1 1 1 0 2 0 0
    t, e = pub.guyot_published(T_S, S, [0], [40], 18)
    ev = np.bincount(np.searchsorted(T_S, t[e == 1]), minlength=12)
    np.testing.assert_array_equal(ev, [0, 2, 2, 1, 3, 2, 1, 2, 2, 2, 1, 0])
    cen = np.sort(t[(e == 0) & (t < 12)])
    np.testing.assert_allclose(cen, [1.5, 2.55, 3.6, 4.75, 5.8, 6.75, 8.1, 10.35, 10.35])


# --- reconstruction ----------------------------------------------------------------

def test_exact_curve_without_censoring_is_recovered_exactly():
    # aml, Nonmaintained arm with its one censoring made an event: every drop is exact.
    time = np.array([5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45], float)
    event = np.ones(12, int)
    res = reconstruct_guyot(_corners(time, event), n=12)
    np.testing.assert_array_equal(res.ipd.time, time)
    np.testing.assert_array_equal(res.ipd.event, event)
    assert res.max_abs_diff < 1e-12 and res.rmse < 1e-12


def test_exact_curve_with_table_matches_truth():
    w = load_waltons()
    arm = w[w.group == "control"]
    t, e = arm["T"].to_numpy(float), arm["E"].to_numpy()
    ticks = np.arange(0, 80, 10.0)
    table = pd.DataFrame({"time": ticks, "n_at_risk": n_at_risk(t, ticks)})
    res = reconstruct_guyot(_corners(t, e), at_risk=table)
    assert res.n == len(t) and list(res.ipd.columns) == ["time", "event"]
    assert res.ipd.time.is_monotonic_increasing
    np.testing.assert_array_equal(res.at_risk.reconstructed, res.at_risk.printed)
    truth = kaplan_meier(t, e)
    rec = kaplan_meier(res.ipd.time, res.ipd.event)
    grid = np.linspace(0, t.max(), 500)
    # One patient at most at each drop: the largest step of this curve is 12/14.
    assert np.max(np.abs(survival_at(rec, grid) - survival_at(truth, grid))) < 0.03
    # Censorings are spread evenly where the truth had them late in 60-70: a few
    # events fewer are needed for the same drops.
    assert abs(res.events - e.sum()) <= 0.05 * e.sum()


def test_small_benchmark_case_meets_the_targets():
    """One real case (lifelines' waltons), two seeds, through the benchmark's code."""
    bench = _load("guyot")
    w = load_waltons()
    t, e = w["T"].to_numpy(float), w["E"].to_numpy(int)
    arm = (w["group"] == "miR-137").to_numpy(int)
    for seed in (0, 1):
        rows = {(r["mode"], r["method"]): r
                for r in bench.evaluate(t, e, arm, seed=seed, modes=("table",))}
        new = rows[("table", "new")]
        assert new["add"] <= 0.01
        assert new["dlnHR"] <= 0.05
        assert new["n_ok"] == 1


def test_no_table_states_its_assumption_and_matches_events():
    w = load_waltons()
    arm = w[w.group == "control"]
    dig = digitize_km(arm["T"], arm["E"], rng=np.random.default_rng(3))
    res = reconstruct_guyot(dig.curve, n=dig.n)
    assert res.n == dig.n and any("nobody censored" in a for a in res.assumptions)
    res = reconstruct_guyot(dig.curve, n=dig.n, total_events=dig.events)
    assert res.n == dig.n and abs(res.events - dig.events) <= 1
    assert any(f"total {dig.events}" in a for a in res.assumptions)
    assert res.to_frame().equals(res.ipd) and res.to_frame() is not res.ipd


def test_deterministic():
    w = load_waltons()
    arm = w[w.group == "miR-137"]
    dig = digitize_km(arm["T"], arm["E"], rng=np.random.default_rng(5))
    a = reconstruct_guyot(dig.curve, at_risk=dig.at_risk)
    b = reconstruct_guyot(dig.curve, at_risk=dig.at_risk)
    pd.testing.assert_frame_equal(a.ipd, b.ipd)


# --- cleaning ------------------------------------------------------------------------

def test_cleaning_repairs_and_records():
    curve = pd.DataFrame({"time": [0.0, 2.0, 1.0, 3.0, 3.0, 4.0, 5.0],
                          "survival": [100.4, 90.0, 95.0, 80.0, 80.0, 81.0, 70.0]})
    clean = clean_curve(curve, percent=True)
    np.testing.assert_allclose(clean.time, [0, 1, 2, 3, 4, 5])
    # The rise to 81 is pooled with the two 80s before it (least squares).
    np.testing.assert_allclose(clean.survival, [1, 0.95, 0.9, 2.41 / 3, 2.41 / 3, 0.7])
    reasons = " ".join(c.reason for c in clean.changes)
    for word in ("outside [0, 1]", "out of order", "rises", "duplicate"):
        assert word in reasons
    assert np.all(np.diff(clean.survival) <= 0)


def test_curve_not_starting_at_one_gets_a_start_point():
    clean = clean_curve(np.array([[1.0, 0.9], [2.0, 0.8]]))
    assert clean.time[0] == 0 and clean.survival[0] == 1
    assert clean.changes[-1].index is None


@pytest.mark.parametrize("curve, percent, column, index, match", [
    ([[0, 1.0], [1, 1.5]], False, "survival", 1, "above 1"),
    ([[0, 100], [1, 90]], False, "survival", 0, "percent=True for 0-100"),
    ([[0, 1.0], [-5, 0.9]], False, "time", 1, "below 0"),
    ([[0, 1.0], [1, -0.2]], False, "survival", 1, "below 0"),
])
def test_bad_curves_are_named(curve, percent, column, index, match):
    with pytest.raises(CurveError, match=match) as err:
        clean_curve(np.array(curve, float), percent=percent)
    assert (err.value.column, err.value.index) == (column, index)


def test_bad_tables_are_named():
    curve = np.array([[0, 1], [5, 0.5], [10, 0.4]], float)
    with pytest.raises(CurveError, match="increase") as err:
        reconstruct_guyot(curve, at_risk=np.array([[0, 10], [4, 6], [8, 7]]))
    assert (err.value.index, err.value.column) == (2, "n_at_risk")
    with pytest.raises(CurveError, match="below the first number at risk"):
        reconstruct_guyot(curve, at_risk=np.array([[2, 10], [4, 6]]), n=8)
    with pytest.raises(CurveError, match="give n"):
        reconstruct_guyot(curve)
    with pytest.raises(CurveError, match="missing column 'n_at_risk'"):
        reconstruct_guyot(curve, at_risk=pd.DataFrame({"time": [0], "n": [3]}))


# --- command line ----------------------------------------------------------------------

def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_writes_n_sorted_rows(tmp_path, capsys):
    ex = ROOT / "data" / "examples"
    out = tmp_path / "ipd.csv"
    code = main(["reconstruct", "guyot", "--curve", str(ex / "lung_women_curve.csv"),
                 "--at-risk", str(ex / "lung_women_at_risk.csv"), "--n", "90", "--percent",
                 "--out", str(out)])
    assert code == 0
    ipd = pd.read_csv(out)
    assert list(ipd.columns) == ["time", "event"] and len(ipd) == 90
    assert ipd.time.is_monotonic_increasing and set(ipd.event) <= {0, 1}
    text = capsys.readouterr().out
    assert "RMSE" in text and "numbers at risk" in text and "median" in text


@pytest.mark.parametrize("curve, risk, extra, where", [
    ("time,surv\n0,1\n", None, [], "curve.csv: row 1, column 'survival': missing column"),
    ("time,survival\n0,1\n1,abc\n", None, [], "curve.csv: row 3, column 'survival': not a number"),
    ("time,survival\n0,1\n1,95\n", None, [], "curve.csv: row 3, column 'survival': survival 95"),
    ("", None, [], "curve.csv: empty file"),
    ("time,survival\n0,1\n1,0.5\n", "time,n_at_risk\n0,10\n1,12\n", [],
     "risk.csv: row 3, column 'n_at_risk': numbers at risk increase"),
    ("time,survival\n0,1\n1,0.5\n", "time,n_at_risk\n0.5,10\n", ["--n", "8"],
     "risk.csv: row 2, column 'n_at_risk': n = 8 is below"),
])
def test_cli_bad_input_is_one_line_and_leaves_no_file(tmp_path, capsys, curve, risk, extra,
                                                      where):
    args = ["reconstruct", "guyot", "--curve", _write(tmp_path / "curve.csv", curve),
            "--out", str(tmp_path / "ipd.csv")]
    if risk is not None:
        args += ["--at-risk", _write(tmp_path / "risk.csv", risk)]
    args += extra or ["--n", "10"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and where in err and "Traceback" not in err
    assert not (tmp_path / "ipd.csv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ipd")] == []


@pytest.mark.parametrize("seed", range(6))
def test_every_patient_is_accounted_for(seed):
    w = load_waltons()
    for group in ("control", "miR-137"):
        arm = w[w.group == group]
        dig = digitize_km(arm["T"], arm["E"], rng=np.random.default_rng(seed))
        for kw in (dict(at_risk=dig.at_risk), dict(n=dig.n, total_events=dig.events),
                   dict(n=dig.n)):
            res = reconstruct_guyot(dig.curve, **kw)
            assert res.n == dig.n, (group, kw.keys())
            assert res.ipd.time.is_monotonic_increasing


def test_cli_bad_arguments_are_one_line(tmp_path, capsys):
    curve = _write(tmp_path / "curve.csv", "time,survival\n0,1\n1,0.5\n")
    out = str(tmp_path / "ipd.csv")
    with pytest.raises(SystemExit) as exit_:
        main(["reconstruct", "guyot", "--curve", curve, "--n", "abc", "--out", out])
    assert exit_.value.code == 2
    assert main(["reconstruct", "guyot", "--curve", curve, "--n", "4", "--events", "9",
                 "--out", out]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "error: reconstruct guyot: argument --n: must be a whole number, got 'abc'"
    assert err[1] == "error: --events: 9 events but only 4 patients"
    assert not (tmp_path / "ipd.csv").exists()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 1)), min_size=2, max_size=40),
       st.integers(1, 300), st.data())
def test_any_clean_enough_curve_gives_n_sorted_rows(points, n, data):
    """Whatever the clicks, the IPD has n rows, sorted, events 0/1, inside the
    follow-up."""
    curve = np.array(points)
    if curve[:, 0].max() == 0:
        with pytest.raises(CurveError, match="after time 0"):
            reconstruct_guyot(curve, n=n)
        return
    events = data.draw(st.none() | st.integers(0, n))
    res = reconstruct_guyot(curve, n=n, total_events=events)
    assert res.n == n and res.ipd.time.is_monotonic_increasing
    assert set(res.ipd.event.unique()) <= {0, 1}
    assert res.ipd.time.min() >= 0 and res.ipd.time.max() <= res.curve.time[-1]
