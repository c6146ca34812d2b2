"""Coordinate reference systems used by juvmap, and small helpers to move points between them.

Densities (incidents per km²) must be computed where one square metre on the map is one square
metre on the ground, so every kernel density surface is computed in an **equal-area** projection:

``EQUAL_AREA_CRS``
    *Kazakhstan Albers Equal Area (juvmap)*: Albers conic equal-area on the WGS 84 ellipsoid,
    central meridian 67°E, latitude of origin 48°N, standard parallels 44°N and 52°N, metres,
    false easting/northing 0. Kazakhstan spans about 46.5–87.3°E and 40.6–55.4°N; the two
    standard parallels split that band in three roughly equal parts, so the scale error along
    parallels stays within about ±1 % across the country while areas are exact everywhere.
    No EPSG code describes such a projection for Kazakhstan, hence a named custom CRS
    (:data:`EQUAL_AREA_PROJ` is the same definition as a PROJ string).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyproj import CRS, Transformer
from pyproj.crs import GeographicCRS, ProjectedCRS
from pyproj.crs.coordinate_operation import AlbersEqualAreaConversion

#: Name of the equal-area CRS (kept in the WKT of every GeoTIFF we write).
EQUAL_AREA_NAME = "Kazakhstan Albers Equal Area (juvmap)"

#: The same definition as a PROJ string.
EQUAL_AREA_PROJ = (
    "+proj=aea +lat_0=48 +lon_0=67 +lat_1=44 +lat_2=52 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

#: Equal-area CRS for Kazakhstan (metres); see the module docstring.
EQUAL_AREA_CRS: CRS = ProjectedCRS(
    conversion=AlbersEqualAreaConversion(
        latitude_first_parallel=44.0,
        latitude_second_parallel=52.0,
        latitude_false_origin=48.0,
        longitude_false_origin=67.0,
    ),
    name=EQUAL_AREA_NAME,
    geodetic_crs=GeographicCRS(name="WGS 84", datum="WGS84"),
)

#: Longitude/latitude on WGS 84 (axis order lon, lat in our helpers).
WGS84: CRS = CRS.from_epsg(4326)

#: Bounding box of Kazakhstan in degrees (west, south, east, north), with a small margin.
KAZAKHSTAN_BOUNDS_LONLAT: tuple[float, float, float, float] = (46.4, 40.5, 87.4, 55.5)


def as_crs(crs: object) -> CRS:
    """Return ``crs`` (pyproj/rasterio CRS, EPSG int, WKT or PROJ string) as a pyproj ``CRS``."""
    if isinstance(crs, CRS):
        return crs
    if hasattr(crs, "to_wkt"):  # rasterio.crs.CRS
        return CRS.from_wkt(crs.to_wkt())
    return CRS.from_user_input(crs)


def is_projected(crs: object) -> bool:
    """Whether ``crs`` is a projected CRS with linear (length) axes."""
    return crs is not None and as_crs(crs).is_projected


def linear_unit_factor(crs: object) -> float:
    """Metres per unit of the first axis of the projected ``crs`` (1.0 for metres)."""
    info = as_crs(crs).axis_info
    return float(info[0].unit_conversion_factor) if info else 1.0


@lru_cache(maxsize=32)
def _transformer(src_wkt: str, dst_wkt: str) -> Transformer:
    return Transformer.from_crs(CRS.from_wkt(src_wkt), CRS.from_wkt(dst_wkt), always_xy=True)


def transformer(src: object, dst: object) -> Transformer:
    """Return a cached ``always_xy`` transformer from ``src`` to ``dst``."""
    return _transformer(as_crs(src).to_wkt(), as_crs(dst).to_wkt())


def transform_xy(
    x: np.ndarray, y: np.ndarray, src: object, dst: object
) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinate arrays from ``src`` to ``dst`` (x = easting/longitude first).

    Returns float64 arrays; the inputs are not modified. Equal CRSs return copies.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if as_crs(src) == as_crs(dst):
        return x.copy(), y.copy()
    tx, ty = transformer(src, dst).transform(x, y)
    return np.asarray(tx, dtype=np.float64), np.asarray(ty, dtype=np.float64)


def to_lonlat(x: np.ndarray, y: np.ndarray, src: object = EQUAL_AREA_CRS) -> tuple[np.ndarray, np.ndarray]:
    """Return longitude and latitude (degrees, WGS 84) of points given in ``src``."""
    return transform_xy(x, y, src, WGS84)


def kazakhstan_extent(margin: float = 0.0) -> tuple[float, float, float, float]:
    """Return the extent (xmin, ymin, xmax, ymax) of Kazakhstan in :data:`EQUAL_AREA_CRS` metres.

    Parameters
    ----------
    margin : float
        Metres added on every side.
    """
    xmin, ymin, xmax, ymax = transformer(WGS84, EQUAL_AREA_CRS).transform_bounds(
        *KAZAKHSTAN_BOUNDS_LONLAT, densify_pts=41
    )
    return (xmin - margin, ymin - margin, xmax + margin, ymax + margin)
