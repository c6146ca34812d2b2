"""The map layers: offline HTML for every combination, georeferenced density, no incidents in exports."""

from __future__ import annotations

import base64
import itertools
import re
import sqlite3
import warnings

import numpy as np
import pytest
from affine import Affine
from pyproj import Transformer

from juvmap.crs import EQUAL_AREA_CRS, WGS84, transform_xy
from juvmap.errors import AnalysisError
from juvmap.i18n import get_language, set_language
from juvmap.mapping.build import ASSET_FOLDER, build_map, map_layers, render_offline, write_map
from juvmap.mapping.spec import LAYER_KINDS, MapSpec, export_map
from juvmap.stats.grid import DensityGrid

REMOTE = re.compile(r"https?://", re.IGNORECASE)


@pytest.fixture(scope="module")
def english():
    before = get_language()
    set_language("en")
    yield "en"
    set_language(before)


@pytest.fixture(scope="module")
def data(english, draw):
    from juvmap.io.boundaries import load_regions
    from juvmap.io.demo import load_demo_incidents

    return load_demo_incidents(), load_regions(detail="display"), draw


@pytest.fixture(scope="module")
def full_map(data):
    """The app's map with every layer (built once)."""
    incidents, _regions, draw = data
    return draw(incidents, LAYER_KINDS, peaks=5)


@pytest.fixture(scope="module")
def layers(full_map):
    return {layer.key: layer for layer in map_layers(full_map)}


def test_full_map_has_every_layer_and_the_bridge(full_map, layers, tmp_path_factory):
    assert set(layers) == {"choropleth", "hotspots", "kde", "borders", "peaks", "settlements", "incidents"}
    html = write_map(full_map, tmp_path_factory.mktemp("full") / "map.html").read_text(encoding="utf-8")
    assert not REMOTE.search(html)
    for name in ("window.juvmapLayers", "window.juvmapRegions", "window.juvmapSelectRegion",
                 "window.juvmapOnRegionClick", "window.juvmapMap"):
        assert name in html
    ready = html.index("window.juvmapReady = true")
    assert ready > html.index("window.juvmapSelectRegion")
    assert ready > max(m.start() for m in re.finditer(r"\.addTo\(", html))
    assert "SYNTHETIC DATA" in html  # the badge
    assert html.count('"code":"KZ-') == 20  # the regions' polygons are written once


@pytest.mark.parametrize("kinds", [c for n in range(len(LAYER_KINDS) + 1)
                                   for c in itertools.combinations(LAYER_KINDS, n)])
def test_every_combination_renders_offline(layers, kinds):
    chosen = [layers[k] for k in ("choropleth", "hotspots", "kde", "borders", "peaks", "settlements", "incidents")
              if k in kinds or k in ("borders", "settlements") or (k == "peaks" and "hotspots" in kinds)]
    html = render_offline(build_map(chosen, title="t"))
    assert not REMOTE.search(html)
    for key in kinds:
        assert f'"{key}"' in html  # exposed in window.juvmapLayers
    assert ("SYNTHETIC DATA" in html) == any(layer.synthetic for layer in chosen)
    assert ("markerClusterGroup" in html) == ("incidents" in kinds)


def test_rate_tooltip_and_legend(layers):
    layer = layers["choropleth"]
    tips = dict(zip(layer.polygons["code"], layer.polygons["tooltip"], strict=True))
    almaty = tips["KZ-75"]
    for part in ("Almaty", "Incidents: ", "Rate: ", "95% CI", "EB rate: ", "of 20", "Change 2023 vs 2022: "):
        assert part in almaty, part
    notes = " ".join(layer.legend.notes)
    assert "per 10,000 residents aged 0–17 (estimate)" in notes
    assert "Synthetic" in notes
    assert sum(entry.count for entry in layer.legend.entries) == 20
    assert layers["kde"].legend.notes[0] == "incidents per km²"
    assert any("Synthetic" in note for note in layers["kde"].legend.notes)
    assert any("little power" in note for note in layers["hotspots"].legend.notes)


def test_small_counts_are_suppressed_in_tooltips(data):
    import pandas as pd

    from juvmap.mapping.rate_layer import rate_layer
    from juvmap.describe import presented_areas

    incidents, _regions, draw = data
    few = pd.concat([incidents[incidents["region"] == "KZ-71"].iloc[:3],
                     incidents[incidents["region"] == "KZ-75"].iloc[:40],
                     incidents[incidents["region"] == "KZ-79"].iloc[:12]])
    few.attrs.update(incidents.attrs)
    result = draw(few, period=(2019, 2023), result_only=True)
    layer = rate_layer(presented_areas(result, "en"), classification=result.classification)
    tips = dict(zip(layer.polygons["code"], layer.polygons["tooltip"], strict=True))
    table = result.areas.set_index("code")
    assert table.loc["KZ-71", "suppressed"] and np.isnan(table.loc["KZ-71", "count"])
    assert "&lt;5" in tips["KZ-71"] and "Rate: " not in tips["KZ-71"]
    # the total (55) minus the others would give 3 back: the smallest other count is hidden too
    assert table.loc["KZ-79", "suppressed"] and "Rate: " not in tips["KZ-79"]
    assert "Incidents: 40" in tips["KZ-75"] and "Rate: " in tips["KZ-75"]


def _planted_grid(lon: float, lat: float, cell: float = 5000.0) -> tuple[DensityGrid, float, float]:
    x, y = transform_xy(np.array([lon]), np.array([lat]), WGS84, EQUAL_AREA_CRS)
    x0, y1 = -1_600_000.0, 1_000_000.0
    values = np.zeros((420, 700))
    row, col = int((y1 - y[0]) // cell), int((x[0] - x0) // cell)
    values[row, col] = 1.0
    grid = DensityGrid(values, Affine(cell, 0, x0, 0, -cell, y1), EQUAL_AREA_CRS, units="u", radius=5e4, cell=cell)
    xs, ys = grid.cell_centres()
    centre_lon, centre_lat = transform_xy(xs[col:col + 1], ys[row:row + 1], EQUAL_AREA_CRS, WGS84)
    return grid, float(centre_lon[0]), float(centre_lat[0])


@pytest.mark.parametrize(("lon", "lat"), [(76.95, 43.24), (71.45, 51.17), (51.9, 47.1), (84.6, 49.9)])
def test_density_overlay_puts_a_planted_point_at_its_mercator_pixel(lon, lat):
    from rasterio.io import MemoryFile

    from juvmap.mapping.density_layer import density_layer

    grid, centre_lon, centre_lat = _planted_grid(lon, lat)
    layer = density_layer(grid, threshold=0.5)
    (south, west), (north, east) = layer.image.bounds
    # the bounds are the grid's extent in degrees (to within one pixel)
    g_west, g_south, g_east, g_north = grid.to_wgs84_bounds()
    rows, cols = layer.rgba.shape[:2]
    assert abs(west - g_west) <= (east - west) / cols and abs(east - g_east) <= (east - west) / cols
    assert abs(south - g_south) <= (north - south) / rows * 2 and abs(north - g_north) <= (north - south) / rows * 2
    # where Leaflet draws the planted cell: linear in Web-Mercator metres between the bounds
    to_merc = Transformer.from_crs(4326, 3857, always_xy=True)
    mx, my = to_merc.transform(centre_lon, centre_lat)
    left, bottom = to_merc.transform(west, south)
    right, top = to_merc.transform(east, north)
    expected_col = (mx - left) / (right - left) * cols
    expected_row = (top - my) / (top - bottom) * rows
    opaque = np.argwhere(layer.rgba[..., 3] > 0)
    assert len(opaque)
    r, c = np.unravel_index(np.nanargmax(layer.image.values), layer.image.values.shape)
    assert abs(r + 0.5 - expected_row) <= 1.0 and abs(c + 0.5 - expected_col) <= 1.0
    # and the PNG in the page is that image, at those bounds
    html = render_offline(build_map([layer], title="t"))
    url = re.search(r'L\.imageOverlay\("data:image/png;base64,([^"]+)"', html).group(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with MemoryFile(base64.b64decode(url)) as memory, memory.open() as png:
            assert np.array_equal(np.moveaxis(png.read(), 0, -1), layer.rgba)
    bounds = re.search(r'L\.imageOverlay\("[^"]+", (\[\[[^\]]+\],\[[^\]]+\]\])', html).group(1)
    assert np.allclose(np.array(eval(bounds)), np.array(layer.image.bounds))  # noqa: S307 - our own JSON


def test_incidents_never_reach_printed_or_exported_maps(data, tmp_path):
    incidents, _regions, draw = data
    first = incidents[incidents["date"].dt.year == 2023].iloc[0]
    point = f"[{round(first['lat'], 3)},{round(first['lon'], 3)},"
    app = render_offline(draw(incidents, LAYER_KINDS, peaks=3))
    assert point in app and "markerClusterGroup" in app
    printed = render_offline(draw(incidents, LAYER_KINDS, peaks=3, for_print=True))
    result = draw(incidents, LAYER_KINDS, peaks=3, result_only=True)
    exported = export_map(result, MapSpec(layers=LAYER_KINDS), tmp_path / "x.html").read_text(encoding="utf-8")
    for html in (printed, exported):
        assert point not in html and "markerClusterGroup" not in html and '"incidents":' not in html
    for html in (app, printed, exported):
        assert "SYN-" not in html  # never an incident id
        assert first["time"] not in html  # never a time


def test_spec_and_request_round_trip_and_validation():
    from juvmap.analysis import AnalysisRequest
    from juvmap.stats.filters import IncidentFilter

    spec = MapSpec(layers=("choropleth", "kde"), kde_ramp="magma", language="kk")
    assert MapSpec.from_dict(spec.to_dict()) == spec
    for bad in (MapSpec(layers=("nope",)), MapSpec(kde_ramp="x"), MapSpec(language="de")):
        with pytest.raises(AnalysisError):
            bad.validate()
    request = AnalysisRequest(scheme="fisher_jenks", k=4, rate="eb", period=(2021, 2023),
                              filter=IncidentFilter(categories=("property",)))
    assert AnalysisRequest.from_dict(request.to_dict()) == request
    for bad in (dict(scheme="x"), dict(rate="x"), dict(k=0), dict(hotspot_method="x"), dict(level="x"),
                dict(alpha=2.0), dict(period=(2023, 2021))):
        with pytest.raises(AnalysisError):
            AnalysisRequest(**bad).validate()


def test_map_language_follows_the_spec(data):
    incidents, _regions, draw = data
    fmap = draw(incidents, language="kk", settlements=False)
    html = render_offline(fmap)
    from juvmap.io.gazetteer import get_gazetteer

    assert get_gazetteer().name("KZ-63", "kk") in html
    assert get_language() == "en"  # restored


def test_raster_and_tile_backgrounds_load_by_relative_path(tmp_path):
    import rasterio

    from juvmap.mapping.basemap import raster_background, tile_background
    from juvmap.mapping.density_layer import png_bytes

    tif = tmp_path / "bg.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=60, height=40, count=3, dtype="uint8", crs="EPSG:32642",
                       transform=Affine(1000, 0, 500_000, 0, -1000, 5_700_000)) as dst:
        dst.write(np.full((3, 40, 60), 120, dtype=np.uint8))
    raster = raster_background(tif)
    (south, west), (north, east) = raster.bounds
    assert 50.9 < south < north < 51.5 and 68.9 < west < east < 70

    tile = png_bytes(np.full((256, 256, 4), 200, dtype=np.uint8))
    folder = tmp_path / "tiles"
    (folder / "5" / "22").mkdir(parents=True)
    (folder / "5" / "22" / "11.png").write_bytes(tile)
    mbtiles = tmp_path / "kz.mbtiles"
    with sqlite3.connect(mbtiles) as con:
        con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        con.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)")
        con.execute("INSERT INTO metadata VALUES ('format', 'png')")
        con.execute("INSERT INTO tiles VALUES (5, 22, 20, ?)", (tile,))  # TMS row 20 = XYZ row 11
    for source in (folder, mbtiles):
        layer = tile_background(source)
        out = tmp_path / f"out_{source.stem}"
        html = write_map(build_map([raster, layer], title="t"), out / "map.html").read_text(encoding="utf-8")
        assert not REMOTE.search(html)
        assert f'"{ASSET_FOLDER}/tiles/{layer.folder}/{{z}}/{{x}}/{{y}}.png"' in html
        assert (out / ASSET_FOLDER / "tiles" / layer.folder / "5" / "22" / "11.png").read_bytes() == tile


def test_progress_reaches_the_end_and_cancel_stops(data):
    from juvmap.errors import Cancelled
    from juvmap.progress import CancelToken

    incidents, _regions, draw = data
    seen = []
    draw(incidents, ("choropleth", "kde"), period=(2020, 2020), progress=lambda f, _m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        draw(incidents, ("kde",), period=(2021, 2021), cancel=token)


def test_remembered_weights_give_the_same_statistics(data):
    from juvmap.analysis.areas import queen_weights_cached
    from juvmap.stats.smoothing import queen_weights

    _incidents, regions, _draw = data
    fresh, again = queen_weights(regions), queen_weights_cached(regions)
    assert queen_weights_cached(regions) is again
    assert fresh.neighbors == again.neighbors
