"""Built-in boundaries: a clean 20-region coverage, fast cache, exact point-in-region."""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pytest
import shapely

from juvmap.errors import DataLoadError
from juvmap.io.boundaries import BOUNDARY_CREDIT, assign_regions, load_regions
from juvmap.io.gazetteer import get_gazetteer

COLUMNS = ["code", "kato", "name_kk", "name_ru", "name_en", "geometry"]


@pytest.fixture(scope="module")
def display():
    return load_regions("display")


@pytest.fixture(scope="module")
def full():
    return load_regions("full")


@pytest.mark.parametrize("detail", ["display", "full"])
def test_twenty_regions_in_wgs84(detail):
    df = load_regions(detail)
    assert list(df.columns) == COLUMNS
    assert df.crs.to_epsg() == 4326
    assert tuple(df["code"]) == get_gazetteer().codes
    assert df.is_valid.all() and not df.is_empty.any()
    assert set(df.geom_type) <= {"Polygon", "MultiPolygon"}
    assert not shapely.has_z(df.geometry.to_numpy()).any()
    assert df.set_index("code").at["KZ-63", "name_ru"] == "Восточно-Казахстанская область"
    assert "geokz" in BOUNDARY_CREDIT and "Alexander Rodionov" in BOUNDARY_CREDIT


def test_second_call_is_fast():
    load_regions("display")
    start = time.perf_counter()
    load_regions("display")
    load_regions("full")
    assert time.perf_counter() - start < 0.3


@pytest.mark.parametrize("detail", ["display", "full"])
def test_coverage_has_no_gaps_or_overlaps(detail, full):
    geoms = load_regions(detail).geometry.to_numpy()
    assert shapely.coverage_is_valid(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    overlaps = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlaps.max() < 1e-9  # square degrees, i.e. < ~0.01 km²
    union = shapely.union_all(geoms)
    holes = [r for p in shapely.get_parts(union) for r in p.interiors]
    full_holes = [r for p in shapely.get_parts(shapely.union_all(full.geometry.to_numpy()))
                  for r in p.interiors]
    assert len(holes) <= len(full_holes) == 0
    assert union.area == pytest.approx(shapely.union_all(full.geometry.to_numpy()).area,
                                       rel=2e-3)


def test_display_layer_is_small_and_close_to_full(display, full):
    assert len(display.to_json(drop_id=True)) < 300_000
    iou = shapely.area(shapely.intersection(display.geometry.values, full.geometry.values)) / \
        shapely.area(shapely.union(display.geometry.values, full.geometry.values))
    assert iou.min() > 0.97


def test_district_points_fall_in_their_parent_region(shared):
    adm2 = gpd.read_file(shared / "geodata" / "kaz_adm2_2024.gpkg")
    points = shapely.point_on_surface(shapely.make_valid(adm2.geometry.to_numpy()))
    codes = assign_regions(shapely.get_x(points), shapely.get_y(points))
    expected = np.array(["KZ-" + p[2:] for p in adm2["ADM1_PCODE"]], dtype=object)
    assert len(codes) == 224
    assert (codes == expected).all(), adm2.loc[codes != expected, "ADM2_EN"].tolist()


def test_assign_regions_matches_exact_test_and_handles_outside(full):
    rng = np.random.default_rng(42)
    lon = rng.uniform(46.4, 87.4, 20_000)
    lat = rng.uniform(40.5, 55.5, 20_000)
    codes = assign_regions(lon, lat, tolerance_km=0)
    assert codes.dtype == object and codes.shape == lon.shape
    tree = shapely.STRtree(full.geometry.to_numpy())
    pt, reg = tree.query(shapely.points(lon, lat), predicate="intersects")
    expected = np.full(lon.shape, "", dtype=object)
    expected[pt] = full["code"].to_numpy()[reg]
    assert (codes == expected).all()
    assert list(assign_regions([71.43, 76.91, 69.6, 0.0, np.nan], [51.13, 43.24, 42.32, 0.0, 50])
                ) == ["KZ-71", "KZ-75", "KZ-79", "", ""]
    grid = assign_regions(np.full((2, 3), 71.43), np.full((2, 3), 51.13))
    assert grid.shape == (2, 3) and (grid == "KZ-71").all()


def test_assign_regions_with_user_regions(shared):
    user = load_regions("full", path=shared / "geodata" / "kaz_adm1_2024.gpkg")
    assert list(assign_regions([76.91], [43.24], regions=user)) == ["KZ-75"]


def test_user_file_is_matched_through_any_column(shared, tmp_path, display):
    adm1 = gpd.read_file(shared / "geodata" / "kaz_adm1_2024.gpkg")
    projected = adm1[["ADM1_KK", "geometry"]].to_crs(32642)  # Kazakh names, UTM 42N
    path = tmp_path / "regions.gpkg"
    projected.to_file(path)
    df = load_regions("display", path=path)
    assert tuple(df["code"]) == get_gazetteer().codes
    assert df.crs.to_epsg() == 4326
    assert shapely.coverage_is_valid(df.geometry.to_numpy())
    iou = shapely.area(shapely.intersection(df.geometry.values, display.geometry.values)) / \
        shapely.area(shapely.union(df.geometry.values, display.geometry.values))
    assert np.median(iou) > 0.95  # a different digitisation of the same regions


def test_district_file_is_merged_into_regions(shared):
    df = load_regions("full", path=shared / "geodata" / "kaz_adm2_2024.gpkg")
    assert tuple(df["code"]) == get_gazetteer().codes


def test_unmatched_or_unreadable_file_raises(tmp_path):
    bad = gpd.GeoDataFrame({"name": ["Narnia", "Mordor"]},
                           geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
                           crs=4326)
    path = tmp_path / "bad.geojson"
    bad.to_file(path)
    with pytest.raises(DataLoadError) as err:
        load_regions(path=path)
    assert err.value.path == str(path)
    junk = tmp_path / "junk.gpkg"
    junk.write_text("not a geopackage")
    with pytest.raises(DataLoadError):
        load_regions(path=junk)
