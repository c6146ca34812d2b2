"""Point in area, fast, with a tolerance at the country's edge.

A coarse grid holds the area of every cell that no boundary crosses; only points in cells a
boundary crosses get the exact point-in-polygon test. A point outside every area but within
``tolerance_m`` of one (measured in :data:`juvmap.crs.EQUAL_AREA_CRS`, whose scale error is
within about ±1 % across Kazakhstan) goes to the nearest area: coastlines and borders are
digitised to a few hundred metres, and a real address on the Caspian shore or at a border
post must not be lost. Points farther out (in the Caspian Sea, in a neighbouring country)
stay outside. Cells whose centre is far enough from every area are rejected without any
exact test.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from juvmap.io.points import first_polygon

#: cell size of the lookup grid, in degrees
GRID_CELL = 0.02
_KM_PER_DEGREE = 111.32
#: the grid's distances use the shortest degree of longitude in Kazakhstan (56° N): never too far
_MIN_COS_LAT = np.cos(np.radians(56.0))
#: vertices per boundary piece of the nearest-area search
_PIECE = 16


class AreaLookup:
    """A grid of area indices; exact tests only near boundaries; nearest area within a tolerance.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Polygons with a ``code`` column, EPSG:4326, in the order ties are settled (a point on
        a shared border goes to the first).
    tolerance_m : float
        Largest distance (metres) at which a point outside every area still goes to the
        nearest one; 0 disables it.
    cell : float
        Grid cell in degrees.
    grid_file : Path, optional
        Where the rasterised grid is cached (``.npz``).
    """

    def __init__(self, areas: gpd.GeoDataFrame, tolerance_m: float, cell: float = GRID_CELL,
                 grid_file: Path | None = None) -> None:
        self.codes = np.asarray([str(c) for c in areas["code"]] + [""], dtype=object)
        self.geoms = areas.geometry.to_numpy()
        self.tolerance_m = float(tolerance_m)
        self._edges: tuple[shapely.STRtree, np.ndarray] | None = None
        margin = cell * 2 + self.tolerance_m / 1000.0 / (_KM_PER_DEGREE * _MIN_COS_LAT)
        minx, miny, maxx, maxy = areas.total_bounds
        self.x0, self.y0, self.cell = minx - margin, maxy + margin, cell
        self.shape = (int(np.ceil((maxy - miny + 2 * margin) / cell)) + 1,
                      int(np.ceil((maxx - minx + 2 * margin) / cell)) + 1)
        if grid_file is not None and grid_file.exists():
            with np.load(grid_file) as saved:
                self.label, self.exact = saved["label"], saved["exact"]
            return
        self._rasterize()
        if grid_file is not None:
            grid_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = grid_file.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez_compressed(tmp, label=self.label, exact=self.exact)
            tmp.replace(grid_file)

    def _rasterize(self) -> None:
        from affine import Affine
        from rasterio import features
        from scipy import ndimage

        transform = Affine(self.cell, 0.0, self.x0, 0.0, -self.cell, self.y0)
        outside = len(self.geoms)
        self.label = features.rasterize(
            ((g, i) for i, g in enumerate(self.geoms)), out_shape=self.shape,
            transform=transform, fill=outside, dtype="int16")
        edges = features.rasterize(((shapely.boundary(g), 1) for g in self.geoms),
                                   out_shape=self.shape, transform=transform, fill=0,
                                   all_touched=True, dtype="uint8")
        self.exact = ndimage.binary_dilation(edges.astype(bool), iterations=1)
        if self.tolerance_m > 0:  # outside cells that may hold a point within the tolerance
            km = self.cell * _KM_PER_DEGREE
            dist = ndimage.distance_transform_edt(self.label == outside,
                                                  sampling=(km, km * _MIN_COS_LAT))
            self.exact |= (self.label == outside) & (dist <= self.tolerance_m / 1000.0 + 2 * km)

    def _edge_tree(self) -> tuple[shapely.STRtree, np.ndarray]:
        """Short pieces of every area's boundary, projected, and the area each belongs to.

        The distance from an outside point to an area is the distance to its boundary;
        pieces of at most :data:`_PIECE` vertices keep the nearest-neighbour query fast.
        """
        from juvmap.crs import EQUAL_AREA_CRS

        projected = gpd.GeoSeries(self.geoms, crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).to_numpy()
        pieces, owner = [], []
        for i, geom in enumerate(projected):
            for ring in shapely.get_parts(shapely.boundary(geom)):
                xy = shapely.get_coordinates(ring)
                for start in range(0, len(xy) - 1, _PIECE - 1):
                    pieces.append(shapely.linestrings(xy[start:start + _PIECE]))
                    owner.append(i)
        return shapely.STRtree(pieces), np.asarray(owner, dtype=np.int64)

    def _nearest(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the nearest area within the tolerance of each point; -1 for none."""
        from juvmap.crs import EQUAL_AREA_CRS, transform_xy

        if self._edges is None:
            self._edges = self._edge_tree()
        tree, owner = self._edges
        px, py = transform_xy(x, y, "EPSG:4326", EQUAL_AREA_CRS)
        found = np.full(x.size, -1, dtype=np.int64)
        src, dst = tree.query_nearest(shapely.points(px, py), max_distance=self.tolerance_m,
                                      all_matches=False)
        found[src] = owner[dst]
        return found

    def assign(self, x: np.ndarray, y: np.ndarray, snapped: np.ndarray | None = None) -> np.ndarray:
        """Index of the area of every point; ``len(areas)`` where none (NaN included).

        ``snapped``, a boolean array like ``x``, is set True where a point outside every
        area was given to the nearest one (within the tolerance).
        """
        outside = len(self.geoms)
        idx = np.full(x.shape, outside, dtype=np.int16)
        col = np.floor((x - self.x0) / self.cell)
        row = np.floor((self.y0 - y) / self.cell)
        ok = (col >= 0) & (row >= 0) & (col < self.shape[1]) & (row < self.shape[0])
        r, c = row[ok].astype(np.intp), col[ok].astype(np.intp)
        idx[ok] = self.label[r, c]
        exact = np.flatnonzero(ok)[self.exact[r, c]]
        idx[exact] = outside
        if exact.size:  # cells a boundary crosses or near the edge: the exact test
            found = first_polygon(self.geoms, x[exact], y[exact])
            idx[exact[found >= 0]] = found[found >= 0]
            missed = exact[found < 0]
            if missed.size and self.tolerance_m > 0:
                near = self._nearest(x[missed], y[missed])
                idx[missed[near >= 0]] = near[near >= 0]
                if snapped is not None:
                    snapped[missed[near >= 0]] = True
        return idx

    def assign_codes(self, x: np.ndarray, y: np.ndarray, snapped: np.ndarray | None = None) -> np.ndarray:
        """The code of the area of every point; ``""`` where none (``snapped``: see :meth:`assign`)."""
        return self.codes[self.assign(x, y, snapped)]
