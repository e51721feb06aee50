"""The quantities a transcription may hold, and each numeric one's allowed range.

The schema validates values against them; the declaration checks the quantities a file
may hold against them. Its own module so that neither imports the other for it.
"""

from __future__ import annotations

__all__ = ["RANGES", "NUMERIC_QUANTITIES", "TIME_UNITS", "QUANTITIES"]

# Allowed range of each numeric quantity: (low, high, integer?).
RANGES = {
    "n": (1, None, True),
    "count": (0, None, True),
    "mean": (None, None, False),
    "sd": (0, None, False),
    "percent": (0, 100, False),
    "proportion": (0, 1, False),
    "p": (0, 1, False),
    "statistic": (None, None, False),
    "chi2": (0, None, False),
    "F": (0, None, False),
    "z": (None, None, False),
    "hr": (0, None, False),
    "or": (0, None, False),
    "rr": (0, None, False),
    "lower": (0, None, False),
    "upper": (0, None, False),
    "median": (None, None, False),
    "q1": (None, None, False),
    "q3": (None, None, False),
    "iqr": (0, None, False),
    "min": (None, None, False),
    "max": (None, None, False),
    "days": (0, None, False),
    "weeks": (0, None, False),
    "months": (0, None, False),
    "years": (0, None, False),
}
NUMERIC_QUANTITIES = frozenset(RANGES)
TIME_UNITS = ("days", "weeks", "months", "years")
# Every quantity a transcription may hold (a declared file lists a subset).
QUANTITIES = (*RANGES, "letters", "date")
