"""GeoTIFF round trip of density surfaces, and the ``juvmap kde`` command end to end."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely.geometry import Point

from juvmap.cli import main
from juvmap.commands.kde import read_points
from juvmap.crs import EQUAL_AREA_CRS, EQUAL_AREA_NAME
from juvmap.errors import DataLoadError, JuvmapError
from juvmap.i18n import get_language, set_language
from juvmap.export.raster import read_geotiff, write_geotiff
from juvmap.stats.kde import kernel_density


@pytest.fixture(scope="module")
def grid():
    rng = np.random.default_rng(2)
    return kernel_density((rng.normal(0, 5000, 60), rng.normal(0, 5000, 60)), radius=4000, cell=500)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_geotiff_round_trip(tmp_path, grid, dtype):
    path = write_geotiff(grid, tmp_path / "kde.tif", dtype=dtype)
    back = read_geotiff(path)
    assert back.crs == EQUAL_AREA_CRS and back.crs.name == EQUAL_AREA_NAME
    assert back.transform == grid.transform
    assert back.nodata == grid.nodata == -9999.0
    assert back.shape == grid.shape
    if dtype == "float64":
        np.testing.assert_array_equal(back.values, grid.values)
    else:
        np.testing.assert_allclose(back.values, grid.values, rtol=1e-6)
    assert (back.kernel, back.output, back.radius, back.cell) == ("quartic", "density", 4000.0, 500.0)
    assert back.n_points == 60 and back.synthetic is False and back.method == grid.method
    assert back.units == grid.units


def test_geotiff_tags_nodata_and_synthetic_flag(tmp_path, grid):
    values = grid.values.copy()
    values[0, 0] = np.nan
    flagged = type(grid)(**{**grid.__dict__, "values": values, "synthetic": True})
    path = write_geotiff(flagged, tmp_path / "flagged.tif")
    with rasterio.open(path) as src:
        tags = src.tags()
        assert src.nodata == -9999.0
        assert src.read(1)[0, 0] == -9999.0
        assert src.crs.to_wkt().startswith('PROJCS["Kazakhstan Albers Equal Area')
    assert tags["synthetic"] == "true" and tags["units"] == "incidents per km²"
    assert tags["kernel"] == "quartic" and float(tags["radius"]) == 4000.0
    back = read_geotiff(path)
    assert np.isnan(back.values[0, 0]) and back.synthetic is True
    assert grid.values[0, 0] == 0.0  # the input grid was not touched


def test_read_a_plain_geotiff_without_our_tags(tmp_path):
    path = tmp_path / "qgis.tif"
    data = np.array([[1.0, -9999.0], [0.5, 2.0]], dtype="float32")
    with rasterio.open(path, "w", driver="GTiff", height=2, width=2, count=1, dtype="float32",
                       crs="EPSG:32642", transform=Affine(100, 0, 500000, 0, -100, 4800000),
                       nodata=-9999.0) as dst:
        dst.write(data, 1)
    back = read_geotiff(path)
    assert back.crs.to_epsg() == 32642 and back.cell == 100.0
    assert np.isnan(back.values[0, 1]) and back.values[1, 1] == 2.0


def test_unreadable_and_unwritable_files(tmp_path, grid):
    (tmp_path / "bad.tif").write_text("not a raster")
    with pytest.raises(DataLoadError):
        read_geotiff(tmp_path / "bad.tif")
    (tmp_path / "dir.tif").mkdir()
    with pytest.raises(JuvmapError):
        write_geotiff(grid, tmp_path / "dir.tif")


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory) -> Path:
    rng = np.random.default_rng(4)
    lon, lat = rng.normal(71.4, 0.1, 400), rng.normal(51.15, 0.06, 400)
    frame = gpd.GeoDataFrame({"w": rng.integers(1, 4, 400).astype(float)},
                             geometry=gpd.points_from_xy(lon, lat), crs=4326)
    frame.loc[7, "geometry"] = Point()  # an empty point is skipped
    frame.loc[9, "w"] = np.nan  # a missing weight counts as 0
    path = tmp_path_factory.mktemp("kde") / "points.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    return path


def test_the_point_reader_equals_geopandas(gpkg, tmp_path):
    fast = read_points(gpkg, "w")
    frame = gpd.read_file(gpkg)
    expected_x = np.where(frame.geometry.is_empty, np.nan, frame.geometry.x)
    np.testing.assert_array_equal(fast.xy[0], expected_x)
    np.testing.assert_array_equal(fast.weight, frame["w"].to_numpy())
    assert fast.crs.to_epsg() == 4326 and np.isnan(fast.xy[0][7])
    as_geojson = tmp_path / "points.geojson"  # decoded by shapely, not the GeoPackage SQL
    frame.to_file(as_geojson, driver="GeoJSON")
    slow = read_points(as_geojson, "w")
    np.testing.assert_allclose(slow.xy[0], fast.xy[0], equal_nan=True)
    np.testing.assert_array_equal(slow.weight, fast.weight)
    with pytest.raises(DataLoadError):
        read_points(gpkg, "no_such_field")


@pytest.fixture
def keep_language():
    before = get_language()
    yield
    set_language(before)


def test_kde_command_writes_geotiff(gpkg, tmp_path, capsys, keep_language):
    out = tmp_path / "kde.tif"
    code = main(["--lang", "en", "kde", "--data", str(gpkg), "--radius", "5000", "--cell", "500",
                 "--weight", "w", "--out", str(out), "--peaks", "1"])
    assert code == 0
    text = capsys.readouterr().out
    assert "399 points" in text and "Astana" in text
    grid = read_geotiff(out)
    frame = gpd.read_file(gpkg)
    expected = kernel_density(frame, radius=5000, cell=500, weight="w")
    assert grid.transform == expected.transform and grid.crs == EQUAL_AREA_CRS
    np.testing.assert_allclose(grid.values, expected.values, rtol=1e-6, atol=1e-6 * expected.values.max())
    assert grid.total() == pytest.approx(np.nansum(frame["w"]), rel=0.005)


def test_kde_command_qgis_grid_and_errors(gpkg, tmp_path, capsys):
    out = tmp_path / "qgis.tif"
    assert main(["kde", "--data", str(gpkg), "--radius", "3000", "--cell", "250", "--grid", "qgis",
                 "--kernel", "triweight", "--output", "raw", "--method", "exact", "--out", str(out)]) == 0
    grid = read_geotiff(out)
    assert grid.layout == "qgis" and grid.kernel == "triweight" and grid.output == "raw"
    assert main(["kde", "--data", str(tmp_path / "missing.gpkg"), "--out", str(out)]) == 2
    assert main(["kde", "--data", str(gpkg), "--cell", "-5", "--out", str(out)]) == 2
    assert "juvmap:" in capsys.readouterr().err


def test_counts_below_five_are_suppressed_in_tags(tmp_path):
    few = kernel_density(([0.0, 100.0, 300.0], [0.0, 50.0, 0.0]), radius=1000, cell=100)
    path = write_geotiff(few, tmp_path / "few.tif")
    with rasterio.open(path) as src:
        assert src.tags()["n_points"] == "<5" and src.tags()["total_weight"] == "<5"
    assert read_geotiff(path).n_points == 0
