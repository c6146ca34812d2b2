"""The frame of a map page: one legend panel beside the territory, badge clear of it,
scale bar and credits in the map's language, a compact title."""

from __future__ import annotations

import pytest

from window_helpers import run_js

pytestmark = pytest.mark.qt

ALL = ("choropleth", "hotspots", "kde", "incidents")


@pytest.fixture(scope="module")
def russian_page(draw):
    from juvmap.i18n import using_language
    from juvmap.io.demo import load_demo_incidents
    from juvmap.mapping.live import write_page
    from juvmap.ui import web

    with using_language("ru"):
        fmap = draw(load_demo_incidents(), ALL, language="ru", peaks=5)
        return write_page(fmap, web.web_root() / "maps" / "frame-ru.html")


_RECTS = """JSON.stringify((function(){
  function r(el){ var b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; }
  var land = null;
  Object.values(window.juvmapRegions).forEach(function(p){
    var b = r(p.getElement());
    land = land ? [Math.min(land[0], b[0]), Math.min(land[1], b[1]), Math.max(land[2], b[2]),
                   Math.max(land[3], b[3])] : b;
  });
  return {panel: r(document.getElementById('jm-legends')), land: land,
          badge: r(document.getElementById('jm-synthetic')), title: r(document.getElementById('jm-title')),
          legends: document.querySelectorAll('.jm-legend').length,
          inPanel: document.querySelectorAll('#jm-legends .jm-legend').length,
          scale: document.querySelector('.leaflet-control-scale-line').textContent,
          credit: document.querySelector('.leaflet-control-attribution').textContent};
})())"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", [(900, 620), (1000, 860)])
def test_legends_in_one_panel_beside_the_territory_in_russian(russian_page, qtbot, size):
    import json

    from juvmap.ui.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    with qtbot.waitSignal(view.mapReady, timeout=60_000):
        view.show_map_file(russian_page)
    qtbot.wait(300)
    frame = json.loads(run_js(view, qtbot, _RECTS))
    assert frame["legends"] >= 3 and frame["inPanel"] == frame["legends"]  # one panel holds them all
    assert not _overlap(frame["panel"], frame["land"])  # the country is fitted beside the panel
    assert not _overlap(frame["badge"], frame["panel"])  # the badge never covers a legend
    assert not _overlap(frame["title"], frame["land"])
    assert frame["title"][3] - frame["title"][1] < 60  # compact: two short lines
    assert frame["scale"].strip().endswith("км")
    assert "Границы" in frame["credit"] and "boundaries" not in frame["credit"]
    width = frame["land"][2] - frame["land"][0]
    assert width > 0.5 * size[0]  # and the country still fills the map
    # folding the panel frees its room; the map refits while the user has not moved it
    run_js(view, qtbot, "document.querySelector('.jm-legends-head').click(); true")
    qtbot.wait(200)
    folded = json.loads(run_js(view, qtbot, _RECTS))
    assert folded["panel"][3] - folded["panel"][1] < 40
    assert view.console_errors == []
