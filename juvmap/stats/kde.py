"""Kernel density estimation of incident points (QGIS Heatmap definitions, fast on a million points).

The surface is computed in :data:`juvmap.crs.EQUAL_AREA_CRS` (metres), or — with
``grid="qgis"`` — on exactly the grid QGIS's *Heatmap (Kernel Density Estimation)* would use, in
the layer's own CRS when that CRS is projected. Kernels and output values are defined in
:mod:`juvmap.stats.kernels`. Two ways of computing the same sum are available:

* ``"exact"``: for every point, the kernel is evaluated at the centre of every cell within the
  radius and added (vectorised over chunks of points). Cost ∝ N·(2r/cell)².
* ``"fft"``: points are spread to the four nearest cell centres by linear binning, and the binned
  grid is convolved with the kernel sampled at cell centres (real FFT, float64). Cost ∝ grid size,
  almost independent of N. For the quartic and triweight kernels the error stays below 1e-3 of
  the maximum when the radius spans ≥ 28 cells, or when the grid is small enough to be refined
  (see :func:`fft_oversampling`); kernels with a kink or a jump at the radius (triangular,
  Epanechnikov, truncated Gaussian) err up to about 5e-3, the uniform kernel by several per cent.

``"auto"`` takes the exact path when N·(2r/cell + 2)² ≤ 4·10⁶ (4·10⁷ for the uniform kernel,
whose jump at the radius makes the FFT path err by several per cent at the disc's edge) and the
FFT otherwise.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from affine import Affine

from juvmap.crs import EQUAL_AREA_CRS, as_crs, is_projected, linear_unit_factor, transform_xy
from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.stats.grid import (
    DEFAULT_NODATA,
    DensityGrid,
    default_layout,
    extent_layout,
    qgis_effective_y,
    qgis_layout,
)
from juvmap.stats.kernels import OUTPUT_UNITS, check_kernel, kernel_stencil, output_factor, raw_kernel

#: auto uses the exact sum when N·(2r/cell + 2)² is at most this.
EXACT_MAX_WORK = 4_000_000
#: Largest grid we agree to compute (cells).
MAX_CELLS = 40_000_000
#: The FFT path refines cells (see :func:`fft_oversampling`) up to this many cells for accuracy …
FFT_CHEAP_CELLS = 4_000_000
#: … and up to this many when the radius spans fewer than 10 cells.
MAX_FFT_CELLS = 16_000_000
_CHUNK_ELEMENTS = 2_000_000


def points_xy(
    points: Any, weight: str | np.ndarray | None = None, crs: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any, bool]:
    """Return ``(x, y, weights, crs, synthetic)`` of a point layer or of ``(x, y)`` arrays.

    A point layer is a GeoDataFrame in any CRS or a table with ``lon``/``lat`` columns in
    EPSG:4326 (:func:`juvmap.io.points.point_xy`). Multipoints contribute every part (with the
    feature's weight), rows without a location are skipped, missing weights count as 0 (as in
    QGIS). Bare arrays are in ``crs``, by default :data:`~juvmap.crs.EQUAL_AREA_CRS` (then the
    returned ``crs`` is ``None``). The inputs are not modified.
    """
    if isinstance(points, tuple | list) and len(points) == 2:
        x = np.asarray(points[0], dtype=np.float64).ravel()
        y = np.asarray(points[1], dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise AnalysisError(_("x and y must have the same length"))
        w = _weights(weight, x.size, None)
        keep = np.isfinite(x) & np.isfinite(y)
        if not keep.all():
            x, y, w = x[keep], y[keep], w[keep]
        return x, y, w, crs, False
    from juvmap.io.points import point_crs, point_xy

    crs = point_crs(points)
    if crs is None:
        raise AnalysisError(_("The layer has no coordinate reference system"))
    x, y, rows = point_xy(points, crs=None)
    w = _weights(weight, len(points), points)[rows]
    synthetic = bool(getattr(points, "attrs", {}).get("synthetic", False))
    return x, y, w, crs, synthetic


def _weights(weight: str | np.ndarray | None, n: int, frame: Any) -> np.ndarray:
    if weight is None:
        return np.ones(n, dtype=np.float64)
    if isinstance(weight, str):
        if frame is None or weight not in frame.columns:
            raise AnalysisError(_("No weight field named {name}").format(name=weight))
        import pandas as pd

        values = pd.to_numeric(frame[weight], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isnan(values).all() and frame[weight].notna().any():
            raise AnalysisError(_("The weight field {name} is not numeric").format(name=weight))
    else:
        values = np.asarray(weight, dtype=np.float64).ravel()
        if values.size != n:
            raise AnalysisError(_("There must be one weight per point"))
    return np.where(np.isfinite(values), values, 0.0)


def suggest_radius(points: Any, weight: str | np.ndarray | None = None) -> float:
    """Suggest a kernel radius in metres from the spread of the points.

    The rule is the robust Silverman-type rule of ArcGIS Pro's *Kernel Density* tool::

        radius = 0.9 · min(SD, sqrt(1 / ln 2) · Dm) · n^(-0.2)

    with SD the standard distance of the points from their (weighted) mean centre, Dm the
    (weighted) median of those distances and n the number of points (the sum of the weights
    when a weight is given). Distances are measured in :data:`~juvmap.crs.EQUAL_AREA_CRS`.

    Parameters
    ----------
    points : pandas.DataFrame or geopandas.GeoDataFrame or tuple of arrays
        Points in any CRS (a GeoDataFrame), a table with ``lon``/``lat`` columns in EPSG:4326,
        or (x, y) arrays in the equal-area CRS.
    weight : str or array, optional
        Weight field name or weights.

    Returns
    -------
    float
        Suggested radius (metres).

    Raises
    ------
    AnalysisError
        When there are no points, or all points are at the same place.
    """
    x, y, w, crs, _synthetic = points_xy(points, weight)
    if crs is not None and as_crs(crs) != EQUAL_AREA_CRS:
        x, y = transform_xy(x, y, crs, EQUAL_AREA_CRS)
    keep = w > 0
    x, y, w = x[keep], y[keep], w[keep]
    if x.size == 0:
        raise AnalysisError(_("The layer has no points to analyse"))
    total = float(w.sum())
    cx, cy = np.average(x, weights=w), np.average(y, weights=w)
    d = np.hypot(x - cx, y - cy)
    sd = math.sqrt(float(np.average(d * d, weights=w)))
    order = np.argsort(d)
    cum = np.cumsum(w[order])
    median = float(d[order][np.searchsorted(cum, 0.5 * total)])
    radius = 0.9 * min(sd, math.sqrt(1.0 / math.log(2.0)) * median) * total ** (-0.2)
    if not radius > 0:
        raise AnalysisError(_("Cannot suggest a radius: all points are at the same place"))
    return radius


def kernel_density(
    points: Any,
    radius: float | None = None,
    cell: float = 1000.0,
    kernel: str = "quartic",
    output: str = "density",
    weight: str | np.ndarray | None = None,
    grid: str = "default",
    extent: tuple[float, float, float, float] | str | None = None,
    method: str = "auto",
    decay: float = 0.0,
    crs: Any = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> DensityGrid:
    """Compute a kernel density surface of points.

    Parameters
    ----------
    points : pandas.DataFrame or geopandas.GeoDataFrame or tuple of arrays
        Point (or multipoint) GeoDataFrame in any CRS, a table with ``lon``/``lat`` columns in
        EPSG:4326 (as :func:`juvmap.io.load.load_layer` returns), or (x, y) arrays in ``crs``
        (by default :data:`~juvmap.crs.EQUAL_AREA_CRS`). Not modified.
    radius : float, optional
        Kernel radius (bandwidth) in metres; ``None`` uses :func:`suggest_radius`.
    cell : float
        Cell size in metres.
    kernel : str
        One of :data:`~juvmap.stats.kernels.KERNELS` (default quartic).
    output : {"density", "raw", "scaled"}
        Incidents per km², QGIS's Raw, or QGIS's Scaled (per m²).
    weight : str or array, optional
        Weight field name (missing values count as 0, as in QGIS) or one weight per point.
    grid : {"default", "qgis"}
        ``"default"``: the points' extent grown by the radius, snapped outward to multiples of
        ``cell``, in the equal-area CRS. ``"qgis"``: QGIS's layout — the points' extent grown by
        the radius, origin at its top-left corner, ``ceil(height / cell) + 1`` rows and
        ``ceil(width / cell) + 1`` columns — in the layer's CRS when it is projected.
    extent : tuple or "kazakhstan", optional
        (xmin, ymin, xmax, ymax) in equal-area metres (snapped outward to ``cell``), or all of
        Kazakhstan. Overrides the default layout; points outside still add to cells within reach.
    method : {"auto", "fft", "exact"}
        How to compute the sum (see the module docstring).
    decay : float
        Decay ratio of the triangular kernel (QGIS's ``DECAY``).
    crs : optional
        CRS of ``points`` when they are (x, y) arrays (default: the equal-area CRS).
    progress, cancel
        Progress callback and cancel token.

    Returns
    -------
    DensityGrid

    Raises
    ------
    AnalysisError
        Invalid parameters, no points, or a grid too large for memory.
    """
    check_kernel(kernel, output, decay)
    if method not in ("auto", "fft", "exact"):
        raise AnalysisError(_("Unknown method: {name}").format(name=method))
    if grid not in ("default", "qgis"):
        raise AnalysisError(_("Unknown grid layout: {name}").format(name=grid))
    if not (math.isfinite(cell) and cell > 0):
        raise AnalysisError(_("The cell size must be a positive number of metres"))
    report(progress, 0.0, _("Reading points"))
    x, y, w, crs, synthetic = points_xy(points, weight, crs)
    if x.size == 0:
        raise AnalysisError(_("The layer has no points to analyse"))
    if grid == "qgis" and extent is None and crs is not None and is_projected(crs):
        work_crs = as_crs(crs)
    else:
        work_crs = EQUAL_AREA_CRS
        if crs is not None:
            x, y = _projected(x, y, crs)
    if radius is None:
        ea = (x, y) if work_crs is EQUAL_AREA_CRS else _projected(x, y, crs)
        radius = suggest_radius(ea, w)
    if not (math.isfinite(radius) and radius > 0):
        raise AnalysisError(_("The radius must be a positive number of metres"))
    check(cancel)
    unit_m = linear_unit_factor(work_crs)
    r, p = radius / unit_m, cell / unit_m

    if extent is not None:
        transform, shape = extent_layout(extent, p)
        layout = "extent"
    elif grid == "qgis":
        transform, shape = qgis_layout(x, y, r, p)
        y = qgis_effective_y(y, r, p, transform)
        layout = "qgis"
    else:
        transform, shape = default_layout(x, y, r, p)
        layout = "default"
    if shape[0] * shape[1] > MAX_CELLS:
        raise AnalysisError(
            _("The grid would have {n} million cells; use a larger cell size").format(
                n=round(shape[0] * shape[1] / 1e6)
            )
        )
    report(progress, 0.1, _("Computing density"))
    work = x.size * (2.0 * r / p + 2.0) ** 2
    limit = EXACT_MAX_WORK * (10 if kernel == "uniform" else 1)
    chosen = method if method != "auto" else ("exact" if work <= limit else "fft")
    if chosen == "exact":
        values = _exact_sum(x, y, w, transform, shape, kernel, r, decay, progress, cancel)
    else:
        values = _fft_sum(x, y, w, transform, shape, kernel, r, decay, cancel)
    values *= output_factor(kernel, r, output, decay, unit_m)
    report(progress, 1.0, _("Done"))
    return DensityGrid(
        values=values,
        transform=transform,
        crs=work_crs,
        nodata=DEFAULT_NODATA,
        units=_(OUTPUT_UNITS[output]),
        kernel=kernel,
        radius=float(radius),
        cell=float(cell),
        output=output,
        n_points=int(x.size),
        synthetic=synthetic,
        decay=float(decay),
        total_weight=float(w.sum()),
        method=chosen,
        layout=layout,
    )


def _projected(x: np.ndarray, y: np.ndarray, crs: Any) -> tuple[np.ndarray, np.ndarray]:
    if as_crs(crs) == EQUAL_AREA_CRS:
        return x, y
    return transform_xy(x, y, crs, EQUAL_AREA_CRS)


def _exact_sum(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    transform: Affine,
    shape: tuple[int, int],
    kernel: str,
    r: float,
    decay: float,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> np.ndarray:
    """Sum ``w · K(d / r)`` over points at every cell centre within the radius (raw values).

    Points are taken in chunks sorted by row, so each chunk only touches a band of the grid.
    """
    rows, cols = shape
    p, x0, y0 = transform.a, transform.c, transform.f
    span = int(math.floor(2.0 * r / p)) + 3
    steps = np.arange(span)
    col0_all = np.floor((x - r - x0) / p - 0.5)
    row0_all = np.floor((y0 - y - r) / p - 0.5)
    reach = (row0_all < rows) & (row0_all + span > 0) & (col0_all < cols) & (col0_all + span > 0)
    order = np.flatnonzero(reach)
    order = order[np.argsort(row0_all[order], kind="stable")]
    out = np.zeros(rows * cols, dtype=np.float64)
    chunk = max(1, _CHUNK_ELEMENTS // (span * span))
    for start in range(0, order.size, chunk):
        check(cancel)
        idx = order[start : start + chunk]
        xs, ys, ws = x[idx], y[idx], w[idx]
        cols_ = col0_all[idx].astype(np.int64)[:, None] + steps[None, :]
        rows_ = row0_all[idx].astype(np.int64)[:, None] + steps[None, :]
        dx = x0 + (cols_ + 0.5) * p - xs[:, None]
        dy = y0 - (rows_ + 0.5) * p - ys[:, None]
        dist = np.sqrt(dy[:, :, None] ** 2 + dx[:, None, :] ** 2)
        val = raw_kernel(kernel, dist / r, decay) * ws[:, None, None]
        ok = ((rows_ >= 0) & (rows_ < rows))[:, :, None] & ((cols_ >= 0) & (cols_ < cols))[:, None, :]
        ok &= dist <= r
        top = max(int(rows_[:, 0].min()), 0)
        bottom = min(int(rows_[:, -1].max()) + 1, rows)
        flat = (rows_ - top)[:, :, None] * cols + cols_[:, None, :]
        band = np.bincount(flat[ok], weights=val[ok], minlength=(bottom - top) * cols)
        out[top * cols : bottom * cols] += band
        report(progress, 0.1 + 0.9 * min(start + chunk, order.size) / order.size, _("Computing density"))
    return out.reshape(rows, cols)


def fft_oversampling(r: float, p: float, shape: tuple[int, int]) -> int:
    """Odd factor by which the FFT path refines the cells.

    Linear binning interpolates the kernel linearly between cell centres: the error is at most
    ``|K''|·cell²/8``, i.e. 0.5·(cell/r)² of the peak for the quartic kernel and 0.75·(cell/r)²
    for the triweight. The factor is the smallest that makes the radius span 28 fine cells
    (error < 1e-3 of the peak) as long as the fine grid stays within ``FFT_CHEAP_CELLS``, and
    at least 10 fine cells (error < 7.5e-3) within ``MAX_FFT_CELLS``; at most 11.
    """
    cells = shape[0] * shape[1]
    factor = 1
    while factor < 11:
        nxt = factor + 2
        wanted = r * factor / p < 28.0 and cells * nxt * nxt <= FFT_CHEAP_CELLS
        needed = r * factor / p < 10.0 and cells * nxt * nxt <= MAX_FFT_CELLS
        if not (wanted or needed):
            break
        factor = nxt
    return factor


def _fft_sum(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    transform: Affine,
    shape: tuple[int, int],
    kernel: str,
    r: float,
    decay: float,
    cancel: CancelToken | None,
) -> np.ndarray:
    """Linear binning to cell centres, then FFT convolution with the sampled kernel (raw values).

    With an oversampling factor ``s > 1`` the work is done on cells ``s`` times smaller whose
    middle ones (``s`` odd) have the same centres as the output cells.
    """
    from scipy import fft

    s = fft_oversampling(r, transform.a, shape)
    p = transform.a / s
    rows, cols = shape[0] * s, shape[1] * s
    stencil = kernel_stencil(kernel, r, p, "raw", decay)
    m = stencil.shape[0] // 2
    pad = m + 1
    brows, bcols = rows + 2 * pad, cols + 2 * pad
    # no extra zero padding: with ``pad = m + 1`` a circular convolution of length ≥ brows - 1
    # cannot wrap any point's kernel onto the output window. Bin straight into an array of the
    # transform's size (the padded grid at its top-left, zeros beyond).
    size = (fft.next_fast_len(brows, real=True), fft.next_fast_len(bcols, real=True))
    stride = size[1]
    # fractional index of each point among the padded grid's cell centres
    u = (x - transform.c) / p - 0.5 + pad
    v = (transform.f - y) / p - 0.5 + pad
    i0, j0 = np.floor(v), np.floor(u)
    fv, fu = v - i0, u - j0
    # the outermost padded rows/columns cannot reach the output: drop points whose four
    # neighbours are not all inside the padded grid
    inside = (i0 >= 0) & (i0 < brows - 1) & (j0 >= 0) & (j0 < bcols - 1)
    if not inside.all():
        i0, j0, fv, fu, w = i0[inside], j0[inside], fv[inside], fu[inside], w[inside]
    base = (i0 * stride + j0).astype(np.intp)
    upper, lower = w * (1.0 - fv), w * fv
    index = np.concatenate((base, base + 1, base + stride, base + stride + 1))
    del base
    weights = np.concatenate((upper * (1.0 - fu), upper * fu, lower * (1.0 - fu), lower * fu))
    del upper, lower
    binned = np.bincount(index, weights=weights, minlength=size[0] * size[1])
    del index, weights
    check(cancel)
    spectrum = fft.rfft2(binned.reshape(size), workers=-1, overwrite_x=True)
    del binned
    # the kernel's spectrum: real transform of its few non-zero rows, then the column transform
    # (equal to rfft2(stencil, s=size), without transforming thousands of zero rows)
    spectrum *= fft.fft(fft.rfft(stencil, n=size[1], axis=1, workers=-1), n=size[0], axis=0, workers=-1)
    check(cancel)
    full = fft.irfft2(spectrum, s=size, workers=-1, overwrite_x=True)
    del spectrum
    o = pad + m + (s - 1) // 2
    values = np.array(full[o : o + rows : s, o : o + cols : s])
    del full
    # round-off of the transform: exact zeros far from every point, no negative noise
    if kernel == "triangular" and decay < 0:  # the only kernel with negative values
        tiny = 1e-12 * float(np.abs(values).max(initial=0.0))
        values[np.abs(values) <= tiny] = 0.0
    else:
        np.maximum(values, 0.0, out=values)
        values[values <= 1e-12 * float(values.max(initial=0.0))] = 0.0
    return values
