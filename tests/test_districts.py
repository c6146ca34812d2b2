"""The 224 built-in districts: hierarchy, populations, the country edge, EB on districts."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from juvmap.crs import EQUAL_AREA_CRS
from juvmap.io.boundaries import (assign_areas, assign_districts, assign_regions, load_areas,
                                  load_context, load_districts, load_rate_areas, load_regions)
from juvmap.io.districts import (district_population, district_rate_population, district_reasons,
                                 fold_name, match_district_population)


@pytest.fixture(scope="module")
def districts():
    return load_districts("full")


@pytest.fixture(scope="module")
def facts(shared):
    read = lambda name: pd.read_csv(shared / "facts" / name, dtype=str, keep_default_na=False)  # noqa: E731
    return read("districts_2023.csv"), read("reform_mapping.csv")


def test_every_district_resolves_to_its_published_parent_region(districts, shared):
    adm2 = gpd.read_file(shared / "geodata" / "kaz_adm2_2024.gpkg")
    published = dict(zip(adm2["KATO"].astype(str).str.zfill(9),
                         "KZ-" + adm2["ADM1_PCODE"].str[2:], strict=True))
    assert len(districts) == 224 and districts["code"].is_unique
    assert districts["region"].tolist() == [published[c] for c in districts["code"]]
    assert districts["code"].str[:2].map(lambda p: "KZ-" + p).tolist() == districts["region"].tolist()
    inner = shapely.point_on_surface(districts.geometry.to_numpy())
    x, y = shapely.get_x(inner), shapely.get_y(inner)
    assert (assign_regions(x, y) == districts["region"].to_numpy()).all()
    assert (assign_districts(x, y) == districts["code"].to_numpy()).all()
    regions = load_regions("full").set_index("code")
    assert (shapely.area(regions.geometry) > 0).all()
    assert set(districts["region"]) == set(regions.index)


@pytest.mark.parametrize("detail", ["full", "display"])
def test_districts_are_a_clean_coverage_nested_in_the_regions(detail):
    geoms = load_districts(detail).geometry.to_numpy()
    assert shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)
    regions = load_regions(detail).set_index("code").geometry
    for code, part in load_districts(detail).groupby("region"):
        union = shapely.coverage_union_all(part.geometry.to_numpy())
        assert shapely.symmetric_difference(union, regions[code]).area < 1e-9


def test_display_layer_is_small_and_keeps_names():
    display = load_areas("districts", "display")
    assert len(display.to_json(drop_id=True).encode()) <= 600_000
    names = display.set_index("code")
    assert names.at["751710000", "name_ru"] == "Медеуский"
    assert names.at["113400000", "name_ru"] == "Аршалинский"  # Latin "A" in the source repaired
    assert names.at["791510000", "name_ru"] == "Енбекшинский"  # "…скийский" in the source repaired


def test_unit_names_fold_to_one_key():
    assert fold_name("Қатонқарағай ауданы") == fold_name("Катонқарағай")
    assert fold_name("Әл фараби ауданы") == fold_name("Әл Фараби")
    assert fold_name("Семей қ.ә.") == "семей"


def test_population_match_is_reproducible_and_complete(districts, facts):
    table, reform = facts
    built = match_district_population(districts, table, reform)
    committed = district_population().reset_index()
    assert built["code"].tolist() == committed["code"].tolist()
    assert built["rate_unit"].tolist() == committed["rate_unit"].tolist()
    assert (built["population"].astype("Float64").fillna(-1).to_numpy()
            == committed["population"].fillna(-1).to_numpy()).all()
    units = [u for joined in built["unit_2023"] for u in joined.split("|") if u]
    assert sorted(units) == sorted(table["unit_name_kk"])  # every BNS unit used exactly once
    assert (built["match"] != "none").sum() == 219
    by_code = built.set_index("code")
    assert by_code.at["391000000", "unit_2023"] == "Қостанай қ.ә."  # city and district of one name
    assert by_code.at["395400000", "unit_2023"] == "Қостанай ауданы"
    assert by_code.at["474200000", "match"] == "close"  # Қарақиян / Қарақия ауданы


def test_later_districts_are_merged_with_their_parents_never_zero():
    df = district_population()
    new = df[df["match"] == "none"]
    assert set(new["name_kk"]) == {"Мақаншы", "Жаңасемей", "Алатау", "Нұра", "Тұран"}
    assert new["population"].isna().all() and (df["population"].dropna() > 0).all()
    assert df.at["104500000", "rate_unit"] == "104600000"  # Makanshi with Urzhar
    assert df.at["101010000", "rate_unit"] == "101000000"  # Zhanasemey with Semey
    assert df.at["104500000", "reason"] == "created_later"
    assert df.at["791910000", "reason"] == "created_later_parent_unknown"
    assert df.at["612000000", "reason"] == "includes_unit"  # Kentau holds Sauran
    reasons = district_reasons("ru")
    assert reasons["104500000"] == ("Образован после 1 января 2023 г.; выделен из: Урджарский. "
                                    "Для показателей объединён с ним.")
    assert "Мақаншы" in district_reasons("kk")["104600000"]
    assert "Есильский, Сарыаркинский" in reasons["711510000"]
    groups = df.groupby("rate_unit")
    assert (groups["rate_population"].first() == groups["population"].sum()).all()


def test_district_sums_equal_region_totals(shared):
    df = district_population()
    sums = df.groupby("region")["population"].sum()
    same_vintage = pd.read_csv(shared / "facts" / "population_urban_rural_2023.csv")
    same_vintage = same_vintage[same_vintage["region_iso"] != "KZ"].set_index("region_iso")["total"]
    assert (sums.astype(int) == same_vintage.reindex(sums.index)).all()
    from juvmap.io.builtin import population  # the kazpop vintage of the same date

    assert ((sums - population("2023-01-01")).abs() / sums).max() < 3e-4


def test_district_population_at_risk_leaves_merged_districts_undefined():
    population = district_rate_population()
    assert len(population) == 224 and population.isna().sum() == 14
    merged = district_rate_population(merged=True)
    areas = load_rate_areas()
    assert len(areas) == 215 and sorted(merged.index) == areas["code"].tolist()
    assert merged.notna().all()
    assert merged.sum() == district_population()["population"].sum()


def _inner_points(districts, per_district: int, seed: int):
    """Uniform points inside every district at least 2 km from its edges.

    Two city districts of Almaty (Almaly 18 km², Zhetysu 39 km²) have no point 2 km from
    their edges; they get points 500 m inside.
    """
    rng = np.random.default_rng(seed)
    metres = districts.to_crs(EQUAL_AREA_CRS).geometry
    projected = metres.buffer(-2000).to_numpy()
    narrow = shapely.is_empty(projected)
    assert districts.loc[narrow, "name_en"].tolist() == ["Almaly", "Zhetysu"]
    projected[narrow] = metres[narrow].buffer(-500).to_numpy()
    xs, ys, owner = [], [], []
    for i, geom in enumerate(projected):
        x0, y0, x1, y1 = geom.bounds
        share = geom.area / ((x1 - x0) * (y1 - y0))
        size = int(per_district / share * 3) + 100
        x, y = rng.uniform(x0, x1, size), rng.uniform(y0, y1, size)
        inside = np.flatnonzero(shapely.contains_xy(geom, x, y))[:per_district]
        assert inside.size == per_district
        xs.append(x[inside]), ys.append(y[inside])
        owner += [i] * per_district
    pts = gpd.GeoSeries(shapely.points(np.concatenate(xs), np.concatenate(ys)),
                        crs=EQUAL_AREA_CRS).to_crs(4326)
    return pts.x.to_numpy(), pts.y.to_numpy(), np.asarray(owner)


def test_points_inside_every_district_are_counted_in_it(districts):
    lon, lat, owner = _inner_points(districts, 25, seed=7)
    assert len(set(owner)) == 224 and len(lon) == 224 * 25
    codes, snapped = assign_areas(lon, lat, "districts", return_snapped=True)
    assert not snapped.any() and (codes == districts["code"].to_numpy()[owner]).all()
    assert (assign_districts(lon, lat) == districts["code"].to_numpy()[owner]).all()
    assert (assign_regions(lon, lat) == districts["region"].to_numpy()[owner]).all()


@pytest.fixture(scope="module")
def country_m():
    """The country's outline in metres (EQUAL_AREA_CRS), prepared."""
    geoms = gpd.GeoSeries(load_regions("full").geometry.to_numpy(), crs=4326).to_crs(EQUAL_AREA_CRS)
    country = shapely.coverage_union_all(geoms.to_numpy())
    shapely.prepare(country)
    return country


def _ring_points(country, distance_m: float, window, n: int = 60):
    """Points ``distance_m`` (± 5 %) outside the country, within a lon/lat window."""
    w, s, e, nth = window
    box = gpd.GeoSeries([shapely.box(w - 0.5, s - 0.5, e + 0.5, nth + 0.5)], crs=4326)
    part = shapely.intersection(country, box.to_crs(EQUAL_AREA_CRS).iloc[0])
    rough = shapely.simplify(part, distance_m * 0.02)
    ring = shapely.boundary(shapely.buffer(rough, distance_m, quad_segs=2))
    pts = shapely.points(shapely.get_coordinates(shapely.segmentize(ring, 2000)))
    pts = pts[~shapely.contains_xy(part, shapely.get_x(pts), shapely.get_y(pts))]
    edges = [shapely.linestrings(c[i:i + 16]) for ring in shapely.get_parts(shapely.boundary(part))
             for c in [shapely.get_coordinates(ring)] for i in range(0, len(c) - 1, 15)]
    _, true = shapely.STRtree(edges).query_nearest(pts, return_distance=True, all_matches=False)
    # outside the country, the distance to it is the distance to its edge (here: the window's)
    pts = pts[np.abs(true - distance_m) < 0.05 * distance_m]
    lonlat = gpd.GeoSeries(pts, crs=EQUAL_AREA_CRS).to_crs(4326)
    lonlat = lonlat[(lonlat.x > w) & (lonlat.x < e) & (lonlat.y > s) & (lonlat.y < nth)]
    take = np.unique(np.linspace(0, len(lonlat) - 1, min(n, len(lonlat))).astype(int))
    return lonlat.x.to_numpy()[take], lonlat.y.to_numpy()[take]


CASPIAN = (49.0, 42.0, 54.0, 47.0)
CHINA = (79.5, 42.5, 83.0, 47.0)
UZBEKISTAN = (66.0, 40.6, 69.5, 42.5)


@pytest.mark.parametrize("window", [CASPIAN, CHINA, UZBEKISTAN], ids=["caspian", "china", "uzbek"])
def test_points_just_outside_the_outline_are_kept_in_the_nearest_area(window, districts, country_m):
    rng = np.random.default_rng(3)
    lon, lat = [], []
    for d in rng.uniform(200, 1500, 6):
        x, y = _ring_points(country_m, d, window, 20)
        lon.append(x), lat.append(y)
    lon, lat = np.concatenate(lon), np.concatenate(lat)
    assert len(lon) >= 60
    strict = assign_districts(lon, lat, tolerance_km=0)
    assert (strict == "").all()  # really outside the accurate outline
    got = assign_districts(lon, lat)
    again, snapped = assign_areas(lon, lat, "districts", return_snapped=True)
    assert (again == got).all() and snapped.all()
    projected = districts.to_crs(EQUAL_AREA_CRS).geometry.to_numpy()
    points = gpd.GeoSeries(shapely.points(lon, lat), crs=4326).to_crs(EQUAL_AREA_CRS).to_numpy()
    src, dst = shapely.STRtree(projected).query_nearest(points, all_matches=False)
    nearest = districts["code"].to_numpy()[dst[np.argsort(src)]]
    assert (got == nearest).all()
    regions = assign_regions(lon, lat)
    assert (regions == districts.set_index("code").loc[got, "region"].to_numpy()).all()


def test_points_ten_km_into_the_caspian_are_rejected(country_m):
    lon, lat = _ring_points(country_m, 10_000, CASPIAN, 80)
    assert len(lon) >= 40
    assert (assign_districts(lon, lat) == "").all()
    assert (assign_regions(lon, lat) == "").all()


def test_context_layer_has_neighbours_and_water():
    ctx = load_context()
    assert {"RUS", "CHN", "KGZ", "UZB", "TKM"} <= set(ctx["iso_a3"])
    water = ctx.loc[ctx["kind"] == "water"].geometry.iloc[0]
    assert water.contains(shapely.Point(51.0, 42.5))  # the Caspian
    assert not water.contains(shapely.Point(67.0, 48.0))
    assert ctx.set_index("iso_a3").at["CHN", "name_ru"] == "Китай"
