"""One module per command of ``python -m analysis``."""

from __future__ import annotations

import sys

__all__ = ["one_line_errors", "whole_number"]


def one_line_errors(parser, command: str) -> None:
    """Report ``parser``'s usage errors as one stderr line, ``error: <command>: ...``, exit 2.

    argparse's default prints the whole usage block first; one line is what the other
    input errors of the command line give, and what scripts can grep.
    """
    def error(message: str):
        print(f"error: {command}: {message}", file=sys.stderr)
        sys.exit(2)

    parser.error = error


def whole_number(text: str, *, minimum: int) -> int:
    """A whole-number option (``--draws``, ``--workers``), or ``ValueError`` saying why not."""
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"must be a whole number, got {text!r}") from None
    if value < minimum:
        raise ValueError(f"must be {minimum} or more, got {value}")
    return value
