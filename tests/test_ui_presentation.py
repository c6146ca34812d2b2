"""Presentation mode: the year player leaves nothing on the normal map; Exit stays put."""

from __future__ import annotations

import pytest

from window_helpers import close_window, run_js, started_window

pytestmark = pytest.mark.qt


@pytest.fixture(scope="module")
def window(qapp):
    from juvmap.i18n import get_language, set_language

    before = get_language()
    win = started_window("ru", "incidents", size=(1366, 768))
    yield win
    close_window(win)
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
    assert run_js(window.map_view, qtbot, "document.getElementById('jm-year').textContent") == "2021"
    p.leave()  # Esc
    assert not p.active
    assert run_js(window.map_view, qtbot, "!!document.getElementById('jm-year')") is False
