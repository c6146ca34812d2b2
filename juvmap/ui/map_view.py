"""The map widget: a QWebEngineView that shows map files and says when the map is ready.

A map of the same layout as the one shown (a filter change, the next year) is applied to the
page in place through :mod:`juvmap.mapping.live`; any other map is loaded from its file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWebEngineWidgets import QWebEngineView

from juvmap.mapping.live import MapPage
from juvmap.ui import web

log = logging.getLogger(__name__)


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
        # no browser menu (Back, Reload …): the page is the application's, not a web site
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.ready = False
        self.loaded_afresh = False  # the map now shown was loaded from its file (not updated in place)
        self._shown: MapPage | None = None  # the map the page shows (or will once ready)
        self._updates = 0  # in-place updates sent and not yet answered
        self._poll = QTimer(self)
        self._poll.setInterval(30)
        self._poll.timeout.connect(self._check_ready)
        self._page.loadFinished.connect(self._on_load_finished)

    @property
    def console_errors(self) -> list[str]:
        """JavaScript errors reported by the page so far."""
        return self._page.console_errors

    def show_map_file(self, target: Path | MapPage) -> None:
        """Show a map file, in place when ``target`` is a :class:`MapPage` the page can become."""
        page = target if isinstance(target, MapPage) else MapPage(Path(target))
        script = page.update_script(self._shown) if (self.ready or self._updates) else None
        if script is None:
            self._load(page)
            return
        self.ready = False
        self._shown = page
        self._updates += 1
        self._page.runJavaScript(script, 0, lambda value, p=page: self._on_updated(p, value))

    def _load(self, page: MapPage) -> None:
        self.ready = False
        self._poll.stop()
        self._updates = 0
        self._shown = page
        self.load(web.url_for(page.path))

    def _on_updated(self, page: MapPage, value) -> None:
        if self._updates == 0 or self._shown is None:
            return  # a load has replaced the page since
        self._updates -= 1
        if value is not True:
            log.warning("in-place map update failed (%r); loading %s", value, page.path)
            self._load(self._shown)
            return
        if self._updates == 0 and not self.ready:
            self.ready = True
            self.loaded_afresh = False
            self.mapReady.emit()

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
            self.loaded_afresh = True
            self.mapReady.emit()
