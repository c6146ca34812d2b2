"""Assemble a juvmap folium map and write it, with its offline assets, to a file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import folium

from juvmap.mapping.assets import install_assets, make_offline
from juvmap.mapping.choropleth import ChoroplethLayer, add_choropleth
from juvmap.mapping.elements import (
    Attribution,
    Legend,
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


def build_map(
    choropleths: Sequence[ChoroplethLayer],
    *,
    title: str,
    subtitle: str = "",
    synthetic_label: str | None = None,
    attribution: str = "",
    north_letter: str = "N",
) -> folium.Map:
    """Return a folium map with the given layers, legends, title, scale bar and north arrow.

    Parameters
    ----------
    choropleths : sequence of ChoroplethLayer
        Polygon layers, drawn in order; the legend of each is shown.
    title, subtitle : str
        Already translated.
    synthetic_label : str, optional
        When given, a badge with this text is shown (a synthetic layer is on the map).
    attribution : str
        Data credits shown in the corner (plain text).
    north_letter : str
        The letter under the north arrow in the UI language.
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
    fmap.get_root().header.add_child(
        folium.Element("<style>.leaflet-container{background:#eef2f3}</style>")
    )
    for i, layer in enumerate(choropleths):
        add_choropleth(fmap, layer)
        Legend(layer.legend, element_id=f"jm-legend-{i}").add_to(fmap)
    Title(title, subtitle).add_to(fmap)
    NorthArrow(north_letter).add_to(fmap)
    ScaleBar().add_to(fmap)
    if synthetic_label:
        SyntheticBadge(synthetic_label).add_to(fmap)
    if attribution:
        Attribution(attribution).add_to(fmap)
    fmap.fit_bounds(KAZAKHSTAN_BOUNDS)
    ReadyFlag().add_to(fmap)
    return fmap


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

    Returns
    -------
    Path
        ``path``; the page opens in a browser with the network off.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    install_assets(path.parent / ASSET_FOLDER)
    path.write_text(render_offline(fmap), encoding="utf-8")
    return path
