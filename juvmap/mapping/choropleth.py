"""A classified polygon layer (rate choropleth, hot-spot classes) for a folium map."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from juvmap.mapping.elements import LegendEntry, LegendSpec
from juvmap.mapping.palettes import NO_DATA_COLOUR, sequential


#: decimals of the longitude and latitude written into a page
COORDINATE_DECIMALS = 5


@dataclass(frozen=True)
class ChoroplethLayer:
    """Polygons, their class per row and the legend that explains the classes.

    Attributes
    ----------
    polygons : geopandas.GeoDataFrame
        EPSG:4326, with columns ``code`` and ``tooltip`` (HTML text shown on hover).
    classes : numpy.ndarray
        Class index of each row (0 … k-1); -1 for no data.
    colours : tuple of str
        One colour per class, light to dark.
    legend : LegendSpec
        Title, one entry per class (with member counts) and notes (denominator, flags).
    name : str
        Layer name shown in the layer switcher.
    key : str
        Stable, language-independent id (``window.juvmapLayers[key]`` in the page).
    synthetic : bool
        The layer shows synthetic data (the map then carries the "synthetic" badge).
    regions : bool
        Its features are the map's regions: clicking one calls ``juvmapOnRegionClick(code)``.
    opacities : tuple of float, optional
        Fill opacity per class (default 0.85 for every class).
    show : bool
        Visible when the page opens.
    """

    polygons: gpd.GeoDataFrame
    classes: np.ndarray
    colours: tuple[str, ...]
    legend: LegendSpec
    name: str
    key: str = "choropleth"
    synthetic: bool = False
    regions: bool = True
    opacities: tuple[float, ...] | None = None
    show: bool = True

    def add_to(self, fmap: folium.Map) -> folium.GeoJson:
        """Add the layer to ``fmap``; return the folium layer."""
        return add_choropleth(fmap, self)


def class_legend(
    title: str,
    labels: Sequence[str],
    counts: Sequence[int],
    notes: Sequence[str] = (),
    no_data_label: str | None = None,
    no_data_count: int = 0,
    scheme: str = "YlOrRd",
) -> tuple[tuple[str, ...], LegendSpec]:
    """Return the class colours and the legend for ``len(labels)`` classes."""
    colours = tuple(sequential(len(labels), scheme))
    entries = [LegendEntry(c, lab, n) for c, lab, n in zip(colours, labels, counts, strict=True)]
    if no_data_label and no_data_count:
        entries.append(LegendEntry(NO_DATA_COLOUR, no_data_label, no_data_count))
    return colours, LegendSpec(title, tuple(entries), tuple(notes))


def feature_collection(frame: gpd.GeoDataFrame, columns: Sequence[str] = ()) -> dict:
    """GeoJSON dict of ``frame`` (EPSG:4326) with ``columns`` as properties.

    Geometries are serialised by GEOS in one call (much faster than ``__geo_interface__``), with
    coordinates rounded to :data:`COORDINATE_DECIMALS` places (about 1 m).
    """
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    rounded = shapely.transform(np.asarray(frame.geometry.array), lambda xy: np.round(xy, COORDINATE_DECIMALS))
    geometries = shapely.to_geojson(rounded)
    records = pd.DataFrame(frame[list(columns)]).to_dict("records") if columns else [{}] * len(frame)
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": json.loads(geometry)}
                     for props, geometry in zip(records, geometries, strict=True) if geometry is not None],
    }


_REGION_SCRIPT = """var %(var)s = L.geoJSON(%(data)s, {
  style: function(f){ var s = %(styles)s[f.properties.code] || %(missing)s;
    return {color: '#444444', weight: 1, fillColor: s[0], fillOpacity: s[1]}; },
  smoothFactor: 0.5,
  onEachFeature: function(f, path){
    var tip = %(tips)s[f.properties.code];
    if (tip) { path.bindTooltip(tip, {sticky: true}); }
    path.on('mouseover', function(){ path.setStyle({weight: 3, color: '#000000'}); });
    path.on('mouseout', function(){ %(var)s.resetStyle(path); });
  }
});"""


def add_choropleth(fmap: folium.Map, layer: ChoroplethLayer):
    """Add ``layer`` to ``fmap`` as a Leaflet GeoJSON layer with tooltips; return the folium layer.

    The polygons are shared with the other layers drawing the same regions (written once).
    """
    from juvmap.mapping.build import ScriptLayer, js_json, shared_geojson

    k = len(layer.colours)
    opacities = layer.opacities or (0.85,) * k
    codes = layer.polygons["code"].astype(str).to_numpy()
    styles = {code: [layer.colours[c], opacities[c]] if 0 <= c < k else [NO_DATA_COLOUR, 0.6]
              for code, c in zip(codes, layer.classes, strict=True)}
    tips = dict(zip(codes, layer.polygons["tooltip"], strict=True))
    data = shared_geojson(fmap, layer.polygons[["code", "geometry"]])

    def script(var: str, _map: str) -> str:
        return _REGION_SCRIPT % {"var": var, "data": data, "styles": js_json(styles), "tips": js_json(tips),
                                 "missing": js_json([NO_DATA_COLOUR, 0.6])}

    geo = ScriptLayer(layer.name, script, show=layer.show)
    geo.add_to(fmap)
    return geo
