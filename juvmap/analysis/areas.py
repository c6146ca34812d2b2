"""The area table of an analysis: counts, rates, intervals, EB, hot spots, classes, ranks, change.

Every published column is computed from publishable counts (:mod:`juvmap.disclosure`):
counts of 1–4 enter the EB priors, the hot-spot tests, the ranks and the classes as one fixed
imputed value, so that no shown figure depends on a hidden count.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from juvmap import disclosure
from juvmap.analysis.request import AnalysisRequest
from juvmap.analysis.result import AREA_COLUMNS, Period
from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.stats.filters import IncidentFilter
from juvmap.stats.rates import Denominator, count_by_region, count_points_in_polygons, crude_rates
from juvmap.stats.smoothing import empirical_bayes, spatial_empirical_bayes

_WEIGHTS: dict[str, Any] = {}
#: name columns of the area layers carried into the table (data, not translations)
NAME_COLUMNS = ("name_kk", "name_ru", "name_en", "name", "region")


def queen_weights_cached(polygons: gpd.GeoDataFrame):
    """Queen contiguity of ``polygons``, remembered for the same polygons (the GUI reanalyses often)."""
    import shapely

    from juvmap.stats.smoothing import queen_weights

    digest = hashlib.sha1(b"".join(shapely.to_wkb(np.asarray(polygons.geometry.array))))
    digest.update("\x00".join(polygons["code"].astype(str)).encode())
    key = digest.hexdigest()
    if key not in _WEIGHTS:
        if len(_WEIGHTS) >= 4:
            _WEIGHTS.pop(next(iter(_WEIGHTS)))
        _WEIGHTS[key] = queen_weights(polygons)
    return _WEIGHTS[key]


def period_filter(request: AnalysisRequest, period: Period) -> IncidentFilter:
    """The request's filter restricted to ``period``."""
    return replace(request.filter, years=(period.first, period.last))


def incident_counts(incidents: pd.DataFrame, polygons: gpd.GeoDataFrame, codes: pd.Index,
                    flt: IncidentFilter) -> tuple[pd.Series, int]:
    """Counts per area (by region code when the codes match, else points in polygons) and the
    number of selected incidents that fell in no area."""
    regions = incidents["region"].astype("string") if "region" in incidents else None
    by_code = regions is not None and bool(regions.isin(codes).mean() >= 0.5)
    if by_code:
        counts = count_by_region(incidents, codes, flt)
    else:
        poly = gpd.GeoDataFrame({"code": codes.to_numpy()}, geometry=polygons.geometry.to_numpy(),
                                crs=polygons.crs)
        counts = count_points_in_polygons(incidents, poly, "code", flt)
    selected = incidents.loc[flt.mask(incidents)]
    total = (int(pd.to_numeric(selected["count"], errors="coerce").fillna(0).sum().round())
             if "count" in selected.columns else len(selected))
    return counts, max(total - int(counts.sum()), 0)


def official_counts(official: pd.DataFrame, codes: pd.Index, period: Period, column: str = "juveniles") -> pd.Series:  # noqa: E501
    """Official counts per region summed over the years of ``period``."""
    years = pd.to_numeric(official["period"].astype(str).str[:4], errors="coerce")
    rows = official.loc[years.between(period.first, period.last)]
    if set(range(period.first, period.last + 1)) - set(years.dropna().astype(int)):
        # an average over years without figures would be wrong: every year must be there
        raise AnalysisError(_("No official figures for {period}.").format(period=period.label()))
    return rows.groupby("region_iso")[column].sum().reindex(codes).fillna(0)


def _change(yearly: pd.DataFrame | None, request: AnalysisRequest, period: Period) -> np.ndarray | None:
    """Percent change of each area's count in the last year against the base year."""
    base, last = request.base_year, period.last
    if yearly is None or last == base or base not in yearly or last not in yearly:
        return None
    b, n = yearly[base].to_numpy(float), yearly[last].to_numpy(float)
    hide = disclosure.small(b) | disclosure.small(n) | (b == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(hide, np.nan, (n - b) / b * 100.0)


def area_table(request: AnalysisRequest, polygons: gpd.GeoDataFrame, counts: pd.Series,
               population: pd.Series, multiplier: int, period: Period, *,
               yearly: pd.DataFrame | None = None, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None) -> tuple[gpd.GeoDataFrame, dict[str, Any], int]:
    """Compute the area table (see :data:`~juvmap.analysis.result.AREA_COLUMNS`).

    Parameters
    ----------
    request : AnalysisRequest
    polygons : GeoDataFrame
        Areas with a ``code`` column, in the order of ``counts``.
    counts, population : Series
        True counts over the period and population per code.
    multiplier : int
        Rates per ``multiplier`` people.
    period : Period
        Rates are annual averages over its years.
    yearly : DataFrame, optional
        Counts per code (rows) and year (columns) for the change against the base year.

    Returns
    -------
    (GeoDataFrame, dict, int)
        The table, the national figures and the number of units tested for hot spots.
    """
    from juvmap.stats.hotspots import hotspot_statistics

    codes = counts.index
    public = request.disclosure == "public"
    per_period = population.astype(float) * period.years
    rates = crude_rates(counts, Denominator(per_period, "", multiplier))
    true = rates["count"].to_numpy(float)
    mode = request.disclosure
    is_small = disclosure.small(true) if public else np.zeros(true.shape, bool)
    hidden = disclosure.protect_line(np.nan_to_num(true), is_small) if is_small.any() else is_small
    shown = disclosure.publishable_counts(true, hidden, mode)  # what every published figure uses
    pop = rates["population"].to_numpy(float)
    out = pd.DataFrame({"code": codes.to_numpy(), "count": true, "population": population.to_numpy(float)})
    for col in ("rate", "ci_low", "ci_high", "excess_risk"):
        out[col] = rates[col].to_numpy()
    check(cancel)
    report(progress, 0.2, _("Smoothing rates"))
    weights = queen_weights_cached(polygons.assign(code=codes.to_numpy()))
    with np.errstate(divide="ignore", invalid="ignore"):
        shown_rate = np.where(pop > 0, shown / pop * multiplier, np.nan)
    out["eb_rate"] = np.asarray(empirical_bayes(pd.Series(shown), pd.Series(pop), multiplier), float)
    out["spatial_eb_rate"] = np.asarray(spatial_empirical_bayes(pd.Series(shown), pd.Series(pop), weights, multiplier), float)
    chosen = {"raw": shown_rate, "eb": out["eb_rate"].to_numpy(), "spatial_eb": out["spatial_eb_rate"].to_numpy()}
    check(cancel)
    report(progress, 0.4, _("Testing for hot spots"))
    sub = None if progress is None else (lambda f, m: report(progress, 0.4 + 0.5 * f, m))
    hs = hotspot_statistics(chosen[request.rate], weights, request.permutations, request.seed,
                            alpha=request.alpha, fdr=request.fdr, progress=sub, cancel=cancel)
    for col in ("lisa_quadrant", "lisa_p", "gi_z", "gi_p", "gi_bin"):
        out[col] = hs[col].to_numpy()
    out["lisa_q"] = hs["lisa_q"].to_numpy() if "lisa_q" in hs else np.nan
    out["lisa_significant"] = out["lisa_quadrant"].isin(["HH", "LL", "HL", "LH"])
    values = pd.Series(chosen[request.rate])
    out["rank"] = values.rank(ascending=False, method="min").to_numpy()
    out["class"] = -1
    change = _change(yearly, request, period)
    out["change"] = change if change is not None else np.nan
    out = disclosure.suppress_area_table(out, count="count", total_shown=True, mode=mode)
    out["small"] = (out.pop("suppression") == "small").to_numpy()
    table = gpd.GeoDataFrame(out[AREA_COLUMNS], geometry=polygons.geometry.to_numpy(), crs=polygons.crs)
    for col in NAME_COLUMNS:
        if col in polygons.columns:
            table[col] = polygons[col].astype(str).to_numpy()
    known = np.isfinite(true) & (pop > 0)  # areas without a count (unknown) are not in the national rate
    total, total_pop = float(np.nansum(true)), float(np.nansum(np.where(known, pop, np.nan)))
    with np.errstate(divide="ignore", invalid="ignore"):
        national = {"count": total, "population": float(np.nansum(population.to_numpy(float))),
                    "rate": total / total_pop * multiplier if total_pop > 0 else np.nan}
    lo, hi = _national_ci(total, total_pop, multiplier)
    national.update(ci_low=lo, ci_high=hi)
    if public and 0 < total < disclosure.SUPPRESS_BELOW:
        national.update(count=None, rate=np.nan, ci_low=np.nan, ci_high=np.nan)
    return table, national, int(np.isfinite(hs["lisa_p"].to_numpy(float)).sum())


def _national_ci(total: float, pop: float, multiplier: int) -> tuple[float, float]:
    from juvmap.stats.rates import poisson_ci

    if not pop > 0:
        return np.nan, np.nan
    lo, hi = poisson_ci(np.array([total]))
    return float(lo[0] / pop * multiplier), float(hi[0] / pop * multiplier)


def classify_areas(table: gpd.GeoDataFrame, column: str, scheme: str, k: int, pooled: np.ndarray | None = None):
    """Classify the shown values of ``column`` (or the ``pooled`` values of several years) and
    write the class index into ``table["class"]``; return the Classification (the legend)."""
    from juvmap.stats.classify import classify

    values = table[column].to_numpy(float)
    if pooled is None:
        classification = classify(values, scheme, k)
        table["class"] = classification.yb
        return classification
    classification = classify(pooled, scheme, k)
    bins = [hi for _lo, hi, _n in classification.classes]
    again = classify(values, "user_defined", len(bins), bins=bins) if np.isfinite(values).any() else classification
    table["class"] = again.yb if np.isfinite(values).any() else -1
    return again
