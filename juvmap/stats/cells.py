"""Square or hexagonal cells of a chosen size for counting points, with their contiguity.

Points (in a metric CRS, e.g. :data:`juvmap.crs.EQUAL_AREA_CRS`) are put in cells of side
``size`` (square) or of flat-to-flat width ``size`` (pointy-top hexagons, axial
coordinates). Only the cells holding a point and their first ring of neighbours are kept —
a country-wide grid of small cells would be mostly empty; the ring gives every occupied
cell its full neighbourhood of zeros, so Gi* compares it with its real surroundings.
Contiguity is queen for squares (8 neighbours) and the 6 edge neighbours for hexagons.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from scipy import sparse

__all__ = ["SHAPES", "cell_grid"]

SHAPES = ("square", "hex")
_SQUARE_RING = [(dc, dr) for dc in (-1, 0, 1) for dr in (-1, 0, 1) if (dc, dr) != (0, 0)]
_HEX_RING = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)]


def _hex_round(q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(np.int64), rr.astype(np.int64)


def _cell_of(x: np.ndarray, y: np.ndarray, size: float, shape: str):
    if shape == "square":
        return np.floor(x / size).astype(np.int64), np.floor(y / size).astype(np.int64)
    radius = size / math.sqrt(3.0)  # centre to corner of a pointy-top hexagon
    q = (math.sqrt(3.0) / 3.0 * x - y / 3.0) / radius
    r = (2.0 / 3.0 * y) / radius
    return _hex_round(q, r)


def _polygon(a: int, b: int, size: float, shape: str):
    if shape == "square":
        return shapely.box(a * size, b * size, (a + 1) * size, (b + 1) * size)
    radius = size / math.sqrt(3.0)
    cx = radius * math.sqrt(3.0) * (a + b / 2.0)
    cy = radius * 1.5 * b
    angles = np.radians(30 + 60 * np.arange(6))
    return shapely.Polygon(np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)]))


def cell_grid(x, y, size: float, shape: str = "square"):
    """Assign points to cells and return the kept cells with their contiguity.

    Parameters
    ----------
    x, y : array-like of float
        Point coordinates in metres (NaN points get no cell).
    size : float
        Cell size in the units of ``x``/``y``.
    shape : {"square", "hex"}
        Cell shape.

    Returns
    -------
    (ndarray, DataFrame, scipy.sparse.csr_matrix)
        The cell id of every point (``""`` for NaN points); the cells (index ``code`` such
        as ``"S12_-4"`` or ``"H3_7"``, column ``geometry`` of shapely polygons in the
        points' CRS, ``occupied`` bool); their binary contiguity in that row order.
    """
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}")
    if not size > 0:
        raise ValueError("size must be positive")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    a, b = _cell_of(np.where(ok, x, 0.0), np.where(ok, y, 0.0), size, shape)
    prefix = "S" if shape == "square" else "H"
    occupied = set(zip(a[ok].tolist(), b[ok].tolist(), strict=True))
    ring = _SQUARE_RING if shape == "square" else _HEX_RING
    keys = sorted(occupied | {(i + da, j + db) for i, j in occupied for da, db in ring})
    position = {k: n for n, k in enumerate(keys)}
    rows, cols = [], []
    for n, (i, j) in enumerate(keys):
        for da, db in ring:
            m = position.get((i + da, j + db))
            if m is not None:
                rows.append(n)
                cols.append(m)
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(keys), len(keys)))
    codes = [f"{prefix}{i}_{j}" for i, j in keys]
    cells = pd.DataFrame({"geometry": [_polygon(i, j, size, shape) for i, j in keys],
                          "occupied": [k in occupied for k in keys]},
                         index=pd.Index(codes, name="code"))
    point_ids = np.array([f"{prefix}{i}_{j}" for i, j in zip(a.tolist(), b.tolist(), strict=True)],
                         dtype=object)
    point_ids[~ok] = ""
    return point_ids, cells, adjacency
