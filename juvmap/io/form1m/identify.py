"""Which region and period a Form 1-M workbook covers.

The workbook prints neither its period nor, in the 2022 files, its region. The region comes
from the argument, else from the file name or the title rows through the gazetteer (any
language, old names, abbreviations); the period from the argument, else a year in the file
name. Anything else is a typed, translated error that asks for the value.
"""

from __future__ import annotations

import re
from pathlib import Path

from juvmap.i18n import _
from juvmap.io.form1m.recognise import TITLE_ROWS, Form1MError, Sheet
from juvmap.io.gazetteer import get_gazetteer

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_SEPARATORS = re.compile(r"[_\-–.,;()\[\]]+")
_MAX_WORDS = 4


def _phrases(text: str) -> list[str]:
    """``text`` and its runs of up to four words, longest first (years and numbers dropped)."""
    words = [w for w in _SEPARATORS.sub(" ", _YEAR.sub(" ", text)).split() if not w.isdigit()]
    runs = [" ".join(words[i:i + n]) for n in range(min(len(words), _MAX_WORDS), 0, -1)
            for i in range(len(words) - n + 1)]
    return [text, *runs]


def _codes_in(text: str) -> set[str]:
    """The regions named in ``text``: the longest phrase that resolves wins."""
    gazetteer = get_gazetteer()
    for phrase in _phrases(text):
        codes = gazetteer.resolve(phrase)
        if codes:
            return set(codes)
    return set()


def _title_lines(sheets: dict[str, Sheet]) -> list[str]:
    return [c for rows in sheets.values() for row in rows[:TITLE_ROWS // 2] for c in row[:2]
            if isinstance(c, str) and "раздел" not in c.lower() and "форма" not in c.lower()]


def region_of(path: Path, sheets: dict[str, Sheet], region: str | None = None) -> str:
    """Return the ISO code of the workbook's region.

    Raises
    ------
    Form1MError
        ``region_unknown`` / ``region_ambiguous`` with a message asking for ``--region``.
    """
    gazetteer = get_gazetteer()
    if region:
        codes = set(gazetteer.resolve(region))
        if len(codes) != 1:
            raise Form1MError(_("Unknown or ambiguous region «{region}»: give an ISO code such "
                                "as KZ-75 or a region name").format(region=region),
                              str(path), "region_unknown")
        return codes.pop()
    codes = _codes_in(path.stem)
    if not codes:
        for line in _title_lines(sheets):
            codes |= _codes_in(line)
    if len(codes) == 1:
        return codes.pop()
    if codes:
        raise Form1MError(_("{path}: the region is ambiguous ({codes}); give it with "
                            "--region").format(path=path.name, codes=", ".join(sorted(codes))),
                          str(path), "region_ambiguous")
    raise Form1MError(_("{path}: the region is named neither in the file name nor in the "
                        "workbook; give it with --region (e.g. --region KZ-75)")
                      .format(path=path.name), str(path), "region_unknown")


def period_of(path: Path, period: str | None = None) -> str:
    """Return the period label: ``period`` if given, else the one year in the file name.

    Raises
    ------
    Form1MError
        ``period_unknown`` asking for ``--period`` (Form 1-M does not print its period).
    """
    if period:
        return str(period).strip()
    years = set(_YEAR.findall(path.name))
    if len(years) == 1:
        return years.pop()
    raise Form1MError(_("{path}: Form 1-M does not print its period and the file name has "
                        "no single year; give it with --period (e.g. --period 2022)")
                      .format(path=path.name), str(path), "period_unknown")
