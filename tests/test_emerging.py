"""Emerging hot spots: Gi* equals esda, Mann-Kendall equals pymannkendall, every category."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymannkendall
import pytest
from libpysal.weights import lat2W

from juvmap.stats.cells import cell_grid
from juvmap.stats.emerging import (
    CATEGORY_LABELS,
    classify_series,
    emerging_hotspots,
    gi_star_z,
    mann_kendall,
    step_counts,
)


def test_gi_star_z_equals_esda_on_a_lattice():
    from esda.getisord import G_Local

    rng = np.random.default_rng(5)
    w = lat2W(8, 7, rook=False)
    counts = rng.poisson(4, size=(56, 3)).astype(float)
    z = gi_star_z(counts, w)
    for step in range(3):
        g = G_Local(counts[:, step], w, transform="B", star=True, permutations=0)
        np.testing.assert_allclose(z[:, step], g.Zs, rtol=1e-10, atol=1e-12)


def test_mann_kendall_equals_pymannkendall_with_and_without_ties():
    rng = np.random.default_rng(11)
    rows = [rng.normal(size=24).cumsum(), rng.integers(0, 4, size=30).astype(float),
            np.arange(12.0), np.r_[np.ones(6), np.zeros(6)], rng.normal(size=9)]
    for row in rows:
        ours = mann_kendall(row).iloc[0]
        ref = pymannkendall.original_test(row)
        assert ours["mk_s"] == ref.s
        assert ours["mk_var"] == pytest.approx(ref.var_s)
        assert ours["mk_z"] == pytest.approx(ref.z)
        assert ours["mk_p"] == pytest.approx(ref.p)
        assert ours["mk_trend"] == ref.trend


HOT = 3.0
HAND_MADE = {
    "new_hot": [0] * 9 + [HOT],
    "consecutive_hot": [0] * 7 + [HOT] * 3,
    "intensifying_hot": list(np.linspace(2.2, 6.0, 10)),
    "persistent_hot": [3, 2.5] * 5,
    "diminishing_hot": list(np.linspace(6.0, 2.2, 10)),
    "sporadic_hot": [HOT, 0, HOT, 0, 0, HOT, 0, 0, 0, HOT],
    "oscillating_hot": [-HOT, 0, HOT, 0, 0, 0, 0, 0, 0, HOT],
    "historical_hot": [HOT] * 9 + [0],
    "none": [0, 1, -1, 0.5, 0, 1.2, -1.5, 0, 0.3, 1.0],
}
HAND_MADE.update({k.replace("_hot", "_cold"): [-v for v in s] for k, s in list(HAND_MADE.items())
                  if k.endswith("_hot")})


def test_each_category_on_hand_made_series():
    codes = list(HAND_MADE)
    got = classify_series(np.array([HAND_MADE[c] for c in codes], dtype=float))
    assert dict(zip(codes, got, strict=True)) == {c: c for c in codes}
    assert set(codes) == set(CATEGORY_LABELS)  # all 17 categories are hit


def test_consecutive_needs_no_earlier_hot_step_and_90_percent_rule():
    # hot before the final run → sporadic, not consecutive
    got = classify_series(np.array([[HOT, 0, 0, 0, 0, 0, 0, HOT, HOT, HOT]]))
    assert got[0] == "sporadic_hot"
    # 9 of 10 hot including the final → persistent (90 % rule), not consecutive
    got = classify_series(np.array([[0] + [HOT] * 9]))
    assert got[0] == "persistent_hot"


def test_emerging_hotspots_finds_an_intensifying_cluster_on_a_lattice():
    rng = np.random.default_rng(2)
    w = lat2W(10, 10, rook=False)
    steps = 12
    counts = rng.poisson(10, size=(100, steps)).astype(float)
    cluster = [44, 45, 54, 55]
    counts[cluster] += np.linspace(15, 60, steps)  # growing excess from the first step
    table = emerging_hotspots(pd.DataFrame(counts, columns=[f"t{i}" for i in range(steps)]), w)
    assert set(table.loc[cluster, "category"]) == {"intensifying_hot"}
    assert (table.loc[cluster, "trend_z"] > 0).all()
    assert list(table.columns[:6]) == ["category", "trend_z", "trend_p", "hot_steps", "cold_steps", "final_z"]
    assert table.filter(like="z_t").shape[1] == steps


def test_step_counts_fill_every_step():
    dates = pd.to_datetime(["2021-01-10", "2021-07-01", "2022-12-31", "2021-02-01"])
    table = step_counts(dates, ["A", "B", "A", "C"], ["A", "B"], "quarter")
    assert list(table.columns) == [f"{y}Q{q}" for y in (2021, 2022) for q in range(1, 5)]
    assert table.loc["A"].tolist() == [1, 0, 0, 0, 0, 0, 0, 1]
    assert table.loc["B", "2021Q3"] == 1 and int(table.to_numpy().sum()) == 3  # C not asked for


@pytest.mark.parametrize("shape,neighbours", [("square", 8), ("hex", 6)])
def test_cell_grid_contiguity_and_ring(shape, neighbours):
    x = np.array([50.0, 5100.0, np.nan])
    y = np.array([50.0, 5200.0, 1.0])
    ids, cells, adjacency = cell_grid(x, y, 1000.0, shape)
    assert ids[2] == "" and ids[0] != ids[1]
    assert cells["occupied"].sum() == 2
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    occupied = np.flatnonzero(cells["occupied"].to_numpy())
    assert (degree[occupied] == neighbours).all()  # the ring gives every occupied cell all its neighbours
    assert len(cells) == 2 * (neighbours + 1)
    for code, point in zip(ids[:2], [(50, 50), (5100, 5200)], strict=True):
        import shapely

        assert cells.loc[code, "geometry"].contains(shapely.Point(point))
