"""Every text of the main window fits: no elided label, button, tab or combo text and no
horizontal scroll bar in a dock, in kk, ru and en, at 1366×768 and 1600×1000."""

from __future__ import annotations

import pytest

from layout_check import clipped_texts

pytestmark = pytest.mark.qt

SIZES = [(1366, 768), (1600, 1000)]


@pytest.fixture(scope="module")
def window(qapp, profiles, demo_result):
    from juvmap.i18n import get_language, set_language
    from juvmap.ui.main_window import MainWindow

    before = get_language()
    set_language("en")
    win = MainWindow()
    win.restoreState(win.default_state) if hasattr(win, "default_state") else None
    win.show_load_reports = False
    win.session.load_builtin()  # the incident layer: every dock filled and enabled
    win.set_mode("incidents")
    win.show()
    win.profile = (profiles["KZ-35"], demo_result)
    yield win
    win.unsaved.clear()
    win.runner.cancel_all()
    win.runner.wait(10_000)
    win.close()
    set_language(before)


def _settle(qapp, qtbot, ms: int = 30) -> None:
    qapp.processEvents()
    qtbot.wait(ms)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_clipped_text_in_any_dock(window, qapp, qtbot, lang, size):
    window.set_language(lang)
    window.region_panel.show(*window.profile)  # the Region table of a clicked region
    window.resize(*size)
    _settle(qapp, qtbot)
    problems = []
    for tabbed in (window.filters_dock, window.analysis_dock):  # tabified: look at each in turn
        tabbed.raise_()
        _settle(qapp, qtbot)
        for dock in (window.layers_dock, tabbed, window.region_dock):
            problems += [f"{dock.objectName()}: {p}" for p in clipped_texts(dock)]
        problems += [f"toolbar: {p}" for p in clipped_texts(window.main_toolbar)]
    assert sorted(set(problems)) == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_map_gets_at_least_60_percent_of_the_width_at_1600(window, qapp, qtbot, lang):
    window.set_language(lang)
    window.resize(1600, 1000)
    _settle(qapp, qtbot)
    assert window.map_view.width() >= 0.6 * window.width()
