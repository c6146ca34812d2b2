"""Areas of the space-time tools: area layers, the area of each incident, named areas.

Qt-free, shared by the CLI (``juvmap evaluate/emerging``) and the application's Space-time dock.

* :func:`area_layer` — the polygons of ``"regions"`` or ``"districts"``; districts come from
  ``juvmap.io.boundaries.load_districts()`` when it exists, otherwise the regions are used
  and a translated notice says so.
* :func:`area_mask` — which incidents lie in an area named by region codes, district codes
  or a polygon file (several comma-separated codes are one area).
* :func:`incident_areas` — the code of the polygon each incident lies in.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _

__all__ = ["area_layer", "area_mask", "incident_areas"]


def _code_column(polygons) -> str:
    for name in ("code", "kato", "iso_3166_2"):
        if name in polygons.columns:
            return name
    return polygons.columns[0]


def area_layer(level: str):
    """Polygons of ``level`` with a ``code`` column; return (polygons, level used, notice)."""
    from juvmap.io import boundaries

    if level == "districts":
        loader = getattr(boundaries, "load_districts", None)
        if loader is not None:
            polygons = loader()
            return polygons.assign(code=polygons[_code_column(polygons)].astype(str)), "districts", ""
        notice = _("District boundaries are not available in this version; the regions are "
                   "used instead.")
        return boundaries.load_regions("full"), "regions", notice
    if level != "regions":
        raise AnalysisError(_("Unknown level of areas: {level}").format(level=level))
    return boundaries.load_regions("full"), "regions", ""


def incident_areas(incidents: pd.DataFrame, polygons) -> np.ndarray:
    """Code of the polygon each incident lies in (``""`` outside all or without coordinates)."""
    from juvmap.io.points import first_polygon, has_points, point_xy

    codes = np.full(len(incidents), "", dtype=object)
    if not has_points(incidents):
        return codes
    x, y, rows = point_xy(incidents, crs=polygons.crs)
    found = first_polygon(polygons.geometry.to_numpy(), x, y)
    names = polygons["code"].astype(str).to_numpy()
    hit = found >= 0
    codes[rows[hit]] = names[found[hit]]
    return codes


def _polygon_file_mask(incidents: pd.DataFrame, path: Path) -> np.ndarray:
    import geopandas as gpd
    import shapely

    try:
        layer = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise AnalysisError(_("Cannot read the area file {name}: {error}").format(
            name=path.name, error=exc)) from exc
    if layer.crs is None:
        layer = layer.set_crs("EPSG:4326")
    area = gpd.GeoDataFrame({"code": ["area"]}, crs=layer.crs,
                            geometry=[shapely.union_all(layer.geometry.make_valid().to_numpy())])
    return incident_areas(incidents, area) == "area"


def area_mask(incidents: pd.DataFrame, spec: str) -> np.ndarray:
    """Boolean mask of the incidents inside the area ``spec``.

    ``spec`` is a polygon file, or comma-separated codes: region ISO codes (``KZ-75``)
    matched on the ``region`` column, or district codes of the district layer.

    Raises
    ------
    AnalysisError
        When a code is neither a region nor a district and no such file exists.
    """
    path = Path(spec)
    if path.suffix and path.exists():
        return _polygon_file_mask(incidents, path)
    mask = np.zeros(len(incidents), dtype=bool)
    region = incidents["region"].astype(str).to_numpy() if "region" in incidents else None
    district_codes, known = None, set()
    for code in (c.strip() for c in spec.split(",") if c.strip()):
        if code.upper().startswith("KZ-") and region is not None:
            mask |= region == code.upper()
            continue
        if district_codes is None:
            polygons, level, _notice = area_layer("districts")
            district_codes = incident_areas(incidents, polygons) if level == "districts" else np.array([])
            known = set(polygons["code"].astype(str)) if level == "districts" else set()
        if code in known:  # a district without incidents is an area too (its mask is empty)
            mask |= district_codes == code
            continue
        raise AnalysisError(_("Unknown area {code}: give region codes such as KZ-75, district "
                              "codes or a polygon file.").format(code=code))
    return mask
