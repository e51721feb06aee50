"""A paper's survival figure rebuilt from the reported summary statistics (this paper's
Figure 1: A, OS; B, PFS), one panel per endpoint of its survival spec.

The paper's figure is not available; what is drawn is the representative data set
of the constraint-based ensemble (:mod:`analysis.ensemble`): its Kaplan–Meier
steps with censor marks, the ensemble's pointwise 5–95 % band shaded, medians
marked, the printed log-rank χ² and P, and a numbers-at-risk table under each
panel. The arm and endpoint names, the figure's name and the time axis's words come
from the spec (docs/survival-spec.md) or, where it gives none, from the ``[figure1]``
and ``[endpoint]`` sections of the string catalog.

If a digitized Figure 1 is added to ``data/raw/figure1/`` (per endpoint and arm,
``<endpoint>_<arm>_curve.csv`` with ``time,survival`` and optionally
``<endpoint>_<arm>_at_risk.csv`` with ``time,n_at_risk``, as for
``python -m analysis reconstruct guyot``), each panel whose two arms are both
there also shows the Guyot reconstruction from it (dashed) and how much of it lies
inside the ensemble's band.

``python -m analysis.figure1 [--lang en|zh] [--out DIR]`` writes
``figure1-<lang>.png`` (300 dpi) and ``figure1-<lang>.svg``; the SVG bytes are
stable (fixed hash salt, no date).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .ensemble.pipeline import DEFAULT_SPEC, load_or_build
from .ensemble.spec import load_spec
from .fonts import use_cjk_font
from .i18n import check_lang, current_lang, t
from .km.estimate import kaplan_meier, km_median, n_at_risk, survival_at

__all__ = ["make_figure1", "write_figure1", "digitized_ipd", "at_risk_times", "DEFAULT_FIG_DIR",
           "DEFAULT_DIGITIZED", "FIGSIZE", "FONT"]

DEFAULT_FIG_DIR = Path(__file__).resolve().parents[1] / "export" / "figures"
DEFAULT_DIGITIZED = Path(__file__).resolve().parents[1] / "data" / "raw" / "figure1"
_COLOURS = ("#c0392b", "#2c6fbb")  # first arm (experimental), second arm (control)
# Steps of the time axis and the at-risk rows, per time unit: whole weeks, months, years.
_STEPS = {"day": (7, 14, 30, 60, 90, 180, 365, 730), "week": (1, 2, 4, 8, 13, 26, 52, 104),
          "month": (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120), "year": (1, 2, 5, 10, 20)}


def at_risk_times(horizon: float, time_unit: str = "month", *, most: int = 7) -> np.ndarray:
    """The time axis's ticks, where numbers at risk are shown: from 0 to ``horizon`` in the
    smallest step of :data:`_STEPS` that gives at most ``most`` of them (24 months: every 4)."""
    steps = _STEPS[time_unit]
    step = next((s for s in steps if horizon / s < most), steps[-1])
    return np.arange(0, horizon + 1e-9, step)


def digitized_ipd(spec, endpoint: str, folder=DEFAULT_DIGITIZED) -> dict | None:
    """Guyot reconstruction of both arms of ``endpoint`` from digitized files.

    ``None`` when either arm's curve file is missing. Returns ``{arm: GuyotResult}``.
    """
    from .km.files import reconstruct_from_files

    folder = Path(folder)
    out = {}
    for arm, n in zip(spec.arms, spec.n):
        curve = folder / f"{endpoint}_{arm}_curve.csv"
        if not curve.is_file():
            return None
        at_risk = folder / f"{endpoint}_{arm}_at_risk.csv"
        out[arm] = reconstruct_from_files(curve, at_risk if at_risk.is_file() else None, n=n)
    return out


def _band_share(km, band) -> float:
    """Share of the band's grid where the curve lies inside the band."""
    s = survival_at(km, band["time"].to_numpy())
    return float(np.mean((s >= band["p05"].to_numpy() - 1e-12)
                         & (s <= band["p95"].to_numpy() + 1e-12)))


# The figure is drawn at the size it is shown: the text column of an A4 page (18 cm) and
# of the book's HTML page, so 8 pt here is 8 pt to the reader at 100 % zoom.
FIGSIZE = (7.0, 5.0)  # inches
FONT = 8  # pt, every label; titles a little larger
# Vertical layout, in figure fractions from the top: title, panels, at-risk rows,
# legend, caption. The legend and the caption sit below the panels, off the curves.
_LAYOUT = dict(top=0.83, bottom=0.235, left=0.185, right=0.985)
# The gap between the at-risk row names and their numbers (the tick pad, 10 pt), as a
# fraction of the figure's width, and the least margin left of the names.
_RISK_PAD = 10 / 72 / FIGSIZE[0]
_EDGE = 0.005


def _panel(ax, ax_risk, spec, data, endpoint: str, lang: str, rule: str,
           digitized: dict | None = None, *, row_labels: bool) -> None:
    ipd, curves, doc = data["ipd"], data["curves"], data["summary"]
    ep = spec.endpoint(endpoint)
    draws = doc["draws"]
    ticks = at_risk_times(spec.horizon, spec.time_unit)
    for arm, colour in zip(spec.arms, _COLOURS):
        name = spec.arm_label(arm, lang)
        band = curves[(curves["endpoint"] == endpoint) & (curves["arm"] == arm)]
        ax.fill_between(band["time"], band["p05"], band["p95"], step="post", color=colour,
                        alpha=0.18, linewidth=0,
                        label=t("figure1.band", lang, arm=name, draws=draws))
        sub = ipd[ipd["arm"] == arm]
        time, event = sub[f"{endpoint}_time"].to_numpy(float), sub[f"{endpoint}_event"].to_numpy()
        km = kaplan_meier(time, event)
        x = np.concatenate(([0.0], km.time))
        y = np.concatenate(([1.0], km.survival))
        ax.step(x, y, where="post", color=colour, linewidth=1.4, label=name)
        cens = km.time[km.n_censor > 0]
        ax.plot(cens, km.survival[km.n_censor > 0], linestyle="none", marker="|",
                markersize=5, color=colour)
        med = km_median(km, method=rule)
        if np.isfinite(med):
            ax.plot([med, med], [0, 0.5], linestyle=":", color=colour, linewidth=1)
            # Each median's label on its own line at the foot of its dotted line.
            ax.annotate(t("figure1.median", lang, value=med), (med, 0.0), color=colour,
                        fontsize=FONT, ha="center", va="bottom",
                        xytext=(0, 2 + (FONT + 3) * (1 - spec.arms.index(arm))),
                        textcoords="offset points",
                        bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=0.6))
        if digitized is not None:
            dig = digitized[arm].ipd
            dkm = kaplan_meier(dig["time"], dig["event"])
            ax.step(np.concatenate(([0.0], dkm.time)), np.concatenate(([1.0], dkm.survival)),
                    where="post", color=colour, linewidth=1.1, linestyle="--",
                    label=t("figure1.digitized", lang, arm=name,
                            share=100 * _band_share(dkm, band)))
        row = spec.arms.index(arm)
        for tt, n in zip(ticks, n_at_risk(time, ticks)):
            ax_risk.text(tt, 1 - row, str(int(n)), ha="center", va="center", fontsize=FONT,
                         color=colour)
    ax.axhline(0.5, color="0.6", linewidth=0.6, linestyle="--")
    ax.plot([], [], linestyle="none", marker="|", color="0.3", label=t("figure1.censored", lang))
    chi2_rep = doc["endpoints"][endpoint]["logrank_chi2"]["representative"]
    if ep.logrank_chi2 is not None and ep.logrank_p is not None:
        # Above the plot area, under the panel title: never on a curve.
        ax.text(0.0, 1.02, t("readers.figure1.logrank", lang, chi2=ep.logrank_chi2.text,
                             p=ep.logrank_p.text, chi2_rep=chi2_rep),
                transform=ax.transAxes, ha="left", va="bottom", fontsize=FONT,
                linespacing=1.15)
    ax.set_xlim(0, spec.horizon)
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ticks)
    ax.tick_params(labelsize=FONT)
    time_words = spec.time_names.get(lang) or t("figure1.time", lang)
    ax.set_xlabel(t("figure1.xlabel", lang, time=time_words,
                    unit=t(f"figure1.unit.{spec.time_unit}", lang)), fontsize=FONT)
    ax_risk.set_xlim(ax.get_xlim())
    ax_risk.set_ylim(-0.6, 1.6)
    # Row names once, left of panel A; panel B's rows are in the same order and colours.
    # a long arm name ("Standard chemotherapy") takes two lines rather than run off the page
    ax_risk.set_yticks([1, 0], [_wrapped(ax.figure, spec.arm_label(a, lang), fontsize=FONT,
                                         width=_LAYOUT["left"] - _RISK_PAD) for a in spec.arms]
                       if row_labels else ["", ""], fontsize=FONT, linespacing=1.0)
    for label, colour in zip(ax_risk.get_yticklabels(), _COLOURS):
        label.set_color(colour)
    ax_risk.set_xticks([])
    ax_risk.set_title(t("figure1.at_risk", lang), fontsize=FONT, loc="left")
    for side in ("top", "right", "bottom", "left"):
        ax_risk.spines[side].set_visible(False)
    ax_risk.tick_params(length=0, pad=10)


def make_figure1(lang: str | None = None, *, data: dict | None = None, spec_path=DEFAULT_SPEC,
                 digitized_dir=DEFAULT_DIGITIZED):
    """The figure (matplotlib ``Figure``, :data:`FIGSIZE` inches) in ``lang`` (default:
    the current edition).

    ``data`` is :func:`analysis.ensemble.pipeline.load_or_build`'s result; by default
    it is loaded (and rebuilt only if stale). Digitized curves in ``digitized_dir``
    are drawn too (see the module docstring).
    """
    lang = check_lang(lang or current_lang())
    use_cjk_font()
    import matplotlib.pyplot as plt

    spec = load_spec(spec_path)
    data = data if data is not None else load_or_build(spec_path)
    rule = data["summary"]["definitions"]["median"]
    fig = plt.figure(figsize=FIGSIZE)
    endpoints = [ep.name for ep in spec.endpoints]
    grid = fig.add_gridspec(2, len(endpoints), height_ratios=(4, 1), hspace=0.62, wspace=0.22,
                            **_LAYOUT)
    axes = []
    for col, endpoint in enumerate(endpoints):
        ax = fig.add_subplot(grid[0, col])
        ax_risk = fig.add_subplot(grid[1, col])
        _panel(ax, ax_risk, spec, data, endpoint, lang, rule,
               digitized_ipd(spec, endpoint, digitized_dir), row_labels=col == 0)
        label = spec.endpoint_label(endpoint, lang)
        # Letters only when there is more than one panel to tell apart.
        title = t("figure1.panel", lang, letter="ABCDEFGH"[col], endpoint=label) \
            if len(endpoints) > 1 else label
        ax.set_title(title, fontsize=FONT + 1.5, loc="left", pad=FONT * 3.4)
        ax.set_ylabel(t("figure1.ylabel", lang, endpoint=label), fontsize=FONT)
        axes.append(ax)
    _fit_left(fig, grid)
    # One legend for every panel (the colours are shared), below them; labels of the
    # first panel, then any (digitized curves) only a later one has.
    entries = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    # Column by column: the curves and the censoring mark, then the bands (and any
    # digitized curves).
    arms = [spec.arm_label(a, lang) for a in spec.arms]
    first = arms + [t("figure1.censored", lang)]
    order = first + [label for label in entries if label not in first]
    fig.legend([entries[label] for label in order], order, loc="lower center",
               bbox_to_anchor=(0.5, 0.075), ncol=2, fontsize=FONT, frameon=False,
               columnspacing=2.0, handlelength=1.8)
    figure = spec.figure_names.get(lang) or t("figure1.figure", lang)
    fig.suptitle(t("figure1.title", lang, figure=figure), fontsize=FONT + 1.5, y=0.99)
    fig.text(0.5, 0.008, _wrapped(fig, t("figure1.caption", lang), fontsize=FONT, width=0.96),
             ha="center", va="bottom", fontsize=FONT)
    return fig


def _fit_left(fig, grid) -> None:
    """Widen the left margin when a row name still reaches past the figure's edge (one word
    longer than the margin): the panels narrow, nothing is cut off."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    left = min(label.get_window_extent(renderer).x0 for ax in fig.axes
               for label in (*ax.get_yticklabels(), ax.yaxis.label) if label.get_text())
    short = _EDGE - left / fig.bbox.width
    if short > 0:
        grid.update(left=_LAYOUT["left"] + short)


# One CJK character (or full-width punctuation) per token; Latin words keep their spaces.
_TOKENS = re.compile(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+")
_NO_LINE_START = set("，。；：、）」』%")


def _wrapped(fig, text: str, *, fontsize: float, width: float) -> str:
    """``text`` in lines no wider than ``width`` (a fraction of the figure's width).

    Breaks between words and, in Chinese, between characters (matplotlib's own
    ``wrap=True`` breaks at spaces only, so a Chinese caption broke mid-phrase);
    closing punctuation never starts a line. Widths are measured with the figure's
    renderer and font, so the result is the same on every run.
    """
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, "", fontsize=fontsize)
    limit = width * fig.bbox.width
    lines, line = [], ""
    for token in _TOKENS.findall(text):
        probe.set_text((line + token).rstrip())
        if line.strip() and token[0] not in _NO_LINE_START \
                and probe.get_window_extent(renderer).width > limit:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    probe.remove()
    return "\n".join(lines + [line.rstrip()])


def write_figure1(out_dir=DEFAULT_FIG_DIR, lang: str | None = None, *, data: dict | None = None,
                  spec_path=DEFAULT_SPEC, digitized_dir=DEFAULT_DIGITIZED,
                  stem: str | None = None) -> list[Path]:
    """Write ``<stem>.png`` (300 dpi) and ``<stem>.svg`` atomically; return the paths.

    ``stem`` defaults to ``figure1-<lang>``.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    lang = check_lang(lang or current_lang())
    out = Path(out_dir)
    paths = []
    with matplotlib.rc_context({"svg.hashsalt": "figure1"}):
        fig = make_figure1(lang, data=data, spec_path=spec_path, digitized_dir=digitized_dir)
        for ext, kwargs in (("png", {"dpi": 300, "metadata": {"Software": None}}),
                            ("svg", {"metadata": {"Date": None, "Creator": None}})):
            path = out / f"{stem or f'figure1-{lang}'}.{ext}"
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format=ext, **kwargs)
            paths.append(path)
        plt.close(fig)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.figure1", description=__doc__)
    parser.add_argument("--lang", choices=("en", "zh"), action="append")
    parser.add_argument("--out", default=str(DEFAULT_FIG_DIR))
    args = parser.parse_args(argv)
    for lang in args.lang or ["en", "zh"]:
        for path in write_figure1(args.out, lang):
            print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
