"""What a map shows, as plain data (:class:`MapSpec`), and the one call that builds it.

The GUI binds its controls to a :class:`MapSpec`; the ``juvmap map`` command fills one from its
options. :func:`build_map_from_spec` computes the statistics, the density surface and the peaks
it needs and assembles the layers. Incidents are shown only in the app: ``for_print=True``
(printing, exporting, the command) leaves them out, and :func:`export_map` always does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import LANGUAGES, _, get_language, set_language
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.stats.filters import IncidentFilter
from juvmap.stats.rates import Denominator

#: switchable analysis layers, drawn in this order (the basemap is always there)
LAYER_KINDS = ("choropleth", "hotspots", "kde", "incidents")
RATE_KINDS = ("raw", "eb", "spatial_eb")
HOTSPOT_METHODS = ("lisa", "gi")


@dataclass(frozen=True)
class MapSpec:
    """Everything that decides what a map shows (no data, no Qt).

    Attributes
    ----------
    layers : tuple of str
        Any of :data:`LAYER_KINDS`.
    scheme, k : str, int
        Classification of the choropleth (:data:`juvmap.stats.classify.SCHEMES`).
    rate : {"raw", "eb", "spatial_eb"}
        Crude or (spatially) empirical-Bayes smoothed rate.
    year : int, optional
        Year mapped; default the latest year in the data (ignored when ``filter.years`` is set).
    base_year : int
        Year the tooltips' change is measured against.
    filter : IncidentFilter, optional
        Which incidents count.
    kde_radius, kde_cell : float, optional
        Metres; default the radius suggested from the data and the cell of :func:`auto_cell`.
    kde_kernel, kde_output : str
        See :func:`juvmap.stats.kde.kernel_density`.
    kde_threshold : float
        Density below this share of the maximum is transparent.
    kde_ramp : str
        Colour ramp of the density (:data:`juvmap.mapping.density_layer.RAMPS`).
    kde_opacity : float
        Opacity of the density overlay.
    hotspot_method : {"lisa", "gi"}
        LISA quadrants or Gi* classes.
    peaks : int
        Number of density peaks shown with the hot spots (0: none).
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
    scheme: str = "quantiles"
    k: int = 5
    rate: str = "raw"
    year: int | None = None
    base_year: int = 2022
    filter: IncidentFilter | None = None  # noqa: A003
    kde_radius: float | None = None
    kde_cell: float | None = None
    kde_kernel: str = "quartic"
    kde_output: str = "density"
    kde_threshold: float = 0.05
    kde_ramp: str = "viridis"
    kde_opacity: float = 0.7
    hotspot_method: str = "lisa"
    peaks: int = 10
    settlements: bool = True
    background: str | None = None
    language: str | None = None
    title: str | None = None

    def validate(self) -> None:
        """Raise :class:`~juvmap.errors.AnalysisError` for a value no map can be made with."""
        from juvmap.mapping.density_layer import RAMPS
        from juvmap.stats.classify import SCHEMES

        unknown = [kind for kind in self.layers if kind not in LAYER_KINDS]
        if unknown:
            raise AnalysisError(_("Unknown map layer {name}.").format(name=", ".join(unknown)))
        if self.scheme not in SCHEMES:
            raise AnalysisError(_("Unknown classification {scheme}.").format(scheme=self.scheme))
        if self.rate not in RATE_KINDS:
            raise AnalysisError(_("Unknown rate {rate}.").format(rate=self.rate))
        if self.hotspot_method not in HOTSPOT_METHODS:
            raise AnalysisError(_("Unknown hot-spot method {method}.").format(method=self.hotspot_method))
        if self.kde_ramp not in RAMPS:
            raise AnalysisError(_("Unknown colour ramp {name}.").format(name=self.kde_ramp))
        if self.language is not None and self.language not in LANGUAGES:
            raise AnalysisError(_("Unknown language {lang}.").format(lang=self.language))
        if not 1 <= int(self.k) <= 12:
            raise AnalysisError(_("The number of classes must be between 1 and 12."))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (for settings and project files)."""
        out = asdict(self)
        out["layers"] = list(self.layers)
        out["filter"] = self.filter.to_dict() if self.filter is not None else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MapSpec:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "layers" in values:
            values["layers"] = tuple(values["layers"])
        if values.get("filter") is not None:
            values["filter"] = IncidentFilter.from_dict(values["filter"])
        return cls(**values)


@dataclass
class _Context:
    spec: MapSpec
    lang: str
    filter: IncidentFilter | None
    period: str
    synthetic: bool


def _effective_filter(spec: MapSpec, incidents: pd.DataFrame) -> tuple[IncidentFilter | None, str, int | None]:
    """The filter with the mapped year, the period's label and that year (None for a range)."""
    base = spec.filter or IncidentFilter()
    if base.years is not None:
        first, last = base.years
        return base, (str(first) if first == last else f"{first}–{last}"), (last if first == last else None)
    year = spec.year
    if year is None and "date" in incidents.columns and len(incidents):
        years = pd.to_datetime(incidents["date"], errors="coerce").dt.year.dropna()
        year = int(years.max()) if len(years) else None
    if year is None:
        return (None if base.is_empty else base), "", None
    return replace(base, years=(year, year)), str(year), year


def _change(incidents: pd.DataFrame, codes: pd.Series, ctx: _Context, year: int | None) -> tuple[pd.Series | None, str]:
    """Percent change of each region's count in ``year`` against the base year (counts ≥ 5 only)."""
    from juvmap.stats.trends import percent_change, yearly_counts

    base = ctx.spec.base_year
    if year is None or year == base or not {"date", "region"} <= set(incidents.columns):
        return None, ""
    other = replace(ctx.filter, years=None) if ctx.filter is not None else None
    counts = yearly_counts(incidents, codes, other, years=(min(base, year), max(base, year)))
    change = percent_change(counts, base)[year]
    small = (counts[base] < 5) | ((counts[year] > 0) & (counts[year] < 5))
    return change.mask(small), _("Change {year} vs {base}").format(year=year, base=base)


#: cells of an automatic density grid: radius / CELLS_PER_RADIUS, and at most MAX_AUTO_CELLS in all
CELLS_PER_RADIUS = 12
MAX_AUTO_CELLS = 1_500_000


def auto_cell(points: pd.DataFrame, radius: float) -> float:
    """A cell size for the map's density: radius / 12 (a multiple of 250 m, at least 250 m),
    coarser when the grid over the points' extent would exceed :data:`MAX_AUTO_CELLS`.

    ``points`` is a GeoDataFrame in any CRS or a table with ``lon``/``lat`` columns (see
    :func:`juvmap.io.points.point_xy`) with at least one located point."""
    from juvmap.crs import EQUAL_AREA_CRS, transformer
    from juvmap.io.points import point_crs, point_xy

    x, y, _rows = point_xy(points, crs=None)
    xmin, ymin, xmax, ymax = transformer(point_crs(points), EQUAL_AREA_CRS).transform_bounds(
        x.min(), y.min(), x.max(), y.max(), densify_pts=21)
    area = (xmax - xmin + 2 * radius) * (ymax - ymin + 2 * radius)
    cell = max(radius / CELLS_PER_RADIUS, float(np.sqrt(area / MAX_AUTO_CELLS)), 250.0)
    return float(np.ceil(cell / 250.0) * 250.0)


def _density(points: pd.DataFrame, spec: MapSpec, progress, cancel):
    from juvmap.stats.kde import kernel_density, suggest_radius

    radius = spec.kde_radius or suggest_radius(points)
    cell = spec.kde_cell or auto_cell(points, radius)
    return kernel_density(points, radius=radius, cell=cell, kernel=spec.kde_kernel, output=spec.kde_output,
                          progress=progress, cancel=cancel)


def _points(incidents: pd.DataFrame, flt: IncidentFilter | None) -> pd.DataFrame | None:
    """The located incidents ``flt`` keeps, with their location only (None when there are none)."""
    from juvmap.crs import WGS84, as_crs
    from juvmap.io.points import has_points, point_crs, point_xy

    if not has_points(incidents):
        return None
    kept = incidents if flt is None else incidents.loc[flt.mask(incidents)]
    x, y, _rows = point_xy(kept, crs=None)
    if x.size == 0:
        return None
    crs = point_crs(kept)
    if crs is not None and as_crs(crs) == WGS84:
        points = pd.DataFrame({"lon": x, "lat": y})
    else:  # a caller's GeoDataFrame in another CRS: the density is computed from that CRS
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=crs)
    points.attrs["synthetic"] = bool(incidents.attrs.get("synthetic", False))
    return points


_WEIGHTS: dict[str, Any] = {}


def _queen_weights(polygons: gpd.GeoDataFrame):
    """Queen contiguity of ``polygons``, remembered for the same polygons (the GUI rebuilds maps often)."""
    import hashlib

    import shapely

    from juvmap.stats.smoothing import queen_weights

    digest = hashlib.sha1(b"".join(shapely.to_wkb(np.asarray(polygons.geometry.array))))
    digest.update("\x00".join(polygons["code"].astype(str)).encode() if "code" in polygons else b"")
    key = digest.hexdigest()
    if key not in _WEIGHTS:
        if len(_WEIGHTS) >= 4:
            _WEIGHTS.pop(next(iter(_WEIGHTS)))
        _WEIGHTS[key] = queen_weights(polygons)
    return _WEIGHTS[key]


def _sub(progress: ProgressCallback | None, start: float, end: float):
    if progress is None:
        return None
    return lambda fraction, message: report(progress, start + (end - start) * fraction, message)


def _default_title(spec: MapSpec) -> str:
    return _("Juvenile delinquency in Kazakhstan")


def build_map_from_spec(
    spec: MapSpec,
    incidents: pd.DataFrame,
    polygons: gpd.GeoDataFrame,
    denominator: Denominator,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    *,
    for_print: bool = False,
    settlements: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Build the map ``spec`` describes.

    Parameters
    ----------
    spec : MapSpec
        What to show.
    incidents : DataFrame or GeoDataFrame
        Canonical incidents (``region`` codes, ``date``; ``lon``/``lat`` columns in EPSG:4326
        or point geometry for the density, peaks and incident layers). Not modified.
    polygons : GeoDataFrame
        The areas of the choropleth and hot spots (``code`` and ``name_<lang>`` columns).
    denominator : Denominator
        Population at risk.
    progress, cancel
        See :mod:`juvmap.progress`.
    for_print : bool
        Leave the incident layer out (printed sheets and exported files).
    settlements : GeoDataFrame, optional
        Default: the built-in settlements.

    Returns
    -------
    folium.Map
        Write it with :func:`juvmap.mapping.build.write_map`.

    Raises
    ------
    AnalysisError
        An invalid spec, or a density requested for data without points.
    Cancelled
        When ``cancel`` was set.
    """
    spec.validate()
    previous = get_language()
    if spec.language and spec.language != previous:
        set_language(spec.language)
    try:
        return _build(spec, incidents, polygons, denominator, progress, cancel, for_print, settlements)
    finally:
        if get_language() != previous:
            set_language(previous)


def _build(spec, incidents, polygons, denominator, progress, cancel, for_print, settlements) -> folium.Map:
    from juvmap.io.boundaries import BOUNDARY_CREDIT
    from juvmap.mapping.basemap import background_layer, borders_layer, settlements_layer
    from juvmap.mapping.build import build_map
    from juvmap.mapping.density_layer import density_layer
    from juvmap.mapping.hotspot_layer import hotspot_layer, peak_layer
    from juvmap.mapping.incident_layer import incident_layer
    from juvmap.mapping.rate_layer import rate_layer
    from juvmap.stats.peaks import find_peaks
    from juvmap.stats.summary import region_statistics

    lang = get_language()
    kinds = [kind for kind in LAYER_KINDS if kind in spec.layers and not (for_print and kind == "incidents")]
    flt, period, year = _effective_filter(spec, incidents)
    ctx = _Context(spec, lang, flt, period, bool(incidents.attrs.get("synthetic", False)))
    check(cancel)
    report(progress, 0.0, _("Preparing the map"))
    layers: list = []
    if spec.background:
        layers.append(background_layer(spec.background))
    stats = None
    if "choropleth" in kinds or "hotspots" in kinds:
        stats = region_statistics(incidents, polygons, denominator, flt, eb=True, hotspots="hotspots" in kinds,
                                  progress=_sub(progress, 0.0, 0.4), cancel=cancel,
                                  weights=_queen_weights(polygons))
    if "choropleth" in kinds:
        change, label = _change(incidents, stats["code"], ctx, year)
        layers.append(rate_layer(stats, spec.rate, spec.scheme, spec.k, change=change, change_label=label,
                                 period=period, lang=lang))
    if "hotspots" in kinds:
        layers.append(hotspot_layer(stats, spec.hotspot_method, lang))
    grid = None
    points = _points(incidents, flt) if ("kde" in kinds or ("hotspots" in kinds and spec.peaks > 0)) else None
    if "kde" in kinds and points is None:
        raise AnalysisError(_("Kernel density needs incident points"))
    if points is not None:
        check(cancel)
        report(progress, 0.4, _("Computing the density"))
        grid = _density(points, spec, _sub(progress, 0.4, 0.75), cancel)
    if "kde" in kinds:
        layers.append(density_layer(grid, threshold=spec.kde_threshold, ramp=spec.kde_ramp,
                                    opacity=spec.kde_opacity, lang=lang))
    check(cancel)
    report(progress, 0.8, _("Drawing the map"))
    layers.append(borders_layer(polygons))
    if "hotspots" in kinds and grid is not None and spec.peaks > 0:
        peaks = find_peaks(grid, n=spec.peaks, settlements=settlements)
        layers.append(peak_layer(peaks, grid.units, synthetic=bool(grid.synthetic), lang=lang))
    if spec.settlements:
        layers.append(settlements_layer(settlements, lang))
    if "incidents" in kinds:
        shown = incidents if flt is None else incidents.loc[flt.mask(incidents)]
        layers.append(incident_layer(shown, lang=lang, synthetic=ctx.synthetic))
    subtitle = period
    if stats is not None:
        from juvmap.mapping.rate_layer import denominator_note

        subtitle = _("{period}, {denominator}").format(period=period, denominator=denominator_note(stats.attrs, lang)) \
            if period else denominator_note(stats.attrs, lang)
    fmap = build_map(layers, title=spec.title or _default_title(spec), subtitle=subtitle,
                     attribution=BOUNDARY_CREDIT + "; settlements: GeoNames (CC BY 4.0)", north_letter=_("N"))
    report(progress, 1.0, "")
    return fmap


def export_map(spec: MapSpec, incidents: pd.DataFrame, polygons: gpd.GeoDataFrame, denominator: Denominator,
               path: str | Path, progress: ProgressCallback | None = None,
               cancel: CancelToken | None = None, **kwargs) -> Path:
    """Build the map of ``spec`` for sharing (never with incidents) and write it to ``path``."""
    from juvmap.mapping.build import map_layers, write_map

    fmap = build_map_from_spec(spec, incidents, polygons, denominator, progress, cancel, for_print=True, **kwargs)
    if any(getattr(layer, "app_only", False) for layer in map_layers(fmap)):
        raise AssertionError("an app-only layer reached an exported map")
    return write_map(fmap, Path(path))
