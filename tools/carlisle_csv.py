"""Carlisle's workbook (Anaesthesia 2017;72:944, Appendix S2) as the tidy CSV the corpus
command reads: ``data/carlisle/carlisle2017.csv.gz``.

Run: ``.venv/bin/python tools/carlisle_csv.py WORKBOOK.xlsx``. The workbook is
``data/anae13938-sup-0002-appendixs2.xlsx`` of the public repository agbarnett/baseline_tables
(the ``fetch`` tool brings it). The output is deterministic (gzip without a time stamp): the
same workbook gives the same bytes. The rows the reader skips are listed in
``data/carlisle/PROVENANCE.md`` by the script's printout, not silently.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.atomic import write_bytes  # noqa: E402
from analysis.corpus.reader import read_table  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "data" / "carlisle" / "carlisle2017.csv.gz"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: tools/carlisle_csv.py WORKBOOK.xlsx", file=sys.stderr)
        return 2
    table = read_table(argv[0])
    # where each row was read in the workbook, under names the reader does not take as its own
    frame = table.rows.rename(columns={"sheet": "source_sheet", "row": "source_row"})
    write_bytes(OUT, gzip.compress(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"), mtime=0))
    print(f"workbook sha256 {table.sha256}; {len(frame)} rows, "
          f"{frame.groupby(['study', 'trial']).ngroups} trials -> {OUT}")
    for bad in table.bad_rows:
        print(f"skipped: sheet {bad.sheet!r}, row {bad.row}, column {bad.column!r}: {bad.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
