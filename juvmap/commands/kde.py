"""``juvmap kde``: a kernel density surface of a point layer, written as a GeoTIFF.

Vector files (GeoPackage, Shapefile, GeoJSON, FlatGeobuf) are read geometry-only through pyogrio
(plus the weight field, if any), which keeps a million-point GeoPackage well under two seconds;
tables with coordinates (CSV, XLSX) go through :func:`juvmap.io.load.load_layer`.
Heavy modules are imported inside :func:`run` so that ``juvmap --help`` stays fast.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from juvmap.i18n import _, get_language

#: Suffixes read directly (geometry only) with pyogrio.
VECTOR_SUFFIXES = {".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml"}
KERNEL_CHOICES = ("quartic", "triangular", "uniform", "triweight", "epanechnikov", "gaussian")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap kde`` to ``parser``."""
    parser.add_argument("--data", required=True, metavar="FILE", help=_("Point layer to analyse"))
    parser.add_argument(
        "--radius",
        type=float,
        metavar="M",
        help=_("Kernel radius in metres (default: 0.9·min(SD, 1.2·median distance)·n^-0.2, as in ArcGIS)"),
    )
    parser.add_argument("--cell", type=float, default=1000.0, metavar="M", help=_("Cell size in metres"))
    parser.add_argument("--kernel", choices=KERNEL_CHOICES, default="quartic", help=_("Kernel shape"))
    parser.add_argument(
        "--output",
        choices=("raw", "density", "scaled"),
        default="density",
        help=_("Values: density = incidents per km², raw and scaled as in QGIS"),
    )
    parser.add_argument("--weight", metavar="FIELD", help=_("Numeric field with the weight of each point"))
    parser.add_argument("--decay", type=float, default=0.0, help=_("Decay ratio of the triangular kernel"))
    parser.add_argument(
        "--grid",
        choices=("default", "qgis"),
        default="default",
        help=_("Grid layout: default (equal-area, snapped) or as QGIS's Heatmap"),
    )
    parser.add_argument("--extent", metavar="kazakhstan|XMIN,YMIN,XMAX,YMAX", help=_("Fixed extent"))
    parser.add_argument("--method", choices=("auto", "fft", "exact"), default="auto", help=_("Computation"))
    parser.add_argument("--peaks", type=int, default=0, metavar="N", help=_("Print the N highest peaks"))
    parser.add_argument("--out", required=True, metavar="FILE.tif", help=_("GeoTIFF to write"))


def run(args: argparse.Namespace) -> int:
    """Compute the surface, write the GeoTIFF and print a short summary; return 0."""
    from juvmap.export.raster import shareable_count, write_geotiff
    from juvmap.stats.kde import kernel_density

    started = time.perf_counter()
    points = read_points(Path(args.data), args.weight)
    grid = kernel_density(
        points.xy,
        radius=args.radius,
        cell=args.cell,
        kernel=args.kernel,
        output=args.output,
        weight=points.weight,
        grid=args.grid,
        extent=_parse_extent(args.extent),
        method=args.method,
        decay=args.decay,
        crs=points.crs,
    )
    grid.synthetic = points.synthetic
    write_geotiff(grid, args.out)
    rows, cols = grid.shape
    summary = _(
        "{n} points, radius {radius} m, cell {cell} m, {rows}×{cols} cells, {method},"
        " maximum {top:.4g} {units}"
    )
    print(
        summary.format(
            n=shareable_count(grid.n_points),
            radius=round(grid.radius),
            cell=round(grid.cell),
            rows=rows,
            cols=cols,
            method=grid.method,
            top=float(grid.values.max()),
            units=grid.units,
        )
    )
    if args.radius is None:
        print(_("Radius suggested from the data (ArcGIS rule): {radius} m").format(radius=round(grid.radius)))
    if args.peaks > 0:
        from juvmap.stats.peaks import find_peaks

        for peak in find_peaks(grid, n=args.peaks):
            print(
                _("{lat:.4f}, {lon:.4f}: {value:.4g} — {name}, {km:.1f} km").format(
                    lat=peak.lat,
                    lon=peak.lon,
                    value=peak.value,
                    name=peak.settlement(get_language()),
                    km=peak.distance_km,
                )
            )
    print(_("Written {path} in {seconds:.2f} s").format(path=args.out, seconds=time.perf_counter() - started))
    return 0


class _Points:
    """Coordinates, weights and CRS of the points read from a file."""

    def __init__(self, xy, weight, crs, synthetic: bool = False) -> None:
        self.xy, self.weight, self.crs, self.synthetic = xy, weight, crs, synthetic


def read_points(path: Path, weight: str | None = None) -> _Points:
    """Read the points of ``path`` (and the ``weight`` field) without validating other columns."""
    from juvmap.errors import DataLoadError

    if not path.exists():
        raise DataLoadError(_("File not found: {path}").format(path=str(path)), str(path))
    if path.suffix.lower() == ".gpkg":
        points = _read_gpkg_points(path, weight)
        if points is not None:
            return points
    if path.suffix.lower() in VECTOR_SUFFIXES:
        return _read_vector_points(path, weight)
    try:
        from juvmap.io.load import load_layer
    except ImportError as exc:
        raise DataLoadError(_("Unsupported file type: {path}").format(path=str(path)), str(path)) from exc
    from juvmap.errors import AnalysisError
    from juvmap.stats.kde import points_xy

    layer = load_layer(path)
    if layer.kind != "points":
        raise AnalysisError(_("Kernel density needs a layer of points"))
    x, y, w, crs, synthetic = points_xy(layer.data, weight)
    return _Points((x, y), w, crs, synthetic)


def _read_gpkg_points(path: Path, weight: str | None) -> _Points | None:
    """Fast path for a GeoPackage of 2-D points: read the blobs with sqlite3 and decode them with
    NumPy (GeoPackage binary = "GP" header + envelope + WKB, OGC 12-128r18 §2.1.3).

    Returns ``None`` (use pyogrio instead) unless every geometry is a little-endian 2-D point
    with the same header layout.
    """
    import sqlite3

    import numpy as np
    from pyproj import CRS

    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        layers = con.execute(
            "SELECT c.table_name, c.column_name, c.geometry_type_name, s.organization,"
            " s.organization_coordsys_id, s.definition FROM gpkg_geometry_columns c"
            " JOIN gpkg_spatial_ref_sys s ON s.srs_id = c.srs_id"
        ).fetchall()
        if len(layers) != 1 or str(layers[0][2]).upper() != "POINT":
            return None
        table, column, _kind, org, code, definition = layers[0]
        quoted = '"' + str(table).replace('"', '""') + '"'
        geom = '"' + str(column).replace('"', '""') + '"'
        numeric = ("INT", "REAL", "FLOA", "DOUB", "NUM", "DEC")
        weights_sql = "NULL"
        if weight:
            types = {row[1]: str(row[2]).upper() for row in con.execute(f"PRAGMA table_info({quoted})")}
            if not any(t in types.get(weight, "TEXT") for t in numeric):
                return None  # missing or text field: pyogrio reports it
            field = '"' + weight.replace('"', '""') + '"'
            weights_sql = f"group_concat(ifnull(CAST({field} AS REAL), 'nan'), ' ')"
        # one scan, in one order: all blobs concatenated (binary-safe), the weights as text
        con.text_factory = bytes
        flat, weights_text, n, n_geom, shortest, longest = con.execute(
            f"SELECT group_concat({geom}, ''), {weights_sql}, count(*), count({geom}),"
            f" min(length({geom})), max(length({geom})) FROM {quoted}"
        ).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    if not n or n_geom != n or shortest != longest or len(flat) != n * shortest:
        return None  # NULL geometries or mixed sizes
    flat = np.frombuffer(flat, dtype=np.uint8)
    w = None
    if weight:
        w = np.array(weights_text.split(b" "), dtype=np.float64)
        if w.size != n:
            return None
    rows = flat.reshape(n, flat.size // n)
    flags = rows[:, 3] & 0b11101111  # bit 4 marks an empty point (NaN coordinates)
    if rows.shape[1] < 8 or not (flags == flags[0]).all() or flags[0] & 0b100001 != 1:
        return None  # mixed layouts, big-endian header or extended geometry
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((int(flags[0]) >> 1) & 7)
    if envelope is None or rows.shape[1] != 8 + envelope + 21:
        return None
    wkb = rows[:, 8 + envelope :]
    if not ((wkb[:, 0] == 1).all() and (wkb[:, 1:5].copy().view("<u4").ravel() == 1).all()):
        return None
    xy = wkb[:, 5:21].copy().view("<f8")
    xy[(rows[:, 3] & 0b10000) != 0] = np.nan
    if org and str(org).upper() == "EPSG" and code and int(code) > 0:
        crs = CRS.from_epsg(int(code))
    elif definition and definition != "undefined":
        crs = CRS.from_user_input(definition)
    else:
        return None
    return _Points((xy[:, 0].copy(), xy[:, 1].copy()), w, crs)


def _read_vector_points(path: Path, weight: str | None) -> _Points:
    import numpy as np
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError, FieldError

    from juvmap.errors import DataLoadError

    try:
        meta, _fids, geometry, fields = pyogrio.raw.read(
            path, columns=[weight] if weight else [], return_fids=False
        )
    except (DataSourceError, DataLayerError, FieldError, OSError, ValueError) as exc:
        raise DataLoadError(
            _("{name} is not a readable map layer: {error}").format(name=path.name, error=exc), str(path)
        ) from exc
    if weight and (not fields or weight not in list(meta["fields"])):
        raise DataLoadError(_("No weight field named {name}").format(name=weight), str(path))
    if meta.get("crs") is None:
        raise DataLoadError(_("The layer has no coordinate reference system"), str(path))
    x, y, feature = _decode_points(geometry)
    w = None
    if weight:
        try:
            w = np.asarray(fields[0], dtype=np.float64)
        except (TypeError, ValueError) as exc:
            message = _("The weight field {name} is not numeric").format(name=weight)
            raise DataLoadError(message, str(path)) from exc
        w = w if feature is None else w[feature]
    return _Points((x, y), w, meta["crs"])
    return _Points((x, y), w, meta["crs"])


def _decode_points(geometry):
    """``(x, y, feature)`` of WKB points and multipoints.

    2-D little-endian points of fixed size are decoded with NumPy. ``feature`` maps every
    coordinate to its feature (``None`` when that is the identity); missing geometries give NaN.
    """
    import numpy as np

    n = len(geometry)
    present = np.fromiter((g is not None for g in geometry), dtype=bool, count=n)
    if present.all() and n:
        flat = np.frombuffer(b"".join(geometry), dtype=np.uint8)
        if flat.size == 21 * n:
            rows = flat.reshape(n, 21)
            if (rows[:, 0] == 1).all() and (rows[:, 1:5].copy().view("<u4").ravel() == 1).all():
                xy = rows[:, 5:21].copy().view("<f8")
                return xy[:, 0].copy(), xy[:, 1].copy(), None
    import shapely

    from juvmap.errors import DataLoadError

    geoms = shapely.from_wkb(geometry)
    kinds = shapely.get_type_id(geoms)
    if np.any((kinds != 0) & (kinds != 4) & (kinds != -1)):
        raise DataLoadError(_("Kernel density needs a layer of points"))
    counts = shapely.get_num_coordinates(geoms)
    xy = shapely.get_coordinates(geoms)
    return xy[:, 0].copy(), xy[:, 1].copy(), np.repeat(np.arange(n), counts)


def _parse_extent(text: str | None):
    """``None``, ``"kazakhstan"`` or a tuple of four numbers from ``--extent``."""
    if text is None or text.strip().lower() == "kazakhstan":
        return None if text is None else "kazakhstan"
    from juvmap.errors import AnalysisError

    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise AnalysisError(_("The extent must be kazakhstan or XMIN,YMIN,XMAX,YMAX in metres"))
    return values
