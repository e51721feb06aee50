"""The survival spec: what a two-arm report prints about its survival curves.

A spec is a TOML file (format in ``docs/survival-spec.md``; this paper's is
``data/raw/survival_spec.toml``). Every number is kept as the printed string, so
its precision is never lost; :func:`load_spec` checks the file and raises
:class:`~analysis.errors.InputError` naming the file and the key of the first
problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..printed import Printed, parse_printed

__all__ = ["Value", "Endpoint", "FollowUp", "Landmark", "Definitions", "Spec", "load_spec",
           "KINDS", "NESTED_KINDS", "MEDIAN_RULES", "FOLLOW_UP_MEDIANS", "FOLLOW_UP_RANGES",
           "DAYS_PER_MONTH", "UNITS"]

DAYS_PER_MONTH = 365.25 / 12
# Length of each unit in months; times inside a spec are in its `time_unit`.
_UNIT_MONTHS = {"day": 1 / DAYS_PER_MONTH, "week": 7 / DAYS_PER_MONTH, "month": 1.0, "year": 12.0}
# The words a value's `unit` may use, and the unit each means.
UNITS = {**{u: u for u in _UNIT_MONTHS}, **{u + "s": u for u in _UNIT_MONTHS}}
# No time in a trial report is longer than this (months): a longer one is a time printed
# in a shorter unit than the spec's, days read as months.
LONGEST_MONTHS = 1200
# What a value table may hold besides its printed `value`.
_VALUE_KEYS = ("value", "source", "lang", "quote", "unit")
MEDIAN_RULES = ("first_below", "midpoint")
FOLLOW_UP_MEDIANS = ("observed", "reverse_km")
FOLLOW_UP_RANGES = ("all", "censored")
# What ends an endpoint (docs/survival-spec.md, "Endpoint kinds"). The first endpoint is
# "overall"; a second one is nested in it (its event or the outer one, whichever comes
# first; or its event with the outer one censoring it) or separate (its own event,
# followed to the end of follow-up whatever the outer endpoint does).
NESTED_KINDS = ("event_or_death", "death_censored")
KINDS = ("overall",) + NESTED_KINDS + ("separate",)
_NOT_REACHED = ("NR", "not reached", "未达到")


@dataclass(frozen=True)
class _Scaled(Printed):
    """A printed number read in another unit: ``value`` and the rounding interval are
    multiplied by ``factor`` (``"540"`` days as months: 17.74, half a day either way;
    ``"23.3%"`` as a proportion: 0.233 +- 0.0005); ``text`` and ``decimals`` stay as
    printed."""

    factor: float = 1.0

    @property
    def half_unit(self) -> float:
        return 0.5 * 10.0 ** (-self.decimals) * self.factor


def _scaled(printed: Printed, factor: float) -> Printed:
    if factor == 1.0:
        return printed
    return _Scaled(text=printed.text, value=printed.value * factor, decimals=printed.decimals,
                   relation=printed.relation, factor=factor)


@dataclass(frozen=True)
class Value:
    """One printed value with its provenance.

    ``printed`` is ``None`` for a median printed as not reached ("NR").
    """

    text: str
    printed: Printed | None
    source: str = ""
    lang: tuple[str, ...] = ()
    quote: str = ""
    unit: str = ""  # the unit printed with it, when it is not the spec's time_unit

    @property
    def shown(self) -> str:
        """The value as printed, with its unit when that is not the spec's (``"540 day"``)."""
        return f"{self.text} {self.unit}" if self.unit else self.text

    @property
    def not_reached(self) -> bool:
        return self.printed is None

    def contains(self, x: float) -> bool:
        """Whether ``x`` (``nan`` = not reached) is what was printed."""
        if self.printed is None:
            return not math.isfinite(x)
        return math.isfinite(x) and self.printed.contains(x)


@dataclass(frozen=True)
class Landmark:
    """Kaplan-Meier survival printed at one time (``"6-month survival 23.3 % vs 21.2 %"``).

    ``time`` in the spec's ``time_unit``; ``rates`` maps an arm to its printed
    :class:`Value`, read as a proportion (``"23.3%"`` -> [0.2325, 0.2335]).
    """

    time: float
    text: str
    rates: dict = field(default_factory=dict)
    key: str = field(default="", compare=False)  # the spec's dotted key, for messages


@dataclass(frozen=True)
class Endpoint:
    """Printed statistics of one endpoint (e.g. OS)."""

    name: str
    medians: dict = field(default_factory=dict)  # arm -> Value
    events: dict = field(default_factory=dict)  # arm -> Value (printed deaths per arm)
    events_total: Value | None = None
    survival: tuple = ()  # Landmark, by time
    logrank_chi2: Value | None = None
    logrank_p: Value | None = None
    hr: Value | None = None
    hr_lower: Value | None = None
    hr_upper: Value | None = None
    better: str | None = None
    nested_in: str | None = None
    kind: str = "overall"
    # lang -> printed name ("Overall survival"); a label, not a number the ensemble uses
    names: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class FollowUp:
    endpoint: str
    min: Value | None = None
    max: Value | None = None
    median: Value | None = None


@dataclass(frozen=True)
class Definitions:
    """How the printed statistics are taken to have been computed.

    median : KM median, ``"first_below"`` (first t with S(t) <= 0.5; SPSS, SAS,
        lifelines) or ``"midpoint"`` (R: middle of a stretch where S = 0.5 exactly).
    follow_up_median : ``"observed"`` (median of all observed times) or
        ``"reverse_km"`` (KM median with censoring as the event; Schemper & Smith
        1996, doi:10.1016/0197-2456(96)00075-X).
    follow_up_range : ``"all"`` (min/max over all observed times) or ``"censored"``
        (over the censored times only).
    """

    median: str = "first_below"
    follow_up_median: str = "observed"
    follow_up_range: str = "all"

    def label(self) -> str:
        return f"median={self.median}, follow_up_median={self.follow_up_median}, " \
               f"follow_up_range={self.follow_up_range}"


@dataclass(frozen=True)
class Spec:
    """A two-arm survival report, as printed.

    ``arms[0]`` is the experimental arm: hazard ratios are ``arms[0]`` vs ``arms[1]``.
    Times are in ``time_unit``; ``tick`` is the recording resolution in that unit.
    ``endpoints[0]`` is the outer endpoint (kind ``overall``); each other endpoint is
    nested in it (``event_or_death``, ``death_censored``) or ``separate``.
    """

    path: str
    title: str
    time_unit: str
    tick: float
    arms: tuple[str, str]
    n: tuple[int, int]
    horizon: float
    planned_follow_up: float | None
    enrolment: tuple[dt.date, dt.date] | None
    cutoff: dt.date | None
    follow_up: FollowUp | None
    endpoints: tuple[Endpoint, ...]
    definitions: Definitions
    landmarks: tuple[float, ...]
    fingerprint: str
    # arm -> {lang: printed name}; a table's label, not a number the ensemble uses
    arm_names: dict = field(default_factory=dict, compare=False, hash=False)
    # lang -> the paper's name of the figure ("Figure 1") and of its time axis
    figure_names: dict = field(default_factory=dict, compare=False, hash=False)
    time_names: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def n_total(self) -> int:
        return sum(self.n)

    def arm_label(self, arm: str, lang: str = "en") -> str:
        """The arm's name in ``lang``: the spec's ``name``, else this paper's catalog name
        (``arm.<key>``), else the key itself."""
        from ..i18n import catalog, t

        names = self.arm_names.get(arm, {})
        if names:
            return _in(names, lang)
        return t(f"arm.{arm}", lang) if f"arm.{arm}" in catalog() else arm

    def endpoint_label(self, name: str, lang: str = "en") -> str:
        """The endpoint's name in ``lang``: the spec's ``name``, else the catalog's
        (``endpoint.<key>``: os, pfs), else the key in capitals."""
        from ..i18n import catalog, t

        names = self.endpoint(name).names
        if names:
            return _in(names, lang)
        return t(f"endpoint.{name}", lang) if f"endpoint.{name}" in catalog() else name.upper()

    def endpoint(self, name: str) -> Endpoint:
        for ep in self.endpoints:
            if ep.name == name:
                return ep
        raise KeyError(name)

    def implausible(self) -> list[tuple[str, str]]:
        """Printed numbers that are possible but unlikely, as ``(spec key, message)``.

        A progression-or-death median past the overall one of the same arm: each
        patient's progression-or-death time is at most their time to death, yet the two
        Kaplan-Meier curves can still cross where few remain at risk (11 in 1834, about 1 in 170
        simulated 50-patient arms with heavy censoring), so it is a warning, not an error.
        """
        outer = self.endpoints[0]
        found = []
        for ep in self.endpoints[1:]:
            if ep.kind != "event_or_death":
                continue
            for arm in self.arms:
                inner, over = ep.medians.get(arm), outer.medians.get(arm)
                if inner is None or over is None or over.not_reached:
                    continue
                if inner.not_reached or inner.printed.interval[0] > over.printed.interval[1]:
                    found.append((f"endpoints.{ep.name}.median.{arm}",
                                  f"printed {inner.text} is past the {outer.name} median "
                                  f"{over.text} of the same arm, although {ep.name} (event or "
                                  f"death) ends no later than {outer.name}; check the "
                                  f"transcription, or declare kind = \"death_censored\" if "
                                  f"deaths censor {ep.name}"))
        return found

    def with_definitions(self, definitions: Definitions) -> "Spec":
        return replace(self, definitions=definitions)

    @property
    def follow_up_cap(self) -> float:
        """The longest any patient can be followed, in ``time_unit``.

        The planned follow-up when printed, else the upper end of the printed maximum
        follow-up (``"77"`` allows 77.5: the horizon, often the same number rounded,
        must not cut off what the printed maximum allows), else the horizon; never
        longer than the upper end of the printed maximum nor than the time from the
        start of enrolment to the cut-off. Censoring comes from accrual and cut-off
        below this cap, never from the horizon itself.
        """
        top = self._max_top
        cap = self.planned_follow_up if self.planned_follow_up is not None else \
            top if math.isfinite(top) else self.horizon
        cap = min(cap, top)
        if self.enrolment is not None and self.cutoff is not None:
            cap = min(cap, self.potential_follow_up(self.enrolment[0]))
        return cap

    @property
    def follow_up_cap_ticks(self) -> int:
        """:attr:`follow_up_cap` on the recording grid, in ticks.

        The first tick at or after a printed planned follow-up (730.5 days -> 731), no
        later than the last tick within the printed maximum; with neither printed, the
        first tick at or after the cap. Enrolment and cut-off cap each patient apart.
        """
        cap = math.ceil(self.planned_follow_up / self.tick - 1e-9) \
            if self.planned_follow_up is not None else math.inf
        if math.isfinite(self._max_top):
            cap = min(cap, math.floor(self._max_top / self.tick + 1e-9))
        return cap if math.isfinite(cap) else math.ceil(self.follow_up_cap / self.tick - 1e-9)

    @property
    def _max_top(self) -> float:
        """Upper end of the printed maximum follow-up (``inf`` when none is printed)."""
        fu = self.follow_up
        return fu.max.printed.interval[1] if fu is not None and fu.max is not None else math.inf

    @property
    def span(self) -> float:
        """The time window the data can describe: the horizon, or the follow-up cap if
        that is shorter. Hazard pieces, curve bands and RMST live on ``[0, span]``."""
        return min(self.horizon, self.follow_up_cap)

    def potential_follow_up(self, enrol: dt.date) -> float:
        """Time from ``enrol`` to the cut-off in ``time_unit`` (inf without a cut-off)."""
        if self.cutoff is None:
            return math.inf
        days = (self.cutoff - enrol).days
        return days / DAYS_PER_MONTH / _UNIT_MONTHS[self.time_unit]


class _Reader:
    """Typed access to the parsed TOML that reports the dotted key on error."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, message: str):
        raise InputError(message, file=self.path, column=key)

    def table(self, data: dict, key: str, *, required: bool = True) -> dict | None:
        val = data.get(key.rsplit(".", 1)[-1])
        if val is None:
            if required:
                self.fail(key, "missing table")
            return None
        if not isinstance(val, dict):
            self.fail(key, "must be a table")
        return val

    def string(self, data: dict, key: str, *, choices=None, default=None) -> str:
        val = data.get(key.rsplit(".", 1)[-1], default)
        if val is None:
            self.fail(key, "missing")
        if not isinstance(val, str):
            self.fail(key, f"must be a string, got {type(val).__name__}")
        if choices is not None and val not in choices:
            self.fail(key, f"must be one of {', '.join(choices)}, got {val!r}")
        return val

    def names(self, data: dict, key: str, what: str) -> dict:
        """A printed name, ``"..."`` or ``{ en = "...", zh = "..." }``, as ``{lang: name}``
        (``{}`` when absent)."""
        name = data.get(key.rsplit(".", 1)[-1])
        if name is None:
            return {}
        if isinstance(name, str) and name.strip():
            return {"en": name, "zh": name}
        if isinstance(name, dict) and name and set(name) <= {"en", "zh"} \
                and all(isinstance(v, str) and v.strip() for v in name.values()):
            return dict(name)
        self.fail(key, f'must be {what}, "..." or {{ en = "...", zh = "..." }}')

    def raw(self, data: dict, key: str, *, required: bool = False) -> dict | None:
        """The entry as ``{"value": text, "source": ..., ...}``, or ``None``."""
        raw = data.get(key.rsplit(".", 1)[-1])
        if raw is None:
            if required:
                self.fail(key, "missing")
            return None
        if isinstance(raw, (int, float)):
            self.fail(key, "write the value as printed, in quotes (e.g. \"4.863\")")
        if isinstance(raw, str):
            raw = {"value": raw}
        if not isinstance(raw, dict) or not isinstance(raw.get("value"), str):
            self.fail(key, "must be a string or a table with a string 'value'")
        for extra in raw:
            if extra not in _VALUE_KEYS:
                self.fail(f"{key}.{extra}", f"unknown key (a value table holds "
                          f"{', '.join(_VALUE_KEYS)})")
        return raw

    def unit(self, raw: dict, key: str, time_unit: str | None) -> tuple[float, str]:
        """The factor from a value's printed ``unit`` to ``time_unit``, and the unit's name
        when it is not ``time_unit`` (``""`` otherwise)."""
        unit = raw.get("unit")
        if unit is None:
            return 1.0, ""
        if time_unit is None:
            self.fail(f"{key}.unit", "only a time has a unit (this value is a count, a "
                      "rate or a statistic); drop the unit")
        if not isinstance(unit, str) or unit.strip().lower() not in UNITS:
            self.fail(f"{key}.unit", f"must be one of {', '.join(UNITS)}, got {unit!r}")
        unit = UNITS[unit.strip().lower()]
        return _UNIT_MONTHS[unit] / _UNIT_MONTHS[time_unit], "" if unit == time_unit else unit

    def value(self, data: dict, key: str, *, required: bool = False, allow_nr: bool = False,
              positive: bool = False, time_unit: str | None = None) -> Value | None:
        """The printed value at ``key``; a time (``time_unit`` given) may carry its own
        ``unit`` and is returned in ``time_unit``, any other value may not."""
        raw = self.raw(data, key, required=required)
        if raw is None:
            return None
        text = raw["value"]
        lang = raw.get("lang", ())
        lang = (lang,) if isinstance(lang, str) else tuple(lang)
        meta = (str(raw.get("source", "")), lang, str(raw.get("quote", "")))
        factor, unit = self.unit(raw, key, time_unit)
        if allow_nr and text.strip() in _NOT_REACHED:
            return Value(text, None, *meta, unit=unit)
        try:
            printed = parse_printed(text)
        except ValueError as err:
            self.fail(key, str(err))
        if time_unit is not None and printed.value * factor * _UNIT_MONTHS[time_unit] \
                > LONGEST_MONTHS:
            self.fail(key, f"{text} {unit or time_unit}s is longer than "
                      f"{LONGEST_MONTHS // 12} years: give the unit it is printed in "
                      f"({{ value = \"{text}\", unit = \"days\" }})")
        if positive and not (printed.value > 0 or printed.relation in ("<", "≤")):
            self.fail(key, f"must be positive, got {text!r}")
        return Value(text, _scaled(printed, factor), *meta, unit=unit)

    def count(self, data: dict, key: str, *, most: int) -> Value | None:
        """A printed whole number from 0 to ``most`` (events), or ``None``."""
        val = self.value(data, key)
        if val is None:
            return None
        p = val.printed
        if p.decimals or p.relation != "=" or not 0 <= p.value <= most or "%" in val.text:
            self.fail(key, f"must be a whole number from 0 to {most}, got {val.text!r}")
        return val

    def rate(self, data: dict, key: str) -> Value:
        """A printed survival rate, ``"23.3%"`` or ``"0.233"``, as a proportion."""
        val = self.value(data, key, required=True)
        p = val.printed
        pct = "%" in val.text or "％" in val.text
        top = 100.0 if pct else 1.0
        if p.relation != "=" or not 0 <= p.value <= top:
            self.fail(key, f"must be a survival rate from 0 to 100 % (\"23.3%\") or a "
                      f"proportion from 0 to 1 (\"0.233\"), got {val.text!r}")
        return replace(val, printed=_scaled(p, 0.01)) if pct else val

    def date(self, data: dict, key: str) -> tuple[dt.date, bool] | None:
        """A date and whether it was printed to the month only."""
        raw = self.raw(data, key)
        if raw is None:
            return None
        text = raw["value"]
        try:
            if len(text) == 7:
                return dt.date.fromisoformat(text + "-01"), True
            return dt.date.fromisoformat(text), False
        except ValueError:
            self.fail(key, f"must be a date YYYY-MM or YYYY-MM-DD, got {text!r}")


def _in(names: dict, lang: str) -> str:
    """``names`` in ``lang``, else in the one language it has."""
    return names.get(lang) or next(iter(names.values()))


def _last_day(d: dt.date) -> dt.date:
    nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _duration(r: _Reader, study: dict, key: str, time_unit: str) -> float | None:
    """A printed duration (``{ value = "2", unit = "year" }``) in ``time_unit``."""
    val = r.value(study, key, positive=True, time_unit=time_unit)
    return None if val is None else val.printed.value


def load_spec(path) -> Spec:
    """Read and check a survival spec.

    Raises
    ------
    InputError
        Naming the file and the dotted key (e.g. ``endpoints.os.logrank_chi2``).
    """
    path = Path(path)
    raw_bytes = path.read_bytes()
    r = _Reader(path)
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"not valid TOML: {err}", file=path) from None

    if data.get("spec_version", 1) != 1:
        r.fail("spec_version", f"unsupported version {data.get('spec_version')!r} (this code reads 1)")
    time_unit = r.string(data, "time_unit", choices=tuple(_UNIT_MONTHS), default="month")
    res = data.get("resolution", "day")
    if isinstance(res, str) and res in _UNIT_MONTHS:
        tick = _UNIT_MONTHS[res] / _UNIT_MONTHS[time_unit]
    elif isinstance(res, str):
        try:
            tick = float(res)
        except ValueError:
            r.fail("resolution", f"must be day, week, month, year or a number of {time_unit}s")
        if not tick > 0:
            r.fail("resolution", "must be positive")
    else:
        r.fail("resolution", "must be a string")

    arms_t = r.table(data, "arms")
    if len(arms_t) != 2:
        r.fail("arms", f"needs exactly two arms, got {len(arms_t)}")
    arms = tuple(arms_t)
    ns, names = [], {}
    for arm in arms:
        a = r.table(arms_t, f"arms.{arm}")
        name = r.names(a, f"arms.{arm}.name", "the arm's printed name")
        if name:
            names[arm] = name
        v = r.value(a, f"arms.{arm}.n", required=True)
        if v.printed.decimals or v.printed.relation != "=" or v.printed.value < 2:
            r.fail(f"arms.{arm}.n", f"must be a whole number >= 2, got {v.text!r}")
        ns.append(int(v.printed.value))

    study = r.table(data, "study", required=False) or {}
    if study.get("horizon") is None:
        r.fail("study.horizon", "missing (the time up to which patients were followed)")
    horizon = _duration(r, study, "study.horizon", time_unit)
    planned = _duration(r, study, "study.planned_follow_up", time_unit)
    start, end = r.date(study, "study.enrolment_start"), r.date(study, "study.enrolment_end")
    if (start is None) != (end is None):
        r.fail("study.enrolment_end" if end is None else "study.enrolment_start",
               "give both enrolment_start and enrolment_end, or neither")
    enrolment = None
    if start is not None:
        # "2022-03" as the end of enrolment means up to the last day of March 2022
        end_date = _last_day(end[0]) if end[1] else end[0]
        if end_date < start[0]:
            r.fail("study.enrolment_end", "is before enrolment_start")
        enrolment = (start[0], end_date)
    cut = r.date(study, "study.cutoff")
    cutoff = None if cut is None else (_last_day(cut[0]) if cut[1] else cut[0])
    if cutoff is not None and enrolment is not None and cutoff <= enrolment[1]:
        r.fail("study.cutoff", "must be after the end of enrolment")

    eps_t = r.table(data, "endpoints")
    if not eps_t:
        r.fail("endpoints", "needs at least one endpoint")
    endpoints = []
    for name, ep in eps_t.items():
        k = f"endpoints.{name}"
        if not isinstance(ep, dict):
            r.fail(k, "must be a table")
        med_t = ep.get("median", {})
        if not isinstance(med_t, dict):
            r.fail(f"{k}.median", "must be a table with one entry per arm")
        for arm in med_t:
            if arm not in arms:
                r.fail(f"{k}.median.{arm}", f"unknown arm (arms are {', '.join(arms)})")
        medians = {arm: r.value(med_t, f"{k}.median.{arm}", allow_nr=True, positive=True,
                                time_unit=time_unit)
                   for arm in arms if arm in med_t}
        ev_t = ep.get("events", {})
        if not isinstance(ev_t, dict) or "value" in ev_t:
            r.fail(f"{k}.events", "must be a table with one entry per arm "
                   "(events.<arm> = \"81\")")
        for arm in ev_t:
            if arm not in arms:
                r.fail(f"{k}.events.{arm}", f"unknown arm (arms are {', '.join(arms)})")
        events = {arm: r.count(ev_t, f"{k}.events.{arm}", most=ns[a])
                  for a, arm in enumerate(arms) if arm in ev_t}
        events_total = r.count(ep, f"{k}.events_total", most=sum(ns))
        if events_total is not None and len(events) == 2 and not events_total.contains(
                sum(v.printed.value for v in events.values())):
            r.fail(f"{k}.events_total", f"printed {events_total.text} is not the sum of the "
                   f"arms' printed events ({' + '.join(v.text for v in events.values())})")
        survival = _landmark_rates(r, ep, k, arms, time_unit)
        better = None
        if "better" in ep:
            bv = ep["better"]
            better = r.string(ep, f"{k}.better") if isinstance(bv, str) else \
                r.string(bv, f"{k}.better.value")
            if better not in arms:
                r.fail(f"{k}.better", f"must name an arm ({', '.join(arms)}), got {better!r}")
        nested = ep.get("nested_in")
        if nested is not None and (nested not in eps_t or nested == name):
            r.fail(f"{k}.nested_in", f"must name another endpoint, got {nested!r}")
        kind = r.string(ep, f"{k}.kind", choices=KINDS,
                        default="overall" if nested is None else "event_or_death")
        if (kind in NESTED_KINDS) != (nested is not None):
            r.fail(f"{k}.kind", f"{kind!r} needs nested_in = \"<the outer endpoint>\""
                   if nested is None else
                   f"{kind!r} cannot have nested_in: give kind = \"event_or_death\" or "
                   "\"death_censored\", or drop nested_in")
        endpoints.append(Endpoint(
            name=name, medians=medians, events=events, events_total=events_total,
            survival=survival,
            logrank_chi2=r.value(ep, f"{k}.logrank_chi2"),
            logrank_p=r.value(ep, f"{k}.logrank_p"),
            hr=r.value(ep, f"{k}.hr", positive=True),
            hr_lower=r.value(ep, f"{k}.hr_lower", positive=True),
            hr_upper=r.value(ep, f"{k}.hr_upper", positive=True),
            better=better, nested_in=nested, kind=kind,
            names=r.names(ep, f"{k}.name", "the endpoint's printed name")))
    outer = [ep for ep in endpoints if ep.kind == "overall"]
    if len(outer) != 1:
        r.fail("endpoints", "exactly one endpoint is the outer one (no nested_in, e.g. OS); "
               "give each other endpoint nested_in = \"<the outer one>\", or kind = "
               "\"separate\" when the outer endpoint's event does not end it")
    outer = outer[0]
    for ep in endpoints:
        if ep.nested_in is not None and ep.nested_in != outer.name:
            r.fail(f"endpoints.{ep.name}.nested_in", f"must be the outer endpoint {outer.name!r}")
    endpoints = [outer] + [ep for ep in endpoints if ep is not outer]

    follow_up = None
    fu = r.table(data, "follow_up", required=False)
    if fu is not None:
        fe = r.string(fu, "follow_up.endpoint", default=outer.name)
        if fe != outer.name:
            r.fail("follow_up.endpoint", f"must be the outer endpoint {outer.name!r}")
        follow_up = FollowUp(fe, *(r.value(fu, f"follow_up.{key}", time_unit=time_unit)
                                   for key in ("min", "max", "median")))
        for key in ("min", "max", "median"):
            val = getattr(follow_up, key)
            if val is not None and val.printed.interval[1] < 0:
                r.fail(f"follow_up.{key}", f"a follow-up time cannot be negative, got {val.text!r}")

    defs_t = r.table(data, "definitions", required=False) or {}
    definitions = Definitions(
        median=r.string(defs_t, "definitions.median", choices=MEDIAN_RULES, default="first_below"),
        follow_up_median=r.string(defs_t, "definitions.follow_up_median",
                                  choices=FOLLOW_UP_MEDIANS, default="observed"),
        follow_up_range=r.string(defs_t, "definitions.follow_up_range",
                                 choices=FOLLOW_UP_RANGES, default="all"))

    summ = r.table(data, "summary", required=False) or {}
    # landmarks may lie anywhere in follow-up, past the horizon too
    reach = max(horizon, planned or 0.0)
    if follow_up is not None and follow_up.max is not None:
        reach = max(reach, follow_up.max.printed.interval[1])
    landmarks = []
    marks = summ.get("landmarks", [])
    if not isinstance(marks, list):
        r.fail("summary.landmarks", "must be a list of times such as [\"12\", \"24\"]")
    for i, lm in enumerate(marks):
        key = f"summary.landmarks[{i}]"
        if not isinstance(lm, (str, dict)):
            r.fail(key, "must be a string such as \"12\" or { value = \"1\", unit = \"year\" }")
        landmarks.append(_time(r, lm, key, time_unit))
    # a time at which a rate is printed is a landmark too; every landmark is observable
    printed_at = sorted({m.time for ep in endpoints for m in ep.survival} - set(landmarks))
    for key, x in [(f"summary.landmarks[{i}]", x) for i, x in enumerate(landmarks)] + \
            [(f"{m.key}.time", m.time) for ep in endpoints for m in ep.survival]:
        if not 0 < x <= reach + 1e-9:
            r.fail(key, f"must be in (0, {reach:g}] {time_unit}s (the horizon, the planned or "
                   f"the printed maximum follow-up), got {x:g}")
    landmarks += printed_at if landmarks else []

    spec = Spec(path=str(path), title=str(data.get("title", path.stem)), time_unit=time_unit,
                tick=float(tick), arms=arms, n=tuple(ns), horizon=float(horizon),
                planned_follow_up=None if planned is None else float(planned),
                enrolment=enrolment, cutoff=cutoff, follow_up=follow_up,
                endpoints=tuple(endpoints), definitions=definitions,
                landmarks=tuple(landmarks),
                fingerprint=hashlib.sha256(raw_bytes).hexdigest(), arm_names=names,
                figure_names=r.names(data, "figure", "the paper's name of the figure"),
                time_names=r.names(data, "time_label", "the words of the time axis"))
    if not landmarks:
        spec = replace(spec, landmarks=tuple(sorted({spec.span / 2, spec.span, *printed_at})))
    return spec


def _time(r: _Reader, raw, key: str, time_unit: str) -> float:
    """A printed time, ``"6"`` or ``{ value = "6", unit = "month" }``, in ``time_unit``."""
    val = r.value({key.rsplit(".", 1)[-1]: raw}, key, positive=True, time_unit=time_unit)
    if val.printed.relation != "=":
        r.fail(key, f"must be a time as printed, got {val.text!r}")
    return float(val.printed.value)


def _landmark_rates(r: _Reader, ep: dict, k: str, arms: tuple, time_unit: str) -> tuple:
    """``[[endpoints.<name>.survival]]`` entries: ``time`` and a printed rate per arm."""
    entries = ep.get("survival", [])
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        r.fail(f"{k}.survival", "must be a table, or tables [[endpoints.<name>.survival]], "
               "each with a time and a rate per arm")
    out = {}
    for i, entry in enumerate(entries):
        key = f"{k}.survival[{i}]"
        if not isinstance(entry, dict):
            r.fail(key, "must be a table with time = \"6\" and a rate per arm")
        if "time" not in entry:
            r.fail(f"{key}.time", "missing (the time the rates are printed at)")
        when = _time(r, entry["time"], f"{key}.time", time_unit)
        for extra in entry:
            if extra != "time" and extra not in arms:
                r.fail(f"{key}.{extra}", f"unknown arm (arms are {', '.join(arms)})")
        rates = {arm: r.rate(entry, f"{key}.{arm}") for arm in arms if arm in entry}
        if not rates:
            r.fail(key, f"needs a rate for at least one arm ({', '.join(arms)})")
        if when in out:
            r.fail(f"{key}.time", f"a second entry at time {when:g}")
        text = entry["time"] if isinstance(entry["time"], str) else \
            f"{entry['time'].get('value')} {entry['time'].get('unit', '')}".strip()
        out[when] = Landmark(when, text, rates, key)
    return tuple(out[t] for t in sorted(out))
