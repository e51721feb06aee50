"""Family ``test_rule``: the methods section's rule for choosing a test ("Fisher's exact test
when an expected count is below 5", "Yates' correction when ..."), declared once and checked
on every count-table row it governs."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from ..errors import InputError
from ..i18n import t
from ..printed import parse_printed
from ..stats.contingency import crosstab
from ..stats.rounding import meets, p_consistent
from .categorical import _CHI2_METHODS, count_table
from .context import Context

__all__ = ["test_rule", "RULE_METHODS"]

# The tests a rule may name, as the crosstab candidates call them.
RULE_METHODS = ("fisher", "yates", "pearson", "likelihood_ratio")
_WHEN = re.compile(r"^\s*(?P<what>min_expected|min_count)\s*(?P<rel><=?|≤)\s*(?P<bound>\d+(?:\.\d+)?)\s*$")


def _option(ctx: Context, spec, name: str, default=None) -> str:
    value = spec.option(name, default)
    if value not in RULE_METHODS:
        raise InputError(f"must name a test, one of {', '.join(RULE_METHODS)}", file=ctx.declaration.file,
                         column=f"{spec.where}.{name}")
    return value


def _condition(ctx: Context, spec):
    when = spec.option("when", "")
    m = _WHEN.match(str(when).replace("＜", "<"))
    if m is None:
        raise InputError('must read "min_expected < 5" or "min_count < 5" (any bound; < or <=)',
                         file=ctx.declaration.file, column=f"{spec.where}.when")
    bound, strict = float(m["bound"]), m["rel"] == "<"

    def smallest(table, ct) -> tuple[float, str]:
        """The quantity the rule's bound is on, and the note that names it."""
        if m["what"] == "min_expected":
            return ct.min_expected, "rule_min_expected"
        return min(min(row) for row in table), "rule_min_count"

    def holds(table, ct) -> bool:
        x = smallest(table, ct)[0]
        return x < bound if strict else x <= bound
    return holds, smallest


def test_rule(ctx: Context, spec, *, done=()) -> list:
    """Revises the χ² and P checks of every unordered ``crosstab`` row of the declared table
    and source: judged against the test the rule demands (option ``use`` when ``when`` holds,
    else ``otherwise``, default Pearson's χ²), with a note saying which and why. A row that
    the printed numbers fit only under another test than the rule's is discrepant: the paper
    did not follow its own rule. Returns all checks."""
    use, otherwise = _option(ctx, spec, "use"), _option(ctx, spec, "otherwise", "pearson")
    holds, smallest = _condition(ctx, spec)
    by_id = {c.id: i for i, c in enumerate(done)}
    out = list(done)
    for a in ctx.declaration.analyses:
        if a.family != "crosstab" or a.table != spec.table or a.source != spec.source or a.option("ordered"):
            continue
        table = count_table(ctx, a)[0]
        ct = crosstab(table)
        wanted = use if holds(table, ct) else otherwise
        candidates = ct.candidates()
        prefix = f"{a.source}.{a.item}"
        for cid in (f"{prefix}.chi2", f"{prefix}.p"):
            if cid not in by_id:
                continue
            check = out[by_id[cid]]
            if wanted not in candidates:
                out[by_id[cid]] = replace(check, notes=check.notes + (ctx.note("rule_not_applicable", test=wanted),))
                continue
            value, p = candidates[wanted]
            is_p = cid.endswith(".p")
            if is_p:
                ok = p_consistent(parse_printed(check.reported), (p, p))
                rec = (p, p)
            else:
                ok = not math.isnan(value) and meets(parse_printed(check.reported).magnitude().interval, (value, value))
                rec = None if math.isnan(value) else (value, value)
            e, what = smallest(table, ct)
            # a value that no test gave before the rule was applied fits no test: say so
            kind = "rule_followed" if ok else "rule_broken" if check.verdict == "reproduced" else "rule_broken_none"
            note = ctx.note(kind, test=_method_name(ctx, wanted), smallest=ctx.note(what, e=e),
                            used=_method_name(ctx, check.method))
            out[by_id[cid]] = replace(check, method=_CHI2_METHODS[wanted], recomputed=rec,
                                      verdict="reproduced" if ok else "discrepant", notes=check.notes + (note,))
    return out


def _method_name(ctx: Context, method: str) -> str:
    return t(f"audit.method.{_CHI2_METHODS.get(method, method)}", ctx.lang)
