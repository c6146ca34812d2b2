"""How many incidents contribute to each cell of a density grid (for
:func:`juvmap.analysis.disclosure.contributors_grid`).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["binned_contributors", "exact_contributors"]


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


def binned_contributors(x: np.ndarray, y: np.ndarray, transform, shape: tuple[int, int],
                        radius: float) -> np.ndarray:
    """A lower bound of :func:`exact_contributors`, fast for millions of points.

    Points are counted per cell (over the grid grown by the radius), and a cell sums the
    cells that lie wholly within ``radius`` of its centre. Cost ∝ grid size.
    """
    from scipy.signal import oaconvolve

    p = abs(transform.a)
    rows, cols = shape
    reach = int(math.ceil(radius / p))
    col = np.floor((x - transform.c) / p).astype(np.int64) + reach
    row = np.floor((transform.f - y) / p).astype(np.int64) + reach
    n_rows, n_cols = rows + 2 * reach, cols + 2 * reach
    inside = (row >= 0) & (row < n_rows) & (col >= 0) & (col < n_cols)
    binned = np.bincount(row[inside] * n_cols + col[inside], minlength=n_rows * n_cols)
    steps = np.abs(np.arange(-reach, reach + 1)) + 0.5
    stencil = (np.hypot(steps[:, None], steps[None, :]) * p <= radius).astype(float)
    summed = oaconvolve(binned.reshape(n_rows, n_cols).astype(float), stencil, mode="same")
    return np.rint(summed[reach:reach + rows, reach:reach + cols]).astype(np.int64)
