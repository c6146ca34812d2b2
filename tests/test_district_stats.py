"""Statistics on the 224 built-in districts: EB equals Marshall's formulas; enclaves reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from juvmap.io.boundaries import assign_districts, load_districts
from juvmap.io.coverage import contiguity_report
from juvmap.io.districts import district_rate_population
from juvmap.stats.smoothing import empirical_bayes, queen_weights, spatial_empirical_bayes


@pytest.fixture(scope="module")
def districts():
    return load_districts("full")


@pytest.fixture(scope="module")
def data(districts):
    """Counts of the demo incidents per district and the district populations (NaN = merged)."""
    from juvmap.io.demo import load_demo_incidents

    demo = load_demo_incidents()
    codes = assign_districts(demo.geometry.x.to_numpy(), demo.geometry.y.to_numpy())
    assert (codes != "").all()
    counts = pd.Series(codes).value_counts().reindex(districts["code"], fill_value=0)
    counts = counts.to_numpy(dtype=float)
    population = district_rate_population().reindex(districts["code"]).to_numpy()
    return counts, population


def marshall_global(e, n):
    ok = np.isfinite(n) & (n > 0)
    m = e[ok].sum() / n[ok].sum()
    r = e[ok] / n[ok]
    s2 = (n[ok] * (r - m) ** 2).sum() / n[ok].sum()
    a = max(s2 - m / n[ok].mean(), 0.0)
    out = np.full(e.shape, np.nan)
    out[ok] = m + a / (a + m / n[ok]) * (r - m)
    return out


def marshall_spatial(e, n, neighbours):
    ok = np.isfinite(n) & (n > 0)
    glob = marshall_global(e, n)
    out = np.full(e.shape, np.nan)
    for i in np.flatnonzero(ok):
        hood = [i] + [j for j in neighbours[i] if ok[j]]
        if len(hood) == 1:
            out[i] = glob[i]
            continue
        ee, nn = e[hood], n[hood]
        m = ee.sum() / nn.sum()
        s2 = (nn * (ee / nn - m) ** 2).sum() / nn.sum()
        a = max(s2 - m / (nn.sum() / len(hood)), 0.0)
        # a neighbourhood without any event: m = A = 0, the estimate is the mean (0)
        out[i] = m if a + m / n[i] == 0 else m + a / (a + m / n[i]) * (e[i] / n[i] - m)
    return out


def test_eb_and_spatial_eb_equal_marshall_on_224_districts(districts, data):
    counts, population = data
    assert len(counts) == 224 and counts.sum() > 1000
    eb = empirical_bayes(counts, population, 100_000)
    np.testing.assert_allclose(eb, marshall_global(counts, population) * 100_000, rtol=0, atol=1e-9)
    weights = queen_weights(load_districts("display"))  # same topology as the full layer
    neighbours = [list(weights.neighbors[i]) for i in range(224)]
    seb = spatial_empirical_bayes(counts, population, weights, 100_000)
    expected = marshall_spatial(counts, population, neighbours) * 100_000
    np.testing.assert_allclose(seb, expected, rtol=0, atol=1e-9)
    assert np.isnan(seb).sum() == np.isnan(population).sum() == 14  # merged: undefined, never 0


def test_enclaves_and_islands_are_reported(districts):
    report = contiguity_report(districts.geometry.to_numpy(), districts["code"])
    assert len(report) == 224 and not report["island"].any()
    names = districts.set_index("code")["name_en"]
    enclaves = {names[c]: names[o] for c, o in report["enclave_of"].items() if o}
    assert enclaves["Baykonyr"] == "Karmakshy"  # the leased city inside its district
    assert enclaves["Kokshetau"] == "Zerendi"
    assert len(enclaves) == 11
    assert "Karabalyk" not in enclaves  # one neighbour, but on the Russian border


def test_the_analysis_by_district(districts):
    from juvmap.analysis import AnalysisRequest, Sources, analyse

    sources = Sources.builtin()
    result = analyse(AnalysisRequest(level="districts", period=(2019, 2023), permutations=99,
                                     disclosure="internal"), sources)
    stats = result.areas
    assert result.denominator["multiplier"] == 100_000 and result.denominator["note"] == "no_juvenile_district"
    assert len(stats) == 224 and stats["count"].sum() == len(sources.incidents)
    merged = stats["population"].isna()
    assert merged.sum() == 14 and stats.loc[merged, "rate"].isna().all()
    assert stats.loc[~merged, "eb_rate"].notna().all()
