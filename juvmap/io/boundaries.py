"""Boundaries: the built-in regions and districts of 2024, user boundary files, point in area.

The built-in layers are ``data/boundaries.gpkg``, derived by ``data/make_boundaries.py`` from
the 2024 boundaries of geokz (CC BY 4.0, Alexander Rodionov): 224 districts and cities with
KATO codes, and the 20 regions as the unions of their districts (so every district lies
exactly in its region). Both are clean coverages (no gaps, no overlaps, shared edges noded),
at two levels of detail: ``"full"`` for point-in-polygon tests and ``"display"``, a
topology-preserving simplification (``shapely.coverage_simplify``) for maps. The ``context``
layer holds the neighbouring countries and the water around (Natural Earth, public domain).

Points are placed by :func:`assign_regions` / :func:`assign_districts`: a point outside the
country's outline by at most :data:`EDGE_TOLERANCE_KM` goes to the nearest area (coasts and
borders are digitised to a few hundred metres); farther out it is outside.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from juvmap.errors import DataLoadError
from juvmap.i18n import N_, _
from juvmap.io.area_lookup import GRID_CELL, AreaLookup
from juvmap.io.coverage import clean_coverage, polygonal, simplify_coverage
from juvmap.io.gazetteer import get_gazetteer
from juvmap.paths import cache_dir, data_path

#: attribution of the built-in boundaries (translate with ``_()`` where shown)
BOUNDARY_CREDIT = N_("Boundaries: geokz 2024, Alexander Rodionov (CC BY 4.0); "
                     "neighbouring countries: Natural Earth")
#: a point outside the country by at most this distance goes to the nearest area (km)
EDGE_TOLERANCE_KM = 2.0
#: the two area levels of the built-in layers
LEVELS = ("regions", "districts")
_VERSION = 1
_REGION_COLUMNS = ["code", "kato", "name_kk", "name_ru", "name_en", "geometry"]
_DISTRICT_COLUMNS = ["code", "kato", "region", "name_kk", "name_ru", "name_en", "geometry"]


def boundary_credit() -> str:
    """The translated attribution line of the built-in boundaries."""
    return _(BOUNDARY_CREDIT)


def source_file() -> Path:
    """Return the path of the built-in ``data/boundaries.gpkg``."""
    path = data_path("boundaries.gpkg")
    if not path.exists():
        raise DataLoadError(_("The built-in region boundaries are missing; reinstall juvmap."),
                            str(path))
    return path


@lru_cache(maxsize=8)
def _layer(name: str) -> gpd.GeoDataFrame:
    df = gpd.read_file(source_file(), layer=name)
    return df.sort_values("code").reset_index(drop=True) if "code" in df else df


def _check_detail(detail: str) -> str:
    if detail not in ("display", "full"):
        raise ValueError("detail must be 'display' or 'full'")
    return "" if detail == "full" else "_display"


def load_districts(detail: str = "display", region: str | None = None) -> gpd.GeoDataFrame:
    """Return the 224 districts and cities of the 2024 boundaries.

    Parameters
    ----------
    detail : {"display", "full"}
        See :func:`load_regions`.
    region : str, optional
        ISO code of a region (e.g. ``"KZ-19"``): only its districts.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code`` (9-digit KATO, as text), ``kato``, ``region`` (ISO code of the
        parent region), ``name_kk, name_ru, name_en``, geometry; EPSG:4326; sorted by code.
    """
    df = _layer("districts" + _check_detail(detail))[_DISTRICT_COLUMNS]
    if region is not None:
        df = df[df["region"] == region].reset_index(drop=True)
    return df.copy()


def load_areas(level: str = "regions", detail: str = "display") -> gpd.GeoDataFrame:
    """Return the built-in areas of ``level`` (``"regions"``: 20; ``"districts"``: 224).

    Both have ``code, kato, name_kk, name_ru, name_en`` and geometry in EPSG:4326; districts
    also ``region``. See :func:`load_regions` and :func:`load_districts`.
    """
    if level == "regions":
        return load_regions(detail)
    if level == "districts":
        return load_districts(detail)
    raise ValueError(f"level must be one of {LEVELS}, not {level!r}")


def load_rate_areas(detail: str = "display") -> gpd.GeoDataFrame:
    """Return the districts merged where their 2023 population is known only together.

    A district created after 1 Jan 2023 is dissolved with the unit(s) it was split from
    (see :mod:`juvmap.io.districts`); every other district is unchanged. ``code`` is the
    ``rate_unit`` of :func:`juvmap.io.districts.district_population`; ``members`` lists the
    district codes (``|``-joined); names are ``" + "``-joined.
    """
    from juvmap.io.districts import district_population

    df = load_districts(detail)
    df["rate_unit"] = district_population()["rate_unit"].reindex(df["code"]).to_numpy()
    agg = {"kato": "first", "region": "first", "code": "|".join,
           **{f"name_{lang}": " + ".join for lang in ("kk", "ru", "en")}}
    merged = df.dissolve(by="rate_unit", aggfunc=agg).rename(columns={"code": "members"})
    merged = merged.reset_index().rename(columns={"rate_unit": "code"})
    merged["kato"] = merged["code"]
    return merged[["code", "kato", "region", "members", "name_kk", "name_ru", "name_en",
                   "geometry"]].sort_values("code").reset_index(drop=True)


def load_context() -> gpd.GeoDataFrame:
    """Neighbouring countries (``kind`` "land", ``iso_a3``, ``name_kk/ru/en``) and water.

    From Natural Earth's low-resolution countries (public domain), simplified, clipped to a
    frame around Kazakhstan; the ``"water"`` feature is the frame minus all land (the
    Caspian and the Aral).
    """
    return _layer("context").copy()


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


def region_frame(codes: list[str], geoms: np.ndarray) -> gpd.GeoDataFrame:
    """Regions ``codes`` with their KATO and kk/ru/en names (gazetteer) and ``geoms``, sorted."""
    gaz = get_gazetteer()
    df = gpd.GeoDataFrame({
        "code": codes,
        "kato": [gaz.kato(c) for c in codes],
        "name_kk": [gaz.name(c, "kk") for c in codes],
        "name_ru": [gaz.name(c, "ru") for c in codes],
        "name_en": [gaz.name(c, "en") for c in codes],
    }, geometry=list(geoms), crs="EPSG:4326")
    return df.sort_values("code").reset_index(drop=True)[_REGION_COLUMNS]


def _build(df: gpd.GeoDataFrame, codes: list[str]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Return the (full, display) layers of features ``df`` matched to ``codes``."""
    gaz = get_gazetteer()
    geoms = polygonal(df.geometry.to_numpy())
    merged = pd.Series(list(geoms)).groupby(pd.Series(codes)).agg(
        lambda s: __import__("shapely").union_all(s.to_numpy()))
    keys = list(merged.index)
    priority = np.array([1 if gaz.kind(c) == "city" else 0 for c in keys])
    full = clean_coverage(np.asarray(list(merged), dtype=object), priority)
    return region_frame(keys, full), region_frame(keys, simplify_coverage(full))


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
    suffix = _check_detail(detail)
    if path is None:
        return _layer("regions" + suffix)[_REGION_COLUMNS].copy()
    path = Path(path)
    df = _read_user_file(path)
    codes = _match_codes(df)
    if codes is None:
        raise DataLoadError(_("No column of {name} names the regions of Kazakhstan for every "
                              "feature.").format(name=path.name), str(path))
    full, display = _build(df, codes)
    return full if detail == "full" else display


# -- point in area --------------------------------------------------------------------------
def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=4)
def _builtin_lookup(level: str, tolerance_km: float) -> AreaLookup:
    source = source_file()
    grid = cache_dir() / "boundaries" / (
        f"{level}-{_file_hash(source)}-v{_VERSION}-{GRID_CELL}-{tolerance_km:g}km.npz")
    return AreaLookup(load_areas(level, "full"), tolerance_km * 1000.0, grid_file=grid)


def _assign(level: str, lon, lat, areas: gpd.GeoDataFrame | None, tolerance_km: float,
            snapped: np.ndarray | None = None) -> np.ndarray:
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    if x.shape != y.shape:
        raise ValueError("lon and lat must have the same shape")
    if areas is None:
        lookup = _builtin_lookup(level, float(tolerance_km))
    else:
        areas = areas.to_crs("EPSG:4326") if areas.crs else areas
        lookup = AreaLookup(areas.sort_values("code").reset_index(drop=True), tolerance_km * 1000.0)
    return lookup.assign_codes(x.ravel(), y.ravel(), snapped).reshape(x.shape)


def assign_regions(lon, lat, regions: gpd.GeoDataFrame | None = None,
                   tolerance_km: float = EDGE_TOLERANCE_KM) -> np.ndarray:
    """Return the ISO code of the region each point lies in.

    Parameters
    ----------
    lon, lat : array_like of float
        Coordinates in degrees (EPSG:4326); NaN gives ``""``.
    regions : geopandas.GeoDataFrame, optional
        Polygons with a ``code`` column; the built-in full layer by default.
    tolerance_km : float
        A point outside every region by at most this distance goes to the nearest region
        (default :data:`EDGE_TOLERANCE_KM`); 0 for the strict test.

    Returns
    -------
    numpy.ndarray of object
        ISO codes, ``""`` where a point is outside every region beyond the tolerance. A
        point exactly on a shared boundary goes to the region that sorts first.
    """
    return _assign("regions", lon, lat, regions, tolerance_km)


def assign_districts(lon, lat, districts: gpd.GeoDataFrame | None = None,
                     tolerance_km: float = EDGE_TOLERANCE_KM) -> np.ndarray:
    """Return the district code (KATO) each point lies in; as :func:`assign_regions`.

    The district's region is ``load_districts().set_index("code")["region"]``; for the
    built-in layers it is always the region :func:`assign_regions` gives.
    """
    return _assign("districts", lon, lat, districts, tolerance_km)


def assign_areas(lon, lat, level: str = "regions", tolerance_km: float = EDGE_TOLERANCE_KM,
                 return_snapped: bool = False):
    """The code of the built-in area of ``level`` (``"regions"``/``"districts"``) of each point.

    With ``return_snapped``, also a boolean array: True where a point lay outside the
    country's outline (within the tolerance) and was given to the nearest area — for the
    load report ("placed in the nearest region, ≤ 2 km outside the border").
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    snapped = np.zeros(np.size(lon), dtype=bool)
    codes = _assign(level, lon, lat, None, tolerance_km, snapped)
    return (codes, snapped.reshape(np.shape(lon))) if return_snapped else codes
