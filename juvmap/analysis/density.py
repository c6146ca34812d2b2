"""The density part of an analysis: kernel density with the parameters actually used, masked
where fewer than 5 incidents contribute (public output), and its named peaks."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from juvmap import disclosure
from juvmap.analysis.request import AnalysisRequest
from juvmap.progress import CancelToken, ProgressCallback

#: cells of an automatic density grid: radius / CELLS_PER_RADIUS, and at most MAX_AUTO_CELLS in all
CELLS_PER_RADIUS = 12
MAX_AUTO_CELLS = 1_500_000


def auto_cell(points: pd.DataFrame, radius: float) -> float:
    """A cell size for a density: radius / 12 (a multiple of 250 m, at least 250 m), coarser when
    the grid over the points' extent would exceed :data:`MAX_AUTO_CELLS`."""
    from juvmap.crs import EQUAL_AREA_CRS, transformer
    from juvmap.io.points import point_crs, point_xy

    x, y, _rows = point_xy(points, crs=None)
    xmin, ymin, xmax, ymax = transformer(point_crs(points), EQUAL_AREA_CRS).transform_bounds(
        x.min(), y.min(), x.max(), y.max(), densify_pts=21)
    area = (xmax - xmin + 2 * radius) * (ymax - ymin + 2 * radius)
    cell = max(radius / CELLS_PER_RADIUS, float(np.sqrt(area / MAX_AUTO_CELLS)), 250.0)
    return float(np.ceil(cell / 250.0) * 250.0)


def located_points(incidents: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame | None:
    """The located incidents of ``mask`` as a lon/lat table (None when there are none)."""
    from juvmap.crs import WGS84, as_crs
    from juvmap.io.points import has_points, point_crs, point_xy

    if not has_points(incidents):
        return None
    kept = incidents.loc[mask]
    x, y, _rows = point_xy(kept, crs=None)
    if x.size == 0:
        return None
    crs = point_crs(kept)
    if crs is not None and as_crs(crs) == WGS84:
        points = pd.DataFrame({"lon": x, "lat": y})
    else:
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=crs)
    points.attrs["synthetic"] = bool(incidents.attrs.get("synthetic", False))
    return points


def contributors(points: pd.DataFrame, grid) -> np.ndarray:
    """The number of incidents within the bandwidth of each cell of ``grid``."""
    from juvmap.stats.kde import kernel_density

    rows, cols = grid.values.shape
    xmin, ymax = grid.transform.c, grid.transform.f
    extent = (xmin, ymax - rows * grid.cell, xmin + cols * grid.cell, ymax)
    counts = kernel_density(points, radius=grid.radius, cell=grid.cell, kernel="uniform", output="raw",
                            extent=extent, method="fft")
    return np.rint(counts.values[:rows, :cols])


def density(request: AnalysisRequest, points: pd.DataFrame, progress: ProgressCallback | None = None,
            cancel: CancelToken | None = None) -> tuple[Any, dict[str, Any]]:
    """Kernel density of ``points`` with the request's settings; returns the grid and the
    parameters used (``masked`` when cells with < 5 contributing incidents were blanked)."""
    from juvmap.stats.kde import kernel_density, suggest_radius

    radius = request.kde_radius or suggest_radius(points)
    cell = request.kde_cell or auto_cell(points, radius)
    grid = kernel_density(points, radius=radius, cell=cell, kernel=request.kde_kernel,
                          output=request.kde_output, progress=progress, cancel=cancel)
    params = {"kernel": request.kde_kernel, "radius": float(radius), "cell": float(cell),
              "output": request.kde_output, "suggested": request.kde_radius is None, "masked": False}
    if request.disclosure == "public":
        support = contributors(points, grid)
        hidden = support < disclosure.SUPPRESS_BELOW
        if hidden.any():
            grid.values = np.where(hidden, 0.0, grid.values)
            params["masked"] = True
    return grid, params


def peaks(request: AnalysisRequest, grid) -> list:
    """The request's number of named density peaks (none for an empty surface)."""
    from juvmap.stats.peaks import find_peaks

    if grid is None or request.peaks <= 0 or not np.any(grid.values > 0):
        return []
    return find_peaks(grid, n=request.peaks)
