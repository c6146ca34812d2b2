"""A region's juvenile-offence profile beside the national one, ready for rules and sheets.

:func:`national_profile` groups the (filtered) incidents once — counts, rates with exact
intervals, EB rates, yearly rates, trends, structure shares, hours and KDE hot spots for
all regions — and :func:`region_profile` / :func:`all_profiles` cut one
:class:`RegionProfile` per region out of it. Every :class:`Indicator` carries the counts
behind it and whether printing it could reveal a count of 1–4 (``suppressed``).

Rates are average annual rates per 10,000 residents aged 0–17 (an estimate) over the years
of the period; statistics come from :mod:`juvmap.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import N_, _
from juvmap.labels import CATEGORY_LABELS, PLACE_LABELS
from juvmap.io.demo import CATEGORIES, GRAVITIES, PLACES
from juvmap.numbers import SUPPRESS_BELOW
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.recommend.hotspots import HOTSPOTS, Hotspot, region_hotspots
from juvmap.stats.filters import IncidentFilter, incident_hours
from juvmap.stats.profiles import structure_shares
from juvmap.stats.rates import Denominator, count_by_region, crude_rates
from juvmap.stats.smoothing import empirical_bayes
from juvmap.stats.trends import BASE_YEAR, NATIONAL, linear_trend, percent_change, yearly_counts, yearly_rates

__all__ = ["Indicator", "NationalProfile", "RegionProfile", "INDICATOR_LABELS",
           "all_profiles", "national_profile", "region_profile", "indicator_keys"]

#: articles of the Criminal Code whose shares the rules use (122: sex with a person under 16, 190: fraud)
ARTICLES = ("122", "190")
AFTER_SCHOOL = (14, 18)   # 14:00–18:59, the Concept's "14.00–19.00"
NIGHT = (22, 5)           # 22:00–05:59
PEAK_WINDOW = 3           # hours in the "peak hours" window

INDICATOR_LABELS: dict[str, str] = {
    "count": N_("Offences"), "rate": N_("Rate"), "eb_rate": N_("Smoothed rate (EB)"),
    "rank": N_("Rank by rate"), "change_vs_base": N_("Change against the base year"),
    "trend": N_("Trend of the rate per year"), "share_pupil": N_("Pupils and students"),
    "share_repeat": N_("Repeat offences"), "share_group": N_("Committed in a group"),
    "share_intoxicated": N_("Intoxicated"), "share_female": N_("Girls"),
    "share_age_14_15": N_("Aged 14–15"), "share_grave_plus": N_("Grave and especially grave"),
    "share_after_school": N_("Committed 14:00–19:00"), "share_night": N_("Committed 22:00–06:00"),
    "share_public_place": N_("In streets and yards"), "peak_hours": N_("Peak hours"),
    "share_article:122": N_("Art. 122 (sex with a person under 16)"),
    "share_article:190": N_("Art. 190 (fraud)"),
    **{f"share_category:{k}": v for k, v in CATEGORY_LABELS.items()},
    **{f"share_gravity:{k}": v for k, v in {
        "minor": N_("Minor gravity"), "medium": N_("Medium gravity"), "grave": N_("Grave"),
        "especially_grave": N_("Especially grave")}.items()},
    **{f"share_place:{k}": v for k, v in PLACE_LABELS.items()},
}


def indicator_keys() -> frozenset[str]:
    """Return every indicator key a profile holds (what rules may refer to)."""
    return frozenset(INDICATOR_LABELS)


def _small(n) -> bool:
    return n is not None and 0 < n < SUPPRESS_BELOW


@dataclass(frozen=True)
class Indicator:
    """One figure of a region beside the national one.

    Attributes
    ----------
    key : str
        Key in :data:`INDICATOR_LABELS`.
    kind : str
        ``count``, ``rate``, ``rank``, ``percent`` (change), ``slope``, ``share`` (0–1) or
        ``hour`` (start of the peak window).
    value, national : float
        Regional and national value (NaN when undefined).
    count, total : int, optional
        Incidents behind the value (numerator) and, for a share, its denominator.
    suppressed : bool
        Printing the value could reveal a count of 1–4: show it as suppressed.
    ci : tuple of float, optional
        Confidence interval of a rate.
    """

    key: str
    kind: str
    value: float
    national: float
    count: int | None = None
    total: int | None = None
    suppressed: bool = False
    ci: tuple[float, float] | None = None

    @property
    def label(self) -> str:
        """Untranslated label (translate with ``_()`` or ``translate_in``)."""
        return INDICATOR_LABELS.get(self.key, self.key)


@dataclass
class RegionProfile:
    """Everything a recommendation sheet says about one region (see module docstring).

    ``distributions`` maps ``category``, ``place`` and ``hour`` to a frame with the regional
    ``count`` and national ``share`` per value; ``yearly`` has ``count``, ``rate`` and
    ``national_rate`` per year; ``context`` the EB rate of every region (None where
    suppressed) for the map.
    """

    code: str
    names: dict
    period: tuple[int, int]
    base_year: int
    indicators: dict[str, Indicator]
    distributions: dict[str, pd.DataFrame]
    yearly: pd.DataFrame
    hotspots: list[Hotspot]
    context: dict[str, float | None]
    unit: tuple
    synthetic: bool
    filter: dict = field(default_factory=dict)
    national_count_hidden: bool = False
    lang: str = "ru"
    #: (national DensityGrid, display floor) for the map; None when not shown
    density: tuple | None = None

    def name(self, lang: str | None = None) -> str:
        """Region name in ``lang`` (default: the profile's language)."""
        return self.names.get(lang or self.lang) or self.code

    @property
    def suppressed(self) -> bool:
        """Whether the region's own count is 1–4 (almost nothing about it may be printed)."""
        return _small(self.indicators["count"].value)


@dataclass
class NationalProfile:
    """The grouped tables behind all regional profiles (computed once)."""

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
    hotspots: dict[str, list[Hotspot]]
    unit: tuple
    synthetic: bool
    filter: dict
    national: dict[str, float] = field(default_factory=dict)
    density: object = None
    density_floor: float = np.inf

    @property
    def any_region_suppressed(self) -> bool:
        """Whether some region has 1–4 incidents (then the national count reveals it)."""
        return bool(self.rates["count"].between(1, SUPPRESS_BELOW - 1).any())


def _period(data: pd.DataFrame, flt: IncidentFilter | None) -> tuple[int, int]:
    if flt is not None and flt.years is not None:
        return int(flt.years[0]), int(flt.years[1])
    years = pd.to_datetime(data["date"], errors="coerce").dt.year.dropna()
    if years.empty:
        raise AnalysisError(_("No incident passes the filter."))
    return int(years.min()), int(years.max())


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


def national_profile(
    incidents: pd.DataFrame,
    filter: IncidentFilter | None = None,  # noqa: A002
    *,
    base_year: int = BASE_YEAR,
    population: pd.DataFrame | None = None,
    hotspots: bool = True,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> NationalProfile:
    """Group the incidents once into the tables behind every regional profile.

    Parameters
    ----------
    incidents : DataFrame or GeoDataFrame
        Canonical incident table (``date``, ``time``, ``region`` … and ``lon``/``lat``
        columns or point geometry for hot spots). Not modified.
    filter : IncidentFilter, optional
        Applied first; its ``years`` (or the data's years) are the period.
    base_year : int
        Year the change is measured against (2022, the Concept's base).
    population : DataFrame, optional
        Population table indexed by code (default: ``juvenile_population()``).
    hotspots : bool
        Compute KDE hot spots (needs located points).
    progress, cancel
        See :mod:`juvmap.progress`.

    Returns
    -------
    NationalProfile
    """
    from juvmap.io.builtin import juvenile_population
    from juvmap.io.gazetteer import get_gazetteer

    check(cancel)
    report(progress, 0.0, _("Computing region profiles"))
    data = incidents if filter is None or filter.is_empty else incidents.loc[filter.mask(incidents)]
    if "region" not in data.columns:
        raise AnalysisError(_("The incident table has no column {column}.").format(column="region"))
    period = _period(data, filter)
    n_years = period[1] - period[0] + 1
    gaz = get_gazetteer()
    codes = list(gaz.codes)
    names = {c: {lang: gaz.name(c, lang) for lang in ("kk", "ru", "en")} for c in codes}
    table = juvenile_population() if population is None else population
    base = Denominator.from_table(table)
    per_period = Denominator(base.population * n_years, base.label, base.multiplier, base.estimate)
    synthetic = bool(incidents.attrs.get("synthetic", False))
    counts = count_by_region(data, codes)
    rates = crude_rates(counts, per_period, synthetic=synthetic)
    rates["eb_rate"] = empirical_bayes(rates["count"], rates["population"], per_period.multiplier)
    rates["rank"] = rates["rate"].rank(ascending=False, method="min")
    total_pop = float(per_period.population.reindex(codes).sum())
    national = {"count": float(len(data)), "rate": len(data) / total_pop * base.multiplier}
    check(cancel)
    report(progress, 0.3, _("Computing trends"))
    ycounts = yearly_counts(data, codes, years=period, national=True)
    yrates = yearly_rates(ycounts, base)
    trend = linear_trend(yrates)
    last = period[1]
    if base_year in yrates.columns and last > base_year:
        change = percent_change(yrates, base_year)[last]
    else:
        change = pd.Series(np.nan, index=yrates.index)
    check(cancel)
    report(progress, 0.5, _("Computing structure shares"))
    shares = structure_shares(data, national=True)
    hours = _hours_table(data, codes)
    articles = _articles_table(data, codes)
    check(cancel)
    report(progress, 0.7, _("Finding hot spots"))
    spots, grid, floor = region_hotspots(data, codes) if hotspots else ({c: [] for c in codes}, None, np.inf)
    report(progress, 1.0, "")
    return NationalProfile(
        codes, names, period, base_year, rates, shares, hours, articles, ycounts, yrates, trend,
        change, spots, (base.multiplier, _band(table), base.estimate), synthetic,
        filter.to_dict() if filter is not None else {}, national, grid, floor,
    )


def _band(table: pd.DataFrame) -> str:
    if "age_band" in table.columns and table["age_band"].notna().any():
        return str(table["age_band"].dropna().iloc[0]).replace("-", "–")
    return ""


# -- cutting one region out ------------------------------------------------------------------
def _share_counts(nat: NationalProfile, code: str, variable: str) -> tuple[pd.Series, pd.Series]:
    """Regional counts and national counts of every value of ``variable``."""
    s = nat.shares[nat.shares["variable"] == variable]
    reg = s[s["code"] == code].set_index("value")["count"]
    ntl = s[s["code"] == NATIONAL].set_index("value")["count"]
    return reg, ntl


def _shares(reg: pd.Series, ntl: pd.Series, values, prefix: str, out: dict) -> None:
    """Add ``prefix:value`` share indicators with primary and secondary suppression."""
    total, ntotal = int(reg.sum()), int(ntl.sum())
    items = {}
    for v in values:
        n = int(reg.get(v, 0))
        share = n / total if total else np.nan
        nshare = ntl.get(v, 0) / ntotal if ntotal else np.nan
        items[v] = [n, float(share), float(nshare), _small(n) or _small(total - n) or _small(total)]
    hidden = [v for v, it in items.items() if it[3] and it[0] > 0]
    if len(hidden) == 1:  # one hidden cell is the total minus the others: hide one more
        rest = sorted((it[0], v) for v, it in items.items() if not it[3] and it[0] > 0)
        if rest:
            items[rest[0][1]][3] = True
    for v, (n, share, nshare, sup) in items.items():
        out[f"{prefix}:{v}"] = Indicator(f"{prefix}:{v}", "share", share, nshare, n, total, sup)


def _combined(key: str, parts: list[str], out: dict) -> None:
    """A share summed from share indicators; hidden when any part is hidden."""
    first = out[parts[0]]
    n = sum(out[p].count for p in parts)
    total = first.total
    sup = any(out[p].suppressed for p in parts) or _small(n) or _small((total or 0) - n)
    out[key] = Indicator(key, "share", n / total if total else np.nan,
                         sum(out[p].national for p in parts), n, total, sup)


def _flag(nat: NationalProfile, code: str, variable: str, key: str, value: str, out: dict) -> None:
    reg, ntl = _share_counts(nat, code, variable)
    tmp: dict[str, Indicator] = {}
    _shares(reg, ntl, list(dict.fromkeys([*reg.index, *ntl.index])), "x", tmp)
    src = tmp.get(f"x:{value}")
    if src is None:
        total, ntotal = int(reg.sum()), int(ntl.sum())
        src = Indicator("x", "share", 0.0 if total else np.nan, 0.0 if ntotal else np.nan, 0, total)
    out[key] = Indicator(key, "share", src.value, src.national, src.count, src.total, src.suppressed)


def _hour_window(row: np.ndarray, start: int, end: int) -> int:
    hours = range(start, end + 1) if start <= end else [*range(start, 24), *range(0, end + 1)]
    return int(row[list(hours)].sum())


def _peak_start(row: np.ndarray) -> float:
    if row.sum() == 0:
        return np.nan
    sums = [row[[(h + k) % 24 for k in range(PEAK_WINDOW)]].sum() for h in range(24)]
    return float(int(np.argmax(sums)))


def _hour_indicators(nat: NationalProfile, code: str, out: dict) -> None:
    row, nrow = nat.hours.loc[code].to_numpy(), nat.hours.loc[NATIONAL].to_numpy()
    total, ntotal = int(row.sum()), int(nrow.sum())
    for key, (a, b) in (("share_after_school", AFTER_SCHOOL), ("share_night", NIGHT)):
        n, nn = _hour_window(row, a, b), _hour_window(nrow, a, b)
        out[key] = Indicator(key, "share", n / total if total else np.nan, nn / ntotal if ntotal else np.nan,
                             n, total, _small(n) or _small(total - n) or _small(total))
    out["peak_hours"] = Indicator("peak_hours", "hour", _peak_start(row), _peak_start(nrow), None, total,
                                  _small(total))


def _region(nat: NationalProfile, code: str, kde_peaks=None, lang: str = "ru") -> RegionProfile:
    if code not in nat.codes:
        raise AnalysisError(_("Unknown region: {code}").format(code=code))
    r = nat.rates.loc[code]
    n = int(r["count"])
    small = _small(n)
    ntl_rate = nat.national["rate"]
    ind: dict[str, Indicator] = {
        "count": Indicator("count", "count", float(n), nat.national["count"], n, None, False),
        "rate": Indicator("rate", "rate", float(r["rate"]), ntl_rate, n, None, small,
                          (float(r["ci_low"]), float(r["ci_high"]))),
        "eb_rate": Indicator("eb_rate", "rate", float(r["eb_rate"]), ntl_rate, n, None, small),
        "rank": Indicator("rank", "rank", float(r["rank"]), float(len(nat.codes)), n, None, small),
    }
    yc = nat.yearly_counts.loc[code]
    base, last = nat.base_year, nat.period[1]
    counts_bl = [int(yc.get(base, 0)), int(yc.get(last, 0))]
    ind["change_vs_base"] = Indicator("change_vs_base", "percent", float(nat.change.get(code, np.nan)),
                                      float(nat.change.get(NATIONAL, np.nan)), counts_bl[1], counts_bl[0],
                                      small or any(_small(c) for c in counts_bl))
    ind["trend"] = Indicator("trend", "slope", float(nat.trend.loc[code, "slope"]),
                             float(nat.trend.loc[NATIONAL, "slope"]), n, None,
                             small or any(_small(int(c)) for c in yc.to_numpy()))
    for variable, values in (("category", CATEGORIES), ("gravity", GRAVITIES), ("place", PLACES)):
        reg, ntl = _share_counts(nat, code, variable)
        _shares(reg, ntl, values, f"share_{variable}", ind)
    _combined("share_grave_plus", ["share_gravity:grave", "share_gravity:especially_grave"], ind)
    _combined("share_public_place", ["share_place:street", "share_place:yard"], ind)
    for variable in ("pupil", "repeat", "group", "intoxicated"):
        _flag(nat, code, variable, f"share_{variable}", "1", ind)
    _flag(nat, code, "sex", "share_female", "F", ind)
    _flag(nat, code, "age_band", "share_age_14_15", "14–15", ind)
    art, nart = nat.articles.loc[code], nat.articles.loc[NATIONAL]
    _shares(art, nart, list(ARTICLES), "share_article", ind)
    _hour_indicators(nat, code, ind)
    if small:  # nothing but "<5" may be printed about this region
        ind = {k: (v if k == "count" else Indicator(v.key, v.kind, v.value, v.national, v.count, v.total,
                                                     True, v.ci)) for k, v in ind.items()}
    dists = {}
    for variable in ("category", "place"):
        reg, ntl = _share_counts(nat, code, variable)
        values = CATEGORIES if variable == "category" else PLACES
        dists[variable] = pd.DataFrame({"count": [int(reg.get(v, 0)) for v in values],
                                        "share": [ntl.get(v, 0) / max(ntl.sum(), 1) for v in values]},
                                       index=list(values))
    hrow, nrow = nat.hours.loc[code], nat.hours.loc[NATIONAL]
    dists["hour"] = pd.DataFrame({"count": hrow.to_numpy(), "share": nrow.to_numpy() / max(nrow.sum(), 1)},
                                 index=range(24))
    yearly = pd.DataFrame({"count": yc, "rate": nat.yearly_rates.loc[code],
                           "national_rate": nat.yearly_rates.loc[NATIONAL]})
    context = {c: (None if _small(int(nat.rates.loc[c, "count"])) else float(nat.rates.loc[c, "eb_rate"]))
               for c in nat.codes}
    spots = list(kde_peaks)[:HOTSPOTS] if kde_peaks is not None else nat.hotspots.get(code, [])
    if kde_peaks is not None:
        spots = [p if isinstance(p, Hotspot) else Hotspot(dict(p.names), p.lon, p.lat, p.value, p.distance_km)
                 for p in spots]
    return RegionProfile(code, nat.names[code], nat.period, nat.base_year, ind, dists, yearly,
                         [] if small else spots, context, nat.unit, nat.synthetic, nat.filter,
                         nat.any_region_suppressed, lang,
                         None if small or nat.density is None else (nat.density, nat.density_floor))


def region_profile(
    incidents: pd.DataFrame,
    code: str,
    *,
    filter: IncidentFilter | None = None,  # noqa: A002
    base_year: int = BASE_YEAR,
    national: NationalProfile | None = None,
    kde_peaks=None,
    lang: str = "ru",
) -> RegionProfile:
    """Profile of region ``code`` beside the national values.

    Parameters
    ----------
    incidents : DataFrame
        Canonical incidents (ignored when ``national`` is given).
    code : str
        ISO 3166-2 code, e.g. ``"KZ-75"``.
    filter, base_year
        See :func:`national_profile`.
    national : NationalProfile, optional
        Precomputed tables (pass it when profiling several regions).
    kde_peaks : list of Peak or Hotspot, optional
        Hot spots to use instead of the built-in KDE (the first five are kept).
    lang : str
        Default language of :meth:`RegionProfile.name`.

    Raises
    ------
    AnalysisError
        Unknown region or no incident passing the filter.
    """
    if national is None:
        national = national_profile(incidents, filter, base_year=base_year, hotspots=kde_peaks is None)
    return _region(national, code, kde_peaks, lang)


def all_profiles(
    incidents: pd.DataFrame,
    filter: IncidentFilter | None = None,  # noqa: A002
    *,
    base_year: int = BASE_YEAR,
    lang: str = "ru",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, RegionProfile]:
    """Profiles of all 20 regions from one grouping of the incidents (code → profile)."""
    nat = national_profile(incidents, filter, base_year=base_year, progress=progress, cancel=cancel)
    return {code: _region(nat, code, None, lang) for code in nat.codes}
