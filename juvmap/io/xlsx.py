"""Read one sheet of an Excel workbook raw (python-calamine for the cells; openpyxl only for
the workbook's sheet list, date system and sheet paths).

The sheet is the one the user named, else the one that holds incident rows (a register beats
a summary table); the others are named in the report. Title rows above the header are
skipped and a header split over two rows (a merged group cell over its sub-columns) is
combined. Dates stored as Excel serial numbers are read in the workbook's date system
(1900 or 1904); formula cells saved without values are named in the report.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.errors import DataLoadError
from juvmap.i18n import _
from juvmap.io.columns import detect_mapping, mapped_count, resolve_mapping
from juvmap.io.rawtable import RawTable, drop_trailing_empty, unique_names
from juvmap.io.sniff import HEADER_SCAN_ROWS, MAX_COLUMNS, fail, find_header_row

#: fields that mark a table of incidents (one row per offence), not of counts
INCIDENT_FIELDS = frozenset({"date", "lat", "lon", "article", "age", "sex", "time"})
_CELL = re.compile(rb"<c\b([^>]*)>(.*?)</c>", re.S)
_VALUE = re.compile(rb"<v>[^<]+</v>")
_REF = re.compile(rb'\br="([A-Z]+)\d+"')
_LARGEST_SERIAL = 2958465  # 9999-12-31


def cell_text(value: object) -> object:
    """A cell value as the text the loader parses (dates as ISO); blanks as ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    s = str(value)
    return s if s.strip() else None


def _workbook(path: Path) -> tuple[list[str], dict[str, str], dt.datetime, object]:
    """Sheet titles, their XML paths in the archive, the date system's epoch and the cells.

    The workbook's own XML gives the paths and the 1904 flag (openpyxl would parse every
    sheet of a workbook saved without stored dimensions just to open it).
    """
    from python_calamine import CalamineWorkbook

    try:
        cells = CalamineWorkbook.from_path(str(path))
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in \
                zf.namelist() else b""
    except Exception as exc:  # noqa: BLE001 - calamine and zipfile raise many types
        raise fail(path, _("{name} is not a readable Excel workbook: {error}").format(
            name=path.name, error=exc)) from exc
    paths = _sheet_paths(book, rels)
    date1904 = re.search(rb'date1904="(1|true)"', book) is not None
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return list(cells.sheet_names), paths, epoch, cells


def _sheet_paths(book: bytes, rels: bytes) -> dict[str, str]:
    """Sheet title -> its XML file in the archive (from workbook.xml and its relations)."""
    from xml.etree import ElementTree

    try:
        targets = {el.get("Id"): el.get("Target", "") for el in ElementTree.fromstring(rels).iter()
                   if el.tag.endswith("Relationship")} if rels else {}
        sheets = [el for el in ElementTree.fromstring(book).iter() if el.tag.endswith("}sheet")]
    except ElementTree.ParseError:
        return {}
    paths = {}
    for el in sheets:
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        paths[el.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return paths


def list_sheets(path: str | Path) -> list[str]:
    """The names of the worksheets of a workbook, in order."""
    return _workbook(Path(path))[0]


def _sheet_score(top: list[list[object]], required: set[str] | None) -> tuple[int, int, int]:
    """(has a header, incident fields it names, fields it names) of a sheet's first rows."""
    idx = find_header_row(top, required, strict=True)
    if idx is None:
        return 0, 0, 0
    fields = detect_mapping([c for c in top[idx] if c])
    return 1, len(INCIDENT_FIELDS & set(fields)), len(fields)


def _rows(cells, title: str) -> list[list[object]]:
    """The cells of a sheet from A1 (Rust calamine: fast, sized by the cells, not by the
    stored dimension); empty cells are ``""``."""
    return cells.get_sheet_by_name(title).to_python(skip_empty_area=False)


def _texts(rows: list[list[object]]) -> list[list[object]]:
    """Rows as header text (see :func:`cell_text`)."""
    return [[cell_text(v) for v in r] for r in rows]


def _choose_sheet(path: Path, titles: list[str], cells, sheet: str | None,
                  required: set[str] | None):
    """Return (title, rows, skipped titles)."""
    if sheet is not None:
        if sheet not in titles:
            raise fail(path, _("{name} has no sheet {sheet}; its sheets: {sheets}").format(
                name=path.name, sheet=sheet, sheets=", ".join(titles)))
        return sheet, _rows(cells, sheet), []
    best, skipped = None, []
    for title in titles:
        rows = _rows(cells, title)
        if not any(v != "" for r in rows for v in r):
            continue
        top = _texts(rows[:HEADER_SCAN_ROWS])
        score = (*_sheet_score(top, required), len(rows))
        if best is None or score > best[0]:
            if best is not None:
                skipped.append(best[1])
            best = (score, title, rows)
        else:
            skipped.append(title)
    if best is None:
        raise fail(path, _("{name} has no data rows.").format(name=path.name))
    return best[1], best[2], [t for t in titles if t in skipped]


def _is_header_part(row: list[object]) -> bool:
    cells = [c for c in row if c is not None]
    return bool(cells) and all(isinstance(c, str) and not re.fullmatch(r"[\d\s.,:/-]+", c)
                               for c in cells)


def _header(rows: list[list[object]], idx: int) -> tuple[list[object], int]:
    """The header (two rows combined when the second holds sub-column names) and its last row."""
    top = rows[idx]
    if idx + 1 >= len(rows) or not _is_header_part(rows[idx + 1]):
        return top, idx
    sub = rows[idx + 1]
    combined = [s if s is not None else t for t, s in zip(top, sub, strict=True)]
    if mapped_count([c for c in combined if c]) > mapped_count([c for c in top if c]):
        return combined, idx + 1
    return top, idx


def _serial_dates(values: list[object], epoch: dt.datetime) -> list[object]:
    """Excel serial numbers (days since the workbook's epoch) as dates; others unchanged."""
    from openpyxl.utils.datetime import from_excel

    out = []
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= _LARGEST_SERIAL:
            v = from_excel(v, epoch)
        out.append(v)
    return out


def formula_columns(path: Path, sheet_path: str) -> set[str]:
    """Column letters of the cells that hold a formula but no saved value."""
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read(sheet_path.lstrip("/"))
    except (KeyError, OSError, zipfile.BadZipFile):
        return set()
    if b"<f" not in xml:
        return set()
    letters = set()
    for attrs, body in _CELL.findall(xml):
        if b"<f" in body and not _VALUE.search(body):
            ref = _REF.search(attrs)
            if ref:
                letters.add(ref.group(1).decode())
    return letters


def _column(values: list[object]) -> object:
    """A column's cells: numbers stay numbers when every cell is one (Int64 when whole),
    anything else is text (see :func:`cell_text`)."""
    counts = Counter(map(type, values))  # one pass in C
    empty = values.count("")
    kinds = set(counts) - {str} if counts[str] == empty else set(counts)
    if kinds and kinds <= {float, int}:
        cells = np.array(values, dtype=object)
        cells[cells == ""] = np.nan
        numbers = cells.astype(float)
        finite = numbers[np.isfinite(numbers)]
        whole = np.all(np.round(finite) == finite) and np.all(np.abs(finite) < 2**53)
        return pd.array(numbers, dtype="Float64").astype("Int64") if whole else numbers
    if set(counts) <= {str}:
        return [v if v.strip() else None for v in values]
    return [cell_text(v) for v in values]


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def read_xlsx(path: str | Path, mapping: Mapping[str, str] | None = None,
              sheet: str | None = None) -> RawTable:
    """Read the chosen sheet of a workbook (see the module docstring).

    Parameters
    ----------
    path : str or Path
    mapping : mapping, optional
        The user's ``field -> column`` overrides: the header row must hold their columns.
    sheet : str, optional
        The sheet to read (default: the one with incident rows).
    """
    path = Path(path)
    required = set(mapping.values()) if mapping else None
    titles, paths, epoch, cells = _workbook(path)
    try:
        title, rows, skipped = _choose_sheet(path, titles, cells, sheet, required)
    except DataLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises many types on damaged files
        raise fail(path, _("{name} is not a readable Excel workbook: {error}").format(
            name=path.name, error=exc)) from exc
    sheet_path = paths.get(title, "")
    width = max((len(r) for r in rows), default=0)
    if any(len(r) != width for r in rows):
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    all_columns = list(zip(*rows))
    used = [j for j, col in enumerate(all_columns) if any(v != "" for v in col)]
    if len(used) > MAX_COLUMNS:
        raise fail(path, _("{name} has {n} columns: it does not look like a table of records."
                           ).format(name=path.name, n=len(used)))
    top = _texts([[r[j] for j in used] for r in rows[:HEADER_SCAN_ROWS]])
    idx = find_header_row(top, required)
    header, last = _header(top, idx) if top else ([], 0)
    names = unique_names(header)
    fields = resolve_mapping(names, mapping)
    date_col = names.index(fields["date"]) if "date" in fields else None
    body = {}
    for j, name in enumerate(names):
        values = list(all_columns[used[j]][last + 1:])
        if j == date_col:
            values = _serial_dates(values, epoch)
        body[name] = _column(values)
    frame = drop_trailing_empty(pd.DataFrame(body, columns=names))
    if frame.empty:
        raise fail(path, _("{name} has no data rows.").format(name=path.name))
    raw = RawTable(frame, np.arange(len(frame)) + last + 2, "xlsx",
                   details={"sheet": title, "header_row": last + 1})
    if skipped:
        raw.note("skipped_sheets", sheets=", ".join(skipped))
    has_blanks = bool(frame.isna().to_numpy().any())  # a formula without a value reads blank
    letters = formula_columns(path, sheet_path) if sheet_path and has_blanks else set()
    empty_formulas = [n for j, n in zip(used, names, strict=True) if _column_letter(j) in letters]
    if empty_formulas:
        raw.note("formulas_without_values", columns=", ".join(empty_formulas))
    return raw


__all__ = ["read_xlsx", "list_sheets", "cell_text", "formula_columns"]
