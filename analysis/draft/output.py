"""Write a draft data folder: the transcription files, where each value was read, a guessed
declaration, a draft ``discrepancies.csv`` for a bilingual paper, and ``REVIEW.md``.

The folder is built in a temporary directory beside ``out`` and renamed onto it at the end,
so an error never leaves half a draft; an existing non-empty ``out`` is replaced only with
``force`` (it may hold a person's confirmations).
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import pandas as pd
from scipy import stats

from ..errors import InputError
from ..i18n import t
from ..printed import non_number, printed_or_none
from ..schema import DISCREPANCY_COLUMNS
from .build import COLUMNS, Draft
from .rules import fisher_rule_in
from .sizes import sizes_from_counts
from .tables import Problem

__all__ = ["write_draft", "arithmetic", "guess_analyses", "guess_sign"]

_STATISTICS = ("statistic", "chi2", "F", "z", "p", "hr", "or", "rr", "lower", "upper", "letters",
               "days", "weeks", "months", "years", "percent")


def _file_of(source: str) -> str:
    return source if source.startswith("table") else "text"


def arithmetic(draft: Draft) -> list[Problem]:
    """Arithmetic that fails on the draft: a percentage that no whole count of the arm's n
    rounds to, levels of an item adding up to more than the arm's n, a Z whose two-sided
    normal P is not the printed P. Each is an extraction error or a paper error; the draft
    cannot tell which."""
    out = []
    rows = pd.DataFrame([r.__dict__ for r in draft.rows])
    if rows.empty:
        return out
    sizes = {}
    for r in draft.rows:
        if r.item == "group_size" and r.quantity == "n" and r.arm:
            sizes.setdefault((r.source, r.arm), printed_or_none(r.value))
    row_percents = {key for key, group in rows.groupby(["source", "item"], sort=False) if _row_percents(group)}
    for (source, item, level, arm), group in rows.groupby(["source", "item", "level", "arm"], sort=False):
        q = dict(zip(group["quantity"], group["value"]))
        n = None if (source, item) in row_percents else sizes.get((source, arm))
        where = group["where"].iloc[0]
        if "count" in q and "percent" in q and n is not None:
            count, pct = printed_or_none(q["count"]), printed_or_none(q["percent"])
            if count and pct and not pct.contains(100 * count.value / n.value, rel_tol=1e-9):
                out.append(Problem(where, "percent", (("key", f"{source}/{item}/{level}/{arm}"),
                                                      ("count", q["count"]), ("n", n.text),
                                                      ("pct", f"{100 * count.value / n.value:.2f}"),
                                                      ("printed", q["percent"]))))
    counts = rows[(rows["quantity"] == "count") & (rows["level"] != "") & (rows["level"] != "yes")]
    for (source, item, arm), group in counts.groupby(["source", "item", "arm"], sort=False):
        n = sizes.get((source, arm))
        values = [printed_or_none(v) for v in group["value"]]
        if n is None or any(v is None for v in values) or len(values) < 2:
            continue
        total = sum(v.value for v in values)
        if total > n.value:
            out.append(Problem(group["where"].iloc[0], "levels_sum", (("key", f"{source}/{item}/{arm}"),
                                                                      ("total", f"{total:g}"), ("n", n.text))))
    for (source, item, level), group in rows[rows["arm"] == ""].groupby(["source", "item", "level"], sort=False):
        q = dict(zip(group["quantity"], group["value"]))
        z, p = printed_or_none(q.get("z", "")), printed_or_none(q.get("p", ""))
        if z is not None and p is not None:
            lo, hi = z.interval
            p_hi = 2 * stats.norm.sf(max(0.0, min(abs(lo), abs(hi))))
            p_lo = 2 * stats.norm.sf(max(abs(lo), abs(hi)))
            plo, phi = p.interval
            if p_hi < plo or p_lo > phi:
                out.append(Problem(group["where"].iloc[0], "z_p", (("key", f"{source}/{item}/{level}"),
                                                               ("z", q["z"]), ("p", q["p"]),
                                                               ("recomputed", f"{2 * stats.norm.sf(abs(z.value)):.3g}"))))
    return out


def guess_analyses(draft: Draft, *, others=()) -> list[dict]:
    """A guessed ``[[analysis]]`` per item: ``{family, table, source, item, options, why}``,
    ``why`` saying what shape of printed numbers it was guessed from. ``others``: the other
    language versions (keyed alike), which share the declaration: a guess that reads the
    text's group sizes must fit each version's."""
    out = []
    rows = pd.DataFrame([r.__dict__ for r in draft.rows])
    if rows.empty:
        return out
    versions = [(rows, _text_group_sizes(draft))] + \
        [(pd.DataFrame([r.__dict__ for r in d.rows]), _text_group_sizes(d)) for d in others]
    rank_sum = any(re.search(r"rank[- ]?sum|wilcoxon|mann[- ]whitney|秩和", m, re.I) for m in draft.methods)
    named = _tests_named_in_notes(draft)
    out += _sample_size_blocks(rows)
    sized_sources = {b["source"] for b in out if b["family"] == "sample_size"}
    for (source, item), group in rows.groupby(["source", "item"], sort=False):
        if source in sized_sources and item in _SIZED:
            continue
        # what the item prints, a test column's dash ("—": that test was not the item's) aside
        quantities = set(group.loc[~group["value"].map(lambda v: bool(non_number(str(v))) and str(v) != "NR")
                                   | (group["arm"] != ""), "quantity"])
        table = _file_of(source)
        family, why, options = None, "", []
        groups = len(set(group.loc[group["quantity"] == "mean", "arm"]) - {""})
        test = _test_of(group, named.get(source, {}))
        if test == "rank" and "mean" in quantities:
            # the table's note names a rank test for this P: no summary statistic reproduces it
            out.append({"family": "", "table": table, "source": source, "item": item, "options": [],
                        "why": "mean ± SD per group", "failed": "the table's note names a rank test "
                        "(Kruskal–Wallis, Mann–Whitney) for this P: list it under [[unchecked]]"})
            continue
        if {"mean", "sd"} <= quantities and groups > 2 and quantities & {"F", "statistic", "p"}:
            family, why = "one_way_anova", f"mean ± SD in {groups} groups with an F or P"
            if "statistic" in quantities:
                family = None                     # a t or χ² over three groups: no guess
        elif {"mean", "sd"} <= quantities and "F" in quantities:
            family, why = "split_plot", "means and SDs over time with F rows (repeated measures)"
        elif {"mean", "sd"} <= quantities and quantities & {"statistic", "p"} \
                and not {"chi2", "count"} <= quantities:   # bands' counts, their χ², then a mean ± SD
            family, why = "two_sample_t", "mean ± SD per arm with a statistic or P"
        elif "median" in quantities and quantities & {"q1", "q3", "iqr", "min", "max"}:
            family, why = "median_iqr", "median (IQR or range) per arm"
        elif quantities & {"hr", "or", "rr"} and {"lower", "upper"} <= quantities:
            family, why = "ratio_ci", "a ratio with its CI"
        elif "count" in quantities and quantities & {"statistic", "chi2", "p"} and table != "text":
            family, why = "crosstab", "counts per arm with a test"
            levels = {lv for lv in group.loc[group["quantity"] == "count", "level"] if lv}
            if not levels:
                # counts in one column of several (a table with the arms in rows): the test
                # printed under it may span the columns (CR, PR, SD, PD): a person must say
                out.append({**_block(family, table, source, item, why, []), "failed":
                            "a test printed under one of several count columns may be the test of all of "
                            "them; declare crosstab with counts = { ... levels = [...] } or the item's levels"})
                if "percent" in quantities:
                    out.append(_block("percent_of_count", table, source, item, "counts with their percentages", []))
                continue
            missing = sorted(lv for lv in levels if re.fullmatch(r"missing|unknown|not_recorded|n_a|不详|缺失", lv))
            if missing:
                # "Missing" printed as a category is not one the test compares
                options.append(f"exclude = [{', '.join(_toml_string(lv) for lv in missing)}]")
            if "z" in quantities and len(levels) > 2:
                # a Z over ordered categories: the rank-sum test
                options += ['statistic = "z"', "ordered = true  # draft: a Z over more than two "
                            "categories is a rank-sum Z; confirm the categories are ordered"]
                if _printed_u(group):
                    options.append('u = "statistic"  # draft: the "U" column beside the Z')
            elif len(levels) - len(missing) > 2 and not quantities & {"statistic", "chi2", "z"}:
                # a P alone over more than two categories may be a rank-sum test's (ordered
                # categories): it is one candidate more, beside every χ² and Fisher
                options.append("ordered = true  # draft: a P alone over more than two categories; the rank-sum "
                               "test is a candidate too: remove if the categories are not ordered")
            elif "chi2" in quantities:
                options.append('statistic = "chi2"')
            elif len(levels) > 2 and rank_sum:
                # a "t/χ²/Z" column over more than two categories, and the methods name a
                # rank-sum test for ordered data: most likely the rank-sum Z
                options.append("ordered = true  # draft: guessed from a mixed t/χ²/Z column, more than two "
                               "categories and a rank-sum test in the methods; confirm the categories are ordered")
            elif len(levels) > 2 and "statistic" in quantities and _may_be_rank(group):
                # χ² or a rank-sum Z? Either: a guess of one would be a false alarm on the other
                options.append("rank_sum = true  # draft: more than two categories under a mixed t/χ²/Z "
                               "column: the χ² statistics or the rank-sum Z; ordered = true if the "
                               "categories are ordered and the statistic is a rank-sum Z")
        elif "chi2" in quantities and "p" in quantities and re.search(
                r"log.?rank", " ".join(group["row_label"]), re.I):
            # the log-rank χ² needs patient data; its P follows from it (1 df)
            out.append(_block("log_rank", table, source, item, "a log-rank χ² and P", []))
            family, why = "p_from_statistic", "a log-rank χ² and its P (1 df)"
            options += ['statistic = "chi2"', "df = 1"]
        elif table == "text" and "chi2" in quantities and all(
                _percent_of_arm_n(v[(v["source"] == source) & (v["item"] == item)], n) for v, n in versions):
            # "14 (22.2%) vs 30 (46.2%); χ² = 8.21": each percentage is of its arm's n, so
            # the counts and the arms' sizes are the 2×2 table the χ² was computed from
            family, why = "crosstab", "one count (%) per arm, each of its arm's n, with a χ²"
            options.append('statistic = "chi2"')
        elif "z" in quantities and "p" in quantities:
            family, why = "p_from_statistic", "a Z with its P"
            options.append('statistic = "z"')
        elif "chi2" in quantities and "p" in quantities and _two_groups(group):
            # a χ² beside one percentage per arm is a 2×2 table's: 1 df
            family, why = "p_from_statistic", "a χ² with its P beside one percentage per arm (2×2, 1 df)"
            options += ['statistic = "chi2"', "df = 1"]
        elif quantities & {"months", "days", "weeks"}:
            family, why = "survival_summary", "times printed in the text"
        if family:
            out.append(_block(family, table, source, item, why, options))
        if {"count", "percent"} <= quantities and (table != "text" or family == "crosstab"):
            if _row_percents(group):
                out.append(_block("percent_of_count", table, source, item, "counts with row percentages",
                                  ['denominator = "row"  # draft: each percentage is its count\'s share of the '
                                   "level's total over the groups, not of the group's n: confirm"]))
            else:
                out.append(_block("percent_of_count", table, source, item, "counts with their percentages", []))
    # a block that prints its groups' n again, differently ("After matching | pNCT N=92"): its
    # items are of that n, not of the file's
    blocks = {(r.source, r.item.removeprefix("group_size_")) for r in draft.rows
              if r.item.startswith("group_size_") and r.quantity == "n" and r.arm}
    for b in out:
        if b["family"] in _USES_N and not any(o.startswith("n = ") for o in b["options"]):
            suffix = next((s for src, s in sorted(blocks) if src == b["source"] and b["item"].endswith(f"_{s}")),
                          None)
            if suffix:
                b["options"] = [*b["options"], f'n = {{ source = "{b["source"]}", item = "group_size_{suffix}" }}']
    rule = fisher_rule_in(draft.methods)
    if rule:
        tested = dict.fromkeys((b["table"], b["source"]) for b in out if b["family"] == "crosstab"
                               and not b.get("failed"))
        for table, source in tested:
            out.append(_block("test_rule", table, source, "", f"the methods' rule: {rule[2][:120]}",
                              [f'use = "{rule[0]}"', f'when = "{rule[1]}"']))
    # a sentence giving every arm's n ("63 to interferon gamma, 65 to the control"; "n=86 ... n=84")
    # lists the group sizes, which the table's header prints too; one arm's n alone may be a subgroup's
    sized = rows[(rows["quantity"] == "n") & (rows["source"].map(_file_of) == "text")]
    listing = [item for item, group in sized.groupby("item", sort=False)
               if set(draft.arms) <= set(group["arm"])]
    if listing and any(r.item == "group_size" and r.source.startswith("table") for r in draft.rows):
        options = [f"items = [{', '.join(_toml_string(i) for i in listing)}]"]
        out.append({"family": "group_sizes", "table": "text", "source": "", "item": "", "options": options,
                    "why": "every arm's n printed in the text beside the table's"})
    return out


_SIZED = ("p1", "p2", "alpha", "power", "dropout", "n_per_group", "n_total", "planned")
_USES_N = ("two_sample_t", "one_way_anova", "crosstab", "percent_of_count", "grim")


_NOTE_TESTS = (("rank", r"kruskal|mann[- ]?whitney|wilcoxon|rank[- ]sum|秩和"),
               ("anova", r"analysis of variance|anova|方差分析"),
               ("fisher", r"fisher"), ("chi2", r"chi[- ]?squared?|χ2|χ²|卡方"), ("t", r"t[- ]test|t检验"))


def _may_be_rank(group: pd.DataFrame) -> bool:
    """Whether an item's statistic may be a rank-sum Z: its column or row names a Z, U or H,
    or names no statistic ("Statistic", "统计量"); a "t/χ²" column over counts holds a χ²."""
    labels = group.loc[group["quantity"] == "statistic", ["column_label", "row_label"]].to_numpy().ravel()
    names = " ".join(str(x) for x in labels)
    return bool(re.search(r"\b[zuh]\b|秩|rank", names, re.I)) or not re.search(r"χ|chi|x2|\bt\b", names, re.I)


def _tests_named_in_notes(draft: Draft) -> dict:
    """``{source: {mark: test}}``: the test each footnote of a table's note names ("^a^P values
    were derived from Fisher's exact test", "*Kruskal-Wallis test")."""
    out = {}
    for source, _, _, note in draft.tables:
        for m in re.finditer(r"(?:\^([A-Za-z*†‡§‖¶#]+)\^|(?<![\w^])([*†‡§‖¶#]+))\s*([^^*†‡§‖¶#]+)", note or ""):
            mark, text = m.group(1) or m.group(2), m.group(3)
            test = next((name for name, pattern in _NOTE_TESTS if re.search(pattern, text, re.I)), None)
            if test:
                out.setdefault(source, {})[mark] = test
    return out


def _test_of(group: pd.DataFrame, named: dict) -> str | None:
    """The test the table's note names for an item's printed statistic or P, by its mark."""
    for printed in group.loc[group["arm"] == "", "printed"]:
        m = re.search(r"\^([A-Za-z,]+)\^\s*$|([*†‡§‖¶#]+)\s*$", str(printed))
        if m:
            for mark in ((m.group(1) or "").replace(",", "") or m.group(2)):
                if mark in named:
                    return named[mark]
            if m.group(2) in named:
                return named[m.group(2)]
    return None


def _sample_size_blocks(rows: pd.DataFrame) -> list[dict]:
    """``sample_size`` (two proportions) for a section whose sample-size paragraph printed
    both rates, α, the power and an n, and ``dropout_inflation`` when it also printed the
    dropout and the total to enrol (:mod:`.samplesize` names those items)."""
    out = []
    for source, group in rows[rows["source"].map(_file_of) == "text"].groupby("source", sort=False):
        items = set(group["item"])
        if {"p1", "p2", "alpha", "power"} <= items and items & {"n_per_group", "n_total"}:
            words = " ".join(group["row_label"])
            stated = 2 if re.search(r"two[- ]?(?:sided|tailed)|双侧|双尾", words, re.I) else \
                1 if re.search(r"one[- ]?(?:sided|tailed)|单侧|单尾", words, re.I) else None
            options = ['design = "two_proportions"'] + ([f"sides = {stated}  # draft: as the paragraph "
                                                         "states"] if stated else [])
            out.append(_block("sample_size", "text", source, "", "a sample-size paragraph: two rates, α, power "
                              "and n", options))
            if {"dropout", "planned"} <= items:
                out.append(_block("dropout_inflation", "text", source, "",
                                  "a dropout allowance and the total to enrol", []))
    return out


def guess_sign(draft: Draft) -> tuple[str, str] | None:
    """The paper's sign convention for t, ``(sign, why)``, when a printed t has a minus sign
    (a paper that signs its t states which difference); ``None`` otherwise.

    The convention is the one most printed signs agree with, given the printed means in the
    declared arm order; on a tie (which only an error makes) the columns' order.
    """
    rows = pd.DataFrame([r.__dict__ for r in draft.rows])
    if rows.empty or len(draft.arms) != 2:
        return None
    first, second = list(draft.arms)
    agree = disagree = 0
    signed = False
    for (_, _), group in rows.groupby(["source", "item"], sort=False):
        q = {(r.arm, r.quantity): r.value for r in group.itertuples()}
        t_value = next((q[("", k)] for k in ("statistic", "t") if ("", k) in q), None)
        m1, m2, t = (printed_or_none(x) if x else None for x in (q.get((first, "mean")), q.get((second, "mean")), t_value))
        if None in (m1, m2, t) or m1.value == m2.value or t.value == 0:
            continue
        signed |= t.value < 0
        if (t.value > 0) == (m1.value > m2.value):
            agree += 1
        else:
            disagree += 1
    if not signed:
        return None
    sign = "second_minus_first" if disagree > agree else "first_minus_second"
    return sign, f"{agree} printed t agree with first minus second, {disagree} with second minus first"


def _block(family: str, table: str, source: str, item: str, why: str, options: list) -> dict:
    return {"family": family, "table": table, "source": source, "item": item, "options": options, "why": why}


def counted_sizes(draft: Draft, name: str):
    """For file ``name`` of a draft in which no table prints the sizes of this file's groups:
    the complete item whose counts give them (:func:`.sizes.sizes_from_counts`), or ``None``."""
    rows = [r for r in draft.rows if _file_of(r.source) == name]
    printed = {r.arm for r in rows if r.arm}
    sized = defaultdict(set)
    for r in draft.rows:
        if r.item == "group_size" and r.source.startswith("table"):
            sized[r.source].add(r.arm)
    if any(printed <= arms for arms in sized.values()):
        return None
    own = list(dict.fromkeys(a for r in rows for a in draft.table_arms.get(r.source, ())))
    return sizes_from_counts(rows, own or list(draft.arms))


def _text_group_sizes(draft: Draft) -> dict:
    """Arm -> printed n of the text's group sizes (those its ``[tables.text]`` will declare)."""
    sizes = [r for r in draft.rows if _file_of(r.source) == "text" and r.item == "group_size" and r.arm]
    first = sizes[0].source if sizes else None
    return {r.arm: printed_or_none(r.value) for r in sizes if r.source == first}


def _percent_of_arm_n(group: pd.DataFrame, sizes: dict) -> bool:
    """One count and one percentage per arm, and every percentage that count of its arm's
    printed n: only then are the arms' sizes the denominators a χ² of the counts used (a
    subgroup's counts would make a crosstab a false alarm)."""
    counted = group[(group["quantity"].isin(["count", "percent"])) & (group["arm"] != "")]
    if set(counted["arm"]) != set(sizes) or len(sizes) != 2 or counted["level"].nunique() > 1:
        return False
    for arm, rows in counted.groupby("arm"):
        q = dict(zip(rows["quantity"], rows["value"]))
        if len(rows) != 2 or set(q) != {"count", "percent"}:
            return False
        count, pct, n = printed_or_none(q["count"]), printed_or_none(q["percent"]), sizes[arm]
        if None in (count, pct, n) or n.value <= 0 or not pct.contains(100 * count.value / n.value, rel_tol=1e-9):
            return False
    return True


def _printed_u(group: pd.DataFrame) -> bool:
    """Whether the item prints a number under a column headed "U" (Mann–Whitney)."""
    stat = group[(group["quantity"] == "statistic") & (group["arm"] == "")]
    return bool(len(stat)) and all(re.fullmatch(r"(?i)(mann[-–\s]*whitney\s*)?u(\s*value)?", str(c).strip())
                                   for c in stat["column_label"]) and printed_or_none(stat["value"].iloc[0]) is not None


def _row_percents(group: pd.DataFrame) -> bool:
    """Whether an item's percentages are of each level's total over the groups (row
    percentages): every one fits its level's total, and not every one fits its group's total
    over the levels."""
    cells = group[group["arm"] != ""].pivot_table(index=["level", "arm"], columns="quantity", values="value",
                                                  aggfunc="first")
    if not {"count", "percent"} <= set(cells.columns) or cells[["count", "percent"]].isna().any().any():
        return False
    counts = cells["count"].map(printed_or_none)
    percents = cells["percent"].map(printed_or_none)
    if counts.isna().any() or percents.isna().any() or cells.index.get_level_values("arm").nunique() < 2 \
            or cells.index.get_level_values("level").nunique() < 2:
        return False
    value = counts.map(lambda c: c.value)
    by_row = value.groupby(level="level").transform("sum")
    by_group = value.groupby(level="arm").transform("sum")

    def fits(totals) -> bool:
        return all(t > 0 and p.contains(100 * c / t, rel_tol=1e-9) for c, p, t in zip(value, percents, totals))
    return fits(by_row) and not fits(by_group)


def _two_groups(group: pd.DataFrame) -> bool:
    """One percentage for each of two arms, and nothing that says more categories."""
    pct = group[group["quantity"] == "percent"]
    return len(pct) == 2 and pct["arm"].nunique() == 2 and (pct["arm"] != "").all() \
        and pct["level"].nunique() <= 1


def _analysis_lines(block: dict) -> list[str]:
    where = f" ({block['source']}/{block['item']})" if block["item"] else ""
    lines = ["", f"# draft: guessed from {block['why']}{where}; confirm against the methods section"]
    if block.get("failed"):
        return lines + [f"# draft: not declared: {block['failed']}"]
    lines += ["[[analysis]]", f'family = "{block["family"]}"', f'table = "{block["table"]}"']
    if block["table"] == "text" and block["source"]:
        lines.append(f'source = "{block["source"]}"')
    return lines + ([f'item = "{block["item"]}"'] if block["item"] else []) + block["options"]


def _natural(name: str) -> tuple:
    """``table2`` before ``table10``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _declaration(drafts: dict, paper: str, analyses: list, unchecked: list, title: str | dict = "") -> str:
    first = next(iter(drafts.values()))
    # {lang: title} as each version's file prints it: the English one on top, the others in
    # [paper] for their versions' handout and appendix
    titles = title if isinstance(title, dict) else {}
    title = (titles.get("en") or next(iter(titles.values()), "")) if isinstance(title, dict) else title
    version_titles = {lang: text for lang, text in titles.items() if lang in drafts and text != title}
    langs = list(drafts)
    arms = list(first.arms)
    first_labels = {k: v for groups in first.table_arms.values() for k, v in groups.items()}
    lines = [f"# Draft declaration written by `python -m analysis draft` from {Path(paper).name}.",
             "# Every [[analysis]] below is a guess from the shape of the printed numbers: confirm each",
             "# against the paper's methods section (docs/analyses.md lists the families and options).",
             "# Named tests and rules in the methods section, as printed:"]
    for sentence in first.methods:
        lines.append(f"#   {sentence}")
    lines += [""] + (["# draft: the file names no title (a table's caption is none): write the paper's title here"]
                     if not title else []) + [f"title = {_toml_string(title)}",
              f"languages = [{', '.join(_toml_string(x) for x in langs)}]",
              f"arms = [{', '.join(_toml_string(a) for a in arms)}]   # as printed: "
              + "; ".join(f"{k} = {v}" for k, v in first.arms.items()) + " (experimental arm first?)"]
    sign = guess_sign(first)
    if sign:
        lines.append(f'sign = "{sign[0]}"   # draft: a printed t has a minus sign; {sign[1]}: confirm')
    text_sources = list(dict.fromkeys(r.source for r in first.rows if _file_of(r.source) == "text"))
    ref = next(((r.source, r.item) for r in first.rows if r.item == "group_size" and r.source.startswith("table")), None)
    if ref:
        lines.append(f'reference_n = {{ table = "{ref[0]}", source = "{ref[0]}", item = "group_size" }}')
    else:
        lines.append("# draft: no table prints the arms' sizes: declare reference_n = { table, source, item } "
                     "and each file's group_size where the paper prints them"
                     + ("; until then the sums of an item's counts stand in (below)"
                        if any(counted_sizes(first, f) for f in {_file_of(r.source) for r in first.rows}) else ""))
    if version_titles:
        lines += ["", "[paper]", "title = { " + ", ".join(f"{k} = {_toml_string(v)}" for k, v in version_titles.items())
                  + " }   # as that version prints it"]
    lines += ["", "[sources]"]
    for source, *_ in sorted(first.tables, key=lambda t: _natural(t[0])):
        number = source.removeprefix("table")
        names = {lang: f"表{number}" if lang == "zh" else f"Table {number}" for lang in drafts}
        lines.append(f'{source} = {{ {", ".join(f"{k} = {_toml_string(v)}" for k, v in names.items())} }}')
    for source in text_sources:
        names = {lang: d.sections.get(source, source) for lang, d in drafts.items()}
        lines.append(f'"{source}" = {{ {", ".join(f"{k} = {_toml_string(v[:40])}" for k, v in names.items())} }}')
    files = defaultdict(set)
    for d in drafts.values():
        for r in d.rows:
            files[_file_of(r.source)].add(r.quantity)
    for name in sorted(files, key=lambda f: (f == "text", _natural(f))):
        sources = sorted({r.source for d in drafts.values() for r in d.rows if _file_of(r.source) == name})
        quantities = sorted(files[name])
        lines += ["", f"[tables.{name}]", f"sources = [{', '.join(_toml_string(s) for s in sources)}]",
                  f"quantities = [{', '.join(_toml_string(q) for q in quantities)}]"]
        sizes = [r for r in first.rows if _file_of(r.source) == name and r.item == "group_size"]
        own = list(dict.fromkeys(a for src in sources for a in first.table_arms.get(src, ())))
        # another table's n stands in only for the groups it names ("Cirrhotics (n = 60)" is
        # no n for a "Cases (cirrhosis)" column)
        printed_arms = {r.arm for r in first.rows if _file_of(r.source) == name and r.arm}
        ref_fits = ref is not None and printed_arms <= {
            r.arm for r in first.rows if r.source == ref[0] and r.item == "group_size"}
        if sizes:
            lines.append(f'group_size = {{ source = "{sizes[0].source}", item = "group_size" }}')
        elif ref_fits and name != "text" and not own:
            lines.append(f'group_size = {{ source = "{ref[0]}", item = "group_size" }}   # draft: this table '
                         f"prints no n; the arms' n of {ref[0]} assumed: confirm (an outcome table may count fewer)")
        elif not ref_fits and name != "text" and (counted := counted_sizes(first, name)):
            sums = ", ".join(f"{a} {n}" for a, n in counted.sums.items())
            lines.append(f'group_size = {{ source = "{counted.source}", item = "{counted.item}" }}   # draft: no '
                         f"table prints these groups' n; the sums of this item's counts ({sums}), of which every "
                         "printed percentage is the share: confirm the n against the text")
        if own:
            labels = "; ".join(f"{a} = {first_labels.get(a, a)}" for a in own)
            lines.append(f"arms = [{', '.join(_toml_string(a) for a in own)}]   # draft: this table's own "
                         f"groups, not the trial's arms: {labels}")
    letters = sorted({c for r in first.rows if r.quantity == "letters" for c in r.value})
    if letters:
        # the usual note: the first letter against the other arm, the next ones against the
        # earlier time points of the same arm, in the order the columns print them
        levels = list(dict.fromkeys(r.level for r in first.rows if r.quantity == "letters"))
        # every letter printed is declared (a letter with no time point of its own takes the
        # last one: the draft cannot tell, REVIEW.md says to confirm the notes)
        levels += [levels[-1] if levels else ""] * max(0, len(letters) - 1 - len(levels))
        within = ", ".join(f"{_toml_string(letter)} = {_toml_string(level)}"
                           for letter, level in zip(letters[1:], levels))
        lines += ["", "# draft: guessed from the usual table note (first letter: vs the other arm; then vs",
                  "# each earlier time point); confirm against the notes under the tables:"]
        lines += [f"#   {note[:200]}" for note in dict.fromkeys(n for *_, n in first.tables if n)]
        lines += ["[letters]", f"between = {_toml_string(letters[0])}", f"within = {{ {within} }}"]
    for block in analyses:
        lines += _analysis_lines(block)
    if unchecked:
        lines += ["", "# draft: values no guessed analysis judges or reads; declare the analysis that",
                  "# produced each (docs/analyses.md), or keep it here with your own reason"]
    reason = t("draft.no_guess", "zh" if list(drafts) == ["zh"] else "en")   # readers see it
    for key in unchecked:
        lines += ["[[unchecked]]", f"key = {_toml_string(key)}", f"reason = {_toml_string(reason)}"]
    return "\n".join(lines) + "\n"


def _discrepancies(en: Draft, zh: Draft) -> pd.DataFrame:
    def keyed(d):
        return {(r.source, r.item, r.level, r.arm, r.quantity): r for r in d.rows}

    a, b = keyed(en), keyed(zh)
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        ra, rb = a.get(key), b.get(key)
        if ra and rb and ra.value == rb.value:
            continue
        if ra and rb:
            na, nb = printed_or_none(ra.value), printed_or_none(rb.value)
            same = (na is not None and nb is not None and na.value == nb.value and na.relation == nb.relation) \
                or (non_number(ra.value) is not None and non_number(ra.value) == non_number(rb.value))
            kind = "format" if same else "value"
        else:
            kind = "missing"
        where = (ra or rb).column_label or (ra or rb).row_label
        out.append(dict(zip(DISCREPANCY_COLUMNS, [kind, *key, where, ra.value if ra else "",
                                                  rb.value if rb else "", "draft: confirm against both versions"])))
    return pd.DataFrame(out, columns=DISCREPANCY_COLUMNS)


def _review(drafts: dict, paper: str, problems_by_lang: dict, remarks, lang: str, title="") -> str:
    lines = [t("draft.review.title", lang, paper=Path(paper).name), "", t("draft.review.intro", lang), ""]
    if not title:
        lines += [t("draft.review.no_title", lang), ""]
    for version, problems in problems_by_lang.items():
        d = drafts[version]
        arms = ", ".join(f"`{k}` = {v}" for k, v in d.arms.items())
        lines += [f"## {t(f'lang.{version}', lang)}", "",
                  t("draft.review.counts", lang, values=len(d.rows), tables=len(d.tables),
                    sections=len(d.sections), arms=arms), ""]
        if problems:
            # one line per problem, however many of the row's values it concerns
            found = dict.fromkeys(f"- {p.located(lang)}: {p.text(lang)}" for p in problems)
            lines += [t("draft.review.first", lang), ""] + list(found) + [""]
        else:
            lines += [t("draft.review.nothing", lang), ""]
        if d.claims:
            lines += [t("draft.review.claims", lang), ""]
            lines += [f"- {c.source}, {c.where}: P{c.text} “{c.sentence[:160]}”" for c in d.claims] + [""]
    if remarks:
        lines += [t("draft.review.reader", lang), ""] + [f"- {r}" for r in remarks] + [""]
    return "\n".join(lines)


def _settle(folder: Path, drafts: dict, paper: str, title: str | dict = "") -> list[Problem]:
    """Write ``analyses.toml`` so the unedited draft passes ``data --check`` where it can: a
    guessed analysis that cannot run is left as a comment with its error, and every value no
    remaining analysis judges or reads is listed under ``[[unchecked]]``. Returns ``(lang,
    Problem)`` for what still fails (a value printed in one version only, a file that does not
    load), for REVIEW.md."""
    from ..audit.claims import STATISTICS, claims
    from ..dataset import clear_cache

    first, *others = drafts.values()
    analyses = guess_analyses(first, others=tuple(others))
    path = folder / "analyses.toml"
    unchecked: list = []
    path.write_text(_declaration(drafts, paper, analyses, unchecked, title), encoding="utf-8")
    for _ in range(3):                 # a guess that cannot run is commented out, then rerun
        clear_cache()
        try:
            found = {lang: claims(lang, data_dir=folder) for lang in drafts}
        except InputError as err:
            return [(lang, Problem("analyses.toml", "not_load", (("error", line),)))
                    for lang in drafts for line in str(err).split("\n")]
        live = [b for b in analyses if not b.get("failed")]
        failed = {i: err for f in found.values() for i, err in f.failed}
        for i, err in failed.items():
            live[i]["failed"] = "the guess could not run: " + str(err).split(": ", 1)[-1][:200]
        path.write_text(_declaration(drafts, paper, analyses, unchecked, title), encoding="utf-8")
        if not failed:
            break
    keys = []
    for f in found.values():
        keys += [k for k, (_, _, q) in f.printed.items() if k not in f.judged_by and k not in keys
                 and (q in STATISTICS or k not in f.read)]
    unchecked = [k for k in keys if all(k in f.printed for f in found.values())]
    alone = [(lang, k) for lang, f in found.items() for k in keys if k in f.printed and k not in unchecked]
    path.write_text(_declaration(drafts, paper, analyses, unchecked, title), encoding="utf-8")
    clear_cache()
    # [[unchecked]] holds keys of both versions: a value one version prints alone must be
    # claimed by an analysis or matched to the other version's key by hand
    return [(lang, Problem(f"{lang}/{Path(found[lang].printed[k][0]).name} line {found[lang].printed[k][1]}",
                           "one_version", (("key", k), ("lang", lang)))) for lang, k in alone]


def _csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def write_draft(drafts: dict, out, *, paper: str, remarks=(), force: bool = False, lang: str = "en",
                title: str | dict = ""):
    """Write the draft folder ``out``; ``REVIEW.md`` in ``lang``; the declaration's ``title``
    is ``title`` (the paper's, where its file names it), else empty and REVIEW.md asks for
    it (the pages call the paper neutrally until then). A dict
    ``{lang: title}`` (each version's file's own) puts the English one on top and the others
    in ``[paper] title``.

    Returns
    -------
    written : list of Path
        The files written, relative to ``out``.
    review : dict
        Language -> the problems listed first in ``REVIEW.md``.
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise InputError(t("draft.not_empty", lang), file=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        provenance, problems_by_lang = [], {}
        for version, d in drafts.items():
            frame = d.to_frame()
            frame["file"] = frame["source"].map(_file_of)
            for name, group in frame.groupby("file", sort=False):
                _csv(group[COLUMNS], tmp / version / f"{name}.csv")
                for line, (_, r) in enumerate(group.iterrows(), start=2):
                    provenance.append({"lang": version, "file": f"{version}/{name}.csv", "line": line,
                                       "where": r["where"], "printed": r["printed"]})
            problems_by_lang[version] = list(d.problems) + arithmetic(d)
            for name in dict.fromkeys(frame["file"]):
                if name != "text" and (counted := counted_sizes(d, name)):
                    problems_by_lang[version].append(Problem(counted.where, "sizes_from_counts", (
                        ("file", name), ("item", counted.item), ("agreeing", counted.agreeing),
                        ("sums", ", ".join(f"{a} = {n}" for a, n in counted.sums.items())))))
        _csv(pd.DataFrame(provenance, columns=["lang", "file", "line", "where", "printed"]), tmp / "provenance.csv")
        if "en" in drafts and "zh" in drafts:
            _csv(_discrepancies(drafts["en"], drafts["zh"]), tmp / "discrepancies.csv")
        for version, problem in _settle(tmp, drafts, paper, title):
            problems_by_lang[version].append(problem)
        (tmp / "REVIEW.md").write_text(_review(drafts, paper, problems_by_lang, remarks, lang, title),
                                        encoding="utf-8")
        written = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        tmp.rename(out)
        return written, problems_by_lang
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
