"""Where a page's look is decided: everything the book, appendix and handout show as tables.

- :mod:`.paper_tables`: the paper's Tables 1–4 rebuilt as printed, one verdict mark a row.
- :mod:`.as_printed`: another paper's table of any shape laid out as its rows were read.
- :mod:`.cells`: a table cell's printed text from the raw rows it holds.
- :mod:`.checks`: verdict marks and their legend, check lists, the summary's lists.
- :mod:`.recomputed`: a recomputed value as a reader sees it.
- :mod:`.data_tables`: English/Chinese differences, what was digitized, survival numbers.
- :mod:`.markdown`: pipe tables with chosen column widths; safe cell and prose text.
- :mod:`.labels`: the tables' names and cross-reference labels.
- :mod:`.survival`: the survival chapter's ensemble and feasibility tables and sentences.

- :mod:`.readers`: each discrepant check in a plain sentence, for a clinician.
- :mod:`.paper`: what the declaration's ``[paper]`` tells readers, its numbers filled in.
- :mod:`.findings`: the headline findings of the appendix and handout, the check list by place.

Imports go one way: ``findings`` uses the others, ``checks`` uses ``readers``, and nothing
here imports ``findings``.
"""

from .checks import CHECK_KINDS, MARKS, check_section, flagged_list, legend, verdict_mark
from .data_tables import digitized_table, discrepancy_table, provenance_table, survival_printed_table
from .labels import LABELS, PAPER_TABLES
from .markdown import markdown
from .paper_tables import PaperTable, audit_frame, build_table, paper_table
from .recomputed import recomputed_text

__all__ = ["CHECK_KINDS", "LABELS", "MARKS", "PAPER_TABLES", "PaperTable", "audit_frame",
           "build_table", "check_section", "digitized_table", "discrepancy_table",
           "flagged_list", "legend", "markdown", "paper_table", "provenance_table", "recomputed_text",
           "survival_printed_table", "verdict_mark"]
