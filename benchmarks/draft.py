"""How much of a confirmed transcription does ``python -m analysis draft`` find?

Run: ``.venv/bin/python benchmarks/draft.py [PAPER DATA_DIR] [--misses]``. Without
arguments it drafts this paper's seed text (``../shared/paper/``, English and Chinese) and
compares with ``data/raw/en`` and ``data/raw/zh``; with them, any paper file against any
confirmed data folder. Prints, per language: values confirmed, drafted, found, recall,
precision, the share of found values whose key is also the person's, and the time taken;
``--misses`` lists every value missed and every value drafted but not confirmed, per table.
Targets (issue #18): Markdown ≥ 99 % recall and precision; PDF and Word ≥ 95 % / ≥ 98 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from analysis.dataset import PROJECT_ROOT, read_csv_text  # noqa: E402
from analysis.draft import compare, draft_paper  # noqa: E402

SEED = PROJECT_ROOT.parent / "shared" / "paper" / "000_ecd3b4fa3acac9fc.txt"


def confirmed(data_dir: Path, lang: str) -> pd.DataFrame:
    return pd.concat([read_csv_text(p) for p in sorted((data_dir / lang).glob("*.csv"))], ignore_index=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paper", nargs="?", default=str(SEED))
    parser.add_argument("data_dir", nargs="?", default=str(PROJECT_ROOT / "data" / "raw"))
    parser.add_argument("--misses", action="store_true", help="list misses and extras")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    start = time.perf_counter()
    drafts = draft_paper(args.paper)
    elapsed = time.perf_counter() - start
    print(f"{Path(args.paper).name} against {data_dir}: drafted in {elapsed:.2f} s")
    print(f"{'lang':5} {'confirmed':>9} {'drafted':>8} {'found':>6} {'recall':>7} {'precision':>9} {'same key':>9}")
    for lang, draft in drafts.items():
        if not (data_dir / lang).is_dir():
            continue
        result = compare(draft.to_frame(), confirmed(data_dir, lang))
        print(f"{lang:5} {result.confirmed:9d} {result.drafted:8d} {result.found:6d} "
              f"{result.recall:7.1%} {result.precision:9.1%} {result.same_key / max(result.found, 1):9.1%}")
        if args.misses:
            with pd.option_context("display.width", 200, "display.max_rows", 500, "display.max_colwidth", 60):
                if len(result.misses):
                    print(f"  missed ({lang}):\n{result.misses.to_string()}")
                if len(result.extras):
                    print(f"  not confirmed ({lang}):\n{result.extras.to_string()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
