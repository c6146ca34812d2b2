"""``juvmap kde``: a kernel density surface of a point layer, written as a GeoTIFF.

Map layers (GeoPackage, Shapefile, GeoJSON, FlatGeobuf) are read geometry-only (plus the weight
field, if any) by :func:`juvmap.io.read_points`, the one reader of point layers; tables with
coordinates (CSV, XLSX) go through :func:`juvmap.io.load.load_layer`.
Heavy modules are imported inside :func:`run` so that ``juvmap --help`` stays fast.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from juvmap.i18n import _, get_language

KERNEL_CHOICES = ("quartic", "triangular", "uniform", "triweight", "epanechnikov", "gaussian")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap kde`` to ``parser``."""
    parser.add_argument("--data", required=True, metavar="FILE", help=_("Point layer to analyse"))
    parser.add_argument("--layer", metavar="NAME",
                        help=_("Layer of a GeoPackage or sheet of a workbook to load "
                               "(needed when the file holds several)"))
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
    points = read_points(Path(args.data), args.weight, getattr(args, "layer", None))
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


def read_points(path: Path, weight: str | None = None, layer: str | None = None) -> _Points:
    """Read the points of ``path`` (and the ``weight`` field) without validating other columns.

    Map layers go through :func:`juvmap.io.read_points` (pyogrio's Arrow reader); tables with
    coordinates (CSV, XLSX) through :func:`juvmap.io.load.load_layer`.
    """
    from juvmap.errors import AnalysisError, DataLoadError
    from juvmap.io.readers import sniff_format

    if not path.exists():
        raise DataLoadError(_("File not found: {path}").format(path=str(path)), str(path))
    if sniff_format(path) in ("csv", "xlsx"):
        from juvmap.io.load import load_layer
        from juvmap.stats.kde import points_xy

        loaded = load_layer(path, layer=layer)
        if loaded.kind != "points":
            raise AnalysisError(_("Kernel density needs a layer of points"))
        x, y, w, crs, synthetic = points_xy(loaded.data, weight)
        return _Points((x, y), w, crs, synthetic)
    return _vector_points(path, weight, layer)


def _vector_points(path: Path, weight: str | None, layer: str | None) -> _Points:
    import numpy as np
    import pyogrio
    import shapely

    from juvmap.errors import DataLoadError
    from juvmap.io import read_points as read_layer
    from juvmap.io.vector import choose_layer

    if weight:
        name, _gtype = choose_layer(path, layer)
        if weight not in list(pyogrio.read_info(path, layer=name)["fields"]):
            raise DataLoadError(_("No weight field named {name}").format(name=weight), str(path))
    points = read_layer(path, layer, columns=[weight] if weight else [])
    if points.crs is None:
        raise DataLoadError(_("The layer has no coordinate reference system"), str(path))
    x, y, feature = points.x, points.y, None
    if points.geometry is not None:
        kinds = shapely.get_type_id(points.geometry)
        if np.any((kinds != 0) & (kinds != 4) & (kinds != -1)):
            raise DataLoadError(_("Kernel density needs a layer of points"), str(path))
        counts = shapely.get_num_coordinates(points.geometry)
        xy = shapely.get_coordinates(points.geometry)
        x, y, feature = xy[:, 0].copy(), xy[:, 1].copy(), np.repeat(np.arange(len(counts)),
                                                                     counts)
    w = None
    if weight:
        try:
            w = points.frame[weight].to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            message = _("The weight field {name} is not numeric").format(name=weight)
            raise DataLoadError(message, str(path)) from exc
        w = w if feature is None else w[feature]
    return _Points((x, y), w, points.crs)


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
