"""The desktop application on built-in data, as a user drives it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.qt

MAP_TIMEOUT = 90_000


def js(view, qtbot, code: str):
    box = {}
    view.page().runJavaScript(code, 0, lambda v: box.setdefault("v", v))
    qtbot.waitUntil(lambda: "v" in box, timeout=10_000)
    return box["v"]


def wait_for(signal, action, timeout_ms: int = MAP_TIMEOUT) -> None:
    """Run ``action`` and wait for ``signal`` (module fixtures cannot use qtbot)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, fired = QEventLoop(), []
    signal.connect(lambda *a: (fired.append(a), loop.quit()))
    action()
    if not fired:
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
    assert fired, "timed out"


@pytest.fixture(scope="module")
def window(qapp):
    from juvmap.i18n import get_language, set_language
    from juvmap.ui.main_window import MainWindow

    before = get_language()
    set_language("en")
    win = MainWindow()
    win.show_load_reports = False
    win.show()
    wait_for(win.map_view.mapReady, win.show_start_map)
    wait_for(win.map_view.mapReady, lambda: win.set_mode("incidents"))
    yield win
    win.runner.cancel_all()
    win.runner.wait(10_000)
    win.close()
    set_language(before)


def test_map_on_built_in_data_with_zero_blocked_requests(window, qtbot):
    from juvmap.ui import web

    assert web.guard().blocked == []
    assert window.map_view.console_errors == []
    n = js(window.map_view, qtbot, "Object.keys(window.juvmapRegions || {}).length")
    assert n == 20
    assert js(window.map_view, qtbot, "!!document.getElementById('jm-synthetic')")  # synthetic badge


def test_clicking_a_region_fills_the_region_dock(window, qtbot):
    from juvmap.ui.map_bridge import click_region

    with qtbot.waitSignal(window.session.profileReady, timeout=MAP_TIMEOUT):
        click_region(window.map_view, "KZ-75")
    assert window.region_panel.region_name == "Almaty City"
    assert window.region_panel.table.rowCount() > 5
    assert not window.region_panel.trend.is_empty


def test_a_filter_change_redraws_in_place_keeping_selection_and_zoom(window, qtbot):
    from juvmap.ui.map_bridge import click_region

    view = window.map_view
    with qtbot.waitSignal(window.session.profileReady, timeout=MAP_TIMEOUT):
        click_region(view, "KZ-47")
    qtbot.wait(800)  # the zoom to the region is animated
    js(view, qtbot, "window.juvmapMap.setZoom(4, {animate: false}); true")
    js(view, qtbot, "window.jmSamePage = true")
    legend = "document.getElementById('jm-legend-choropleth').textContent"
    before = js(view, qtbot, legend)
    with qtbot.waitSignal(view.mapReady, timeout=MAP_TIMEOUT):
        window.filters_panel.sex.setCurrentIndex(2)  # girls only
    assert js(view, qtbot, "window.jmSamePage") is True and not view.loaded_afresh
    qtbot.wait(800)  # time for any (animated) zoom
    assert js(view, qtbot, legend) != before  # other counts, other classes
    assert js(view, qtbot, "window.juvmapMap.getZoom()") == 4  # not zoomed back to the region
    assert js(view, qtbot, "window.juvmapRegions['KZ-47'].options.color") == "#00b7ff"  # still selected
    with qtbot.waitSignal(view.mapReady, timeout=MAP_TIMEOUT):
        window.filters_panel.reset()


def test_changing_a_filter_changes_the_counts(window, qtbot):
    panel = window.filters_panel
    before = panel.count_label.text()
    n_before = window.session.matching()[0]
    with qtbot.waitSignal(window.state.events.filter, timeout=5_000):
        panel.sex.setCurrentIndex(2)  # girls only
    n_after = window.session.matching()[0]
    assert 0 < n_after < n_before
    assert panel.count_label.text() != before
    with qtbot.waitSignal(window.state.events.filter, timeout=5_000):
        panel.reset()
    assert window.session.matching()[0] == n_before


def test_switching_language_changes_menu_and_legend(window, qtbot):
    with qtbot.waitSignal(window.map_view.mapReady, timeout=MAP_TIMEOUT):
        window.set_language("ru")
    assert window.file_menu.title() == "&Файл"
    legend = js(window.map_view, qtbot, "Array.from(document.querySelectorAll('.jm-legend'))"
                                        ".map(e => e.innerText).join(' ')")
    assert "оценка" in legend
    with qtbot.waitSignal(window.map_view.mapReady, timeout=MAP_TIMEOUT):
        window.set_language("en")
    assert window.file_menu.title() == "&File"


def test_corrupt_file_shows_an_error_and_keeps_the_data(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kw: shown.append(args[2]))
    before = window.session.incidents
    bad = tmp_path / "broken.gpkg"
    bad.write_bytes(b"\x00\x01 not a geopackage" * 50)
    window.open_data(str(bad))  # the preview fails: a message, no dialog
    assert shown and "broken.gpkg" in shown[-1]
    with qtbot.waitSignal(window.session.failed, timeout=30_000):
        window.session.open_incidents(str(bad))  # the background load fails too
    assert window.session.incidents is before


def test_presentation_mode_toggles(window, qtbot):
    docks = (window.layers_dock, window.filters_dock, window.analysis_dock, window.region_dock)
    before = [dock.isVisible() for dock in docks]
    assert any(before)
    window.presentation.toggle()
    assert window.presentation.active and window.isFullScreen()
    assert not any(dock.isVisible() for dock in docks) and not window.menuBar().isVisible()
    window.presentation.toggle()
    assert not window.presentation.active and window.menuBar().isVisible()
    assert [dock.isVisible() for dock in docks] == before


def test_year_player_shows_each_year(window, qtbot):
    player = window.presentation
    player.enter()
    player.timer.setInterval(200)
    player.play(True)
    qtbot.waitUntil(lambda: player.current_year is not None, timeout=MAP_TIMEOUT)
    seen = set()
    qtbot.waitUntil(lambda: seen.add(player.current_year) or len(seen) >= 3, timeout=20_000)
    player.playing = False  # hold the frame on screen
    player.timer.stop()
    front = player.current_view
    assert front.ready  # the class never sees a half-loaded map: views swap once drawn
    code = "(document.getElementById('jm-year') || {}).textContent || ''"
    qtbot.waitUntil(lambda: js(front, qtbot, code) != "", timeout=20_000)
    year = js(front, qtbot, code)
    assert year.isdigit() and 2019 <= int(year) <= 2023  # the year in large type on the map
    player.leave()
    assert not player.timer.isActive()


def test_project_saved_and_reopened_restores_the_state_and_the_region(window, qtbot, tmp_path):
    from juvmap.stats.filters import IncidentFilter

    flt = IncidentFilter(places=("school", "street"), hours=(14, 19))
    window.state.update(filter=flt, period=(2021, 2023), k=4, selected="KZ-75")
    path = tmp_path / "work.juvmap"
    window.save_project(str(path))
    window.state.update(filter=IncidentFilter(), period=(2023, 2023), k=5, selected=None)
    window.region_panel.clear()
    with qtbot.waitSignal(window.session.profileReady, timeout=MAP_TIMEOUT):
        window.open_project(str(path))
    assert window.state.filter == flt and window.state.period == (2021, 2023) and window.state.k == 4
    shown = window.filters_panel.current_filter()
    assert set(shown.places) == {"school", "street"} and shown.hours == (14, 19)
    assert (window.filters_panel.year_first.value(), window.filters_panel.year_last.value()) == (2021, 2023)
    assert window.analysis_panel.spin_k.value() == 4
    qtbot.waitUntil(lambda: window.region_panel.region_name == "Almaty City", timeout=MAP_TIMEOUT)
    window.state.update(filter=IncidentFilter(), period=(2023, 2023), k=5)


def test_print_to_pdf_gives_one_page_with_title_and_legend(window, qtbot, tmp_path):
    out = tmp_path / "map.pdf"
    done = []
    window.exports.export_map_to(str(out), "A4", "landscape", on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=MAP_TIMEOUT)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info), info
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Juvenile" in text  # title
    assert "estimate" in text  # legend note on the denominator
    assert "SYNTHETIC" in text


def test_geopackage_export_opens_with_the_right_crs(window, qtbot, tmp_path):
    import pyogrio

    out = tmp_path / "rates.gpkg"
    done = []
    window.exports.export_table_to(str(out), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=MAP_TIMEOUT)
    info = pyogrio.read_info(out)
    assert info["crs"] == "EPSG:4326" and info["features"] == 20
    assert {"rate", "eb_rate", "lisa_quadrant", "gi_z"} <= set(info["fields"])


def test_a_loaded_point_file_drives_the_map_without_shapely_points(window, qtbot, tmp_path):
    import pandas as pd
    import rasterio

    from juvmap.io.demo import DEMO_CSV
    from juvmap.paths import data_path
    from juvmap.stats.kde import suggest_radius

    window.analysis_panel.set_suggested_radius(None)
    with qtbot.waitSignals([window.session.dataChanged, window.map_view.mapReady], timeout=MAP_TIMEOUT):
        window.session.open_incidents(str(data_path(DEMO_CSV)))
    data = window.session.incidents
    assert type(data) is pd.DataFrame and len(data) == 10291 and data.attrs["synthetic"]
    assert window.analysis_panel._suggested == pytest.approx(suggest_radius(data))
    assert window.map_view.console_errors == []
    out, done = tmp_path / "density.tif", []
    window.exports.export_geotiff_to(str(out), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=MAP_TIMEOUT)
    with rasterio.open(out) as src:
        assert src.read(1).max() > 0
    with qtbot.waitSignal(window.map_view.mapReady, timeout=MAP_TIMEOUT):
        window.session.load_builtin()


def test_a_file_without_a_filtered_column_resets_that_filter_and_shows_its_data(window, qtbot, tmp_path,
                                                                                 monkeypatch):
    """Issue 15: the filter used a column the new file lacks; the user is told, and the map, the
    counts and the Region dock are the new file's."""
    from PySide6.QtWidgets import QMessageBox

    from juvmap.stats.filters import IncidentFilter

    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kw: told.append(args[2]))
    window.state.filter = IncidentFilter(categories=("property", "person"))
    csv = tmp_path / "no_categories.csv"
    csv.write_text("date,latitude,longitude\n" + "".join(
        f"2023-0{1 + i % 9}-1{i % 9},43.2{i % 10},76.9{i % 7}\n" for i in range(40)), encoding="utf-8")
    with qtbot.waitSignal(window.session.resultReady, timeout=MAP_TIMEOUT,
                          check_params_cb=lambda r: r.provenance.get("file") == str(csv)) as got:
        window.session.open_incidents(str(csv))
    assert told and "category" in told[-1]
    assert window.state.filter == IncidentFilter() and len(window.session.incidents) == 40
    result = got.args[0]
    assert result.national["count"] == 40 and result.period.label() == "2023"
    assert "40 of 40" in window.status_label.text()
    with qtbot.waitSignal(window.map_view.mapReady, timeout=MAP_TIMEOUT):
        window.session.load_builtin()


def test_a_table_of_counts_by_region_in_kazakh_is_mapped(window, qtbot, tmp_path):
    """Issue 15: a per-region table (Kazakh headers, a year and a count) is loaded and mapped."""
    table = tmp_path / "counts_kk.csv"
    table.write_text("Өңір;Жыл;Қылмыстар саны\nАлматы;2023;45\nАстана;2023;30\nШымкент;2023;52\n"
                     "Қарағанды облысы;2023;61\n", encoding="utf-8")
    with qtbot.waitSignal(window.session.resultReady, timeout=MAP_TIMEOUT,
                          check_params_cb=lambda r: r.provenance.get("file") == str(table)) as got:
        window.session.open_incidents(str(table))
    result = got.args[0]
    areas = result.areas.set_index("code")
    assert areas.loc["KZ-75", "count"] == 45 and areas.loc["KZ-35", "count"] == 61
    assert areas["count"].isna().sum() == 16  # regions the table lacks are unknown, never 0
    assert result.density is None  # no points: the map has no density layer
    with qtbot.waitSignal(window.session.profileReady, timeout=MAP_TIMEOUT):
        window.session.select_region("KZ-75")
    assert window.region_panel.region_name == "Almaty City"
    with qtbot.waitSignal(window.map_view.mapReady, timeout=MAP_TIMEOUT):
        window.session.load_builtin()


def test_form_1m_workbooks_import_and_each_indicator_is_a_map(window, qtbot, shared, monkeypatch):
    """Issue 13: File → Import Form 1-M reads the workbooks in the background; the official mode
    maps the chosen indicator (a share of the juvenile offenders, with binomial intervals)."""
    from PySide6.QtWidgets import QMessageBox

    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kw: told.append(args[2]))
    books = sorted(p for p in (shared / "forms_1m" / "2022").iterdir() if p.suffix.lower() == ".xlsx")[:3]
    with qtbot.waitSignal(window.session.resultReady, timeout=MAP_TIMEOUT,
                          check_params_cb=lambda r: r.request.source == "official"):
        window.import_form1m([str(p) for p in books], period="2022")
    assert window.mode == "official" and told and "2022" in told[-1]
    assert window.indicator_action.isVisible()
    with qtbot.waitSignal(window.session.resultReady, timeout=MAP_TIMEOUT,
                          check_params_cb=lambda r: r.request.indicator == "share_pupils") as got:
        window.indicator_combo.setCurrentIndex(window.indicator_combo.findData("share_pupils"))
    result = got.args[0]
    imported = result.areas.dropna(subset=["rate"])
    assert 1 <= len(imported) <= 3 and (imported["rate"] <= 100).all()  # only the imported regions
    assert (imported["ci_low"] <= imported["rate"]).all() and result.denominator["kind"] == "share"
    window.session.official, window.session.official_files = None, []
    window.state.indicator = "juvenile_offenders_rate"
    with qtbot.waitSignal(window.map_view.mapReady, timeout=MAP_TIMEOUT):
        window.session.load_builtin()
