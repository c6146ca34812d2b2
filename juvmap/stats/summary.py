"""One call for the per-area table behind a rate map: :func:`region_statistics`."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _, get_language
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.stats.filters import IncidentFilter
from juvmap.stats.hotspots import hotspot_statistics, low_power_warning
from juvmap.stats.rates import (
    Denominator,
    count_by_region,
    count_points_in_polygons,
    crude_rates,
)
from juvmap.stats.smoothing import empirical_bayes, queen_weights, spatial_empirical_bayes

__all__ = ["STATISTICS_COLUMNS", "region_statistics"]

STATISTICS_COLUMNS = [
    "code", "name", "count", "population", "rate", "ci_low", "ci_high", "excess_risk",
    "eb_rate", "spatial_eb_rate", "lisa_quadrant", "lisa_p", "gi_z", "gi_p", "gi_bin",
]


def _names(polygons: gpd.GeoDataFrame, name_field: str | None, codes: pd.Index) -> np.ndarray:
    for field in (name_field, f"name_{get_language()}", "name", "name_en"):
        if field and field in polygons.columns:
            return polygons[field].astype(str).to_numpy()
    return codes.to_numpy()


def _counts(incidents, polygons, codes, filter, how):  # noqa: A002
    if how == "auto":
        regions = incidents["region"].astype("string") if "region" in incidents else None
        by_code = regions is not None and regions.isin(codes).mean() >= 0.5
        how = "code" if by_code else "spatial"
    if how == "code":
        return count_by_region(incidents, codes, filter)
    if how == "spatial":
        poly = polygons.assign(code=codes.to_numpy())[["code", "geometry"]]
        return count_points_in_polygons(incidents, gpd.GeoDataFrame(poly, crs=polygons.crs), "code", filter)
    raise ValueError(f"how must be 'auto', 'code' or 'spatial', not {how!r}")


def region_statistics(
    incidents: pd.DataFrame,
    polygons: gpd.GeoDataFrame,
    denominator: Denominator,
    filter: IncidentFilter | None = None,  # noqa: A002
    eb: bool = True,
    hotspots: bool = True,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    *,
    code_field: str = "code",
    name_field: str | None = None,
    how: str = "auto",
    weights=None,
    hotspot_rate: str | None = None,
    permutations: int = 999,
    seed: int = 12345,
    fdr: bool = False,
    synthetic: bool | None = None,
) -> gpd.GeoDataFrame:
    """Counts, rates, intervals, excess risk, EB smoothing and hot spots per polygon.

    Parameters
    ----------
    incidents : DataFrame or GeoDataFrame
        Canonical incident table (``region`` codes, optionally ``lon``/``lat`` columns in
        EPSG:4326 or point geometry).
    polygons : GeoDataFrame
        Areas with a ``code_field`` column.
    denominator : Denominator
        Population at risk by code, label, multiplier and estimate flag.
    filter : IncidentFilter, optional
        Applied to the incidents first.
    eb, hotspots : bool
        Compute the EB columns / the LISA and Gi* columns (else NaN).
    progress, cancel
        See :mod:`juvmap.progress`.
    code_field, name_field : str
        Polygon columns with the unit code and display name (default: ``name_<lang>``,
        ``name``, ``name_en``, else the code).
    how : {"auto", "code", "spatial"}
        Count by the incidents' ``region`` code, or by points in polygons; ``auto``
        uses codes when at least half the incidents' codes are polygon codes.
    weights : libpysal W, optional
        Contiguity of ``polygons`` in row order (default: queen contiguity).
    hotspot_rate : str, optional
        Column the hot-spot tests run on; default ``eb_rate`` (or ``rate`` without EB).
    permutations, seed, fdr
        Permutation inference settings, see :func:`juvmap.stats.hotspots.local_moran`.
    synthetic : bool, optional
        Mark the result as synthetic; default ``incidents.attrs.get("synthetic")``.

    Returns
    -------
    GeoDataFrame
        One row per polygon with :data:`STATISTICS_COLUMNS` and the polygons' geometry;
        ``attrs``: ``multiplier``, ``denominator``, ``estimate``, ``synthetic``,
        ``low_power``, ``filter`` and ``unplaced`` (selected incidents that fell in no
        polygon, e.g. without coordinates or with an unknown code). Neither input is
        modified.
    """
    if code_field not in polygons.columns:
        raise AnalysisError(_("The areas have no column {column}.").format(column=code_field))
    codes = pd.Index(polygons[code_field].astype(str).to_numpy(), name="code")
    if codes.has_duplicates:
        raise AnalysisError(_("The area codes are not unique."))
    if synthetic is None:
        synthetic = bool(incidents.attrs.get("synthetic", False))
    check(cancel)
    report(progress, 0.0, _("Counting incidents"))
    counts = _counts(incidents, polygons, codes, filter, how)
    selected = incidents if filter is None else incidents.loc[filter.mask(incidents)]
    if "count" in selected.columns:
        total = int(pd.to_numeric(selected["count"], errors="coerce").fillna(0).sum().round())
    else:
        total = len(selected)
    rates = crude_rates(counts, denominator, synthetic=synthetic)
    mult = float(denominator.multiplier)
    out = pd.DataFrame({"code": codes.to_numpy(), "name": _names(polygons, name_field, codes)})
    for column in ("count", "population", "rate", "ci_low", "ci_high", "excess_risk"):
        out[column] = rates[column].to_numpy()
    out["count"] = out["count"].astype("int64")
    need_w = eb or hotspots
    if need_w and weights is None:
        check(cancel)
        report(progress, 0.2, _("Finding neighbours"))
        weights = queen_weights(polygons)
    check(cancel)
    report(progress, 0.4, _("Smoothing rates"))
    if eb:
        out["eb_rate"] = empirical_bayes(out["count"], out["population"], mult)
        out["spatial_eb_rate"] = spatial_empirical_bayes(out["count"], out["population"], weights, mult)
    else:
        out["eb_rate"] = np.nan
        out["spatial_eb_rate"] = np.nan
    low_power = ""
    if hotspots:
        column = hotspot_rate or ("eb_rate" if eb else "rate")
        sub = None if progress is None else (lambda f, m: report(progress, 0.5 + 0.5 * f, m))
        hs = hotspot_statistics(out[column].to_numpy(), weights, permutations, seed,
                                fdr=fdr, progress=sub, cancel=cancel)
        for col in ("lisa_quadrant", "lisa_p", "gi_z", "gi_p", "gi_bin"):
            out[col] = hs[col].to_numpy()
        low_power = hs.attrs["low_power"]
    else:
        out["lisa_quadrant"] = "undefined"
        out[["lisa_p", "gi_z", "gi_p"]] = np.nan
        out["gi_bin"] = 0
        low_power = low_power_warning(int(np.isfinite(out["rate"]).sum()))
    result = gpd.GeoDataFrame(out[STATISTICS_COLUMNS], geometry=polygons.geometry.to_numpy(),
                              crs=polygons.crs)
    result.attrs.update(rates.attrs)
    result.attrs["low_power"] = low_power
    result.attrs["filter"] = filter.to_dict() if filter is not None else {}
    result.attrs["unplaced"] = max(total - int(out["count"].sum()), 0)
    report(progress, 1.0, "")
    return result
