"""How a map shows an analysis (:class:`MapSpec`, display settings only) and the one presenter
that draws an :class:`~juvmap.analysis.AnalysisResult`: :func:`build_map`.

The numbers come from the result (the same ones the Region dock, the sheets and the exports
show); this module computes nothing. Incidents are drawn only in the app: ``for_print=True``
(printing, exporting, the command) leaves them out, and :func:`export_map` always does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from juvmap.analysis.result import AnalysisResult
from juvmap.errors import AnalysisError
from juvmap.describe import denominator_text, period_text, presented_areas, source_notes
from juvmap.i18n import LANGUAGES, _, get_language, using_language

#: switchable analysis layers, drawn in this order (the basemap is always there)
LAYER_KINDS = ("choropleth", "hotspots", "kde", "incidents")


@dataclass(frozen=True)
class MapSpec:
    """What a map draws and how (no numbers: those are the analysis request's).

    Attributes
    ----------
    layers : tuple of str
        Any of :data:`LAYER_KINDS`.
    kde_threshold : float
        Density below this share of the maximum is transparent.
    kde_ramp : str
        Colour ramp of the density (:data:`juvmap.mapping.density_layer.RAMPS`).
    kde_opacity : float
        Opacity of the density overlay.
    settlements : bool
        Show settlements and their labels.
    background : str, optional
        A GeoTIFF, a tile folder or an MBTiles file used as background.
    language : str, optional
        Language of the map; default the UI language.
    title : str, optional
        Title; default a description of the map.
    """

    layers: tuple[str, ...] = ("choropleth",)
    kde_threshold: float = 0.05
    kde_ramp: str = "viridis"
    kde_opacity: float = 0.7
    settlements: bool = True
    background: str | None = None
    language: str | None = None
    title: str | None = None

    def validate(self) -> None:
        """Raise :class:`~juvmap.errors.AnalysisError` for a value no map can be drawn with."""
        from juvmap.mapping.density_layer import RAMPS

        unknown = [kind for kind in self.layers if kind not in LAYER_KINDS]
        if unknown:
            raise AnalysisError(_("Unknown map layer {name}.").format(name=", ".join(unknown)))
        if self.kde_ramp not in RAMPS:
            raise AnalysisError(_("Unknown colour ramp {name}.").format(name=self.kde_ramp))
        if self.language is not None and self.language not in LANGUAGES:
            raise AnalysisError(_("Unknown language {lang}.").format(lang=self.language))

    def outputs(self) -> tuple[str, ...]:
        """The analysis outputs this map needs (the density for the KDE and the peaks)."""
        return ("areas", "density") if {"kde", "hotspots"} & set(self.layers) else ("areas",)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (for settings and project files)."""
        out = asdict(self)
        out["layers"] = list(self.layers)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MapSpec:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "layers" in values:
            values["layers"] = tuple(values["layers"])
        return cls(**values)


def official_measure(result: AnalysisResult) -> str | None:
    """The mapped official indicator's name (translated), or None for incident rates."""
    if result.request.source != "official":
        return None
    from juvmap.stats.official import OFFICIAL_INDICATORS

    return _(OFFICIAL_INDICATORS[result.request.indicator].label)


def build_map(result: AnalysisResult, spec: MapSpec, *, incidents: pd.DataFrame | None = None,
              for_print: bool = False, settlements: gpd.GeoDataFrame | None = None) -> folium.Map:
    """Draw ``result`` as ``spec`` says.

    Parameters
    ----------
    result : AnalysisResult
        Analysed with ``spec.outputs()`` (the density is needed for ``kde`` and the peaks).
    spec : MapSpec
    incidents : DataFrame, optional
        The incident layer (drawn only when ``"incidents"`` is a layer and not ``for_print``).
    for_print : bool
        Leave the incident layer out (printed maps and exported files).
    settlements : GeoDataFrame, optional
        Default: the built-in settlements.
    """
    spec.validate()
    with using_language(spec.language or get_language()):
        return _draw(result, spec, incidents, for_print, settlements)


def _draw(result, spec, incidents, for_print, settlements) -> folium.Map:
    from juvmap.io.boundaries import boundary_credit
    from juvmap.mapping.basemap import background_layer, borders_layer, settlements_layer
    from juvmap.mapping.build import build_map as assemble
    from juvmap.mapping.density_layer import density_layer
    from juvmap.mapping.hotspot_layer import hotspot_layer, peak_layer
    from juvmap.mapping.incident_layer import incident_layer
    from juvmap.mapping.rate_layer import rate_layer

    lang = get_language()
    request = result.request
    kinds = [kind for kind in LAYER_KINDS if kind in spec.layers and not (for_print and kind == "incidents")]
    if "kde" in kinds and result.density is None:
        raise AnalysisError(_("Kernel density needs incident points"))
    areas = presented_areas(result, lang)
    period = period_text(result)
    layers: list = [background_layer(spec.background)] if spec.background else []
    if "choropleth" in kinds:
        change_label = _("Change {year} vs {base}").format(year=result.period.last, base=request.base_year)
        layers.append(rate_layer(areas, request.rate, request.scheme, request.k, change=areas.set_index("code")["change"],
                                 change_label=change_label, period=period, lang=lang,
                                 classification=result.classification, extra_notes=source_notes(result),
                                 measure=official_measure(result)))
    if "hotspots" in kinds:
        layers.append(hotspot_layer(areas, request.hotspot_method, lang))
    if "kde" in kinds:
        layers.append(density_layer(result.density, threshold=spec.kde_threshold, ramp=spec.kde_ramp,
                                    opacity=spec.kde_opacity, lang=lang))
    layers.append(borders_layer(result.areas[["code", "geometry"]]))
    if "hotspots" in kinds and result.peaks:
        layers.append(peak_layer(result.peaks, result.density.units, synthetic=result.synthetic, lang=lang))
    if spec.settlements:
        layers.append(settlements_layer(settlements, lang))
    if "incidents" in kinds and incidents is not None:
        from juvmap.analysis.areas import period_filter

        shown = incidents.loc[period_filter(request, result.period).mask(incidents)]
        layers.append(incident_layer(shown, lang=lang, synthetic=result.synthetic))
    subtitle = _("{period}, {denominator}").format(period=period, denominator=denominator_text(result, lang))
    return assemble(layers, title=spec.title or _("Juvenile delinquency in Kazakhstan"), subtitle=subtitle,
                    attribution=boundary_credit() + "; " + _("settlements: GeoNames (CC BY 4.0)"),
                    north_letter=_("N"))


def export_map(result: AnalysisResult, spec: MapSpec, path: str | Path, **kwargs) -> Path:
    """Draw ``result`` for sharing (never with incidents) and write it to ``path``."""
    from juvmap.mapping.build import map_layers, write_map

    fmap = build_map(result, spec, for_print=True, **kwargs)
    if any(getattr(layer, "app_only", False) for layer in map_layers(fmap)):
        raise AssertionError("an app-only layer reached an exported map")
    return write_map(fmap, Path(path))
