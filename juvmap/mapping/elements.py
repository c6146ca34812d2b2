"""Small map elements, each a branca ``MacroElement`` with its own template.

Legend panel, title, north arrow, metric scale bar, "synthetic data" badge and the ready flag
that the Qt view and the print code wait for. All text arrives already translated.

Layout of a map page: the legends of every layer in one collapsible panel at the right edge
(the map is fitted beside it, so it covers no territory); the title compact at the top; the
synthetic badge at the bottom centre, in a band the legend panel never reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from branca.element import MacroElement
from jinja2 import Template


@dataclass(frozen=True)
class LegendEntry:
    """One row of a legend: a colour swatch, a label and an optional member count."""

    colour: str
    label: str
    count: int | None = None


@dataclass(frozen=True)
class LegendSpec:
    """What a legend shows; every string already in the UI language."""

    title: str
    entries: tuple[LegendEntry, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def legend_html(spec: LegendSpec) -> str:
    """Return the legend as an HTML fragment (also used by print layouts)."""
    rows = []
    for entry in spec.entries:
        count = f'<span class="jm-count">({entry.count})</span>' if entry.count is not None else ""
        rows.append(
            f'<div class="jm-row"><span class="jm-swatch" style="background:{escape(entry.colour)}">'
            f"</span>{escape(entry.label)} {count}</div>"
        )
    notes = "".join(f'<div class="jm-note">{escape(n)}</div>' for n in spec.notes)
    return f'<div class="jm-legend-title">{escape(spec.title)}</div>{"".join(rows)}{notes}'


#: the legend panel never reaches this band at the bottom of the map (the badge's place)
BOTTOM_BAND_PX = 64

_STYLE = """
<style>
.jm-legend{background:rgba(255,255,255,.9);padding:5px 8px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.35);font:11px/1.3 'DejaVu Sans',Arial,sans-serif;max-width:230px}
.jm-legends .jm-legend{box-shadow:none;border-radius:0;padding:4px 0;background:none;
 border-top:1px solid #ddd}
.jm-legends{background:rgba(255,255,255,.92);border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);
 font:11px/1.3 'DejaVu Sans',Arial,sans-serif;width:230px;box-sizing:border-box;padding:3px 8px}
.jm-legends-head{display:flex;justify-content:space-between;align-items:center;cursor:pointer;
 font-weight:bold;user-select:none;padding:2px 0}
.jm-legends-head:after{content:'\\25BE';margin-left:6px}
.jm-legends.jm-collapsed .jm-legends-head:after{content:'\\25B8'}
.jm-legends-body{overflow-y:auto;max-height:calc(100vh - %(band)dpx - 120px)}
.jm-legends.jm-collapsed .jm-legends-body{display:none}
.jm-legends:not(:has(.jm-legend)){display:none}
.jm-legend-title{font-weight:bold;margin-bottom:4px}
.jm-row{display:flex;align-items:center;gap:6px;margin:2px 0}
.jm-swatch{display:inline-block;width:16px;height:11px;border:1px solid #777;flex:none}
.jm-count{color:#555}
.jm-note{color:#333;margin-top:3px;font-size:10px}
.leaflet-container .leaflet-control-attribution{font-size:9px}
.jm-title{position:absolute;top:8px;left:50%%;transform:translateX(-50%%);z-index:1000;
 background:rgba(255,255,255,.9);padding:3px 10px;border-radius:4px;max-width:55%%;
 font:bold 14px/1.25 'DejaVu Sans',Arial,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);text-align:center}
.jm-subtitle{font-weight:normal;font-size:11px}
.jm-north{background:rgba(255,255,255,.85);border-radius:4px;padding:2px 4px;
 font:bold 12px 'DejaVu Sans',Arial,sans-serif;text-align:center}
.jm-badge{position:absolute;bottom:28px;left:50%%;transform:translateX(-50%%);z-index:1000;
 background:#b30000;color:#fff;padding:4px 12px;border-radius:4px;max-width:calc(100%% - 40px);
 box-sizing:border-box;text-align:center;font:bold 13px 'DejaVu Sans',Arial,sans-serif;letter-spacing:.05em}
</style>
""" % {"band": BOTTOM_BAND_PX}


class LegendPanel(MacroElement):
    """One collapsible panel at the map's right edge holding the legend of every layer.

    Each legend is a ``div.jm-legend`` with its own id (the bridge shows it while its layer
    is on, live updates replace its contents, print layouts move it beside the map).
    Clicking the panel's head folds it; ``window.juvmapLegendPanel`` is the panel element.
    """

    _template = Template(
        """
{% macro header(this, kwargs) %}""" + _STYLE + """{% endmacro %}
{% macro script(this, kwargs) %}
(function(){
  var panel = L.control({position: 'topright'});
  panel.onAdd = function(){
    var div = L.DomUtil.create('div', 'jm-legends');
    div.id = 'jm-legends';
    var head = L.DomUtil.create('div', 'jm-legends-head', div);
    head.textContent = {{ this.heading|tojson }};
    head.title = {{ this.fold_hint|tojson }};
    var body = L.DomUtil.create('div', 'jm-legends-body', div);
    {% for element_id, html in this.legends %}
    var item = L.DomUtil.create('div', 'jm-legend', body);
    item.id = {{ element_id|tojson }};
    item.innerHTML = {{ html|tojson }};
    {% endfor %}
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    head.addEventListener('click', function(){
      div.classList.toggle('jm-collapsed');
      {{ this._parent.get_name() }}.fire('jmlegendfold');
    });
    return div;
  };
  panel.addTo({{ this._parent.get_name() }});
  window.juvmapLegendPanel = document.getElementById('jm-legends');
})();
{% endmacro %}
"""
    )

    def __init__(self, legends: list[tuple[str, LegendSpec]], heading: str = "Legend",
                 fold_hint: str = ""):
        super().__init__()
        self._name = "LegendPanel"
        self.legends = [(element_id, legend_html(spec)) for element_id, spec in legends]
        self.heading = heading
        self.fold_hint = fold_hint


class Title(MacroElement):
    """A title (and optional subtitle) centred above the map."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="jm-title" id="jm-title">{{ this.title|e }}{% if this.subtitle %}
<div class="jm-subtitle">{{ this.subtitle|e }}</div>{% endif %}</div>
{% endmacro %}
"""
    )

    def __init__(self, title: str, subtitle: str = ""):
        super().__init__()
        self._name = "Title"
        self.title = title
        self.subtitle = subtitle


class NorthArrow(MacroElement):
    """A north arrow control (the map is always north-up)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(){
  var c = L.control({position: 'topright'});
  c.onAdd = function(){
    var d = L.DomUtil.create('div', 'jm-north');
    d.innerHTML = '<svg width="22" height="30" viewBox="0 0 22 30"><polygon points="11,0 21,28 11,21 1,28"'
      + ' fill="#222"/><polygon points="11,0 11,21 1,28" fill="#fff" stroke="#222"/></svg><br>'
      + {{ this.letter|tojson }};
    return d;
  };
  c.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, letter: str = "N"):
        super().__init__()
        self._name = "NorthArrow"
        self.letter = letter


class ScaleBar(MacroElement):
    """A metric scale bar with its units in the map's language ("500 км" on a Russian map)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function(){
  var KM = {{ this.km|tojson }}, M = {{ this.m|tojson }};
  var Scale = L.Control.Scale.extend({
    _updateMetric: function(maxMeters){
      var meters = this._getRoundNum(maxMeters);
      var label = meters < 1000 ? meters + '\u00a0' + M : (meters / 1000) + '\u00a0' + KM;
      this._updateScale(this._mScale, label, meters / maxMeters);
    }
  });
  new Scale({metric: true, imperial: false, position: 'bottomleft', maxWidth: 160})
    .addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, km: str = "km", m: str = "m"):
        super().__init__()
        self._name = "ScaleBar"
        self.km = km
        self.m = m


class SyntheticBadge(MacroElement):
    """A red badge saying that a shown layer is synthetic."""

    _template = Template(
        """
{% macro html(this, kwargs) %}
<div class="jm-badge" id="jm-synthetic">{{ this.text|e }}</div>
{% endmacro %}
"""
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "SyntheticBadge"
        self.text = text


class ReadyFlag(MacroElement):
    """Sets ``window.juvmapReady`` once every layer has been added (for the view and printing).

    It also exposes ``window.juvmapMap`` (the Leaflet map) and ``window.juvmapLayers``
    (layer name -> Leaflet layer) for the application bridge.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.juvmapMap = {{ this._parent.get_name() }};
window.juvmapReady = true;
document.title = 'juvmap-ready';
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "ReadyFlag"


class Attribution(MacroElement):
    """Data credits in the map's corner (plain text, no links)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.setPrefix(false);
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|e|tojson }});
{% endmacro %}
"""
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text
