"""Point coordinates of an incident table, whichever of its two forms it has.

A point layer from :func:`juvmap.io.load.load_layer` is a plain DataFrame with float ``lon``
and ``lat`` columns in EPSG:4326 (NaN for a row placed only by its region): building a
million shapely points would cost more than the rest of the load. A GeoDataFrame of points in
any CRS (the demo layer, a caller's own) works as well. The analyses read coordinates through
:func:`point_xy`; :func:`to_geodataframe` builds geometry only where a file needs it.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _

#: The CRS of the ``lon``/``lat`` columns.
LONLAT_CRS = "EPSG:4326"


def _is_geoframe(frame: Any) -> bool:
    """Whether ``frame`` is a GeoDataFrame with its geometry (without importing geopandas)."""
    gpd = sys.modules.get("geopandas")
    return (gpd is not None and isinstance(frame, gpd.GeoDataFrame)
            and frame.active_geometry_name in frame.columns)


def point_crs(frame: pd.DataFrame) -> Any:
    """The CRS of the points of ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        A table with ``lon``/``lat`` columns, or with point geometry.

    Returns
    -------
    pyproj.CRS or str or None
        A GeoDataFrame's own CRS (``None`` when it has none), else ``"EPSG:4326"``.
    """
    return frame.crs if _is_geoframe(frame) else LONLAT_CRS


def point_xy(frame: pd.DataFrame, crs: Any = LONLAT_CRS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates of every point of ``frame`` and the row each comes from.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        A GeoDataFrame of points or multipoints in any CRS (its geometry is used), or a table
        with ``lon``/``lat`` columns in EPSG:4326. Not modified.
    crs : optional
        The CRS of the returned coordinates (default EPSG:4326); ``None`` keeps the frame's own
        (see :func:`point_crs`). A GeoDataFrame without a CRS is taken to be in ``crs``.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        ``x``, ``y`` (float64) and the position of each point's row in ``frame`` (int64,
        ascending). Every part of a multipoint is a point of its row; rows without a location
        (missing or empty geometry, NaN coordinates) give none; a table without coordinates
        gives empty arrays.

    Raises
    ------
    AnalysisError
        When the geometry holds lines or polygons (a layer with no points to analyse).
    """
    if _is_geoframe(frame):
        import shapely

        geoms = np.asarray(frame.geometry.array)
        kinds = shapely.get_type_id(geoms)
        if np.any((kinds != 0) & (kinds != 4) & (kinds != -1)):
            raise AnalysisError(_("The layer has no points to analyse"))
        counts = shapely.get_num_coordinates(geoms)
        xy = shapely.get_coordinates(geoms)
        x, y = xy[:, 0].copy(), xy[:, 1].copy()
        rows = np.repeat(np.arange(len(geoms), dtype=np.int64), counts)
        source = frame.crs
    elif "lon" in frame.columns and "lat" in frame.columns:
        x = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        y = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        rows = np.flatnonzero(np.isfinite(x) & np.isfinite(y)).astype(np.int64)
        if rows.size < x.size:
            x, y = x[rows], y[rows]
        else:
            x, y = x.copy(), y.copy()
        source = LONLAT_CRS
    else:
        return np.empty(0), np.empty(0), np.empty(0, dtype=np.int64)
    if crs is not None and source is not None and x.size:
        from juvmap.crs import as_crs, transform_xy

        if as_crs(source) != as_crs(crs):
            x, y = transform_xy(x, y, source, crs)
    return x, y, rows


def first_polygon(polygons: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Position of the first of ``polygons`` each point (x, y) lies in or on; -1 for none.

    Parameters
    ----------
    polygons : ndarray of shapely geometries
        In the CRS of ``x``/``y``; missing or empty ones contain nothing. They are prepared
        (a GEOS cache on the geometries; their shapes do not change).
    x, y : ndarray of float
        The points; no shapely point is built.

    Returns
    -------
    ndarray of int64
        A point on a border shared by several polygons goes to the first of them.
    """
    import shapely

    shapely.prepare(polygons)
    out = np.full(x.size, -1, dtype=np.int64)
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    todo = np.ones(x.size, dtype=bool)
    for i, (poly, (x0, y0, x1, y1)) in enumerate(zip(polygons, shapely.bounds(polygons), strict=True)):
        if not x0 <= x1:  # missing or empty geometry
            continue
        lo, hi = np.searchsorted(xs, x0, "left"), np.searchsorted(xs, x1, "right")
        band = ys[lo:hi]
        sel = lo + np.flatnonzero(todo[lo:hi] & (band >= y0) & (band <= y1))
        sel = sel[shapely.intersects_xy(poly, xs[sel], ys[sel])]
        out[order[sel]] = i
        todo[sel] = False
    return out


def has_points(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` has at least one located point (see :func:`point_xy`)."""
    if _is_geoframe(frame):
        import shapely

        geoms = np.asarray(frame.geometry.array)
        return bool((shapely.get_num_coordinates(geoms) > 0).any())
    if "lon" not in frame.columns or "lat" not in frame.columns:
        return False
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return bool((np.isfinite(lon) & np.isfinite(lat)).any())


def to_geodataframe(frame: pd.DataFrame):
    """The incidents as a GeoDataFrame of points, for writing a GeoPackage or GeoJSON.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        A table with ``lon``/``lat`` columns in EPSG:4326, or already a GeoDataFrame. Not
        modified.

    Returns
    -------
    geopandas.GeoDataFrame
        A GeoDataFrame is returned as it is. Otherwise the same columns plus a ``geometry`` of
        points in EPSG:4326, ``None`` where a row has no coordinates (placed only by its
        region); ``attrs`` (``synthetic``, ``source`` …) are kept.
    """
    import geopandas as gpd
    import shapely

    if _is_geoframe(frame):
        return frame
    geoms = np.full(len(frame), None, dtype=object)
    x, y, rows = point_xy(frame)
    geoms[rows] = shapely.points(x, y)
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=LONLAT_CRS))
    out.attrs = dict(frame.attrs)
    return out
