"""The recorded differences between the English and Chinese versions, each named for a reader
in the reader's language: where it is printed, the row as that version prints it, and the
two printed values (``discrepancies.csv``, checked against both transcriptions by
:func:`analysis.dataset.cross_validate`)."""

from __future__ import annotations

from dataclasses import dataclass


from ..audit.model import KEY_COLUMNS
from ..dataset import declaration, load_all, load_discrepancies
from ..i18n import check_lang, t
from ..shown import in_language, shown_value
from .readers import printed_label

__all__ = ["VersionDifference", "version_differences"]

# Quantities a reader knows by a symbol ("P = 0.291", "9.30%"); any other value (a count, a
# mean, superscript letters, a time) is shown as printed.
_VALUE_KINDS = ("value", "format", "missing")

# Long printed labels (a sentence of the text) are cut: the place is named, not quoted whole.
_WIDTH = 60


@dataclass(frozen=True)
class VersionDifference:
    """One recorded difference, named in ``lang``.

    Attributes
    ----------
    kind : str
        ``value``, ``format``, ``missing``, ``label`` or ``text`` (``discrepancies.csv``).
    place : str
        Where it is printed and what: the source, the printed row, the group's column
        (``Table 2, “Varices” (UDCA group(n=86))``); the recorded ``where`` when neither
        transcription prints the key.
    en, zh : str
        The printed values as a reader writes them (``P = 0.291``, ``9.30%``), ``—`` where a
        version prints none; a wording record's texts as recorded.
    text : str
        The difference in one phrase (:attr:`place`, then both values).
    """

    kind: str
    place: str
    en: str
    zh: str
    text: str


def version_differences(lang: str, *, data_dir=None) -> tuple[VersionDifference, ...]:
    """Every record of ``discrepancies.csv`` named in ``lang``, in the file's order (none for a
    paper declared in one language)."""
    check_lang(lang)
    decl = declaration(data_dir)
    if len(decl.languages) < 2:
        return ()
    diffs = load_discrepancies(data_dir=data_dir)
    # the reader's version names the row; the other one where the reader's prints nothing
    tables = [load_all(v, data_dir=data_dir) for v in (lang, *(v for v in decl.languages if v != lang))]
    out = []
    for rec in diffs.to_dict("records"):
        key = [rec[c] for c in KEY_COLUMNS]
        label = printed_label([key], tables, width=_WIDTH)
        source = decl.source_name(rec["source"], lang) or _source_name(rec["source"], lang)
        # the recorded place is a note in one language: another page names the source alone
        place = rec["where"] if in_language(rec["where"], lang) else source
        if label is not None and rec["kind"] in _VALUE_KINDS:
            column = _column(tables, key) if rec["arm"] else ""
            place = t("tables.discrepancy.place" if not column else "tables.discrepancy.place_column",
                      lang, source=source, row=label, column=column)
        values = {v: rec[v] if rec["kind"] not in _VALUE_KINDS else shown_value(rec[v], rec["quantity"], lang)
                  for v in ("en", "zh")}
        out.append(VersionDifference(kind=rec["kind"], place=place, **values,
                                     text=t("findings.version_difference", lang, place=place, **values)))
    return tuple(out)


def _source_name(source: str, lang: str) -> str:
    """A source no declaration names: the catalog's name, else a section by its number."""
    try:
        return t(f"source.{source}", lang)
    except KeyError:
        number = source.removeprefix("sec")
        return t("tables.discrepancy.section", lang, number=number) if number != source else source


def _column(tables, key) -> str:
    """The printed column label of a group's value (its group, as printed)."""
    for df in tables:
        rows = df[(df[list(KEY_COLUMNS)] == key).all(axis=1)]
        if len(rows) and rows["column_label"].iloc[0]:
            return str(rows["column_label"].iloc[0])
    return ""
