"""What a reader is told about the paper (``[paper]`` of ``analyses.toml``), its printed
numbers filled in from the transcription of the reader's language.

The declaration's texts name each printed number by its key
(``{sec2.1/orr//combination/percent}``), so the handout prints the number as the
transcription holds it, and a claim resting on a number the audit could not reproduce is
marked beside it. Format: ``docs/analyses.md`` ("What readers are told").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..declaration import PLACEHOLDER
from ..errors import InputError
from ..i18n import t

__all__ = ["PaperClaim", "PaperText", "fill", "paper_text"]


@dataclass(frozen=True)
class PaperClaim:
    """One claim as the paper states it.

    Attributes
    ----------
    text : str
        The claim with its printed numbers.
    keys : tuple of str
        The printed values it rests on (``source/item/level/arm/quantity``).
    discrepant : tuple of str
        The audit's discrepant checks that read or judge one of ``keys``.
    """

    text: str
    keys: tuple[str, ...]
    discrepant: tuple[str, ...] = ()

    def to_text(self, lang: str) -> str:
        """The claim, with a note in ``lang`` when it rests on a discrepant number."""
        if not self.discrepant:
            return self.text
        return self.text + t("readers.claim_marked", lang, n=len(self.discrepant))


@dataclass(frozen=True)
class PaperText:
    """``[paper]`` for one language: the study, the claims, the discussion questions."""

    lang: str
    study: str
    claims: tuple[PaperClaim, ...]
    questions: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per claim: its text, the keys it rests on, the discrepant checks."""
        return pd.DataFrame({"claim": [c.text for c in self.claims],
                             "keys": [" ".join(c.keys) for c in self.claims],
                             "discrepant": [" ".join(c.discrepant) for c in self.claims]})


def _month(value: str, lang: str, *, where: str) -> str:
    try:
        year, month = (int(x) for x in value.split("-")[:2])
        return t("readers.month", lang, date=date(year, month, 1))
    except ValueError:
        raise InputError(f"{value!r} is not a YYYY-MM date (:month)", file=where) from None


def fill(text: str, printed: pd.DataFrame, lang: str, *, where: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with each ``{source/item/level/arm/quantity}`` replaced by the printed value.

    Parameters
    ----------
    text : str
    printed : DataFrame
        The transcription of ``lang`` (:func:`analysis.dataset.load_all`).
    lang : {"en", "zh"}
    where : str
        The declaration's file and key, for errors.

    Returns
    -------
    (str, tuple of str)
        The filled text and the keys it names, in order.

    Raises
    ------
    InputError
        A key matches no printed value, or several.
    """
    index = printed.set_index(["source", "item", "level", "arm", "quantity"])["value"]
    keys = []

    def value(m) -> str:
        key = m["key"]
        hits = index.get(tuple(key.split("/")))
        if hits is None:
            raise InputError(f"{{{key}}} is no printed value of the {lang} transcription", file=where)
        if isinstance(hits, pd.Series):
            raise InputError(f"{{{key}}} matches {len(hits)} printed values", file=where)
        keys.append(key)
        return _month(hits, lang, where=where) if m["format"] == "month" else str(hits)

    return PLACEHOLDER.sub(value, text), tuple(dict.fromkeys(keys))


def paper_text(declaration, printed: pd.DataFrame, lang: str, *, checks=()) -> PaperText:
    """``declaration.paper`` in ``lang``, with claims marked by the discrepant ``checks``.

    A paper that declares no study has none (its title heads the handout already); one that
    declares no question gets the generic ones of the catalog
    (``readers.handout.question_generic``), for an audit that found discrepancies, for one
    that found none, or for one that made no check.
    """
    paper = declaration.paper
    where = f"{declaration.file} [paper]"
    study = fill(paper.study[lang], printed, lang, where=f"{where} study")[0] if paper.study else ""
    read_by = {}
    for check in checks:
        if check.verdict == "discrepant":
            for key in check.covers + check.inputs:
                read_by.setdefault(key, []).append(check.id)
    claims = []
    for i, claim in enumerate(paper.claims):
        text, keys = fill(claim[lang], printed, lang, where=f"{where} claims[{i}]")
        hits = tuple(dict.fromkeys(c for k in keys for c in read_by.get(k, ())))
        claims.append(PaperClaim(text=text, keys=keys, discrepant=hits))
    # an audit that made no check at all (an unconfirmed draft) is not a clean one
    generic = ("which", "ask", "claims") if read_by else ("clean", "claims") if checks else ("unchecked",)
    questions = tuple(fill(q[lang], printed, lang, where=f"{where} questions[{i}]")[0]
                      for i, q in enumerate(paper.questions)) or \
        tuple(t(f"readers.handout.question_generic.{k}", lang) for k in generic)
    return PaperText(lang=lang, study=study, claims=tuple(claims), questions=questions)
