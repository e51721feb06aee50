"""``trialcheck`` (or ``python -m analysis``): the command-line entry point.

Each command lives in ``analysis/commands/<name>.py`` and defines
``register(subparsers)``, which adds its parser and sets ``func(args) -> int``.
Bad input reaches the user as one line on stderr and exit status 1, never as a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib import metadata

from . import __version__
from .dataset import raw_dir
from .errors import InputError

__all__ = ["main", "build_parser"]

# Top-level commands, then the `reconstruct` family.
_COMMANDS = ("data", "audit", "export", "appendix", "report", "draft", "corpus")
_RECONSTRUCT = ("summary", "guyot")


_DESCRIPTION = """\
Audit a clinical trial report: recompute every statistic it prints from the
numbers it prints, say which are reproduced, and rebuild its tables, a
peer-review appendix and a journal-club handout, in English and Chinese."""

_EPILOG = """\
audit a paper in three steps:
  1. draft    trialcheck draft paper.pdf --out mypaper
  2. confirm  correct mypaper/ against the paper (mypaper/REVIEW.md says what
              to look at first) until this passes:
                trialcheck data --check --data-dir mypaper
              then  trialcheck audit --data-dir mypaper  lists every check
  3. report   trialcheck report --data-dir mypaper --out mypaper-report

Without --data-dir, a command reads the seed paper (Cai et al. 2026) in the
repository's data/raw. `trialcheck COMMAND --help` tells a command's options;
the repository's README.md and docs/ tell the rest."""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The epilog's layout kept, and each command's help on its name's line: argparse
    measures the commands' names without the indent it prints them with."""

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS and isinstance(action, argparse._SubParsersAction):
            names = [len(self._format_action_invocation(a)) for a in action._get_subactions()]
            self._action_max_length = max([self._action_max_length] + [
                n + self._current_indent + self._indent_increment for n in names])


def _version() -> str:
    """The installed distribution's version; a clone run as ``python -m analysis``, the source's."""
    try:
        return metadata.version("trialcheck")
    except metadata.PackageNotFoundError:
        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trialcheck", description=_DESCRIPTION, epilog=_EPILOG, formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    if _RECONSTRUCT:
        rec = sub.add_parser("reconstruct", help="reconstruct patient-level survival data")
        rec_sub = rec.add_subparsers(dest="method", required=True, metavar="METHOD")
        for name in _RECONSTRUCT:
            importlib.import_module(f".commands.{name}", __package__).register(rec_sub)
    return parser


def _check_default_data(args) -> None:
    """An installed ``trialcheck`` has no seed paper: a command left to its default data
    folder says so, not that ``.../site-packages/data/raw`` lacks a file."""
    if getattr(args, "data_dir", "") is None and not raw_dir().is_dir():
        raise InputError("no --data-dir given, and no seed paper here (its data/raw comes with the "
                         "repository): give the folder of a paper's transcription, e.g. one that "
                         "`trialcheck draft` wrote", file=raw_dir())


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_default_data(args)
        return int(args.func(args) or 0)
    except InputError as err:
        for line in str(err).split("\n"):
            print(f"error: {line}", file=sys.stderr)
        return 1
    except (FileNotFoundError, IsADirectoryError, PermissionError) as err:
        print(f"error: {err.filename}: {err.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
