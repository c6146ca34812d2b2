"""Knox test: observed, expected and p equal a direct O(n²) count with the same permutations."""

from __future__ import annotations

import numpy as np
import pytest

from juvmap.errors import AnalysisError
from juvmap.stats.nearrepeat import band_labels, knox_test, parse_edges


def _brute_force(x, y, days, d_edges, t_edges, permutations, seed):
    """Every pair, every permutation, band by explicit comparisons of the edges."""
    n = days.size
    d_high = list(d_edges[1:]) + [np.inf]
    t_high = list(t_edges[1:]) + [np.inf]

    def table(d):
        out = np.zeros((len(d_edges), len(t_edges)))
        for i in range(n):
            for j in range(i + 1, n):
                dist = np.hypot(x[i] - x[j], y[i] - y[j])
                lag = abs(int(d[i]) - int(d[j]))
                for a, lo in enumerate(d_edges):
                    if lo <= dist < d_high[a]:
                        for b, tlo in enumerate(t_edges):
                            if tlo <= lag < t_high[b]:
                                out[a, b] += 1
        return out

    observed = table(days)
    rng = np.random.default_rng(seed)
    sims = np.array([table(days[rng.permutation(n)]) for _ in range(permutations)])
    expected = sims.mean(axis=0)
    p = (1 + (sims >= observed).sum(axis=0)) / (1 + permutations)
    return observed, expected, p


@pytest.mark.parametrize("d_edges,t_edges", [([0, 300, 600], [0, 5, 10]),
                                             ([100, 300, 600], [1, 5, 10])])
def test_knox_equals_direct_count(d_edges, t_edges):
    rng = np.random.default_rng(8)
    n = 45
    x, y = rng.uniform(0, 1500, n), rng.uniform(0, 1500, n)
    x[:6], y[:6] = 700 + rng.uniform(0, 50, 6), 700 + rng.uniform(0, 50, 6)  # a near-repeat cluster
    days = rng.integers(0, 40, n)
    days[:6] = 12 + np.arange(6) // 2
    d_edges, t_edges = np.array(d_edges, float), np.array(t_edges, float)
    result = knox_test(x, y, days, d_edges, t_edges, permutations=39, seed=4)
    observed, expected, p = _brute_force(x, y, days, d_edges, t_edges, 39, 4)
    shape = (len(d_edges), len(t_edges))
    np.testing.assert_array_equal(result["observed"].to_numpy().reshape(shape), observed)
    np.testing.assert_allclose(result["expected"].to_numpy().reshape(shape), expected)
    np.testing.assert_allclose(result["p"].to_numpy().reshape(shape), p)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.testing.assert_allclose(result["ratio"].to_numpy().reshape(shape), observed / expected)
    assert result.attrs == {"permutations": 39, "seed": 4, "n": n}


def test_band_labels_have_no_off_by_one():
    assert band_labels([0, 7, 14], "days") == ["0–6", "7–13", "≥ 14"]
    assert band_labels([0, 200, 400], "m") == ["[0, 200)", "[200, 400)", "≥ 400"]
    # two incidents exactly 7 days and 200 m apart fall in the second bands, not the first
    table = knox_test([0, 200], [0, 0], [0, 7], [0, 200, 400], [0, 7, 14], permutations=1)
    hit = table[table["observed"] == 1]
    assert hit[["distance_band", "time_band"]].values.tolist() == [["[200, 400)", "7–13"]]


def test_parse_edges_refuses_bad_input():
    np.testing.assert_array_equal(parse_edges("0,200, 400"), [0, 200, 400])
    for bad in ("", "0,200,100", "-1,5", "a,b"):
        with pytest.raises(AnalysisError):
            parse_edges(bad)
