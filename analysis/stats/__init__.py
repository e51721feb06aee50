"""Statistics recomputed from printed summary data, with rounding intervals.

One module per family of tests: :mod:`.summary_t` (two-sample t from mean, SD
and n), :mod:`.contingency` (what SPSS crosstabs prints), :mod:`.ranks`
(rank-sum Z from ordered counts), :mod:`.rmanova` (split-plot ANOVA identities
from cell summaries), :mod:`.rounding` (intervals, statcheck, GRIM family),
:mod:`.samplesize` (two-proportion sample size), :mod:`.carlisle` (baseline P
distribution).
"""
