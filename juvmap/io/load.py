"""Load a user's file as a juvenile-offence layer, accounting for every row.

:func:`load_layer` reads CSV, XLSX, GeoPackage, Shapefile or GeoJSON, maps the columns to
canonical fields, parses and checks every value, places each row in a region (by its
coordinates when it has them, else by its region name or code) and returns the kept rows
with a :class:`~juvmap.io.report.LoadReport` that says why each other row was rejected.
All work is vectorised: values are parsed per distinct value or with NumPy/pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from juvmap.errors import Cancelled, DataLoadError
from juvmap.i18n import _
from juvmap.io.columns import (
    BOOL_FIELDS,
    CANONICAL_FIELDS,
    FALSE_WORDS,
    FEMALE_WORDS,
    MALE_WORDS,
    TEXT_FIELDS,
    TRUE_WORDS,
    expand_text,
    factorize_text,
    parse_articles,
    parse_choice,
    parse_dates,
    parse_ids,
    parse_numbers,
    parse_text,
    parse_times,
    resolve_mapping,
    take_codes,
)
from juvmap.io.readers import EXTRA_COLUMN, RawTable, read_raw
from juvmap.io.report import REASONS, WARNINGS, LoadReport
from juvmap.progress import CancelToken, ProgressCallback, check, report

KZ_LAT = (40.0, 56.0)
KZ_LON = (46.0, 88.0)
AGE_RANGE = (10, 17)
EARLIEST_DATE = pd.Timestamp("2000-01-01")
_REASON_CODES = list(REASONS)


@dataclass
class LoadResult:
    """A loaded layer: the kept rows, their kind and the load report.

    Attributes
    ----------
    data : pandas.DataFrame
        ``kind == "points"``: one row per offence, located by float ``lon``/``lat`` columns in
        EPSG:4326 (NaN for a row placed only by its region); no shapely geometry is built
        (:func:`juvmap.io.points.to_geodataframe` makes it where a file needs it).
        ``"regions"``: one row per region row of the file. Columns: ``source_row``, the
        canonical fields present, ``region`` (ISO code), ``lon``/``lat`` for points, then the
        file's other columns unchanged. ``attrs`` holds ``synthetic`` and ``source``.
    kind : str
        ``"points"`` or ``"regions"``.
    report : LoadReport
        Counts, reasons, warnings and the rejected rows.
    """

    data: pd.DataFrame
    kind: str
    report: LoadReport


def _gazetteer():
    from juvmap.io.gazetteer import get_gazetteer

    return get_gazetteer()


def _assign_regions(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    from juvmap.io.boundaries import assign_regions

    return np.asarray(assign_regions(lon, lat), dtype=object)


# -- the checks --------------------------------------------------------------------------------
class _Reasons:
    """One reason per row: the first one flagged wins."""

    def __init__(self, n: int) -> None:
        self.code = np.zeros(n, dtype=np.int8)

    def flag(self, mask: np.ndarray, reason: str) -> None:
        self.code[(self.code == 0) & mask] = _REASON_CODES.index(reason) + 1

    @property
    def ok(self) -> np.ndarray:
        return self.code == 0


def _check_fields(raw: RawTable, fm: dict[str, str], reasons: _Reasons,
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
    if "id" in fm:
        out["id"] = parse_ids(frame[fm["id"]])
    if "date" in fm:
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
        out["date"] = pd.Series(dates)
    if "time" in fm:
        out["time"] = parse_text(frame[fm["time"]])
    for name in ("age", "count"):
        if name in fm:
            vals, bad = parse_numbers(frame[fm[name]])
            bad |= (vals < 0) | (vals > 2**53) | ((np.round(vals) != vals) & ~np.isnan(vals))
            reasons.flag(bad, "bad_number")
            out[name] = pd.array(np.where(bad, np.nan, vals), dtype="Float64").astype("Int64")
    if "age" in fm:
        age = out["age"].to_numpy(dtype=float, na_value=np.nan)
        reasons.flag((age < AGE_RANGE[0]) | (age > AGE_RANGE[1]), "age_out_of_range")
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


def _source_xy(raw: RawTable, fm: dict[str, str], crs: object, reasons: _Reasons,
               warnings: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return lon/lat in EPSG:4326 (NaN when absent), flagging unparseable numbers."""
    from pyproj import CRS, Transformer

    from_columns = raw.xy is None and raw.geometry is None
    if raw.xy is not None:
        x, y = (np.asarray(a, dtype=float).copy() for a in raw.xy)
    elif raw.geometry is not None:
        geoms = raw.geometry.to_numpy()
        other = np.flatnonzero(shapely.get_type_id(geoms) > 0)
        if other.size:
            geoms = geoms.copy()
            geoms[other] = shapely.point_on_surface(geoms[other])
        x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    elif "lat" in fm and "lon" in fm:
        y, ybad = parse_numbers(raw.frame[fm["lat"]])
        x, xbad = parse_numbers(raw.frame[fm["lon"]])
        reasons.flag(xbad | ybad, "bad_number")
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


def _place(raw: RawTable, fm: dict[str, str], x: np.ndarray, y: np.ndarray, kind: str,
           reasons: _Reasons, warnings: dict[str, np.ndarray]) -> np.ndarray:
    """Return each row's region as an index into the gazetteer's codes (-1: none).

    Point-in-polygon first; rows without coordinates take their region column.
    """
    gazetteer = _gazetteer()
    codes_index = pd.Index(gazetteer.codes)
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
        resolved = gazetteer.resolve_column(list(text), one_per_code=once)
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


def _count_warnings(masks: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, int]:
    """Count each warning over the kept rows (over all rows for rejected-row hints)."""
    counts = {}
    for code in WARNINGS:
        if code in masks:
            mask = masks[code] if code == "projected_without_crs" else masks[code] & keep
            if mask.any():
                counts[code] = int(mask.sum())
    return counts


def _relabel_blank_rows(raw: RawTable, reasons: _Reasons) -> None:
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
    reasons.code[rows[blank]] = _REASON_CODES.index("empty_row") + 1


# -- assembling the result ---------------------------------------------------------------------
def _decide_kind(raw: RawTable, fm: dict[str, str], path: Path) -> str:
    if raw.xy is not None:
        return "points"
    if raw.geometry is not None and raw.geometry.notna().any():
        types = shapely.get_type_id(raw.geometry.dropna().to_numpy())
        return "regions" if np.isin(types, (3, 6)).mean() > 0.5 else "points"
    if "lat" in fm and "lon" in fm:
        return "points"
    if "region" in fm:
        return "regions"
    raise DataLoadError(_("{name} has no coordinates (latitude and longitude) and no region "
                          "column.").format(name=path.name), str(path))


def _output(raw: RawTable, fm: dict[str, str], fields: dict[str, object], region: np.ndarray,
            x: np.ndarray, y: np.ndarray, keep: np.ndarray, kind: str) -> pd.DataFrame:
    cols: dict[str, object] = {"source_row": raw.source_rows[keep]}
    for name in CANONICAL_FIELDS:
        if name in fields:
            values = pd.Series(fields[name]).reset_index(drop=True)
            cols[name] = values.iloc[np.flatnonzero(keep)].reset_index(drop=True)
    cols["region"] = expand_text(list(_gazetteer().codes), region[keep])
    if kind == "points":
        cols["lon"], cols["lat"] = x[keep], y[keep]
    data = pd.DataFrame(cols)
    used = set(fm.values()) | {EXTRA_COLUMN}
    rows = np.flatnonzero(keep)
    for col in raw.frame.columns:
        if col in used:
            continue
        name = col if col not in data.columns else f"{col}_source"
        data[name] = raw.frame[col].iloc[rows].reset_index(drop=True)
    return data


def _rejected(raw: RawTable, reasons: _Reasons, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    rows = np.flatnonzero(~reasons.ok)
    table = pd.DataFrame({
        "row": raw.source_rows[rows],
        "reason": np.asarray(_REASON_CODES, dtype=object)[reasons.code[rows] - 1],
    })
    original = raw.frame.iloc[rows].reset_index(drop=True)
    if raw.xy is not None or raw.geometry is not None:
        original = original.assign(x=x[rows], y=y[rows])
    return pd.concat([table, original], axis=1)


def load_layer(path: str | Path, mapping: dict[str, str] | None = None, crs: object = None,
               progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> LoadResult:
    """Read a file of juvenile offences (points) or of counts per region.

    Parameters
    ----------
    path : str or Path
        CSV/TXT (UTF-8, UTF-8 with BOM, cp1251, UTF-16; ``,`` ``;`` or tab), XLSX,
        GeoPackage, Shapefile or GeoJSON in any CRS.
    mapping : dict, optional
        ``canonical field -> column`` overrides of the detected columns
        (see :data:`juvmap.io.columns.CANONICAL_FIELDS`); ``None`` as the column means
        "not used": the field is not read even if a column would be detected for it.
    crs : str or int or pyproj.CRS, optional
        The CRS of X/Y columns (e.g. ``"EPSG:32642"``); default WGS 84 lon/lat. A vector
        file's own CRS wins.
    progress, cancel
        See :mod:`juvmap.progress`.

    Returns
    -------
    LoadResult
        The kept rows, ``kind`` and the report; ``rows_read == loaded + rejected``.

    Raises
    ------
    DataLoadError
        When the file cannot be read as a layer at all (translated message).
    Cancelled
        When ``cancel`` was set.
    """
    path = Path(path)
    try:
        return _load(path, dict(mapping or {}), crs, progress, cancel)
    except (DataLoadError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: only DataLoadError escapes
        raise DataLoadError(_("Could not read {name}: {error}").format(
            name=path.name, error=f"{type(exc).__name__}: {exc}"), str(path)) from exc


def _load(path: Path, mapping: dict[str, str], crs: object, progress: ProgressCallback | None,
          cancel: CancelToken | None) -> LoadResult:
    unknown = sorted(set(mapping) - set(CANONICAL_FIELDS))
    if unknown:
        raise DataLoadError(_("Unknown field {field}; known fields: {fields}").format(
            field=unknown[0], fields=", ".join(CANONICAL_FIELDS)), str(path))
    report(progress, 0.0, _("Reading {name}").format(name=path.name))
    excluded = {field for field, column in mapping.items() if not column}
    mapping = {field: column for field, column in mapping.items() if column}
    raw = read_raw(path, mapping)
    check(cancel)
    columns = [c for c in raw.frame.columns if c != EXTRA_COLUMN]
    missing = [c for c in mapping.values() if c not in columns]
    if missing:
        raise DataLoadError(_("Column {column} not found in {name}.").format(
            column=missing[0], name=path.name), str(path))
    if crs is not None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            CRS.from_user_input(crs)
        except CRSError as exc:
            raise DataLoadError(_("Unknown coordinate reference system: {crs}").format(
                crs=crs), str(path)) from exc
    fm = {f: c for f, c in resolve_mapping(columns, mapping).items() if f not in excluded}
    if raw.geometry is not None and raw.geometry.isna().all() or (
            raw.xy is not None and not np.isfinite(raw.xy[0]).any()):
        raw.geometry, raw.xy, raw.crs = None, None, None  # a table stored in a map format
    kind = _decide_kind(raw, fm, path)
    report(progress, 0.4, _("Checking rows"))
    reasons = _Reasons(len(raw.frame))
    warnings: dict[str, np.ndarray] = {}
    fields = _check_fields(raw, fm, reasons, warnings)
    x, y = _source_xy(raw, fm, crs, reasons, warnings)
    check(cancel)
    report(progress, 0.6, _("Checking rows"))
    region = _place(raw, fm, x, y, kind, reasons, warnings)
    if "id" in fields:
        ids = fields["id"]
        candidates = reasons.ok & ids.notna().to_numpy()
        dup = np.zeros(len(ids), dtype=bool)
        dup[candidates] = ids[candidates].duplicated(keep="first").to_numpy()
        reasons.flag(dup, "duplicate_id")
    _relabel_blank_rows(raw, reasons)
    check(cancel)
    report(progress, 0.85, _("Checking rows"))
    keep = reasons.ok
    data = _output(raw, fm, fields, region, x, y, keep, kind)
    counts = np.bincount(reasons.code, minlength=len(_REASON_CODES) + 1)
    details = {"format": raw.fmt, **raw.details, "kind": kind, "mapping": fm}
    if raw.crs is not None or crs is not None:
        details.setdefault("source_crs", str(crs) if raw.crs is None else raw.crs.to_string())
    load_report = LoadReport(
        rows_read=len(raw.frame), loaded=int(keep.sum()), rejected=int((~keep).sum()),
        reasons={c: int(counts[i + 1]) for i, c in enumerate(_REASON_CODES) if counts[i + 1]},
        warnings=_count_warnings(warnings, keep), rejected_rows=_rejected(raw, reasons, x, y),
        details=details)
    report(progress, 1.0, _("Checking rows"))
    data.attrs.update(_sidecar_attrs(path))
    return LoadResult(data, kind, load_report)


def _sidecar_attrs(path: Path) -> dict:
    """Flags from a ``<name>.meta.json`` beside the file (``make_demo.py`` writes one).

    A file declared synthetic stays labelled synthetic in everything made from it.
    """
    import json

    meta_path = path.with_suffix(".meta.json")
    attrs = {"synthetic": False, "source": path.name}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    except (OSError, ValueError):
        meta = {}
    if isinstance(meta, dict) and meta.get("synthetic") is True:
        from juvmap.io.demo import DEMO_SOURCE

        attrs["synthetic"] = True
        if meta.get("generator") == "data/make_demo.py":
            attrs.update(source=_(DEMO_SOURCE), source_msgid=DEMO_SOURCE)
        else:
            attrs["source"] = str(meta.get("label") or path.name)
    return attrs
