"""Words for an analysis result, shared by every presenter (map, Region dock, sheets, exports):
its period, its denominator, the areas' names, its source notes — translated in the active
language, from the result's codes."""

from __future__ import annotations

import geopandas as gpd

from juvmap.analysis.result import AnalysisResult
from juvmap.i18n import _


def area_names(result: AnalysisResult, lang: str) -> list[str]:
    """The areas' names in ``lang`` (built-in layers carry kk/ru/en names; else the code)."""
    areas = result.areas
    for field in (f"name_{lang}", "name", "name_ru", "name_en"):
        if field in areas.columns:
            return areas[field].astype(str).tolist()
    if result.request.level == "regions":
        from juvmap.io.gazetteer import get_gazetteer

        gaz = get_gazetteer()
        return [gaz.name(code, lang) if code in gaz.codes else code for code in areas["code"]]
    return areas["code"].astype(str).tolist()


def period_text(result: AnalysisResult) -> str:
    """"2023" or "2019–2023, annual average" (translated)."""
    if result.period.kind == "year":
        return result.period.label()
    return _("{period}, annual average").format(period=result.period.label())


def denominator_text(result: AnalysisResult, lang: str) -> str:
    """"per 10,000 residents aged 0–17 (estimate)" for the result's denominator (translated)."""
    from juvmap.numbers import format_number

    d = result.denominator
    if d.get("kind") == "share":
        return _("% of juvenile offenders")
    label = _("residents aged {band}").format(band=d["age_band"]) if d.get("age_band") else _("residents")
    text = _("per {multiplier} {label}").format(multiplier=format_number(d["multiplier"], lang, 0), label=label)
    return _("{text} (estimate)").format(text=text) if d.get("estimate") else text


def source_notes(result: AnalysisResult) -> list[str]:
    """Legend notes on where the numbers come from (official figures name their form)."""
    if result.request.source == "official":
        return [_("Source: Form 1-M, Committee on Legal Statistics, {period}").format(period=result.period.label())]
    return []


def presented_areas(result: AnalysisResult, lang: str) -> gpd.GeoDataFrame:
    """The area table with names in ``lang`` and the legend attributes the layers read."""
    table = result.areas.copy()
    table["name"] = area_names(result, lang)
    table["partial"] = table["code"].isin(result.flags.get("partial", []))
    table.attrs.update(multiplier=result.denominator["multiplier"], estimate=result.flags.get("estimate", False),
                       denominator=denominator_text(result, lang), synthetic=result.synthetic)
    if result.flags.get("low_power"):
        from juvmap.stats.hotspots import low_power_warning

        table.attrs["low_power"] = low_power_warning(int(result.flags["tested"]))
    return table


