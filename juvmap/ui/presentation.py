"""Presentation mode (F11) for classrooms: full screen, large type, no docks, a year player.

The year player renders one map per year of the incident layer in the background first,
then shows them in turn with the year in large type over the map, so the animation is
smooth however long one map takes to build.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QToolBar

from juvmap.i18n import _

ZOOM = 1.35
STEP_MS = 2200


class Presentation:
    """Presentation state of a :class:`~juvmap.ui.main_window.MainWindow`."""

    def __init__(self, window) -> None:
        self.window = window
        self.active = False
        self._saved_state = None
        self._frames: dict[int, object] = {}
        self._years: list[int] = []
        self._index = 0
        self.timer = QTimer(window, interval=STEP_MS)
        self.timer.timeout.connect(self._next_frame)
        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("toolbar-presentation")
        self.play_action = self.toolbar.addAction("")
        self.play_action.setCheckable(True)
        self.play_action.setShortcut("Space")
        self.play_action.toggled.connect(self.play)
        self.exit_action = self.toolbar.addAction("")
        self.exit_action.setShortcut("Esc")
        self.exit_action.triggered.connect(self.leave)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.hide()
        self.year_label = QLabel(window.map_view)
        self.year_label.setObjectName("presentation-year")
        self.year_label.setStyleSheet(
            "QLabel{background:rgba(255,255,255,200);color:#222;font-size:64px;font-weight:bold;"
            "padding:4px 18px;border-radius:8px}")
        self.year_label.hide()

    def retranslate(self) -> None:
        self.play_action.setText(_("Play years") if not self.play_action.isChecked() else _("Pause"))
        self.exit_action.setText(_("Leave presentation"))

    def toggle(self) -> None:
        """Enter or leave presentation mode."""
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        w = self.window
        self._saved_state = (w.saveState(), w.isFullScreen(), w.font())
        for dock in (w.layers_dock, w.filters_dock, w.analysis_dock, w.region_dock):
            dock.hide()
        w.main_toolbar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        font = w.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        w.setFont(font)
        w.map_view.setZoomFactor(ZOOM)
        self.toolbar.show()
        self.play_action.setEnabled(w.mode == "incidents")
        w.showFullScreen()
        self.active = True
        w.actions_by_id["presentation"].setChecked(True)

    def leave(self) -> None:
        if not self.active:
            return
        w = self.window
        self.play(False)
        state, was_full, font = self._saved_state
        w.setFont(font)
        w.map_view.setZoomFactor(1.0)
        self.toolbar.hide()
        w.menuBar().show()
        w.statusBar().show()
        w.main_toolbar.show()
        w.restoreState(state)
        if not was_full:
            w.showNormal()
        self.active = False
        w.actions_by_id["presentation"].setChecked(False)
        w.refresh()

    # -- the year player ----------------------------------------------------------------
    def play(self, on: bool) -> None:
        """Start (render every year, then cycle) or stop the year animation."""
        w = self.window
        self.play_action.blockSignals(True)
        self.play_action.setChecked(on)
        self.play_action.blockSignals(False)
        self.retranslate()
        if not on:
            self.timer.stop()
            self.year_label.hide()
            return
        if w.mode != "incidents" or w.session.incidents is None:
            return
        first, last = w.session.years()
        self._years = list(range(first, last + 1))
        self._frames = {}
        self._index = 0
        for year in self._years:
            w.session.submit_map(f"year-{year}", lambda path, y=year: self._frame_ready(y, path), year=year)

    def _frame_ready(self, year: int, path) -> None:
        self._frames[year] = path
        if len(self._frames) == len(self._years) and self.play_action.isChecked():
            self._next_frame()
            self.timer.start()

    def _next_frame(self) -> None:
        if not self._years:
            return
        year = self._years[self._index % len(self._years)]
        self._index += 1
        self.window.map_view.show_map_file(self._frames[year])
        self.year_label.setText(str(year))
        self.year_label.adjustSize()
        self.year_label.move(self.window.map_view.width() - self.year_label.width() - 40, 90)
        self.year_label.show()
        self.year_label.raise_()

    @property
    def current_year(self) -> int | None:
        """The year now on screen (None when the player is stopped)."""
        if not self.timer.isActive() or not self._years:
            return None
        return self._years[(self._index - 1) % len(self._years)]
