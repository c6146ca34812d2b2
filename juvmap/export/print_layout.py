"""Print layout of a map: a fixed-size page with the map, its overlays and a footer.

The page is laid out in millimetres at the paper's size, so the browser engine lays it out
the same way on screen and in print: what :func:`prepare_for_print` produces is what the
PDF shows. Title, legend, scale bar, north arrow and the synthetic badge come from the map
itself; the footer adds the date, the data sources, a method note and the synthetic label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

#: paper sizes in millimetres (portrait)
PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
FOOTER_MM = 22.0
MARGIN_MM = 6.0
LEGEND_MM = 62.0
CSS_PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class PrintSpec:
    """What a printed map page carries besides the map.

    Attributes
    ----------
    paper : {"A4", "A3"}
    orientation : {"landscape", "portrait"}
    date : str
        Date printed in the footer (already formatted for the language).
    sources : tuple of str
        Data sources with their dates, one line each.
    method_note : str
        Denominator, multiplier, estimates, classification — one or two sentences.
    synthetic_label : str
        Non-empty when a shown layer is synthetic; printed in the footer in red.
    """

    paper: str = "A4"
    orientation: str = "landscape"
    date: str = ""
    sources: tuple[str, ...] = field(default_factory=tuple)
    method_note: str = ""
    synthetic_label: str = ""

    def page_mm(self) -> tuple[float, float]:
        """Page width and height in millimetres."""
        if self.paper not in PAPER_MM:
            raise ValueError(f"unknown paper {self.paper!r}; expected one of {sorted(PAPER_MM)}")
        w, h = PAPER_MM[self.paper]
        return (h, w) if self.orientation == "landscape" else (w, h)

    def page_px(self) -> tuple[int, int]:
        """Page size in CSS pixels (96 per inch), for sizing an offscreen view."""
        w, h = self.page_mm()
        return round(w * CSS_PX_PER_MM), round(h * CSS_PX_PER_MM)


def _footer_html(spec: PrintSpec) -> str:
    parts = [f'<div class="jm-print-date">{escape(spec.date)}</div>']
    if spec.synthetic_label:
        parts.append(f'<div class="jm-print-synthetic">{escape(spec.synthetic_label)}</div>')
    parts.append('<div class="jm-print-sources">' + "<br>".join(escape(s) for s in spec.sources) + "</div>")
    if spec.method_note:
        parts.append(f'<div class="jm-print-method">{escape(spec.method_note)}</div>')
    return '<div class="jm-print-footer">' + "".join(parts) + "</div>"


def prepare_for_print(fmap: folium.Map, spec: PrintSpec) -> folium.Map:
    """Size ``fmap`` to the page of ``spec``, move its legends beside it, add the footer.

    The page is a grid: the map on the left, a column with every legend on the right (a
    script moves them there from the map's corners, before the map says it is ready), and
    the footer across the bottom. Interactive controls are hidden.

    Parameters
    ----------
    fmap : folium.Map
        A map built for print (no incident points).
    spec : PrintSpec

    Returns
    -------
    folium.Map
        The same map object, changed in place (it is usually built just for printing).
    """
    width, height = spec.page_mm()
    map_w = width - 2 * MARGIN_MM - LEGEND_MM - 3
    map_h = height - 2 * MARGIN_MM - FOOTER_MM
    fmap.width = (map_w, "mm")
    fmap.height = (map_h, "mm")
    fmap.options["zoomControl"] = False
    css = f"""
<style>
@page {{ size: {width}mm {height}mm; margin: 0; }}
html, body {{ width: {width}mm !important; height: {height}mm !important; margin: 0; overflow: hidden;
  background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ padding: {MARGIN_MM}mm !important; box-sizing: border-box; position: relative;
  display: grid !important; grid-template-columns: {map_w}mm {LEGEND_MM}mm; column-gap: 3mm;
  grid-template-rows: {map_h}mm {FOOTER_MM}mm; }}
.folium-map {{ grid-column: 1; grid-row: 1; border: 0.3mm solid #555; box-sizing: border-box; }}
.jm-print-legends {{ grid-column: 2; grid-row: 1; overflow: hidden; display: flex;
  flex-direction: column; gap: 2mm; }}
.jm-print-legends .jm-legend {{ max-width: none; box-shadow: none; border: 0.2mm solid #999;
  font-size: 8pt; }}
.jm-print-legends .jm-note {{ font-size: 7pt; }}
.jm-title {{ top: {MARGIN_MM + 3}mm !important; left: {MARGIN_MM + map_w / 2}mm !important; }}
.jm-badge {{ bottom: {MARGIN_MM + FOOTER_MM + 6}mm !important; left: {MARGIN_MM + map_w / 2}mm !important; }}
.leaflet-control-layers, .leaflet-control-zoom {{ display: none !important; }}
.jm-print-footer {{ grid-column: 1 / span 2; grid-row: 2; display: flex; gap: 4mm;
  align-items: flex-start; padding-top: 1.5mm; box-sizing: border-box; overflow: hidden;
  font: 7pt/1.25 'DejaVu Sans', Arial, sans-serif; color: #222; }}
.jm-print-date {{ white-space: nowrap; font-weight: bold; }}
.jm-print-synthetic {{ color: #b30000; font-weight: bold; max-width: 40mm; }}
.jm-print-sources {{ flex: 1 1 55%; }}
.jm-print-method {{ flex: 1 1 30%; color: #333; }}
</style>
"""
    root = fmap.get_root()
    root.header.add_child(Element(css), name="jm_print_css")
    root.html.add_child(Element('<div class="jm-print-legends" id="jm-print-legends"></div>'),
                        name="jm_print_legends")
    root.html.add_child(Element(_footer_html(spec)), name="jm_print_footer")
    _MoveLegends().add_to(fmap)  # a map child: its script runs after every legend exists
    return fmap


class _MoveLegends(MacroElement):
    _template = Template("""
{% macro script(this, kwargs) %}
(function(){
  var column = document.getElementById('jm-print-legends');
  document.querySelectorAll('.leaflet-control-container .jm-legend').forEach(function(el){
    if (el.style.display !== 'none') { column.appendChild(el); }
  });
})();
{% endmacro %}
""")
