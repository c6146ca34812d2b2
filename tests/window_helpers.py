"""A started main window and page scripts for the GUI tests of the application's frame."""

from __future__ import annotations

MAP_TIMEOUT = 90_000


def run_js(view, qtbot, code: str):
    """The value of ``code`` run in ``view``'s page."""
    box = {}
    view.page().runJavaScript(code, 0, lambda v: box.setdefault("v", v))
    qtbot.waitUntil(lambda: "v" in box, timeout=10_000)
    return box["v"]


def started_window(lang: str, mode: str = "official", size: tuple[int, int] | None = None):
    """A shown main window in ``lang`` whose map of ``mode`` is drawn (load reports off)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from juvmap.i18n import set_language
    from juvmap.ui.main_window import MainWindow

    set_language(lang)
    win = MainWindow()
    win.show_load_reports = False
    if size:
        win.resize(*size)
    win.show()
    loop = QEventLoop()
    win.map_view.mapReady.connect(loop.quit)
    QTimer.singleShot(0, win.show_start_map if mode == "official" else lambda: win.set_mode(mode))
    QTimer.singleShot(MAP_TIMEOUT, loop.quit)
    loop.exec()
    assert win.map_view.ready, "the map was not drawn in time"
    return win


def close_window(win) -> None:
    """Close ``win`` without the unsaved-changes prompt, after its background tasks."""
    win.presentation.leave()
    win.unsaved.clear()
    win.runner.cancel_all()
    win.runner.wait(10_000)
    win.close()
