"""How much of a confirmed transcription does ``python -m analysis draft`` find?

Run: ``.venv/bin/python benchmarks/draft.py [PAPER DATA_DIR] [--formats] [--misses]``.

* Without arguments: this paper's seed text (``../shared/paper/``, English and Chinese,
  tab-separated tables) against ``data/raw/en`` and ``data/raw/zh``.
* ``--formats``: the same paper made into the formats a reader holds, with the shipped
  Quarto (``quarto`` on PATH): Markdown with pipe tables, Word (``quarto pandoc``), HTML
  (``quarto pandoc -s``) and PDF (``quarto render --to typst``, tables at 6.5 pt with 1.5 cm
  side margins so that the ten-column Table 3 fits the page, a CJK font for the Chinese).
* ``--examples``: every example paper of ``data/examples/``, typeset from its R-written
  transcription by ``benchmarks/typeset.py`` (with ``--formats``, in every format too).
* ``--end-to-end`` (with ``--examples``): the **unedited** draft of each example's Markdown,
  through ``data --check`` and the audit: does the check pass, which planted errors does the
  audit flag, and which discrepant checks read no planted value (false alarms)? A discrepant
  check that reads a planted value without printing one (a right χ² judged on a wrong n) is
  counted apart, as a knock-on: not a false alarm, but a finding a reader must trace back.
* ``PAPER DATA_DIR``: any paper file against any confirmed data folder.
* ``--real``: the corpus of real journals' tables, ``benchmarks/corpus/`` (unedited drafts
  that load, statistics audited, errors flagged, false alarms, numbers accounted for, edits;
  development and held-out sets apart): ``benchmarks/draft_real.py`` does it.

Prints, per file and language: values confirmed, drafted, found, recall, precision, the
share of found values whose key is also the person's, and the time the draft took;
``--misses`` lists every value missed and every value drafted but not confirmed.
Targets (issue #18): Markdown ≥ 99 % recall and precision; PDF and Word ≥ 95 % / ≥ 98 %.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from analysis.dataset import PROJECT_ROOT, read_csv_text  # noqa: E402
from analysis.draft import compare, draft_paper  # noqa: E402

SEED = PROJECT_ROOT.parent / "shared" / "paper" / "000_ecd3b4fa3acac9fc.txt"
_FRONT = """---
title: "Cai et al. 2026 (benchmark copy)"
mainfont: "Noto Sans CJK SC"
format:
  typst:
    margin:
      x: 1.5cm
    include-in-header:
      text: |
        #show table: set text(size: 6.5pt)
---

"""


def confirmed(data_dir: Path, lang: str) -> pd.DataFrame:
    return pd.concat([read_csv_text(p) for p in sorted((data_dir / lang).glob("*.csv"))], ignore_index=True)


def markdown_of(seed: Path) -> str:
    """The seed text as pandoc Markdown: tab tables as pipe tables, ``<sup>``/``<sub>`` as
    ``^…^``/``~…~`` (so Word and PDF carry real superscripts), ``<i>`` as emphasis."""
    out, lines, i = [], seed.read_text(encoding="utf-8").splitlines(), 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        block = []
        while i < len(lines) and "\t" in lines[i]:
            block.append(lines[i].split("\t"))
            i += 1
        width = max(map(len, block))
        block = [[c.replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in block]
        out += ["| " + " | ".join(block[0]) + " |", "|" + "---|" * width]
        out += ["| " + " | ".join(r) + " |" for r in block[1:]] + [""]
    text = "\n".join(out) + "\n"
    text = re.sub(r"<sup>\s*(.*?)\s*</sup>", lambda m: "^" + m.group(1).replace(" ", "\\ ") + "^", text)
    text = re.sub(r"<sub>\s*(.*?)\s*</sub>", lambda m: "~" + m.group(1).replace(" ", "\\ ") + "~", text)
    return _FRONT + text.replace("<i>", "*").replace("</i>", "*")


def make_formats(md: Path) -> list[Path]:
    """Word, HTML and PDF of a pandoc Markdown paper, beside it."""
    quarto = shutil.which("quarto")
    if quarto is None:
        sys.exit("--formats needs quarto on PATH (../shared/tools/quarto/bin here)")
    folder = md.parent
    for args in (["pandoc", "paper.md", "-o", "paper.docx"], ["pandoc", "paper.md", "-s", "-o", "paper.html"],
                 ["render", "paper.md", "--to", "typst"]):
        subprocess.run([quarto, *args], cwd=folder, check=True, capture_output=True)
    return [folder / "paper.docx", folder / "paper.html", folder / "paper.pdf"]


def report(paper: Path, data_dir: Path, *, misses: bool) -> None:
    start = time.perf_counter()
    drafts = draft_paper(paper)
    elapsed = time.perf_counter() - start
    for lang, draft in drafts.items():
        if not (data_dir / lang).is_dir():
            continue
        result = compare(draft.to_frame(), confirmed(data_dir, lang))
        name = f"{paper.parent.name}/{paper.name}" if paper.name.startswith("paper.") else paper.name
        print(f"{name:28} {lang:5} {result.confirmed:9d} {result.drafted:8d} {result.found:6d} "
              f"{result.recall:7.1%} {result.precision:9.1%} {result.same_key / max(result.found, 1):9.1%} "
              f"{elapsed:6.2f}")
        if misses:
            with pd.option_context("display.width", 200, "display.max_rows", 500, "display.max_colwidth", 60):
                if len(result.misses):
                    print(f"  missed:\n{result.misses.to_string()}")
                if len(result.extras):
                    print(f"  not confirmed:\n{result.extras.to_string()}")


def end_to_end(md: Path, example: Path, *, misses: bool = False) -> None:
    """Draft ``md`` into a folder, check it, audit it, and score the audit on the planted errors."""
    from analysis.audit import run_audit
    from analysis.audit.model import key_of
    from analysis.commands.data import check_summary
    from analysis.dataset import clear_cache
    from analysis.draft.output import write_draft
    from analysis.errors import InputError

    out = md.parent / "draft"
    drafts = draft_paper(md)
    write_draft(drafts, out, paper=str(md), force=True)
    clear_cache()
    try:
        check_summary(data_dir=out)
        errors = 0
    except InputError as err:
        errors = len(getattr(err, "errors", [err]))
    planted = read_csv_text(example / "planted.csv")
    for lang, draft in drafts.items():
        result = compare(draft.to_frame(), confirmed(example, lang))
        to_draft = {key_of(*(r[k] for k in ("source", "item", "level", "arm", "quantity"))):
                    key_of(*(r[f"draft_{k}"] for k in ("source", "item", "level", "arm", "quantity")))
                    for _, r in result.pairs.iterrows()}
        mine = planted[planted["file"].str.startswith(f"{lang}/")]
        drafted_as = {r["kind"]: to_draft.get(key_of(*(r[k] for k in ("source", "item", "level", "arm", "quantity"))))
                      for _, r in mine.iterrows()}
        wanted = set(drafted_as.values()) - {None}
        n_planted = int(planted["file"].str.startswith(f"{lang}/").sum())
        flagged, alarms, knock_on = set(), [], []
        try:
            checks = run_audit(lang, data_dir=out).checks
        except InputError as err:
            print(f"{example.name:10} {lang}: the audit does not run: {str(err).splitlines()[0]}")
            continue
        for c in checks:
            if c.verdict != "discrepant":
                continue
            flagged |= set(c.covers) & wanted
            if not set(c.covers) & wanted:
                # discrepant only through a planted value it reads (a wrong n under a right χ²)
                (knock_on if set(c.inputs) & wanted else alarms).append(c.id)
        print(f"{example.name:10} {lang}: data --check {'passes' if not errors else f'{errors} errors'}; "
              f"planted {n_planted}, drafted {len(wanted)}, flagged {len(flagged)}; "
              f"false alarms {len(alarms)} {alarms if alarms else ''}; "
              f"knock-on {len(knock_on)} {knock_on if knock_on else ''}")
        if misses:
            for kind, key in drafted_as.items():
                if key not in flagged:
                    print(f"    not flagged: {kind} ({key or 'not drafted'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paper", nargs="?", default=str(SEED))
    parser.add_argument("data_dir", nargs="?", default=str(PROJECT_ROOT / "data" / "raw"))
    parser.add_argument("--formats", action="store_true", help="also Markdown, Word, HTML and PDF made with Quarto")
    parser.add_argument("--examples", action="store_true", help="also every example paper of data/examples")
    parser.add_argument("--end-to-end", action="store_true",
                        help="with --examples: check and audit each unedited draft")
    parser.add_argument("--misses", action="store_true", help="list misses and extras")
    parser.add_argument("--real", action="store_true", help="the corpus of real journals' tables instead")
    args = parser.parse_args()
    if args.real:
        from draft_real import main as real
        return real(["--misses"] if args.misses else [])
    print(f"{'file':28} {'lang':5} {'confirmed':>9} {'drafted':>8} {'found':>6} {'recall':>7} "
          f"{'precision':>9} {'same key':>9} {'time s':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(Path(args.paper), Path(args.data_dir))]
        if args.formats:
            md = Path(tmp) / "seed" / "paper.md"
            md.parent.mkdir()
            md.write_text(markdown_of(Path(args.paper)), encoding="utf-8")
            runs += [(p, Path(args.data_dir)) for p in [md] + make_formats(md)]
        if args.examples:
            for folder in sorted(p.parent for p in (PROJECT_ROOT / "data" / "examples").glob("*/analyses.toml")):
                out = Path(tmp) / folder.name
                subprocess.run([sys.executable, str(Path(__file__).with_name("typeset.py")), str(folder), str(out)],
                               check=True, capture_output=True)
                md = out / "paper.md"
                md.write_text(_FRONT + md.read_text(encoding="utf-8"), encoding="utf-8")
                runs += [(p, folder) for p in [md] + (make_formats(md) if args.formats else [])]
        for paper, data_dir in runs:
            report(paper, data_dir, misses=args.misses)
        if args.end_to_end:
            for paper, data_dir in runs:
                if paper.name == "paper.md" and (data_dir / "planted.csv").exists():
                    end_to_end(paper, data_dir, misses=args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
