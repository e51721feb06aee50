"""Spec -> ensemble -> summaries -> files in ``data/derived``, and the cheap loader.

:func:`build` runs the whole reconstruction; :func:`write_outputs` writes its files
atomically; :func:`load_or_build` is what the book calls: it reads the derived
files and rebuilds them only when the fingerprint stored beside them (spec bytes,
seed, draws, verdict budget, and the code of this package) does not match.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import write_text
from .constraints import InfeasibleSpec
from .sampler import sample_ensemble
from .spec import (FOLLOW_UP_MEDIANS, FOLLOW_UP_RANGES, MEDIAN_RULES, Definitions, Spec,
                   load_spec)
from ..i18n import t
from .summarize import (IDENTIFIED_RATIO, EnsembleSummary, conflict_text, hr_all_events,
                        prior_conflicts, prior_statistics, summarize)

__all__ = ["DEFAULT_SPEC", "DEFAULT_OUT", "DEFAULT_SEED", "DEFAULT_DRAWS", "Reconstruction",
           "build", "feasibility", "write_outputs", "load_or_build", "fingerprint",
           "default_out", "OUTPUT_FILES"]

_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = _ROOT / "data" / "raw" / "survival_spec.toml"
DEFAULT_OUT = _ROOT / "data" / "derived"
DEFAULT_SEED = 2026
DEFAULT_DRAWS = 200
DEFAULT_VERDICT_TRIES = 6
REFUSAL_PRIOR_DRAWS = 60  # prior data sets drawn to name what the prior cannot reach
OUTPUT_FILES = {"ipd": "ipd_reconstructed.csv", "bands": "ensemble_summary.csv",
                "json": "ensemble_summary.json", "curves": "ensemble_curves.csv",
                "members": "ensemble_ipd.csv", "feasibility": "ensemble_feasibility.csv"}


@dataclass(frozen=True)
class Reconstruction:
    """An ensemble summary with its feasibility verdicts and fingerprint."""

    summary: EnsembleSummary
    feasibility: pd.DataFrame
    fingerprint: str

    def to_frame(self) -> pd.DataFrame:
        return self.summary.bands


def fingerprint(spec: Spec, *, seed: int, draws: int, verdict_tries: int) -> str:
    """Hash of everything the derived files depend on."""
    h = hashlib.sha256()
    h.update(json.dumps({"spec": spec.fingerprint, "seed": seed, "draws": draws,
                         "verdict_tries": verdict_tries}, sort_keys=True).encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")) + [here.parent / "km" / "estimate.py"]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def feasibility(spec: Spec, *, tries: int, seed: int, workers: int | None = None,
                done: dict | None = None) -> pd.DataFrame:
    """Can every printed number be met under each combination of definitions?

    For each combination (KM median rule x median follow-up x follow-up range, and
    the spec's follow-up definitions on a whole-month time grid) up to ``tries``
    members are sampled; the combination is feasible when one is accepted. "Not
    found" is evidence, not proof, of impossibility; the constraint that was
    missed most often says why. Columns ``constraint`` and ``reason``
    (``contradiction``, ``grid``, ``missed`` or ``""``) say it without words; ``obstacle``
    says it in English for the command line. ``done`` maps a definitions/resolution key to a
    finished run (the main ensemble) so it is not sampled again.
    """
    combos = [(Definitions(m, f, r), spec.tick) for m, f, r in
              itertools.product(MEDIAN_RULES, FOLLOW_UP_MEDIANS, FOLLOW_UP_RANGES)]
    month = 1.0 if spec.time_unit == "month" else None
    if month is not None and not math.isclose(spec.tick, month):
        combos += [(Definitions(m, spec.definitions.follow_up_median,
                                spec.definitions.follow_up_range), month) for m in MEDIAN_RULES]
    rows = []
    for defs, tick in combos:
        key = (defs, tick)
        variant = replace(spec.with_definitions(defs), tick=tick)
        if done is not None and key in done:
            run = done[key]
        else:
            try:
                run = sample_ensemble(variant, draws=1, seed=seed, workers=workers,
                                      max_tries=tries)
            except InfeasibleSpec as err:
                rows.append({**defs.__dict__, "resolution": tick, "tried": 0, "accepted": 0,
                             "feasible": "no", "constraint": err.constraint, "reason": err.reason,
                             "obstacle": str(err)})
                continue
        accepted = len(run.members)
        obstacle = max(run.rejected_worst, key=run.rejected_worst.get) \
            if run.rejected_worst else ""
        rows.append({**defs.__dict__, "resolution": tick, "tried": run.tried,
                     "accepted": accepted, "feasible": "yes" if accepted else "not found",
                     "constraint": "" if accepted else obstacle,
                     "reason": "" if accepted else "missed", "obstacle": "" if accepted else obstacle})
    return pd.DataFrame(rows)


def build(spec: Spec, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
          verdict_tries: int = DEFAULT_VERDICT_TRIES, workers: int | None = None,
          progress=None) -> Reconstruction:
    """Sample the ensemble, summarize it and judge feasibility."""
    run = sample_ensemble(spec, draws=draws, seed=seed, workers=workers, progress=progress)
    if not run.members:
        worst = max(run.rejected_worst, key=run.rejected_worst.get) if run.rejected_worst else ""
        # a printed number the prior cannot reach is named, with the prior's band
        conflicts = prior_conflicts(spec, prior_statistics(spec, draws=REFUSAL_PRIOR_DRAWS,
                                                           seed=seed))
        if conflicts:
            raise InfeasibleSpec(
                t("ensemble.run.refused", "en", tried=run.tried,
                  conflicts="; ".join(conflict_text(spec, c, met=False) for c in conflicts)),
                constraint=worst, field=conflicts[0]["key"])
        raise InfeasibleSpec(f"no data set met every printed number in {run.tried} tries "
                             f"under {spec.definitions.label()}; most often missed: {worst}")
    summary = summarize(spec, run, seed=seed)
    verdicts = feasibility(spec, tries=verdict_tries, seed=seed, workers=workers,
                           done={(spec.definitions, spec.tick): run}) if verdict_tries else \
        pd.DataFrame()
    return Reconstruction(summary, verdicts,
                          fingerprint(spec, seed=seed, draws=draws, verdict_tries=verdict_tries))


def _num(x):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return round(float(x), 6)
    return x


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _num(v) for k, v in row.items()} for row in df.to_dict("records")]


def summary_json(rec: Reconstruction) -> dict:
    """The ``--json`` document: bands per arm and endpoint, HR, events, verdict."""
    s = rec.summary
    spec = s.spec
    b = s.bands
    endpoints, identification = {}, {}
    for ep in spec.endpoints:
        eb = b[b["endpoint"] == ep.name]
        band = lambda r: {k: _num(r[k]) for k in ("p05", "p50", "p95", "min", "max",
                                                  "representative", "prior_p05", "prior_p95",
                                                  "width_ratio", "identified_by")}
        arms = {}
        for arm in spec.arms:
            ab = eb[eb["arm"] == arm]
            arms[arm] = {
                "survival": {f"{r['time']:g}": band(r) for _, r in
                             ab[ab["quantity"] == "survival"].iterrows()},
                **{q: band(ab[ab["quantity"] == q].iloc[0])
                   for q in ("events", "rmst", "median_first_below", "median_midpoint")}}
        between = {q: band(eb[(eb["quantity"] == q)].iloc[0])
                   for q in ("hr", "hr_lower", "hr_upper", "hr_logrank", "rmst_diff",
                             "logrank_chi2", "logrank_p")}
        endpoints[ep.name] = {"arms": arms, **between,
                              # printed numbers alone: even with every patient an event
                              "hr_all_events": {"hr": _num(hr_all_events(spec, ep.name)),
                                                "events": spec.n_total}}
        named = [(f"{r['quantity']}" + (f".{r['arm']}" if r["arm"] else "")
                  + (f".{r['time']:g}" if r["quantity"] == "survival" else ""), r["identified_by"])
                 for _, r in eb.iterrows()
                 if r["quantity"] in ("survival", "events", "hr", "rmst_diff")]
        identification[ep.name] = {k: sorted(q for q, by in named if by == k)
                                   for k in ("printed", "prior")}
    feasible_defs = [] if rec.feasibility.empty else _records(rec.feasibility)
    return {"spec": Path(spec.path).name, "spec_sha256": spec.fingerprint,
            "title": spec.title, "time_unit": spec.time_unit, "horizon": spec.horizon,
            "definitions": spec.definitions.__dict__, "seed": s.seed, "draws": s.draws,
            "tried": s.tried, "acceptance_rate": _num(s.acceptance_rate),
            "gibbs_acceptance": _num(s.gibbs_accept),
            "representative_member": int(s.members["member"].iloc[s.representative]),
            "band_quantiles": [0.05, 0.5, 0.95], "endpoints": endpoints,
            "span": spec.span, "follow_up_cap": spec.follow_up_cap,
            "planned_follow_up": spec.planned_follow_up,
            # which unprinted quantities the printed numbers narrow to at most
            # IDENTIFIED_RATIO of the prior's band ("printed"), and which keep
            # mostly the prior's band ("prior")
            "identified_ratio": IDENTIFIED_RATIO, "identification": identification,
            "printed": _records(s.printed), "feasibility": feasible_defs,
            "jointly_feasible": bool(len(s.members)),
            # printed numbers outside the prior's band (only when there are any)
            **({"prior_conflicts": [{**c, "text": conflict_text(spec, c)} for c in s.conflicts]}
               if s.conflicts else {}),
            "fingerprint": rec.fingerprint}


def _csv(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n", float_format="%.6f")


def write_outputs(rec: Reconstruction, out_dir=DEFAULT_OUT) -> dict[str, Path]:
    """Write every derived file atomically; the JSON (with the fingerprint) last."""
    out = Path(out_dir)
    s = rec.summary
    paths = {k: out / v for k, v in OUTPUT_FILES.items()}
    write_text(paths["ipd"], _csv(s.ipd))
    write_text(paths["bands"], _csv(s.bands))
    write_text(paths["curves"], _csv(s.curves))
    write_text(paths["members"], _csv(s.ensemble_ipd))
    write_text(paths["feasibility"], _csv(rec.feasibility))
    write_text(paths["json"], json.dumps(summary_json(rec), ensure_ascii=False, indent=1) + "\n")
    return paths


def default_out(spec_path) -> Path:
    """Where a spec's derived files go: this paper's ``data/derived`` for its own spec, else
    ``derived/`` beside the spec, so another paper's run never overwrites this paper's
    committed files."""
    if Path(spec_path).resolve() == DEFAULT_SPEC.resolve():
        return DEFAULT_OUT
    return Path(spec_path).resolve().parent / "derived"


def load_or_build(spec_path=DEFAULT_SPEC, *, draws: int = DEFAULT_DRAWS,
                  seed: int = DEFAULT_SEED, verdict_tries: int = DEFAULT_VERDICT_TRIES,
                  out_dir=None, progress=None) -> dict:
    """The derived files as DataFrames (and the JSON as ``"summary"``).

    Rebuilds them first (in ``out_dir``, default :func:`default_out`) when missing or when
    their fingerprint does not match the spec, seed, draws and code; ``progress`` (a tqdm
    bar) counts the accepted data sets then. Keys: ``ipd, bands, curves, members,
    feasibility, summary``.
    """
    spec = load_spec(spec_path)
    out = Path(out_dir) if out_dir is not None else default_out(spec_path)
    want = fingerprint(spec, seed=seed, draws=draws, verdict_tries=verdict_tries)
    jpath = out / OUTPUT_FILES["json"]
    try:
        doc = json.loads(jpath.read_text(encoding="utf-8"))
        fresh = doc.get("fingerprint") == want and all(
            (out / f).is_file() for f in OUTPUT_FILES.values())
    except (FileNotFoundError, json.JSONDecodeError):
        fresh = False
    if not fresh:
        write_outputs(build(spec, draws=draws, seed=seed, verdict_tries=verdict_tries,
                            progress=progress), out)
        doc = json.loads(jpath.read_text(encoding="utf-8"))
    frames = {k: pd.read_csv(out / f) for k, f in OUTPUT_FILES.items()
              if k != "json" and (out / f).stat().st_size > 1}
    return {**frames, "summary": doc}
