"""Presentation mode: the year player leaves nothing on the normal map; Exit stays put."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt

MAP_TIMEOUT = 90_000


def js(view, qtbot, code: str):
    box = {}
    view.page().runJavaScript(code, 0, lambda v: box.setdefault("v", v))
    qtbot.waitUntil(lambda: "v" in box, timeout=10_000)
    return box["v"]


@pytest.fixture(scope="module")
def window(qapp):
    from PySide6.QtCore import QEventLoop, QTimer

    from juvmap.i18n import get_language, set_language
    from juvmap.ui.main_window import MainWindow

    before = get_language()
    set_language("ru")
    win = MainWindow()
    win.show_load_reports = False
    win.resize(1366, 768)
    win.show()
    loop = QEventLoop()
    win.map_view.mapReady.connect(loop.quit)
    QTimer.singleShot(0, lambda: win.set_mode("incidents"))
    QTimer.singleShot(MAP_TIMEOUT, loop.quit)
    loop.exec()
    yield win
    win.presentation.leave()
    win.unsaved.clear()
    win.runner.cancel_all()
    win.runner.wait(10_000)
    win.close()
    set_language(before)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_exit_button_does_not_move_when_play_turns_into_pause(window, qtbot, lang):
    from juvmap.i18n import set_language

    set_language(lang)
    p = window.presentation
    p.enter()
    try:
        p.retranslate()
        qtbot.wait(50)
        exit_button = p.toolbar.widgetForAction(p.exit_action)
        before = exit_button.geometry()
        p.play_action.setChecked(True)  # "Pause" now
        p.play(False)
        p.retranslate()
        p.play_action.blockSignals(True)
        p.play_action.setChecked(True)
        p.retranslate()
        p.play_action.blockSignals(False)
        qtbot.wait(50)
        assert exit_button.geometry() == before
    finally:
        p.play_action.blockSignals(True)
        p.play_action.setChecked(False)
        p.play_action.blockSignals(False)
        p.leave()
        set_language("ru")


def test_leaving_during_the_year_player_leaves_no_year_on_the_map(window, qtbot):
    p = window.presentation
    p.enter()
    p.playing = True  # a year drawn by the player, as after a frame swap (rendering all years takes long)
    p.year_label.setText("2021")
    p._draw_year(window.map_view)
    assert js(window.map_view, qtbot, "document.getElementById('jm-year').textContent") == "2021"
    p.leave()  # Esc
    assert not p.active
    assert js(window.map_view, qtbot, "!!document.getElementById('jm-year')") is False
