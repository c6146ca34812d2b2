"""A classified polygon layer (the rate choropleth) for a folium map."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np

from juvmap.mapping.elements import LegendEntry, LegendSpec
from juvmap.mapping.palettes import NO_DATA_COLOUR, sequential


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
    """

    polygons: gpd.GeoDataFrame
    classes: np.ndarray
    colours: tuple[str, ...]
    legend: LegendSpec
    name: str


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


def add_choropleth(fmap: folium.Map, layer: ChoroplethLayer) -> folium.GeoJson:
    """Add ``layer`` to ``fmap`` as a GeoJSON layer with tooltips; return the folium layer."""
    gdf = layer.polygons[["code", "tooltip", "geometry"]].copy()
    gdf["fill"] = [
        layer.colours[c] if 0 <= c < len(layer.colours) else NO_DATA_COLOUR for c in layer.classes
    ]
    geo = folium.GeoJson(
        gdf,
        name=layer.name,
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#444444",
            "weight": 1,
            "fillOpacity": 0.85,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        smooth_factor=0.5,
    )
    geo.add_to(fmap)
    return geo
