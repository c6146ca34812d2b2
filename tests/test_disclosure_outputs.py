"""Every output on data with counts of 1–4: the map (tooltips, legend, density), the Region dock
(table and charts), the sheet, the CSV and GeoPackage, the GeoTIFF and the printed map — none shows
a hidden count or a figure that gives it back."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from juvmap.analysis import AnalysisRequest, Sources, analyse

SMALL = {"KZ-62": 3, "KZ-59": 2}  # Ulytau and North Kazakhstan keep 3 and 2 incidents of 2023


@pytest.fixture(scope="module")
def case(demo):
    keep = demo[demo["date"].dt.year == 2023]
    parts = [keep[~keep["region"].isin(list(SMALL))]]
    parts += [keep[keep["region"] == code].head(n) for code, n in SMALL.items()]
    data = pd.concat(parts)
    data.attrs.update(demo.attrs)
    request = AnalysisRequest(period=(2023, 2023), permutations=99).with_outputs("density", "profiles")
    result = analyse(request, Sources(incidents=data))
    return data, result


def leaks(text: str, code: str, result, lang: str = "en") -> list[str]:
    """Figures of the hidden area ``code`` found in ``text`` (its true count, rate, EB rate)."""
    from juvmap.numbers import format_number
    from juvmap.stats.rates import crude_rates, Denominator

    true = SMALL[code]
    pop = result.areas.set_index("code").loc[code, "population"]
    rate = crude_rates(pd.Series([true], index=[code]), Denominator(pd.Series([pop], index=[code]), "", 10_000))
    figures = [f"Incidents: {true}", f"<td>{true}</td>", f"<td>{true} (", format_number(rate["rate"].iloc[0], lang, 2)]
    body = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    return [f for f in figures if f in body]


def test_the_area_table_hides_the_small_counts_and_their_companion(case):
    _data, result = case
    table = result.areas.set_index("code")
    hidden = table.index[table["suppressed"]]
    assert set(SMALL) <= set(hidden) and len(hidden) >= len(SMALL)
    for column in ("count", "rate", "ci_low", "ci_high", "excess_risk", "eb_rate", "spatial_eb_rate", "lisa_p",
                   "gi_z", "rank", "change"):
        assert table.loc[hidden, column].isna().all(), column
    assert (table.loc[hidden, "class"] == -1).all()


def test_map_tooltips_legend_and_density(case):
    from juvmap.analysis.density_mask import contributors_grid
    from juvmap.crs import transform_xy
    from juvmap.disclosure import SUPPRESS_BELOW
    from juvmap.i18n import using_language
    from juvmap.mapping.build import map_layers, render_offline
    from juvmap.mapping.spec import MapSpec, build_map

    data, result = case
    with using_language("en"):
        fmap = build_map(result, MapSpec(layers=("choropleth", "hotspots", "kde"), language="en"))
        layers = {layer.key: layer for layer in map_layers(fmap)}
        page = render_offline(fmap)
    tips = dict(zip(layers["choropleth"].polygons["code"], layers["choropleth"].polygons["tooltip"], strict=True))
    for code in SMALL:
        text = html.unescape(re.sub(r"<[^>]+>", " ", tips[code]))
        assert "Incidents: <5" in text and not leaks(text, code, result), text
        hot = html.unescape(layers["hotspots"].polygons.set_index("code").loc[code, "tooltip"])
        assert "p = " not in hot and "z = " not in hot
    grid = result.density  # the drawn surface: blank wherever fewer than 5 incidents contribute
    x, y = transform_xy(data["lon"].to_numpy(), data["lat"].to_numpy(), "EPSG:4326", grid.crs) \
        if "lon" in data else transform_xy(data.geometry.x.to_numpy(), data.geometry.y.to_numpy(), "EPSG:4326", grid.crs)
    support = contributors_grid((x, y), grid.transform, grid.values.shape, grid.radius)
    assert np.isnan(grid.values[support < SUPPRESS_BELOW]).all()
    assert "SYN-" not in page


@pytest.mark.qt
def test_region_dock_table_and_charts(case, qtbot):
    from juvmap.recommend.profile import all_profiles
    from juvmap.ui.docks.region import RegionPanel

    _data, result = case
    panel = RegionPanel()
    qtbot.addWidget(panel)
    profiles = all_profiles(result, "en")
    for code in SMALL:
        panel.show(profiles[code], result, code)
        cells = [panel.table.item(i, 1).text() for i in range(panel.table.rowCount())]
        assert cells[0] == "<5" and all(c in ("<5", "×", "—", "") for c in cells[1:]), cells
        assert panel.heatmap.is_empty
    # a shown region's heat map: no cell of 1–4 is drawn as a number
    panel.show(profiles["KZ-75"], result, "KZ-75")
    table = panel.heatmap._table
    assert table is not None and not ((table > 0) & (table < 5)).any()


def test_sheet_csv_geopackage_and_geotiff(case, tmp_path):
    import pyogrio
    import rasterio

    from juvmap.export.raster import write_geotiff
    from juvmap.export.tables import write_result
    from juvmap.recommend.profile import all_profiles
    from juvmap.recommend.rules import evaluate
    from juvmap.recommend.sheet_html import region_sheet_html

    _data, result = case
    profiles = all_profiles(result, "en")
    for code in SMALL:
        page = region_sheet_html(profiles[code], evaluate(profiles[code], lang="en"), "en", synthetic=True,
                                 period="2023", sources=[])
        assert "&lt;5" in page and not leaks(html.unescape(page), code, result)
    csv, gpkg = write_result(result, tmp_path / "rates.csv", "en"), write_result(result, tmp_path / "rates.gpkg", "en")
    table = pd.read_csv(csv, comment="#", dtype={"count": str}).set_index("code")
    layer = pyogrio.read_dataframe(gpkg).set_index("code")
    for frame in (table, layer):
        for code in SMALL:
            assert frame.loc[code, "count"] == "<5"
            assert pd.isna(frame.loc[code, ["rate", "eb_rate", "spatial_eb_rate", "excess_risk"]]).all()
    tif = write_geotiff(result.density, tmp_path / "density.tif")
    with rasterio.open(tif) as src:
        values = src.read(1, masked=True)
        assert values.mask.any() and src.tags()["synthetic"] == "true"


@pytest.mark.qt
def test_the_printed_map(case, qapp, tmp_path):
    from juvmap.export.print_layout import PrintSpec, prepare_for_print
    from juvmap.i18n import using_language
    from juvmap.mapping.build import render_offline
    from juvmap.mapping.spec import MapSpec, build_map

    data, result = case
    with using_language("en"):
        fmap = build_map(result, MapSpec(layers=("choropleth", "kde", "hotspots", "incidents"), language="en"),
                         incidents=data, for_print=True)
        page = render_offline(prepare_for_print(fmap, PrintSpec()))
    first = data.iloc[0]
    lat, lon = (first["lat"], first["lon"]) if "lat" in data else (first.geometry.y, first.geometry.x)
    assert f"[{round(lat, 3)},{round(lon, 3)}," not in page and "markerClusterGroup" not in page
    for code in SMALL:
        assert f"Incidents: {SMALL[code]}<" not in page
