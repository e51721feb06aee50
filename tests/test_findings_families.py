"""Issue #19, part 3: every discrepant check of the example papers is told in its family's
plain sentence, in each declared language, with the printed number and no key."""

from __future__ import annotations

import re

import pytest

from analysis.audit import run_audit
from analysis.dataset import declaration
from analysis.present.readers import _KIND, reader_findings
from analysis.i18n import t
from harness import PROJECT_ROOT

EXAMPLES = sorted(p.parent for p in (PROJECT_ROOT / "data" / "examples").glob("*/planted.csv"))


def _cases():
    for example in EXAMPLES:
        for lang in declaration(example).languages:
            yield pytest.param(example, lang, id=f"{example.name}-{lang}")


@pytest.mark.parametrize("example,lang", list(_cases()))
def test_each_discrepancy_has_its_familys_sentence(example, lang):
    report = run_audit(lang, data_dir=example)
    checks = {c.id: c for c in report.checks}
    findings = reader_findings(report, data_dir=example)
    assert findings
    for f in findings:
        check = checks[f.check]
        assert check.method in _KIND, f"no plain sentence for method {check.method!r} ({f.check})"
        generic = t("readers.kind.other", lang, source="", printed="", recomputed="", what="", method="")
        assert f.sentence != generic
        assert check.reported.replace(" ", "") in f.sentence.replace(" ", ""), f.sentence
        # no key reaches the reader: no dotted check id, no snake_case slug, no quantity name
        assert check.id not in f.sentence
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", f.sentence), f.sentence
        assert not re.search(r"\b(chi2|percent|statistic)\s*=", f.sentence), f.sentence
