"""What the sampler says while it runs: accepted / tried on a progress bar, and once, when
acceptance falls low, which printed number rejects most tries.

``progress`` is any object with ``update(n)`` (a ``tqdm`` bar: it shows accepted / total
and the time left from the rate so far); if it has ``set_postfix_str`` it gets the
tries and the acceptance, if it has ``write`` the low-acceptance line (else stderr), and
its ``lang`` attribute (default ``"en"``) picks the catalog's language.
"""

from __future__ import annotations

import sys

from ..i18n import t
from .constraints import _field

__all__ = ["Progress", "LOW_AFTER", "LOW_RATE", "hardest_line", "progress_bar"]

LOW_AFTER = 20  # tries before acceptance is judged
LOW_RATE = 0.2  # acceptance below this is low


def hardest_line(cons, worst: dict, tried: int, accepted: int, lang: str = "en") -> str:
    """One line naming the printed number that rejected most tries (``worst``: constraint
    name -> tries it rejected), with its printed value and spec key."""
    name = max(worst, key=worst.get)
    con = next((c for c in cons.constraints if c.name == name), None)
    return t("ensemble.run.hardest", lang, rate=100 * accepted / max(tried, 1), tried=tried,
             name=name, printed=con.printed if con else "", key=_field(con.stat, con.field)
             if con else "", count=worst[name], rejected=sum(worst.values()))


class Progress:
    """Reports to ``bar`` (see the module notes) as members are tried."""

    def __init__(self, bar, cons):
        self.bar, self.cons, self.warned = bar, cons, False
        self.lang = getattr(bar, "lang", "en")

    def tried(self, *, accepted: int, tried: int, worst: dict, new: bool) -> None:
        if self.bar is None:
            return
        if new:
            self.bar.update(1)
        if hasattr(self.bar, "set_postfix_str"):
            self.bar.set_postfix_str(t("ensemble.run.postfix", self.lang, tried=tried,
                                       rate=100 * accepted / tried))
        if not self.warned and tried >= LOW_AFTER and accepted < LOW_RATE * tried and worst:
            self.warned = True
            self.write(hardest_line(self.cons, worst, tried, accepted, self.lang))

    def write(self, line: str) -> None:
        write = getattr(self.bar, "write", None)
        if write is None:
            print(line, file=sys.stderr)
            return
        try:
            write(line, file=sys.stderr)
        except TypeError:
            write(line)


def progress_bar(total: int, *, lang: str = "en", file=None, disable: bool | None = None):
    """A ``tqdm`` bar of accepted data sets, accepted / total with the time left, in
    ``lang``; off when ``file`` (default stderr) is not a terminal, unless ``disable`` is
    given."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=t("ensemble.run.bar", lang), unit="", file=file or sys.stderr,
               disable=disable, bar_format="{desc}: {n_fmt}/{total_fmt} |{bar}| "
                                        "[{elapsed}<{remaining}] {postfix}")
    bar.lang = lang
    return bar
