"""Read Form 1-M workbooks into a per-region table and a by-article table.

Which number comes from where (sheet, row, graph) is the table :data:`INDICATORS`; the
by-article breakdown is :data:`ARTICLE_COLUMNS` of section R10.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from juvmap.io.form1m.crosscheck import CrossCheckIssue, check_ages, check_parts, check_sheet
from juvmap.io.form1m.identify import period_of, region_of
from juvmap.io.form1m.locate import LocatedSheet, locate
from juvmap.i18n import _
from juvmap.io.form1m.recognise import Form1MError, open_form1m

#: indicator -> (sheet, summary row, graph)
INDICATORS: dict[str, tuple[str, str, int]] = {
    "registered_offences": ("R1", "total", 2),
    "offences_in_proceedings": ("R1", "total", 1),
    "offences_against_minors": ("R1", "total", 5),
    "offences_by_minors": ("R2", "total", 3),
    "juveniles": ("R10", "total", 1),
    "juveniles_female": ("R10", "total", 2),
    "juveniles_pupils": ("R10", "total", 3),
    "juveniles_not_working_not_studying": ("R10", "total", 4),
    "juveniles_in_group": ("R10", "total", 5),
    "juveniles_in_mixed_group": ("R10", "total", 6),
    "juveniles_registered": ("R10", "total", 7),
    "juveniles_repeat": ("R10", "total", 8),
    "juveniles_crimes": ("R10", "crimes", 1),
    "juveniles_misdemeanours": ("R10", "misdemeanours", 1),
    "juveniles_minor": ("R10", "minor", 1),
    "juveniles_medium": ("R10", "medium", 1),
    "juveniles_grave": ("R10", "grave", 1),
    "juveniles_especially_grave": ("R10", "especially_grave", 1),
    "minors_r6": ("R6", "total", 10),
    "juveniles_age_12_13": ("R6", "total", 11),
    "juveniles_age_14_15": ("R6", "total", 12),
    "juveniles_age_16_17": ("R6", "total", 13),
}
#: the columns of ``juvmap form1m --out`` (issue 13), in order
TABLE_COLUMNS: list[str] = [
    "region_iso", "period", "registered_offences", "offences_by_minors",
    "offences_against_minors", "juveniles", "juveniles_female", "juveniles_pupils",
    "juveniles_not_working_not_studying", "juveniles_in_group", "juveniles_registered",
    "juveniles_repeat", "juveniles_age_14_15", "juveniles_age_16_17", "juveniles_minor",
    "juveniles_medium", "juveniles_grave", "juveniles_especially_grave",
]
#: by-article column -> R10 graph
ARTICLE_COLUMNS: dict[str, int] = {
    "juveniles": 1, "juveniles_female": 2, "juveniles_pupils": 3,
    "juveniles_not_working_not_studying": 4, "juveniles_in_group": 5,
    "juveniles_registered": 7, "juveniles_repeat": 8,
}
#: sheet -> graphs read and cross-checked
GRAPHS: dict[str, tuple[int, ...]] = {
    "R1": (2, 5), "R2": (3,), "R6": (10, 11, 12, 13), "R10": (1, 2, 3, 4, 5, 6, 7, 8),
}
#: R10 graph -> the graph it is part of (girls, pupils, … of all juveniles; mixed of group)
R10_PARTS: dict[int, int] = {2: 1, 3: 1, 4: 1, 5: 1, 6: 5, 7: 1, 8: 1}


@dataclass
class Form1MWorkbook:
    """What one workbook gave: region, period, indicators, by-article rows and checks."""

    path: str
    region_iso: str
    period: str
    indicators: dict[str, int]
    by_article: pd.DataFrame
    issues: list[CrossCheckIssue] = field(default_factory=list)
    #: R10 juveniles on rows that are no article (attempted murder), not in ``by_article``
    juveniles_off_article: int = 0
    #: labels of rows read but not used (sub-rows such as «по делам УДР»), sheet -> labels
    skipped_rows: dict[str, list[str]] = field(default_factory=dict)

    def row(self) -> dict[str, object]:
        """The indicators as one row of :data:`TABLE_COLUMNS` (plus the extra indicators)."""
        return {"region_iso": self.region_iso, "period": self.period, **self.indicators}


def _by_article(r10: LocatedSheet, region: str, period: str) -> pd.DataFrame:
    rows = [{"region_iso": region, "period": period, "article": row.key,
             **{name: r10.value(row, graph) for name, graph in ARTICLE_COLUMNS.items()}}
            for row in r10.rows if row.kind == "article"]
    table = pd.DataFrame(rows, columns=["region_iso", "period", "article", *ARTICLE_COLUMNS])
    return table[table["juveniles"] > 0].reset_index(drop=True)


def _cross_checks(located: dict[str, LocatedSheet]) -> list[CrossCheckIssue]:
    issues = [issue for name, graphs in GRAPHS.items()
              for issue in check_sheet(located[name], graphs)]
    issues += check_ages(located["R6"], 10, (11, 12, 13))
    return issues + check_parts(located["R10"], 1, R10_PARTS)


def read_form1m(path: str | Path, region: str | None = None,
                period: str | None = None) -> Form1MWorkbook:
    """Read one Form 1-M workbook.

    Parameters
    ----------
    path : str or Path
        The XLSX workbook (recognised by its sheets and titles, not its name).
    region : str, optional
        ISO code or name of its region; by default found in the file name or title.
    period : str, optional
        Period label (e.g. ``"2022"``); by default the year in the file name.

    Returns
    -------
    Form1MWorkbook
        Failed cross-checks are in ``issues`` (the workbook still loads).

    Raises
    ------
    Form1MError
        Another kind of file, a damaged file, an unknown layout, or no region/period.
    """
    path = Path(path)
    sheets = open_form1m(path)
    code, label = region_of(path, sheets, region), period_of(path, period)
    located = {name: locate(name, sheets[name], graphs, path.name)
               for name, graphs in GRAPHS.items()}
    try:
        values = {name: located[sheet].value(located[sheet].summary(row), graph)
                  for name, (sheet, row, graph) in INDICATORS.items()}
        issues = _cross_checks(located)
    except ValueError as exc:  # a text where a count belongs, or a summary row missing
        raise Form1MError(_("{path}: unknown Form 1-M layout — not found or not a count: "
                            "{where}").format(path=path.name, where=exc),
                          str(path), "unknown_layout") from exc
    r10 = located["R10"]
    off_article = sum(r10.value(row, 1) for row in r10.rows if row.kind == "attempt")
    skipped = {name: [r.label for r in sheet.rows if r.kind == "other"]
               for name, sheet in located.items()}
    return Form1MWorkbook(str(path), code, label, values, _by_article(r10, code, label),
                          issues, off_article, skipped)


def read_many(paths: list[str | Path], region: str | None = None,
              period: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[Form1MWorkbook]]:
    """Read several workbooks; return (per-workbook table, by-article table, workbooks).

    The per-workbook table has :data:`TABLE_COLUMNS` and then the extra indicators
    (``offences_in_proceedings``, ``juveniles_crimes`` …); ``region`` and ``period`` apply
    to every workbook.

    Raises
    ------
    Form1MError
        As :func:`read_form1m`; also ``not_form1m`` for no paths and ``duplicate`` when
        two workbooks have the same region and period.
    """
    if not paths:
        raise Form1MError(_("No Form 1-M workbook given"), None, "not_form1m")
    books = [read_form1m(p, region, period) for p in paths]
    seen: dict[tuple[str, str], str] = {}
    for book in books:
        first = seen.setdefault((book.region_iso, book.period), book.path)
        if first != book.path:
            raise Form1MError(_("{first} and {second} are both {region}, period {period}: "
                                "give each workbook once").format(
                first=Path(first).name, second=Path(book.path).name, region=book.region_iso,
                period=book.period), book.path, "duplicate")
    extra = [name for name in INDICATORS if name not in TABLE_COLUMNS]
    table = pd.DataFrame([b.row() for b in books], columns=[*TABLE_COLUMNS, *extra])
    frames = [b.by_article for b in books]
    by_article = (pd.concat(frames, ignore_index=True) if frames
                  else pd.DataFrame(columns=["region_iso", "period", "article", *ARTICLE_COLUMNS]))
    return table, by_article, books
