"""Draft a paper's transcription from its file (``python -m analysis draft PAPER``).

The draft is for a person to confirm: every value as printed, keyed in the project's format
(``data/README.md``), with where it was read, a guessed declaration and a list of what to
look at first (``REVIEW.md``).
"""

from __future__ import annotations

from .build import Draft, drafts_of
from .compare import Comparison, compare
from .readers import read_paper

__all__ = ["Draft", "Comparison", "draft_paper", "read_paper", "compare"]


def draft_paper(path, *, langs=None) -> dict:
    """Every language version of the paper at ``path`` as a :class:`Draft`, by language."""
    return drafts_of(read_paper(path), langs=langs)
