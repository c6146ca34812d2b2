"""The result of a kernel density estimation (a georeferenced 2-D array) and grid layouts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from affine import Affine
from pyproj import CRS

from juvmap.crs import WGS84, as_crs, kazakhstan_extent, transformer
from juvmap.errors import AnalysisError
from juvmap.i18n import _

#: Value written for cells without data in a GeoTIFF (QGIS's Heatmap uses the same).
DEFAULT_NODATA = -9999.0


@dataclass(eq=False)
class DensityGrid:
    """A kernel density surface.

    Attributes
    ----------
    values : numpy.ndarray
        float64 array of shape (rows, cols); row 0 is the northern edge.
    transform : affine.Affine
        Maps (col, row) of a cell corner to map coordinates (GDAL convention).
    crs : pyproj.CRS
        CRS of ``transform`` (the equal-area CRS, or the layer's CRS for ``grid="qgis"``).
    nodata : float
        Value marking cells without data (only in files; ``values`` holds numbers everywhere).
    units : str
        Translated label of the value unit (e.g. "incidents per km²").
    kernel, output : str
        Kernel name and output kind (see :mod:`juvmap.stats.kernels`).
    radius, cell : float
        Radius and cell size in units of ``crs`` (metres).
    n_points : int
        Number of points used.
    synthetic : bool
        True when the input data were synthetic (demo/training data).
    decay : float
        Decay ratio of the triangular kernel.
    total_weight : float
        Sum of the point weights (``n_points`` without a weight field).
    method : str
        ``"fft"`` or ``"exact"``: how the surface was computed.
    layout : str
        ``"default"``, ``"extent"`` or ``"qgis"``: how the grid was laid out.
    """

    values: np.ndarray
    transform: Affine
    crs: CRS
    nodata: float = DEFAULT_NODATA
    units: str = ""
    kernel: str = "quartic"
    radius: float = 0.0
    cell: float = 0.0
    output: str = "density"
    n_points: int = 0
    synthetic: bool = False
    decay: float = 0.0
    total_weight: float = 0.0
    method: str = ""
    layout: str = "default"
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.crs = as_crs(self.crs)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols) of :attr:`values`."""
        return self.values.shape

    def bounds(self) -> tuple[float, float, float, float]:
        """Return (left, bottom, right, top) of the grid in its CRS."""
        rows, cols = self.values.shape
        a, b, c, d, e, f = self.transform[:6]
        left, top = c, f
        right, bottom = c + a * cols + b * rows, f + d * cols + e * rows
        return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))

    def to_wgs84_bounds(self) -> tuple[float, float, float, float]:
        """Return (west, south, east, north) in degrees that enclose the whole grid."""
        return tuple(transformer(self.crs, WGS84).transform_bounds(*self.bounds(), densify_pts=21))

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Return 1-D arrays of the x of every column centre and the y of every row centre."""
        rows, cols = self.values.shape
        a, _, c, _, e, f = self.transform[:6]
        xs = c + (np.arange(cols) + 0.5) * a
        ys = f + (np.arange(rows) + 0.5) * e
        return xs, ys

    def cell_area_km2(self) -> float:
        """Area of one cell in km² (assumes a metric CRS)."""
        return abs(self.transform.a * self.transform.e) / 1.0e6

    def total(self) -> float:
        """Integral of the surface: the number of incidents for a ``"density"`` grid."""
        if self.output == "density":
            return float(self.values.sum() * self.cell_area_km2())
        if self.output == "scaled":
            return float(self.values.sum() * abs(self.transform.a * self.transform.e))
        return float(self.values.sum())


def default_layout(x: np.ndarray, y: np.ndarray, r: float, p: float) -> tuple[Affine, tuple[int, int]]:
    """Our grid: the points' extent grown by ``r`` and snapped outward to multiples of ``p``.

    Returns the north-up transform and (rows, cols).
    """
    xmin = math.floor((float(x.min()) - r) / p) * p
    ymin = math.floor((float(y.min()) - r) / p) * p
    xmax = math.ceil((float(x.max()) + r) / p) * p
    ymax = math.ceil((float(y.max()) + r) / p) * p
    shape = (max(round((ymax - ymin) / p), 1), max(round((xmax - xmin) / p), 1))
    return Affine(p, 0.0, xmin, 0.0, -p, ymax), shape


def extent_layout(extent: Any, p: float) -> tuple[Affine, tuple[int, int]]:
    """A given (xmin, ymin, xmax, ymax) or ``"kazakhstan"`` extent snapped outward to ``p``."""
    if isinstance(extent, str):
        if extent.lower() != "kazakhstan":
            raise AnalysisError(_("Unknown extent: {name}").format(name=extent))
        extent = kazakhstan_extent()
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    if not (xmax > xmin and ymax > ymin):
        raise AnalysisError(_("The extent is empty"))
    xmin, ymin = math.floor(xmin / p) * p, math.floor(ymin / p) * p
    xmax, ymax = math.ceil(xmax / p) * p, math.ceil(ymax / p) * p
    shape = (max(round((ymax - ymin) / p), 1), max(round((xmax - xmin) / p), 1))
    return Affine(p, 0.0, xmin, 0.0, -p, ymax), shape


def qgis_layout(x: np.ndarray, y: np.ndarray, r: float, p: float) -> tuple[Affine, tuple[int, int]]:
    """QGIS's grid: the layer extent grown by the radius; origin at its top-left corner;
    ``ceil(height / p) + 1`` rows and ``ceil(width / p) + 1`` columns (so the raster reaches
    one cell or so beyond the grown extent on the right and at the bottom)."""
    xmin, xmax = float(x.min()) - r, float(x.max()) + r
    ymin, ymax = float(y.min()) - r, float(y.max()) + r
    rows = max(math.ceil((ymax - ymin) / p) + 1, 1)
    cols = max(math.ceil((xmax - xmin) / p) + 1, 1)
    return Affine(p, 0.0, xmin, 0.0, -p, ymax), (rows, cols)


def qgis_block_half_width(r: float, p: float) -> int:
    """QGIS's block half-width in cells: ⌊r/p⌋, plus one when the remainder exceeds 0.5 map units."""
    buffer = int(r / p)
    return buffer + 1 if r - p * buffer > 0.5 else buffer


def qgis_effective_y(y: np.ndarray, r: float, p: float, transform: Affine) -> np.ndarray:
    """Return the y at which QGIS effectively places each point.

    QGIS writes each point's block starting at raster row ``trunc((ymax - y)/p - b)`` (``b`` the
    block half-width) but evaluates the kernel, for block row ``k``, at the height
    ``ymin + (trunc((y - ymin)/p - b) + k + 0.5)·p``, counting rows upwards from the bottom of
    the grown extent. As the kernel is symmetric, the values it writes are exactly those of a
    point at ``ymin + ymax - y - (trunc((ymax - y)/p - b) - trunc((y - ymin)/p - b))·p`` — the
    point mirrored within its cell. We compute that point, then use the ordinary sum.
    (Not reproduced: QGIS also cuts the kernel to its block, which only matters when the radius
    exceeds a whole number of cells by at most 0.5 map units.)
    """
    b = qgis_block_half_width(r, p)
    ymax = transform.f  # top of the grown extent
    ymin = float(y.min()) - r  # bottom of the grown extent (not of the raster)
    top_row = np.trunc((ymax - y) / p - b)
    bottom_row = np.trunc((y - ymin) / p - b)
    return ymin + ymax - y - (top_row - bottom_row) * p
