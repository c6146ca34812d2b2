"""The main window shows the map from local files, with nothing blocked and no JS error."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.qt


@pytest.fixture
def window(qtbot):
    from juvmap.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.map_view.mapReady, timeout=60_000):
        win.show_start_map()
    return win


def test_map_is_ready_with_zero_blocked_requests(window, qtbot):
    from juvmap.ui import web

    assert web.guard().blocked == []
    assert window.map_view.console_errors == []
    result = {}
    window.map_view.page().runJavaScript(
        "JSON.stringify([typeof L, !!window.juvmapMap,"
        " document.querySelectorAll('path.leaflet-interactive').length])",
        0,
        lambda v: result.setdefault("v", v),
    )
    qtbot.waitUntil(lambda: "v" in result, timeout=10_000)
    kind, has_map, n_paths = json.loads(result["v"])
    assert kind == "object" and has_map
    assert n_paths >= 20  # the 20 regions are drawn


def test_remote_request_is_blocked_and_logged(window, qtbot):
    from juvmap.ui import web

    before = len(web.guard().blocked)
    window.map_view.page().runJavaScript("fetch('https://example.com/x').catch(function(){})")
    qtbot.waitUntil(lambda: len(web.guard().blocked) > before, timeout=10_000)
    assert web.guard().blocked[-1].startswith("https://example.com")
    del web.guard().blocked[before:]


def test_language_switch_rebuilds_menu_and_map(window, qtbot):
    from juvmap.i18n import get_language

    start = get_language()
    target = "kk" if start != "kk" else "en"
    with qtbot.waitSignal(window.map_view.mapReady, timeout=60_000):
        window.set_language(target)
    assert window.file_menu.title() == {"kk": "&Файл", "en": "&File"}[target]
    window.set_language(start)


def test_smoke_test_command_prints_timings():
    out = subprocess.run(
        [sys.executable, "-m", "juvmap", "--smoke-test"], capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["blocked_requests"] == 0
    assert result["map_ready_s"] is not None and result["map_ready_s"] < 30
    assert result["startup_s"] > 0


def test_settings_persist_between_runs(qtbot, tmp_path, monkeypatch):
    from juvmap.i18n import get_language, set_language
    from juvmap.ui import app as app_module
    from juvmap.ui.main_window import MainWindow
    from juvmap.ui.settings import app_settings

    monkeypatch.setenv("JUVMAP_CONFIG", str(tmp_path))
    monkeypatch.delenv("JUVMAP_LANG", raising=False)
    before = get_language()
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(640, 470)  # the offscreen screen is 800 x 600
    first.add_recent("/data/a.csv")
    first.add_recent("/data/b.csv")
    set_language("kk")
    first.close()
    set_language("en")
    app_module._restore_language(smoke_test=False)
    try:
        assert get_language() == "kk"
        assert app_settings().value("recent_files", [], type=list) == ["/data/b.csv", "/data/a.csv"]
        second = MainWindow()
        qtbot.addWidget(second)
        assert second.size().width() == 640
        assert [a.text() for a in second.recent_menu.actions()] == ["/data/b.csv", "/data/a.csv"]
    finally:
        set_language(before)


def test_qt_own_dialogs_follow_the_language(qapp):
    from PySide6.QtCore import QCoreApplication

    from juvmap.ui.translators import install_qt_translator

    try:
        assert install_qt_translator("ru")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"
        assert install_qt_translator("kk")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") not in ("Cancel", "")
    finally:
        install_qt_translator("en")
