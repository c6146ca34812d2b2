"""Small map elements, each a branca ``MacroElement`` with its own template.

Legend, title, north arrow, metric scale bar, "synthetic data" badge and the ready flag
that the Qt view and the print code wait for. All text arrives already translated.
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


_STYLE = """
<style>
.jm-legend{background:rgba(255,255,255,.9);padding:5px 8px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.35);font:11px/1.3 'DejaVu Sans',Arial,sans-serif;max-width:230px}
.jm-legend-title{font-weight:bold;margin-bottom:4px}
.jm-row{display:flex;align-items:center;gap:6px;margin:2px 0}
.jm-swatch{display:inline-block;width:16px;height:11px;border:1px solid #777}
.jm-count{color:#555}
.jm-note{color:#333;margin-top:3px;font-size:10px}
.leaflet-container .leaflet-control-attribution{font-size:9px}
.jm-title{position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;
 background:rgba(255,255,255,.9);padding:6px 14px;border-radius:4px;
 font:bold 16px 'DejaVu Sans',Arial,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);text-align:center}
.jm-subtitle{font-weight:normal;font-size:12px}
.jm-north{background:rgba(255,255,255,.85);border-radius:4px;padding:2px 4px;
 font:bold 12px 'DejaVu Sans',Arial,sans-serif;text-align:center}
.jm-badge{position:absolute;bottom:28px;left:50%;transform:translateX(-50%);z-index:1000;
 background:#b30000;color:#fff;padding:4px 12px;border-radius:4px;
 font:bold 13px 'DejaVu Sans',Arial,sans-serif;letter-spacing:.05em}
</style>
"""


class Legend(MacroElement):
    """A legend control in a corner of the map."""

    _template = Template(
        """
{% macro header(this, kwargs) %}""" + _STYLE + """{% endmacro %}
{% macro script(this, kwargs) %}
(function(){
  var legend = L.control({position: {{ this.position|tojson }}});
  legend.onAdd = function(){
    var div = L.DomUtil.create('div', 'jm-legend');
    div.id = {{ this.element_id|tojson }};
    div.innerHTML = {{ this.html|tojson }};
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, spec: LegendSpec, position: str = "topleft", element_id: str = "jm-legend"):
        super().__init__()
        self._name = "Legend"
        self.html = legend_html(spec)
        self.position = position
        self.element_id = element_id


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
    """A metric scale bar."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.control.scale({metric: true, imperial: false, position: 'bottomleft', maxWidth: 160})
  .addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"


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
