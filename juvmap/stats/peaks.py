"""Hot-spot peaks of a kernel density surface, each named after the nearest settlement."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from juvmap.crs import to_lonlat
from juvmap.stats.grid import DensityGrid

#: Languages whose settlement names we look for (columns ``name_<lang>``).
NAME_LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class Peak:
    """A local maximum of a density surface.

    Attributes
    ----------
    row, col : int
        Cell of the peak in the grid.
    x, y : float
        Cell centre in the grid's CRS.
    lon, lat : float
        Cell centre in degrees (WGS 84).
    value : float
        Surface value at the peak (in the grid's units).
    names : dict
        Name of the nearest settlement by language code (``kk``, ``ru``, ``en``; missing
        languages are left out).
    distance_km : float
        Geodesic distance from the peak to that settlement (NaN without settlements).
    region_iso : str
        ISO 3166-2 code of the settlement's region ("" if unknown).
    """

    row: int
    col: int
    x: float
    y: float
    lon: float
    lat: float
    value: float
    names: dict = field(default_factory=dict)
    distance_km: float = math.nan
    region_iso: str = ""

    def settlement(self, lang: str = "ru") -> str:
        """Name of the nearest settlement in ``lang``; Russian falls back to Kazakh, then English."""
        order = {"ru": ("ru", "kk", "en"), "kk": ("kk", "ru", "en"), "en": ("en", "ru", "kk")}
        for code in order.get(lang, (lang, "en")):
            if self.names.get(code):
                return self.names[code]
        return ""


def load_settlements():
    """Return the built-in settlements (``region_iso``, ``name_kk``, ``name_en``, ``lat``, ``lon``…).

    Uses :func:`juvmap.io.builtin.settlements` when available, else reads ``data/settlements.csv``.
    """
    try:
        from juvmap.io.builtin import settlements
    except ImportError:
        import pandas as pd

        from juvmap.paths import data_path

        return pd.read_csv(data_path("settlements.csv"), encoding="utf-8")
    return settlements()


def find_peaks(
    grid: DensityGrid,
    n: int = 10,
    threshold: float | None = None,
    footprint_radius: float | None = None,
    settlements=None,
) -> list[Peak]:
    """Return the ``n`` highest local maxima of ``grid``, highest first.

    A cell is a peak when it equals the maximum of the surface over a disc of
    ``footprint_radius`` (default: the kernel radius) around it and exceeds ``threshold``
    (default: 5 % of the highest value). Flat tops (several equal neighbouring cells) count
    once, at their cell nearest to the plateau's centre.

    Parameters
    ----------
    grid : DensityGrid
        The surface.
    n : int
        Number of peaks to return at most.
    threshold : float, optional
        Lowest value of a peak, in the grid's units.
    footprint_radius : float, optional
        Radius of the neighbourhood in the grid's CRS units.
    settlements : DataFrame, optional
        Table with ``lat``, ``lon`` and ``name_kk``/``name_ru``/``name_en`` columns; defaults to
        :func:`load_settlements`. Pass an empty table to skip naming.

    Returns
    -------
    list of Peak
    """
    from scipy import ndimage

    values = np.where(np.isfinite(grid.values), grid.values, -np.inf)
    top = float(values.max(initial=-np.inf))
    if not top > 0:
        return []
    threshold = 0.05 * top if threshold is None else float(threshold)
    cell = abs(grid.transform.a)
    radius = grid.radius if footprint_radius is None else footprint_radius
    k = max(int(round(radius / cell)), 1)
    offsets = np.arange(-k, k + 1)
    disc = offsets[:, None] ** 2 + offsets[None, :] ** 2 <= k * k
    local_max = ndimage.maximum_filter(values, footprint=disc, mode="constant", cval=-np.inf)
    candidate = (values >= local_max) & (values > threshold)
    labels, count = ndimage.label(candidate, structure=np.ones((3, 3)))
    if count == 0:
        return []
    found: list[tuple[float, int, int]] = []
    for label, box in enumerate(ndimage.find_objects(labels), start=1):
        rows, cols = np.nonzero(labels[box] == label)
        rows, cols = rows + box[0].start, cols + box[1].start
        best = int(np.argmin((rows - rows.mean()) ** 2 + (cols - cols.mean()) ** 2))
        found.append((float(values[rows[best], cols[best]]), int(rows[best]), int(cols[best])))
    found.sort(key=lambda item: -item[0])
    found = found[: max(int(n), 0)]
    return _named_peaks(grid, found, load_settlements() if settlements is None else settlements)


def _named_peaks(grid: DensityGrid, found: list[tuple[float, int, int]], settlements) -> list[Peak]:
    if not found:
        return []
    xs_all, ys_all = grid.cell_centres()
    xs = np.array([xs_all[c] for _, _, c in found])
    ys = np.array([ys_all[r] for _, r, _ in found])
    lons, lats = to_lonlat(xs, ys, grid.crs)
    table = settlements if settlements is not None and len(settlements) else None
    s_lon, s_lat = _lonlat_columns(table) if table is not None else (None, None)
    peaks = []
    for (value, row, col), x, y, lon, lat in zip(found, xs, ys, lons, lats, strict=True):
        names: dict[str, str] = {}
        distance, region = math.nan, ""
        if table is not None:
            index, distance = _nearest(s_lon, s_lat, float(lon), float(lat))
            record = table.iloc[index]
            for lang in NAME_LANGUAGES:
                name = record.get(f"name_{lang}")
                if isinstance(name, str) and name:
                    names[lang] = name
            region = str(record.get("region_iso", "") or "")
        peaks.append(
            Peak(row, col, float(x), float(y), float(lon), float(lat), value, names, distance, region)
        )
    return peaks


def _lonlat_columns(table) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of a settlements table (``lon``/``lat`` columns or point geometry)."""
    if "lon" in table.columns and "lat" in table.columns:
        lon = np.asarray(table["lon"], dtype=np.float64)
        lat = np.asarray(table["lat"], dtype=np.float64)
        return lon, lat
    geometry = table.geometry
    if geometry.crs is not None and not geometry.crs.is_geographic:
        geometry = geometry.to_crs(4326)
    return np.asarray(geometry.x, dtype=np.float64), np.asarray(geometry.y, dtype=np.float64)


def _nearest(s_lon: np.ndarray, s_lat: np.ndarray, lon: float, lat: float) -> tuple[int, float]:
    """Position and geodesic distance in km of the settlement nearest to (lon, lat)."""
    from pyproj import Geod

    _az1, _az2, metres = Geod(ellps="WGS84").inv(
        np.full(s_lon.shape, lon), np.full(s_lat.shape, lat), s_lon, s_lat
    )
    metres = np.where(np.isfinite(metres), metres, np.inf)
    index = int(np.argmin(metres))
    return index, float(metres[index]) / 1000.0
