"""Region profiles from the official Form 1-M figures, for the recommendation sheets.

:func:`official_profiles` cuts one :class:`OfficialRegionProfile` per region out of an
official analysis (``AnalysisRequest(source="official")``): the count of juveniles brought to
criminal liability, the rate per 10,000 residents aged 0–17 with its interval, the EB rate and
the rank are the area table's (disclosure applied there, never recomputed here). The shares
of pupils, of those neither working nor studying, in a group, on the preventive register,
who offended before, of girls and of those aged 14–15, the rate of offences against minors
and the change against 2022 are :func:`juvmap.stats.official.official_indicators`'; the
gravity shares (R6) and the offence categories (R10 by article) are shares of persons with
the same rules (no share below 20 juveniles, none that could reveal a count of 1–4).
Every count is a count of persons (``units["*"] == "persons"``), except offences against
minors. The 2022-split caveat of a region travels as ``caveats`` (codes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from juvmap.analysis.result import AnalysisResult
from juvmap.disclosure import SUPPRESS_BELOW
from juvmap.i18n import N_
from juvmap.io.demo import CATEGORIES
from juvmap.recommend.profile import INDICATOR_LABELS, Indicator, RegionProfile, _shares
from juvmap.stats.official import MIN_SHARE_DENOMINATOR, NATIONAL, official_indicators, split_caveat

__all__ = ["OFFICIAL_LABELS", "OFFICIAL_SHARES", "CAVEAT_TEXTS", "OfficialRegionProfile",
           "official_label", "official_profiles"]

#: profile key -> indicator id of :data:`juvmap.stats.official.OFFICIAL_INDICATORS`
OFFICIAL_SHARES: dict[str, str] = {
    "share_pupil": "share_pupils", "share_not_working_not_studying": "share_not_working_not_studying",
    "share_group": "share_in_group", "share_registered": "share_registered", "share_repeat": "share_repeat",
    "share_female": "share_female", "share_age_14_15": "share_age_14_15",
}
GRAVITY_COLUMNS = {"minor": "juveniles_minor", "medium": "juveniles_medium", "grave": "juveniles_grave",
                   "especially_grave": "juveniles_especially_grave"}
#: labels of the keys only official profiles hold (the others are in INDICATOR_LABELS)
OFFICIAL_LABELS: dict[str, str] = {
    "count": N_("Juveniles brought to criminal liability"),
    "rate": N_("Juveniles per 10,000 aged 0–17"),
    "share_pupil": N_("Pupils and students"),
    "share_repeat": N_("Offended before"),
    "share_group": N_("Acted in a group"),
    "share_not_working_not_studying": N_("Neither working nor studying"),
    "share_registered": N_("On the preventive register"),
    "offences_against_minors_rate": N_("Offences against minors per 10,000 aged 0–17"),
}
#: caveat code -> sheet line (``{region}``: the region's name)
CAVEAT_TEXTS: dict[str, str] = {
    "new_region_partial_year": N_("{region} was created on 8 June 2022: its 2022 figures cover only about "
                                  "June–December; its rate is not tested against Kazakhstan and no change "
                                  "against 2022 is computed."),
    "parent_of_2022_split": N_("Part of {region} became a new region on 8 June 2022: its 2022 figures "
                               "also include that territory for January–May; its rate is not tested against "
                               "Kazakhstan and no change against 2022 is computed."),
}


def official_label(key: str) -> str:
    """Untranslated label of an official profile's indicator."""
    return OFFICIAL_LABELS.get(key) or INDICATOR_LABELS.get(key, key)


@dataclass
class OfficialRegionProfile(RegionProfile):
    """A :class:`RegionProfile` on Form 1-M figures: counts are persons, no incident blocks.

    ``caveats`` are codes of :data:`CAVEAT_TEXTS`; ``units`` maps indicator keys to the
    unit of their counts (read by :func:`juvmap.recommend.rule_tests.indicator_unit`);
    ``source`` is ``"official"``.
    """

    caveats: tuple[str, ...] = ()
    units: dict = field(default_factory=dict)
    source: str = "official"
    #: the period's count and population are not of one territory and year (2022 split): the
    #: rate is not tested against Kazakhstan (:mod:`juvmap.recommend.rule_tests`)
    partial: bool = False


def _area_indicators(row: pd.Series, national: dict, n_regions: int) -> dict[str, Indicator]:
    """Count, rate, EB rate and rank as the area table shows them."""
    hidden = bool(row["suppressed"])
    n = None if hidden else int(row["count"])
    ntl_count = national["count"] if national.get("count") is not None else np.nan
    rate = national["rate"]
    return {
        "count": Indicator("count", "count", np.nan if hidden else float(n), ntl_count, n, None, hidden,
                           small=bool(row["small"])),
        "rate": Indicator("rate", "rate", float(row["rate"]), rate, n, None, hidden,
                          (float(row["ci_low"]), float(row["ci_high"]))),
        "eb_rate": Indicator("eb_rate", "rate", float(row["eb_rate"]), rate, n, None, hidden),
        "rank": Indicator("rank", "rank", float(row["rank"]), float(n_regions), n, None, hidden),
    }


def _official_rows(frame: pd.DataFrame, code: str, period: str) -> pd.DataFrame:
    return frame[(frame["code"] == code) & (frame["period"] == period)].set_index("indicator")


def _share_indicator(key: str, row: pd.Series, nat: pd.Series) -> Indicator:
    """One share of :func:`official_indicators` (percent) as a 0–1 share indicator."""
    status = row["status"]
    hidden = status in ("suppressed_numerator", "suppressed_complement")
    ok = status == "ok"
    value = float(row["value"]) / 100 if ok else np.nan
    if hidden:  # kept for the rule tests (status "suppressed"), never printed
        value = float(row["numerator"] / row["denominator"])
    ci = (float(row["ci_low"]) / 100, float(row["ci_high"]) / 100) if ok else None
    num = int(row["numerator"]) if np.isfinite(row["numerator"]) else None
    den = int(row["denominator"]) if np.isfinite(row["denominator"]) else None
    return Indicator(key, "share", value, float(nat["value"]) / 100, num, den, hidden, ci)


def _change(row: pd.Series, nat: pd.Series, base: pd.Series | None) -> Indicator:
    """Change of the rate against the base period (percent), NaN across the 2022 split."""
    value = float(row["change_percent"]) if row["change_status"] == "ok" else np.nan
    k_last = int(row["numerator"]) if np.isfinite(row["numerator"]) else None
    k_base = int(base["numerator"]) if base is not None and np.isfinite(base["numerator"]) else None
    small = any(k is not None and 0 < k < SUPPRESS_BELOW for k in (k_last, k_base))
    return Indicator("change_vs_base", "percent", value, float(nat["change_percent"]), k_last, k_base, small)


def _partition(reg: pd.Series, ntl: pd.Series, values, prefix: str, out: dict) -> None:
    """Shares of a partition of persons (primary and secondary suppression, ≥ 20 persons)."""
    _shares(reg, ntl, values, prefix, out)
    for v in values:
        ind = out[f"{prefix}:{v}"]
        if (ind.total or 0) < MIN_SHARE_DENOMINATOR:
            out[ind.key] = Indicator(ind.key, "share", np.nan, ind.national, ind.count, ind.total, ind.suppressed)


def _structure(official: pd.Series, national: pd.Series, by_article: pd.DataFrame | None, code: str,
               out: dict) -> None:
    """Gravity shares (R6) and offence categories (R10 by article) of persons."""
    reg = pd.Series({k: official.get(c, np.nan) for k, c in GRAVITY_COLUMNS.items()}).fillna(0).astype(int)
    ntl = pd.Series({k: national.get(c, np.nan) for k, c in GRAVITY_COLUMNS.items()}).fillna(0).astype(int)
    _partition(reg, ntl, list(GRAVITY_COLUMNS), "share_gravity", out)
    parts = [out["share_gravity:grave"], out["share_gravity:especially_grave"]]
    n, total = sum(p.count for p in parts), parts[0].total
    hidden = any(p.suppressed for p in parts) or 0 < n < SUPPRESS_BELOW or 0 < (total or 0) - n < SUPPRESS_BELOW
    value = n / total if total and total >= MIN_SHARE_DENOMINATOR else np.nan
    out["share_grave_plus"] = Indicator("share_grave_plus", "share", value, sum(p.national for p in parts),
                                        n, total, hidden)
    if by_article is None:
        return
    counts = by_article.groupby(["code", "category"])["juveniles"].sum()
    reg = counts.get(code, pd.Series(dtype=int))
    ntl = by_article.groupby("category")["juveniles"].sum()
    _partition(reg, ntl, list(CATEGORIES), "share_category", out)


def _yearly(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Count and rate per period (one row per year), small counts hidden."""
    rate = frame[frame["indicator"] == "juvenile_offenders_rate"]
    own, ntl = rate[rate["code"] == code], rate[rate["code"] == NATIONAL]
    years = own["period"].str[:4].astype(int).to_numpy()
    counts = own["numerator"].to_numpy(float)
    hidden = (counts > 0) & (counts < SUPPRESS_BELOW)
    return pd.DataFrame({"count": np.where(hidden, np.nan, counts),
                         "rate": np.where(hidden, np.nan, own["value"].to_numpy(float)),
                         "national_rate": ntl.set_index("period")["value"].reindex(own["period"]).to_numpy(float)},
                        index=years)


def _period_label(official: pd.DataFrame, year: int) -> str:
    periods = sorted({str(p) for p in official["period"] if str(p)[:4] == str(year)})
    return periods[-1] if periods else str(year)


def _region(code: str, row: pd.Series, ctx: dict) -> OfficialRegionProfile:
    frame, period = ctx["frame"], ctx["period"]
    own, nat = _official_rows(frame, code, period), _official_rows(frame, NATIONAL, period)
    ind = _area_indicators(row, ctx["national"], ctx["n_regions"])
    rate = own.loc["juvenile_offenders_rate"]
    base = _official_rows(frame, code, ctx["base"])
    base_row = base.loc["juvenile_offenders_rate"] if "juvenile_offenders_rate" in base.index else None
    ind["change_vs_base"] = _change(rate, nat.loc["juvenile_offenders_rate"], base_row)
    ind["trend"] = Indicator("trend", "slope", np.nan, np.nan)
    for key, source in OFFICIAL_SHARES.items():
        ind[key] = _share_indicator(key, own.loc[source], nat.loc[source])
    against = own.loc["offences_against_minors_rate"]
    n_against = int(against["numerator"]) if np.isfinite(against["numerator"]) else None
    ind["offences_against_minors_rate"] = Indicator(
        "offences_against_minors_rate", "rate", float(against["value"]),
        float(nat.loc["offences_against_minors_rate", "value"]), n_against, None,
        n_against is not None and 0 < n_against < SUPPRESS_BELOW,
        (float(against["ci_low"]), float(against["ci_high"])))
    _structure(ctx["official"].loc[code], ctx["official_national"], ctx["by_article"], code, ind)
    hidden = ind["count"].suppressed
    if hidden:  # nothing but "<5" / "×" may be printed about this region
        ind = {k: v if k == "count" else Indicator(v.key, v.kind, v.value, v.national, v.count, v.total, True, v.ci)
               for k, v in ind.items()}
    units = {key: "persons" for key in ind}
    units["offences_against_minors_rate"] = "offences"
    caveat = split_caveat(code, period) or split_caveat(code, ctx["base"]) if ctx["crosses"] else ""
    result = ctx["result"]
    return OfficialRegionProfile(
        code, ctx["names"][code], (result.period.first, result.period.last), result.request.base_year, ind, {},
        _yearly(frame, code), [], ctx["context"], ctx["unit"], False, {}, ctx["national"].get("count") is None,
        ctx["lang"], caveats=(caveat,) if caveat else (), units=units,
        partial=any(split_caveat(code, str(y)) for y in range(result.period.first, result.period.last + 1)))


def official_profiles(result: AnalysisResult, official: pd.DataFrame | None = None, *,
                      population: pd.Series | None = None, by_article: pd.DataFrame | None = None,
                      lang: str = "ru") -> dict[str, OfficialRegionProfile]:
    """One profile per region of an official analysis, for :func:`juvmap.recommend.sheets.sheets_from_profiles`.

    Parameters
    ----------
    result : AnalysisResult
        ``analyse(AnalysisRequest(source="official", period=(y, y)), sources)``; its area
        table gives count, rate, interval, EB rate and rank (with the disclosure rule).
    official : DataFrame, optional
        The same official table the analysis read (``sources.official_table()``); default:
        the built-in Form 1-M 2022 layer.
    population : Series, optional
        Residents aged 0–17 by region code (default: the built-in estimate).
    by_article : DataFrame, optional
        Juveniles by region (``code``), ``article`` and ``category`` for the category shares;
        default: the built-in 2022 table when ``official`` is the built-in layer, else none.
    lang : {"kk", "ru", "en"}

    Returns
    -------
    dict of str to OfficialRegionProfile
        Shares are those of the last period of ``result``; the change is against the
        request's base year, NaN for the regions split on 8 June 2022 and their parents.
    """
    from juvmap.io import builtin
    from juvmap.io.gazetteer import get_gazetteer

    if official is None:
        official = builtin.official_by_region()
        if by_article is None and result.period.first <= 2022 <= result.period.last:
            by_article = builtin.official_2022_by_article()
    if population is None:
        population = builtin.juvenile_population()["population"]
    base = _period_label(official, result.request.base_year)
    frame = official_indicators(official, population, base_period=base)
    table = official.rename(columns={"region_iso": "code"})
    table = table[table["period"].astype(str) == _period_label(official, result.period.last)]
    counts = table.set_index("code").select_dtypes("number")
    areas = result.areas.set_index("code")
    gaz = get_gazetteer()
    ctx = {
        "frame": frame, "period": _period_label(official, result.period.last), "base": base, "result": result,
        "official": counts, "official_national": counts.sum(), "by_article": by_article,
        "national": result.national, "n_regions": int(areas["rate"].notna().sum()), "lang": lang,
        "names": {c: {lg: gaz.name(c, lg) for lg in ("kk", "ru", "en")} for c in areas.index},
        "context": {c: None if bool(r["suppressed"]) else float(r["eb_rate"]) for c, r in areas.iterrows()},
        "unit": (result.denominator["multiplier"], result.denominator["age_band"],
                 bool(result.denominator.get("estimate"))),
        "crosses": result.period.first <= 2022 <= result.period.last or result.request.base_year == 2022,
    }
    return {code: _region(code, row, ctx) for code, row in areas.iterrows()}
