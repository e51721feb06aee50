"""What papers print beyond medians and tests (issue #31): a unit on each time, events per
arm and endpoint, Kaplan-Meier rates at landmarks; and what the command says about them.

The reports are simulated here with numpy and their printed numbers computed with
lifelines, never with the project's own estimators; every accepted data set is then
checked against them with lifelines too.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test as ll_logrank

from analysis.cli import main
from analysis.ensemble.pipeline import build
from analysis.ensemble.spec import DAYS_PER_MONTH, load_spec
from analysis.errors import InputError
from survival_checks import check_member, km_median

ARMS = ("new", "old")


def simulate(seed: int = 3, n: int = 70, hazards=(0.06, 0.09), accrual=(12, 36)):
    """A two-arm trial in whole days: ``(arm, time in months, event)``; exponential deaths
    (per month), censoring by staggered entry (potential follow-up uniform on
    ``accrual`` months)."""
    rng = np.random.default_rng(seed)
    arm = np.repeat([0, 1], n)
    death = rng.exponential(1 / np.asarray(hazards)[arm])
    cens = rng.uniform(*accrual, arm.size)
    day = lambda x: np.maximum(1, np.round(x * DAYS_PER_MONTH)) / DAYS_PER_MONTH
    death, cens = day(death), day(cens)
    return arm, np.minimum(death, cens), death <= cens


def rate_at(t, e, when: float) -> float:
    """lifelines' Kaplan-Meier survival at ``when`` (an event at ``when`` counts)."""
    return float(KaplanMeierFitter().fit(t, e).survival_function_at_times(when).iloc[0])


def printed_report(arm, t, e, *, marks=(6, 12), days=True) -> str:
    """The spec a paper would print: n, deaths and landmark rates (to 0.1 %) per arm,
    medians, log-rank P, follow-up range and median (in days when ``days``)."""
    lines = ['time_unit = "month"', "[study]", 'horizon = { value = "3", unit = "years" }']
    for i, a in enumerate(ARMS):
        lines += [f"[arms.{a}]", f'n = "{int((arm == i).sum())}"']
    conv = DAYS_PER_MONTH if days else 1.0
    unit = ', unit = "days"' if days else ""
    lines += ["[follow_up]"] + [
        f'{key} = {{ value = "{round(x * conv):d}"{unit} }}'
        for key, x in (("min", t.min()), ("max", t.max()), ("median", np.median(t)))]
    lr = ll_logrank(t[arm == 0], t[arm == 1], e[arm == 0], e[arm == 1])
    lines += ["[endpoints.os]", f'logrank_p = "{lr.p_value:.3f}"']
    for i, a in enumerate(ARMS):
        m = km_median(t[arm == i], e[arm == i])
        lines += [f'median.{a} = "{"NR" if math.isinf(m) else f"{m:.1f}"}"',
                  f'events.{a} = "{int(e[arm == i].sum())}"']
    for when in marks:
        lines += ["[[endpoints.os.survival]]", f'time = "{when}"'] + [
            f'{a} = "{100 * rate_at(t[arm == i], e[arm == i], when):.1f}%"'
            for i, a in enumerate(ARMS)]
    return "\n".join(lines) + "\n"


def check_printed(spec, g) -> None:
    """Events and landmark rates of one member, recomputed with lifelines."""
    first = (g["arm"] == spec.arms[0]).to_numpy()
    for ep in spec.endpoints:
        t, e = g[f"{ep.name}_time"].to_numpy(), g[f"{ep.name}_event"].to_numpy()
        for arm, mask in zip(spec.arms, (first, ~first)):
            if arm in ep.events:
                assert ep.events[arm].printed.contains(e[mask].sum()), (arm, e[mask].sum())
            for mark in ep.survival:
                if arm in mark.rates:
                    got = rate_at(t[mask], e[mask], mark.time)
                    assert mark.rates[arm].printed.contains(got), (arm, mark.time, got)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("printed") / "spec.toml"
    path.write_text(printed_report(*simulate()))
    return path


def test_units_are_read_on_every_time(report):
    spec = load_spec(report)
    arm, t, e = simulate()
    # follow-up printed in whole days, read in months at a day's precision
    assert spec.follow_up.max.printed.interval == pytest.approx(
        ((round(t.max() * DAYS_PER_MONTH) - 0.5) / DAYS_PER_MONTH,
         (round(t.max() * DAYS_PER_MONTH) + 0.5) / DAYS_PER_MONTH))
    assert spec.horizon == 36
    assert [m.time for m in spec.endpoints[0].survival] == [6, 12]
    # the printed landmark times are summarised too
    assert {6, 12} <= set(spec.landmarks)


def test_days_read_as_months_used_to_end_in_a_traceback(tmp_path, capsys):
    """Issue #31: follow-up printed in days with a unit was read as months (the unit was
    ignored) and the run ended in a ZeroDivisionError; an unknown unit is one line."""
    arm, t, e = simulate()
    path = tmp_path / "spec.toml"
    path.write_text(printed_report(arm, t, e).replace('unit = "days"', 'unit = "fortnights"', 1))
    with pytest.raises(InputError) as err:
        load_spec(path)
    assert "'follow_up.min.unit'" in str(err.value) and "fortnights" in str(err.value)
    assert main(["reconstruct", "summary", "--spec", str(path), "--out",
                 str(tmp_path / "out")]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("edit, key", [
    (('events.new = "', 'events.new = { value = "', 1), "endpoints.os.events.new"),
    (('n = "70"', 'n = { value = "70", unit = "day" }', 1), "arms.new.n.unit"),
    (('events.new = "', 'events.new = "1', 1), "endpoints.os.events.new"),
    (('time = "6"', 'time = "6"\nlate = "3%"', 1), "endpoints.os.survival[0].late"),
    (('time = "6"', 'when = "6"', 1), "endpoints.os.survival[0].time"),
    (('%"', '"', 1), "endpoints.os.survival[0].new"),
    (('time = "12"', 'time = "6"', 1), "endpoints.os.survival[1].time"),
    (('value = "3", unit = "years"', 'value = "3", units = "years"', 1), "study.horizon.units"),
    (('min = { value = "', 'min = { value = "-', 1), "follow_up.min"),
])
def test_a_bad_printed_value_gets_one_line_naming_its_key(tmp_path, capsys, edit, key):
    arm, t, e = simulate()
    text = printed_report(arm, t, e)
    bad = text.replace(*edit)
    if edit[0].startswith("events.new") and edit[1].endswith('{ value = "'):
        bad = bad.replace('{ value = "' + str(int(e[arm == 0].sum())) + '"',
                          '{ value = "' + str(int(e[arm == 0].sum())) + '", unit = "day" }', 1)
        key = "endpoints.os.events.new.unit"
    assert bad != text
    path = tmp_path / "bad.toml"
    path.write_text(bad)
    with pytest.raises(InputError) as err:
        load_spec(path)
    assert f"'{key}'" in str(err.value)
    assert main(["reconstruct", "summary", "--spec", str(path), "--out",
                 str(tmp_path / "out")]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_rates_that_contradict_a_median_are_refused_before_sampling(tmp_path, capsys):
    arm, t, e = simulate()
    text = printed_report(arm, t, e, marks=(6,))
    six = f'new = "{100 * rate_at(t[arm == 0], e[arm == 0], 6):.1f}%"'
    # a 6-month survival under one half, with the median printed past 6 months
    assert km_median(t[arm == 0], e[arm == 0]) > 6 and text.count(six) == 1
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(six, 'new = "40.0%"'))
    assert main(["reconstruct", "summary", "--spec", str(path), "--out",
                 str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'endpoints.os.survival[0].new'" in err[0] and "median" in err[0]
    assert not (tmp_path / "out").exists()


def test_every_member_reproduces_printed_events_and_landmark_rates(report):
    """lifelines on each accepted data set gives every printed number: events per arm,
    KM rates at 6 and 12 months to 0.1 %, medians, log-rank P, follow-up in days."""
    spec = load_spec(report)
    rec = build(spec, draws=4, seed=3, verdict_tries=0, workers=1)
    ens = rec.summary.ensemble_ipd
    assert ens["member"].nunique() == 4
    for _, g in ens.groupby("member"):
        # times are written in months to 1e-6; recorded in whole days, they are days again
        g = g.drop(columns="member").assign(
            os_time=lambda d: np.round(d["os_time"] * DAYS_PER_MONTH) / DAYS_PER_MONTH)
        check_member(spec, g)
        check_printed(spec, g)


def load_spec_text(tmp_path, text):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return load_spec(path)


HR_FAR = """time_unit = "month"
[study]
horizon = "36"
[arms.new]
n = "70"
[arms.old]
n = "70"
[follow_up]
max = "34"
[endpoints.os]
median.new = "13.3"
median.old = "6.0"
hr = "1.02"
hr_lower = "0.70"
hr_upper = "1.49"
"""


def test_a_printed_hazard_ratio_the_prior_cannot_reach_is_named(tmp_path):
    """Medians of 13.3 and 6.0 months put the prior's hazard ratio near their ratio
    (exponential: 6.0 / 13.3 = 0.45); a printed 1.02 lies outside its band, and the
    summary says so with both numbers instead of calling the band the prior's."""
    from analysis.ensemble.summarize import conflict_text, prior_conflicts, prior_statistics

    spec = load_spec_text(tmp_path, HR_FAR)
    prior = prior_statistics(spec, draws=60, seed=1)
    p05, p95 = np.quantile(prior["os.hr"], [0.05, 0.95])
    assert p95 < 1.015  # the printed interval [1.015, 1.025] is above the prior's band
    found = {c["key"]: c for c in prior_conflicts(spec, prior)}
    assert {"endpoints.os.hr", "endpoints.os.hr_lower"} <= set(found)
    text = conflict_text(spec, found["endpoints.os.hr"], met=False)
    assert text == f"the printed Overall survival hazard ratio 1.02 lies outside the prior's {p05:.2f}–{p95:.2f}"


def test_a_printed_number_inside_the_prior_band_is_no_conflict(report):
    from analysis.ensemble.summarize import prior_conflicts, prior_statistics

    spec = load_spec(report)
    assert prior_conflicts(spec, prior_statistics(spec, draws=40, seed=1)) == []


class _Bar:
    """What the sampler's progress sees of a tqdm bar."""

    def __init__(self):
        self.n, self.postfix, self.lines, self.lang = 0, "", [], "en"

    def update(self, n):
        self.n += n

    def set_postfix_str(self, text):
        self.postfix = text

    def write(self, line, file=None):
        self.lines.append(line)


def test_progress_names_the_printed_number_rejecting_most_tries_once(report):
    from analysis.ensemble.constraints import Constraints
    from analysis.ensemble.progress import LOW_AFTER, Progress

    spec = load_spec(report)
    bar = _Bar()
    prog = Progress(bar, Constraints(spec))
    worst = {"os survival at 12 (old)": 0, "follow-up median": 0}
    for i in range(1, 2 * LOW_AFTER):
        new = i % 10 == 0
        if not new:
            worst["os survival at 12 (old)" if i % 3 else "follow-up median"] += 1
        prog.tried(accepted=i // 10, tried=i, worst=worst, new=new)
    assert bar.n == 3 and bar.postfix == "39 tried, 8 % accepted"
    old = load_spec(report).endpoints[0].survival[1].rates["old"].text
    assert bar.lines == [
        f"only 10 % of 20 tries accepted so far; the printed number rejecting most of them: "
        f"os survival at 12 (old) (printed {old}, spec key endpoints.os.survival[1].old, "
        f"12 of 18 rejected tries)"]


def test_the_command_shows_a_bar_with_time_left():
    import io

    from analysis.ensemble.progress import progress_bar

    out = io.StringIO()
    with progress_bar(4, lang="en", file=out, disable=False) as bar:
        bar.update(1)
        bar.set_postfix_str("9 tried, 11 % accepted")
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("accepted data sets: 1/4 |") and "<" in last \
        and last.rstrip().endswith("9 tried, 11 % accepted"), last
    assert bar.lang == "en"


def test_the_fast_median_is_numpys_bit_for_bit():
    from analysis.ensemble.fast import median_of

    rng = np.random.default_rng(5)
    for _ in range(2000):
        x = rng.integers(1, 3000, int(rng.integers(1, 300)))
        assert median_of(x) == float(np.median(x))


def test_days_without_their_unit_are_refused_not_a_traceback(tmp_path, capsys):
    """Issue #31's report: follow-up printed in days, read as months without a unit
    (1599 months), ended in a ZeroDivisionError in the prior (no one alive at a median
    follow-up of 540 months); a time past 100 years is now refused, naming the key."""
    text = ('[study]\nhorizon = "60"\n[arms.new]\nn = "69"\n[arms.old]\nn = "68"\n'
            '[follow_up]\nmin = "3"\nmax = "1599"\nmedian = "540"\n'
            '[endpoints.os]\nmedian.new = "12.1"\nmedian.old = "8.3"\n')
    path = tmp_path / "days.toml"
    path.write_text(text)
    assert main(["reconstruct", "summary", "--spec", str(path), "--out",
                 str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'follow_up.max'" in err[0] and 'unit = "days"' in err[0]
    path.write_text(text.replace('max = "1599"', 'max = { value = "1599", unit = "days" }')
                    .replace('median = "540"', 'median = { value = "540", unit = "day" }')
                    .replace('min = "3"', 'min = { value = "3", unit = "days" }'))
    spec = load_spec(path)
    assert spec.follow_up.max.printed.value == pytest.approx(1599 / DAYS_PER_MONTH)
