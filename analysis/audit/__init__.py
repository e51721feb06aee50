"""The audit: every printed statistic recomputed from the digitized data and judged.

``run_audit(lang, data_dir=...)`` runs the analyses the data folder's ``analyses.toml``
declares (``docs/analyses.md``; one module per family here) and returns an
:class:`AuditReport` of frozen :class:`Check` objects, one per printed number (or printed
claim such as a superscript), with the verdict
``reproduced``, ``discrepant`` or ``not_checkable``, rounding-aware: a printed number
stands for the interval of values that round to it, and so does every input.
"""

from .model import VERDICTS, AuditReport, Check
from .run import run_audit

__all__ = ["VERDICTS", "AuditReport", "Check", "run_audit"]
