"""The Space-time dock on a real session: funnel of the shown areas linked to the selection,
evaluation, emerging hot spots and near repeats run in the one worker and fill their tables."""

from __future__ import annotations

import pytest

from juvmap import i18n

pytestmark = pytest.mark.qt


@pytest.fixture(scope="module")
def district_result(demo):
    """Districts in 2023: some areas have 1–4 incidents and are hidden."""
    from juvmap.analysis import Sources, analyse
    from juvmap.state import AppState

    state = AppState(mode="incidents", level="districts", period=(2023, 2023))
    return analyse(state.request(), Sources(incidents=demo))


@pytest.fixture
def dock(qtbot, demo):
    from juvmap.state import AppState
    from juvmap.ui.docks.spacetime import SpacetimeDock
    from juvmap.ui.session import Session
    from juvmap.ui.worker import TaskRunner

    i18n.set_language("en")
    runner = TaskRunner()
    session = Session(runner, AppState(mode="incidents", level="districts"))
    session.incidents = demo  # no map is drawn: the dock is tested alone
    failures: list[str] = []
    session.failed.connect(failures.append)
    widget = SpacetimeDock(session)
    widget.failures = failures
    qtbot.addWidget(widget)
    widget.resize(760, 560)
    widget.show()
    yield widget
    runner.cancel_all()
    runner.wait(10_000)


def test_funnel_draws_the_shown_areas_and_follows_the_selection_both_ways(dock, qtbot, district_result):
    from PySide6.QtCore import QPoint, Qt

    areas = district_result.areas
    hidden = set(areas.loc[areas["suppressed"], "code"])
    assert hidden  # the test needs hidden rows
    dock.session.result = district_result
    dock.session.resultReady.emit(district_result)
    dock.tabs.setCurrentIndex(0)
    dock.funnel.plot.repaint()
    drawn = {code for code, _point in dock.funnel.plot._screen}
    shown = set(areas.loc[~areas["suppressed"] & (areas["population"] > 0), "code"])
    assert drawn == shown and not drawn & hidden
    points = dock.funnel.plot._points
    rates = areas.set_index("code").loc[points.index, "rate"]
    assert (points["rate"] - rates).abs().max() < 1e-9  # the map's rates, not new ones
    code = sorted(drawn)[3]
    dock.state.selected = code
    assert dock.funnel.plot._selected == code
    target = dict(dock.funnel.plot._screen)[sorted(drawn)[0]]
    clicked = []
    dock.regionClicked.connect(clicked.append)
    qtbot.mouseClick(dock.funnel.plot, Qt.MouseButton.LeftButton, pos=QPoint(round(target.x()), round(target.y())))
    assert clicked and dock.state.selected == clicked[0] == dock.funnel.plot._selected


def test_evaluation_runs_in_the_worker_and_shows_a_verdict(dock, qtbot, district_result):
    dock.session.result = district_result
    dock.session.resultReady.emit(district_result)
    panel = dock.evaluation
    codes = district_result.areas["code"].tolist()
    panel.choose("treated", codes[:10])
    panel.choose("control", codes[10:30])
    panel.set_periods((2019, 2021), (2022, 2023))
    panel.run()
    assert not panel.run_button.isEnabled()  # handed to the worker, the GUI thread goes on
    qtbot.waitUntil(lambda: panel.run_button.isEnabled(), timeout=30_000)
    assert dock.failures == [] and "control area" in panel.verdict.text()
    assert panel.figures.rowCount() >= 5
    i18n.set_language("ru")
    try:
        dock.retranslate()
        assert "контрольн" in panel.verdict.text() and dock.tabs.tabText(1) == "Оценка"
    finally:
        i18n.set_language("en")


def test_emerging_fills_a_sortable_table_and_exports_a_geopackage(dock, qtbot, tmp_path):
    import pyogrio

    tab = dock.emerging
    tab.level.setCurrentIndex(tab.level.findData("regions"))
    tab.step.setCurrentIndex(tab.step.findData("quarter"))
    tab.run()
    assert tab.table.rowCount() == 0
    qtbot.waitUntil(lambda: tab.table.rowCount() == 20, timeout=30_000)
    assert tab.found.counts.shape[1] == 20  # 2019–2023 in quarters
    tab.table.sortItems(2, order=__import__("PySide6.QtCore").QtCore.Qt.SortOrder.DescendingOrder)
    hot = [int(tab.table.item(r, 2).text()) for r in range(20)]
    assert hot == sorted(hot, reverse=True)
    tab.export(str(tmp_path / "emerging.gpkg"))
    qtbot.waitUntil(lambda: (tmp_path / "emerging.gpkg").exists() and "emerging.gpkg" in tab.note.text(),
                    timeout=30_000)
    layer = pyogrio.read_dataframe(tmp_path / "emerging.gpkg")
    assert len(layer) == 20 and {"category", "category_label", "trend_z"} <= set(layer.columns)
    assert dock.failures == []


def test_near_repeat_runs_with_progress_and_can_be_cancelled(dock, qtbot):
    tab = dock.nearrepeat
    tab.permutations.setValue(999)
    tab.run()
    assert tab.cancel_button.isEnabled()
    tab.cancel()
    dock.session.runner.wait(30_000)
    qtbot.wait(50)
    assert tab.table.rowCount() == 0 and tab.run_button.isEnabled() and dock.failures == []
    from juvmap.stats.filters import IncidentFilter

    dock.state.filter = IncidentFilter(years=(2023, 2023), age=(16, 17))  # the user's filter, all years
    kept = int(IncidentFilter(age=(16, 17)).mask(dock.session.incidents).sum())
    tab.permutations.setValue(19)
    tab.distance.setText("0,500,1000")
    tab.days.setText("0,7,14")
    tab.run()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 9, timeout=30_000)
    assert tab.progress.value() == 1000 and tab.table_data.attrs["permutations"] == 19
    assert tab.table_data.attrs["n"] == kept < len(dock.session.incidents)
    assert tab.table.item(0, 1).text() == "0–6"
    tab.distance.setText("200,100")
    tab.run()
    assert dock.failures and "200,100" in dock.failures[-1]


def test_the_window_has_the_dock_hidden_and_a_view_action(qtbot):
    from juvmap.ui.main_window import MainWindow

    i18n.set_language("en")
    win = MainWindow()
    qtbot.addWidget(win)
    action = win.spacetime_dock.toggleViewAction()
    assert action in win.view_menu.actions() and not win.spacetime_dock.isVisible()
    assert action.text() == "Space-time"
    win.set_language("kk")
    try:
        assert win.spacetime_dock.windowTitle() != "Space-time"
        assert win.spacetime_dock.tabs.tabText(3) != "Near repeat"
    finally:
        win.set_language("en")
    win.runner.cancel_all()
    win.runner.wait(10_000)
