"""Built-in tables agree with the sourced facts in ../shared/facts."""

from __future__ import annotations

import pandas as pd
import pytest

from juvmap.io import builtin
from juvmap.io.gazetteer import get_gazetteer


@pytest.fixture(scope="module")
def facts(shared):
    return shared / "facts"


def test_population_1_jan_2023_equals_the_facts(facts):
    pop = builtin.population("2023-01-01")
    src = pd.read_csv(facts / "population_by_region.csv", dtype=str)
    src = src[(src["date"] == "2023-01-01") & src["source"].str.contains("kazpop")]
    expected = src[src["region_iso"] != "KZ"].set_index("region_iso")["population"].astype(int)
    assert tuple(pop.index) == get_gazetteer().codes
    assert pop.dtype == "int64"
    assert pop.to_dict() == expected.to_dict()
    national = int(src.loc[src["region_iso"] == "KZ", "population"].iloc[0])
    assert pop.sum() == national == 19_766_807


def test_population_dates():
    assert builtin.population_dates() == ["2019-01-01", "2020-01-01", "2021-01-01",
                                          "2022-01-01", "2023-01-01", "2024-07-01"]
    assert builtin.population("2024-07-01").sum() == 20_159_707
    assert len(builtin.population("2019-01-01")) == 17  # old boundaries
    with pytest.raises(ValueError):
        builtin.population("1999-01-01")


def test_official_2022_totals(facts):
    off = builtin.official_2022()
    assert tuple(off.index) == get_gazetteer().codes
    assert off["juveniles"].sum() == 1569
    assert off["offences_by_minors"].sum() == 1723
    assert off["juv_crimes"].sum() == 1493 and off["juv_misdemeanours"].sum() == 76
    assert (off["juv_age_14_15"] + off["juv_age_16_17"] + off["juv_age_12_13"]
            == off["juveniles"]).all()
    assert off.at["KZ-75", "registered_offences"] == 34_891
    assert "new region" in off.at["KZ-62", "caveat"]
    src = pd.read_csv(facts / "juvenile_crime_2022_by_region.csv", dtype=str)
    src = src[src["region_iso"].str.startswith("KZ-")].set_index("region_iso")
    assert off["juveniles"].to_dict() == \
        src["juveniles_brought_to_criminal_liability"].astype(int).to_dict()


def test_articles_and_by_article():
    art = builtin.articles()
    assert all(isinstance(a, str) for a in art.index) and "188-1" in art.index and "000" in art.index
    assert art.at["188", "title_ru"] == "Кража"
    assert art.at["188", "juveniles_2022"] == 678
    by = builtin.official_2022_by_article()
    assert by["juveniles"].sum() == art["juveniles_2022"].sum() == 1566
    assert set(by["code"]) <= set(get_gazetteer().codes)
    assert by.groupby("article")["juveniles"].sum()["191"] == 174


def test_juvenile_estimate_sums_to_the_national_figure(facts):
    juv = builtin.juvenile_population()
    assert tuple(juv.index) == get_gazetteer().codes
    assert juv["estimate"].all() and (juv["age_band"] == "0–17").all()
    assert juv["method"].str.len().gt(20).all()
    national = builtin.population("2023-01-01").sum()
    assert juv["population"].sum() == round(0.341 * national) == 6_740_481
    share = juv["population"] / builtin.population("2023-01-01")
    # check against the three published regional 0–17 shares (1 Jan 2024)
    for code, published in {"KZ-61": 0.433, "KZ-47": 0.419, "KZ-79": 0.406}.items():
        assert abs(share[code] - published) < 0.015, code
    assert share.between(0.2, 0.5).all()


def test_settlements_are_points_in_their_region():
    from juvmap.io.boundaries import assign_regions

    s = builtin.settlements()
    assert s.crs.to_epsg() == 4326 and len(s) == 135
    assert list(s.columns) == ["region_iso", "name_kk", "name_ru", "name_en", "population",
                               "kind", "geometry"]
    russian = s.set_index("name_kk")["name_ru"]
    assert (russian["Өскемен"], russian["Қостанай"], russian["Жезқазған"]) == (
        "Усть-Каменогорск", "Костанай", "Жезказган")
    assert not s["name_ru"].str.contains("[әғқңөұүһі]", case=False).any()
    assert s.loc[s["name_kk"] == "Алматы", "population"].iloc[0] == 2_161_695
    inside = assign_regions(s.geometry.x, s.geometry.y)
    # every place (Baikonur included: leased, but inside Kyzylorda Region) is in its region
    assert (inside == s["region_iso"].to_numpy()).all()


def test_sources_cover_every_dataset():
    for key in ("population", "juvenile_population", "official_2022", "articles",
                "settlements", "boundaries"):
        assert builtin.SOURCES[key]
    from juvmap.io.boundaries import BOUNDARY_CREDIT

    assert builtin.SOURCES["boundaries"] == BOUNDARY_CREDIT
