"""Lazy geometry: a lon/lat table and the same points as a GeoDataFrame give the same results."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from juvmap.errors import AnalysisError
from juvmap.io.points import has_points, point_crs, point_xy, to_geodataframe
from juvmap.stats.filters import parse_filter
from juvmap.stats.kde import kernel_density, suggest_radius
from juvmap.stats.rates import count_points_in_polygons


def _lonlat(demo: gpd.GeoDataFrame) -> pd.DataFrame:
    """The demo incidents as load_layer returns a point layer: lon/lat, no geometry."""
    frame = pd.DataFrame(demo.drop(columns=demo.geometry.name))
    frame["lon"], frame["lat"] = demo.geometry.x.to_numpy(), demo.geometry.y.to_numpy()
    frame.attrs = dict(demo.attrs)
    return frame


@pytest.fixture(scope="module")
def districts(shared):
    frame = gpd.read_file(shared / "geodata" / "kaz_adm2_2024.gpkg")
    frame["code"] = frame["KATO"].astype(str)
    return frame


def test_kernel_density_is_the_same_for_both_forms(demo):
    frame = _lonlat(demo)
    assert type(frame) is pd.DataFrame and "geometry" not in frame
    a = kernel_density(demo, radius=20_000, cell=2_000, weight="age")
    b = kernel_density(frame, radius=20_000, cell=2_000, weight="age")
    assert a.transform == b.transform and a.n_points == b.n_points == len(demo)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.synthetic and b.synthetic
    assert suggest_radius(frame) == suggest_radius(demo)


def test_rows_without_coordinates_are_skipped_with_their_weights(demo):
    frame = _lonlat(demo.iloc[:50])
    frame.loc[frame.index[:10], ["lon", "lat"]] = np.nan  # placed only by their region
    grid = kernel_density(frame, radius=20_000, cell=2_000, weight="age", method="exact")
    assert grid.n_points == 40
    assert grid.total_weight == pytest.approx(float(frame["age"].iloc[10:].sum()))


def test_points_in_districts_are_the_same_for_both_forms(demo, districts):
    frame = _lonlat(demo)
    before = frame.copy()
    a = count_points_in_polygons(demo, districts)
    b = count_points_in_polygons(frame, districts)
    assert len(a) == 224 and a.equals(b)
    assert int(b.sum()) == len(demo)  # every synthetic point lies in one district
    assert frame.equals(before)
    # the same against the spatial join of geopandas, whose intersects counts a border point
    joined = gpd.sjoin(demo[["geometry"]], districts[["code", "geometry"]], predicate="intersects")
    first = joined.groupby(level=0)["index_right"].min()
    expected = np.bincount(first.to_numpy(), minlength=len(districts))
    np.testing.assert_array_equal(b.to_numpy(), expected)
    flt = parse_filter(["years=2022-2022"])
    assert count_points_in_polygons(demo, districts, filter=flt).equals(
        count_points_in_polygons(frame, districts, filter=flt))


def test_a_border_point_counts_once_in_the_first_polygon():
    left = shapely.box(0, 0, 1, 1)
    right = shapely.box(1, 0, 2, 1)
    polygons = gpd.GeoDataFrame({"code": ["L", "R"]}, geometry=[left, right], crs=4326)
    frame = pd.DataFrame({"lon": [1.0, 1.5, 0.5, 5.0, np.nan], "lat": [0.5, 0.5, 0.5, 5.0, 0.5]})
    assert count_points_in_polygons(frame, polygons).to_dict() == {"L": 2, "R": 1}
    reversed_ = polygons.iloc[::-1].reset_index(drop=True)
    assert count_points_in_polygons(frame, reversed_).to_dict() == {"R": 2, "L": 1}
    with pytest.raises(AnalysisError):
        count_points_in_polygons(pd.DataFrame({"region": ["KZ-75"]}), polygons)


def test_projected_polygons_and_points_in_utm(demo, districts):
    utm = districts.to_crs(32642)
    counts = count_points_in_polygons(_lonlat(demo), utm)
    assert counts.equals(count_points_in_polygons(demo.to_crs(32642), utm))
    assert counts.equals(count_points_in_polygons(demo, districts))


def test_point_xy_of_both_forms(demo):
    frame = _lonlat(demo.iloc[:5])
    frame.loc[frame.index[1], "lon"] = np.nan
    x, y, rows = point_xy(frame)
    assert rows.tolist() == [0, 2, 3, 4] and point_crs(frame) == "EPSG:4326"
    multi = gpd.GeoDataFrame(geometry=[shapely.MultiPoint([(70, 45), (71, 46)]), None,
                                       shapely.Point(72, 47)], crs=4326)
    x, y, rows = point_xy(multi)
    assert x.tolist() == [70, 71, 72] and rows.tolist() == [0, 0, 2]
    assert has_points(multi) and has_points(frame) and not has_points(pd.DataFrame({"region": ["KZ-75"]}))
    with pytest.raises(AnalysisError):
        point_xy(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs=4326))


def test_exported_geopackage_of_loaded_incidents_has_point_geometry(demo, tmp_path):
    frame = _lonlat(demo.iloc[:20])
    frame.loc[frame.index[3], ["lon", "lat"]] = np.nan
    gdf = to_geodataframe(frame)
    assert gdf.crs.to_epsg() == 4326 and gdf.attrs["synthetic"] is True
    assert "geometry" not in frame and to_geodataframe(gdf) is gdf
    path = tmp_path / "incidents.gpkg"
    pyogrio.write_dataframe(gdf, path, layer="incidents")
    back = gpd.read_file(path)
    assert len(back) == 20 and back.crs.to_epsg() == 4326
    assert back.geometry.isna().tolist() == [i == 3 for i in range(20)]
    located = back.geometry.notna()
    assert (back.geometry[located].geom_type == "Point").all()
    np.testing.assert_allclose(back.geometry[located].x, frame["lon"][located.to_numpy()])


def test_map_density_and_hot_spots_are_the_same_for_both_forms(demo):
    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.analysis.density import auto_cell, located_points
    from juvmap.recommend.profile import all_profiles

    frame = _lonlat(demo)
    flt = parse_filter(["years=2021-2022"])
    a, b = located_points(demo, flt.mask(demo)), located_points(frame, flt.mask(frame))
    assert len(a) == len(b) == int(flt.mask(demo).sum()) and b.attrs["synthetic"]
    assert auto_cell(a, 15_000) == auto_cell(b, 15_000) == auto_cell(demo, 15_000)
    request = AnalysisRequest(period=(2021, 2022)).with_outputs("density", "profiles")
    one, two = analyse(request, Sources(incidents=demo)), analyse(request, Sources(incidents=frame))
    np.testing.assert_array_equal(one.density.values, two.density.values)
    assert one.peaks == two.peaks and one.peaks
    spots_a = {c: p.hotspots for c, p in all_profiles(one).items()}
    spots_b = {c: p.hotspots for c, p in all_profiles(two).items()}
    assert spots_a == spots_b and any(spots_b.values())
    assert located_points(frame[["region"]], np.ones(len(frame), bool)) is None
