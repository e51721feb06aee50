"""Typeset an example paper's transcription as a paper a reader holds (Markdown), for
``benchmarks/draft.py``.

The example papers under ``data/examples/`` are written by R straight into the transcription
format: every number R-computed, every label in the journal style the R script chose, the
planted errors in place. This script prints them the way a journal would: each table as a
grid of its printed row and column labels, each cell composed from its values as the label
announces them (``No. (%)`` -> ``12 (19.0)``, ``mean (SD)`` -> ``139.6 (27.2)``, otherwise
``68.17 ± 2.83``; ``median (IQR)`` -> ``12.0 (7.0–19.5)``; a ratio with its CI; an ``F/P``
pair; superscript letters), and each text section as its printed phrases in order, after the
paragraphs of the example's ``prose.csv`` (``lang,source,text``: what prints no value to
transcribe, such as the methods' named tests and rules), if it has one. A phrase
transcribed once per value carries the planted value only in that value's row: the printed
sentence takes every row's own value.

So the draft is measured on more styles of cells, labels and sentences than this paper's,
but not on a journal's own page layout: the layout is this script's.

Run: ``.venv/bin/python benchmarks/typeset.py data/examples/cgd OUT_DIR`` writes
``OUT_DIR/paper.md`` (and for a bilingual example both versions in one file, English first,
as the seed paper is).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from analysis.dataset import read_csv_text  # noqa: E402

_SECTION_TITLES = {"en": {"abstract": "Abstract", "methods": "Methods", "results": "Results"},
                   "zh": {"abstract": "摘要", "methods": "方法", "results": "结果"}}
_TABLE_WORD = {"en": "Table", "zh": "表"}


def _compose(cell: pd.DataFrame, row_label: str, column_label: str) -> str:
    q = {}
    for r in cell.itertuples():
        q.setdefault(r.quantity, []).append((r.level, r.value))
    one = {k: v[0][1] for k, v in q.items()}
    sup = f"^{one['letters']}^" if one.get("letters") else ""
    label = f"{row_label} {column_label}".lower()
    if "count" in q and len(q["count"]) == 2 and "percent" not in q:
        return "/".join(v for _, v in q["count"])
    if "count" in one and "percent" in one:
        return f"{one['count']} ({one['percent']})"
    if "mean" in one and "sd" in one:
        if "(sd)" in label or "mean (" in label:
            return f"{one['mean']} ({one['sd']}){sup}"
        return f"{one['mean']} ± {one['sd']}{sup}"
    if "median" in one and "q1" in one:
        return f"{one['median']} ({one['q1']}–{one['q3']})"
    ratio = next((k for k in ("hr", "or", "rr") if k in one), None)
    if ratio and "lower" in one:
        return f"{one[ratio]} ({one['lower']}–{one['upper']})"
    if "F" in one and "p" in one:
        return f"{one['F']}/{one['p']}"
    return " ".join(v for _, v in sum(q.values(), []))


def table_markdown(frame: pd.DataFrame) -> list[str]:
    rows = []
    for _, item in frame.groupby("item", sort=False):
        labels = list(dict.fromkeys(item["row_label"]))
        by = {lab: item[item["row_label"] == lab] for lab in labels}
        level_rows = [lab for lab in labels if by[lab]["arm"].nunique() > 1 and by[lab]["level"].nunique() == 1
                      and (by[lab]["level"] != "").all()]
        if len(level_rows) > 1:
            # an item's test row (no arm: its heading, "Tumour grade") above the rows of its
            # levels ("Grade 1", ...), as journals print a categorical item
            labels.sort(key=lambda lab: not (by[lab]["arm"] == "").all())
        rows += [lab for lab in labels if lab not in rows]
    cols = list(dict.fromkeys(frame["column_label"]))
    stub = frame.loc[frame["item"] == "group_size", "row_label"]
    stub_label = stub.iloc[0] if len(stub) and stub.iloc[0] not in cols else ""
    rows = [r for r in rows if r != stub_label]
    grid = [[stub_label] + cols]
    for r in rows:
        block = frame[frame["row_label"] == r]
        levels = [lv for lv in dict.fromkeys(block.loc[block["arm"] != "", "level"]) if lv]
        arms = {a for a in block["arm"] if a}
        if len(levels) > 1 and len(arms) > 1:      # arms in columns: one row per level
            # a categorical item: its test on the item's row, each level on a row of its own
            grid.append([r] + [_compose(block[(block["column_label"] == c) & (block["arm"] == "")], r, c)
                               if len(block[(block["column_label"] == c) & (block["arm"] == "")]) else ""
                               for c in cols])
            for level in levels:
                part = block[block["level"] == level]
                grid.append([level.replace("_", " ")] + [
                    _compose(part[part["column_label"] == c], r, c) if len(part[part["column_label"] == c]) else ""
                    for c in cols])
            continue
        line = [r]
        for c in cols:
            cell = block[block["column_label"] == c]
            line.append(_compose(cell, r, c) if len(cell) else "")
        grid.append(line)
    # an arm's n printed in its column header ("(n = 63)") is not printed again as a row
    grid = [row for row in grid if any(x for x in row[1:])]
    width = len(grid[0])
    out = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(x.replace("|", "\\|") for x in row) + " |" for row in grid[1:]]
    return out


def _printed_phrases(frame: pd.DataFrame, planted: set) -> list[str]:
    """The section's phrases as printed: a phrase written once per value, where one row's
    copy carries a planted value (its label is in ``planted``), is printed with that value."""
    phrases: list[list[str]] = []
    for phrase in dict.fromkeys(frame["row_label"]):
        for group in phrases:
            if difflib.SequenceMatcher(None, group[0], phrase).ratio() > 0.9 and \
                    len(group[0].split()) == len(phrase.split()):
                group.append(phrase)
                break
        else:
            phrases.append([phrase])
    printed = []
    for group in phrases:
        plain = [p for p in group if p not in planted] or group
        base = plain[0].split()
        for variant in (p for p in group if p in planted):
            for k, (a, b) in enumerate(zip(plain[0].split(), variant.split())):
                if a != b:
                    base[k] = b
        printed.append(" ".join(base))
    return printed


def _with_planted_phrases(text: pd.DataFrame, folder: Path, lang: str) -> tuple[pd.DataFrame, set]:
    """Each planted value printed in its own phrase (some rows keep the correct sentence as
    their label although their value is the planted one), and the labels that carry one."""
    planted_path = folder / "planted.csv"
    if not planted_path.exists():
        return text, set()
    planted = read_csv_text(planted_path)
    planted = planted[planted["file"] == f"{lang}/text.csv"]
    text = text.copy()
    labels = set()
    for p in planted.itertuples():
        hit = (text["source"] == p.source) & (text["item"] == p.item) & (text["level"] == p.level) & \
              (text["arm"] == p.arm) & (text["quantity"] == p.quantity)
        # "P < 0.001" printed as 0.006 reads "P = 0.006"; a bound is printed with its relation
        spaced = re.sub(r"^([<>≤≥])", r"\1 ", p.correct)
        printed = p.printed if p.printed[:1] in "<>≤≥" or p.correct[:1] not in "<>≤≥" else "= " + p.printed
        for i in text.index[hit]:
            label = text.at[i, "row_label"]
            if p.printed not in label:
                for correct in (p.correct, spaced):
                    if correct in label:
                        label = text.at[i, "row_label"] = label.replace(correct, printed, 1)
                        break
            labels.add(label)
    return text, labels


def paper_markdown(folder: Path, lang: str) -> list[str]:
    out = []
    text_path = folder / lang / "text.csv"
    text = read_csv_text(text_path) if text_path.exists() else pd.DataFrame(columns=["source", "row_label"])
    text, planted = _with_planted_phrases(text, folder, lang)
    prose_path = folder / "prose.csv"
    prose = read_csv_text(prose_path) if prose_path.exists() else pd.DataFrame(columns=["lang", "source", "text"])
    prose = prose[prose["lang"] == lang]
    for source in dict.fromkeys(list(prose["source"]) + list(text["source"])):
        title = _SECTION_TITLES[lang].get(source) or source.removeprefix("sec") + " " + \
            ("Results" if lang == "en" else "结果")
        out += [f"## {title}", ""] + [p + "\n" for p in prose.loc[prose["source"] == source, "text"]]
        out += [(" " if lang == "en" else "").join(
            p.rstrip(".。") + ("." if lang == "en" else "。") for p in _printed_phrases(text[text["source"] == source], planted)), ""]
    for path in sorted((folder / lang).glob("table*.csv")):
        frame = read_csv_text(path)
        number = path.stem.removeprefix("table")
        caption = f"{_TABLE_WORD[lang]} {number}" if lang == "en" else f"{_TABLE_WORD[lang]}{number}"
        out += [f"{caption} {'Characteristics and outcomes by group' if lang == 'en' else '两组比较'}", ""]
        out += table_markdown(frame) + [""]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="Typeset an example paper's transcription as Markdown.")
    parser.add_argument("folder", type=Path, help="an example's data folder, e.g. data/examples/cgd")
    parser.add_argument("out", type=Path, help="where paper.md is written")
    args = parser.parse_args()
    folder, out = args.folder, args.out
    if not (folder / "analyses.toml").is_file():
        parser.error(f"{folder}: not a data folder (no analyses.toml)")
    langs = [lang for lang in ("en", "zh") if (folder / lang).is_dir()]
    lines = []
    for lang in langs:
        lines += paper_markdown(folder, lang)
    out.mkdir(parents=True, exist_ok=True)
    (out / "paper.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out / "paper.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
