"""How long does `make report` take? Targets (issue 10): cold <= 180 s on 2 cores, nothing
changed <= 10 s, and editing one chapter's prose re-executes only that chapter.

Run: ``.venv/bin/python benchmarks/render.py`` with Quarto on PATH. On a fresh copy of the
project (tools/clone.py) it times `make report` cold, again with nothing changed, and after
appending a sentence to one chapter; for each edition it prints which chapters were
re-executed (their frozen results rewritten). About 5 minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from clone import fresh_copy  # noqa: E402

EDITIONS = ("en", "zh")


def make_report(root: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(["make", "-o", ".venv/.installed", "report"], cwd=root,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"make report failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def frozen(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for lang in EDITIONS
            for p in (root / "_build" / lang / "_freeze").rglob("*.json")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapter", default="chapters/table-2-response.qmd",
                        help="the chapter whose prose is edited")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        root = fresh_copy(Path(tmp) / "project")
        print(f"cold (both editions, book + appendix + handout): {make_report(root):6.1f} s")
        print(f"nothing changed:                                 {make_report(root):6.1f} s")
        before = frozen(root)
        chapter = root / args.chapter
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                           encoding="utf-8")
        print(f"one chapter's prose edited ({args.chapter}): {make_report(root):6.1f} s")
        for lang in EDITIONS:
            freeze = root / "_build" / lang / "_freeze"
            rerun = sorted({"/".join(p.relative_to(freeze).parts[:2])
                            for p, mtime in before.items()
                            if p.is_relative_to(freeze) and p.stat().st_mtime_ns != mtime})
            print(f"  {lang}: re-executed {', '.join(rerun) or 'nothing'}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
