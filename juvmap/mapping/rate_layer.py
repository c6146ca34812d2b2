"""The rate choropleth: a :class:`ChoroplethLayer` from the analysis area table (:class:`juvmap.analysis.AnalysisResult`).

Each region's tooltip gives its name, the count (1–4 shown as "<5"), the rate with its 95 %
interval, the EB rate, its rank among the regions and the change against the base year.
Rates of regions with 1–4 incidents are not shown (they would reveal the count).
"""

from __future__ import annotations

from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
from babel.numbers import format_percent

from juvmap.errors import AnalysisError
from juvmap.i18n import N_, _, get_language
from juvmap.mapping.choropleth import ChoroplethLayer, class_legend
from juvmap.numbers import babel_locale, SUPPRESS_BELOW, format_count, format_number
from juvmap.stats.classify import SCHEMES, Classification, classify

#: rate kind -> (column of the area table, untranslated legend title)
RATE_COLUMNS: dict[str, tuple[str, str]] = {
    "raw": ("rate", N_("Rate")),
    "eb": ("eb_rate", N_("Rate, empirical Bayes smoothed")),
    "spatial_eb": ("spatial_eb_rate", N_("Rate, spatial empirical Bayes smoothed")),
}


def denominator_note(attrs: dict, lang: str) -> str:
    """"per 10 000 residents aged 0–17 (estimate)" from the ``attrs`` of a rate table."""
    multiplier = format_number(float(attrs.get("multiplier", 1)), lang, 0)
    text = _("per {multiplier} {label}").format(multiplier=multiplier, label=attrs.get("denominator", ""))
    return _("{text} (estimate)").format(text=text) if attrs.get("estimate") else text


def synthetic_note() -> str:
    """The legend note of a layer built from synthetic data."""
    return _("Synthetic data: not real incidents")


def format_change(percent: float, lang: str) -> str:
    """A signed percentage in the conventions of ``lang`` ("+12.3 %"); NaN gives "—"."""
    if not np.isfinite(percent):
        return "—"
    return format_percent(percent / 100.0, "+#,##0.0%;-#,##0.0%", locale=babel_locale(lang))


def class_labels(classification: Classification, lang: str, decimals: int = 1) -> list[str]:
    """Legend labels of the classes with locale-formatted bounds (box-map names as they are)."""
    if classification.scheme == "box_plot" and classification.k == 6:
        return classification.labels()
    labels = []
    for low, high, _count in classification.classes:
        upper = format_number(high, lang, decimals)
        if np.isneginf(low):
            labels.append(_("≤ {upper}").format(upper=upper))
        else:
            labels.append(_("{lower} – {upper}").format(lower=format_number(low, lang, decimals), upper=upper))
    return labels


def _shown(count: float) -> bool:
    """Whether rates of a unit with ``count`` incidents may be shown (not 1–4)."""
    return not (0 < count < SUPPRESS_BELOW)


def _tooltips(stats: gpd.GeoDataFrame, values: np.ndarray, change: pd.Series | None,
              change_label: str, lang: str) -> list[str]:
    finite = np.isfinite(values)
    if "rank" in stats:
        ranks = stats["rank"].to_numpy(float)
        n = int(np.isfinite(stats["population"].to_numpy(float)).sum())
        finite = np.isfinite(ranks)
    else:
        ranks = pd.Series(np.where(finite, values, np.nan)).rank(ascending=False, method="min").to_numpy()
        n = int(finite.sum())
    cols = {c: stats[c].to_numpy() for c in ("code", "name", "count", "rate", "ci_low", "ci_high", "eb_rate")}
    hidden = stats["suppressed"].to_numpy(bool) if "suppressed" in stats else np.zeros(len(stats), bool)
    small = stats["small"].to_numpy(bool) if "small" in stats else hidden
    out = []
    for i, code in enumerate(cols["code"]):
        count = float(cols["count"][i])
        shown = format_count(count, lang) if not hidden[i] else (f"<{SUPPRESS_BELOW}" if small[i] else _("hidden"))
        lines = [f"<b>{escape(str(cols['name'][i]))}</b>",
                 escape(_("Incidents: {count}").format(count=shown))]
        if _shown(count) and not hidden[i]:
            lines.append(escape(_("Rate: {rate} (95% CI {low}–{high})").format(
                rate=format_number(cols["rate"][i], lang, 2), low=format_number(cols["ci_low"][i], lang, 2),
                high=format_number(cols["ci_high"][i], lang, 2))))
            lines.append(escape(_("EB rate: {rate}").format(rate=format_number(cols["eb_rate"][i], lang, 2))))
        else:
            lines.append("<i>" + escape(_("Rates of fewer than 5 incidents are not shown")) + "</i>")
        if "partial" in stats and bool(stats["partial"].iloc[i]):
            lines.append("<i>" + escape(_("2022 split: the figures of 2022 cover part of the year "
                                          "or include a territory that left in June 2022")) + "</i>")
        if finite[i]:
            lines.append(escape(_("Rank: {rank} of {n}").format(rank=int(ranks[i]), n=n)))
        if change is not None and code in change.index and np.isfinite(change[code]):
            lines.append(escape(_("{period}: {change}").format(
                period=change_label, change=format_change(float(change[code]), lang))))
        out.append("<br>".join(lines))
    return out


def rate_layer(
    stats: gpd.GeoDataFrame,
    rate: str = "raw",
    scheme: str = "quantiles",
    k: int = 5,
    *,
    change: pd.Series | None = None,
    change_label: str = "",
    period: str = "",
    palette: str = "YlOrRd",
    lang: str | None = None,
    classification: Classification | None = None,
    extra_notes: list[str] | None = None,
    measure: str | None = None,
) -> ChoroplethLayer:
    """Build the rate choropleth of a area table (:attr:`juvmap.analysis.AnalysisResult.areas`).

    Parameters
    ----------
    stats : GeoDataFrame
        One row per region (``code``, ``name``, ``count``, ``rate``, ``ci_low``, ``ci_high``,
        ``eb_rate``, ``spatial_eb_rate``) with ``attrs`` ``multiplier``, ``denominator``,
        ``estimate``, ``synthetic``. Not modified.
    rate : {"raw", "eb", "spatial_eb"}
        Which rate is classified and coloured.
    scheme, k
        Classification (see :func:`juvmap.stats.classify.classify`).
    change : Series, optional
        Percent change per code against the base year; shown in the tooltip as
        ``change_label`` (e.g. "Change 2023 vs 2022").
    period : str
        Appended to the legend title (e.g. "2023").
    palette : str
        ColorBrewer sequential scheme.
    lang : str, optional
        Language of numbers; default the UI language.
    classification : Classification, optional
        The analysis's classes (then ``scheme`` and ``k`` only name them in the legend).

    Returns
    -------
    ChoroplethLayer
        Key ``"choropleth"``, region layer, synthetic when ``stats.attrs["synthetic"]``.
    """
    if rate not in RATE_COLUMNS:
        raise AnalysisError(_("Unknown rate {rate}.").format(rate=rate))
    lang = lang or get_language()
    column, title = RATE_COLUMNS[rate]
    values = stats[column].to_numpy(dtype=float)
    if classification is None:
        classification = classify(values, scheme, k)
    missing = int((classification.yb < 0).sum())
    notes = [denominator_note(stats.attrs, lang),
             _("Classes: {scheme}").format(scheme=_(SCHEMES[scheme].label))]
    synthetic = bool(stats.attrs.get("synthetic", False))
    if synthetic:
        notes.append(synthetic_note())
    notes.extend(extra_notes or [])
    measure = measure or _(title)
    legend_title = measure if not period else _("{measure}, {period}").format(measure=measure, period=period)
    colours, legend = class_legend(
        legend_title,
        class_labels(classification, lang),
        [count for _low, _high, count in classification.classes],
        notes,
        no_data_label=_("no data"),
        no_data_count=missing,
        scheme=palette,
    )
    polygons = gpd.GeoDataFrame(
        {"code": stats["code"].astype(str).to_numpy(),
         "tooltip": _tooltips(stats, values, change, change_label, lang)},
        geometry=stats.geometry.to_numpy(), crs=stats.crs,
    )
    if polygons.crs is not None and not polygons.crs.equals("EPSG:4326"):
        polygons = polygons.to_crs("EPSG:4326")
    return ChoroplethLayer(polygons, classification.yb, colours, legend, legend_title,
                           key="choropleth", synthetic=synthetic, regions=True)
