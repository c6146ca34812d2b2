"""The bridge between the map page and the application (QWebChannel).

A click on a region in the page calls ``window.juvmapOnRegionClick(code)``; the script
injected here forwards it to :class:`MapBridge`, which emits ``regionClicked``. The
other way, :func:`select_region` asks the page to highlight and zoom to a region.
Qt's own ``qwebchannel.js`` is read from Qt's resources and injected: nothing is fetched.
"""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice, QObject, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView

_INIT = """
new QWebChannel(qt.webChannelTransport, function (channel) {
  window.juvmapOnRegionClick = function (code) { channel.objects.juvmapBridge.regionClicked(code); };
});
"""


class MapBridge(QObject):
    """Receives events from the page (exposed to JavaScript as ``juvmapBridge``)."""

    regionClicked = Signal(str)


class _Exposed(QObject):
    """The object JavaScript sees: one slot per event, nothing else."""

    def __init__(self, bridge: MapBridge) -> None:
        super().__init__(bridge)
        self._bridge = bridge

    @Slot(str)
    def regionClicked(self, code: str) -> None:  # noqa: N802 - called from JavaScript
        self._bridge.regionClicked.emit(str(code))


def _qwebchannel_js() -> str:
    file = QFile(":/qtwebchannel/qwebchannel.js")
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("Qt's qwebchannel.js resource is missing")
    try:
        return bytes(file.readAll()).decode("utf-8")
    finally:
        file.close()


def install_bridge(view: QWebEngineView) -> MapBridge:
    """Connect ``view``'s page to a new :class:`MapBridge` and return it."""
    bridge = MapBridge(view)
    channel = QWebChannel(view.page())
    channel.registerObject("juvmapBridge", _Exposed(bridge))
    view.page().setWebChannel(channel)
    script = QWebEngineScript()
    script.setName("juvmap-bridge")
    script.setSourceCode(_qwebchannel_js() + _INIT)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
    script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
    script.setRunsOnSubFrames(False)
    view.page().scripts().insert(script)
    bridge._channel = channel  # keep the channel alive as long as the bridge
    return bridge


def select_region(view: QWebEngineView, code: str) -> None:
    """Highlight ``code`` on the map and zoom to it (no-op when the map has no regions)."""
    safe = code.replace("\\", "").replace("'", "")
    view.page().runJavaScript(
        f"if (window.juvmapSelectRegion) {{ window.juvmapSelectRegion('{safe}'); }}"
    )


def click_region(view: QWebEngineView, code: str) -> None:
    """Simulate a user's click on a region (used by tests and the classroom demo)."""
    safe = code.replace("\\", "").replace("'", "")
    view.page().runJavaScript(
        "var l = window.juvmapRegions && window.juvmapRegions['" + safe + "'];"
        " if (l) { l.fire('click', {latlng: l.getBounds().getCenter()}); }"
    )
