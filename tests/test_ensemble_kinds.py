"""Endpoint kinds of the survival spec (docs/survival-spec.md, "Endpoint kinds").

Each kind is checked twice against lifelines: the prior's patients, drawn with
constant hazards, have the Kaplan-Meier median that the kind's definition gives
analytically (ln 2 over the hazard of what ends the endpoint); and an ensemble built
from the printed numbers of a synthetic report of that kind (its data simulated here
with numpy, its numbers, OS's hazard ratio and CI among them, computed with
lifelines) meets every number in every member, with each patient's times ordered as
the kind says. Bad kinds get one line naming the field.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test as ll_logrank

from analysis.cli import main
from analysis.ensemble.pipeline import build
from analysis.ensemble.prior import Hyper, draw_patients
from analysis.ensemble.spec import DAYS_PER_MONTH, load_spec
from analysis.errors import InputError
from survival_checks import check_member, km_median

KINDS = ("event_or_death", "death_censored", "separate")
DEATH, OWN = 0.03, 0.05  # per month: the outer event's hazard and the second event's own


def _spec_text(kind: str, *, os: dict | None = None, rec: dict | None = None) -> str:
    """A two-arm spec with OS and a second endpoint ``rec`` of ``kind``; ``os``/``rec``
    map printed keys to strings."""
    nested = "" if kind == "separate" else 'nested_in = "os"\n'
    lines = lambda d: "".join(f'{k} = "{v}"\n' for k, v in (d or {}).items())
    return (f'time_unit = "month"\n[study]\nhorizon = "48"\n'
            f'[arms.new]\nn = "60"\n[arms.old]\nn = "60"\n'
            f'[endpoints.os]\n{lines(os)}'
            f'[endpoints.rec]\nkind = "{kind}"\n{nested}{lines(rec)}')


def _ordered_as_declared(kind: str, t0, e0, tk, ek, cens=None) -> None:
    if kind == "event_or_death":  # the first of its event and death
        assert (tk <= t0).all() and ek[e0].all()
        assert (tk[~ek] == t0[~ek]).all()
    elif kind == "death_censored":  # its event before death; censored at death
        assert (tk <= t0).all()
        assert (tk[~ek] == t0[~ek]).all()
    else:  # its own event, censored at the end of follow-up only
        assert cens is None or (tk <= cens).all()
        assert ((tk > t0) & e0).any(), "a separate endpoint is never past a death"


@pytest.mark.parametrize("kind, rate", [
    ("event_or_death", DEATH + OWN),  # the first of two exponential events
    ("death_censored", OWN),  # deaths censored: the cause-specific hazard's curve
    ("separate", OWN),
])
def test_the_prior_draws_each_kind_with_its_analytic_median(tmp_path, kind, rate):
    path = tmp_path / "spec.toml"
    path.write_text(_spec_text(kind))
    spec = load_spec(path)
    # draw_hyper would give the second event the hazard that meets a printed median;
    # here the hazards are set, so the kind's median is known: ln 2 / rate
    pieces = 4
    hazard = np.empty((2, 2, pieces))
    hazard[0], hazard[1] = DEATH, OWN
    hyper = Hyper(breaks=np.linspace(0, spec.span, pieces + 1)[:-1], hazard=hazard,
                  dropout=1e-9, admin_lo=spec.follow_up_cap)
    rng = np.random.default_rng(7)
    n = 20_000
    pat = draw_patients(spec, hyper, np.zeros(n, dtype=int), rng)
    months = pat.time * spec.tick
    _ordered_as_declared(kind, pat.time[0], pat.event[0], pat.time[1], pat.event[1], pat.cens)
    got = KaplanMeierFitter().fit(months[1], pat.event[1]).median_survival_time_
    # n = 20 000: the KM median's standard error is about 1 %; 3 % is three of them
    assert got == pytest.approx(math.log(2) / rate, rel=0.03)
    os_median = KaplanMeierFitter().fit(months[0], pat.event[0]).median_survival_time_
    assert os_median == pytest.approx(math.log(2) / DEATH, rel=0.03)


def _synthetic_report(kind: str, seed: int = 11) -> tuple[dict, dict]:
    """Printed OS and second-endpoint numbers of a simulated 60 + 60 trial of ``kind``."""
    rng = np.random.default_rng(seed)
    arm = np.repeat([0, 1], 60)
    death = rng.exponential(1 / np.where(arm == 0, 0.025, 0.04))
    own = rng.exponential(1 / np.where(arm == 0, 0.05, 0.08))
    cens = rng.uniform(24, 48, arm.size)
    day = lambda x: np.maximum(1, np.round(x * DAYS_PER_MONTH)) / DAYS_PER_MONTH
    death, own, cens = day(death), day(own), day(cens)
    t0, e0 = np.minimum(death, cens), death <= cens
    if kind == "event_or_death":
        first = np.minimum(own, death)
        tk, ek = np.minimum(first, cens), first <= cens
    elif kind == "death_censored":
        tk = np.minimum(np.minimum(own, death), cens)
        ek = (own < death) & (own <= cens)
    else:
        tk, ek = np.minimum(own, cens), own <= cens
    _ordered_as_declared(kind, t0, e0, tk, ek, cens)
    printed = []
    for t, e in ((t0, e0), (tk, ek)):
        p = {f"median.{a}": f"{km_median(t[arm == i], e[arm == i]):.1f}"
             for i, a in enumerate(("new", "old"))}
        lr = ll_logrank(t[arm == 0], t[arm == 1], e[arm == 0], e[arm == 1])
        p["logrank_chi2"] = f"{lr.test_statistic:.3f}"
        p["better"] = "new"
        printed.append(p)
    # OS also prints its Cox hazard ratio with the 95 % CI, so the sampler's moves that
    # flip deaths (the CI pins the number of deaths) meet every kind's nesting
    cph = CoxPHFitter().fit(pd.DataFrame({"t": t0, "e": e0, "x": (arm == 0).astype(int)}),
                            "t", "e")
    lower, upper = np.exp(cph.confidence_intervals_.loc["x"])
    printed[0].update(hr=f"{math.exp(cph.params_['x']):.2f}", hr_lower=f"{lower:.2f}",
                      hr_upper=f"{upper:.2f}")
    return printed[0], printed[1]


@pytest.mark.parametrize("kind", KINDS)
def test_an_ensemble_of_each_kind_meets_every_number_as_lifelines_computes_it(tmp_path, kind):
    os, rec = _synthetic_report(kind)
    path = tmp_path / "spec.toml"
    path.write_text(_spec_text(kind, os=os, rec=rec))
    spec = load_spec(path)
    rec_run = build(spec, draws=3, seed=5, verdict_tries=0, workers=1)
    ens = rec_run.summary.ensemble_ipd
    assert ens["member"].nunique() == 3
    for _, g in ens.groupby("member"):
        g = g.drop(columns="member")
        check_member(spec, g)
        _ordered_as_declared(kind, g["os_time"].to_numpy(), g["os_event"].to_numpy(bool),
                             g["rec_time"].to_numpy(), g["rec_event"].to_numpy(bool))


@pytest.mark.parametrize("edit, key, words", [
    (('kind = "death_censored"', 'kind = "competing"'), "endpoints.rec.kind",
     "must be one of overall, event_or_death, death_censored, separate"),
    (('nested_in = "os"\n', ''), "endpoints.rec.kind", "needs nested_in"),
    (('kind = "death_censored"\n', 'kind = "separate"\n'), "endpoints.rec.kind",
     "cannot have nested_in"),
    (('kind = "death_censored"\nnested_in = "os"\n', ''), "endpoints",
     'kind = "separate"'),
])
def test_a_bad_kind_gets_one_line_naming_the_field(tmp_path, capsys, edit, key, words):
    path = tmp_path / "bad.toml"
    text = _spec_text("death_censored").replace(*edit)
    assert text != _spec_text("death_censored")
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_spec(path)
    assert f"'{key}'" in str(err.value) and words in str(err.value)
    out = tmp_path / "out"
    assert main(["reconstruct", "summary", "--spec", str(path), "--draws", "1",
                 "--out", str(out)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_report_without_kinds_keeps_its_nesting(tmp_path):
    """Specs written before kinds existed: nested_in alone is progression or death."""
    path = tmp_path / "spec.toml"
    path.write_text(_spec_text("event_or_death").replace('kind = "event_or_death"\n', ''))
    assert [ep.kind for ep in load_spec(path).endpoints] == ["overall", "event_or_death"]


def test_a_progression_median_past_the_overall_one_is_a_warning_not_an_error(tmp_path, capsys):
    """Kaplan-Meier curves of nested endpoints can cross where few are at risk (an arm
    of 7: the last death drops OS to 0 while PFS stays at 0.75), so only a warning."""
    path = tmp_path / "spec.toml"
    path.write_text(_spec_text("event_or_death", os={"median.new": "20", "median.old": "16"},
                               rec={"median.new": "22", "median.old": "NR",
                                    "hr": "0.3", "hr_lower": "0.5", "hr_upper": "0.9"}))
    spec = load_spec(path)
    assert [key for key, _ in spec.implausible()] == [
        "endpoints.rec.median.new", "endpoints.rec.median.old"]
    # the contradictory CI then stops the run before sampling: two lines, nothing written
    out = tmp_path / "out"
    assert main(["reconstruct", "summary", "--spec", str(path), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("warning:") and "'endpoints.rec.median.new'" in err[0]
    assert err[2].startswith("error:") and "'endpoints.rec.hr_lower'" in err[2] \
        and "inside its CI" in err[2]
    assert len(err) == 3 and not out.exists()
    # nested with deaths censored, the same medians draw no warning
    path.write_text(path.read_text().replace('"event_or_death"', '"death_censored"'))
    assert load_spec(path).implausible() == []
