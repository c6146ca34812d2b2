"""Funnel limits equal exact Poisson quantiles; concentration and the generalised Gini by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from juvmap.stats.concentration import concentration, generalised_gini, gini
from juvmap.stats.funnel import funnel_limits, funnel_points

RATE = 25 / 10_000  # events per person
POP = np.array([200.0, 1_000, 5_000, 20_000, 150_000])


def test_uninterpolated_limits_are_exact_poisson_quantiles():
    limits = funnel_limits(POP, RATE, interpolate=False, multiplier=10_000)
    for level, tail in ((0.95, 0.025), (0.998, 0.001)):
        pct = f"{level * 100:g}"
        np.testing.assert_allclose(limits[f"low_{pct}"], stats.poisson.ppf(tail, RATE * POP) / POP * 1e4)
        np.testing.assert_allclose(limits[f"high_{pct}"], stats.poisson.ppf(1 - tail, RATE * POP) / POP * 1e4)
    # the same quantile from the chi-squared relation P(X ≤ k) = 1 − chi2.cdf(2λ, 2k + 2)
    k = limits["high_95"].to_numpy() * POP / 1e4
    assert (stats.chi2.sf(2 * RATE * POP, 2 * k + 2) >= 0.975).all()
    assert (stats.chi2.sf(2 * RATE * POP, 2 * k) < 0.975).all()


def test_interpolated_limits_follow_spiegelhalter():
    smooth = funnel_limits(POP, RATE)
    step = funnel_limits(POP, RATE, interpolate=False)
    lam = RATE * POP
    y = stats.poisson.ppf(0.975, lam)
    alpha = (stats.poisson.cdf(y, lam) - 0.975) / (stats.poisson.cdf(y, lam) - stats.poisson.cdf(y - 1, lam))
    np.testing.assert_allclose(smooth["high_95"], (y - alpha) / POP * 1e4)
    assert (smooth["high_95"] <= step["high_95"] + 1e-12).all()
    assert (smooth["high_99.8"] > smooth["high_95"]).all() and (smooth["low_99.8"] <= smooth["low_95"]).all()
    width = (smooth["high_95"] - smooth["low_95"]).to_numpy()
    assert (np.diff(width) < 0).all()  # the funnel narrows as the population grows


def test_funnel_points_flag_outliers():
    population = pd.Series([100_000.0, 100_000, 100_000, 2_000, 0], index=list("ABCDE"))
    counts = pd.Series([250, 330, 180, 9, 3], index=list("ABCDE"))
    table = funnel_points(counts, population, reference_rate=RATE)
    assert table["flag"].to_dict() == {"A": "within", "B": "above_998", "C": "below_998",
                                       "D": "within", "E": "undefined"}
    assert table.attrs["reference_rate"] == pytest.approx(25)
    assert np.isnan(table.loc["E", "rate"])


def test_gini_and_generalised_gini_by_hand():
    assert gini([0, 0, 0, 1, 1]) == pytest.approx(0.6)  # (N − n)/N, the most equal spread of 2 in 5
    assert generalised_gini([0, 0, 0, 1, 1]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 0, 2]) == pytest.approx(0.8)
    assert generalised_gini([0, 0, 0, 0, 2]) == pytest.approx(0.8 * 5 / 2 - 3 / 2)
    assert generalised_gini([3, 3, 3]) == pytest.approx(0.0) == gini([3, 3, 3])
    assert generalised_gini([1, 2, 3, 4]) == gini([1, 2, 3, 4])  # n ≥ N: the ordinary Gini


def test_top_shares():
    counts = pd.Series(np.arange(1, 21, dtype=float))
    result = concentration(counts)
    assert result["top_5_areas"] == 1 and result["top_5_share"] == pytest.approx(20 / 210)
    assert result["top_10_areas"] == 2 and result["top_10_share"] == pytest.approx(39 / 210)
    assert result["areas"] == 20 and result["incidents"] == 210
