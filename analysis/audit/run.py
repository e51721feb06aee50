"""Run the whole audit for one language version, from the data folder's declaration."""

from __future__ import annotations

from dataclasses import replace

from ..errors import InputError, raise_all
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


# What a declaration shaped unlike anything a family expects raises inside it (an option of the
# wrong type, a level that is not printed): reported with the analysis named, never as a traceback.
_SHAPE_ERRORS = (ValueError, TypeError, KeyError, IndexError, ZeroDivisionError, AttributeError)


def _located(err: InputError, spec) -> InputError:
    """``err`` with the analysis that met it named first, so the user knows what to change
    (unless its column already is that analysis's key)."""
    if (err.column or "").startswith(spec.where):
        return err
    what = "/".join(p for p in (spec.source, spec.item) if p)
    return InputError(f"{spec.where} ({spec.family}{', ' + what if what else ''}): {err.message}",
                      file=err.file, row=err.row, column=err.column)


# families whose statistic compares exactly two groups
_TWO_ARMS = frozenset({"two_sample_t", "split_plot", "median_iqr", "ratio_ci", "grim", "baseline_balance",
                       "sample_size", "sample_size_two_proportions", "dropout_inflation"})


def run_analyses(ctx: Context, *, failed: list | None = None) -> tuple[list, dict]:
    """Run every declared analysis in order.

    Parameters
    ----------
    failed : list, optional
        Where to collect the analyses that could not run, as ``(index, InputError)``, and go
        on with the rest (``data --check``). Without it, every error is raised together once
        all analyses have been tried.

    Returns
    -------
    checks : list of Check
        All checks, in declared order.
    by_analysis : dict
        Declared analysis index -> the ids of the checks it added (revising families add none).
    """
    checks, by_analysis, errors = [], {}, []
    for spec in ctx.declaration.analyses:
        family = FAMILIES.get(spec.family)
        try:
            own = ctx.declaration.tables[spec.table].arms if spec.table in ctx.declaration.tables else ()
            # a file comparing groups of its own: its analyses compare those
            actx = replace(ctx, declaration=replace(ctx.declaration, arms=own)) if own else ctx
            if own and len(own) != 2 and spec.family in _TWO_ARMS:
                raise InputError(f"{spec.family} compares two groups, and tables.{spec.table}.arms names "
                                 f"{len(own)} ({', '.join(own)}); no analysis of {len(own)} groups is declared "
                                 "for this family: list its values under [[unchecked]]",
                                 file=ctx.declaration.file, column=f"tables.{spec.table}.arms")
            family = _family(actx, spec)
            result = family.run(actx, spec, done=tuple(checks))
        except (InputError, *_SHAPE_ERRORS) as err:
            if errors and family is not None and not family.needs_item:
                continue  # a family over other analyses' checks fails with them, which are reported
            errors.append((spec.index, _located(err, spec) if isinstance(err, InputError) else InputError(
                f"{spec.where} ({spec.family}) cannot run on what is declared and printed: "
                f"{type(err).__name__}: {err}; check its options against docs/analyses.md",
                file=ctx.declaration.file, column=spec.where)))
            continue
        if family.revises:
            checks, by_analysis[spec.index] = list(result), ()
        else:
            checks += result
            by_analysis[spec.index] = tuple(c.id for c in result)
    if failed is None:
        raise_all([e for _, e in errors])
    else:
        failed += errors
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
