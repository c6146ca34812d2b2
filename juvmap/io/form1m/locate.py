"""Find the rows and columns of a Form 1-M sheet by their labels and graph numbers.

Row positions differ between workbooks and years, so nothing here uses a cell address:
the header row is the one whose label cell is «А» and whose next cells are the graph
numbers 1, 2, 3 …; a row is classified by its label (the last text in the label columns,
left of the «Шифр строки» column): the total, misdemeanours, crimes, the four gravity rows,
a chapter («Глава N. …») or an article (label ending in «(ст.NNN)»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from juvmap.i18n import _
from juvmap.io.form1m.recognise import TITLE_ROWS, Form1MError, Sheet

_ARTICLE = re.compile(r"\(\s*ст\.?\s*(\d{1,3}(?:-\d+)?)\s*\.?\s*\)\s*$", re.IGNORECASE)
_CHAPTER = re.compile(r"^\s*глава\s+(\d+)\s*\.", re.IGNORECASE)
#: row kind -> its label, normalised (lower case, single spaces)
SUMMARY_LABELS: dict[str, str] = {
    "total": "всего правонарушений",
    "misdemeanours": "проступки",
    "crimes": "преступлений",
    "minor": "небольшой тяжести",
    "medium": "средней тяжести",
    "grave": "тяжкие",
    "especially_grave": "особо тяжкие",
}
_BY_LABEL = {label: kind for kind, label in SUMMARY_LABELS.items()}
#: rows that belong to a chapter without being an article row: attempted murder (art. 24 + 99)
_ATTEMPT = "приготовление и покушение на убийство"


def _norm(text: object) -> str:
    return " ".join(str(text).split()).lower() if isinstance(text, str) else ""


def _graph_number(value: object) -> int | None:
    if type(value) is float and value.is_integer():  # calamine's numbers: the fast path
        return int(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@dataclass
class Row:
    """One classified row: its kind, key (article number / chapter number), label, values."""

    kind: str  # summary kind, "chapter", "article", "attempt" or "other"
    key: str
    label: str
    number: int  # 1-based row number in the sheet (for messages)
    cells: list[object]
    counts: dict[int, int] = field(default_factory=dict)  # graph -> count, filled by locate


@dataclass
class LocatedSheet:
    """A sheet whose graph columns and rows have been found."""

    name: str
    graph_columns: dict[int, int]  # graph number -> 0-based column index
    rows: list[Row] = field(default_factory=list)

    def value(self, row: Row, graph: int) -> int:
        """The count in ``graph`` of ``row`` (blank → 0); ValueError on a non-count."""
        count = row.counts.get(graph)
        if count is None:
            column = self.graph_columns[graph]
            cell = row.cells[column] if column < len(row.cells) else ""
            count = _graph_number(cell) if cell not in ("", None) else 0
            if count is None:
                raise ValueError(f"{self.name}, {row.number}, {graph}: «{cell}»")
            row.counts[graph] = count
        return count

    def summary(self, kind: str) -> Row:
        """The first row of summary ``kind`` (e.g. ``"total"``); ValueError when missing."""
        found = next((r for r in self.rows if r.kind == kind), None)
        if found is None:
            raise ValueError(f"{self.name}: «{SUMMARY_LABELS.get(kind, kind)}»")
        return found


def _header(rows: Sheet) -> tuple[int, int, dict[int, int]] | None:
    """Return (header row index, «Шифр» column, graph → column) of the graph-number row."""
    for index, row in enumerate(rows[:TITLE_ROWS + 8]):
        if not row or _norm(row[0]) != "а":
            continue
        code_col = next((i for i, c in enumerate(row) if _norm(c) == "б"), None)
        if code_col is None:
            continue
        graphs: dict[int, int] = {}
        for col in range(code_col + 1, len(row)):
            number = _graph_number(row[col])
            if number is not None and number not in graphs:
                graphs[number] = col
        if 1 in graphs and 2 in graphs:
            return index, code_col, graphs
    return None


def _classify(label: str) -> tuple[str, str]:
    norm = _norm(label)
    if norm in _BY_LABEL:
        return _BY_LABEL[norm], ""
    if norm == _ATTEMPT:
        return "attempt", "99"
    if (m := _ARTICLE.search(label)):
        return "article", m.group(1)
    if (m := _CHAPTER.match(label)):
        return "chapter", m.group(1)
    return "other", ""


def locate(name: str, rows: Sheet, graphs_needed: tuple[int, ...], path: str) -> LocatedSheet:
    """Find the graph columns and classify the rows of sheet ``name``.

    Raises
    ------
    Form1MError
        ``unknown_layout`` when the graph-number header, a needed graph or the total row is
        missing.
    """
    found = _header(rows)
    missing = [g for g in graphs_needed if found is None or g not in found[2]]
    if found is None or missing:
        raise Form1MError(
            _("{path}: unknown Form 1-M layout — sheet {sheet} has no header with graph "
              "numbers {graphs}").format(path=path, sheet=name,
                                         graphs=", ".join(map(str, missing or graphs_needed))),
            path, "unknown_layout")
    start, code_col, graphs = found
    sheet = LocatedSheet(name, graphs)
    for index in range(start + 1, len(rows)):
        cells = rows[index]
        texts = [c for c in cells[:code_col] if isinstance(c, str) and c.strip()]
        if not texts:
            continue
        label = " ".join(texts[-1].split())
        kind, key = _classify(label)
        sheet.rows.append(Row(kind, key, label, index + 1, list(cells)))
    if not any(r.kind == "total" for r in sheet.rows):
        raise Form1MError(
            _("{path}: unknown Form 1-M layout — sheet {sheet} has no row «Всего "
              "правонарушений»").format(path=path, sheet=name), path, "unknown_layout")
    return sheet
