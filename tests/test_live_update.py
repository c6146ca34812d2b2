"""A shown map becomes another one of the same layout in place, and looks as if loaded afresh.

Also: every combination of layers loads in the Qt view with nothing blocked and no JS error.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from juvmap.mapping.build import build_map, map_layers
from juvmap.mapping.live import map_page, write_page
from juvmap.mapping.spec import LAYER_KINDS
from juvmap.stats.filters import IncidentFilter

ALL = ("choropleth", "hotspots", "kde", "incidents")


@pytest.fixture(scope="module")
def data(draw):
    from juvmap.i18n import get_language, set_language
    from juvmap.io.boundaries import load_regions
    from juvmap.io.demo import load_demo_incidents

    before = get_language()
    set_language("en")
    yield load_demo_incidents(), load_regions(detail="display"), draw
    set_language(before)


def _map(data, flt, **kwargs):
    incidents, regions, draw = data
    return draw(incidents, kwargs.pop("layers", ALL), filter=flt, peaks=5, **kwargs)


@pytest.fixture(scope="module")
def pages(data):
    from juvmap.ui import web

    folder = web.web_root() / "maps"
    first = write_page(_map(data, IncidentFilter(years=(2022, 2022))), folder / "live-a.html")
    second = write_page(_map(data, IncidentFilter(years=(2021, 2023), sex=("F",))), folder / "live-b.html")
    return first, second


def test_a_filter_change_keeps_the_layout_and_replaces_only_what_changed(pages):
    first, second = pages
    assert first.layout is not None and first.layout == second.layout
    script = second.update_script(first)
    for key in ("choropleth", "hotspots", "kde", "peaks", "incidents"):
        assert second.parts[f"layer:{key}"] in script
    for key in ("choropleth", "kde", "incidents"):  # other periods, other counts
        assert second.parts[f"legend:{key}"] in script
    assert second.parts["legend:peaks"] not in script  # five peaks either way
    assert second.parts["title"] in script
    for key in ("borders", "settlements"):  # unchanged: not sent again
        assert second.parts[f"layer:{key}"] not in script
    assert "juvmapFinishUpdate" in script and "http" not in script
    assert second.update_script(second).count("juvmapReplaceLayer") == 0
    assert second.update_script(None) is None


def test_other_layers_or_language_or_regions_need_a_reload(data, pages, tmp_path):
    first, _second = pages
    fewer = map_page(_map(data, None, layers=("choropleth",)), tmp_path / "c.html")
    assert fewer.update_script(first) is None
    russian = map_page(_map(data, IncidentFilter(years=(2022, 2022)), language="ru"), tmp_path / "r.html")
    assert russian.layout != first.layout
    incidents, regions, draw = data
    other = draw(incidents, ALL, filter=IncidentFilter(years=(2022, 2022)), peaks=5, areas=regions.iloc[:19])
    assert map_page(other, tmp_path / "o.html").layout != first.layout


# -- in the Qt view -----------------------------------------------------------------------------
def _js(view, qtbot, code: str):
    box = {}
    view.page().runJavaScript(code, 0, lambda v: box.setdefault("v", v))
    qtbot.waitUntil(lambda: "v" in box, timeout=10_000)
    return box["v"]


def _view(qtbot):
    from juvmap.ui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    return view


def _show(view, qtbot, target) -> None:
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        view.show_map_file(target)


def _image(view) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGBA8888)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return buffer.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].copy()


_STATE = ("JSON.stringify({legends: Array.from(document.querySelectorAll('.jm-legend')).map(e => e.textContent),"
          " title: document.getElementById('jm-title').textContent,"
          " switcher: Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
          ".map(e => e.textContent.trim()),"
          " regions: Object.keys(window.juvmapRegions).length,"
          " paths: document.querySelectorAll('path.leaflet-interactive').length,"
          " images: document.querySelectorAll('img.jm-image').length})")


@pytest.mark.qt
def test_the_view_updates_in_place_and_looks_like_a_fresh_load(pages, qtbot):
    from juvmap.ui import web

    first, second = pages
    updated, fresh = _view(qtbot), _view(qtbot)
    _show(updated, qtbot, first)
    _js(updated, qtbot, "window.jmMarker = 42; true")
    _show(updated, qtbot, second)
    assert _js(updated, qtbot, "window.jmMarker") == 42  # the page was not reloaded
    assert updated.url().toString().endswith("live-a.html")
    _show(fresh, qtbot, second.path)
    qtbot.wait(600)  # let both finish drawing
    assert _js(updated, qtbot, _STATE) == _js(fresh, qtbot, _STATE)
    a, b = _image(updated), _image(fresh)
    differs = (np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40).mean()
    assert differs < 0.0005, f"{differs:.2%} of the pixels differ from a fresh load"
    assert updated.console_errors == [] and fresh.console_errors == []
    assert web.guard().blocked == []


@pytest.mark.qt
def test_a_selected_region_stays_selected_and_clickable_after_an_update(pages, qtbot):
    first, second = pages
    view = _view(qtbot)
    _show(view, qtbot, first)
    assert _js(view, qtbot, "window.juvmapSelectRegion('KZ-75')") is True
    _show(view, qtbot, second)
    colour = "window.juvmapRegions['KZ-75'].options.color"
    assert _js(view, qtbot, colour) == "#00b7ff"
    clicked = ("var got = null; window.juvmapOnRegionClick = function(c){ got = c; };"
               " window.juvmapRegions['KZ-63'].fire('click'); got")
    assert _js(view, qtbot, clicked) == "KZ-63"


@pytest.mark.qt
def test_a_map_of_another_layout_is_loaded(data, pages, qtbot, tmp_path):
    from juvmap.ui import web

    first, _second = pages
    view = _view(qtbot)
    _show(view, qtbot, first)
    other = write_page(_map(data, None, layers=("choropleth",)), web.web_root() / "maps" / "live-c.html")
    _show(view, qtbot, other)
    assert view.url().toString().endswith("live-c.html")


@pytest.fixture(scope="module")
def every_layer(data):
    fmap = _map(data, None, layers=LAYER_KINDS)
    return {layer.key: layer for layer in map_layers(fmap)}


@pytest.mark.qt
def test_every_layer_combination_loads_in_the_view(every_layer, qtbot):
    from juvmap.ui import web

    view = _view(qtbot)
    folder = web.web_root() / "maps"
    for n in range(len(LAYER_KINDS) + 1):
        for kinds in itertools.combinations(LAYER_KINDS, n):
            chosen = [every_layer[k] for k in ("choropleth", "hotspots", "kde", "borders", "peaks",
                                               "settlements", "incidents")
                      if k in kinds or k in ("borders", "settlements") or (k == "peaks" and "hotspots" in kinds)]
            page = write_page(build_map(chosen, title="t"), folder / f"combo-{'-'.join(kinds) or 'none'}.html")
            _show(view, qtbot, page.path)
            shown = _js(view, qtbot, "Object.keys(window.juvmapLayers).filter("
                                     "k => window.juvmapMap.hasLayer(window.juvmapLayers[k])).sort().join()")
            assert shown == ",".join(sorted(layer.key for layer in chosen)), kinds
            assert view.console_errors == [], kinds
    assert web.guard().blocked == []


@pytest.mark.qt
def test_a_failed_update_falls_back_to_loading_the_file(pages, qtbot):
    from juvmap.mapping.live import MapPage

    first, second = pages
    view = _view(qtbot)
    _show(view, qtbot, first)
    broken = MapPage(second.path, second.layout, {**second.parts, "title": "throw new Error('broken');"})
    _show(view, qtbot, broken)
    assert view.url().toString().endswith("live-b.html")
    assert _js(view, qtbot, "document.getElementById('jm-title').textContent").startswith("Juvenile")


@pytest.mark.qt
def test_a_map_drawn_in_a_hidden_view_fits_the_country_once_shown(pages, qtbot):
    from juvmap.ui.map_view import MapView

    _first, second = pages
    shown = _view(qtbot)
    _show(shown, qtbot, second.path)
    hidden = MapView()
    qtbot.addWidget(hidden)
    _show(hidden, qtbot, second.path)  # drawn without a size (like the presentation's back view)
    hidden.resize(900, 600)
    hidden.show()
    zoom = "window.juvmapMap.getZoom()"
    qtbot.waitUntil(lambda: _js(hidden, qtbot, zoom) == _js(shown, qtbot, zoom), timeout=10_000)
    _js(shown, qtbot, "window.juvmapSelectRegion('KZ-75')")  # the user's own view is kept
    shown.resize(700, 500)
    qtbot.wait(500)
    assert _js(shown, qtbot, zoom) >= 6


@pytest.mark.qt
def test_a_region_selected_as_soon_as_the_map_is_ready_is_zoomed_to(pages, qtbot):
    view = _view(qtbot)
    _show(view, qtbot, pages[1].path)
    zoom = "window.juvmapMap.getZoom()"
    start = _js(view, qtbot, zoom)
    _js(view, qtbot, "window.juvmapSelectRegion('KZ-35')")  # the app does this at once after a load
    qtbot.waitUntil(lambda: _js(view, qtbot, zoom) > start + 1, timeout=5_000)
