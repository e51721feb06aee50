"""The methods section's rule for choosing a count table's test ("Fisher's exact test when
an expected count was below 5", "理论频数<5时采用Fisher确切概率法"), for a drafted
``test_rule``. Only a rule printed with its bound is read: "χ² test or Fisher's exact test"
alone names two tests and no rule, and guessing one would judge every count row by it."""

from __future__ import annotations

import re

__all__ = ["fisher_rule_in"]

_EXPECTED = r"(?:expected|theoretical)\s+(?:cell\s+)?(?:count|frequenc\w*|value|number)s?"
_BELOW = r"(?:was|were|is|are)?\s*(?:less\s+than|below|under|smaller\s+than|<|＜)\s*(?P<k>\d+)"
_FISHER_EN = r"fisher(?:'s|’s)?\s+exact\s+(?:probability\s+)?test"
_EXPECTED_ZH = r"(?:理论频数|期望频数|理论数|预期频数|T)\s*(?:<|＜|小于|不足)\s*(?P<k>\d+)"
_FISHER_ZH = r"fisher\s*(?:确切|精确|精准)?(?:概率)?(?:法|检验)"
_PATTERNS = [
    re.compile(_FISHER_EN + r"[^.;]{0,60}?\b(?:when|if|where)\b[^.;]{0,30}?" + _EXPECTED + r"\s*" + _BELOW, re.I),
    re.compile(r"\b(?:when|if|where)\b[^.;]{0,30}?" + _EXPECTED + r"\s*" + _BELOW + r"[^.;]{0,60}?" + _FISHER_EN,
               re.I),
    re.compile(_EXPECTED_ZH + r"[^。；;]{0,20}?" + _FISHER_ZH, re.I),
    re.compile(_FISHER_ZH + r"[^。；;]{0,20}?" + _EXPECTED_ZH, re.I),
]


def fisher_rule_in(sentences) -> tuple[str, str, str] | None:
    """``(use, when, sentence)`` for the ``test_rule`` family from the first methods sentence
    that prints Fisher's exact test with its expected-count bound, else ``None``."""
    for sentence in sentences:
        for pattern in _PATTERNS:
            m = pattern.search(sentence)
            if m:
                return "fisher", f"min_expected < {int(m.group('k'))}", sentence
    return None
