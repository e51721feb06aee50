"""Run the whole audit for one language version, from the data folder's declaration."""

from __future__ import annotations

from ..errors import InputError
from ..i18n import check_lang
from .context import Context, load_context
from .families import FAMILIES
from .model import AuditReport

__all__ = ["run_audit", "run_analyses"]


def _family(ctx: Context, spec):
    """The declared analysis's family, after checking its options and that its item is printed."""
    file = ctx.declaration.file
    family = FAMILIES.get(spec.family)
    if family is None:
        raise InputError(f"unknown family {spec.family!r}; one of {', '.join(FAMILIES)}",
                         file=file, column=f"{spec.where}.family")
    unknown = sorted(set(spec.options) - set(family.options))
    if unknown:
        allowed = ", ".join(family.options) or "none"
        raise InputError(f"family {spec.family!r} takes no option {unknown[0]!r} (options: {allowed})",
                         file=file, column=f"{spec.where}.{unknown[0]}")
    if family.needs_item and not len(ctx.rows(spec.table, source=spec.source, item=spec.item)):
        raise InputError(f"no printed value has source {spec.source!r} and item {spec.item!r} in "
                         f"the {spec.table!r} file", file=file, column=f"{spec.where}.item")
    return family


def run_analyses(ctx: Context) -> tuple[list, dict]:
    """Run every declared analysis in order.

    Returns
    -------
    checks : list of Check
        All checks, in declared order.
    by_analysis : dict
        Declared analysis index -> the ids of the checks it added (revising families add none).
    """
    checks, by_analysis = [], {}
    for spec in ctx.declaration.analyses:
        family = _family(ctx, spec)
        result = family.run(ctx, spec, done=tuple(checks))
        if family.revises:
            checks, by_analysis[spec.index] = list(result), ()
        else:
            checks += result
            by_analysis[spec.index] = tuple(c.id for c in result)
    return checks, by_analysis


def run_audit(lang: str = "en", *, data_dir=None) -> AuditReport:
    """Recompute and judge every printed statistic of one language version.

    Parameters
    ----------
    lang : {"en", "zh"}
        Which version's digitized data to audit (this paper: ``en``, the English version,
        ``zh``, the Chinese original); notes are written in the same language.
    data_dir : path, optional
        Raw-data folder (see :func:`analysis.dataset.raw_dir`); its ``analyses.toml`` declares
        what to run.

    Returns
    -------
    AuditReport
        Checks in the declared order of the analyses.
    """
    check_lang(lang)
    checks, _ = run_analyses(load_context(lang, data_dir=data_dir))
    ids = [c.id for c in checks]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RuntimeError(f"duplicate check ids: {dupes}")
    return AuditReport(lang=lang, checks=tuple(checks))
