"""The worked example data/examples/pbc (Mayo Clinic PBC trial, R's survival::pbc): a second
paper audited from its digitized tables and its declaration alone.

Its printed numbers were computed by R (make_paper.R), three of them then replaced by planted
errors (planted.csv). The audit must reproduce every unplanted number and flag every planted
one; tests/test_examples.py also puts the planted cells back to R's values (nothing discrepant).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pytest

from analysis.audit import run_audit
from analysis.audit.model import key_of
from harness import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "pbc"
KEY = ("source", "item", "level", "arm", "quantity")


def _planted():
    with (EXAMPLE / "planted.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def report():
    return run_audit("en", data_dir=EXAMPLE)


def test_every_planted_error_is_flagged_and_every_other_number_reproduced(report):
    planted = {key_of(*(row[k] for k in KEY)) for row in _planted()}
    assert len(planted) == 3
    flagged = set()
    for c in report.checks:
        if set(c.covers) & planted:
            assert c.verdict == "discrepant", c.id
            flagged |= set(c.covers) & planted
        elif c.verdict == "not_checkable":
            assert c.method in ("log_rank", ""), c.id  # log-rank χ² and KM times need patient data
        else:
            assert c.verdict == "reproduced", c.id
    assert flagged == planted
    assert report.summary() == {"discrepant": 3, "reproduced": 49, "not_checkable": 7}


def test_rs_numbers_are_reproduced(report):
    checks = {c.id: c for c in report.checks}

    def within(check_id, r_value):
        lo, hi = (checks[check_id].recomputed if isinstance(checks[check_id].recomputed, tuple)
                  else (checks[check_id].recomputed,) * 2)
        return lo - 1e-4 <= r_value <= hi + 1e-4

    # d <- read.csv("source/pbc.csv"); t.test(age ~ trt, data = d, var.equal = TRUE)$statistic
    assert within("table1.age.t", 2.385156486)
    # w <- wilcox.test(edema ~ trt, data = d, exact = FALSE, correct = FALSE); qnorm(w$p.value / 2, lower = FALSE)
    assert within("table1.edema.z", 0.3374153385)
    # chisq.test(table(d$trt, d$status), correct = FALSE)$statistic
    assert within("table2.status.chi2", 0.2251960659)
    # survdiff(Surv(time, status == 2) ~ trt, data = d)$chisq = 0.101705474; P of the printed 0.102:
    assert checks["abstract.survival_logrank.p"].verdict == "reproduced"


def test_cli_json_and_one_line_errors():
    res = subprocess.run([sys.executable, "-m", "analysis", "audit", "--data-dir", str(EXAMPLE), "--json"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert len(json.loads(res.stdout)) == 59
    res = subprocess.run([sys.executable, "-m", "analysis", "audit", "--data-dir", str(EXAMPLE), "--lang", "zh"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert res.stderr.strip() == ("error: data/examples/pbc/analyses.toml: column 'languages': "
                                  "declares no 'zh' transcription (languages: en)")


def test_no_code_names_the_example_paper():
    words = re.compile(r"pbc|penicillamine|dpen|placebo|mayo", re.IGNORECASE)
    named = [str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "analysis").rglob("*.py")
             if words.search(p.read_text(encoding="utf-8"))]
    assert named == []
