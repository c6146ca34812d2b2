"""Recognise a Form 1-M workbook and open the sheets the reader needs.

A workbook is Form 1-M when it has the sheets R1, R2, R6 and R10 and their titles name the
form and its sections (never judged by the file name). Only those four sheets are parsed,
with python-calamine (Rust), which reads all 20 regional workbooks of 2022 in about 1.5 s.
"""

from __future__ import annotations

import re
from pathlib import Path

from juvmap.errors import DataLoadError
from juvmap.i18n import _

#: sheet name -> a word its title (first rows) must contain, lower case
REQUIRED_SHEETS: dict[str, str] = {
    "R1": "раздел 1.",
    "R2": "раздел 2.",
    "R6": "раздел 6.",
    "R10": "раздел 10.",
}
#: rows searched for the title and the graph-number header
TITLE_ROWS = 12
_FORM_TITLE = re.compile(r"1\s*-\s*м\b", re.IGNORECASE)

Sheet = list[list[object]]


class Form1MError(DataLoadError):
    """A file could not be read as a Form 1-M workbook (translated message).

    Parameters
    ----------
    message : str
        Translated, user-facing text.
    path : str, optional
        The file concerned.
    code : str
        Machine-readable reason: ``not_a_workbook``, ``damaged``, ``not_form1m``,
        ``unknown_layout``, ``region_unknown``, ``region_ambiguous``, ``period_unknown``.
    """

    def __init__(self, message: str, path: str | None = None, code: str = "") -> None:
        super().__init__(message, path)
        self.code = code


def _title_text(rows: Sheet) -> str:
    cells = (c for row in rows[:TITLE_ROWS] for c in row if isinstance(c, str))
    return " ".join(cells).lower()


def _workbook(path: Path):
    from python_calamine import CalamineWorkbook

    if not path.is_file():
        raise Form1MError(_("File not found: {path}").format(path=path), str(path),
                          "not_a_workbook")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise Form1MError(
            _("{path} cannot be opened as a spreadsheet (damaged or not an Excel file): "
              "{reason}").format(path=path.name, reason=exc), str(path), "damaged") from exc


def _not_form1m(path: Path, missing: str) -> Form1MError:
    return Form1MError(
        _("{path} is not a Form 1-M workbook «О зарегистрированных уголовных "
          "правонарушениях»: {missing} not found").format(path=path.name, missing=missing),
        str(path), "not_form1m")


def open_form1m(path: str | Path) -> dict[str, Sheet]:
    """Return the cell values of sheets R1, R2, R6 and R10 of a Form 1-M workbook.

    Raises
    ------
    Form1MError
        ``damaged`` when the file is not a readable spreadsheet, ``not_form1m`` when it is
        a workbook of another kind (sheets or titles missing).
    """
    path = Path(path)
    book = _workbook(path)
    missing = [s for s in REQUIRED_SHEETS if s not in book.sheet_names]
    if missing:
        raise _not_form1m(path, ", ".join(missing))
    sheets: dict[str, Sheet] = {}
    for name, word in REQUIRED_SHEETS.items():
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise Form1MError(_("{path} is damaged: sheet {sheet} cannot be read ({reason})")
                              .format(path=path.name, sheet=name, reason=exc),
                              str(path), "damaged") from exc
        if word not in _title_text(rows):
            raise _not_form1m(path, f"{name}: «{word.capitalize()}»")
        sheets[name] = rows
    if not _FORM_TITLE.search(_title_text(sheets["R1"])):
        raise _not_form1m(path, "R1: «Форма отчета № 1-М»")
    return sheets


def is_form1m(path: str | Path) -> bool:
    """Whether ``path`` is a Form 1-M workbook (by its sheets and titles; never raises)."""
    try:
        open_form1m(path)
    except DataLoadError:
        return False
    return True
