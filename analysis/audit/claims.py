"""Which declared analysis claims each printed value: the rule ``data --check`` enforces.

Every printed statistic (:data:`STATISTICS`) must be judged by the checks of exactly one
declared analysis, or listed under ``[[unchecked]]`` with a reason; every other printed value
(means, SDs, counts, group sizes, dates...) must be judged or read by some check, or listed
as unchecked. The claims are what the audit actually does: the ``covers`` and ``inputs`` of
the checks each analysis adds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError, raise_all
from .context import load_context
from .model import key_of
from .run import run_analyses

__all__ = ["STATISTICS", "Claims", "claims", "check_claims"]

# Printed results a declared analysis must judge (the rest are what analyses read). A
# percentage is a result unless an analysis reads it as an input (a sample-size paragraph's
# assumed rates, α and power): then, like any other value, it must be read or judged.
STATISTICS = frozenset({"statistic", "chi2", "F", "z", "p", "letters", "days", "weeks", "months",
                        "hr", "or", "rr", "lower", "upper"})
_RESULT_UNLESS_READ = frozenset({"percent"})


@dataclass(frozen=True)
class Claims:
    """One language version's printed values and who judges or reads them."""

    lang: str
    analyses: int
    judged_by: dict  # key -> tuple of analysis indices whose checks cover it
    read: frozenset  # keys some check reads
    printed: dict  # key -> (file, line, quantity)
    unchecked: dict  # key -> index in [[unchecked]]
    failed: tuple = ()  # (analysis index, InputError) of the analyses that could not run


def claims(lang: str = "en", *, data_dir=None) -> Claims:
    """Run the declared analyses of one language version and collect what each claims."""
    ctx = load_context(lang, data_dir=data_dir)
    failed: list = []
    checks, by_analysis = run_analyses(ctx, failed=failed)
    by_id = {c.id: c for c in checks}
    judged_by: dict = {}
    read = set()
    for index, ids in by_analysis.items():
        for cid in ids:
            for key in by_id[cid].covers:
                if index not in judged_by.setdefault(key, ()):
                    judged_by[key] += (index,)
            read.update(by_id[cid].inputs)
    printed = {}
    for df in ctx.tables.values():
        for r in df.itertuples(index=False):
            printed[key_of(r.source, r.item, r.level, r.arm, r.quantity)] = (r.file, r.line, r.quantity)
    unchecked = {u.key: i for i, u in enumerate(ctx.declaration.unchecked)}
    return Claims(lang=lang, analyses=len(ctx.declaration.analyses), judged_by=judged_by,
                  read=frozenset(read), printed=printed, unchecked=unchecked, failed=tuple(failed))


def check_claims(found: Claims, *, declaration_file: str, families: dict, items: dict | None = None) -> None:
    """Raise every problem at once: the analyses that could not run, then each printed value
    the declaration leaves unclaimed, claims twice, or lists as unchecked although an analysis
    judges it.

    ``families`` maps analysis index -> family name, for the message; ``items`` maps analysis
    index -> ``(source, item)``, so values of an analysis that could not run are not also
    reported as unclaimed.
    """
    problems = [err for _, err in found.failed]
    blocked = {(items or {}).get(i) for i, _ in found.failed}

    def silent(key: str) -> bool:
        source, item, *_ = key.split("/")
        return (source, item) in blocked or any(b is not None and b[1] == "" and b[0] == source for b in blocked)

    for key, i in found.unchecked.items():
        if key not in found.printed:
            problems.append(InputError(f"'{key}' is not a printed value of the {found.lang} transcription; "
                                       "copy the key from the transcription (source/item/level/arm/quantity)",
                                       file=declaration_file, column=f"unchecked[{i}].key"))
        elif key in found.judged_by:
            who = found.judged_by[key][0]
            problems.append(InputError(f"'{key}' is listed as unchecked but analysis[{who}] ({families[who]}) "
                                       "judges it; remove it from [[unchecked]]",
                                       file=declaration_file, column=f"unchecked[{i}].key"))
    unclaimed_items = {tuple(k.split("/")[:2]) for k, (_, _, q) in found.printed.items()
                       if q in STATISTICS and k not in found.judged_by and k not in found.unchecked}
    for key, (file, line, quantity) in found.printed.items():
        if key in found.unchecked or silent(key):
            continue
        owners = found.judged_by.get(key, ())
        if len(owners) > 1:
            names = " and ".join(f"analysis[{i}] ({families[i]})" for i in owners)
            problems.append(InputError(f"printed value '{key}' is claimed by {names} in {declaration_file}; "
                                       "exactly one analysis may claim it (use family \"repeat\" for a value "
                                       "printed again elsewhere)", file=file, row=line, column="value"))
        elif not owners and (quantity in STATISTICS or (quantity in _RESULT_UNLESS_READ and key not in found.read)):
            problems.append(InputError(f"printed statistic '{key}' is claimed by no analysis in {declaration_file}; "
                                       "declare the analysis that produced it, or list it under [[unchecked]] "
                                       "with a reason", file=file, row=line, column="value"))
        elif key not in found.judged_by and key not in found.read and tuple(key.split("/")[:2]) not in unclaimed_items:
            # Usually the inputs of a statistic left unclaimed above.
            problems.append(InputError(f"printed value '{key}' is neither judged nor read by any analysis in "
                                       f"{declaration_file}; declare one, or list it under [[unchecked]] with a "
                                       "reason", file=file, row=line, column="value"))
    raise_all(problems)
