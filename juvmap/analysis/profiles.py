"""The profile tables of an analysis: per-region structure shares, hours, articles, yearly
counts/rates and trends, grouped once for all regions (the Region dock and the sheets cut one
region out of them, see :mod:`juvmap.recommend.profile`).

Counts, rates, EB rates and ranks are the area table's (the map's numbers), never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from juvmap.analysis.areas import period_filter
from juvmap.analysis.result import AnalysisResult
from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.stats.filters import incident_hours
from juvmap.stats.profiles import structure_shares
from juvmap.stats.rates import Denominator
from juvmap.stats.trends import NATIONAL, linear_trend, yearly_counts, yearly_rates

#: articles of the Criminal Code whose shares the rules use (122: sex with a person under 16, 190: fraud)
ARTICLES = ("122", "190")


@dataclass
class NationalProfile:
    """The grouped tables behind all regional profiles (computed once per analysis)."""

    codes: list[str]
    names: dict[str, dict]
    period: tuple[int, int]
    base_year: int
    rates: pd.DataFrame
    shares: pd.DataFrame
    hours: pd.DataFrame
    articles: pd.DataFrame
    yearly_counts: pd.DataFrame
    yearly_rates: pd.DataFrame
    trend: pd.DataFrame
    change: pd.Series
    hotspots: dict
    unit: tuple
    synthetic: bool
    filter: dict
    national: dict[str, float] = field(default_factory=dict)
    density: object = None
    density_floor: float = np.inf
    #: code -> hour (rows 0–23) × weekday (columns 0 = Monday) counts, hidden cells NaN
    hour_weekday: dict[str, pd.DataFrame] = field(default_factory=dict)


def _hours_table(data: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    hour = incident_hours(data)
    ok = hour.notna()
    table = pd.crosstab(data.loc[ok, "region"].astype("string"), hour[ok].astype(int))
    table = table.reindex(index=codes, columns=range(24), fill_value=0)
    table.loc[NATIONAL] = hour[ok].astype(int).value_counts().reindex(range(24), fill_value=0).to_numpy()
    return table.astype("int64")


def _articles_table(data: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    art = data["article"].astype("string") if "article" in data else pd.Series(pd.NA, index=data.index)
    table = pd.crosstab(data["region"].astype("string"), art.where(art.isin(ARTICLES), "_"))
    table = table.reindex(index=codes, columns=[*ARTICLES, "_"], fill_value=0)
    table.loc[NATIONAL] = table.sum()
    return table.astype("int64")


def hour_weekday_tables(data: pd.DataFrame, codes: list[str], public: bool = True) -> dict[str, pd.DataFrame]:
    """Hour × weekday counts per region; with ``public`` the cells that could reveal a count of
    1–4 (with the row, column and region totals shown) are NaN (see
    :func:`juvmap.disclosure.protect_table`)."""
    from juvmap import disclosure

    hour = incident_hours(data)
    day = pd.to_datetime(data["date"], errors="coerce").dt.day_of_week if "date" in data else hour * np.nan
    ok = hour.notna() & day.notna()
    region = data.loc[ok, "region"].astype("string")
    key = pd.MultiIndex.from_arrays([region, hour[ok].astype(int), day[ok].astype(int)])
    counts = pd.Series(1, index=key).groupby(level=[0, 1, 2]).sum()
    out = {}
    for code in codes:
        table = np.zeros((24, 7))
        if code in counts.index.get_level_values(0):
            part = counts.xs(code, level=0)
            table[part.index.get_level_values(0), part.index.get_level_values(1)] = part.to_numpy()
        if public:
            hidden = disclosure.protect_table(table, disclosure.small(table))
            table = np.where(hidden, np.nan, table)
        out[code] = pd.DataFrame(table, index=pd.RangeIndex(24, name="hour"),
                                 columns=pd.RangeIndex(7, name="weekday"))
    return out


def _region_rates(result: AnalysisResult, sources) -> tuple[pd.DataFrame, dict]:
    """The regions' rows of the area table (the result's own when it is by region)."""
    from juvmap.analysis.engine import analyse

    regional = result
    if result.request.level != "regions":
        regional = analyse(replace(result.request, level="regions", outputs=("areas",)), sources)
    rates = regional.areas.drop(columns="geometry").set_index("code")
    return rates, regional.national


def national_tables(result: AnalysisResult, sources) -> NationalProfile:
    """Group the incidents of ``result``'s request once into every regional profile's tables."""
    from juvmap.io.gazetteer import get_gazetteer

    request, period = result.request, result.period
    if request.source != "incidents":
        raise AnalysisError(_("Profiles need an incident layer."))
    incidents = sources.incidents
    data = incidents.loc[period_filter(request, period).mask(incidents)]
    if "region" not in data.columns:
        raise AnalysisError(_("The incident table has no column {column}.").format(column="region"))
    gaz = get_gazetteer()
    codes = list(gaz.codes)
    names = {c: {lang: gaz.name(c, lang) for lang in ("kk", "ru", "en")} for c in codes}
    rates, national = _region_rates(result, sources)
    population, denominator = sources.population(request.denominator, "regions", pd.Index(codes))
    base = Denominator(population.astype(float), "", denominator["multiplier"], denominator["estimate"])
    years = (min(period.first, request.base_year), period.last)
    everything = replace(request.filter, years=None)
    ycounts = yearly_counts(incidents.loc[everything.mask(incidents)], codes, years=years, national=True)
    yrates = yearly_rates(ycounts, base)
    trend = linear_trend(yrates.loc[:, period.first:period.last])
    change = rates["change"].reindex(codes)
    nb, nl = ycounts.loc[NATIONAL].get(request.base_year, 0), ycounts.loc[NATIONAL].get(period.last, 0)
    change.loc[NATIONAL] = (nl - nb) / nb * 100.0 if nb and period.last != request.base_year else np.nan
    unit = (denominator["multiplier"], denominator["age_band"], denominator["estimate"])
    return NationalProfile(
        codes, names, (period.first, period.last), request.base_year, rates.reindex(codes),
        structure_shares(data, national=True), _hours_table(data, codes), _articles_table(data, codes),
        ycounts, yrates, trend, change, {c: [] for c in codes}, unit, result.synthetic,
        request.filter.to_dict(), national,
        hour_weekday=hour_weekday_tables(data, codes, request.disclosure == "public"),
    )
