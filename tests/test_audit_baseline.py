"""This paper's audit before and after the declared-audit refactor (issue 13).

``tests/fixtures/audit-baseline-<lang>.json`` is ``python -m analysis audit [--lang zh] --json``
as it was at commit ac6f07e, before the audit ran from ``data/raw/analyses.toml``. The
output now must equal it field for field, except the differences listed here, each with
its reason.
"""

from __future__ import annotations

import json

import pytest

from analysis.audit import run_audit
from harness import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"


def _baseline(lang):
    return json.loads((FIXTURES / f"audit-baseline-{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_audit_matches_the_saved_baseline(lang):
    before = _baseline(lang)
    after = json.loads(run_audit(lang).to_json())
    assert [c["id"] for c in after] == [c["id"] for c in before]
    for old, new in zip(before, after):
        assert new == old, old["id"]
