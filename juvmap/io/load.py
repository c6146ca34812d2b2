"""Load a user's file as a juvenile-offence layer, accounting for every row.

:func:`load_layer` reads CSV, XLSX, GeoPackage, Shapefile or GeoJSON, maps the columns to
canonical fields, parses and checks every value (:mod:`juvmap.io.checks`), places each row in
a region (by its coordinates when it has them, else by its region name or code) and returns
the kept rows with a :class:`~juvmap.io.report.LoadReport` that says why each other row was
rejected. All work is vectorised: values are parsed per distinct value or with NumPy/pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from juvmap.errors import Cancelled, DataLoadError
from juvmap.i18n import _
from juvmap.io import checks
from juvmap.io.columns import CANONICAL_FIELDS, expand_text, resolve_mapping
from juvmap.io.rawtable import EXTRA_COLUMN, RawTable
from juvmap.io.readers import read_raw
from juvmap.io.report import LoadReport
from juvmap.progress import CancelToken, ProgressCallback, check, report

# kept for callers that imported them from here
KZ_LAT, KZ_LON, AGE_RANGE, EARLIEST_DATE = (checks.KZ_LAT, checks.KZ_LON, checks.AGE_RANGE,
                                            checks.EARLIEST_DATE)


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
        file's other columns unchanged. ``attrs`` holds ``synthetic`` and ``source``; a region
        table on the units before 2022 has ``attrs["old_boundaries"]`` = the codes of the
        regions whose figures it does not give (their rates are undefined, not 0).
    kind : str
        ``"points"`` or ``"regions"``.
    report : LoadReport
        Counts, reasons, warnings, notes and the rejected rows.
    """

    data: pd.DataFrame
    kind: str
    report: LoadReport


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
    rows = np.flatnonzero(keep)
    cols: dict[str, object] = {"source_row": raw.source_rows[keep]}
    for name in CANONICAL_FIELDS:
        if name in fields:
            values = pd.Series(fields[name]).reset_index(drop=True)
            cols[name] = values.iloc[rows].reset_index(drop=True)
    cols["region"] = expand_text(list(checks.gazetteer().codes), region[keep])
    if kind == "points":
        cols["lon"], cols["lat"] = x[keep], y[keep]
    used = set(fm.values()) | {EXTRA_COLUMN}
    others = [c for c in raw.frame.columns if c not in used]
    if others:
        rest = raw.frame[others].iloc[rows].reset_index(drop=True)
        rest.columns = [c if c not in cols else f"{c}_source" for c in others]
        return pd.concat([pd.DataFrame(cols), rest], axis=1)
    return pd.DataFrame(cols)


def _rejected(raw: RawTable, reasons: checks.Reasons, x: np.ndarray,
              y: np.ndarray) -> pd.DataFrame:
    rows = np.flatnonzero(~reasons.ok)
    table = pd.DataFrame({
        "row": raw.source_rows[rows],
        "reason": np.asarray(checks.REASON_CODES, dtype=object)[reasons.code[rows] - 1],
    })
    original = raw.frame.iloc[rows].reset_index(drop=True)
    if raw.xy is not None or raw.geometry is not None:
        original = original.assign(x=x[rows], y=y[rows])
    return pd.concat([table, original], axis=1)


def load_layer(path: str | Path, mapping: dict[str, str] | None = None, crs: object = None,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
               layer: str | None = None) -> LoadResult:
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
    layer : str, optional
        The layer of a GeoPackage or the sheet of a workbook (default: the only data layer;
        the sheet with incident rows).

    Returns
    -------
    LoadResult
        The kept rows, ``kind`` and the report; ``rows_read == loaded + rejected``.

    Raises
    ------
    DataLoadError
        When the file cannot be read as a layer at all (translated message);
        :class:`juvmap.io.vector.LayerChoiceError` (with ``choices``) when the file holds
        several data layers and ``layer`` is not given.
    Cancelled
        When ``cancel`` was set.
    """
    path = Path(path)
    try:
        return _load(path, dict(mapping or {}), crs, progress, cancel, layer)
    except (DataLoadError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: only DataLoadError escapes
        raise DataLoadError(_("Could not read {name}: {error}").format(
            name=path.name, error=f"{type(exc).__name__}: {exc}"), str(path)) from exc


def _field_mapping(path: Path, raw: RawTable, mapping: dict[str, str | None],
                   crs: object) -> dict[str, str]:
    """The columns of the fields: the user's mapping checked, the rest detected."""
    excluded = {field for field, column in mapping.items() if not column}
    chosen = {field: column for field, column in mapping.items() if column}
    columns = [c for c in raw.frame.columns if c != EXTRA_COLUMN]
    missing = [c for c in chosen.values() if c not in columns]
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
    return {f: c for f, c in resolve_mapping(columns, chosen).items() if f not in excluded}


def _load(path: Path, mapping: dict[str, str], crs: object, progress: ProgressCallback | None,
          cancel: CancelToken | None, layer: str | None) -> LoadResult:
    unknown = sorted(set(mapping) - set(CANONICAL_FIELDS))
    if unknown:
        raise DataLoadError(_("Unknown field {field}; known fields: {fields}").format(
            field=unknown[0], fields=", ".join(CANONICAL_FIELDS)), str(path))
    report(progress, 0.0, _("Reading {name}").format(name=path.name))
    raw = read_raw(path, {f: c for f, c in mapping.items() if c}, layer)
    check(cancel)
    fm = _field_mapping(path, raw, mapping, crs)
    if raw.geometry is not None and raw.geometry.isna().all() or (
            raw.xy is not None and not np.isfinite(raw.xy[0]).any()):
        raw.geometry, raw.xy, raw.crs = None, None, None  # a table stored in a map format
    kind = _decide_kind(raw, fm, path)
    report(progress, 0.4, _("Checking rows"))
    reasons = checks.Reasons(len(raw.frame))
    warnings: dict[str, np.ndarray] = {}
    fields = checks.check_fields(raw, fm, reasons, warnings)
    x, y = checks.source_xy(raw, fm, crs, kind, reasons, warnings)
    check(cancel)
    report(progress, 0.6, _("Checking rows"))
    region = checks.place(raw, fm, x, y, kind, reasons, warnings)
    if "id" in fields:
        ids = fields["id"]
        candidates = reasons.ok & ids.notna().to_numpy()
        dup = np.zeros(len(ids), dtype=bool)
        dup[candidates] = ids[candidates].duplicated(keep="first").to_numpy()
        reasons.flag(dup, "duplicate_id")
    checks.relabel_blank_rows(raw, reasons)
    check(cancel)
    report(progress, 0.85, _("Checking rows"))
    keep = reasons.ok
    old = checks.old_boundaries(region, keep, kind)
    if old is not None:
        warnings["old_boundaries"] = old
        raw.note("old_boundaries")
    data = _output(raw, fm, fields, region, x, y, keep, kind)
    counts = np.bincount(reasons.code, minlength=len(checks.REASON_CODES) + 1)
    details = {"format": raw.fmt, **raw.details, "kind": kind, "mapping": fm}
    if raw.crs is not None or crs is not None:
        details.setdefault("source_crs", str(crs) if raw.crs is None else raw.crs.to_string())
    load_report = LoadReport(
        rows_read=len(raw.frame), loaded=int(keep.sum()), rejected=int((~keep).sum()),
        reasons={c: int(counts[i + 1]) for i, c in enumerate(checks.REASON_CODES)
                 if counts[i + 1]},
        warnings=checks.count_warnings(warnings, keep), rejected_rows=_rejected(
            raw, reasons, x, y), details=details, source=str(path))
    report(progress, 1.0, _("Checking rows"))
    data.attrs.update(_sidecar_attrs(path))
    if old is not None:
        data.attrs["old_boundaries"] = sorted(checks.NEW_REGIONS)
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
