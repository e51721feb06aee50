"""data/examples/gbsg (R's survival::gbsg, Lancet style): a raised decimal point is read as a
decimal point, and R's numbers are reproduced. tests/test_examples.py checks its planted errors."""

from __future__ import annotations

import pytest

from analysis.audit import run_audit
from harness import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "gbsg"


@pytest.fixture(scope="module")
def checks():
    return {c.id: c for c in run_audit("en", data_dir=EXAMPLE).checks}


def test_lancet_decimals_are_read(checks):
    # R: d <- read.csv("source/gbsg.csv"); wilcox.test(er ~ hormon, d, exact = FALSE, correct = FALSE)
    # p = 0.008835745 (printed "0·0088", Z "2·62")
    assert checks["table1.er.p"].reported == "0·0088"
    assert checks["table1.er.p"].verdict == "reproduced"


def test_the_hazard_ratio_of_the_summary_is_judged_from_its_own_interval(checks):
    # library(survival); summary(coxph(Surv(rfstime, status) ~ hormon, d)): HR 0.694884, 95% CI
    # 0.543844-0.887873, Wald p = 0.00360227; the Summary prints 0·69 (0·54-0·89), planted p 0·036.
    assert checks["abstract.rfs_hr.hr_ci.repeat"].verdict == "reproduced"
    p = checks["abstract.rfs_hr.p.repeat"]
    assert p.verdict == "discrepant" and p.recomputed[0] <= 0.00360227 <= p.recomputed[1]
