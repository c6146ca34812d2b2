"""Arithmetic cross-checks of a Form 1-M workbook, with a report naming the rows.

For every graph the reader uses: article rows (and the attempted-murder row) sum to their
chapter row, chapters sum to «Всего правонарушений», misdemeanours + crimes make the total,
the four gravity rows make the crimes; in R6 the three age bands make the minors; in R10
every breakdown (girls, pupils, …) is at most the total. A failed check never stops the
import: the workbook loads and the report lists each failure as a warning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from juvmap.i18n import N_, _
from juvmap.io.form1m.locate import LocatedSheet, Row

#: check code -> untranslated description (the message shown with the row named)
CHECKS: dict[str, str] = {
    "chapter_sum": N_("articles do not add up to their chapter"),
    "chapter_total": N_("chapters do not add up to the total"),
    "kind_total": N_("misdemeanours and crimes do not add up to the total"),
    "gravity_total": N_("the four gravity rows do not add up to the crimes"),
    "age_total": N_("the age bands 12–13, 14–15, 16–17 do not add up to the minors"),
    "part_exceeds_total": N_("a breakdown is larger than the total"),
}
GRAVITY = ("minor", "medium", "grave", "especially_grave")


@dataclass(frozen=True)
class CrossCheckIssue:
    """One failed check: where (sheet, row, graph) and the two numbers that disagree."""

    check: str  # a key of CHECKS
    sheet: str
    row_number: int
    row_label: str
    graph: int
    expected: int  # the value printed in the row
    found: int  # the sum (or part) computed from the other rows

    def message(self) -> str:
        """Translated one-line description naming the sheet, row and graph."""
        return _("{sheet}, row {row} «{label}», graph {graph}: {what} ({expected} ≠ "
                 "{found})").format(sheet=self.sheet, row=self.row_number,
                                    label=self.row_label, graph=self.graph,
                                    what=_(CHECKS[self.check]), expected=self.expected,
                                    found=self.found)

    def to_dict(self) -> dict:
        """Plain dict (for JSON reports)."""
        return asdict(self)


def _issue(check: str, sheet: LocatedSheet, row: Row, graph: int, expected: int,
           found: int) -> list[CrossCheckIssue]:
    if expected == found:
        return []
    return [CrossCheckIssue(check, sheet.name, row.number, row.label, graph, expected, found)]


def _chapter_issues(sheet: LocatedSheet, graph: int) -> list[CrossCheckIssue]:
    issues: list[CrossCheckIssue] = []
    chapters: list[tuple[Row, int]] = []
    for row in sheet.rows:
        if row.kind == "chapter":
            chapters.append((row, 0))
        elif row.kind in ("article", "attempt") and chapters:
            head, running = chapters[-1]
            chapters[-1] = (head, running + sheet.value(row, graph))
    for head, running in chapters:
        issues += _issue("chapter_sum", sheet, head, graph, sheet.value(head, graph), running)
    total = sheet.summary("total")
    chapter_sum = sum(sheet.value(head, graph) for head, _running in chapters)
    issues += _issue("chapter_total", sheet, total, graph, sheet.value(total, graph), chapter_sum)
    return issues


def _summary_issues(sheet: LocatedSheet, graph: int) -> list[CrossCheckIssue]:
    total, crimes = sheet.summary("total"), sheet.summary("crimes")
    kinds = sheet.value(sheet.summary("misdemeanours"), graph) + sheet.value(crimes, graph)
    gravity = sum(sheet.value(sheet.summary(kind), graph) for kind in GRAVITY)
    return (_issue("kind_total", sheet, total, graph, sheet.value(total, graph), kinds)
            + _issue("gravity_total", sheet, crimes, graph, sheet.value(crimes, graph), gravity))


def check_sheet(sheet: LocatedSheet, graphs: tuple[int, ...]) -> list[CrossCheckIssue]:
    """Run the chapter and summary checks of ``sheet`` on each of ``graphs``."""
    issues: list[CrossCheckIssue] = []
    for graph in graphs:
        issues += _chapter_issues(sheet, graph) + _summary_issues(sheet, graph)
    return issues


def check_ages(r6: LocatedSheet, minors: int, bands: tuple[int, ...]) -> list[CrossCheckIssue]:
    """In R6, the age bands (graphs ``bands``) add up to graph ``minors`` on every summary row."""
    issues: list[CrossCheckIssue] = []
    for row in r6.rows:
        if row.kind in ("total", "misdemeanours", "crimes", *GRAVITY, "chapter"):
            found = sum(r6.value(row, g) for g in bands)
            issues += _issue("age_total", r6, row, minors, r6.value(row, minors), found)
    return issues


def check_parts(sheet: LocatedSheet, whole: int, parts: dict[int, int]) -> list[CrossCheckIssue]:
    """On the total row, each graph in ``parts`` is at most the graph it is a part of.

    ``parts`` maps a graph to the graph it breaks down (e.g. ``{2: 1, 6: 5}`` in R10).
    """
    total = sheet.summary("total")
    issues: list[CrossCheckIssue] = []
    for part, of in parts.items():
        value, limit = sheet.value(total, part), sheet.value(total, of)
        if value > limit:
            issues.append(CrossCheckIssue("part_exceeds_total", sheet.name, total.number,
                                          total.label, part, limit, value))
    return issues
