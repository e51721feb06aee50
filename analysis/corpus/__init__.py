"""A corpus of trials: Carlisle's baseline test of thousands of trials, on Dask.

:mod:`.reader` reads the corpus (Carlisle's workbook or a tidy CSV), :mod:`.baseline` tests
one trial (rounding-aware ANOVA P per variable, Stouffer per trial), :mod:`.run` spreads the
trials over a Dask cluster and resumes an interrupted run, :mod:`.report` writes the CSVs,
the JSON summary and the HTML page, :mod:`.simulate` makes honest trials for calibration, and
:mod:`.audit` drafts and audits a folder of papers on the same kind of cluster.
"""

__all__ = ["DEFAULT_TIES"]

#: The corpus's tie rule: the mid-P, Carlisle's (:func:`.baseline.variable_table`, Notes).
DEFAULT_TIES = "mid"
