"""LISA and Gi* on crafted lattices, FDR against a hand-written reference, low power."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from libpysal.weights import W, lat2W

from juvmap.stats.hotspots import (
    fdr_adjust,
    getis_ord,
    hotspot_statistics,
    local_moran,
    low_power_warning,
)
from juvmap.stats.smoothing import queen_weights

SIDE = 10


def lattice_values(seed: int = 1) -> np.ndarray:
    """10 × 10 queen lattice: a 3 × 3 block of high values in the top-left corner,
    a 3 × 3 block of low values in the bottom-right, noise elsewhere."""
    rng = np.random.default_rng(seed)
    grid = rng.normal(10.0, 1.0, (SIDE, SIDE))
    grid[:3, :3] = rng.normal(30.0, 1.0, (3, 3))
    grid[-3:, -3:] = rng.normal(1.0, 0.2, (3, 3))
    return grid.ravel()


def block(rows, cols) -> list[int]:
    return [r * SIDE + c for r in rows for c in cols]


HOT = block(range(3), range(3))
COLD = block(range(7, 10), range(7, 10))


@pytest.fixture(scope="module")
def lattice():
    return lat2W(SIDE, SIDE, rook=False)


def test_lisa_finds_the_high_high_block(lattice):
    values = lattice_values()
    before = values.copy()
    out = local_moran(values, lattice)
    np.testing.assert_array_equal(values, before)
    assert out.loc[HOT[0], "lisa_quadrant"] == "HH"  # the corner's neighbours are all high
    assert (out.loc[HOT, "lisa_quadrant"] == "HH").all()
    assert (out.loc[COLD, "lisa_quadrant"] == "LL").all()
    assert "HH" not in set(out.loc[COLD, "lisa_quadrant"])
    assert out.attrs["low_power"] == ""  # 100 units


def test_lisa_is_reproducible_with_the_seed(lattice):
    values = lattice_values()
    a = local_moran(values, lattice)
    b = local_moran(values, lattice)
    np.testing.assert_array_equal(a["lisa_p"], b["lisa_p"])
    assert not np.array_equal(a["lisa_p"], local_moran(values, lattice, seed=7)["lisa_p"])


def test_gi_star_signs_and_bins(lattice):
    out = getis_ord(lattice_values(), lattice)
    assert (out.loc[HOT, "gi_z"] > 0).all()
    assert (out.loc[COLD, "gi_z"] < 0).all()
    assert out.loc[HOT[0], "gi_bin"] == 3
    assert (out.loc[HOT, "gi_bin"] == 3).all()
    assert (out.loc[COLD, "gi_bin"] == -3).all()
    assert set(out["gi_bin"]) <= {-3, -2, -1, 0, 1, 2, 3}
    # bins follow the two-sided p thresholds and the sign of z
    sig = out["gi_bin"] != 0
    assert (np.sign(out.loc[sig, "gi_bin"]) == np.sign(out.loc[sig, "gi_z"])).all()
    assert (out.loc[out["gi_bin"].abs() == 3, "gi_p"] <= 0.01).all()
    assert (out.loc[out["gi_bin"] == 0, "gi_p"] > 0.10).all()


def bh_reference(p):
    """Benjamini–Hochberg adjusted p-values by the textbook step-up loop."""
    n = len(p)
    order = sorted(range(n), key=lambda i: p[i])
    adjusted = [0.0] * n
    running = 1.0
    for rank in range(n, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * n / rank)
        adjusted[i] = running
    return adjusted


def test_fdr_adjust_matches_the_reference_and_esda_cutoff():
    from esda import fdr

    rng = np.random.default_rng(5)
    p = np.concatenate([rng.uniform(0, 0.01, 10), rng.uniform(0, 1, 90)])
    q = fdr_adjust(p)
    np.testing.assert_allclose(q, bh_reference(list(p)))
    for alpha in (0.05, 0.1):
        assert set(np.flatnonzero(q <= alpha)) == set(np.flatnonzero(p <= fdr(p, alpha)))
    assert np.isnan(fdr_adjust([0.01, np.nan]))[1]


def test_fdr_never_adds_significant_units(lattice):
    values = lattice_values()
    raw = local_moran(values, lattice)
    corrected = local_moran(values, lattice, fdr=True)
    assert (corrected["lisa_quadrant"] != "ns").sum() <= (raw["lisa_quadrant"] != "ns").sum()
    assert (corrected["lisa_q"] >= corrected["lisa_p"]).all()


def test_islands_and_undefined_values():
    neighbours = {i: [j for j in (i - 1, i + 1) if 0 <= j < 6] for i in range(6)}
    neighbours[6] = []  # an island
    w = W(neighbours, silence_warnings=True)
    values = np.array([5.0, 6.0, np.nan, 1.0, 2.0, 1.5, 9.0])
    out = hotspot_statistics(values, w, permutations=99)
    assert out.loc[6, "lisa_quadrant"] == "island" and np.isnan(out.loc[6, "lisa_p"])
    assert out.loc[2, "lisa_quadrant"] == "undefined" and np.isnan(out.loc[2, "gi_z"])
    assert out.loc[[2, 6], "gi_bin"].tolist() == [0, 0]
    assert out[["lisa_p", "gi_p"]].drop(index=[2, 6]).notna().all().all()
    assert "5" in out.attrs["low_power"]  # five tested units


@pytest.mark.parametrize("value", [0.0, 2.5])
def test_constant_values_are_never_significant(lattice, value):
    out = hotspot_statistics(np.full(SIDE * SIDE, value), lattice, permutations=99)
    assert (out["lisa_quadrant"] == "ns").all() and (out["gi_bin"] == 0).all()
    assert out[["lisa_p", "gi_p"]].isna().all().all()


def test_low_power_warning_on_the_20_regions(shared):
    regions = gpd.read_file(shared / "geodata" / "kaz_adm1_2024.gpkg")
    w = queen_weights(regions)
    values = np.random.default_rng(0).gamma(3.0, 1.0, len(regions))
    out = hotspot_statistics(values, w)
    assert out.attrs["low_power"] == low_power_warning(20) != ""
    assert "20" in out.attrs["low_power"]
    assert low_power_warning(30) == ""
