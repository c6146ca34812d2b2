"""Hot spots: LISA quadrants or Gi* classes of the regions, and the peaks of the density surface.

The categorical polygons reuse :class:`~juvmap.mapping.choropleth.ChoroplethLayer` (one class per
category, non-significant regions almost transparent); the peaks are circle markers labelled
with the nearest settlement's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import folium
import geopandas as gpd
import numpy as np

from juvmap.errors import AnalysisError
from juvmap.i18n import N_, _, get_language
from juvmap.mapping.choropleth import ChoroplethLayer
from juvmap.mapping.density_layer import significant
from juvmap.mapping.elements import LegendEntry, LegendSpec
from juvmap.numbers import format_number
from juvmap.mapping.rate_layer import synthetic_note
from juvmap.stats.hotspots import GI_BIN_LABELS, QUADRANT_LABELS
from juvmap.stats.peaks import Peak

#: LISA quadrant -> colour (GeoDa's conventions)
LISA_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9",
                "ns": "#eeeeee", "island": "#999999", "undefined": "#cccccc"}
#: Gi* class -> colour (reds for hot, blues for cold spots, darker = more confident)
GI_COLOURS = {3: "#cb181d", 2: "#fb6a4a", 1: "#fcbba1", 0: "#eeeeee",
              -1: "#c6dbef", -2: "#6baed6", -3: "#2171b5"}
PEAK_COLOUR = "#e8175d"
METHODS = ("lisa", "gi")


HIDDEN = "suppressed"
HIDDEN_COLOUR = "#d9d9d9"
HIDDEN_LABEL = N_("Not shown: fewer than 5 incidents")


def _categories(stats: gpd.GeoDataFrame, method: str):
    hidden = stats["suppressed"].to_numpy(bool) if "suppressed" in stats else np.zeros(len(stats), bool)
    if method == "lisa":
        values = stats["lisa_quadrant"].astype(str).to_numpy().astype(object)
        colours, labels = dict(LISA_COLOURS), dict(QUADRANT_LABELS)
    else:
        values = stats["gi_bin"].fillna(0).astype(int).to_numpy().astype(object)
        colours = {k: GI_COLOURS[k] for k in sorted(GI_COLOURS, reverse=True)}
        labels = dict(GI_BIN_LABELS)
    values[hidden] = HIDDEN
    colours[HIDDEN], labels[HIDDEN] = HIDDEN_COLOUR, HIDDEN_LABEL
    return values, list(colours), colours, labels


def _tooltip(name: str, label: str, p: float, z: float | None, lang: str) -> str:
    lines = [f"<b>{escape(str(name))}</b>", escape(label)]
    if np.isfinite(p):
        lines.append(escape(_("p = {p}").format(p=format_number(p, lang, 3))))
    if z is not None and np.isfinite(z):
        lines.append(escape(_("z = {z}").format(z=format_number(z, lang, 2))))
    return "<br>".join(lines)


def hotspot_layer(stats: gpd.GeoDataFrame, method: str = "lisa", lang: str | None = None) -> ChoroplethLayer:
    """Regions coloured by LISA quadrant (``"lisa"``) or Gi* class (``"gi"``).

    Parameters
    ----------
    stats : GeoDataFrame
        The area table of an analysis (:attr:`juvmap.analysis.AnalysisResult.areas`). Not modified.
    method : {"lisa", "gi"}
    lang : str, optional
        Language of numbers.

    Returns
    -------
    ChoroplethLayer
        Key ``"hotspots"``; the legend lists only the categories present, with counts, and the
        low-power warning when there is one.
    """
    if method not in METHODS:
        raise AnalysisError(_("Unknown hot-spot method {method}.").format(method=method))
    lang = lang or get_language()
    values, order, colours, labels = _categories(stats, method)
    present = [c for c in order if (values == c).any()]
    index = {c: i for i, c in enumerate(present)}
    classes = np.array([index[v] for v in values], dtype=int)
    counts = [int((values == c).sum()) for c in present]
    entries = tuple(LegendEntry(colours[c], _(labels[c]), n) for c, n in zip(present, counts, strict=True))
    if method == "lisa":
        title = _("Local Moran's I clusters")
        p_values, z_values = stats["lisa_p"].to_numpy(float), [None] * len(stats)
    else:
        title = _("Getis-Ord Gi* hot spots")
        p_values, z_values = stats["gi_p"].to_numpy(float), stats["gi_z"].to_numpy(float)
    notes = []
    if stats.attrs.get("low_power"):
        notes.append(str(stats.attrs["low_power"]))
    synthetic = bool(stats.attrs.get("synthetic", False))
    if synthetic:
        notes.append(synthetic_note())
    tooltips = [_tooltip(n, _(labels[v]), p, z, lang)
                for n, v, p, z in zip(stats["name"], values, p_values, z_values, strict=True)]
    polygons = gpd.GeoDataFrame({"code": stats["code"].astype(str).to_numpy(), "tooltip": tooltips},
                                geometry=stats.geometry.to_numpy(), crs=stats.crs)
    if polygons.crs is not None and not polygons.crs.equals("EPSG:4326"):
        polygons = polygons.to_crs("EPSG:4326")
    not_significant = {"ns", "island", "undefined", 0}
    opacities = tuple(0.15 if c in not_significant else 0.8 for c in present)
    return ChoroplethLayer(polygons, classes, tuple(colours[c] for c in present),
                           LegendSpec(title, entries, tuple(notes)), title, key="hotspots",
                           synthetic=synthetic, regions=True, opacities=opacities)


@dataclass
class PeakLayer:
    """Peaks of the density surface as labelled circle markers (see :func:`peak_layer`)."""

    peaks: list[Peak]
    units: str
    legend: LegendSpec
    name: str
    synthetic: bool = False
    lang: str = "ru"
    key: str = "peaks"
    show: bool = True

    def add_to(self, fmap: folium.Map):
        """Add the markers to ``fmap`` as one layer; return it."""
        from juvmap.mapping.build import ScriptLayer, js_json

        rows = []
        for rank, peak in enumerate(self.peaks, start=1):
            place = peak.settlement(self.lang) or _("unnamed place")
            text = _("Peak {rank}: {value} {units}").format(
                rank=rank, value=significant(peak.value, self.lang), units=self.units)
            near = _("{km} km from {place}").format(km=format_number(peak.distance_km, self.lang, 0), place=place)
            rows.append([round(peak.lat, 5), round(peak.lon, 5), f"{escape(text)}<br>{escape(near)}",
                         f'<div class="jm-peak-label">{rank}. {escape(place)}</div>'])

        def script(var: str, _map: str) -> str:
            return _PEAK_SCRIPT % {"var": var, "rows": js_json(rows), "colour": js_json(PEAK_COLOUR)}

        layer = ScriptLayer(self.name, script, show=self.show, header=_PEAK_STYLE)
        layer.add_to(fmap)
        return layer


_PEAK_SCRIPT = """var %(var)s = L.featureGroup();
%(rows)s.forEach(function(r){
  L.circleMarker([r[0], r[1]], {radius: 7, color: '#ffffff', weight: 2, fill: true, fillColor: %(colour)s,
    fillOpacity: 0.95, pane: 'markerPane'}).bindTooltip(r[2]).addTo(%(var)s);  // above the density
  L.marker([r[0], r[1]], {interactive: false, icon: L.divIcon({html: r[3], iconSize: [160, 16],
    iconAnchor: [80, -9], className: 'jm-peak'})}).addTo(%(var)s);
});"""
_PEAK_STYLE = ("<style>.jm-peak-label{font:bold 11px 'DejaVu Sans',Arial,sans-serif;color:#7a0026;"
               "text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap;text-align:center}</style>")


def peak_layer(peaks: list[Peak], units: str, *, synthetic: bool = False, lang: str | None = None) -> PeakLayer:
    """Circle markers at the density peaks, each labelled with its nearest settlement."""
    lang = lang or get_language()
    name = _("Density peaks")
    legend = LegendSpec(name, (LegendEntry(PEAK_COLOUR, _("Peak (nearest settlement)"), len(peaks)),))
    return PeakLayer(list(peaks), units, legend, name, synthetic, lang)
