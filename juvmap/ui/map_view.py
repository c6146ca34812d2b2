"""The map widget: a QWebEngineView that loads map files and says when the map is ready."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWebEngineWidgets import QWebEngineView

from juvmap.ui import web

_counter = itertools.count()


class MapView(QWebEngineView):
    """Shows folium maps written under the web root; emits ``mapReady`` when drawn.

    ``mapReady`` fires once Leaflet has added every layer (the page's ``juvmapReady`` flag).
    """

    mapReady = Signal()
    mapFailed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._page = web.GuardedPage(web.profile(), self)
        self.setPage(self._page)
        self.ready = False
        self._poll = QTimer(self)
        self._poll.setInterval(30)
        self._poll.timeout.connect(self._check_ready)
        self._page.loadFinished.connect(self._on_load_finished)

    @property
    def console_errors(self) -> list[str]:
        """JavaScript errors reported by the page so far."""
        return self._page.console_errors

    def new_map_path(self) -> Path:
        """A fresh file path under the web root for the next map."""
        folder = web.web_root() / "maps"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"map-{next(_counter)}.html"

    def show_map_file(self, path: Path) -> None:
        """Load a map file written under the web root."""
        self.ready = False
        self.load(web.url_for(path))

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            self.mapFailed.emit(self.url().toString())
            return
        self._poll.start()

    def _check_ready(self) -> None:
        self._page.runJavaScript("window.juvmapReady === true", 0, self._on_ready_value)

    def _on_ready_value(self, value) -> None:
        if value is True and not self.ready:
            self._poll.stop()
            self.ready = True
            self.mapReady.emit()
