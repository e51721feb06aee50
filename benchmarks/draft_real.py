"""The draft on real journals' tables: ``benchmarks/corpus/`` (issue #29).

Run: ``.venv/bin/python benchmarks/draft_real.py [SLUG ...] [--misses]`` (also
``benchmarks/draft.py --real``).

For each article of the corpus, the **unedited** draft of its ``paper.md`` is written, checked
(``data --check``) and audited, and measured against the article's independent truth
(``truth.csv``, judged by ``benchmarks/corpus/truth.py``, which never imports ``analysis``):

* **loads**: the unedited draft passes ``data --check``;
* **audited**: of the printed statistics and P values of ``truth.csv``, the share that some
  audit check covers (found in the draft by table, row or column label and printed value);
* **flagged**: of the rows the truth finds inconsistent, those with a discrepant check on the
  row's statistic or P; **false alarms**: discrepant checks on rows the truth finds
  consistent; checks that are discrepant only through a value they read without printing it
  are not counted as either;
* **accounted**: of the numbers printed in the tables' cells, the share the draft holds or
  lists in ``REVIEW.md``'s first list (nothing dropped silently);
* **edits** (articles with ``confirmed.csv``): the values a person changes to reach the
  confirmed transcription: a confirmed value the draft lacks or puts under another arm or
  quantity, plus every drafted value the person removes. Arm keys are matched once per table
  (renaming an arm is one edit in the declaration, not one per value).

Development and held-out articles (the rule in ``benchmarks/corpus/README.md``) are reported
apart. The draft was never tuned on a held-out article.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

import pandas as pd  # noqa: E402

import truth as corpus_truth  # noqa: E402
from analysis.dataset import clear_cache, read_csv_text  # noqa: E402
from analysis.draft import compare, draft_paper, read_paper  # noqa: E402
from analysis.draft.compare import label_key, label_words  # noqa: E402
from analysis.draft.cells import NUM  # noqa: E402
from analysis.draft.document import Table  # noqa: E402
from analysis.errors import InputError  # noqa: E402
from analysis.printed import normalize_typesetting  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"
_NUMBER = re.compile(NUM)


def _value(text) -> str:
    text = normalize_typesetting(str(text or "")).replace("−", "-").strip()
    text = re.sub(r"^(?:p|t|z|f|χ2|χ²|x2)\s*[=:]\s*", "", text, flags=re.I)
    text = re.sub(r"\^[^^]*\^|[ᵃ-ᶻ*†‡§#]+$", "", text)
    return re.sub(r"\s+", "", text).lstrip("+")


def _find(frame: pd.DataFrame, table: str, label: str, printed: str) -> list[str]:
    """Keys of the drafted values of ``table`` printed as ``printed`` on the row (or, groups
    as rows, under the column) labelled ``label``."""
    if not printed.strip():
        return []
    hits = frame[(frame["source"].str.replace(r"_\d+$", "", regex=True) == f"table{table.lower()}")
                 & (frame["value"].map(_value) == _value(printed))]
    want, words = label_key(label), label_words(label)
    near = hits[hits["row_label"].map(label_key).eq(want) | hits["column_label"].map(label_key).eq(want)
                | hits["row_label"].map(label_words).eq(words) | hits["column_label"].map(label_words).eq(words)
                | hits["row_label"].map(label_key).str.startswith(want[:12] or "\x00")
                | hits["column_label"].map(label_key).str.contains(want[-12:] or "\x00", regex=False)
                # a row under a heading, written "Heading / row" in the truth: its own label
                | (hits["row_label"].map(label_key).eq(label_key(label.split(" / ")[-1])) if " / " in label
                   else False)]
    pick = near if len(near) else hits if len(hits) == 1 else hits.iloc[0:0]
    return ["/".join(str(r[k] or "") for k in ("source", "item", "level", "arm", "quantity"))
            for _, r in pick.iterrows()]


def _cells_accounted(paper: Path, draft) -> tuple[int, int]:
    """Numbers printed in table cells, and those the draft holds or lists for review."""
    document = read_paper(paper)
    held = Counter(str(p) for p in draft.to_frame()["printed"])
    review_rows = {dict(p.fields).get("row") for p in draft.problems}
    review_cells = {dict(p.fields).get("cell") for p in draft.problems}
    total = accounted = 0
    for block in document.blocks:
        if not isinstance(block, Table):
            continue
        for row in block.rows[1:]:                 # the header row prints labels
            for cell in row[1:]:
                numbers = _NUMBER.findall(cell)
                if not numbers:
                    continue
                total += len(numbers)
                if cell in held or cell.strip() in held or cell in review_cells or row[0] in review_rows:
                    accounted += len(numbers)
    return total, accounted


def _edits(draft_frame: pd.DataFrame, confirmed: pd.DataFrame) -> tuple[int, dict]:
    result = compare(draft_frame, confirmed)
    pairs = result.pairs
    # one arm renaming per table and drafted key is a declaration edit, not a value edit
    arm_map = {}
    for (source, d_arm), group in pairs.groupby(["source", "draft_arm"]):
        arm_map[(source, d_arm)] = group["arm"].mode().iloc[0]
    moved = sum(1 for _, r in pairs.iterrows()
                if arm_map[(r["source"], r["draft_arm"])] != r["arm"] or r["draft_quantity"] != r["quantity"])
    parts = {"missed": len(result.misses), "removed": len(result.extras), "moved": moved}
    return sum(parts.values()), parts


def measure(folder: Path, *, misses: bool = False) -> dict:
    """One article's figures (see the module docstring)."""
    from analysis.audit import run_audit
    from analysis.commands.data import check_summary
    from analysis.draft.output import write_draft

    paper = folder / "paper.md"
    start = time.perf_counter()
    try:
        drafts = draft_paper(paper)
    except Exception as err:  # noqa: BLE001 - a crash is a draft that does not load, counted
        truth = corpus_truth.check_article(folder)
        printed = int(truth["statistic"].fillna("").astype(str).str.strip().ne("").sum()
                      + truth["p"].fillna("").astype(str).str.strip().ne("").sum())
        return {"article": folder.name, "set": corpus_truth.article_set(folder), "lang": "", "seconds": 0.0,
                "loads": False, "load_error": f"the draft stops: {type(err).__name__}: {err}"[:160],
                "printed": printed, "audited": 0, "inconsistent": int((truth["verdict"] == "inconsistent").sum()),
                "flagged": 0, "false_alarms": 0, "numbers": 0, "accounted": 0, "notes": []}
    elapsed = time.perf_counter() - start
    lang, draft = next(iter(drafts.items()))
    frame = draft.to_frame()
    out = {"article": folder.name, "set": corpus_truth.article_set(folder), "lang": lang,
           "seconds": round(elapsed, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "draft"
        write_draft(drafts, data, paper=str(paper), force=True)
        clear_cache()
        try:
            check_summary(data_dir=data)
            out["loads"] = True
        except InputError as err:
            out["loads"] = False
            out["load_error"] = str(err).splitlines()[0][:160]
        checks = []
        try:
            checks = run_audit(lang, data_dir=data).checks
        except InputError as err:
            out.setdefault("load_error", str(err).splitlines()[0][:160])
    covering = {}
    for c in checks:
        for key in c.covers:
            covering.setdefault(key, []).append(c)
    truth = corpus_truth.check_article(folder)
    audited = printed = flagged = inconsistent = alarms = 0
    notes = []
    for _, row in truth.iterrows():
        keys = []
        for column in ("statistic", "p"):
            value = str(row.get(column) or "")
            if not value or value == "nan":
                continue
            printed += 1
            found = _find(frame, str(row["table"]), str(row["row_label"]), value)
            keys += found
            if any(covering.get(k) for k in found):
                audited += 1
            elif misses:
                notes.append(f"  not audited: table {row['table']} {row['row_label']!r} {column} {value}"
                             f"{' (drafted as ' + found[0] + ')' if found else ' (not drafted)'}")
        # the row's percentages are part of its truth: a discrepant percentage of the same item counts
        items = {tuple(k.split("/")[:2]) for k in keys}
        percents = [k for k in covering if tuple(k.split("/")[:2]) in items and k.endswith("/percent")]
        discrepant = any(c.verdict == "discrepant" for k in keys + percents for c in covering.get(k, []))
        if row["verdict"] == "inconsistent":
            inconsistent += 1
            flagged += discrepant
            if misses and not discrepant:
                notes.append(f"  not flagged: table {row['table']} {row['row_label']!r}: {row['reason']}")
        elif row["verdict"] == "consistent" and discrepant:
            alarms += 1
            if misses:
                notes.append(f"  false alarm: table {row['table']} {row['row_label']!r}")
    total, accounted = _cells_accounted(paper, draft)
    out.update(printed=printed, audited=audited, inconsistent=inconsistent, flagged=flagged,
               false_alarms=alarms, numbers=total, accounted=accounted)
    if (folder / "confirmed.csv").exists():
        out["edits"], parts = _edits(frame, read_csv_text(folder / "confirmed.csv"))
        if misses:
            notes.append(f"  edits: {parts}")
    out["notes"] = notes
    return out


def _line(r: dict) -> str:
    edits = str(r.get("edits", "")) if "edits" in r else "-"
    return (f"{r['article']:22} {r['set']:9} {'yes' if r['loads'] else 'NO':5} {r['audited']:3d}/{r['printed']:<3d} "
            f"{r['flagged']:3d}/{r['inconsistent']:<3d} {r['false_alarms']:6d} {r['accounted']:4d}/{r['numbers']:<4d} "
            f"{edits:>5} {r['seconds']:6.2f}")


def _total(name: str, rows: list[dict]) -> str:
    if not rows:
        return f"{name}: no articles"
    s = lambda k: sum(r[k] for r in rows)  # noqa: E731
    edited = [r["edits"] for r in rows if "edits" in r]
    return (f"{name}: {len(rows)} articles; unedited drafts that load {sum(r['loads'] for r in rows)}/{len(rows)}; "
            f"printed statistics and P audited {s('audited')}/{s('printed')} ({s('audited') / max(s('printed'), 1):.0%}); "
            f"inconsistent flagged {s('flagged')}/{s('inconsistent')}; false alarms {s('false_alarms')}; "
            f"numbers accounted for {s('accounted')}/{s('numbers')} ({s('accounted') / max(s('numbers'), 1):.1%}); "
            f"edits per confirmed article {'median ' + str(sorted(edited)[len(edited) // 2]) + ', max ' + str(max(edited)) if edited else '-'}; "
            f"slowest draft {max(r['seconds'] for r in rows):.1f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("slugs", nargs="*", help="articles (default: all)")
    parser.add_argument("--misses", action="store_true", help="list what is not audited, not flagged, false alarms")
    parser.add_argument("--set", choices=("development", "held-out"), help="one set only")
    args = parser.parse_args(argv)
    folders = [CORPUS / s for s in args.slugs] or sorted(p.parent for p in CORPUS.glob("*/paper.md"))
    if args.set:
        folders = [f for f in folders if corpus_truth.article_set(f) == args.set]
    print(f"{'article':22} {'set':9} {'loads':5} {'audited':7} {'flagged':7} {'alarms':6} {'accounted':9} "
          f"{'edits':>5} {'time s':>6}")
    results = []
    for folder in folders:
        r = measure(folder, misses=args.misses)
        results.append(r)
        print(_line(r))
        if not r["loads"]:
            print(f"  does not load: {r.get('load_error', '')}")
        for note in r["notes"]:
            print(note)
    for name in ("development", "held-out"):
        print(_total(name, [r for r in results if r["set"] == name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
