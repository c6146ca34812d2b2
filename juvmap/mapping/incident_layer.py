"""Incidents as clustered points with a popup of non-identifying attributes (in the app only).

The popup shows the month (never the day or time), the offence category, its gravity, the
kind of place and the offender's age band; never an id, a name, a sex, an exact age or a
time. Coordinates are rounded to 3 decimals (about 100 m). This layer is left out of every
exported or printed map (see :func:`juvmap.mapping.spec.build_map`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from babel.dates import format_date

from juvmap.i18n import N_, _, get_language, ngettext
from juvmap.labels import value_label
from juvmap.mapping.elements import LegendEntry, LegendSpec
from juvmap.numbers import babel_locale, format_number

#: decimals kept of longitude and latitude
COORDINATE_DECIMALS = 3
POINT_COLOUR = "#ff7f00"

#: popup fields in order: (incident column, untranslated label)
POPUP_FIELDS = (("date", N_("Month")), ("category", N_("Offence")), ("gravity", N_("Gravity")),
                ("place", N_("Place")), ("age", N_("Age")))


def age_band(age: float) -> str:
    """The translated age band of an offender: under 14, 14–15, 16–17, 18 and over ("" if unknown)."""
    if not np.isfinite(age):
        return ""
    if age < 14:
        return _("under 14")
    if age < 16:
        return "14–15"
    if age < 18:
        return "16–17"
    return _("18 and over")


def _codes(labels: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Index of every row into a table of distinct HTML-escaped labels (-1 where empty)."""
    values = labels.fillna("").astype(str)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = [escape(u) for u in uniques]
    empty = [i for i, u in enumerate(uniques) if u == ""]
    if empty:
        codes = np.where(codes == empty[0], -1, codes)
    return codes.astype(int), table


def _labels(incidents: pd.DataFrame, column: str, lang: str) -> pd.Series:
    n = len(incidents)
    if column not in incidents.columns:
        return pd.Series([""] * n, index=incidents.index)
    values = incidents[column]
    if column == "date":
        months = pd.to_datetime(values, errors="coerce").dt.to_period("M")
        names = {m: format_date(dt.date(m.year, m.month, 1), "LLLL y", locale=babel_locale(lang))
                 for m in months.dropna().unique()}
        return months.map(names)
    if column == "age":
        ages = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        return pd.Series([age_band(a) for a in ages], index=incidents.index)
    text = values.astype("string")
    return text.map(lambda v: "" if pd.isna(v) else value_label(column, v))


_CLUSTER_SCRIPT = """var %(var)s = (function(){
  var T = %(tables)s, F = %(fields)s, rows = %(rows)s;
  var cluster = L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 50});
  var markers = rows.map(function(row){
    var m = L.circleMarker([row[0], row[1]], {radius: 5, color: '#5a2d00', weight: 1,
      fillColor: %(colour)s, fillOpacity: 0.9});
    m.bindPopup(function(){
      var out = [];
      for (var i = 0; i < F.length; i++) {
        var v = row[i + 2];
        if (v >= 0) { out.push('<b>' + F[i] + ':</b> ' + T[i][v]); }
      }
      return out.join('<br>');
    });
    return m;
  });
  cluster.addLayers(markers);
  return cluster;
})();"""


@dataclass
class IncidentLayer:
    """The clustered incident points of the app's map (see :func:`incident_layer`)."""

    rows: list[list]
    tables: list[list[str]]
    fields: list[str]
    legend: LegendSpec
    name: str
    synthetic: bool = False
    key: str = "incidents"
    show: bool = True
    app_only: bool = True

    def add_to(self, fmap: folium.Map):
        """Add the cluster layer to ``fmap``; return it."""
        from folium.plugins import MarkerCluster

        from juvmap.mapping.build import ScriptLayer, js_json

        def script(var: str, _map: str) -> str:
            return _CLUSTER_SCRIPT % {"var": var, "tables": js_json(self.tables), "fields": js_json(self.fields),
                                      "rows": js_json(self.rows), "colour": js_json(POINT_COLOUR)}

        layer = ScriptLayer(self.name, script, show=self.show)
        layer.default_js = list(MarkerCluster.default_js)
        layer.default_css = list(MarkerCluster.default_css)
        layer.add_to(fmap)
        return layer


def incident_layer(incidents: pd.DataFrame, *, lang: str | None = None, synthetic: bool | None = None) -> IncidentLayer:
    """Clustered points of ``incidents`` (rows without coordinates are skipped).

    Parameters
    ----------
    incidents : DataFrame
        With ``lat``/``lon`` columns or point geometry (EPSG:4326), and any of ``date``,
        ``category``, ``gravity``, ``place``, ``age``. Not modified.
    lang : str, optional
        Language of month names.
    synthetic : bool, optional
        Default ``incidents.attrs["synthetic"]``.

    Returns
    -------
    IncidentLayer
        Key ``"incidents"``; ``app_only`` is True (never exported or printed).
    """
    lang = lang or get_language()
    if synthetic is None:
        synthetic = bool(incidents.attrs.get("synthetic", False))
    if "lat" in incidents.columns and "lon" in incidents.columns:
        lat = pd.to_numeric(incidents["lat"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(incidents["lon"], errors="coerce").to_numpy(dtype=float)
    elif isinstance(incidents, gpd.GeoDataFrame):
        geo = incidents.geometry.to_crs("EPSG:4326") if incidents.crs else incidents.geometry
        lon, lat = geo.x.to_numpy(dtype=float), geo.y.to_numpy(dtype=float)
    else:  # a table of regions: nothing to place
        lon = lat = np.full(len(incidents), np.nan)
    keep = np.isfinite(lat) & np.isfinite(lon)
    columns = [np.round(lat[keep], COORDINATE_DECIMALS), np.round(lon[keep], COORDINATE_DECIMALS)]
    tables = []
    for column, _label in POPUP_FIELDS:
        codes, table = _codes(_labels(incidents, column, lang))
        columns.append(codes[keep])
        tables.append(table)
    rows = [list(r) for r in zip(*(c.tolist() for c in columns), strict=True)]
    name = _("Incidents")
    notes = [_("Shown in the app only, never exported or printed"),
             _("Locations rounded to about 100 m")]
    legend = LegendSpec(name, (LegendEntry(POINT_COLOUR, _("Incident"), None),),
                        (ngettext("{n} point", "{n} points", len(rows)).format(n=format_number(len(rows), lang, 0)), *notes))
    return IncidentLayer(rows, tables, [escape(_(label)) for _c, label in POPUP_FIELDS], legend, name,
                         synthetic)
