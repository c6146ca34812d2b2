"""Assemble a juvmap folium map from layers and write it, with its offline assets, to a file.

A *layer* is any object with the attributes ``key`` (stable id), ``name`` (translated, for the
layer switcher), ``legend`` (a :class:`~juvmap.mapping.elements.LegendSpec` or ``None``),
``synthetic`` (bool) and a method ``add_to(fmap)`` that adds it and returns the folium layer.
Layers that need files beside the page (local tiles) also have ``write_files(asset_dir)``.

The page exposes, for the application bridge:

* ``window.juvmapMap`` — the Leaflet map; ``window.juvmapReady`` — set last;
* ``window.juvmapLayers`` — ``{key: Leaflet layer}``;
* ``window.juvmapRegions`` — ``{code: Leaflet path}`` of the first region layer;
* ``juvmapSelectRegion(code)`` — highlight a region and zoom to it;
* a click on a region calls ``window.juvmapOnRegionClick(code)`` when that is defined;
* ``juvmapReplaceLayer(key, layer)``, ``juvmapSetLegend(key, html)``, ``juvmapSetTitle(title,
  subtitle)`` and ``juvmapFinishUpdate()`` — change a shown map in place
  (see :mod:`juvmap.mapping.live`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import folium
import numpy as np
import shapely
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from jinja2 import Template

from juvmap.i18n import _
from juvmap.mapping.assets import install_assets, make_offline
from juvmap.mapping.elements import (
    BOTTOM_BAND_PX,
    Attribution,
    LegendPanel,
    LegendSpec,
    NorthArrow,
    ReadyFlag,
    ScaleBar,
    SyntheticBadge,
    Title,
)

ASSET_FOLDER = "juvmap_assets"
_REMOTE = re.compile(r"https?://", re.IGNORECASE)

#: Kazakhstan's extent, [[south, west], [north, east]]
KAZAKHSTAN_BOUNDS = [[40.5, 46.4], [55.5, 87.4]]

#: Map panes (name -> z-index): Leaflet's tiles are at 200, vectors at 400, markers at 600.
PANES = {"jm-background": 210, "jm-density": 450, "jm-lines": 460, "jm-places": 470}


class MapLayer(Protocol):
    """What :func:`build_map` needs of a layer (see the module docstring)."""

    key: str
    name: str
    legend: LegendSpec | None
    synthetic: bool

    def add_to(self, fmap: folium.Map): ...


def js_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


class RawElement(Element):
    """Text written into the page as it is: large data never goes through Jinja's lexer."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs) -> str:
        """Return the text unchanged."""
        return self.text


class ScriptLayer(folium.map.Layer):
    """A Leaflet layer made by JavaScript built in Python (fast for large data).

    Parameters
    ----------
    name : str
        Name in the layer switcher.
    script : callable
        ``script(var_name, map_name) -> str``: JavaScript that defines ``var <var_name>``.
    show, overlay, control : bool
        As for folium layers.
    header : str
        HTML added to the page's head (e.g. a ``<style>``).
    """

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    def __init__(self, name: str, script: Callable[[str, str], str], *, show: bool = True,
                 overlay: bool = True, control: bool = True, header: str = ""):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "ScriptLayer"
        self.script = script
        self.header = header

    def render(self, **kwargs) -> None:
        """Add the assets, the script and (when shown) the ``addTo`` call to the page."""
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        if self.header:
            figure.header.add_child(RawElement(self.header), name=self.get_name())
        var, parent = self.get_name(), self._parent.get_name()
        figure.script.add_child(RawElement(self.script(var, parent)), name=var)
        if self.show:
            figure.script.add_child(RawElement(f"{var}.addTo({parent});"), name=var + "_add")
        for child in self._children.values():
            child.render(**kwargs)


class _SharedData(MacroElement):
    """``var <name> = <JSON>;`` once in the page, before the layers that use it."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "SharedData"
        self.text = text

    def render(self, **kwargs) -> None:
        self.get_root().script.add_child(RawElement(f"var {self.get_name()} = {self.text};"),
                                         name=self.get_name())


def shared_geojson(fmap: folium.Map, frame) -> str:
    """Name of a page variable holding ``frame`` as GeoJSON (``code`` property when present).

    The same polygons are written only once per page, whichever layers draw them.
    """
    from juvmap.mapping.choropleth import feature_collection

    columns = ["code"] if "code" in frame.columns else []
    digest = hashlib.sha1(b"".join(shapely.to_wkb(np.asarray(frame.geometry.array))))
    if columns:
        digest.update("\x00".join(frame["code"].astype(str)).encode())
    registry = fmap.__dict__.setdefault("_juvmap_shared", {})
    key = digest.hexdigest()
    if key not in registry:
        if key not in _GEOJSON_TEXT:  # the same polygons come back at every rebuild of a map
            frame = frame.assign(code=frame["code"].astype(str)) if columns else frame
            if len(_GEOJSON_TEXT) >= 4:
                _GEOJSON_TEXT.pop(next(iter(_GEOJSON_TEXT)))
            _GEOJSON_TEXT[key] = js_json(feature_collection(frame, columns))
        element = _SharedData(_GEOJSON_TEXT[key])
        element._id = key[:16]  # the same polygons keep the same name in every page (live updates)
        element.add_to(fmap)
        registry[key] = element.get_name()
    return registry[key]


#: GeoJSON text of recently drawn polygon sets, by a digest of their geometry and codes
_GEOJSON_TEXT: dict[str, str] = {}


class Bridge(MacroElement):
    """Exposes layers and regions to the application, ties each legend to its layer, and
    lets the application change the layers, legends and title of the shown map in place."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(){
  var map = {{ this._parent.get_name() }};
  var layers = { {% for key, var in this.layers %}{{ key|tojson }}: {{ var }}{{ "," if not loop.last }}{% endfor %} };
  var legends = {{ this.legends|tojson }};
  var regionKeys = {{ this.region_keys|tojson }};
  window.juvmapLayers = layers;
  function control(){
    {% if this.control %}return typeof {{ this.control }} === 'undefined' ? null : {{ this.control }};
    {% else %}return null;{% endif %}
  }
  function syncLegends(){
    Object.keys(legends).forEach(function(key){
      var el = document.getElementById(legends[key]);
      if (el) { el.style.display = map.hasLayer(layers[key]) ? '' : 'none'; }
    });
  }
  map.on('overlayadd overlayremove', syncLegends);
  syncLegends();
  // Until the user moves the map, it stays fitted to the country when the view changes size
  // (a window resized, presentation mode, a map first drawn in a hidden view).
  var bounds = {{ this.bounds|tojson }}, touched = false;
  ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function(type){
    map.getContainer().addEventListener(type, function(){ touched = true; }, true);
  });
  function padding(){  // the territory beside the legend panel and below the title, never under them
    var size = map.getSize();
    var panel = document.getElementById('jm-legends'), title = document.getElementById('jm-title');
    var right = panel && panel.offsetWidth && panel.offsetWidth < size.x / 2 ? panel.offsetWidth + 14 : 10;
    var top = title && title.offsetHeight < size.y / 3 ? title.offsetHeight + 12 : 10;
    return {paddingTopLeft: [44, top], paddingBottomRight: [right, {{ this.bottom_band }}]};
  }
  function fit(){
    var size = map.getSize();
    if (touched || size.x <= 0 || size.y <= 0) { return; }
    map.fitBounds(bounds, L.extend({animate: false}, padding()));
  }
  map.on('resize jmlegendfold', fit);
  fit();  // not animated: Leaflet drops every other move while a zoom animation runs
  var regions = {}, parents = {}, selected = null;
  var SELECTED = {weight: 4, color: '#00b7ff'};
  function bindRegions(){
    regions = {}; parents = {};
    regionKeys.forEach(function(key){
      var group = layers[key];
      group.eachLayer(function(path){
        var code = path.feature && path.feature.properties.code;
        if (code === undefined) { return; }
        if (!(code in regions)) { regions[code] = path; parents[code] = group; }
        path.on('click', function(){
          if (typeof window.juvmapOnRegionClick === 'function') { window.juvmapOnRegionClick(code); }
        });
        path.on('mouseout', function(){ if (selected === code && regions[code] === path) { path.setStyle(SELECTED); } });
      });
    });
    window.juvmapRegions = regions;
  }
  function highlight(){
    var path = selected === null ? null : regions[selected];
    if (path) { path.setStyle(SELECTED); path.bringToFront(); }
    return path;
  }
  bindRegions();
  window.juvmapSelectRegion = function(code){
    if (selected !== null && regions[selected]) { parents[selected].resetStyle(regions[selected]); }
    selected = null;
    if (!regions[code]) { return false; }
    selected = code;
    touched = true;
    map.fitBounds(highlight().getBounds(), L.extend({maxZoom: 8}, padding()));
    return true;
  };
  window.juvmapReplaceLayer = function(key, fresh, name){
    var old = layers[key], c = control(), on = map.hasLayer(old);
    if (c) {
      old.off('add remove', c._onLayerChange, c);
      c._layers.forEach(function(entry){ if (entry.layer === old) { entry.layer = fresh; entry.name = name; } });
      fresh.on('add remove', c._onLayerChange, c);
    }
    layers[key] = fresh;
    if (on) { map.removeLayer(old); map.addLayer(fresh); } else if (c) { c._update(); }
  };
  window.juvmapSetLegend = function(key, html){
    var el = document.getElementById(legends[key]);
    if (el) { el.innerHTML = html; }
  };
  window.juvmapSetTitle = function(title, subtitle){
    var el = document.getElementById('jm-title');
    if (!el) { return; }
    el.textContent = subtitle ? title + '\\n' : title;  // as the Title element writes it
    if (subtitle) {
      var sub = document.createElement('div');
      sub.className = 'jm-subtitle';
      sub.textContent = subtitle;
      el.appendChild(sub);
    }
  };
  window.juvmapFinishUpdate = function(){
    Object.keys(layers).forEach(function(key){  // the stacking order of the first drawing
      var layer = layers[key];
      if (!map.hasLayer(layer)) { return; }
      layer = layer._featureGroup || layer;  // a marker cluster: its markers now on the map
      if (layer.bringToFront) { layer.bringToFront(); }
    });
    bindRegions();
    highlight();
    syncLegends();
    window.juvmapReady = true;
    return true;
  };
})();
{% endmacro %}
"""
    )

    def __init__(self, layers: dict[str, str], legends: dict[str, str], region_keys: list[str],
                 control: str | None, bounds: Sequence[Sequence[float]] = KAZAKHSTAN_BOUNDS):
        super().__init__()
        self._name = "Bridge"
        self.bounds = [list(b) for b in bounds]
        self.layers = list(layers.items())
        self.legends = legends
        self.region_keys = region_keys
        self.control = control
        self.bottom_band = BOTTOM_BAND_PX


class LayerCss(MacroElement):
    """Page-wide style of the map (background colour)."""

    _template = Template(
        """{% macro header(this, kwargs) %}<style>.leaflet-container{background:#eef2f3}
.leaflet-control-layers{font:12px 'DejaVu Sans',Arial,sans-serif}</style>{% endmacro %}"""
    )


def build_map(
    layers: Sequence[MapLayer],
    *,
    title: str,
    subtitle: str = "",
    synthetic_label: str | None = None,
    attribution: str = "",
    north_letter: str = "N",
    layer_control: bool = True,
    bounds: Sequence[Sequence[float]] = KAZAKHSTAN_BOUNDS,
) -> folium.Map:
    """Return a folium map with the given layers, their legends, title, scale bar and north arrow.

    Parameters
    ----------
    layers : sequence of MapLayer
        Drawn in order (later above earlier within a pane); each legend is shown while its
        layer is on.
    title, subtitle : str
        Already translated.
    synthetic_label : str, optional
        Text of the "synthetic data" badge. The badge is shown whenever a layer is synthetic
        (with a default text) or when this is given.
    attribution : str
        Data credits shown in the corner (plain text).
    north_letter : str
        The letter under the north arrow in the UI language.
    layer_control : bool
        Add the layer switcher (only when there is more than one layer).
    bounds : [[south, west], [north, east]]
        Initial view.
    """
    fmap = folium.Map(
        location=[48.0, 67.0],
        zoom_start=5,
        tiles=None,
        control_scale=False,
        min_zoom=3,
        max_zoom=13,
        zoom_snap=0.25,
    )
    fmap.options.update(min_zoom=3, max_zoom=13)  # folium gives them to a tile layer only
    LayerCss().add_to(fmap)
    for pane, z_index in PANES.items():
        folium.map.CustomPane(pane, z_index=z_index, pointer_events=False).add_to(fmap)
    elements: dict[str, Any] = {}
    for layer in layers:
        elements[layer.key] = layer.add_to(fmap)
    legends = {layer.key: f"jm-legend-{layer.key}" for layer in layers if layer.legend is not None}
    Title(title, subtitle).add_to(fmap)
    NorthArrow(north_letter).add_to(fmap)
    LegendPanel([(legends[layer.key], layer.legend) for layer in layers if layer.key in legends],
                heading=_("Legend"), fold_hint=_("Click to fold or unfold the legend")).add_to(fmap)
    ScaleBar(km=_("km"), m=_("m")).add_to(fmap)
    badge = None
    if synthetic_label or any(getattr(layer, "synthetic", False) for layer in layers):
        badge = synthetic_label or _("SYNTHETIC DATA — not real incidents")
        SyntheticBadge(badge).add_to(fmap)
    if attribution:
        Attribution(attribution).add_to(fmap)  # translated by the caller
    controllable = [layer for layer in layers if getattr(layer, "control", True)]
    control = None
    if layer_control and len(controllable) > 1:
        control = folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
    bridge = Bridge({key: element.get_name() for key, element in elements.items()}, legends,
                    [layer.key for layer in layers if getattr(layer, "regions", False)],
                    control.get_name() if control is not None else None, bounds)
    bridge.add_to(fmap)
    fmap._juvmap_layers = list(layers)  # noqa: SLF001 - read by write_map and the tests
    fmap._juvmap_elements = elements  # noqa: SLF001 - read by juvmap.mapping.live
    fmap._juvmap_frame = {  # noqa: SLF001 - everything of the page that is not a layer
        "title": title, "subtitle": subtitle, "badge": badge, "attribution": attribution,
        "north": north_letter, "control": control is not None, "bounds": bridge.bounds,
        "legends": legends, "units": [_("km"), _("m")],
    }
    ReadyFlag().add_to(fmap)
    return fmap


def map_layers(fmap: folium.Map) -> list[MapLayer]:
    """The layers :func:`build_map` put on ``fmap`` (empty for other maps)."""
    return list(getattr(fmap, "_juvmap_layers", []))


def render_offline(fmap: folium.Map, asset_prefix: str = f"{ASSET_FOLDER}/") -> str:
    """Render ``fmap`` to HTML whose every asset is local; fail on any remote URL."""
    make_offline(fmap, asset_prefix)
    html = fmap.get_root().render()
    found = _REMOTE.search(html)
    if found:
        start = max(found.start() - 60, 0)
        raise ValueError(f"remote URL left in map HTML: …{html[start:found.end() + 60]}…")
    return html


def write_map(fmap: folium.Map, path: Path) -> Path:
    """Write ``fmap`` to ``path`` with its assets in a ``juvmap_assets`` folder beside it.

    Layers with files of their own (local tiles) write them into that folder too.

    Returns
    -------
    Path
        ``path``; the page opens in a browser with the network off.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    assets = install_assets(path.parent / ASSET_FOLDER)
    for layer in map_layers(fmap):
        writer = getattr(layer, "write_files", None)
        if writer is not None:
            writer(assets)
    path.write_text(render_offline(fmap), encoding="utf-8")
    return path

