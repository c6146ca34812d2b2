"""The checks of a loaded file's rows: one reason per rejected row, warnings on kept rows.

Used by :func:`juvmap.io.load.load_layer`; every check is vectorised (per distinct value or
with NumPy/pandas).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from juvmap.io.columns import (
    BOOL_FIELDS,
    FALSE_WORDS,
    FEMALE_WORDS,
    MALE_WORDS,
    TEXT_FIELDS,
    TRUE_WORDS,
    factorize_text,
    parse_articles,
    parse_choice,
    parse_dates,
    parse_ids,
    parse_numbers,
    parse_text,
    parse_times,
    strip_units,
    take_codes,
)
from juvmap.io.coords import parse_coordinates
from juvmap.io.rawtable import EXTRA_COLUMN, RawTable
from juvmap.io.report import REASONS, WARNINGS

KZ_LAT = (40.0, 56.0)
KZ_LON = (46.0, 88.0)
AGE_RANGE = (10, 17)
EARLIEST_DATE = pd.Timestamp("2000-01-01")
REASON_CODES = list(REASONS)
#: regions made in 2022, and the regions they were part of before
NEW_REGIONS = {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}


def gazetteer():
    from juvmap.io.gazetteer import get_gazetteer

    return get_gazetteer()


def _assign_regions(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    from juvmap.io.boundaries import assign_regions

    return np.asarray(assign_regions(lon, lat), dtype=object)


class Reasons:
    """One reason per row: the first one flagged wins."""

    def __init__(self, n: int) -> None:
        self.code = np.zeros(n, dtype=np.int8)

    def flag(self, mask: np.ndarray, reason: str) -> None:
        self.code[(self.code == 0) & mask] = REASON_CODES.index(reason) + 1

    @property
    def ok(self) -> np.ndarray:
        return self.code == 0


def _check_dates(frame: pd.DataFrame, fm: dict[str, str], reasons: Reasons,
                 warnings: dict[str, np.ndarray]) -> pd.Series:
    dates, bad = parse_dates(frame[fm["date"]])
    if "time" in fm:
        times, tbad = parse_times(frame[fm["time"]])
        midnight = dates == dates.astype("datetime64[D]")
        add = midnight & ~np.isnat(times) & ~np.isnat(dates)
        dates = dates.copy()
        dates[add] = dates[add] + times[add]
        warnings["bad_time"] = tbad
    reasons.flag(bad, "bad_date")
    tomorrow = np.datetime64(pd.Timestamp.now().normalize() + pd.Timedelta(days=1), "us")
    reasons.flag(~np.isnat(dates) & (dates >= tomorrow), "date_in_future")
    reasons.flag(~np.isnat(dates) & (dates < np.datetime64(EARLIEST_DATE, "us")),
                 "date_before_2000")
    warnings["no_date"] = np.isnat(dates) & ~bad
    return pd.Series(dates)


def _check_numbers(frame: pd.DataFrame, fm: dict[str, str], reasons: Reasons,
                   out: dict[str, object]) -> None:
    for name in ("age", "count", "year"):
        if name not in fm:
            continue
        vals, bad = parse_numbers(strip_units(frame[fm[name]]))
        bad |= (vals < 0) | (vals > 2**53) | ((np.round(vals) != vals) & ~np.isnan(vals))
        reasons.flag(bad, "bad_number")
        out[name] = pd.array(np.where(bad, np.nan, vals), dtype="Float64").astype("Int64")
    if "age" in fm:
        age = out["age"].to_numpy(dtype=float, na_value=np.nan)
        reasons.flag((age < AGE_RANGE[0]) | (age > AGE_RANGE[1]), "age_out_of_range")
    if "year" in fm:
        year = out["year"].to_numpy(dtype=float, na_value=np.nan)
        reasons.flag(year > pd.Timestamp.now().year, "date_in_future")
        reasons.flag(year < EARLIEST_DATE.year, "date_before_2000")


def check_fields(raw: RawTable, fm: dict[str, str], reasons: Reasons,
                 warnings: dict[str, np.ndarray]) -> dict[str, object]:
    """Parse every mapped field; flag bad values; return the parsed columns."""
    frame = raw.frame
    out: dict[str, object] = {}
    filled = frame.drop(columns=[EXTRA_COLUMN], errors="ignore").notna().to_numpy().any(axis=1)
    if raw.xy is not None:
        filled |= np.isfinite(raw.xy[0])
    elif raw.geometry is not None:
        filled |= raw.geometry.notna().to_numpy()
    reasons.flag(~filled, "empty_row")
    if EXTRA_COLUMN in frame:
        reasons.flag(frame[EXTRA_COLUMN].notna().to_numpy(), "malformed_row")
    for code, mask in raw.row_reasons.items():
        reasons.flag(mask, code)
    warnings.update(raw.row_warnings)
    if "id" in fm:
        out["id"] = parse_ids(frame[fm["id"]])
    if "date" in fm:
        out["date"] = _check_dates(frame, fm, reasons, warnings)
    if "time" in fm:
        out["time"] = parse_text(frame[fm["time"]])
    _check_numbers(frame, fm, reasons, out)
    if "article" in fm:
        arts, unknown = parse_articles(frame[fm["article"]])
        out["article"] = arts
        reasons.flag(unknown, "unknown_article")
    if "sex" in fm:
        sexes = {**dict.fromkeys(MALE_WORDS, "M"), **dict.fromkeys(FEMALE_WORDS, "F")}
        out["sex"] = parse_choice(frame[fm["sex"]], sexes, "str")
    for name in BOOL_FIELDS:
        if name in fm:
            flags = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}
            out[name] = parse_choice(frame[fm[name]], flags, "boolean")
    for name in TEXT_FIELDS:
        if name in fm:
            out[name] = parse_text(frame[fm[name]])
    return out


def _geometry_xy(raw: RawTable, kind: str, reasons: Reasons,
                 warnings: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A point per feature: lines and areas give a point on them (said per row); in a layer
    of areas, points and lines are rejected."""
    geoms = raw.geometry.to_numpy()
    types = shapely.get_type_id(geoms)
    present = types >= 0
    if kind == "regions":
        reasons.flag(present & ~np.isin(types, (3, 6)), "not_an_area")
    other = np.flatnonzero(present & (types != 0))
    if other.size:
        geoms = geoms.copy()
        geoms[other] = shapely.point_on_surface(geoms[other])
        if kind == "points":
            converted = np.zeros(len(geoms), dtype=bool)
            converted[other] = types[other] != 4  # a multipoint's first point is no surprise
            warnings["geometry_converted"] = converted
    return shapely.get_x(geoms), shapely.get_y(geoms)


def source_xy(raw: RawTable, fm: dict[str, str], crs: object, kind: str, reasons: Reasons,
              warnings: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return lon/lat in EPSG:4326 (NaN when absent), flagging unparseable coordinates."""
    from pyproj import CRS, Transformer

    from_columns = raw.xy is None and raw.geometry is None
    if raw.xy is not None:
        x, y = (np.asarray(a, dtype=float).copy() for a in raw.xy)
    elif raw.geometry is not None:
        x, y = _geometry_xy(raw, kind, reasons, warnings)
    elif "lat" in fm and "lon" in fm:
        y, ybad = parse_coordinates(raw.frame[fm["lat"]])
        x, xbad = parse_coordinates(raw.frame[fm["lon"]])
        reasons.flag(xbad | ybad, "bad_coordinate")
    else:
        n = len(raw.frame)
        return np.full(n, np.nan), np.full(n, np.nan)
    source = raw.crs if raw.crs is not None else (CRS.from_user_input(crs) if crs else None)
    if not _is_wgs84(source):
        x, y = Transformer.from_crs(source, 4326, always_xy=True).transform(x, y)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    valid = np.isfinite(x) & np.isfinite(y)
    if from_columns and source is None and valid.any():
        normal = _inside_box(y, x)
        swapped = _inside_box(x, y)
        if swapped[valid].all() and not normal[valid].all():
            x, y = y, x
            warnings["swapped_coordinates"] = valid
        projected = (np.abs(x) > 360) | (np.abs(y) > 360)
        if projected[valid].mean() > 0.5:
            warnings["projected_without_crs"] = projected
    return x, y


def _is_wgs84(crs: object) -> bool:
    """Whether ``crs`` is missing (taken as lon/lat) or EPSG:4326."""
    from pyproj import CRS

    return crs is None or CRS.from_user_input(crs).equals(CRS.from_epsg(4326))


def _inside_box(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return (lat >= KZ_LAT[0]) & (lat <= KZ_LAT[1]) & (lon >= KZ_LON[0]) & (lon <= KZ_LON[1])


def place(raw: RawTable, fm: dict[str, str], x: np.ndarray, y: np.ndarray, kind: str,
          reasons: Reasons, warnings: dict[str, np.ndarray]) -> np.ndarray:
    """Return each row's region as an index into the gazetteer's codes (-1: none).

    Point-in-polygon first; rows without coordinates take their region column.
    """
    codes_index = pd.Index(gazetteer().codes)
    n = len(raw.frame)
    has_xy = np.isfinite(x) & np.isfinite(y)
    by_point = np.full(n, -1, dtype=np.int64)
    if has_xy.any():
        found, names = pd.factorize(_assign_regions(x[has_xy], y[has_xy]))
        by_point[has_xy] = codes_index.get_indexer(names)[found]
    by_name = np.full(n, -1, dtype=np.int64)
    n_codes = np.zeros(n, dtype=np.int64)
    blank = np.ones(n, dtype=bool)
    if "region" in fm:
        codes, text = factorize_text(raw.frame[fm["region"]])
        once = kind == "regions" and len(text) == len(codes)  # each region named once
        resolved = gazetteer().resolve_column(list(text), one_per_code=once)
        found = [resolved[t] for t in text]
        firsts = codes_index.get_indexer([c[0] if len(c) == 1 else "" for c in found])
        by_name = take_codes(firsts.astype(np.int64), codes, -1)
        n_codes = take_codes(np.array([len(c) for c in found], dtype=np.int64), codes, 0)
        blank = take_codes(text.eq("").to_numpy(), codes, True)
    warnings["region_mismatch"] = (by_point >= 0) & (n_codes == 1) & (by_name != by_point)
    reasons.flag(~has_xy & blank, "no_location")
    reasons.flag(has_xy & (by_point < 0), "outside_kazakhstan")
    reasons.flag(~has_xy & (n_codes == 0), "unknown_region")
    reasons.flag(~has_xy & (n_codes > 1), "ambiguous_region")
    if kind == "points":
        warnings["region_only"] = ~has_xy
    return np.where(has_xy, by_point, by_name)


def old_boundaries(region: np.ndarray, keep: np.ndarray, kind: str) -> np.ndarray | None:
    """Rows of a region table on the units before 2022 (None when it is on today's).

    A table that names none of Abai, Jetisu and Ulytau but names the regions they were
    cut from is on the old boundaries: those rows' figures cover the new regions too.
    """
    if kind != "regions" or not keep.any():
        return None
    codes = list(gazetteer().codes)
    named = {codes[i] for i in region[keep] if i >= 0}
    if named & set(NEW_REGIONS) or not named & set(NEW_REGIONS.values()):
        return None
    parents = [codes.index(c) for c in NEW_REGIONS.values()]
    return np.isin(region, parents)


def count_warnings(masks: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, int]:
    """Count each warning over the kept rows (over all rows for rejected-row hints)."""
    counts = {}
    for code in WARNINGS:
        if code in masks:
            mask = masks[code] if code == "projected_without_crs" else masks[code] & keep
            if mask.any():
                counts[code] = int(mask.sum())
    return counts


def relabel_blank_rows(raw: RawTable, reasons: Reasons) -> None:
    """Give rejected rows whose cells are all blank the reason "empty row"."""
    rows = np.flatnonzero(~reasons.ok)
    if rows.size == 0:
        return
    sub = raw.frame.iloc[rows]
    blank = np.ones(len(rows), dtype=bool)
    for col in sub.columns:
        s = sub[col]
        blank &= (s.isna() | s.astype(str).str.strip().eq("")).to_numpy()
    if raw.xy is not None:
        blank &= ~np.isfinite(raw.xy[0][rows])
    elif raw.geometry is not None:
        blank &= raw.geometry.isna().to_numpy()[rows]
    reasons.code[rows[blank]] = REASON_CODES.index("empty_row") + 1
