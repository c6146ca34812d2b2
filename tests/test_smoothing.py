"""Empirical Bayes smoothing against a direct loop implementation of Marshall (1991).

Data: the 224 districts of ``../shared/geodata/kaz_adm2_2024.gpkg`` with the 1 Jan 2023
populations of ``../shared/facts/districts_2023.csv`` joined by name within the region;
districts without a population (created after 2023, or named differently) must come out NaN.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from juvmap.stats.smoothing import empirical_bayes, queen_weights, spatial_empirical_bayes

# district names that differ between the boundary file and the statistics table
_ALIASES = {"талдыкорган": "талдықорған", "лисаковск": "лисаков", "қарақиян": "қарақия",
            "қатонқарағай": "катонқарағай"}
_CITY_OF_REPUBLICAN_SIGNIFICANCE = {"KZ71", "KZ75", "KZ79"}


def _key(name: str) -> str:
    name = name.lower().replace(" ауданы", "").replace(" қ.ә.", "").strip()
    return _ALIASES.get(name, name)


@pytest.fixture(scope="module")
def districts(shared) -> gpd.GeoDataFrame:
    """Districts with population (NaN where the table has none) and seeded counts."""
    geo = gpd.read_file(shared / "geodata" / "kaz_adm2_2024.gpkg")
    geo = geo.set_geometry(geo.geometry.make_valid())
    table = pd.read_csv(shared / "facts" / "districts_2023.csv")
    table["region"] = table["region_iso"].str.replace("-", "", regex=False)
    table["kind"] = table["unit_type"]
    table["key"] = table["unit_name_kk"].map(_key)
    # the 3rd KATO digit 1 marks a city administration (Kostanay city vs Kostanay district)
    city = (geo["KATO"].astype(str).str[2] == "1") & ~geo["ADM1_PCODE"].isin(_CITY_OF_REPUBLICAN_SIGNIFICANCE)
    geo["kind"] = np.where(city, "city_administration", "district")
    geo["region"] = geo["ADM1_PCODE"]
    geo["key"] = geo["ADM2_KK"].map(_key)
    cols = ["region", "kind", "key", "population_2023_01_01"]
    merged = geo.merge(table[cols], on=["region", "kind", "key"], how="left", validate="one_to_one")
    # a name used once in its region needs no city/district distinction
    unique = table[~table.duplicated(["region", "key"], keep=False)]
    by_name = geo[["region", "key"]].merge(unique[cols], on=["region", "key"], how="left")
    merged["population_2023_01_01"] = merged["population_2023_01_01"].fillna(
        by_name["population_2023_01_01"])
    merged = merged.rename(columns={"population_2023_01_01": "population"})
    assert len(merged) == 224
    rng = np.random.default_rng(20240611)
    # overdispersed counts: a district risk around 25 per 10,000, for the known population
    risk = 25e-4 * rng.gamma(4.0, 0.25, len(merged))
    size = merged["population"].fillna(20_000).to_numpy()
    merged["count"] = rng.poisson(risk * size * 0.05)
    return merged


@pytest.fixture(scope="module")
def weights(districts):
    return queen_weights(districts)


def marshall_global(e, n):
    """Global EB by plain loops over the defined units."""
    ok = [i for i in range(len(e)) if np.isfinite(n[i]) and n[i] > 0]
    m = sum(e[i] for i in ok) / sum(n[i] for i in ok)
    nbar = sum(n[i] for i in ok) / len(ok)
    s2 = sum(n[i] * (e[i] / n[i] - m) ** 2 for i in ok) / sum(n[i] for i in ok)
    a = max(s2 - m / nbar, 0.0)
    out = [np.nan] * len(e)
    for i in ok:
        c = a / (a + m / n[i]) if a + m / n[i] > 0 else 0.0
        out[i] = m + c * (e[i] / n[i] - m)
    return np.array(out)


def marshall_spatial(e, n, neighbours):
    """Spatial EB by plain loops: the neighbourhood is the unit plus its neighbours."""
    glob = marshall_global(e, n)
    out = [np.nan] * len(e)
    for i in range(len(e)):
        if not (np.isfinite(n[i]) and n[i] > 0):
            continue
        hood = [j for j in [i, *neighbours[i]] if np.isfinite(n[j]) and n[j] > 0]
        if len(hood) == 1:  # no defined neighbour: island → global EB
            out[i] = glob[i]
            continue
        total_n = sum(n[j] for j in hood)
        m = sum(e[j] for j in hood) / total_n
        s2 = sum(n[j] * (e[j] / n[j] - m) ** 2 for j in hood) / total_n
        a = max(s2 - m / (total_n / len(hood)), 0.0)
        c = a / (a + m / n[i]) if a + m / n[i] > 0 else 0.0
        out[i] = m + c * (e[i] / n[i] - m)
    return np.array(out)


def test_join_leaves_undefined_districts_without_population(districts):
    missing = set(districts.loc[districts["population"].isna(), "ADM2_EN"])
    # created after 1 Jan 2023 or absent from the 2023 table
    assert missing == {"Zharasemey", "Maqanshy", "Nura", "Turan", "Alatau"}


def test_global_eb_matches_marshall(districts):
    e = districts["count"].to_numpy(float)
    n = districts["population"].to_numpy(float)
    ours = empirical_bayes(e, n, multiplier=10_000)
    ref = marshall_global(list(e), list(n)) * 10_000
    np.testing.assert_allclose(ours, ref, rtol=1e-10)
    assert np.isnan(ours[districts["population"].isna().to_numpy()]).all()
    assert np.isfinite(ours[districts["population"].notna().to_numpy()]).all()
    assert (ours[np.isfinite(ours)] >= 0).all()


def test_spatial_eb_matches_marshall(districts, weights):
    e = districts["count"].to_numpy(float)
    n = districts["population"].to_numpy(float)
    ours = spatial_empirical_bayes(e, n, weights, multiplier=10_000)
    neighbours = {i: list(weights.neighbors[i]) for i in range(len(e))}
    ref = marshall_spatial(list(e), list(n), neighbours) * 10_000
    np.testing.assert_allclose(ours, ref, rtol=1e-9)
    assert np.isnan(ours[districts["population"].isna().to_numpy()]).all()
    assert (ours[np.isfinite(ours)] >= 0).all()


def test_eb_agrees_with_esda_where_esda_is_defined(districts, weights):
    """On complete data esda's smoothers give the same numbers (a second reference)."""
    from esda.smoothing import Empirical_Bayes, Spatial_Empirical_Bayes

    e = districts["count"].to_numpy(float)
    n = districts["population"].fillna(20_000).to_numpy(float)
    np.testing.assert_allclose(empirical_bayes(e, n), Empirical_Bayes(e, n).r.ravel(), rtol=1e-10)
    weights.id_order = list(range(len(e)))  # esda insists on an explicit order
    np.testing.assert_allclose(spatial_empirical_bayes(e, n, weights),
                               Spatial_Empirical_Bayes(e, n, weights).r.ravel(), rtol=1e-9)


def test_zero_population_is_undefined_and_islands_fall_back():
    from libpysal.weights import W

    w = W({0: [1], 1: [0, 2], 2: [1], 3: []}, silence_warnings=True)  # 3 is an island
    e = np.array([2.0, 5.0, 0.0, 4.0])
    n = np.array([1000.0, 0.0, 800.0, 500.0])  # unit 1 has no population
    glob = empirical_bayes(e, n)
    local = spatial_empirical_bayes(e, n, w)
    assert np.isnan(glob[1]) and np.isnan(local[1])
    # 0 and 2 lose their only neighbour (undefined) and 3 has none: all take the global EB
    np.testing.assert_allclose(local[[0, 2, 3]], glob[[0, 2, 3]])
    assert np.isnan(spatial_empirical_bayes(e, n, w, island="nan")[[0, 2, 3]]).all()


def test_no_overdispersion_shrinks_to_the_mean_and_inputs_stay_unchanged():
    e = np.array([10.0, 20.0, 30.0])
    n = np.array([1000.0, 2000.0, 3000.0])  # identical rates: prior variance clamps to 0
    before = (e.copy(), n.copy())
    np.testing.assert_allclose(empirical_bayes(e, n), 0.01)
    np.testing.assert_array_equal(e, before[0])
    np.testing.assert_array_equal(n, before[1])
    assert np.isnan(empirical_bayes([1, 2], [0, np.nan])).all()
