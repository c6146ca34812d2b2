"""A basemap without the internet: borders and settlements from built-in data, optional local backgrounds.

* :func:`borders_layer` — the country outline and the area borders (lines), the neighbouring
  countries and the water around (Natural Earth, faint, under everything) and the names of the
  regions (and districts) in the map's language, hidden where they would overlap.
* :func:`settlements_layer` — settlements as dots, labels by population class (small places are
  labelled only when zoomed in).
* :func:`raster_background` — a user GeoTIFF (any CRS, read with rasterio) warped to Web Mercator.
* :func:`tile_background` — a local ``{z}/{x}/{y}.png`` folder or an MBTiles file; its tiles are
  copied (extracted) into the asset folder beside the page and loaded by relative path.

No online tile source is ever configured.
"""

from __future__ import annotations

import base64
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely

from juvmap.errors import DataLoadError
from juvmap.i18n import _, get_language
from juvmap.mapping.build import ASSET_FOLDER
from juvmap.mapping.density_layer import add_image_overlay, png_bytes, to_mercator
from juvmap.mapping.elements import LegendSpec
from juvmap.mapping.map_context import CONTEXT_STYLE, area_labels, context_features

#: (lowest population, dot radius, zoom from which the label shows), largest first
SETTLEMENT_CLASSES = (
    (1_000_000, 6, 0),
    (200_000, 4.5, 5),
    (50_000, 3.5, 6),
    (0, 2.5, 7),
)
#: most tiles a local tile source may bring into the page's folder
MAX_TILES = 200_000
_TILE_FORMATS = {"png", "jpg", "jpeg", "webp"}


_BORDERS_STYLE = """<style>
.jm-area-label{pointer-events:none}
.jm-area-label span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;text-align:center;
 font:600 11px/1.15 'DejaVu Sans',Arial,sans-serif;letter-spacing:.04em;color:#4a4a4a;
 text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
.jm-area-label-1 span{font:italic 10px/1.1 'DejaVu Sans',Arial,sans-serif;letter-spacing:0;color:#5a5a5a}
.jm-area-label-2 span{font:italic 11px/1.1 'DejaVu Sans',Arial,sans-serif;letter-spacing:.08em;color:#8a877f}
</style>"""

_BORDERS_SCRIPT = """var %(var)s = L.featureGroup([
  L.geoJSON(%(context)s, {pane: 'tilePane', interactive: false, smoothFactor: 1,
    style: function(f){ return %(context_style)s[f.properties.code]; }}),
  L.geoJSON(%(borders)s, {pane: 'jm-lines', interactive: false, smoothFactor: 0.5,
    style: {fill: false, opacity: 0.9, color: '#6b6b6b', weight: 0.8}}),
  L.geoJSON(%(outline)s, {pane: 'jm-lines', interactive: false, smoothFactor: 0.5,
    style: {fill: false, opacity: 0.9, color: '#222222', weight: 2.2}})
]);
(function(group){
  var labels = %(labels)s.map(function(r){
    return L.marker([r[0], r[1]], {pane: 'jm-places', interactive: false, keyboard: false,
      jmMinZoom: r[4], icon: L.divIcon({className: 'jm-area-label jm-area-label-' + r[3],
        html: '<span>' + r[2] + '</span>', iconSize: null})}).addTo(group);
  });
  function overlaps(a, b){ return !(a.right < b.left || a.left > b.right || a.bottom < b.top || a.top > b.bottom); }
  function declutter(){
    var map = group._map; if (!map) { return; }
    var z = map.getZoom(), placed = [];
    map.getContainer().querySelectorAll('.leaflet-tooltip.jm-place').forEach(function(el){
      if (el.offsetParent !== null) { placed.push(el.getBoundingClientRect()); }
    });
    labels.forEach(function(m){
      var el = m.getElement(); if (!el) { return; }
      el.style.display = z < m.options.jmMinZoom ? 'none' : '';
      if (el.style.display) { return; }
      var box = el.firstChild.getBoundingClientRect();
      if (placed.some(function(p){ return overlaps(box, p); })) { el.style.display = 'none'; }
      else { placed.push(box); }
    });
  }
  function later(){ setTimeout(declutter, 0); }  // after the settlements' own zoom handler
  group.on('add', function(){ group._map.on('zoomend moveend', later); later(); });
  group.on('remove', function(e){ e.target._map && e.target._map.off('zoomend moveend', later); });
  group.jmDeclutter = declutter;
})(%(var)s);"""

@dataclass
class BordersLayer:
    """Country outline, area borders, neighbouring countries and area labels (see :func:`borders_layer`)."""

    outline: gpd.GeoDataFrame
    borders: gpd.GeoDataFrame
    name: str
    context: gpd.GeoDataFrame | None = None
    labels: list[list] = field(default_factory=list)
    key: str = "borders"
    legend: LegendSpec | None = None
    synthetic: bool = False
    show: bool = True

    def add_to(self, fmap: folium.Map):
        """Add the layers (non-interactive; context under everything); return their group."""
        from juvmap.mapping.build import ScriptLayer, js_json, shared_geojson

        borders, outline = shared_geojson(fmap, self.borders), shared_geojson(fmap, self.outline)
        context = shared_geojson(fmap, self.context) if self.context is not None else "[]"
        styles, labels = js_json(CONTEXT_STYLE), js_json(self.labels)

        def script(var: str, _map: str) -> str:
            return _BORDERS_SCRIPT % {"var": var, "borders": borders, "outline": outline, "context": context,
                                      "context_style": styles, "labels": labels}

        group = ScriptLayer(self.name, script, show=self.show, header=_BORDERS_STYLE)
        group.add_to(fmap)
        return group


_OUTLINES: dict[bytes, object] = {}


def _outline(geoms: np.ndarray):
    """The union of a polygon coverage, remembered per geometry (a map is rebuilt often)."""
    import hashlib

    key = hashlib.sha1(b"".join(shapely.to_wkb(geoms))).digest()
    if key not in _OUTLINES:
        outline = shapely.coverage_union_all(geoms)
        if not outline.is_valid:
            outline = shapely.union_all(geoms)
        _OUTLINES.clear()
        _OUTLINES[key] = outline
    return _OUTLINES[key]


def borders_layer(regions: gpd.GeoDataFrame, labels: bool = True) -> BordersLayer:
    """Area borders, the country outline (their union), neighbouring countries and labels.

    Parameters
    ----------
    regions : geopandas.GeoDataFrame
        The areas of the map (regions, districts or a user layer; EPSG:4326 or any CRS).
    labels : bool
        Draw the names of the 20 regions (and of districts from zoom 7 when ``regions`` are
        districts, i.e. have a ``region`` column) in the current language; labels that
        would overlap another label or a settlement's name are hidden at that zoom.
    """
    from juvmap.io.boundaries import load_regions

    columns = [c for c in ("code",) if c in regions.columns] + ["geometry"]
    frame = regions.to_crs("EPSG:4326") if regions.crs else regions
    borders = frame[columns]
    if "code" in borders.columns:
        borders = borders.assign(code=borders["code"].astype(str))
    outline = _outline(np.asarray(borders.geometry.array))
    context, rows = context_features(outline)
    if labels:
        lang = get_language()
        rows = area_labels(load_regions("display"), lang, 0) + (
            area_labels(frame, lang, 1) if "region" in frame.columns else []) + rows
    return BordersLayer(gpd.GeoDataFrame(geometry=[outline], crs="EPSG:4326"),
                        gpd.GeoDataFrame(borders, geometry="geometry", crs="EPSG:4326"), _("Borders"),
                        context=context, labels=rows)


_SETTLEMENT_STYLE = """<style>
.leaflet-tooltip.jm-place{background:transparent;border:0;box-shadow:none;padding:0 0 0 2px;
 font:11px 'DejaVu Sans',Arial,sans-serif;color:#222;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}
.leaflet-tooltip.jm-place:before{display:none}
.leaflet-tooltip.jm-place-0{font-weight:bold;font-size:13px}
.leaflet-tooltip.jm-place-1{font-weight:bold}
.jm-place-1,.jm-place-2,.jm-place-3{display:none}
.jm-z5 .jm-place-1,.jm-z6 .jm-place-2,.jm-z7 .jm-place-3{display:block}
</style>"""

_SETTLEMENT_SCRIPT = """var %(var)s = L.featureGroup();
(function(){
  var radii = %(radii)s;
  %(rows)s.forEach(function(r){
    L.circleMarker([r[0], r[1]], {radius: radii[r[3]], color: '#333', weight: 1, fillColor: '#fff',
      fillOpacity: 1, interactive: false, pane: 'jm-places'})
      .bindTooltip(r[2], {permanent: true, direction: 'right', className: 'jm-place jm-place-' + r[3],
        offset: [4, 0], interactive: false})
      .addTo(%(var)s);
  });
  var map = %(map)s;
  function zoomClasses(){
    var z = map.getZoom(), c = map.getContainer();
    [5, 6, 7].forEach(function(n){ c.classList.toggle('jm-z' + n, z >= n); });
  }
  map.on('zoomend', zoomClasses);
  zoomClasses();
})();"""


def settlement_class(population: np.ndarray) -> np.ndarray:
    """Index into :data:`SETTLEMENT_CLASSES` of each population (0 = largest)."""
    population = np.nan_to_num(np.asarray(population, dtype=float), nan=0.0)
    lows = np.array([c[0] for c in SETTLEMENT_CLASSES], dtype=float)
    return np.argmax(population[:, None] >= lows[None, :], axis=1)


@dataclass
class SettlementLayer:
    """Settlement dots with labels (see :func:`settlements_layer`)."""

    rows: list[list]
    legend: LegendSpec | None
    name: str
    key: str = "settlements"
    synthetic: bool = False
    show: bool = True

    def add_to(self, fmap: folium.Map):
        """Add the dots and labels to ``fmap`` as one layer; return it."""
        from juvmap.mapping.build import ScriptLayer, js_json

        radii = js_json([c[1] for c in SETTLEMENT_CLASSES])

        def script(var: str, map_name: str) -> str:
            return _SETTLEMENT_SCRIPT % {"var": var, "rows": js_json(self.rows), "radii": radii, "map": map_name}

        layer = ScriptLayer(self.name, script, show=self.show, header=_SETTLEMENT_STYLE)
        layer.add_to(fmap)
        return layer


def settlements_layer(settlements: gpd.GeoDataFrame | None = None, lang: str | None = None) -> SettlementLayer:
    """Settlements of :func:`juvmap.io.builtin.settlements` (or a table like it), labelled in ``lang``."""
    if settlements is None:
        from juvmap.io.builtin import settlements as builtin_settlements

        settlements = builtin_settlements()
    lang = lang or get_language()
    points = settlements.to_crs("EPSG:4326") if settlements.crs else settlements
    order = {"kk": ("name_kk", "name_ru", "name_en"), "ru": ("name_ru", "name_kk", "name_en")}
    names = None
    for column in order.get(lang, ("name_en", "name_ru", "name_kk")):
        if column in points.columns:
            names = points[column].fillna("").astype(str) if names is None else names.mask(
                names == "", points[column].fillna("").astype(str))
    names = names if names is not None else points.index.astype(str)
    classes = settlement_class(points["population"].to_numpy())
    rows = sorted(
        ([round(float(y), 4), round(float(x), 4), escape(str(n)), int(c)]
         for x, y, n, c in zip(points.geometry.x, points.geometry.y, names, classes, strict=True) if n),
        key=lambda r: -r[3])
    return SettlementLayer(rows, None, _("Settlements"))


@dataclass
class RasterBackground:
    """A user's raster as the background image (see :func:`raster_background`)."""

    png: bytes
    bounds: list[list[float]]
    name: str
    key: str = "background"
    legend: LegendSpec | None = None
    synthetic: bool = False
    show: bool = True

    def add_to(self, fmap: folium.Map):
        """Add the image in the background pane; return the overlay."""
        url = "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")
        return add_image_overlay(fmap, self.name, url, self.bounds, pane="jm-background", show=self.show)


def _to_uint8(bands: np.ndarray) -> np.ndarray:
    """Stretch float bands (NaN = no data) to 0–255 between the 2nd and 98th percentiles."""
    out = np.zeros(bands.shape, dtype=np.uint8)
    for i, band in enumerate(bands):
        ok = np.isfinite(band)
        if not ok.any():
            continue
        low, high = np.percentile(band[ok], [2, 98])
        scale = 255.0 / (high - low) if high > low else 1.0
        out[i] = np.clip((np.nan_to_num(band, nan=low) - low) * scale, 0, 255).astype(np.uint8)
    return out


def raster_background(path: str | Path, max_size: int = 2048) -> RasterBackground:
    """Read a GeoTIFF (1 band grey, 3 RGB or 4 RGBA; any CRS) and warp it to Web Mercator.

    Raises
    ------
    DataLoadError
        The file is missing, unreadable or has no CRS.
    """
    import rasterio
    from rasterio.errors import RasterioError

    path = Path(path)
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise DataLoadError(_("The raster has no coordinate reference system"), str(path))
            count = 3 if src.count >= 3 else 1
            data = src.read(list(range(1, count + 1)), masked=True).astype("float32").filled(np.nan)
            transform, crs, dtype = src.transform, src.crs, src.dtypes[0]
    except RasterioError as exc:
        raise DataLoadError(_("{name} is not a readable raster: {error}").format(name=path.name, error=exc),
                            str(path)) from exc
    image = to_mercator(data, transform, crs, max_size)
    values = image.values
    if dtype == "uint8":
        rgb = np.nan_to_num(values, nan=0).clip(0, 255).astype(np.uint8)
    else:
        rgb = _to_uint8(values)
    if count == 1:
        rgb = np.repeat(rgb, 3, axis=0)
    alpha = np.where(np.isfinite(values).all(axis=0), 255, 0).astype(np.uint8)
    rgba = np.concatenate([rgb, alpha[None]], axis=0)
    return RasterBackground(png_bytes(np.moveaxis(rgba, 0, -1)), image.bounds,
                            _("Background: {name}").format(name=path.name))


@dataclass
class TileBackground:
    """Local tiles as the background (see :func:`tile_background`)."""

    source: Path
    folder: str
    extension: str
    min_zoom: int
    max_zoom: int
    name: str
    key: str = "background"
    legend: LegendSpec | None = None
    synthetic: bool = False
    show: bool = True

    @property
    def url(self) -> str:
        """Relative URL template of the tiles (from the page)."""
        return f"{ASSET_FOLDER}/tiles/{self.folder}/{{z}}/{{x}}/{{y}}.{self.extension}"

    def add_to(self, fmap: folium.Map) -> folium.TileLayer:
        """Add the tile layer (it reads the copied tiles, see :meth:`write_files`); return it."""
        layer = folium.TileLayer(self.url, attr=escape(self.source.name), name=self.name, overlay=True,
                                 show=self.show, min_zoom=0, max_zoom=18, min_native_zoom=self.min_zoom,
                                 max_native_zoom=self.max_zoom, pane="jm-background")
        layer.add_to(fmap)
        return layer

    def write_files(self, asset_dir: Path) -> None:
        """Copy (folder) or extract (MBTiles) the tiles into ``asset_dir/tiles/<folder>``."""
        target = Path(asset_dir) / "tiles" / self.folder
        if target.exists():
            shutil.rmtree(target)
        if self.source.is_dir():
            shutil.copytree(self.source, target, ignore=shutil.ignore_patterns("*.mbtiles", "*.db"))
            return
        with sqlite3.connect(f"{self.source.resolve().as_uri()}?mode=ro", uri=True) as con:
            for z, x, tms_y, data in con.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
                y = (1 << int(z)) - 1 - int(tms_y)
                tile = target / str(z) / str(x) / f"{y}.{self.extension}"
                tile.parent.mkdir(parents=True, exist_ok=True)
                tile.write_bytes(data)


def _slug(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", path.stem)[:40] or "tiles"


def tile_background(path: str | Path) -> TileBackground:
    """A local tile folder (``{z}/{x}/{y}.png|jpg|webp``, XYZ numbering) or an MBTiles file.

    Raises
    ------
    DataLoadError
        Not a tile folder or MBTiles file, vector tiles, or more than :data:`MAX_TILES` tiles.
    """
    path = Path(path)
    bad = DataLoadError(_("{name} is not a tile folder or an MBTiles file").format(name=path.name), str(path))
    if path.is_dir():
        zooms = sorted(int(p.name) for p in path.iterdir() if p.is_dir() and p.name.isdigit())
        tiles = [t for z in zooms for t in (path / str(z)).glob("*/*.*")]
        extensions = {t.suffix.lower().lstrip(".") for t in tiles} & _TILE_FORMATS
        if not zooms or len(extensions) != 1:
            raise bad
        count, extension, low, high = len(tiles), extensions.pop(), zooms[0], zooms[-1]
    elif path.is_file():
        try:
            with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as con:
                meta = dict(con.execute("SELECT name, value FROM metadata").fetchall())
                low, high, count = con.execute(
                    "SELECT MIN(zoom_level), MAX(zoom_level), COUNT(*) FROM tiles").fetchone()
        except sqlite3.Error as exc:
            raise bad from exc
        extension = str(meta.get("format", "png")).lower()
        if extension not in _TILE_FORMATS or low is None:
            raise DataLoadError(_("Only raster MBTiles (PNG, JPEG, WebP) can be shown"), str(path))
    else:
        raise DataLoadError(_("File not found: {path}").format(path=str(path)), str(path))
    if count > MAX_TILES:
        raise DataLoadError(_("Too many tiles ({n}); use at most {limit}").format(n=count, limit=MAX_TILES),
                            str(path))
    return TileBackground(path, _slug(path), extension, int(low), int(high),
                          _("Background: {name}").format(name=path.name))


def background_layer(path: str | Path):
    """A GeoTIFF (``.tif``/``.tiff``) as :func:`raster_background`, anything else as :func:`tile_background`."""
    path = Path(path)
    if path.suffix.lower() in {".tif", ".tiff"}:
        return raster_background(path)
    return tile_background(path)
