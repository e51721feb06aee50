"""Run the whole audit for one language version."""

from __future__ import annotations

from ..i18n import check_lang
from .context import load_context
from .counts import table2_checks, text_checks
from .markers import marker_checks
from .model import AuditReport
from .table1 import table1_checks

__all__ = ["run_audit"]


def run_audit(lang: str = "en", *, data_dir=None) -> AuditReport:
    """Recompute and judge every printed statistic of one language version.

    Parameters
    ----------
    lang : {"en", "zh"}
        Which version's digitized data to audit (``en``: the English version,
        ``zh``: the Chinese original); notes are written in the same language.
    data_dir : path, optional
        Raw-data folder (see :func:`analysis.dataset.raw_dir`).

    Returns
    -------
    AuditReport
        Checks in a fixed order: Table 1, Table 2, Tables 3 and 4, text.
    """
    check_lang(lang)
    ctx = load_context(lang, data_dir=data_dir)
    checks = (table1_checks(ctx) + table2_checks(ctx) + marker_checks(ctx, "table3")
              + marker_checks(ctx, "table4") + text_checks(ctx))
    ids = [c.id for c in checks]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuntimeError(f"duplicate check ids: {dupes}")
    return AuditReport(lang=lang, checks=tuple(checks))
