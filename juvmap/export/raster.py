"""GeoTIFF files of density surfaces (rasterio): CRS, transform, nodata and our metadata tags."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from juvmap.errors import DataLoadError, JuvmapError
from juvmap.i18n import _
from juvmap.stats.grid import DEFAULT_NODATA, DensityGrid
from juvmap.stats.kernels import OUTPUT_UNITS

#: Tag namespace-free keys written into every GeoTIFF (values are strings).
TAG_KEYS = (
    "kernel", "radius", "cell", "output", "units", "synthetic", "n_points",
    "total_weight", "decay", "method", "layout",
)


def shareable_count(value: float) -> str:
    """A count as it may be shared: "<5" for counts between 0 and 5 (data about minors)."""
    return "<5" if 0 < value < 5 else repr(float(value)) if value != int(value) else str(int(value))


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:  # "<5"
        return default


def write_geotiff(grid: DensityGrid, path: str | Path, dtype: str = "float32") -> Path:
    """Write ``grid`` as a single-band, deflate-compressed, tiled GeoTIFF.

    Non-finite values are written as ``grid.nodata``. Tags: ``kernel``, ``radius`` and ``cell``
    (metres), ``output``, ``units`` (English label, e.g. "incidents per km²"), ``synthetic``
    ("true"/"false"), ``n_points`` and ``total_weight`` ("<5" below five), ``decay``,
    ``method``, ``layout`` and ``software``.

    Parameters
    ----------
    grid : DensityGrid
        The surface.
    path : str or Path
        Output file.
    dtype : {"float32", "float64"}
        Sample type in the file (QGIS writes float32).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    JuvmapError
        When the file cannot be written.
    """
    import rasterio
    from rasterio.crs import CRS as RioCRS

    from juvmap import __version__

    path = Path(path)
    rows, cols = grid.values.shape
    data = np.where(np.isfinite(grid.values), grid.values, grid.nodata).astype(dtype)
    profile = {
        "driver": "GTiff",
        "height": rows,
        "width": cols,
        "count": 1,
        "dtype": dtype,
        "crs": RioCRS.from_wkt(grid.crs.to_wkt()),
        "transform": grid.transform,
        "nodata": grid.nodata,
        "compress": "deflate",
        "zlevel": 1,
        "predictor": 3,
        "num_threads": "ALL_CPUS",
    }
    if rows >= 256 and cols >= 256:
        profile.update(tiled=True, blockxsize=256, blockysize=256)
    tags = {
        "kernel": grid.kernel,
        "radius": repr(float(grid.radius)),
        "cell": repr(float(grid.cell)),
        "output": grid.output,
        "units": OUTPUT_UNITS.get(grid.output, grid.units),
        "synthetic": "true" if grid.synthetic else "false",
        "n_points": shareable_count(grid.n_points),
        "total_weight": shareable_count(grid.total_weight),
        "decay": repr(float(grid.decay)),
        "method": grid.method,
        "layout": grid.layout,
        "software": f"juvmap {__version__}",
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(data, 1)
            dst.update_tags(**tags)
            dst.set_band_description(1, tags["units"])
    except (OSError, rasterio.errors.RasterioError) as exc:
        raise JuvmapError(_("Cannot write {path}: {error}").format(path=str(path), error=exc)) from exc
    return path


def read_geotiff(path: str | Path) -> DensityGrid:
    """Read a GeoTIFF (ours or QGIS's Heatmap output) as a :class:`DensityGrid`.

    Nodata cells become NaN in ``values``. Metadata missing from the tags keeps its default.

    Raises
    ------
    DataLoadError
        When the file cannot be read as a georeferenced raster.
    """
    import rasterio

    path = Path(path)
    try:
        with rasterio.open(path) as src:
            values = src.read(1).astype(np.float64)
            nodata = src.nodata
            tags = src.tags()
            transform, crs = src.transform, src.crs
    except (OSError, rasterio.errors.RasterioError) as exc:
        raise DataLoadError(_("Cannot read the raster file: {error}").format(error=exc), str(path)) from exc
    if crs is None:
        raise DataLoadError(_("The raster file has no coordinate reference system"), str(path))
    if nodata is not None:
        values[values == nodata] = np.nan
    output = tags.get("output", "raw")
    return DensityGrid(
        values=values,
        transform=transform,
        crs=crs,
        nodata=DEFAULT_NODATA if nodata is None else float(nodata),
        units=_(OUTPUT_UNITS.get(output, tags.get("units", ""))),
        kernel=tags.get("kernel", ""),
        radius=float(tags.get("radius", "nan")),
        cell=float(tags.get("cell", abs(transform.a))),
        output=output,
        n_points=int(_number(tags.get("n_points"), 0)),
        synthetic=tags.get("synthetic", "false").lower() == "true",
        decay=float(tags.get("decay", 0.0)),
        total_weight=_number(tags.get("total_weight"), math.nan),
        method=tags.get("method", ""),
        layout=tags.get("layout", ""),
    )
