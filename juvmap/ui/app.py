"""Start the application (or its smoke test)."""

from __future__ import annotations

import json
import os
import sys
import time

from juvmap.i18n import get_language


def _prepare_environment(offscreen: bool) -> None:
    if offscreen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        flags += " --no-sandbox"  # Chromium refuses to run as root with its sandbox
    if "--disable-gpu" not in flags and os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        flags += " --disable-gpu"
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags.strip()
    os.environ.setdefault("QT_LOGGING_RULES", "qt.webenginecontext.debug=false")


def offscreen_application():
    """A QApplication for headless work (printing), created once, offscreen unless a display is set."""
    import os as _os

    if not _os.environ.get("DISPLAY"):
        _os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _prepare_environment(offscreen=False)
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    from juvmap.ui import web

    existing = QApplication.instance()
    if existing is not None:
        return existing
    web.register_scheme()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    return QApplication(sys.argv[:1])


def _restore_language(smoke_test: bool) -> None:
    """The language of the last session, unless --lang or JUVMAP_LANG chose one."""
    from juvmap.i18n import LANGUAGES, set_language
    from juvmap.ui.settings import app_settings

    if smoke_test or os.environ.get("JUVMAP_LANG") or _explicit_language:
        return
    saved = app_settings().value("language")
    if saved in LANGUAGES:
        set_language(saved)


_explicit_language = False


def run_app(smoke_test: bool = False, timeout_s: float = 60.0) -> int:
    """Run the GUI; with ``smoke_test`` print start-up timings as JSON and exit."""
    t0 = time.perf_counter()
    _prepare_environment(offscreen=smoke_test)
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from juvmap.ui import web

    web.register_scheme()
    web.prune_map_files()  # pages left by earlier runs
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("juvmap")
    app.setOrganizationName("juvmap")

    from juvmap.ui.main_window import MainWindow
    from juvmap.ui.translators import install_qt_translator

    _restore_language(smoke_test)
    install_qt_translator(get_language())
    window = MainWindow()
    from juvmap.ui.wheel_guard import install_wheel_guard

    install_wheel_guard(window)  # a wheel changes only the focused control of the docks
    window.show()
    startup_s = time.perf_counter() - t0
    result = {"startup_s": round(startup_s, 3)}

    if smoke_test:
        def on_ready() -> None:
            result["map_ready_s"] = round(time.perf_counter() - t0, 3)
            app.quit()

        def on_timeout() -> None:
            result["map_ready_s"] = None
            result["error"] = "map not ready"
            app.quit()

        window.map_view.mapReady.connect(on_ready)
        window.map_view.mapFailed.connect(lambda url: on_timeout())
        QTimer.singleShot(int(timeout_s * 1000), on_timeout)

    QTimer.singleShot(0, window.show_start_map)
    code = app.exec()
    if smoke_test:
        result["blocked_requests"] = len(web.guard().blocked)
        result["javascript_errors"] = len(window.map_view.console_errors)
        print(json.dumps(result))
        return 0 if result.get("map_ready_s") is not None and not result["blocked_requests"] else 1
    return code
