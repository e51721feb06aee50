"""How long does the whole audit take? Target: under 10 s per language version.

Run: ``.venv/bin/python benchmarks/audit_speed.py [--repeat 3]``. Prints, per
language, the best wall time of ``run_audit`` (data loading included, caches
cleared before each run) and the number of checks.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.audit import run_audit  # noqa: E402
from analysis.dataset import clear_cache  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for lang in ("en", "zh"):
        best, n = float("inf"), 0
        for _ in range(args.repeat):
            clear_cache()
            start = time.perf_counter()
            report = run_audit(lang)
            best = min(best, time.perf_counter() - start)
            n = len(report.checks)
        print(f"{lang}: {n} checks in {best:.2f} s (best of {args.repeat}; target < 10 s)")


if __name__ == "__main__":
    main()
