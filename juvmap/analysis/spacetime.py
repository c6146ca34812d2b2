"""The space-time tools on a loaded incident layer: evaluation, emerging hot spots, near repeats.

Qt-free pipelines shared by the CLI (``juvmap evaluate/emerging/nearrepeat``) and the
application's Space-time dock: incidents in, the statistics of :mod:`juvmap.stats` out
(codes and numbers; presenters translate). Each long one takes ``progress`` and ``cancel``
(:mod:`juvmap.progress`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from juvmap.analysis.spacetime_areas import area_layer, area_mask, incident_areas
from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.progress import CancelToken, ProgressCallback, check, report

__all__ = ["EmergingHotspots", "emerging_for_incidents", "evaluate_areas", "filtered_incidents",
           "near_repeat_for_incidents"]


def filtered_incidents(incidents: pd.DataFrame | None, flt=None) -> pd.DataFrame | None:
    """The incidents an :class:`~juvmap.stats.filters.IncidentFilter` keeps, in every year.

    The space-time tools choose their own periods, so the filter's years are not applied;
    ``attrs`` (source, synthetic) are kept.
    """
    if incidents is None or flt is None:
        return incidents
    from dataclasses import replace

    flt = replace(flt, years=None)
    if flt.is_empty:
        return incidents
    out = incidents[flt.mask(incidents)]
    out.attrs = dict(incidents.attrs)
    return out


def _require_dates(incidents: pd.DataFrame | None) -> None:
    if incidents is None or "date" not in incidents:
        raise AnalysisError(_("The space-time tools need an incident layer with dates: switch to the "
                              "incidents or open a file."))


def evaluate_areas(incidents: pd.DataFrame, treated: Sequence[str], control: Sequence[str],
                   before: tuple[int, int], after: tuple[int, int],
                   displacement: Sequence[str] = (), displacement_control: Sequence[str] = (),
                   family: str = "quasipoisson") -> dict:
    """:func:`juvmap.stats.evaluation.evaluate` of areas named by region/district codes.

    Each of ``treated`` … ``displacement_control`` is a list of codes forming one area
    (see :func:`~juvmap.analysis.spacetime_areas.area_mask`); the displacement pair is used
    only when both are given.
    """
    from juvmap.stats.evaluation import evaluate

    _require_dates(incidents)
    masks = {"T": area_mask(incidents, ",".join(treated)), "C": area_mask(incidents, ",".join(control))}
    if displacement and displacement_control:
        masks["D"] = area_mask(incidents, ",".join(displacement))
        masks["CD"] = area_mask(incidents, ",".join(displacement_control))
    return evaluate(incidents["date"], masks, tuple(before), tuple(after), family=family)


@dataclass
class EmergingHotspots:
    """What :func:`emerging_for_incidents` found.

    ``polygons``: ``code``, ``name_kk/ru/en`` where known, ``geometry`` (EPSG:4326);
    ``table``: :func:`~juvmap.stats.emerging.emerging_hotspots` indexed by code; ``counts``:
    incidents per area × step; ``level`` the level used; ``notice`` a translated remark.
    """

    polygons: object
    table: pd.DataFrame
    counts: pd.DataFrame
    level: str
    step: str
    alpha: float
    notice: str = ""


def _grid_areas(incidents: pd.DataFrame, cell: float, shape: str):
    import geopandas as gpd

    from juvmap.crs import EQUAL_AREA_CRS
    from juvmap.io.points import point_xy
    from juvmap.stats.cells import cell_grid

    x, y, rows = point_xy(incidents, crs=EQUAL_AREA_CRS)
    ids, cells, adjacency = cell_grid(x, y, cell, shape)
    area_of = np.full(len(incidents), "", dtype=object)
    area_of[rows] = ids
    polygons = gpd.GeoDataFrame({"code": cells.index}, geometry=list(cells["geometry"]),
                                crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")
    return polygons, area_of, adjacency, "grid", ""


def _polygon_areas(incidents: pd.DataFrame, level: str):
    from juvmap.stats.smoothing import neighbour_matrix, queen_weights

    polygons, used, notice = area_layer(level)
    polygons = polygons.sort_values("code").reset_index(drop=True)
    if used == "regions" and "region" in incidents:
        area_of = incidents["region"].astype(str).to_numpy()
    else:
        area_of = incident_areas(incidents, polygons)
    return polygons, area_of, neighbour_matrix(queen_weights(polygons)), used, notice


def emerging_for_incidents(incidents: pd.DataFrame, level: str = "regions", step: str = "year",
                           alpha: float = 0.05, cell: float = 5000.0, shape: str = "hex",
                           progress: ProgressCallback | None = None,
                           cancel: CancelToken | None = None) -> EmergingHotspots:
    """Emerging hot spots of ``incidents`` per region, district or grid cell and time step.

    Raises
    ------
    AnalysisError
        Without dates, with a cell size ≤ 0, or when the data span fewer than 3 steps.
    """
    from juvmap.stats.emerging import emerging_hotspots, step_counts

    _require_dates(incidents)
    if level == "grid" and not cell > 0:
        raise AnalysisError(_("The cell size must be a positive number of metres."))
    report(progress, 0.1, _("Placing the incidents in areas…"))
    if level == "grid":
        polygons, area_of, adjacency, used, notice = _grid_areas(incidents, cell, shape)
    else:
        polygons, area_of, adjacency, used, notice = _polygon_areas(incidents, level)
    check(cancel)
    counts = step_counts(incidents["date"], area_of, polygons["code"], step)
    if counts.shape[1] < 3:
        raise AnalysisError(_("Emerging hot spots need at least 3 time steps; the data span {n}.").format(
            n=counts.shape[1]))
    report(progress, 0.5, _("Gi* and trends…"))
    table = emerging_hotspots(counts, adjacency, alpha=alpha)
    keep = [c for c in ("code", "name_kk", "name_ru", "name_en", "geometry") if c in polygons.columns]
    return EmergingHotspots(polygons[keep], table, counts, used, step, alpha, notice)


def near_repeat_for_incidents(incidents: pd.DataFrame, distance_edges, day_edges,
                              permutations: int = 999, seed: int = 20240917,
                              progress: ProgressCallback | None = None,
                              cancel: CancelToken | None = None) -> pd.DataFrame:
    """The Knox test (:func:`juvmap.stats.nearrepeat.knox_test`) on the dated incident points.

    ``attrs`` of the table gain ``left_out``: incidents without coordinates or date.
    """
    from juvmap.crs import EQUAL_AREA_CRS
    from juvmap.io.points import has_points, point_xy
    from juvmap.stats.nearrepeat import knox_test

    _require_dates(incidents)
    if permutations < 1:
        raise AnalysisError(_("Give at least one permutation."))
    if not has_points(incidents):
        raise AnalysisError(_("The near-repeat test needs incident points with coordinates."))
    x, y, rows = point_xy(incidents, crs=EQUAL_AREA_CRS)
    dates = pd.to_datetime(incidents["date"], errors="coerce").to_numpy()[rows]
    dated = ~np.isnat(dates)
    day_numbers = dates[dated].astype("datetime64[D]").astype(np.int64)
    table = knox_test(x[dated], y[dated], day_numbers, distance_edges, day_edges,
                      permutations=permutations, seed=seed, progress=progress, cancel=cancel)
    table.attrs["left_out"] = len(incidents) - int(dated.sum())
    return table
