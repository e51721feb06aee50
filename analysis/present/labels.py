"""The paper's tables and the book's cross-reference labels for every table it shows."""

from __future__ import annotations

__all__ = ["PAPER_TABLES", "LABELS"]

PAPER_TABLES = ("table1", "table2", "table3", "table4")

# Quarto cross-reference label of each rebuilt table in the book (and its export file name).
LABELS = {"table1": "tbl-baseline", "table2": "tbl-response", "table3": "tbl-markers-afp-afu",
          "table4": "tbl-markers-apt", "discrepancies": "tbl-discrepancies",
          "digitized": "tbl-digitized", "survival_printed": "tbl-survival-printed"}

