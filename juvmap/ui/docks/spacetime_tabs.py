"""The Emerging hot spots and Near repeat tabs of the Space-time dock.

Both run :mod:`juvmap.analysis.spacetime` on ``session.sources().incidents`` through the one
worker (``session.runner``) and show a sortable table; failures go to ``session.failed``.
"""

from __future__ import annotations

import math

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from juvmap.disclosure import IMPUTED_COUNT
from juvmap.i18n import N_, _, get_language, using_language
from juvmap.numbers import SUPPRESS_BELOW, format_number

__all__ = ["EmergingTab", "NearRepeatTab", "fill_table", "incidents_of"]

STEP_LABELS = {"year": N_("Year"), "quarter": N_("Quarter"), "month": N_("Month")}
LEVEL_LABELS = {"regions": N_("Regions"), "districts": N_("Districts")}


def incidents_of(session):
    """A function for the worker that returns the incidents the user's filter keeps (all years)."""
    from juvmap.analysis.spacetime import filtered_incidents

    incidents, flt = session.sources().incidents, session.state.filter
    return lambda: filtered_incidents(incidents, flt)


class SortItem(QTableWidgetItem):
    """A cell shown as text and sorted by a number (or by its text when ``key`` is None)."""

    def __init__(self, text: str, key: float | None = None) -> None:
        super().__init__(text)
        self.key = key
        if key is not None:
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.key, getattr(other, "key", None)
        if mine is None or theirs is None:
            return self.text() < other.text()
        return (math.inf if math.isnan(mine) else mine) < (math.inf if math.isnan(theirs) else theirs)


def fill_table(table: QTableWidget, headers: list[str], rows: list[list[tuple[str, float | None]]]) -> None:
    """Fill ``table`` with ``rows`` of (text, sort key) cells, sortable by any column."""
    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, (text, key) in enumerate(row):
            table.setItem(r, c, SortItem(text, key))
    table.setSortingEnabled(True)
    table.resizeColumnsToContents()


def _table() -> QTableWidget:
    table = QTableWidget(0, 0)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _number(value: float, decimals: int) -> tuple[str, float]:
    value = float(value)
    return ("—" if not math.isfinite(value) else format_number(value, get_language(), decimals)), value


class EmergingTab(QWidget):
    """Level and time step, Run, the table of areas by category, Export to GeoPackage."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spacetime-emerging")
        self.session = session
        self.found = None
        self.level_label, self.step_label = QLabel(), QLabel()
        self.level, self.step = QComboBox(), QComboBox()
        self.level.setObjectName("emerging-level")
        self.step.setObjectName("emerging-step")
        for combo, codes in ((self.level, LEVEL_LABELS), (self.step, STEP_LABELS)):
            for code in codes:
                combo.addItem("", code)
        self.run_button, self.export_button = QPushButton(), QPushButton()
        self.run_button.setObjectName("emerging-run")
        self.export_button.setObjectName("emerging-export")
        self.export_button.setEnabled(False)
        self.run_button.clicked.connect(self.run)
        self.export_button.clicked.connect(lambda: self.export())
        bar = QHBoxLayout()
        for widget in (self.level_label, self.level, self.step_label, self.step):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.run_button)
        bar.addWidget(self.export_button)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = _table()
        self.table.setObjectName("emerging-table")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def run(self) -> None:
        """Compute the emerging hot spots of the loaded incidents in the worker."""
        from juvmap.analysis.spacetime import emerging_for_incidents

        incidents = incidents_of(self.session)
        level, step = self.level.currentData(), self.step.currentData()

        def work(progress, cancel):
            return emerging_for_incidents(incidents(), level, step, progress=progress, cancel=cancel)

        self.run_button.setEnabled(False)
        self.session.runner.submit("spacetime-emerging", work, self.show_result, self._failed,
                                   _("Emerging hot spots…"))

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.session._error(exc)

    def show_result(self, found) -> None:
        """Show an :class:`~juvmap.analysis.spacetime.EmergingHotspots`."""
        self.found = found
        self.run_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self._render()

    def _names(self) -> dict[str, str]:
        polygons, column = self.found.polygons, f"name_{get_language()}"
        if column not in polygons:
            return {}
        return dict(zip(polygons["code"].astype(str), polygons[column].astype(str), strict=True))

    def _render(self) -> None:
        from juvmap.stats.emerging import CATEGORY_LABELS

        if self.found is None:
            self.note.setText(_("Choose the areas and the time step, then press Run."))
            fill_table(self.table, [], [])
            return
        table, names = self.found.table, self._names()
        steps = self.found.counts.columns
        self.note.setText(_("{n} areas × {steps} steps ({first}–{last}); Gi* at α = {alpha}, "
                            "Mann-Kendall trend of the z-scores.").format(
            n=len(table), steps=len(steps), first=steps[0], last=steps[-1],
            alpha=format_number(self.found.alpha, get_language(), 2)) + (" " + self.found.notice).rstrip())
        labels = {code: _(text) for code, text in CATEGORY_LABELS.items()}
        rows = [[(names.get(str(code), str(code)), None), (labels[row["category"]], None),
                 (str(int(row["hot_steps"])), float(row["hot_steps"])),
                 (str(int(row["cold_steps"])), float(row["cold_steps"])),
                 _number(row["trend_z"], 2), _number(row["trend_p"], 3), _number(row["final_z"], 2)]
                for code, row in table.iterrows()]
        fill_table(self.table, [_("Area"), _("Category"), _("Hot steps"), _("Cold steps"),
                                _("Trend z"), _("Trend p"), _("Last z")], rows)

    def export(self, path: str | None = None) -> None:
        """Write the table and the areas to a GeoPackage for QGIS (asks for the file)."""
        from juvmap.export.spacetime import write_emerging

        if self.found is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Export emerging hot spots"),
                                                        "emerging.gpkg", "GeoPackage (*.gpkg)")
            if not path:
                return
        found, lang = self.found, get_language()
        incidents = self.session.sources().incidents
        synthetic = bool(incidents.attrs.get("synthetic")) or not self.session.incidents_source.path

        def work(progress, cancel):
            with using_language(lang):
                return write_emerging(found, path, synthetic)

        self.session.runner.submit("spacetime-export", work, lambda out: self.note.setText(
            _("Saved to {path}").format(path=out)), self.session._error, _("Exporting…"))

    def retranslate(self) -> None:
        """Re-set every text in the current language."""
        self.level_label.setText(_("Areas:"))
        self.step_label.setText(_("Time step:"))
        for combo, labels in ((self.level, LEVEL_LABELS), (self.step, STEP_LABELS)):
            for i in range(combo.count()):
                combo.setItemText(i, _(labels[combo.itemData(i)]))
        self.run_button.setText(_("Run"))
        self.export_button.setText(_("Export to GeoPackage…"))
        self._render()


class NearRepeatTab(QWidget):
    """Distance and day bands, Run / Cancel with progress, the table of Knox ratios."""

    progressed = Signal(float)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spacetime-nearrepeat")
        self.session = session
        self.table_data: pd.DataFrame | None = None
        self.labels = [QLabel() for _i in range(3)]
        self.distance, self.days = QLineEdit("0,200,400,600,800,1000"), QLineEdit("0,7,14,21,28")
        self.permutations = QSpinBox()
        self.permutations.setRange(9, 9999)
        self.permutations.setValue(999)
        self.run_button, self.cancel_button = QPushButton(), QPushButton()
        self.run_button.setObjectName("nearrepeat-run")
        self.cancel_button.setObjectName("nearrepeat-cancel")
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progressed.connect(lambda f: self.progress.setValue(int(f * 1000)))
        bar = QHBoxLayout()
        for label, edit in zip(self.labels, (self.distance, self.days, self.permutations), strict=True):
            bar.addWidget(label)
            bar.addWidget(edit)
        bars = QHBoxLayout()
        bars.addWidget(self.progress, 1)
        bars.addWidget(self.run_button)
        bars.addWidget(self.cancel_button)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = _table()
        self.table.setObjectName("nearrepeat-table")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(bars)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def run(self) -> None:
        """Read the bands and run the Knox test in the worker."""
        from juvmap.analysis.spacetime import near_repeat_for_incidents
        from juvmap.errors import AnalysisError
        from juvmap.stats.nearrepeat import parse_edges

        try:
            distance, days = parse_edges(self.distance.text()), parse_edges(self.days.text())
        except AnalysisError as exc:
            self.session._error(exc)
            return
        incidents, permutations = incidents_of(self.session), self.permutations.value()

        def work(progress, cancel):
            def both(fraction: float, message: str = "") -> None:
                progress(fraction, message)
                self.progressed.emit(fraction)  # queued to the GUI thread
            return near_repeat_for_incidents(incidents(), distance, days, permutations,
                                             progress=both, cancel=cancel)

        self._busy(True)
        self.session.runner.submit("spacetime-nearrepeat", work, self.show_result, self._failed,
                                   _("Near-repeat test…"))

    def cancel(self) -> None:
        """Stop the running test (its result is dropped)."""
        self.session.runner.cancel("spacetime-nearrepeat")
        self._busy(False)
        self.note.setText(_("Cancelled"))

    def _busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setValue(0)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.session._error(exc)

    def show_result(self, table: pd.DataFrame) -> None:
        """Show a :func:`~juvmap.stats.nearrepeat.knox_test` table."""
        self.table_data = table
        self._busy(False)
        self.progress.setValue(1000)
        self._render()

    def _render(self) -> None:
        table = self.table_data
        if table is None:
            self.note.setText(_("Give the lower edges of the distance (metres) and time (days) bands, "
                                "then press Run."))
            fill_table(self.table, [], [])
            return
        lang = get_language()
        self.note.setText(_("Knox test on {n} incidents, {perm} permutations (seed {seed}); {left} without "
                            "coordinates or date left out. Pair counts of 1–4 are shown as <5.").format(
            n=format_number(table.attrs["n"], lang, 0), perm=table.attrs["permutations"],
            seed=table.attrs["seed"], left=format_number(table.attrs.get("left_out", 0), lang, 0)))
        rows = []
        for _i, row in table.iterrows():
            observed = int(row["observed"])
            shown = f"<{SUPPRESS_BELOW}" if 0 < observed < SUPPRESS_BELOW else format_number(observed, lang, 0)
            rows.append([(str(row["distance_band"]), float(row["distance_low"])),
                         (str(row["time_band"]), float(row["days_low"])),
                         (shown, float(IMPUTED_COUNT if 0 < observed < SUPPRESS_BELOW else observed)),
                         _number(row["expected"], 1), _number(row["ratio"], 2), _number(row["p"], 3)])
        fill_table(self.table, [_("Distance, m"), _("Days apart"), _("Observed pairs"), _("Expected pairs"),
                                _("Observed / expected"), "p"], rows)

    def retranslate(self) -> None:
        """Re-set every text in the current language."""
        for label, text in zip(self.labels, (_("Distance bands, m:"), _("Day bands:"), _("Permutations:")),
                               strict=True):
            label.setText(text)
        self.run_button.setText(_("Run"))
        self.cancel_button.setText(_("Cancel"))
        self._render()
