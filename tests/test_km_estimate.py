"""analysis.km.estimate against R survival 3.5.3 and lifelines.

Reference values were produced with Rscript; the call is beside each number. R's
printed digits set the tolerance (half a unit of the last printed digit).
"""

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_waltons
from lifelines.statistics import logrank_test as ll_logrank
from lifelines.utils import restricted_mean_survival_time

from analysis.km import (kaplan_meier, km_median, logrank_test, n_at_risk, rmst,
                         survival_at)

# R: library(survival); aml  (Acute myelogenous leukaemia, Embury 1977)
AML_MAINTAINED = ([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
                  [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
AML_NONMAINTAINED = ([5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
                     [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1])


def _aml_pooled():
    t = np.array(AML_MAINTAINED[0] + AML_NONMAINTAINED[0], float)
    e = np.array(AML_MAINTAINED[1] + AML_NONMAINTAINED[1])
    g = np.array(["Maintained"] * 11 + ["Nonmaintained"] * 12)
    return t, e, g


def test_survival_and_risk_match_r_summary():
    # R: fit <- survfit(Surv(time, status) ~ x, data = aml)
    #    summary(fit, times = c(0, 10, 20, 30, 45), extend = TRUE)
    # Maintained:    n.risk 11 10 7 5 3,  survival 1.000 0.909 0.716 0.614 0.368
    # Nonmaintained: n.risk 12 8 6 4 1,   survival 1.000 0.667 0.583 0.292 0.000
    at = [0, 10, 20, 30, 45]
    for (t, e), risk, surv in [
        (AML_MAINTAINED, [11, 10, 7, 5, 3], [1.000, 0.909, 0.716, 0.614, 0.368]),
        (AML_NONMAINTAINED, [12, 8, 6, 4, 1], [1.000, 0.667, 0.583, 0.292, 0.000]),
    ]:
        km = kaplan_meier(t, e)
        np.testing.assert_array_equal(n_at_risk(t, at), risk)
        np.testing.assert_allclose(survival_at(km, at), surv, atol=0.0005)
        assert km.n == len(t) and km.events == sum(e)


def test_medians_and_rmst_match_r():
    # R: print(fit, rmean = 40): median 31 (Maintained), 23 (Nonmaintained)
    #    summary(fit, rmean = 40)$table[, "rmean"]: 28.8977272727  21.9305555556
    for (t, e), med, rm in [(AML_MAINTAINED, 31, 28.8977272727),
                            (AML_NONMAINTAINED, 23, 21.9305555556)]:
        km = kaplan_meier(t, e)
        assert km_median(km, method="midpoint") == med
        assert km_median(km, method="first_below") == med
        assert rmst(km, tau=40) == pytest.approx(rm, abs=5e-11)


def test_median_definitions_differ_on_a_flat_half():
    # R: quantile(survfit(Surv(c(1,2,3,4), c(1,1,1,1)) ~ 1), 0.5, conf.int = FALSE)  -> 2.5
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1])
    assert km_median(km, method="midpoint") == 2.5
    assert km_median(km, method="first_below") == 2.0
    # R: quantile(survfit(Surv(c(1,2,3,4), c(1,1,0,0)) ~ 1), 0.5, conf.int = FALSE)  -> 3
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])
    assert km_median(km, method="midpoint") == 3.0
    # Never reaching one half: no median (R prints NA).
    assert np.isnan(km_median(kaplan_meier([1, 2, 3], [1, 0, 0])))
    with pytest.raises(ValueError, match="method"):
        km_median(km, method="mean")


def test_logrank_matches_r_survdiff():
    # R: survdiff(Surv(time, status) ~ x, data = aml)
    #    Observed 7, 11; Expected 10.689335992, 7.310664008; Chisq 3.396388699, p= 0.065339322
    t, e, g = _aml_pooled()
    lr = logrank_test(t, e, g)
    assert lr.chisq == pytest.approx(3.396388699, abs=5e-9)
    assert lr.p == pytest.approx(0.065339322, abs=5e-10)
    assert lr.observed == (7.0, 11.0)
    assert lr.expected[0] == pytest.approx(10.689335992, abs=5e-9)
    assert lr.groups == ("Maintained", "Nonmaintained")


def test_waltons_against_r_and_lifelines():
    w = load_waltons()
    # R: w <- read.csv("waltons.csv")  (lifelines.datasets.load_waltons())
    #    survdiff(Surv(T, E) ~ group, data = w)$chisq  -> 122.249125573
    lr = logrank_test(w["T"], w["E"], w["group"])
    assert lr.chisq == pytest.approx(122.249125573, abs=5e-9)
    a, b = w[w.group == "control"], w[w.group == "miR-137"]
    ref = ll_logrank(a["T"], b["T"], event_observed_A=a["E"], event_observed_B=b["E"])
    assert lr.chisq == pytest.approx(ref.test_statistic, rel=1e-10)
    # R: f <- survfit(Surv(T, E) ~ group, data = w)
    #    summary(f, rmean = 60)$table[, c("median", "rmean")]
    #    control 58 54.3035568228;  miR-137 26 25.5882352941
    # R: summary(f, times = c(10, 30, 50))  control n.risk 127 126 97, surv 0.99224806202
    #    0.98443508515 0.76507645847
    for grp, med, rm in [("control", 58, 54.3035568228), ("miR-137", 26, 25.5882352941)]:
        d = w[w.group == grp]
        km = kaplan_meier(d["T"], d["E"])
        assert km_median(km) == med
        assert rmst(km, tau=60) == pytest.approx(rm, abs=5e-11)
        kmf = KaplanMeierFitter().fit(d["T"], d["E"])
        np.testing.assert_allclose(survival_at(km, kmf.timeline),
                                   kmf.survival_function_.iloc[:, 0].to_numpy(), rtol=1e-12)
        assert km_median(km, method="first_below") == kmf.median_survival_time_
        assert rmst(km, tau=60) == pytest.approx(restricted_mean_survival_time(kmf, t=60),
                                                 rel=1e-9)
    d = w[w.group == "control"]
    km = kaplan_meier(d["T"], d["E"])
    np.testing.assert_array_equal(n_at_risk(d["T"], [10, 30, 50]), [127, 126, 97])
    np.testing.assert_allclose(survival_at(km, [10, 30, 50]),
                               [0.99224806202, 0.98443508515, 0.76507645847], atol=5e-12)


@pytest.mark.parametrize("time, event, match", [
    ([1, 2], [1], "same length"),
    ([], [], "empty"),
    ([1, -2], [1, 0], "non-negative"),
    ([1, 2], [1, 2], "0/1"),
])
def test_bad_input_is_named(time, event, match):
    with pytest.raises(ValueError, match=match):
        kaplan_meier(time, event)
