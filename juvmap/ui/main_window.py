"""The main window: map in the centre, docks, menus, toolbar, status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QToolButton,
)

from juvmap import __version__
from juvmap.i18n import LANGUAGES, _, get_language, set_language
from juvmap.state import AppState
from juvmap.ui import web
from juvmap.ui.docks.filters import FiltersPanel
from juvmap.ui.docks.region import RegionPanel
from juvmap.ui.map_bridge import install_bridge, select_region
from juvmap.ui.map_view import MapView
from juvmap.ui.session import Session
from juvmap.ui.settings import app_settings
from juvmap.ui.worker import TaskRunner

log = logging.getLogger(__name__)

DATA_MODES = ("official", "incidents")
OPEN_FILTER = "*.csv *.txt *.xlsx *.gpkg *.shp *.geojson *.json"
MAX_RECENT = 8


class MainWindow(QMainWindow):
    """juvmap's main window.

    The start-up map shows the official 2022 figures by region; the data switch in the
    toolbar (or opening a file) moves to the incident layer, where filters, analysis,
    density and hot spots apply.
    """

    languageChanged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("juvmap-main-window")
        self.setAcceptDrops(True)
        self.runner = TaskRunner(self)
        self.state = AppState()
        self.session = Session(self.runner, self.state, self)
        self.map_view = MapView(self)
        self.bridge = install_bridge(self.map_view)
        self.setCentralWidget(self.map_view)
        self._build_docks()
        self._build_status_bar()
        from juvmap.ui.actions import build_actions

        build_actions(self)
        from juvmap.ui.presentation import Presentation

        self.presentation = Presentation(self)
        self._connect()
        from juvmap.ui.unsaved import UnsavedChanges

        self.unsaved = UnsavedChanges(self)
        self.unsaved.watch(self.layers_panel.replaceRegionsRequested, self.layers_panel.resetRegionsRequested)
        self.state.events.all.connect(lambda info: info.signal.name != "selected" and self.unsaved.mark())
        self._enable_incident_docks()
        self.retranslate()
        self.resize(1400, 900)
        # docks narrow by default: the map gets at least 60 % of the width at 1600 px
        self.resizeDocks([self.layers_dock, self.region_dock], [310, 300], Qt.Orientation.Horizontal)
        self._restore_settings()

    # -- construction -------------------------------------------------------------------
    def _dock(self, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        from juvmap.ui.docks.analysis import AnalysisPanel
        from juvmap.ui.docks.layers import LayersPanel

        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.layers_panel = LayersPanel()
        self.filters_panel = FiltersPanel()
        self.analysis_panel = AnalysisPanel()
        self.region_panel = RegionPanel()
        self.layers_dock = self._dock("layers", self.layers_panel, left)
        self.filters_dock = self._dock("filters", self.filters_panel, left)
        self.analysis_dock = self._dock("analysis", self.analysis_panel, left)
        self.region_dock = self._dock("region", self.region_panel, right)
        self.tabifyDockWidget(self.filters_dock, self.analysis_dock)
        self.filters_dock.raise_()
        self.data_combo = QComboBox()
        self.data_combo.setObjectName("combo-data")
        self.indicator_combo = QComboBox()  # official mode: which Form 1-M indicator is mapped
        self.indicator_combo.setObjectName("combo-indicator")
        self.indicator_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.indicator_combo.setMinimumContentsLength(28)  # long names show in full in the list
        from juvmap.stats.official import OFFICIAL_INDICATORS

        for key in OFFICIAL_INDICATORS:
            self.indicator_combo.addItem(key, key)
        self.indicator_combo.currentIndexChanged.connect(
            lambda i: setattr(self.state, "indicator", self.indicator_combo.itemData(i)) if i >= 0 else None)
        self.state.events.indicator.connect(self._show_indicator)
        self.data_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for panel in (self.layers_panel, self.filters_panel, self.analysis_panel):
            panel.bind(self.state)
        from juvmap.ui.docks.spacetime import install_spacetime_dock

        self.spacetime_dock = install_spacetime_dock(self)

    @property
    def mode(self) -> str:
        """``"official"`` or ``"incidents"`` (the state's field)."""
        return self.state.mode

    def _build_status_bar(self) -> None:
        self.status_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(200)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.cancel_button = QToolButton(self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.runner.cancel_all)
        bar = self.statusBar()
        bar.addPermanentWidget(self.status_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

    def _connect(self) -> None:
        s = self.session
        self.runner.busy.connect(self._on_busy)
        self.runner.progress.connect(lambda f, m: self.progress.setValue(int(f * 1000)))
        self.runner.idle.connect(self._on_idle)
        s.mapBuilt.connect(self.map_view.show_map_file)
        s.failed.connect(self.show_error)
        s.loaded.connect(self._on_loaded)
        s.dataChanged.connect(self._on_data_changed)
        s.notice.connect(self.show_notice)
        s.resultReady.connect(lambda _result: self._update_counts())
        s.profileReady.connect(lambda profile, result: self.region_panel.show(profile, result, self.state.selected))
        self.state.events.mode.connect(self._on_mode)
        self.state.events.filter.connect(self._update_counts)
        self.state.events.period.connect(self._update_counts)
        self.bridge.regionClicked.connect(self.on_region_clicked)
        self.region_panel.areaChosen.connect(self.on_region_clicked)
        self.map_view.mapReady.connect(self._on_map_ready)
        self.layers_panel.replaceRegionsRequested.connect(self.replace_regions)
        self.layers_panel.resetRegionsRequested.connect(lambda: self.session.open_regions(None))
        self.layers_panel.backgroundRequested.connect(self.add_background)
        self.data_combo.currentIndexChanged.connect(
            lambda i: self.set_mode(DATA_MODES[i]) if i >= 0 else None)

    def retranslate(self) -> None:
        """Set every text of the window in the current language."""
        from juvmap.ui.actions import retranslate_actions

        self.setWindowTitle(_("juvmap — criminological map of juvenile delinquency"))
        retranslate_actions(self)
        self.layers_dock.setWindowTitle(_("Layers"))
        self.filters_dock.setWindowTitle(_("Filters"))
        self.analysis_dock.setWindowTitle(_("Analysis"))
        self.region_dock.setWindowTitle(_("Region"))
        for panel in (self.layers_panel, self.filters_panel, self.analysis_panel, self.region_panel):
            panel.retranslate()
        self.cancel_button.setText(_("Cancel"))
        index = DATA_MODES.index(self.mode)
        from juvmap.stats.official import OFFICIAL_INDICATORS

        for i in range(self.indicator_combo.count()):
            self.indicator_combo.setItemText(i, _(OFFICIAL_INDICATORS[self.indicator_combo.itemData(i)].label))
        self._show_indicator()
        self.data_combo.blockSignals(True)
        self.data_combo.clear()
        self.data_combo.addItems([_("Official statistics 2022 (regions)"),
                                  _("Incidents (synthetic demo or your file)")])
        self.data_combo.setCurrentIndex(index)
        self.data_combo.blockSignals(False)
        self.presentation.retranslate()
        self._update_status()

    # -- modes and maps -----------------------------------------------------------------
    def show_start_map(self) -> None:
        """Show the map of the current mode (called once the window is up and on a language change).

        The official map of the default settings comes from the file an earlier start wrote
        (the same presenter drew it); its analysis is run alongside for the Region dock."""
        from juvmap.mapping.official_map import OFFICIAL_2022
        from juvmap.mapping.start_map import start_map_path, write_start_map

        from dataclasses import replace

        request = self.state.request()
        if request.period is None:  # the official figures' latest period: the built-in 2022
            request = replace(request, period=OFFICIAL_2022.period)
        if self.mode != "official" or request != OFFICIAL_2022.with_outputs() or self.session.official is not None:
            self.session.refresh()
            return
        lang = get_language()
        path = start_map_path(web.web_root(), lang)
        self.session.analyse_now(self._official_result, key="official")
        if path.is_file():
            self.runner.cancel("map")  # an incident map still being built must not replace it
            self.map_view.show_map_file(path)
            return

        def work(progress, cancel):
            return write_start_map(path, lang)

        self.runner.submit("map", work, self.map_view.show_map_file, self.session._error, _("Drawing the map…"))

    def _show_indicator(self, *_args) -> None:
        index = self.indicator_combo.findData(self.state.indicator)
        self.indicator_combo.blockSignals(True)
        self.indicator_combo.setCurrentIndex(max(index, 0))
        self.indicator_combo.blockSignals(False)

    def import_form1m(self, paths: list[str] | None = None, period: str | None = None) -> None:
        """File → Import Form 1-M: one or many workbooks (or a folder's), read in the background,
        then shown as the official figures."""
        if paths is None:
            paths, _f = QFileDialog.getOpenFileNames(self, _("Import Form 1-M"), "", _("Form 1-M workbooks ({patterns})").format(patterns="*.xlsx *.XLSX"))
            if not paths:
                return
        import re

        if period is None and not all(re.search(r"(19|20)\d\d", Path(p).name) for p in paths):
            from PySide6.QtWidgets import QInputDialog  # the workbook does not print its period

            period, ok = QInputDialog.getText(self, _("Import Form 1-M"), _("Year of these workbooks:"), text="2022")
            if not ok or not period.strip():
                return
        self.session.import_form1m(list(paths), period.strip() if period else None)

    def _official_result(self, result) -> None:
        if self.mode == "official":
            self.session.result = result
            self.session.resultReady.emit(result)
            self.session.select_region(self.state.selected)

    def set_mode(self, mode: str) -> None:
        """Switch between the official regional figures and the incident layer."""
        if mode == "incidents" and self.session.incidents is None:
            self.state.mode = mode
            self.session.load_builtin()
            return
        self.state.mode = mode

    def _on_mode(self, mode: str, *_old) -> None:
        self.indicator_action.setVisible(mode == "official")
        self.data_combo.blockSignals(True)
        self.data_combo.setCurrentIndex(DATA_MODES.index(mode))
        self.data_combo.blockSignals(False)
        self.session.result = None
        self.region_panel.clear()
        self._enable_incident_docks()
        self._update_status()

    def _enable_incident_docks(self) -> None:
        """Filters and the density/hot-spot layers apply to the incident layer only."""
        for dock in (self.filters_dock, self.analysis_dock, self.layers_dock):
            dock.widget().setEnabled(self.mode == "incidents")

    def refresh(self) -> None:
        """Analyse and draw the current state again."""
        self.session.refresh()

    def _on_data_changed(self) -> None:
        s = self.session
        if s.incidents is None:
            return
        data = s.incidents
        choices = {col: sorted(str(v) for v in data[col].dropna().unique())
                   for col in ("category", "gravity", "place") if col in data}
        years = s.years()
        if years is not None:
            self.filters_panel.set_choices(choices, years)
        self.layers_panel.set_region_source(s.regions_source.path or "")  # "": built-in, translated
        self._suggest_radius(data)
        self.region_panel.clear()
        self.state.mode = "incidents"
        self._update_counts()

    def _suggest_radius(self, data) -> None:
        """Show the KDE radius suggested for ``data`` (in the background: a million points take 0.2 s)."""
        from juvmap.io.points import has_points
        from juvmap.stats.kde import suggest_radius

        self.analysis_panel.set_suggested_radius(None)
        if not has_points(data):
            return

        def work(progress, cancel):
            return suggest_radius(data)

        def failed(exc) -> None:  # only a hint: all the points at one place, say
            log.info("no radius suggestion for this layer: %s", exc)

        self.runner.submit("radius", work, self.analysis_panel.set_suggested_radius, failed)

    def _update_counts(self, *_args) -> None:
        n, total = self.session.matching()
        self.filters_panel.set_count(n, total)
        self._update_status()

    def _update_status(self) -> None:
        if self.mode == "official":
            text = _("Official data: Form 1-M, 2022. Denominator: estimate.")
        else:
            data = self.session.incidents
            from juvmap.labels import data_source_label

            source = data_source_label(data.attrs) if data is not None else ""
            n, total = self.session.matching()
            text = _("Incidents: {n} of {total}. {source}").format(n=n, total=total, source=source)
        self.status_label.setText(text)

    def on_region_clicked(self, code: str) -> None:
        """An area was clicked on the map: highlight it and fill the Region dock."""
        select_region(self.map_view, code)
        self.session.select_region(code)

    def _on_map_ready(self) -> None:
        # a page updated in place keeps its selection (and the user's zoom); a new page gets it again
        if self.state.selected and self.map_view.loaded_afresh:
            select_region(self.map_view, self.state.selected)

    # -- busy state ---------------------------------------------------------------------
    def _on_busy(self, label: str) -> None:
        self.statusBar().showMessage(label)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()

    def _on_idle(self) -> None:
        self.statusBar().clearMessage()
        self.progress.hide()
        self.cancel_button.hide()

    # -- files --------------------------------------------------------------------------
    def open_data(self, path: str | None = None) -> None:
        """File → Open: column mapping, background load, then the load report."""
        from juvmap.ui.dialogs import OpenDataDialog

        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Open data"), "", _("Data files ({patterns})").format(patterns=OPEN_FILTER))
            if not path:
                return
        dialog = OpenDataDialog.prepare(path, self)
        if dialog is None or not dialog.exec():
            return
        self.add_recent(path)
        self.unsaved.mark()
        mapping = {**dialog.mapping(), **{field: None for field in dialog.unused_fields()}}
        self.session.open_incidents(path, mapping, dialog.crs(), dialog.layer())

    def _on_loaded(self, result) -> None:
        from juvmap.ui.dialogs import LoadReportDialog

        if getattr(self, "show_load_reports", True):
            LoadReportDialog(result.report, self, source_path=None).exec()

    def replace_regions(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Region layer"), "", f"({OPEN_FILTER})")
        if path:
            self.session.open_regions(path)

    def add_background(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Background raster"), "", "GeoTIFF (*.tif *.tiff)")
        if path:
            self.state.background = path

    def add_recent(self, path: str) -> None:
        settings = app_settings()
        recent = [p for p in settings.value("recent_files", [], type=list) if p != path]
        settings.setValue("recent_files", [path, *recent][:MAX_RECENT])
        from juvmap.ui.actions import fill_recent_menu

        fill_recent_menu(self)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        from juvmap.io.form1m import is_form1m

        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        workbooks = [p for p in paths if p.lower().endswith(".xlsx") and is_form1m(p)]
        if workbooks:  # Form 1-M workbooks (one or many): the official figures
            self.import_form1m(workbooks)
        elif paths and paths[0].endswith(".juvmap"):
            self.open_project(paths[0])
        elif paths:
            self.open_data(paths[0])

    def open_project(self, path: str | None = None) -> None:
        from juvmap.errors import JuvmapError
        from juvmap.project import open_project

        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, _("Open project"), "", _("juvmap projects (*.juvmap)"))
            if not path:
                return
        try:
            project = open_project(path)
        except JuvmapError as exc:
            self.show_error(str(exc))
            return
        if self.session.incidents is None or project.incidents.path is None:
            self.session.load_builtin()
        self.session.apply_project(project)
        if project.view.get("language") in LANGUAGES:
            self.set_language(project.view["language"])
        self._update_counts()
        self.unsaved.clear()

    def save_project(self, path: str | None = None) -> None:
        from juvmap.project import save_project

        if path is None:
            path, _f = QFileDialog.getSaveFileName(self, _("Save project"), "project.juvmap",
                                                   _("juvmap projects (*.juvmap)"))
            if not path:
                return
        save_project(self.session.to_project({"language": get_language()}), path)
        self.unsaved.clear()
        self.statusBar().showMessage(_("Saved {name}").format(name=Path(path).name), 4000)

    # -- language, messages, settings ---------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Switch the interface, the map and the charts to ``lang`` while running."""
        if lang == get_language():
            return
        set_language(lang)
        from juvmap.ui.translators import install_qt_translator

        install_qt_translator(lang)
        self.retranslate()
        self.show_start_map()
        self.languageChanged.emit(lang)

    def show_notice(self, message: str) -> None:
        """A translated remark that needs no answer (also kept in the status bar)."""
        self.statusBar().showMessage(message, 10000)
        QMessageBox.information(self, _("juvmap"), message)

    def show_error(self, message: str) -> None:
        """A translated message box; the application and its data stay as they were."""
        QMessageBox.warning(self, _("juvmap"), message)

    def show_about(self) -> None:
        from juvmap.io.boundaries import boundary_credit
        from juvmap.io.builtin import SOURCES

        lines = [_(SOURCES[key]) for key in ("official_2022", "population", "juvenile_population",
                                             "settlements")]
        QMessageBox.about(
            self, _("About juvmap"),
            "<b>juvmap {v}</b><br>{what}<br><br>{data}<br>{b}".format(
                v=__version__, what=_("Criminological map of juvenile delinquency of Kazakhstan"),
                data="<br>".join(lines), b=boundary_credit()),
        )

    def _restore_settings(self) -> None:
        settings = app_settings()
        geometry, state = settings.value("window/geometry"), settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.unsaved.may_close():
            event.ignore()
            return
        self.presentation.leave()  # never remember the full-screen presentation layout
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("language", get_language())
        self.runner.cancel_all()
        self.runner.wait(5000)
        super().closeEvent(event)
