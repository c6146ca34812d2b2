"""How many incidents contribute to each cell of a density grid: :func:`contributors_grid`, the
input of :func:`juvmap.disclosure.mask_density`."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["binned_contributors", "contributors_grid", "exact_contributors"]

#: exact counts while N·(2r/cell + 3)² is at most this
EXACT_MAX_WORK = 40_000_000


def contributors_grid(points_xy, transform, shape: tuple[int, int], radius: float) -> np.ndarray:
    """Number of incidents within ``radius`` of every cell centre of a grid.

    Parameters
    ----------
    points_xy : tuple of arrays
        (x, y) of the incidents in the grid's CRS (NaN rows are skipped).
    transform : affine.Affine
        North-up transform of the grid (as :class:`juvmap.stats.grid.DensityGrid`).
    shape : tuple of int
        (rows, cols).
    radius : float
        Bandwidth in units of the transform.

    Returns
    -------
    ndarray of int64, shape ``shape``
        Exact counts (:func:`exact_contributors`) when the work is small, else a lower bound
        (:func:`binned_contributors`): a mask built on it hides at least the cells it must.
    """
    x, y = (np.asarray(a, dtype=float).ravel() for a in points_xy)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if x.size == 0:
        return np.zeros(shape, dtype=np.int64)
    span = 2.0 * radius / abs(transform.a) + 3.0
    if x.size * span * span <= EXACT_MAX_WORK:
        return exact_contributors(x, y, transform, shape, radius)
    return binned_contributors(x, y, transform, shape, radius)


def exact_contributors(x: np.ndarray, y: np.ndarray, transform, shape: tuple[int, int],
                       radius: float) -> np.ndarray:
    """Exact number of points within ``radius`` of every cell centre.

    The raw sum of the uniform kernel of :mod:`juvmap.stats.kde` (its exact path): the same
    cells, distances and radius as the density it masks. Cost ∝ N·(2r/cell)².
    """
    from juvmap.stats.kde import _exact_sum

    ones = np.ones(x.size)
    raw = _exact_sum(x, y, ones, transform, tuple(shape), "uniform", float(radius), 0.0, None, None)
    return np.rint(raw).astype(np.int64)


#: the disc of a large radius is read as at most this many rectangles (rows of equal width)
MAX_BANDS = 16


def _bands(radius_cells: float) -> list[tuple[int, int, int]]:
    """Rectangles (first row, last row, half width) within the disc, in cells from the centre.

    A cell (d, k) lies wholly within the disc when its farthest corner, at
    ((|d| + ½), (|k| + ½)) cells, does; consecutive rows are grouped into at most
    :data:`MAX_BANDS` bands, each as wide as its narrowest row.
    """
    def half(d: int) -> int:
        room = radius_cells**2 - (abs(d) + 0.5) ** 2
        return int(math.floor(math.sqrt(room) - 0.5)) if room >= 0.25 else -1

    top = 0
    while half(top + 1) >= 0:
        top += 1
    if half(0) < 0:
        return []
    height = max(1, math.ceil((2 * top + 1) / MAX_BANDS))
    return [(d0, min(d0 + height - 1, top), min(half(d0), half(min(d0 + height - 1, top))))
            for d0 in range(-top, top + 1, height)]


def binned_contributors(x: np.ndarray, y: np.ndarray, transform, shape: tuple[int, int],
                        radius: float) -> np.ndarray:
    """A lower bound of :func:`exact_contributors`, fast for millions of points.

    Points are counted per cell (over the grid grown by the radius), and a cell sums the
    cells of a few rectangles lying wholly within ``radius`` of its centre (read off a
    summed-area table, exact integers; the column difference is taken once per rectangle
    width, shared by the two rectangles of that width). Cost ∝ grid size, whatever the radius.
    """
    p = abs(transform.a)
    rows, cols = shape
    reach = int(math.ceil(radius / p))
    col = np.floor((x - transform.c) / p).astype(np.int64) + reach
    row = np.floor((transform.f - y) / p).astype(np.int64) + reach
    n_rows, n_cols = rows + 2 * reach, cols + 2 * reach
    inside = (row >= 0) & (row < n_rows) & (col >= 0) & (col < n_cols)
    binned = np.bincount(row[inside] * n_cols + col[inside], minlength=n_rows * n_cols)
    kind = np.int32 if x.size < 2**31 else np.int64
    table = np.zeros((n_rows + 1, n_cols + 1), dtype=kind)
    np.cumsum(binned.reshape(n_rows, n_cols), axis=0, out=table[1:, 1:])
    np.cumsum(table[1:, 1:], axis=1, out=table[1:, 1:])
    out = np.zeros(shape, dtype=kind)
    by_half: dict[int, list[tuple[int, int]]] = {}
    for first, last, half in _bands(radius / p):  # the disc's bands pair up with equal widths
        by_half.setdefault(half, []).append((reach + first, reach + last + 1))
    strip = np.empty((n_rows + 1, cols), dtype=kind)
    for half, spans in by_half.items():
        c0, c1 = reach - half, reach + half + 1
        np.subtract(table[:, c1:c1 + cols], table[:, c0:c0 + cols], out=strip)  # row sums of the width
        for r0, r1 in spans:
            np.add(out, strip[r1:r1 + rows], out=out)
            np.subtract(out, strip[r0:r0 + rows], out=out)
    return out.astype(np.int64)
