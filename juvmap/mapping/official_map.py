"""The start-up map: the 20 regions coloured by the official 2022 juvenile-offender rate."""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from juvmap.i18n import _, get_language
from juvmap.mapping.build import build_map
from juvmap.mapping.choropleth import ChoroplethLayer, class_legend
from juvmap.numbers import format_count, format_number
from juvmap.stats.classify import classify
from juvmap.stats.rates import JUVENILE_MULTIPLIER as MULTIPLIER  # per 10,000 juveniles


def official_2022_table() -> pd.DataFrame:
    """Return code, names, offenders 2022, juvenile population and rate per 10,000.

    The denominator is the built-in *estimated* juvenile population (its age band is in
    column ``age_band``); the rate is undefined (NaN) where the population is missing.
    """
    from juvmap.io import builtin

    official = builtin.official_2022()
    juveniles = builtin.juvenile_population()
    table = pd.DataFrame(
        {
            "count": official["juveniles"].astype(int),
            "population": juveniles["population"].reindex(official.index),
            "age_band": juveniles["age_band"].reindex(official.index),
            "estimate": juveniles["estimate"].reindex(official.index),
            "caveat": official["caveat"],
        }
    )
    from juvmap.stats.rates import Denominator, crude_rates

    denominator = Denominator.from_table(juveniles.reindex(official.index))
    table["rate"] = crude_rates(table["count"], denominator)["rate"]
    return table


def official_2022_layer(lang: str | None = None) -> ChoroplethLayer:
    """The choropleth layer of :func:`official_2022_table` with tooltips in ``lang``."""
    from juvmap.io.boundaries import load_regions
    from juvmap.io.gazetteer import get_gazetteer

    lang = lang or get_language()
    table = official_2022_table()
    regions = load_regions(detail="display").set_index("code").join(table, how="left")
    gaz = get_gazetteer()
    age_band = str(table["age_band"].dropna().iloc[0])
    estimate = bool(table["estimate"].fillna(False).any())

    values = regions["rate"].to_numpy(dtype=float)
    ok = np.isfinite(values)
    classification = classify(values, "quantiles", 5)
    classes = classification.yb
    labels = [
        _("{lower} – {upper}").format(lower=format_number(lo, lang, 1), upper=format_number(hi, lang, 1))
        for lo, hi, _count in classification.classes
    ]
    denominator = _("per 10,000 residents aged {band}").format(band=age_band)
    notes = [denominator + (" — " + _("estimate") if estimate else "")]
    notes.append(_("Source: Form 1-M, Committee on Legal Statistics, 2022"))
    colours, legend = class_legend(
        _("Juvenile offenders, 2022"),
        labels,
        [count for _lo, _hi, count in classification.classes],
        notes,
        no_data_label=_("no data"),
        no_data_count=int((~ok).sum()),
    )
    tooltips = []
    for code, row in regions.iterrows():
        lines = [f"<b>{gaz.name(code, lang)}</b>"]
        lines.append(_("Juvenile offenders, 2022: {count}").format(count=format_count(row["count"], lang)))
        if row["count"] >= 5 and np.isfinite(row["rate"]):
            lines.append(_("Rate: {rate} {denominator}").format(
                rate=format_number(row["rate"], lang, 2), denominator=denominator))
        caveat = row["caveat"] if isinstance(row["caveat"], str) else ""
        if caveat.startswith("new region"):
            lines.append("<i>" + _("Partial year: the region exists since June 2022") + "</i>")
        elif caveat.startswith("parent"):
            lines.append("<i>" + _("January–May may include the territory of a new region") + "</i>")
        tooltips.append("<br>".join(lines))
    polygons = regions.reset_index()[["code", "geometry"]].copy()
    polygons["tooltip"] = tooltips
    return ChoroplethLayer(polygons, classes, colours, legend, _("Juvenile offenders, 2022"))


def official_2022_map(lang: str | None = None) -> folium.Map:
    """The start-up map in ``lang`` (default: the UI language)."""
    from juvmap.io.boundaries import BOUNDARY_CREDIT

    layer = official_2022_layer(lang)
    band = str(official_2022_table()["age_band"].dropna().iloc[0])
    return build_map(
        [layer],
        title=_("Juvenile delinquency in Kazakhstan"),
        subtitle=_("Per 10,000 residents aged {band} (estimate), 2022, official data").format(band=band),
        attribution=BOUNDARY_CREDIT,
        north_letter=_("N"),
    )
