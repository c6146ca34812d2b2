"""Presentation mode (F11) for classrooms: full screen, large type, no docks, a year player.

The year player renders one map per year of the incident layer in the background first,
then shows them in turn with the year in large type on the map. Two web views are stacked:
the next year loads in the hidden one and the views swap once it is drawn, so the class
never sees a blank map between years.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QStackedLayout, QToolBar, QWidget

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
        self.timer = QTimer(window, interval=STEP_MS, singleShot=True)  # restarted once a year is drawn
        self.timer.timeout.connect(self._next_frame)
        self.playing = False
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
        self.year_label = QLabel()  # holds the year on screen (drawn into the page)
        self.year_label.setObjectName("presentation-year")

    def retranslate(self) -> None:
        texts = (_("Play years"), _("Pause"))
        self.play_action.setText(texts[self.play_action.isChecked()])
        self.exit_action.setText(_("Leave presentation"))
        button = self.toolbar.widgetForAction(self.play_action)
        if button is not None:  # as wide as its longer text: Exit stays put when Play turns into Pause
            widths = []
            for text in texts:
                button.setText(text)
                widths.append(button.sizeHint().width())
            button.setText(texts[self.play_action.isChecked()])
            button.setMinimumWidth(max(widths))

    def toggle(self) -> None:
        """Enter or leave presentation mode."""
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        w = self.window
        docks = (w.layers_dock, w.filters_dock, w.analysis_dock, w.region_dock)
        shown = [dock for dock in docks if not dock.isHidden()]
        self._saved_state = (w.saveState(), w.isFullScreen(), w.font(), shown)
        for dock in docks:
            dock.hide()
        w.main_toolbar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        font = w.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        w.setFont(font)
        w.map_view.setZoomFactor(ZOOM)
        self._stack_views()
        self.toolbar.show()
        self.retranslate()  # the play button's width in the large type
        self.play_action.setEnabled(w.mode == "incidents")
        w.map_view.mapReady.connect(self._front_ready)
        w.showFullScreen()
        self.active = True
        w.actions_by_id["presentation"].setChecked(True)

    def leave(self) -> None:
        if not self.active:
            return
        w = self.window
        self.play(False)
        state, was_full, font, shown = self._saved_state
        w.map_view.mapReady.disconnect(self._front_ready)
        w.setFont(font)
        w.map_view.setZoomFactor(1.0)
        self._unstack_views()
        self.toolbar.hide()
        w.menuBar().show()
        w.statusBar().show()
        w.main_toolbar.show()
        if not was_full:
            w.showNormal()
        w.restoreState(state)
        for dock in shown:
            dock.show()
        self.active = False
        w.actions_by_id["presentation"].setChecked(False)
        w.refresh()

    def _front_ready(self) -> None:
        if self.playing and self.stack.currentWidget() is not self.window.map_view:
            self._frame_drawn(self.window.map_view)

    def _stack_views(self) -> None:
        from juvmap.ui.map_view import MapView

        w = self.window
        front = w.takeCentralWidget()
        self.back = MapView()
        self.back.setZoomFactor(ZOOM)
        self.back.mapReady.connect(self._back_ready)
        self.container = QWidget()
        self.stack = QStackedLayout(self.container)
        # both views laid out and drawn, the current one on top: the next year is drawn at
        # full size behind the one on screen, then raised
        self.stack.setStackingMode(QStackedLayout.StackingMode.StackAll)
        self.stack.addWidget(front)
        self.stack.addWidget(self.back)
        self.stack.setCurrentWidget(front)
        w.setCentralWidget(self.container)

    def _unstack_views(self) -> None:
        w = self.window
        w.takeCentralWidget()
        self.stack.removeWidget(w.map_view)
        w.setCentralWidget(w.map_view)
        w.map_view.show()
        self.back.deleteLater()
        self.container.deleteLater()

    # -- the year player ----------------------------------------------------------------
    def play(self, on: bool) -> None:
        """Start (render every year, then cycle) or stop the year animation."""
        w = self.window
        self.play_action.blockSignals(True)
        self.play_action.setChecked(on)
        self.play_action.blockSignals(False)
        self.retranslate()
        self.playing = on
        if not on:
            self.timer.stop()
            self.year_label.clear()
            self._clear_year()
            return
        if w.mode != "incidents" or w.session.incidents is None:
            return
        first, last = w.session.years()
        self._years = list(range(first, last + 1))
        self._frames = {}
        self._index = 0
        for year in self._years:  # one legend over the years: colours compare across frames
            w.session.submit_map(f"year-{year}", lambda out, y=year: self._frame_ready(y, out[0]), year=year,
                                 class_period=(first, last))

    def _frame_ready(self, year: int, path) -> None:
        self._frames[year] = path
        if len(self._frames) == len(self._years) and self.playing:
            self._next_frame()

    def _next_frame(self) -> None:
        if not self._years:
            return
        year = self._years[self._index % len(self._years)]
        self._index += 1
        self._loading_year = str(year)
        self._hidden_view().show_map_file(self._frames[year])

    def _hidden_view(self):
        return self.back if self.stack.currentWidget() is not self.back else self.window.map_view

    def _back_ready(self) -> None:
        self._frame_drawn(self.back)

    def _frame_drawn(self, view) -> None:
        """The hidden view has drawn the next year: write the year on it and bring it forward."""
        if not self.playing:
            return
        self.year_label.setText(self._loading_year)
        self._draw_year(view)
        self.stack.setCurrentWidget(view)
        self.timer.start()  # the next year after STEP_MS on screen

    def _draw_year(self, view) -> None:
        """Write the year in large type into the page (a Qt label would sit under the web view)."""
        year = self.year_label.text()
        if not year:
            return
        view.page().runJavaScript(
            "(function(){var d=document.getElementById('jm-year')||document.createElement('div');"
            "d.id='jm-year';d.textContent=" + repr(year) + ";"
            "d.style.cssText='position:absolute;z-index:2000;right:60px;top:70px;font:bold 96px DejaVu Sans,"
            "Arial,sans-serif;color:#222;background:rgba(255,255,255,.8);padding:0 24px;border-radius:10px';"
            "document.body.appendChild(d);})();")

    def _clear_year(self) -> None:
        """Remove the year written into the pages (none is left on the normal map)."""
        views = [self.window.map_view] + ([self.back] if self.active else [])
        for view in views:
            view.page().runJavaScript("(function(){var d=document.getElementById('jm-year');"
                                      "if(d){d.remove();}})();")

    @property
    def current_year(self) -> int | None:
        """The year now on screen (None when the player is stopped or nothing is drawn yet)."""
        text = self.year_label.text()
        return int(text) if self.playing and text.isdigit() else None

    @property
    def current_view(self):
        """The web view in front (the one the class sees)."""
        return self.stack.currentWidget() if self.active else self.window.map_view
