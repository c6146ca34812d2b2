"""The Space-time dock: funnel plot, evaluation, emerging hot spots, near repeats.

One call wires it into a main window (hidden until View → Space-time is chosen)::

    self.spacetime_dock = install_spacetime_dock(self)   # in MainWindow._build_docks

The funnel plot follows ``session.resultReady`` (the shown areas of the analysis behind the
map) and the state's selection both ways; the other tabs run :mod:`juvmap.analysis.spacetime`
on ``session.sources().incidents`` through ``session.runner``. Failures go to
``session.failed`` (the window's message box), in the UI language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QTabWidget, QVBoxLayout, QWidget

from juvmap.i18n import _, get_language
from juvmap.ui.docks.evaluation import EvaluationPanel
from juvmap.ui.docks.spacetime_tabs import EmergingTab, NearRepeatTab, incidents_of
from juvmap.ui.funnel_plot import FunnelPlot

__all__ = ["SpacetimeDock", "funnel_tables", "install_spacetime_dock"]


def funnel_tables(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points and limits of the funnel plot of an :class:`~juvmap.analysis.AnalysisResult`.

    Only the shown rows (not ``suppressed``) with a population are drawn; the exposure is
    population × years of the period, so the points' rates equal the result's (annual
    average) rates, and the limits lie around the national rate. The x axis is the population.
    """
    from juvmap.stats.funnel import funnel_limits, funnel_points

    areas = result.areas
    shown = areas[~areas["suppressed"].astype(bool) & (areas["population"] > 0)].set_index("code")
    years, multiplier = result.period.years, float(result.denominator["multiplier"])
    reference = float(result.national["rate"]) / multiplier
    points = funnel_points(shown["count"], shown["population"] * years, multiplier, reference)
    points["population"] = shown["population"].astype(float)
    low, high = float(points["population"].min()), float(points["population"].max())
    limits = funnel_limits(np.geomspace(low * 0.7, high * 1.3, 200) * years, reference, multiplier=multiplier)
    limits["population"] = limits["population"] / years
    return points, limits


class FunnelTab(QWidget):
    """The funnel plot of the current analysis and a line on what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = FunnelPlot()
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        self.result = None

    def show_result(self, result) -> None:
        """Draw the shown areas of ``result`` (None: nothing)."""
        self.result = result
        if result is None or result.areas.empty or not np.isfinite(result.national.get("rate", np.nan)):
            self.plot.clear()
            self.note.setText("")
            return
        from juvmap.describe import area_names, denominator_text, period_text

        lang = get_language()
        points, limits = funnel_tables(result)
        names = dict(zip(result.areas["code"].astype(str), area_names(result, lang), strict=True))
        self.plot.set_data(points, limits, names, denominator_text(result, lang))
        self.note.setText(_("{period}. Points outside the bands differ from the national rate by more "
                            "than chance; hidden areas are not drawn.").format(period=period_text(result)))


class SpacetimeDock(QDockWidget):
    """Tabs: Funnel plot, Evaluation, Emerging hot spots, Near repeat.

    Signals
    -------
    regionClicked(str)
        A point of the funnel plot was clicked (``state.selected`` is already set).
    """

    regionClicked = Signal(str)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dock-spacetime")
        self.session, self.state = session, session.state
        self.tabs = QTabWidget()
        self.funnel = FunnelTab()
        self.evaluation = EvaluationPanel(run_callback=self._evaluate)
        self.emerging = EmergingTab(session)
        self.nearrepeat = NearRepeatTab(session)
        for tab in (self.funnel, self.evaluation, self.emerging, self.nearrepeat):
            self.tabs.addTab(tab, "")
        self.setWidget(self.tabs)
        session.resultReady.connect(self.show_result)
        session.dataChanged.connect(self._offer_choices)
        self.state.events.selected.connect(self._on_selected)
        self.funnel.plot.regionClicked.connect(self._on_point_clicked)
        self.visibilityChanged.connect(self._on_visible)
        self.retranslate()

    # -- funnel --------------------------------------------------------------------------
    def show_result(self, result) -> None:
        """A new analysis: redraw the funnel, offer its areas to the evaluation."""
        self.funnel.show_result(result)
        self.funnel.plot.select(self.state.selected or "")
        self._offer_choices()

    def _on_visible(self, visible: bool) -> None:
        if visible and self.funnel.result is not self.session.result:
            self.show_result(self.session.result)

    def _on_selected(self, code, *_old) -> None:
        self.funnel.plot.select(code or "")

    def _on_point_clicked(self, code: str) -> None:
        self.state.selected = code
        self.regionClicked.emit(code)

    # -- evaluation ----------------------------------------------------------------------
    def _offer_choices(self) -> None:
        result, years = self.session.result, self.session.years()
        areas: list[tuple[str, str]] = []
        if result is not None:
            from juvmap.describe import area_names

            codes = result.areas["code"].astype(str).tolist()
            areas = sorted(zip(codes, area_names(result, get_language()), strict=True), key=lambda a: a[1])
        chosen = {role: [item.data(Qt.ItemDataRole.UserRole) for item in chooser.selectedItems()]
                  for role, chooser in self.evaluation.lists.items()}
        periods = [spin.value() for spin in self.evaluation.spins]
        self.evaluation.set_choices(areas, range(years[0], years[1] + 1) if years else ())
        for role, codes in chosen.items():
            self.evaluation.choose(role, codes)
        if years and all(years[0] <= v <= years[1] for v in periods) and periods != [0, 0, 0, 0]:
            self.evaluation.set_periods(tuple(periods[:2]), tuple(periods[2:]))

    def _evaluate(self, request: dict) -> None:
        from juvmap.analysis.spacetime import evaluate_areas

        incidents = incidents_of(self.session)

        def work(progress, cancel):
            return evaluate_areas(incidents(), request["treated"], request["control"], request["before"],
                                  request["after"], request["displacement"], request["displacement_control"])

        self.evaluation.run_button.setEnabled(False)
        self.session.runner.submit("spacetime-evaluate", work, self._evaluated, self._evaluation_failed,
                                   _("Evaluating…"))

    def _evaluated(self, result: dict) -> None:
        self.evaluation.run_button.setEnabled(True)
        self.evaluation.show_result(result)

    def _evaluation_failed(self, exc: BaseException) -> None:
        self.evaluation.run_button.setEnabled(True)
        self.session._error(exc)

    # -- language ------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Re-set every text in the current language (names, labels, verdict, tables)."""
        self.setWindowTitle(_("Space-time"))
        for i, title in enumerate((_("Funnel plot"), _("Evaluation"), _("Emerging hot spots"),
                                   _("Near repeat"))):
            self.tabs.setTabText(i, title)
        self.evaluation.retranslate()
        self.emerging.retranslate()
        self.nearrepeat.retranslate()
        self.funnel.show_result(self.funnel.result)
        self.funnel.plot.select(self.state.selected or "")
        self._offer_choices()


def install_spacetime_dock(window) -> SpacetimeDock:
    """Create the dock in ``window`` (right side, hidden), linked to its map and language."""
    from juvmap.ui.map_bridge import select_region

    dock = SpacetimeDock(window.session, window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    dock.regionClicked.connect(lambda code: select_region(window.map_view, code))
    window.languageChanged.connect(lambda _lang: dock.retranslate())
    return dock
