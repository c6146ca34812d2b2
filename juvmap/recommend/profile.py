"""A region's juvenile-offence profile beside the national one, for the Region dock and sheets.

A presenter: :func:`all_profiles` / :func:`region_profile` cut one :class:`RegionProfile` per
region out of an :class:`~juvmap.analysis.AnalysisResult` (its area table and its profile
tables, :mod:`juvmap.analysis.profiles`), so the count, rate, EB rate, rank and change are the
map's. Every :class:`Indicator` carries the counts behind it and whether printing it could
reveal a count of 1–4 (``suppressed``). Rates are for the period of the analysis (annual, or
the annual average over several years).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from juvmap.disclosure import SUPPRESS_BELOW, protect_line
from juvmap.disclosure import small as small_counts
from juvmap.analysis.profiles import ARTICLES, NationalProfile
from juvmap.analysis.result import AnalysisResult
from juvmap.errors import AnalysisError
from juvmap.i18n import N_, _
from juvmap.io.demo import CATEGORIES, GRAVITIES, PLACES
from juvmap.labels import CATEGORY_LABELS, PLACE_LABELS
from juvmap.recommend.hotspots import HOTSPOTS, Hotspot
from juvmap.stats.trends import NATIONAL

__all__ = ["Indicator", "NationalProfile", "RegionProfile", "INDICATOR_LABELS",
           "all_profiles", "region_profile", "indicator_keys"]

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
    #: hidden because it is a count of 1–4 (printed "<5"); other hidden values print as "×"
    small: bool = False

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
    #: hour (rows) × weekday (columns) counts, cells that could reveal a count of 1–4 NaN
    hour_weekday: pd.DataFrame | None = None
    #: (national DensityGrid, display floor) for the map; None when not shown
    density: tuple | None = None

    def name(self, lang: str | None = None) -> str:
        """Region name in ``lang`` (default: the profile's language)."""
        return self.names.get(lang or self.lang) or self.code

    @property
    def suppressed(self) -> bool:
        """Whether the region's own count is hidden (almost nothing about it may be printed)."""
        return bool(self.indicators["count"].suppressed)


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


def _region(nat: NationalProfile, code: str, peaks=None, lang: str = "ru") -> RegionProfile:
    if code not in nat.codes:
        raise AnalysisError(_("Unknown region: {code}").format(code=code))
    r = nat.rates.loc[code]
    small = bool(r["suppressed"])
    known = bool(np.isfinite(r["count"]))  # a table of counts may lack a region: unknown, not 0
    n = None if small or not known else int(r["count"])
    ntl_rate = nat.national["rate"]
    ntl_count = nat.national["count"] if nat.national["count"] is not None else np.nan
    ind: dict[str, Indicator] = {
        "count": Indicator("count", "count", float("nan") if n is None else float(n), ntl_count, n, None, small,
                           small=bool(r["small"])),
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
        hidden = [small or ind[f"share_{variable}:{v}"].suppressed for v in values]
        dists[variable] = pd.DataFrame({"count": [np.nan if h else float(reg.get(v, 0)) for v, h in zip(values, hidden)],
                                        "share": [ntl.get(v, 0) / max(ntl.sum(), 1) for v in values]},
                                       index=list(values))
    hrow, nrow = nat.hours.loc[code].to_numpy(float), nat.hours.loc[NATIONAL].to_numpy(float)
    hidden_hours = protect_line(hrow, small_counts(hrow)) | small
    dists["hour"] = pd.DataFrame({"count": np.where(hidden_hours, np.nan, hrow),
                                  "share": nrow / max(nrow.sum(), 1)}, index=range(24))
    hidden_years = yc.between(1, SUPPRESS_BELOW - 1)
    yearly = pd.DataFrame({"count": yc.astype(float).mask(hidden_years),
                           "rate": nat.yearly_rates.loc[code].mask(hidden_years),
                           "national_rate": nat.yearly_rates.loc[NATIONAL]})
    context = {c: (None if bool(nat.rates.loc[c, "suppressed"]) else float(nat.rates.loc[c, "eb_rate"]))
               for c in nat.codes}
    spots = list(peaks or [])[:HOTSPOTS]
    return RegionProfile(code, nat.names[code], nat.period, nat.base_year, ind, dists, yearly,
                         [] if small else spots, context, nat.unit, nat.synthetic, nat.filter,
                         nat.national.get("count") is None, lang,
                         density=None if small or nat.density is None else (nat.density, nat.density_floor),
                         hour_weekday=None if small else nat.hour_weekday.get(code))


def _peaks_by_region(result: AnalysisResult) -> dict[str, list[Hotspot]]:
    """The analysis's density peaks, by the region they lie in (at most five each)."""
    from juvmap.io.boundaries import assign_regions

    out: dict[str, list[Hotspot]] = {}
    peaks = list(result.peaks or [])
    if not peaks:
        return out
    where = assign_regions([p.lon for p in peaks], [p.lat for p in peaks])
    for peak, code in zip(peaks, where, strict=True):
        spots = out.setdefault(str(code), [])
        if len(spots) < HOTSPOTS:
            spots.append(Hotspot(dict(peak.names), peak.lon, peak.lat, peak.value, peak.distance_km))
    return out


def all_profiles(result: AnalysisResult, lang: str = "ru") -> dict[str, RegionProfile]:
    """Profiles of all 20 regions cut out of ``result`` (analysed with ``"profiles"`` in its
    outputs; with ``"density"`` too, the peaks become the regions' hot spots)."""
    nat = result.profiles
    if nat is None:
        raise AnalysisError(_("Profiles need an incident layer."))
    if result.density is not None:
        nat.hotspots = _peaks_by_region(result)
        nat.density, nat.density_floor = result.density, 0.0
    return {code: _region(nat, code, nat.hotspots.get(code, []), lang) for code in nat.codes}


def region_profile(result: AnalysisResult, code: str, lang: str = "ru") -> RegionProfile:
    """The profile of region ``code`` beside the national values (see :func:`all_profiles`)."""
    profiles = all_profiles(result, lang)
    if code not in profiles:
        raise AnalysisError(_("Unknown region: {code}").format(code=code))
    return profiles[code]
