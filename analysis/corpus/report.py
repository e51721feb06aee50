"""The outputs of a corpus baseline run: ``variables.csv``, ``trials.csv``, ``summary.json``
and ``report.html``.

Everything is a function of the run's results and settings (no clock, no paths other than
the input's name), written atomically, so a rerun writes the same bytes. The HTML page is
self-contained: inline CSS and hand-drawn SVG, no script, no font or image fetched.
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..atomic import write_text
from .reader import CorpusTable
from .run import BaselineRun

__all__ = ["EXTREME", "summary_dict", "report_html", "write_outputs"]

# A trial P "within 0.05 of 0 or 1" (Carlisle 2017): 10 % of trials under the null.
EXTREME = 0.05
_BINS = 20
_SHOWN = 15


def _share(p: pd.Series) -> dict:
    p = p.dropna()
    low, high = int((p < EXTREME).sum()), int((p > 1 - EXTREME).sum())
    n = len(p)
    return {"trials": n, "below_0.05": low, "above_0.95": high, "extreme": low + high,
            "extreme_percent": round(100 * (low + high) / n, 2) if n else None,
            "ks_uniform_p": (float(f"{stats.kstest(p, 'uniform').pvalue:.4g}") if n > 1
                             else None)}


def summary_dict(run: BaselineRun, table: CorpusTable) -> dict:
    """The run in numbers: settings, counts of what was read and skipped, and per study set
    and overall the trials whose P lies within 0.05 of 0 or 1 (rounding-aware ``p`` and,
    for comparison, ``p_f`` from the F distribution)."""
    v, t = run.variables, run.trials
    notes = v.loc[v["note"] != "", "note"].value_counts().sort_index()
    studies = list(dict.fromkeys(table.rows["study"]))
    per = {}
    for study in studies:
        g = t[t["study"] == study]
        per[study] = {"trials": int(table.rows.loc[table.rows["study"] == study, "trial"].nunique()),
                      "trials_with_p": len(g), "variables_tested": int(g["variables"].sum()),
                      "rounding_aware": _share(g["p"]), "f_distribution": _share(g["p_f"])}
    return {
        "input": {"file": Path(table.source).name, "sha256": table.sha256},
        "settings": {k: run.settings[k] for k in ("draws", "seed", "ties")},
        "method": "per variable: k-group ANOVA P by Monte Carlo under the null with the "
                  "simulated means and SDs rounded as printed (Carlisle 2017); per trial: "
                  "Stouffer's combination",
        "rows": {"read": int(len(table.rows) + len(table.bad_rows)),
                 "skipped": len(table.bad_rows)},
        "skipped_rows": [str(b) for b in table.bad_rows],
        "trials": {"in_input": int(len(dict.fromkeys(zip(table.rows["study"], table.rows["trial"])))),
                   "with_p": len(t)},
        "variables": {"in_input": len(v), "tested": int(v["p"].notna().sum()),
                      "skipped": {str(k): int(c) for k, c in notes.items()}},
        "extreme_definition": f"trial P < {EXTREME} or > {1 - EXTREME}",
        "overall": {"rounding_aware": _share(t["p"]), "f_distribution": _share(t["p_f"])},
        "studies": per,
    }


def _histogram_svg(p: pd.Series, p_f: pd.Series, title: str) -> str:
    width, height, left, bottom, top = 360, 190, 34, 26, 18
    counts = np.histogram(p.dropna(), bins=_BINS, range=(0, 1))[0]
    counts_f = np.histogram(p_f.dropna(), bins=_BINS, range=(0, 1))[0]
    expected = len(p.dropna()) / _BINS
    # Scaled to the rounding-aware counts; the F-distribution line is cut at the top (its
    # spike at 1 would flatten everything else).
    peak = max(int(counts.max(initial=0)), expected, 1) * 1.15
    plot_w, plot_h = width - left - 8, height - bottom - top
    x = lambda i: left + plot_w * i / _BINS
    y = lambda c: top + plot_h * (1 - min(c, peak) / peak)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">',
             f'<text x="{left}" y="12" class="t">{html.escape(title)}</text>']
    for i, c in enumerate(counts):
        parts.append(f'<rect x="{x(i) + 0.5:.1f}" y="{y(c):.1f}" width="{plot_w / _BINS - 1:.1f}" '
                     f'height="{top + plot_h - y(c):.1f}" class="{"e" if i in (0, _BINS - 1) else "b"}"/>')
    steps = " ".join(f"{x(i):.1f},{y(c):.1f} {x(i + 1):.1f},{y(c):.1f}"
                     for i, c in enumerate(counts_f))
    parts.append(f'<polyline points="{steps}" class="f"/>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(expected):.1f}" '
                 f'y2="{y(expected):.1f}" class="u"/>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" class="a"/>')
    for tick in (0, 0.25, 0.5, 0.75, 1):
        tx = left + plot_w * tick
        parts.append(f'<text x="{tx:.1f}" y="{height - 8}" class="k" text-anchor="middle">{tick:g}</text>')
    parts.append(f'<text x="{left - 4}" y="{y(expected) + 3:.1f}" class="k" text-anchor="end">'
                 f'{expected:.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}table{border-collapse:collapse}
td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:10px}.t{font-size:12px;font-weight:600}.k{font-size:10px;fill:#555}
.b{fill:#8aa9c9}.e{fill:#c0504d}.f{fill:none;stroke:#444;stroke-width:1;stroke-dasharray:3 2}
.u{stroke:#2a7d2a;stroke-width:1.2}.a{stroke:#444}.note{color:#555}"""


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(run: BaselineRun, summary: dict) -> str:
    """The page: per study set, the histogram of trial P against the uniform (green line),
    bars in the outer 0.05 red, the F-distribution P dashed; the counts; the trials at
    the extremes."""
    t = run.trials
    fmt = lambda x: "" if x is None else f"{x:g}"
    rows = []
    for study, d in list(summary["studies"].items()) + [("All", summary["overall"] | {
            "trials_with_p": summary["trials"]["with_p"]})]:
        ra = d["rounding_aware"]
        fd = d["f_distribution"]
        rows.append({"study set": study, "trials": ra["trials"], "P < 0.05": ra["below_0.05"],
                     "P > 0.95": ra["above_0.95"], "extreme %": fmt(ra["extreme_percent"]),
                     "KS P (uniform)": fmt(ra["ks_uniform_p"]),
                     "F-distribution extreme %": fmt(fd["extreme_percent"])})
    plots = [_histogram_svg(t["p"], t["p_f"], f"All ({len(t)} trials)")]
    for study in summary["studies"]:
        g = t[t["study"] == study]
        plots.append(_histogram_svg(g["p"], g["p_f"], f"{study} ({len(g)} trials)"))
    ordered = t.sort_values(["p", "study", "trial"], kind="stable")
    near = lambda x: (f"{x:.3g}" if x <= 0.999 else "1" if x >= 1
                      else f"1 − {1 - x:.2g}")     # 1 − 3.1e-09, not a rounded "1"
    show = lambda f: f.assign(p=f["p"].map(near), p_f=f["p_f"].map(near))
    s = summary["settings"]
    skipped = summary["rows"]["skipped"]
    page = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<title>Baseline balance of a corpus of trials</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>Baseline balance of a corpus of trials</h1>",
        f"<p>Input <code>{html.escape(summary['input']['file'])}</code> "
        f"(SHA-256 {summary['input']['sha256'][:12]}…): {summary['trials']['with_p']} trials "
        f"with a P, {summary['variables']['tested']} variables tested, {skipped} rows skipped "
        f"(listed in summary.json). Method, {html.escape(summary['method'])}; {s['draws']} "
        f"draws per variable, seed {s['seed']}, ties {s['ties']}.</p>",
        f"<p>Under the null, trial P values are uniform: 10 % fall within {EXTREME} of 0 or 1 "
        "(red bars)"
        + ("; with ties counted half (the mid-P) a little fewer, 9.1 % of 5000 simulated "
           "honest trials" if s["ties"] == "mid" else "")
        + ". Green line: the count per bin a uniform distribution gives; dashed: the "
        "P values from the F distribution, the printed numbers taken as exact (cut at the "
        "top of each plot).</p>",
        _table(pd.DataFrame(rows)), '<h2>Distribution of trial P values</h2>',
        f'<div class="grid">{"".join(plots)}</div>',
        f"<h2>The {_SHOWN} trials with the smallest P (arms too different)</h2>",
        _table(show(ordered.head(_SHOWN))),
        f"<h2>The {_SHOWN} trials with the largest P (arms too alike)</h2>",
        _table(show(ordered.tail(_SHOWN).iloc[::-1])),
        '<p class="note">Carlisle JB. Anaesthesia 2017;72:944-52. doi:10.1111/anae.13938</p>',
        "</body></html>", ""]
    return "\n".join(page)


def _csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def write_outputs(run: BaselineRun, table: CorpusTable, out) -> dict:
    """Write the four files into ``out`` (each atomically); return the summary."""
    out = Path(out)
    summary = summary_dict(run, table)
    write_text(out / "variables.csv", _csv(run.variables))
    write_text(out / "trials.csv", _csv(run.trials))
    write_text(out / "summary.json", json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    write_text(out / "report.html", report_html(run, summary))
    return summary
