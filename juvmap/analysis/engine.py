"""The one engine: :func:`analyse` (request + sources → result), used by the map, the Region
dock, the sheets, the CLI and every export."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

import numpy as np
import pandas as pd

from juvmap.analysis.areas import (
    area_table, classify_areas, incident_counts, official_counts, period_filter)
from juvmap.analysis.request import AnalysisRequest
from juvmap.analysis.result import AnalysisResult, Period
from juvmap.analysis.sources import Sources
from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.stats.hotspots import LOW_POWER_UNITS

_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 24


def resolve_period(request: AnalysisRequest, years: pd.Series) -> Period:
    """The request's period, or the latest year of ``years`` (a Series of years)."""
    if request.period is not None:
        return Period(int(request.period[0]), int(request.period[1]))
    years = pd.to_numeric(years, errors="coerce").dropna()
    if years.empty:
        raise AnalysisError(_("The data have no dated records."))
    last = int(years.max())
    return Period(last, last)


def _years(sources: Sources, request: AnalysisRequest) -> pd.Series:
    if request.source == "official":
        return sources.official_table()["period"].astype(str).str[:4]
    if sources.incidents is None:
        raise AnalysisError(_("No incident layer is loaded."))
    if "date" not in sources.incidents:
        raise AnalysisError(_("The incident table has no column {column}.").format(column="date"))
    return pd.to_datetime(sources.incidents["date"], errors="coerce").dt.year


def _key(request: AnalysisRequest, sources: Sources) -> tuple:
    return (request, id(sources.incidents), id(sources.user_areas), id(sources.official),
            len(sources.incidents) if sources.incidents is not None else 0)


def analyse(request: AnalysisRequest, sources: Sources, progress: ProgressCallback | None = None,
            cancel: CancelToken | None = None) -> AnalysisResult:
    """Answer ``request`` on ``sources``.

    Parameters
    ----------
    request : AnalysisRequest
    sources : Sources
    progress, cancel
        See :mod:`juvmap.progress`.

    Returns
    -------
    AnalysisResult
        The same request on the same sources gives the same result (it is cached).

    Raises
    ------
    AnalysisError
        An invalid request, missing data, or a filter on a column the data lack.
    Cancelled
        When ``cancel`` was set.
    """
    request.validate()
    key = _key(request, sources)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key][1]
    result = _analyse(request, sources, progress, cancel)
    _CACHE[key] = (sources, result)  # the sources stay alive: their ids in the key are never reused
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _counts(request: AnalysisRequest, sources: Sources, polygons, codes, period: Period):
    """(counts over the period, counts per year for the change, unplaced incidents)."""
    if request.source == "official":
        from juvmap.stats.official import OFFICIAL_INDICATORS

        official = sources.official_table()
        column = OFFICIAL_INDICATORS[request.indicator].numerator
        counts = official_counts(official, codes, period, column)
        yearly = {y: official_counts(official, codes, Period(y, y), column)
                  for y in {request.base_year, period.last} if _has_year(official, y)}
        return counts, pd.DataFrame(yearly) if yearly else None, 0
    incidents = sources.incidents
    flt = period_filter(request, period)
    counts, unplaced = incident_counts(incidents, polygons, codes, flt)
    yearly = {}
    for year in {request.base_year, period.last}:
        one = replace(request.filter, years=(year, year))
        yearly[year] = incident_counts(incidents, polygons, codes, one)[0]
    old = [code for code in incidents.attrs.get("old_boundaries", []) if code in counts.index]
    if "count" in incidents.columns and "region" in incidents.columns and request.level == "regions":
        listed = set(incidents["region"].astype(str))  # a table of counts: a region it lacks is unknown, not 0
        old += [code for code in counts.index if code not in listed and code not in old]
    if old and request.level == "regions":  # e.g. a table on the pre-2022 units: those regions are unknown
        counts = counts.astype(float)
        counts.loc[old] = np.nan
        for year in yearly:
            yearly[year] = yearly[year].astype(float)
            yearly[year].loc[old] = np.nan
    return counts, pd.DataFrame(yearly), unplaced


def _share_of(request: AnalysisRequest, sources: Sources, codes, period: Period):
    """(juvenile offenders per region, denominator description) for a share indicator, else None."""
    if request.source != "official":
        return None
    from juvmap.stats.official import OFFICIAL_INDICATORS

    indicator = OFFICIAL_INDICATORS[request.indicator]
    if indicator.unit != "percent":
        return None
    total = official_counts(sources.official_table(), codes, period, indicator.denominator) / period.years
    return total.astype(float), {"kind": "share", "multiplier": 100, "age_band": "", "estimate": False,
                                 "of": indicator.denominator}


def _share_intervals(table, juveniles, counts, public: bool) -> None:
    """Exact binomial 95 % intervals of shares; no share below 20 juveniles, nor one whose
    complement (juveniles minus the count) is 1–4 (it would reveal that small number)."""
    from juvmap import disclosure
    from juvmap.stats.official import binomial_ci

    n = juveniles.to_numpy(float)
    k = counts.to_numpy(float)
    low, high = binomial_ci(k, n)
    shown = table["rate"].notna().to_numpy()
    table["ci_low"] = np.where(shown, low * 100, np.nan)
    table["ci_high"] = np.where(shown, high * 100, np.nan)
    undefined = ~(n >= 20) | (disclosure.small(n - k) if public else False)
    for column in ("rate", "ci_low", "ci_high", "excess_risk", "eb_rate", "spatial_eb_rate", "rank", "change"):
        table.loc[undefined, column] = np.nan
    table.loc[undefined, "class"] = -1


def _has_year(official: pd.DataFrame, year: int) -> bool:
    return bool((official["period"].astype(str).str[:4] == str(year)).any())


def _analyse(request, sources, progress, cancel) -> AnalysisResult:
    check(cancel)
    report(progress, 0.0, _("Counting incidents"))
    period = resolve_period(request, _years(sources, request))
    request = replace(request, period=(period.first, period.last))
    polygons = sources.areas(request.level)
    codes = pd.Index(polygons["code"].astype(str).to_numpy(), name="code")
    if request.source == "incidents" and request.level != "regions":
        from juvmap.io.points import has_points

        incidents = sources.incidents
        by_code = "region" in incidents and bool(incidents["region"].astype("string").isin(codes).mean() >= 0.5)
        if not has_points(incidents) and not by_code:
            raise AnalysisError(_("These data count by region: districts and other areas need incident points."))
    if request.source == "incidents" and not request.filter.is_empty:
        request.filter.mask(sources.incidents)  # raises AnalysisError for a column the data lack
    counts, yearly, unplaced = _counts(request, sources, polygons, codes, period)
    population, denominator = sources.population(request.denominator, request.level, codes)
    share = _share_of(request, sources, codes, period)
    if share is not None:  # a share of the juvenile offenders, in %: their number is the "population"
        population, denominator = share
    sub = None if progress is None else (lambda f, m: report(progress, 0.05 + 0.45 * f, m))
    table, national, tested = area_table(request, polygons, counts, population, denominator["multiplier"],
                                         period, yearly=yearly, progress=sub, cancel=cancel)
    if request.base_year == 2022 or period.last == 2022:  # no change across the 2022 split
        split = _partial(request, Period(2022, 2022))
        table.loc[table["code"].isin(split), "change"] = np.nan
    if share is not None:
        _share_intervals(table, population, counts, request.disclosure == "public")
    pooled = _pooled(request, sources) if request.class_period else None
    classification = classify_areas(table, request.rate_column, request.scheme, request.k, pooled)
    synthetic = request.source == "incidents" and bool(sources.incidents.attrs.get("synthetic", False))
    flags = {"estimate": bool(denominator.get("estimate")), "synthetic": synthetic, "tested": tested,
             "low_power": tested < LOW_POWER_UNITS, "internal": request.disclosure == "internal",
             "unplaced": unplaced, "partial": _partial(request, period)}
    provenance = {"source": request.source, "method": "poisson_exact_ci;eb_marshall;esda_permutations"}
    if request.source == "incidents":
        attrs = sources.incidents.attrs
        provenance.update(file=sources.incidents_file, source_msgid=attrs.get("source_msgid", ""),
                          source_text=str(attrs.get("source", "")))
    result = AnalysisResult(request, period, table, national, classification, denominator,
                            flags=flags, provenance=provenance)
    if "density" in request.outputs and request.source == "incidents":
        _add_density(result, sources, progress, cancel)
    if "profiles" in request.outputs:
        check(cancel)
        report(progress, 0.8, _("Computing region profiles"))
        from juvmap.analysis.profiles import national_tables

        result.profiles = national_tables(result, sources)
    report(progress, 1.0, "")
    return result


def _add_density(result: AnalysisResult, sources: Sources, progress, cancel) -> None:
    from juvmap.analysis.density import density, located_points, peaks

    request = result.request
    flt = period_filter(request, result.period)
    points = located_points(sources.incidents, flt.mask(sources.incidents))
    if points is None:  # a table of counts by region, or no located incident in the period
        result.flags["no_points"] = True
        return
    check(cancel)
    report(progress, 0.5, _("Computing the density"))
    sub = None if progress is None else (lambda f, m: report(progress, 0.5 + 0.3 * f, m))
    result.density, result.density_params = density(request, points, sub, cancel)
    result.peaks = peaks(request, result.density)


def _pooled(request: AnalysisRequest, sources: Sources) -> np.ndarray:
    """The shown values of the chosen rate in every year of ``class_period`` (one legend)."""
    first, last = request.class_period
    values = []
    for year in range(first, last + 1):
        one = replace(request, period=(year, year), class_period=None, outputs=("areas",))
        values.append(analyse(one, sources).areas[request.rate_column].to_numpy(float))
    return np.concatenate(values)


def _partial(request: AnalysisRequest, period: Period) -> list[str]:
    """Codes of regions whose figures for ``period`` are partial or cross the 8 June 2022 split
    (the three new regions and their parents; the caveat of the official table)."""
    if request.level != "regions" or not period.first <= 2022 <= period.last:
        return []
    from juvmap.io import builtin

    caveat = builtin.official_2022()["caveat"].fillna("").astype(str)
    return sorted(caveat.index[caveat.str.startswith(("new region", "parent"))].astype(str))
