"""``python -m analysis``: the command-line entry point.

Each command lives in ``analysis/commands/<name>.py`` and defines
``register(subparsers)``, which adds its parser and sets ``func(args) -> int``.
Bad input reaches the user as one line on stderr and exit status 1, never as a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import InputError

__all__ = ["main", "build_parser"]

# Top-level commands, then the `reconstruct` family.
_COMMANDS = ("data", "audit", "export", "appendix", "report", "draft")
_RECONSTRUCT = ("summary", "guyot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Reanalysis of Cai et al. 2026 (Chin J Clin Res 39:205): "
                    "check the digitized data, audit every printed statistic, "
                    "reconstruct survival data, export tables and figures.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    if _RECONSTRUCT:
        rec = sub.add_parser("reconstruct", help="reconstruct patient-level survival data")
        rec_sub = rec.add_subparsers(dest="method", required=True, metavar="METHOD")
        for name in _RECONSTRUCT:
            importlib.import_module(f".commands.{name}", __package__).register(rec_sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
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
