"""The survival reconstruction for readers: ensemble summary, feasibility table and verdict.

The book's survival chapter shows what the constraint-based ensemble
(:mod:`analysis.ensemble`) says about the numbers the paper does not print
(landmark survival, events, hazard ratio, RMST difference) and whether every
printed survival number can be met under each combination of definitions. Input is
:func:`analysis.ensemble.pipeline.load_or_build`'s result (the committed
``data/derived`` files); every label comes from the catalog, so both editions show
the same numbers in their own language.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from ..ensemble.spec import DAYS_PER_MONTH
from ..i18n import check_lang, t

__all__ = ["ENDPOINTS", "band", "band_text", "ensemble_table", "feasibility_table",
           "Feasibility", "feasibility", "identified_text", "hr_sentence", "identification"]

ENDPOINTS = ("os", "pfs")
_ARMS = ("combination", "control")
# Decimals per quantity as the table shows it; survival is shown in percent.
_DECIMALS = {"survival": 1, "events": 0, "hr": 3, "rmst_diff": 2}


def band(data: dict, endpoint: str, quantity: str, *, arm: str = "", time: float | None = None) -> pd.Series:
    """One row of the ensemble's bands (``min, p05, p50, p95, max, representative``).

    Parameters
    ----------
    data : dict
        :func:`analysis.ensemble.pipeline.load_or_build`'s result.
    endpoint : {"os", "pfs"}
    quantity : str
        ``survival``, ``events``, ``rmst``, ``hr``, ``hr_lower``, ``hr_upper``,
        ``rmst_diff``, ``logrank_chi2``, ...
    arm : str
        ``combination`` or ``control`` for per-arm quantities, ``""`` for between-arm ones.
    time : float, optional
        The landmark (months) of a ``survival`` row.
    """
    b = data["bands"]
    rows = b[(b["endpoint"] == endpoint) & (b["quantity"] == quantity)
             & (b["arm"].fillna("") == arm)]
    if time is not None:
        rows = rows[(rows["time"] - time).abs() < 1e-9]
    if len(rows) != 1:
        raise KeyError(f"no single ensemble band for {endpoint}/{quantity}/{arm or '-'}"
                       f"{'' if time is None else f'/{time:g}'}")
    return rows.iloc[0]


def _fixed(x: float, decimals: int, scale: float = 1.0) -> str:
    return f"{x * scale:.{decimals}f}"


def band_text(row: pd.Series, lang: str, *, decimals: int, scale: float = 1.0,
              low: str = "p05", high: str = "p95") -> str:
    """``row``'s ``low`` to ``high`` as text (``"0.567 to 0.596"`` / ``"0.567 至 0.596"``)."""
    return t("audit.range", check_lang(lang), lo=_fixed(row[low], decimals, scale),
             hi=_fixed(row[high], decimals, scale))


def _median_band(row: pd.Series, decimals: int, scale: float = 1.0) -> str:
    """Ensemble median with its 5–95 % band: ``"72.5 (62.0–84.6)"``."""
    return (f"{_fixed(row['p50'], decimals, scale)} "
            f"({_fixed(row['p05'], decimals, scale)}–{_fixed(row['p95'], decimals, scale)})")


def identified_text(row: pd.Series, lang: str) -> str:
    """Whether the printed numbers or mostly the prior set a band, with the share of the
    prior's width left (``""`` for a band without a prior reference)."""
    by = row.get("identified_by")
    if not isinstance(by, str) or by not in ("printed", "prior"):
        return ""
    return t(f"book.survival.identified.{by}", lang, pct=f"{100 * row['width_ratio']:.0f}")


def hr_sentence(data: dict, lang: str, endpoint: str = "os") -> str:
    """The hazard-ratio band against the prior's and against what the printed log-rank
    χ² implies (with each data set's events, and with an event in every patient)."""
    check_lang(lang)
    row = band(data, endpoint, "hr")
    name = t(f"tables.ensemble.endpoint.{endpoint}", lang)
    text = t(f"book.survival.identified.hr_{row['identified_by']}", lang,
             band=band_text(row, lang, decimals=3),
             prior=band_text(row, lang, decimals=3, low="prior_p05", high="prior_p95"),
             implied=band_text(band(data, endpoint, "hr_logrank"), lang, decimals=3),
             pct=f"{100 * row['width_ratio']:.0f}",
             endpoint=name.lower() if lang == "en" else name)
    bound = data["summary"]["endpoints"][endpoint]["hr_all_events"]
    if bound["hr"] is None:
        return text
    return text + (" " if lang == "en" else "") + t(
        "book.survival.identified.hr_bound", lang, bound=f"{bound['hr']:.3f}", n=bound["events"])


def identification(data: dict, lang: str) -> str:
    """Which unprinted quantities the printed numbers set and which are mostly the
    prior's, for the book (the ``--json`` output's ``identification``): a Markdown list
    of two items."""
    check_lang(lang)
    b = data["bands"]
    names = {"printed": [], "prior": []}
    for ep in ENDPOINTS:
        rows = b[(b["endpoint"] == ep) & b["quantity"].isin(_DECIMALS)]
        for _, r in rows.iterrows():
            if r["identified_by"] not in names:
                continue
            arm = r["arm"] if isinstance(r["arm"], str) else ""
            label = _label(r["quantity"], r["time"], data, lang, ep)
            names[r["identified_by"]].append(t(
                f"book.survival.identified.item{'_arm' if arm else ''}", lang,
                endpoint=t(f"tables.feasibility.endpoint.{ep}", lang), quantity=label,
                arm=t(f"arm.{arm}", lang) if arm else ""))
    join = t("book.survival.identified.join", lang)
    items = [t(f"book.survival.identified.{by}_list", lang,
               names=join.join(v) or t("book.survival.identified.none", lang))
             for by, v in names.items()]
    return "".join(f"- {item}\n" for item in items)


def _label(quantity: str, time: float, data: dict, lang: str, endpoint: str) -> str:
    if quantity == "survival":
        return t("tables.ensemble.q.survival", lang, months=f"{time:g}")
    if quantity == "events":
        return t(f"tables.ensemble.q.events_{endpoint}", lang)
    if quantity == "rmst_diff":
        doc = data["summary"]
        return t("tables.ensemble.q.rmst_diff", lang, months=f"{doc.get('span', doc['horizon']):g}")
    return t("tables.ensemble.q.hr", lang).split(" (")[0].split("（")[0]


def ensemble_table(data: dict, lang: str) -> pd.DataFrame:
    """What the paper does not print, per endpoint: the ensemble's median (5–95 %), the
    representative data set, and whether the band is set by the printed numbers or
    mostly by the prior.

    Rows per endpoint: survival at each landmark and events per arm, the Cox hazard
    ratio (combination vs control; the representative data set's with its 95 % CI)
    and the difference in restricted mean survival time up to the span (the
    horizon, or the longest follow-up if shorter).
    """
    check_lang(lang)
    doc = data["summary"]
    horizon = doc.get("span", doc["horizon"])
    landmarks = sorted(data["bands"].loc[data["bands"]["quantity"] == "survival", "time"].unique())
    rows = []

    def add(endpoint, label, arm, row, decimals, scale=1.0, representative=None):
        rows.append({
            t("tables.ensemble.column.endpoint", lang):
                t(f"tables.ensemble.endpoint.{endpoint}", lang),
            t("tables.ensemble.column.quantity", lang): label,
            t("tables.ensemble.column.arm", lang): t(f"arm.{arm}", lang) if arm else "",
            t("tables.ensemble.column.band", lang): _median_band(row, decimals, scale),
            t("tables.ensemble.column.representative", lang): representative
            or _fixed(row["representative"], decimals, scale),
            t("book.survival.identified.column", lang): identified_text(row, lang),
        })

    for ep in ENDPOINTS:
        for time in landmarks:
            for arm in _ARMS:
                add(ep, t("tables.ensemble.q.survival", lang, months=f"{time:g}"), arm,
                    band(data, ep, "survival", arm=arm, time=time), _DECIMALS["survival"], 100.0)
        for arm in _ARMS:
            add(ep, t(f"tables.ensemble.q.events_{ep}", lang), arm, band(data, ep, "events", arm=arm),
                _DECIMALS["events"])
        hr = band(data, ep, "hr")
        ci = (band(data, ep, "hr_lower")["representative"], band(data, ep, "hr_upper")["representative"])
        d = _DECIMALS["hr"]
        add(ep, t("tables.ensemble.q.hr", lang), "", hr, d,
            representative=f"{_fixed(hr['representative'], d)} ({_fixed(ci[0], d)}–{_fixed(ci[1], d)})")
        add(ep, t("tables.ensemble.q.rmst_diff", lang, months=f"{horizon:g}"), "",
            band(data, ep, "rmst_diff"), _DECIMALS["rmst_diff"])
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Feasibility


_MEDIAN = re.compile(r"^(?P<ep>\w+) median \((?P<arm>\w+)\)$")
_FOLLOW_UP = re.compile(r"^follow-up (?P<what>min|max|median)$")
_LOGRANK = re.compile(r"^(?P<ep>\w+) (?P<what>logrank_chi2|logrank_p|log-rank|better)$")


def _constraint(name: str, data: dict, lang: str) -> str:
    """A constraint of the ensemble (``"pfs median (combination)"``) in ``lang``, with the
    value the paper prints."""
    printed = {p["constraint"]: p["printed"] for p in data["summary"]["printed"]}
    if m := _MEDIAN.match(name):
        label = t("tables.feasibility.constraint.median", lang,
                  endpoint=t(f"tables.feasibility.endpoint.{m['ep']}", lang), arm=t(f"arm.{m['arm']}", lang))
    elif m := _FOLLOW_UP.match(name):
        label = t(f"tables.feasibility.constraint.follow_up_{m['what']}", lang)
    elif m := _LOGRANK.match(name):
        what = m["what"].replace("-", "")  # the sampler's "log-rank" joins χ² and P
        label = t(f"tables.feasibility.constraint.{what}", lang,
                  endpoint=t(f"tables.feasibility.endpoint.{m['ep']}", lang))
    else:  # a constraint this module has no words for: its name as the ensemble spells it
        label = name
    return t("tables.feasibility.printed", lang, label=label, printed=printed[name]) \
        if name in printed else label


def _obstacle(row: dict, data: dict, lang: str) -> str:
    """Why a combination failed, in ``lang``; ``""`` for a feasible one.

    From the feasibility table's language-neutral ``constraint`` and ``reason``: a
    combination ruled out before sampling (``grid`` or ``contradiction``), or one
    where no data set was found (``missed``: the constraint missed most often).
    """
    if row["feasible"] == "yes" or not isinstance(row["reason"], str) or not row["reason"]:
        return ""
    constraint = row["constraint"] if isinstance(row["constraint"], str) else ""
    return t(f"tables.feasibility.reason.{row['reason']}", lang,
             constraint=_constraint(constraint, data, lang),
             resolution=_resolution(row["resolution"], lang))


def _resolution(months: float, lang: str) -> str:
    if math.isclose(months, 1 / DAYS_PER_MONTH, rel_tol=1e-3):
        return t("tables.feasibility.resolution.day", lang)
    if math.isclose(months, 1.0):
        return t("tables.feasibility.resolution.month", lang)
    return t("tables.feasibility.resolution.months", lang, n=f"{months:g}")


def _definitions(row: dict, lang: str) -> str:
    return t("book.survival.feasibility.definitions", lang,
             median=t(f"tables.feasibility.median.{row['median']}", lang),
             fu_median=t(f"tables.feasibility.follow_up_median.{row['follow_up_median']}", lang),
             fu_range=t(f"tables.feasibility.follow_up_range.{row['follow_up_range']}", lang))


def _verdict(row: dict, lang: str) -> str:
    return t(f"tables.feasibility.verdict.{row['feasible'].replace(' ', '_')}", lang,
             tried=int(row["tried"]), accepted=int(row["accepted"]))


def feasibility_table(data: dict, lang: str) -> pd.DataFrame:
    """One row per combination of definitions tried: the definitions, the time
    resolution, the verdict (with members tried and accepted) and, when it fails, why."""
    check_lang(lang)
    f = data["feasibility"]
    return pd.DataFrame({
        t("tables.feasibility.column.median", lang):
            [t(f"tables.feasibility.median.{v}", lang) for v in f["median"]],
        t("tables.feasibility.column.follow_up_median", lang):
            [t(f"tables.feasibility.follow_up_median.{v}", lang) for v in f["follow_up_median"]],
        t("tables.feasibility.column.follow_up_range", lang):
            [t(f"tables.feasibility.follow_up_range.{v}", lang) for v in f["follow_up_range"]],
        t("tables.feasibility.column.resolution", lang): [_resolution(v, lang) for v in f["resolution"]],
        t("tables.feasibility.column.verdict", lang): [_verdict(r, lang) for r in f.to_dict("records")],
        t("tables.feasibility.column.obstacle", lang): [_obstacle(r, data, lang) for r in f.to_dict("records")],
    })


@dataclass(frozen=True)
class Feasibility:
    """The feasibility verdict summed up per recording resolution.

    Attributes
    ----------
    lang : str
    resolutions : tuple of (str, int, int)
        ``(resolution in words, feasible combinations, combinations tried)``, finest first.
    failures : tuple of (str, str, str, str)
        For each combination that failed: resolution, definitions, verdict and why,
        in ``lang``.
    sentence : str
        One sentence for the book: what can be met, and what cannot and why.
    """

    lang: str
    resolutions: tuple[tuple[str, int, int], ...]
    failures: tuple[tuple[str, str, str, str], ...]
    sentence: str

    @property
    def all_feasible(self) -> bool:
        return all(ok == n for _, ok, n in self.resolutions)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.resolutions), columns=["resolution", "feasible", "tried"])


def feasibility(data: dict, lang: str) -> Feasibility:
    """Sum up the ensemble's feasibility verdicts in ``lang`` (see :class:`Feasibility`)."""
    check_lang(lang)
    f = data["feasibility"]
    resolutions, failures, parts = [], [], []
    for res in sorted(f["resolution"].unique()):
        rows = f[f["resolution"] == res].to_dict("records")
        words = _resolution(res, lang)
        ok = sum(r["feasible"] == "yes" for r in rows)
        resolutions.append((words, ok, len(rows)))
        failed = [(words, _definitions(r, lang), _verdict(r, lang), _obstacle(r, data, lang))
                  for r in rows if r["feasible"] != "yes"]
        failures += failed
        key = "all" if ok == len(rows) else "none" if ok == 0 else "some"
        parts.append(t(f"book.survival.feasibility.{key}", lang, resolution=words, ok=ok, n=len(rows),
                       failures=t("book.survival.feasibility.join", lang).join(
                           t("book.survival.feasibility.failure", lang, definitions=d, verdict=v, why=w)
                           for _, d, v, w in failed)))
    return Feasibility(lang=lang, resolutions=tuple(resolutions), failures=tuple(failures),
                       sentence=" ".join(parts) if lang == "en" else "".join(parts))
