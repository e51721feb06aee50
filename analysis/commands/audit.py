"""``python -m analysis audit [--lang zh] [--json]``: recompute and judge every printed statistic."""

from __future__ import annotations

import math

from tabulate import tabulate

from ..audit import VERDICTS, AuditReport, run_audit
from ..dataset import declaration
from ..i18n import t
from . import one_line_errors

__all__ = ["register", "run", "render_text"]

# Display groups: each table, then the text (abstract and sections).
_GROUPS = ("table1", "table2", "table3", "table4")


def register(subparsers) -> None:
    parser = subparsers.add_parser("audit", help="recompute every printed statistic and judge it")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="version audited and language of the output (en: English version, "
                             "zh: Chinese original)")
    parser.add_argument("--json", action="store_true", help="print a JSON array instead of a table")
    parser.add_argument("--data-dir", default=None,
                        help="raw-data folder (default: data/raw, or $REANALYSIS_DATA_DIR)")
    one_line_errors(parser, "audit")
    parser.set_defaults(func=run)


def _number(x: float) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{x:.4g}"


def _recomputed(value, recomputed_as: str, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        text = t("audit.range", lang, lo=_number(value[0]), hi=_number(value[1]))
    else:
        text = _number(value)
    # Say what the number is when it is not the printed quantity (e.g. the r an F implies).
    return f"{t(f'audit.recomputed_as.{recomputed_as}', lang)} = {text}" if recomputed_as else text


def _group(source: str) -> int:
    return _GROUPS.index(source) if source in _GROUPS else len(_GROUPS)


def render_text(report: AuditReport, unchecked=()) -> str:
    """The readable report: discrepant first, then by table (text last), then in audit order."""
    lang = report.lang
    rows = [c.as_json() for c in report.checks]
    order = sorted(range(len(rows)), key=lambda i: (VERDICTS.index(rows[i]["verdict"]),
                                                    _group(rows[i]["origin"]), i))
    headers = [t(f"audit.column.{k}", lang) for k in ("verdict", "source", "id", "reported", "recomputed",
                                                        "method")]
    body = [[t(f"audit.verdict.{r['verdict']}", lang), r["source"], r["id"],
             r["reported"] or "—", _recomputed(r["recomputed"], r["recomputed_as"], lang),
             t(f"audit.method.{r['method'] or 'none'}", lang)]
            for r in (rows[i] for i in order)]
    lines = [t("audit.title", lang, lang=t(f"lang.{lang}", lang)), "",
             tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True), ""]
    flagged = [rows[i] for i in order if rows[i]["verdict"] == "discrepant"]
    if flagged:
        lines.append(t("audit.column.notes", lang) + " (" + t("audit.verdict.discrepant", lang) + ")")
        for r in flagged:
            lines.append(f"- {r['id']}:")
            lines += [f"    {note}" for note in r["notes"]]
        lines.append("")
    counts = report.summary()
    lines.append(t("audit.summary", lang, total=len(rows), **counts))
    if unchecked:
        # What the declaration leaves unchecked is part of the audit, not hidden in data --check.
        lines += ["", t("audit.unchecked", lang, n=len(unchecked))]
        lines += [f"- {u.key}: {u.reason}" for u in unchecked]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    report = run_audit(args.lang, data_dir=args.data_dir)
    unchecked = declaration(args.data_dir).unchecked
    print(report.to_json() if args.json else render_text(report, unchecked), end="")
    return 0
