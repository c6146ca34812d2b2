"""The natural context of a map of Kazakhstan and the labels of its areas.

* :func:`context_features` — neighbouring countries (land), the water around (the Caspian,
  the Aral) and Kazakhstan itself as land, from the built-in ``context`` layer (Natural Earth).
* :func:`area_labels` — label rows of regions, districts or countries in a language, placed
  at each area's pole of inaccessibility; the page hides those that would overlap
  (:mod:`juvmap.mapping.basemap`).
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import numpy as np
import shapely

from juvmap.errors import DataLoadError
from juvmap.i18n import get_language

#: (fill, fill opacity, line) of the context layer: neighbouring countries, water, Kazakhstan
CONTEXT_STYLE = {
    "landmass": {"stroke": False, "fillColor": "#ecebe6", "fillOpacity": 1},
    "land": {"stroke": True, "color": "#b9b5ab", "weight": 0.6, "fillColor": "#ecebe6", "fillOpacity": 1},
    "water": {"stroke": False, "fillColor": "#cfe0ec", "fillOpacity": 1},
    "country": {"stroke": False, "fillColor": "#fbfbf8", "fillOpacity": 1},
}
#: (west, south, east, north) frame in which the neighbouring countries' labels are placed
_LABEL_FRAME = (44.0, 38.5, 90.0, 56.5)
#: zoom from which the labels of each kind show: regions, districts, neighbouring countries
LABEL_MIN_ZOOM = (0, 7, 0)


def label_text(name: str) -> str:
    """An area name as label HTML: escaped, long names broken before their last word."""
    words = str(name).split()
    if len(name) > 14 and len(words) > 1:
        return escape(" ".join(words[:-1])) + "<br>" + escape(words[-1])
    return escape(str(name))


def label_point(geom) -> tuple[float, float]:
    """Where an area's label goes: the pole of inaccessibility of its largest part (lon, lat)."""
    from shapely.ops import polylabel

    part = max(shapely.get_parts(geom), key=shapely.area)
    point = polylabel(part, tolerance=max(0.005, np.sqrt(part.area) / 200))
    return float(point.x), float(point.y)


def _name_column(frame: gpd.GeoDataFrame, lang: str) -> str | None:
    for column in (f"name_{lang}", "name_en", "name"):
        if column in frame.columns:
            return column
    return None


_LABELS: dict[tuple, list[list]] = {}


def area_labels(areas: gpd.GeoDataFrame, lang: str, kind: int) -> list[list]:
    """Label rows ``[lat, lon, html, kind, min_zoom]`` of ``areas``, largest area first.

    ``kind``: 0 regions, 1 districts, 2 neighbouring countries (see :data:`LABEL_MIN_ZOOM`).
    Areas without a name in ``lang`` (or English) are not labelled.
    """
    import hashlib

    column = _name_column(areas, lang)
    if column is None or areas.empty:
        return []
    geoms = areas.geometry.to_numpy()
    digest = hashlib.sha1(b"".join(shapely.to_wkb(geoms)))
    digest.update("\0".join(areas[column].astype(str)).encode())
    key = (digest.hexdigest(), kind)
    if key in _LABELS:  # a map is rebuilt often with the same areas
        return _LABELS[key]
    order = np.argsort(-shapely.area(geoms), kind="stable")
    rows = []
    for i in order:
        name = str(areas[column].iloc[i] or "")
        if name and not geoms[i].is_empty:
            lon, lat = label_point(geoms[i])
            rows.append([round(lat, 4), round(lon, 4), label_text(name), kind, LABEL_MIN_ZOOM[kind]])
    if len(_LABELS) >= 16:
        _LABELS.pop(next(iter(_LABELS)))
    _LABELS[key] = rows
    return rows


def context_features(outline) -> tuple[gpd.GeoDataFrame | None, list[list]]:
    """The context features and the neighbouring countries' labels.

    Returns
    -------
    (geopandas.GeoDataFrame or None, list)
        Features with ``code`` landmass / land / water / country (``outline``, drawn last)
        for :data:`CONTEXT_STYLE`, and the label rows of the neighbouring countries;
        ``(None, [])`` without the built-in context layer.
    """
    from juvmap.io.boundaries import load_context

    try:
        ctx = load_context()
    except DataLoadError:
        return None, []
    lang = get_language()
    land = ctx[ctx["kind"] == "land"]
    frame = gpd.GeoDataFrame({"code": list(ctx["kind"]) + ["country"]},
                             geometry=list(ctx.geometry) + [outline], crs="EPSG:4326")
    # neighbours' labels inside the frame a map of Kazakhstan shows (not at Russia's centre)
    near = land.assign(geometry=shapely.intersection(land.geometry.to_numpy(), shapely.box(*_LABEL_FRAME)))
    return frame, area_labels(near[~near.is_empty], lang, 2)


