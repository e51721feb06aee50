"""The analysis families a declaration (``analyses.toml``) may name, and what each runs.

Each family is a function ``(ctx, spec, *, done) -> list[Check]``: ``spec`` is the declared
:class:`~analysis.declaration.Analysis`, ``done`` the checks of the analyses declared before
it. A *revising* family returns ``done`` revised instead of new checks (it claims nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .anova import one_way_anova
from .baseline import baseline_balance, continuity_rule, grim
from .categorical import crosstab_family
from .claim import claim
from .median import median_iqr
from .percent import percent_of_count, sum_of_parts
from .pvalue import p_from_statistic
from .ratio import ratio_ci
from .repeat import repeat
from .rules import test_rule
from .samplesize import dropout_inflation, sample_size, sample_size_two_proportions
from .sizes import group_sizes
from .splitplot import split_plot_family
from .survival import follow_up_window, log_rank, survival_summary
from .ttest import two_sample_t

__all__ = ["Family", "FAMILIES"]


@dataclass(frozen=True)
class Family:
    """A family's function, the options it accepts, and whether it needs an ``item``."""

    run: Callable
    options: tuple[str, ...] = ()
    needs_item: bool = True
    revises: bool = False


FAMILIES = {
    "two_sample_t": Family(two_sample_t, options=("sign", "n")),
    "one_way_anova": Family(one_way_anova, options=("n",)),
    "crosstab": Family(crosstab_family, options=("ordered", "rank_sum", "statistic", "counts", "exclude", "n",
                                                 "u")),
    "percent_of_count": Family(percent_of_count, options=("counts", "n", "denominator")),
    "sum_of_parts": Family(sum_of_parts),
    "p_from_statistic": Family(p_from_statistic, options=("statistic", "df", "df1", "df2")),
    "split_plot": Family(split_plot_family),
    "log_rank": Family(log_rank),
    "survival_summary": Family(survival_summary),
    "follow_up_window": Family(follow_up_window),
    "sample_size_two_proportions": Family(sample_size_two_proportions, needs_item=False),
    "dropout_inflation": Family(dropout_inflation, needs_item=False),
    "group_sizes": Family(group_sizes, options=("items", "skip_sources"), needs_item=False),
    "grim": Family(grim, options=("n",)),
    "baseline_balance": Family(baseline_balance, options=("claim",), needs_item=False),
    "continuity_rule": Family(continuity_rule, needs_item=False, revises=True),
    "ratio_ci": Family(ratio_ci, options=("measure", "level")),
    "median_iqr": Family(median_iqr, options=("statistic",)),
    "repeat": Family(repeat, options=("of",)),
    "claim": Family(claim, options=("claim", "rows"), needs_item=False),
    "sample_size": Family(sample_size, options=("design", "sides"), needs_item=False),
    "test_rule": Family(test_rule, options=("use", "when", "otherwise"), needs_item=False, revises=True),
}
