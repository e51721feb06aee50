"""Table 2 and the text: response tables, percentages, adverse events, log-rank P, sample size, group sizes."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from scipy import stats

from ..printed import Printed
from ..stats.rounding import p_consistent, percent_counts
from ..stats.samplesize import dropout_variants, two_proportion_n
from .categorical import count_table_checks
from .context import ARMS, Context
from .model import key_of

__all__ = ["table2_checks", "text_checks"]


def _percent(ctx: Context, *, id: str, source: str, item: str, percent: Printed, count: int, n: int,
             covers, inputs=()) -> object:
    ok = count in percent_counts(percent, n)
    notes = [] if ok else [ctx.note("percent_counts", counts=", ".join(map(str, percent_counts(percent, n))) or "—",
                                    n=n)]
    return ctx.check(id=id, source=source, item=item, quantity="percent", reported=percent.text,
                     recomputed=100 * count / n, method="percent_of_count",
                     verdict="reproduced" if ok else "discrepant", notes=notes, covers=tuple(covers), inputs=tuple(inputs))


def _response(ctx: Context) -> tuple[dict, list]:
    """Per-arm counts by response level (in printed order) from Table 2."""
    rows = ctx.rows("table2", item="response", quantity="count")
    levels = list(dict.fromkeys(rows["level"]))
    counts = {a: [int(ctx.value("table2", item="response", level=lv, arm=a, quantity="count").value)
                  for lv in levels] for a in ARMS}
    return counts, levels


def table2_checks(ctx: Context) -> list:
    """The CR/PR/SD/PD comparison, the ORR test, and every percentage of Table 2."""
    t2 = "table2"
    n = {a: int(ctx.value(t2, item="response", arm=a, quantity="n").value) for a in ARMS}
    counts, levels = _response(ctx)
    out = []
    for a in ARMS:
        if sum(counts[a]) != n[a]:
            out.append(ctx.check(id=f"table2.response.{a}.n", source=t2, item="response", quantity="n",
                                 reported=str(n[a]), recomputed=float(sum(counts[a])), method="sum_of_parts",
                                 verdict="discrepant", covers=(key_of(t2, "response", "", a, "n"),)))
        for lv, c in zip(levels, counts[a]):
            out.append(_percent(ctx, id=f"table2.response.{lv}.{a}.percent", source=t2, item="response",
                                percent=ctx.value(t2, item="response", level=lv, arm=a, quantity="percent"),
                                count=c, n=n[a], covers=[key_of(t2, "response", lv, a, "percent")],
                                inputs=[key_of(t2, "response", lv, a, "count")]))
    count_keys = [key_of(t2, "response", lv, a, "count") for lv in levels for a in ARMS]
    out += count_table_checks(
        ctx, id_prefix="table2.response", source=t2, item="response",
        table=[counts[a] for a in ARMS],
        stat=ctx.value(t2, item="response", arm="", quantity="statistic"),
        p=ctx.value(t2, item="response", arm="", quantity="p"),
        stat_covers=[key_of(t2, "response", "", "", "statistic")],
        p_covers=[key_of(t2, "response", "", "", "p")], inputs=count_keys, ordinal=True)
    out += _orr_checks(ctx, t2, "table2", counts, levels, n, stat_q="statistic")
    return out


def _orr_counts(counts, levels) -> dict:
    return {a: sum(c for lv, c in zip(levels, counts[a]) if lv in ("CR", "PR")) for a in ARMS}


def _orr_checks(ctx: Context, table: str, source: str, counts, levels, n, *, stat_q: str) -> list:
    resp = _orr_counts(counts, levels)
    out = []
    for a in ARMS:
        if len(ctx.rows(table, source=source, item="orr", arm=a, quantity="percent")):
            out.append(_percent(ctx, id=f"{source}.orr.{a}.percent", source=source, item="orr",
                                percent=ctx.value(table, source=source, item="orr", arm=a, quantity="percent"),
                                count=resp[a], n=n[a], covers=[key_of(source, "orr", "", a, "percent")]))
    out += count_table_checks(
        ctx, id_prefix=f"{source}.orr", source=source, item="orr",
        table=[[resp[a], n[a] - resp[a]] for a in ARMS],
        stat=ctx.value(table, source=source, item="orr", arm="", quantity=stat_q),
        p=ctx.value(table, source=source, item="orr", arm="", quantity="p"),
        stat_covers=[key_of(source, "orr", "", "", stat_q)], p_covers=[key_of(source, "orr", "", "", "p")])
    return out


def text_checks(ctx: Context) -> list:
    """Every number of the text: ORR and adverse-event tests and percentages, log-rank P,
    sample size, group sizes; survival times as not checkable."""
    tx = "text"
    out = []
    counts, levels = _response(ctx)
    n = {a: ctx.n("table2", a) for a in ARMS}
    for src in ("abstract", "sec2.1"):
        out += _orr_checks(ctx, tx, src, counts, levels, n, stat_q="chi2")
    out += _adverse(ctx, n)
    out += _logrank(ctx)
    out += _survival_times(ctx)
    out += _follow_up_window(ctx)
    out += _sample_size(ctx)
    out += _group_sizes(ctx)
    return out


def _adverse(ctx: Context, n: dict) -> list:
    tx, item = "text", "adverse_events"
    events = {a: int(ctx.value(tx, source="sec2.4", item=item, level="", arm=a, quantity="count").value)
              for a in ARMS}
    event_keys = [key_of("sec2.4", item, "", a, "count") for a in ARMS]
    out = []
    for a in ARMS:
        parts = ctx.rows(tx, source="sec2.4", item=item, arm=a, quantity="count")
        parts = parts[parts["level"] != ""]
        if len(parts):
            total = sum(int(v) for v in parts["value"])
            out.append(ctx.check(
                id=f"sec2.4.adverse_events.{a}.count", source="sec2.4", item=item, quantity="n",
                reported=str(events[a]), recomputed=float(total), method="sum_of_parts",
                verdict="reproduced" if total == events[a] else "discrepant",
                notes=[ctx.note("sum_of_parts", parts=", ".join(parts["value"]))],
                covers=(key_of("sec2.4", item, "", a, "count"),),
                inputs=tuple(key_of("sec2.4", item, lv, a, "count") for lv in parts["level"])))
    for src in ("abstract", "sec2.4"):
        for a in ARMS:
            out.append(_percent(ctx, id=f"{src}.adverse_events.{a}.percent", source=src, item=item,
                                percent=ctx.value(tx, source=src, item=item, level="", arm=a, quantity="percent"),
                                count=events[a], n=n[a], covers=[key_of(src, item, "", a, "percent")]))
        out += count_table_checks(
            ctx, id_prefix=f"{src}.adverse_events", source=src, item=item,
            table=[[events[a], n[a] - events[a]] for a in ARMS],
            stat=ctx.value(tx, source=src, item=item, arm="", quantity="chi2"),
            p=ctx.value(tx, source=src, item=item, arm="", quantity="p"),
            stat_covers=[key_of(src, item, "", "", "chi2")], p_covers=[key_of(src, item, "", "", "p")],
            inputs=event_keys)
    return out


def _logrank(ctx: Context) -> list:
    tx = "text"
    out = []
    rows = ctx.rows(tx, quantity="chi2")
    for src, item in rows[rows["item"].str.endswith("logrank")][["source", "item"]].itertuples(index=False):
        chi2 = ctx.value(tx, source=src, item=item, quantity="chi2")
        p = ctx.value(tx, source=src, item=item, quantity="p")
        out.append(ctx.check(id=f"{src}.{item}.chi2", source=src, item=item, quantity="chi2",
                             reported=chi2.text, recomputed=None, method="log_rank",
                             verdict="not_checkable", notes=[ctx.note("needs_patient_data")],
                             covers=(key_of(src, item, "", "", "chi2"),)))
        lo, hi = chi2.interval
        prange = (stats.chi2.sf(hi, 1), stats.chi2.sf(lo, 1))
        ok = p_consistent(p, prange)
        out.append(ctx.check(id=f"{src}.{item}.p", source=src, item=item, quantity="P", reported=p.text,
                             recomputed=prange, method="chi2_1df",
                             verdict="reproduced" if ok else "discrepant", notes=[ctx.note("p_from_printed_chi2")],
                             covers=(key_of(src, item, "", "", "p"),)))
    return out


def _survival_times(ctx: Context) -> list:
    rows = ctx.rows("text", quantity="months")
    return [ctx.check(id=f"{r.source}.{r.item}.{r.level or r.arm}.months".replace("..", "."), source=r.source,
                      item=r.item, quantity="months", reported=r.value, recomputed=None, method="",
                      verdict="not_checkable", notes=[ctx.note("needs_patient_data")],
                      covers=(key_of(r.source, r.item, r.level, r.arm, r.quantity),))
            for r in rows.itertuples(index=False)]


def _months_between(start: date, end: date) -> float:
    return (end - start).days / (365.25 / 12)


def _follow_up_window(ctx: Context) -> list:
    """Enrolment dates, the 2-year horizon and the cutoff date: does the last patient
    enrolled have the whole horizon before the cutoff, and does the longest follow-up fit it?"""
    tx = "text"
    dates = ctx.rows(tx, quantity="date")
    years = ctx.rows(tx, quantity="years")
    cutoff = dates[dates["level"] == "cutoff"]
    end = dates[dates["level"] == "end"]
    if cutoff.empty or end.empty or years.empty:
        return []
    cut = date.fromisoformat(cutoff["value"].iloc[0])
    last = end["value"].iloc[0]  # printed to the month: any day of that month
    first_day = date.fromisoformat(last + "-01")
    last_day = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1) - timedelta(days=1)
    window = (_months_between(last_day, cut), _months_between(first_day, cut))
    horizon = 12 * max(float(v) for v in years["value"])
    longest = ctx.rows(tx, item="follow_up", level="max", quantity="months")
    longest_value = float(longest["value"].iloc[0]) if len(longest) else horizon
    ok = window[1] >= horizon and longest_value <= horizon
    row = cutoff.iloc[0]
    cutoff_key = key_of(row["source"], row["item"], row["level"], row["arm"], row["quantity"])
    inputs = tuple(k for k in (key_of(r.source, r.item, r.level, r.arm, r.quantity)
                               for r in pd.concat([dates, years]).itertuples(index=False)) if k != cutoff_key)
    return [ctx.check(id=f"{row['source']}.follow_up.window", source=row["source"], item="follow_up",
                      quantity="months",
                      reported=cutoff["value"].iloc[0], recomputed=window, method="arithmetic",
                      verdict="reproduced" if ok else "discrepant",
                      notes=[ctx.note("follow_up_window", last=last, lo=window[0], hi=window[1],
                                      horizon=horizon, longest=longest_value)],
                      covers=(cutoff_key,), inputs=inputs)]


def _sample_size(ctx: Context) -> list:
    tx, src = "text", "sec1.1"

    def val(item, quantity, arm=""):
        return ctx.value(tx, source=src, item=item, arm=arm, quantity=quantity)

    p1, p2 = val("p1", "proportion", "control"), val("p2", "proportion", "combination")
    za, zb = val("z_alpha", "z"), val("z_beta", "z")
    alpha, beta = val("alpha", "proportion"), val("beta", "proportion")
    out = []
    # The printed z values against the normal quantiles of the printed α and β.
    for item, printed, exact in (("z_alpha", za, stats.norm.isf(alpha.value / 2)),
                                 ("z_beta", zb, stats.norm.isf(beta.value))):
        out.append(ctx.check(id=f"sec1.1.{item}", source=src, item=item, quantity="z", reported=printed.text,
                             recomputed=float(exact), method="normal_quantile",
                             verdict="reproduced" if printed.contains(exact) else "discrepant",
                             covers=(key_of(src, item, "", "", "z"),)))
    for item, printed, exact in (("response_rate_conventional", val("response_rate_conventional", "percent"),
                                  100 * p1.value),
                                 ("response_rate_expected", val("response_rate_expected", "percent"), 100 * p2.value),
                                 ("margin", val("margin", "percent"), 100 * (p2.value - p1.value)),
                                 ("power", val("power", "percent"), 100 * (1 - beta.value))):
        notes = [ctx.note("margin_is_difference")] if item == "margin" else []
        out.append(ctx.check(id=f"sec1.1.{item}", source=src, item=item, quantity="percent", reported=printed.text,
                             recomputed=exact, method="arithmetic",
                             verdict="reproduced" if printed.contains(exact) else "discrepant", notes=notes,
                             covers=(key_of(src, item, "", "", "percent"),)))
    n_raw = two_proportion_n(p1.value, p2.value, z_alpha=za.value, z_beta=zb.value)
    n_exact = two_proportion_n(p1.value, p2.value, alpha=alpha.value, power=1 - beta.value)
    n_printed = val("n_per_group", "n")
    ok = n_printed.value == -(-n_raw // 1)
    out.append(ctx.check(id="sec1.1.n_per_group", source=src, item="n_per_group", quantity="n",
                         reported=n_printed.text, recomputed=n_raw, method="two_proportion_n",
                         verdict="reproduced" if ok else "discrepant",
                         notes=[ctx.note("sample_size_formula", n=n_raw, n_exact=n_exact, printed=n_printed.text),
                                *ctx.section_notes(src)],
                         covers=(key_of(src, "n_per_group", "", "", "n"),),
                         inputs=tuple(key_of(src, i, "", a, q) for i, a, q in (
                             ("p1", "control", "proportion"),
                             ("p2", "combination", "proportion"), ("alpha", "", "proportion"),
                             ("beta", "", "proportion")))))
    dropout = val("dropout", "percent").value / 100
    enrolled = val("enrolled", "n")
    hits = [(label, v) for label, base in (("n=49", n_printed.value), ("n unrounded", n_raw))
            for v in dropout_variants(base, dropout) if v.total == enrolled.value]
    correct = dropout_variants(n_printed.value, dropout)[0]
    notes = [ctx.note("dropout_variants", hits="; ".join(f"{lab}: {v.name}" for lab, v in hits) or "—",
                      correct=correct.total)]
    if hits and not any(v.name.startswith(("total n/(1-d)", "per-group n/(1-d)")) and "floor" not in v.name
                        for _, v in hits):
        notes.append(ctx.note("dropout_questionable"))
    out.append(ctx.check(id="sec1.1.enrolled", source=src, item="enrolled", quantity="n", reported=enrolled.text,
                         recomputed=float(hits[0][1].total if hits else correct.total), method="dropout_arithmetic",
                         verdict="reproduced" if hits else "discrepant", notes=notes,
                         covers=(key_of(src, "enrolled", "", "", "n"), key_of(src, "dropout", "", "", "percent"))))
    return out


def _group_sizes(ctx: Context) -> list:
    """Every printed group size and total against the arms' sizes."""
    out = []
    sizes = []
    for table in ("table1", "table2", "table3", "table4", "text"):
        df = ctx.rows(table, quantity="n")
        df = df[df["item"].isin(("group_size", "response", "enrolled"))]
        sizes += [(r.source, r.item, r.arm, r.value) for r in df.itertuples(index=False)]
    reference = {a: ctx.n("text", a) for a in ARMS}
    total = sum(reference.values())
    for src, item, arm, value in sizes:
        if src == "sec1.1":  # the planned total: judged by the dropout arithmetic
            continue
        want = reference[arm] if arm else total
        out.append(ctx.check(id=f"{src}.{item}.{arm or 'total'}.n", source=src, item=item, quantity="n",
                             reported=value, recomputed=float(want), method="group_sizes",
                             verdict="reproduced" if float(value) == want else "discrepant",
                             notes=[ctx.note("no_dropout")] if not arm else [],
                             covers=(key_of(src, item, "", arm, "n"),)))
    return out
