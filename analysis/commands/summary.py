"""``python -m analysis reconstruct summary``: Figure 1's data from printed numbers.

Samples an ensemble of patient-level OS/PFS data sets that reproduce every
survival number the paper prints (``data/raw/survival_spec.toml``, or ``--spec``),
writes the representative data set and the ensemble summary to ``data/derived/`` (for
another paper's spec: ``derived/`` beside it, or ``--out``)
and prints each printed number against the representative data set and the
ensemble's range, then the bands of what the paper does not print.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from ..ensemble.constraints import InfeasibleSpec
from ..ensemble.pipeline import (DEFAULT_DRAWS, DEFAULT_SEED, DEFAULT_SPEC, DEFAULT_VERDICT_TRIES,
                                 build, default_out, summary_json, write_outputs)
from ..ensemble.progress import progress_bar
from ..ensemble.spec import load_spec
from ..ensemble.summarize import conflict_text
from ..errors import InputError
from ..i18n import t
from . import one_line_errors, whole_number

__all__ = ["register", "run", "report_lines"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "summary", help="ensemble of OS/PFS data sets consistent with the printed numbers")
    parser.add_argument("--draws", default=str(DEFAULT_DRAWS),
                        help=f"accepted data sets in the ensemble (default {DEFAULT_DRAWS})")
    parser.add_argument("--seed", default=str(DEFAULT_SEED),
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--spec", default=str(DEFAULT_SPEC),
                        help="survival spec (TOML; default data/raw/survival_spec.toml)")
    parser.add_argument("--out", default=None,
                        help="folder for the derived files (default: data/derived for this paper's "
                             "spec, else a folder 'derived' beside the spec)")
    parser.add_argument("--verdict-tries", default=str(DEFAULT_VERDICT_TRIES),
                        help="members tried per alternative definition in the feasibility "
                             f"verdict; 0 skips it (default {DEFAULT_VERDICT_TRIES})")
    parser.add_argument("--workers", default="2", help="processes (default 2)")
    parser.add_argument("--json", action="store_true",
                        help="print the ensemble summary as JSON instead of tables")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="language of the printed tables")

    one_line_errors(parser, "reconstruct summary")
    parser.set_defaults(func=run)


def report_lines(doc: dict, lang: str, arm_labels: dict | None = None,
                 endpoint_labels: dict | None = None) -> list[str]:
    """The tables the command prints, from the JSON summary; ``arm_labels`` and
    ``endpoint_labels`` map each arm and endpoint key to its name (default: this paper's
    catalog names for arms, the key in capitals for endpoints)."""
    label = (lambda arm: (arm_labels or {}).get(arm) or t(f"arm.{arm}", lang))
    ep_label = (lambda ep: (endpoint_labels or {}).get(ep) or ep.upper())
    lines = [t("ensemble.header", lang, draws=doc["draws"], tried=doc["tried"],
               rate=100 * doc["acceptance_rate"], seed=doc["seed"]),
             t("ensemble.definitions", lang, **doc["definitions"]), ""]
    printed = pd.DataFrame(doc["printed"])
    printed = printed[["constraint", "printed", "interval", "representative", "min", "max",
                       "holds"]]
    printed.columns = [t(f"ensemble.col.{c}", lang) for c in printed.columns]
    lines += [t("ensemble.printed_title", lang),
              printed.to_string(index=False, float_format=lambda x: f"{x:.4f}"), ""]
    rows = []
    for ep, d in doc["endpoints"].items():
        for arm, a in d["arms"].items():
            for lm, b in a["survival"].items():
                rows.append((ep, arm, f"S({lm})", b))
            rows.append((ep, arm, t("ensemble.q.events", lang), a["events"]))
            rows.append((ep, arm, "RMST", a["rmst"]))
        for q in ("hr", "hr_lower", "hr_upper", "rmst_diff"):
            rows.append((ep, "", t(f"ensemble.q.{q}", lang), d[q]))
    fmt = lambda x: "NA" if x is None else f"{x:.3f}"
    bands = pd.DataFrame([{t("ensemble.col.endpoint", lang): ep_label(ep),
                           t("ensemble.col.arm", lang): label(arm) if arm else "",
                           t("ensemble.col.quantity", lang): q,
                           "p05": fmt(b["p05"]), "p50": fmt(b["p50"]), "p95": fmt(b["p95"]),
                           t("ensemble.col.representative", lang): fmt(b["representative"]),
                           t("ensemble.col.prior", lang):
                               f"{fmt(b.get('prior_p05'))}-{fmt(b.get('prior_p95'))}",
                           t("ensemble.col.identified", lang): b.get("identified_by") or ""}
                          for ep, arm, q, b in rows])
    lines += [t("ensemble.bands_title", lang), bands.to_string(index=False), ""]
    if doc["feasibility"]:
        # constraint/reason repeat the obstacle for programs; the message says it for people.
        feas = pd.DataFrame(doc["feasibility"]).drop(columns=["constraint", "reason"],
                                                     errors="ignore")
        lines += [t("ensemble.feasibility_title", lang), feas.to_string(index=False)]
    return lines


def run(args) -> int:
    for name, minimum in (("draws", 1), ("seed", 0), ("verdict_tries", 0), ("workers", 1)):
        try:
            setattr(args, name, whole_number(getattr(args, name), minimum=minimum))
        except ValueError as err:
            print(f"error: reconstruct summary: --{name.replace('_', '-')} {err}",
                  file=sys.stderr)
            return 2
    spec = load_spec(args.spec)
    for key, message in spec.implausible():
        print(f"warning: {args.spec}: column '{key}': {message}", file=sys.stderr)
    with progress_bar(args.draws, lang=args.lang) as bar:
        try:
            rec = build(spec, draws=args.draws, seed=args.seed, verdict_tries=args.verdict_tries,
                        workers=args.workers, progress=bar)
        except InfeasibleSpec as err:
            raise InputError(str(err), file=args.spec, column=err.field or None) from None
    write_outputs(rec, default_out(args.spec) if args.out is None else Path(args.out))
    for conflict in rec.summary.conflicts:  # a printed number the prior cannot reach
        print(f"note: {args.spec}: column '{conflict['key']}': "
              f"{conflict_text(spec, conflict, args.lang)}", file=sys.stderr)
    doc = summary_json(rec)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1))
    else:
        print("\n".join(report_lines(
            doc, args.lang, {a: spec.arm_label(a, args.lang) for a in spec.arms},
            {ep.name: spec.endpoint_label(ep.name, args.lang) for ep in spec.endpoints})))
    return 0

