"""Reports of every class that real papers print, each met by every ensemble member.

One small spec per class (horizon beyond the printed maximum follow-up, late and
unreached medians, crossing curves, a printed P without χ², a printed hazard ratio
with its CI, n >= 1000). Each member is checked at printed precision with lifelines
and numpy, not with the project's own Kaplan-Meier or log-rank code. Impossible specs
get the feasibility verdict before any sampling.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

from analysis.cli import main
from analysis.ensemble.constraints import Constraints, InfeasibleSpec
from analysis.ensemble.pipeline import build
from analysis.ensemble.spec import load_spec
from analysis.printed import parse_printed
from survival_checks import check_member as _check_member


def _spec(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return load_spec(path)


def _check_ensemble(spec, draws: int) -> pd.DataFrame:
    rec = build(spec, draws=draws, seed=3, verdict_tries=0, workers=1)
    ens = rec.summary.ensemble_ipd
    assert ens["member"].nunique() == draws
    for _, g in ens.groupby("member"):
        _check_member(spec, g.drop(columns="member"))
    return rec.summary.members


_HEAD = 'time_unit = "month"\nresolution = "day"\n'

# A 3-year planned follow-up, observed only up to 20 months (the horizon is past the
# printed maximum); landmark at 18 months.
BEYOND = _HEAD + """
[study]
horizon = { value = "3", unit = "year" }
[arms.a]
n = "45"
[arms.b]
n = "45"
[follow_up]
min = "1"
max = "20"
median = "10"
[endpoints.os]
median.a = "13.5"
median.b = "8.2"
logrank_chi2 = "4.120"
logrank_p = "0.042"
better = "a"
[summary]
landmarks = ["6", "18"]
"""

# A late median in one arm, not reached in the other, horizon far past follow-up.
LATE = _HEAD + """
[study]
horizon = { value = "25", unit = "year" }
[arms.a]
n = "60"
[arms.b]
n = "58"
[follow_up]
max = "77"
median = "40"
[endpoints.os]
median.a = "NR"
median.b = "61.3"
logrank_chi2 = "3.310"
logrank_p = "0.069"
better = "a"
[summary]
landmarks = ["36", "72"]
"""

# Log-rank χ² about 0 with medians 6 and 10 months apart: the curves must cross.
CROSSING = _HEAD + """
[study]
horizon = { value = "36", unit = "month" }
[arms.a]
n = "50"
[arms.b]
n = "50"
[follow_up]
max = "36"
[endpoints.os]
median.a = "6.0"
median.b = "10.0"
logrank_chi2 = "0.008"
logrank_p = "0.929"
[summary]
landmarks = ["6", "30"]
"""

# A printed P (no χ²) and a printed hazard ratio with its 95 % CI.
HR_AND_P = _HEAD + """
[study]
horizon = { value = "24", unit = "month" }
[arms.a]
n = "40"
[arms.b]
n = "40"
[endpoints.os]
median.a = "14.0"
median.b = "9.0"
logrank_p = "0.03"
hr = "0.55"
hr_lower = "0.32"
hr_upper = "0.95"
better = "a"
"""

# n >= 1000 with both medians not reached and only P printed: nothing pins the
# number of events.
LARGE = """time_unit = "month"
resolution = "week"
[study]
horizon = { value = "24", unit = "month" }
[arms.a]
n = "520"
[arms.b]
n = "510"
[follow_up]
max = "24"
[endpoints.os]
median.a = "NR"
median.b = "NR"
logrank_p = "0.004"
better = "a"
"""


def test_horizon_beyond_printed_maximum(tmp_path):
    spec = _spec(tmp_path, "beyond", BEYOND)
    assert spec.horizon == 36 and spec.follow_up_cap == 20.5 and spec.span == 20.5
    _check_ensemble(spec, 2)


def test_a_horizon_equal_to_the_rounded_maximum_does_not_cut_follow_up(tmp_path):
    # A maximum printed as "2" months allows up to 2.5; a horizon printed as the same
    # "2" must not censor everyone at 2.0 (lifelines' waltons flies are followed to
    # 2.46 months). A printed planned follow-up of 2 months does cap it at 2.0.
    text = BEYOND.replace('{ value = "3", unit = "year" }', '{ value = "20", unit = "month" }')
    spec = _spec(tmp_path, "rounded", text)
    assert spec.horizon == 20 and spec.follow_up_cap == 20.5 and spec.span == 20
    from analysis.ensemble.prior import draw_hyper, draw_patients

    rng = np.random.default_rng(1)
    arm = np.repeat([0, 1], 2000)
    cens = draw_patients(spec, draw_hyper(spec, rng), arm, rng).cens * spec.tick
    assert 20 < cens.max() <= 20.5
    planned = _spec(tmp_path, "planned", text.replace(
        "[arms.a]", 'planned_follow_up = { value = "20", unit = "month" }\n[arms.a]'))
    assert planned.follow_up_cap == 20
    cens = draw_patients(planned, draw_hyper(planned, rng), arm, rng).cens * planned.tick
    assert cens.max() <= 20 + planned.tick


def test_late_and_unreached_medians(tmp_path):
    _check_ensemble(_spec(tmp_path, "late", LATE), 2)


def test_crossing_curves(tmp_path):
    spec = _spec(tmp_path, "crossing", CROSSING)
    rec = build(spec, draws=2, seed=3, verdict_tries=0, workers=1)
    for _, g in rec.summary.ensemble_ipd.groupby("member"):
        _check_member(spec, g.drop(columns="member"))
        a = (g["arm"] == "a").to_numpy()
        kms = [KaplanMeierFitter().fit(g["os_time"][m], g["os_event"][m]) for m in (a, ~a)]
        grid = np.linspace(0.5, 20, 40)
        diff = kms[0].survival_function_at_times(grid).to_numpy() \
            - kms[1].survival_function_at_times(grid).to_numpy()
        assert diff.min() < 0 < diff.max()  # a is below b at the medians, above later


def test_printed_p_without_chi2_and_hazard_ratio_with_ci(tmp_path):
    _check_ensemble(_spec(tmp_path, "hr", HR_AND_P), 2)


def test_large_trial_with_both_medians_not_reached(tmp_path):
    spec = _spec(tmp_path, "large", LARGE)
    assert spec.n_total >= 1000
    _check_ensemble(spec, 1)


@pytest.mark.parametrize("edit, constraint", [
    (('median.b = "8.2"', 'median.b = "22.0"'), "os median (b)"),  # past the maximum 20
    (('median = "10"', 'median = "25"'), "follow-up median"),  # median beyond the maximum
])
def test_impossible_spec_gets_the_verdict_in_seconds(tmp_path, capsys, edit, constraint):
    path = tmp_path / "impossible.toml"
    path.write_text(BEYOND.replace(*edit))
    start = time.perf_counter()
    with pytest.raises(InfeasibleSpec) as err:
        Constraints(load_spec(path))
    assert err.value.constraint == constraint and err.value.reason == "contradiction"
    assert main(["reconstruct", "summary", "--spec", str(path), "--draws", "5",
                 "--out", str(tmp_path / "out")]) == 1
    assert time.perf_counter() - start < 10
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1 and str(path) in message


def test_hazard_ratio_on_the_wrong_side_is_a_contradiction(tmp_path):
    path = tmp_path / "wrong.toml"
    path.write_text(HR_AND_P.replace('hr = "0.55"', 'hr = "1.55"')
                    .replace('hr_upper = "0.95"', 'hr_upper = "1.95"'))
    with pytest.raises(InfeasibleSpec, match="other arm"):
        Constraints(load_spec(path))


def test_printed_numbers_unchanged_by_the_parser(tmp_path):
    spec = _spec(tmp_path, "late", LATE)
    assert spec.endpoint("os").medians["a"].not_reached
    assert spec.follow_up.max.printed == parse_printed("77")
    assert spec.follow_up_cap == 77.5 and spec.landmarks == (36.0, 72.0)


def test_identification_names_what_the_printed_numbers_set(tmp_path):
    # A printed HR of 0.55 (to 2 decimals) leaves the ensemble's HR band inside
    # [0.545, 0.555], far narrower than the prior's: "printed". The JSON says so.
    from analysis.ensemble.pipeline import summary_json

    spec = _spec(tmp_path, "hr", HR_AND_P)
    rec = build(spec, draws=6, seed=3, verdict_tries=0, workers=1)
    hr = rec.summary.bands.query("quantity == 'hr'").iloc[0]
    assert 0.545 <= hr["p05"] <= hr["p95"] <= 0.555
    assert hr["prior_p95"] / hr["prior_p05"] > 1.2 and hr["identified_by"] == "printed"
    doc = summary_json(rec)
    assert "hr" in doc["identification"]["os"]["printed"]
    assert doc["endpoints"]["os"]["hr"]["identified_by"] == "printed"
    assert doc["span"] == 24 and doc["follow_up_cap"] == 24
    # what the printed numbers alone imply, beside the Cox band
    assert set(doc["endpoints"]["os"]["hr_logrank"]) >= {"p05", "p50", "p95"}
    bound = doc["endpoints"]["os"]["hr_all_events"]
    assert bound["events"] == spec.n_total and hr["p95"] < bound["hr"] < 1


@pytest.mark.parametrize("text", [BEYOND, HR_AND_P], ids=["medians-and-follow-up", "hr-with-ci"])
def test_a_capped_evaluation_stops_only_past_its_cap(tmp_path, text):
    """The sampler caps evaluations (:meth:`Constraints.evaluate`): a data set within
    the cap gets exactly the uncapped loss and violations, one past it ``(inf, None)``;
    ``looser`` is asked once, only when the cap is first passed."""
    from analysis.ensemble.prior import draw_hyper, draw_patients

    spec = _spec(tmp_path, "capped", text)
    cons = Constraints(spec)
    rng = np.random.default_rng(5)
    arm = np.repeat([0, 1], spec.n)
    for _ in range(30):
        pat = draw_patients(spec, draw_hyper(spec, rng), arm, rng)
        # a Cox fit starts where the endpoint's last one ended (Constraints.cox_start):
        # from the same start the numbers are the same to the bit, from another to 1e-12
        cons.cox_start.clear()
        loss, viol = cons.evaluate(pat)
        warm = cons.violations(cons.statistics(pat)).sum()
        assert warm == pytest.approx(loss, rel=1e-12, abs=1e-12)
        cons.cox_start.clear()
        assert loss == pytest.approx(cons.violations(cons.statistics(pat)).sum(), abs=0)
        for cap in (0.0, loss / 2, loss, 2 * loss + 1):
            cons.cox_start.clear()
            got, got_viol = cons.evaluate(pat, cap=cap)
            if loss <= cap:
                assert got == loss and np.array_equal(got_viol, viol)
            else:
                assert got == np.inf and got_viol is None
        asked = []
        cons.cox_start.clear()
        got, _ = cons.evaluate(pat, cap=loss / 2, looser=lambda: asked.append(1) or loss)
        # an infinite loss (no hazard ratio: one arm's events all before the other's
        # first, a draw the prior gives rarely) has an infinite cap here, never passed
        assert got == loss and len(asked) == (0 < loss < np.inf)


@pytest.mark.parametrize("text", [BEYOND, HR_AND_P], ids=["log-rank", "hr-with-ci"])
def test_a_polish_move_reports_the_data_set_it_leaves(tmp_path, text):
    """The sampler keeps the loss and violations a polish move returns instead of
    evaluating again: they must be those of the data set it leaves, never higher
    than before, with each patient's times still in order."""
    from analysis.ensemble.prior import draw_hyper, draw_patients
    from analysis.ensemble.sampler import _polish

    spec = _spec(tmp_path, "polish", text)
    cons = Constraints(spec)
    rng = np.random.default_rng(8)
    arm = np.repeat([0, 1], spec.n)
    targets = [c[0] for c in cons.logrank + cons.hazard]
    moved = 0
    for _ in range(20):
        pat = draw_patients(spec, draw_hyper(spec, rng), arm, rng)
        loss, viol = cons.evaluate(pat)
        for _ in range(10):
            if viol[targets].sum() == 0:
                break
            new, new_viol = _polish(cons, pat, viol, loss, rng)
            again, again_viol = cons.evaluate(pat)
            # the same to 1e-12: a Cox fit starts where the last one ended (cox_start)
            assert new == pytest.approx(again, rel=1e-12, abs=1e-12)
            assert np.allclose(new_viol, again_viol, rtol=1e-12, atol=1e-12)
            assert new <= loss
            moved += new < loss
            loss, viol = new, new_viol
        assert np.all(pat.time[0] <= pat.cens)
    assert moved > 20  # the polish does lower the loss
