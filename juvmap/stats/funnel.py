"""Funnel plot of rates against population with exact Poisson control limits.

Spiegelhalter (2005), "Funnel plots for comparing institutional performance", *Statistics
in Medicine* 24:1185–1202, section 3 (Poisson outcomes). Around the reference ("national")
rate ``θ``, the expected count of an area of population ``n`` is ``λ = θ n``. For a
two-sided level ``1 − 2p`` (95 % → ``p = 0.025``, 99.8 % → ``p = 0.001``), the limit
``y_p`` is the ``p`` quantile of Poisson(λ) (``scipy.stats.poisson.ppf``). Because counts
are discrete, Spiegelhalter's interpolation gives smooth limits:

    α = (F(y_p) − p) / (F(y_p) − F(y_p − 1)),   limit = (y_p − α) / n

with ``F`` the Poisson cdf. ``interpolate=False`` returns ``y_p / n`` (the bare quantile).
An area is flagged by where its rate lies against the limits: ``"above_998"``,
``"above_95"``, ``"within"``, ``"below_95"``, ``"below_998"`` (``"undefined"`` without
population).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["FUNNEL_LEVELS", "funnel_limits", "funnel_points"]

#: two-sided coverage of the limits drawn
FUNNEL_LEVELS = (0.95, 0.998)


def _limit(expected: np.ndarray, population: np.ndarray, p: float, interpolate: bool) -> np.ndarray:
    y = stats.poisson.ppf(p, expected)
    if not interpolate:
        return y / population
    f_y = stats.poisson.cdf(y, expected)
    f_below = stats.poisson.cdf(y - 1, expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(f_y > f_below, (f_y - p) / (f_y - f_below), 0.0)
    return np.maximum(y - alpha, 0.0) / population


def funnel_limits(population, reference_rate: float, levels=FUNNEL_LEVELS,
                  multiplier: float = 10_000, interpolate: bool = True) -> pd.DataFrame:
    """Control limits of the rate at each population size.

    Parameters
    ----------
    population : array-like of float
        Population sizes (> 0) at which to compute the limits (e.g. ``np.geomspace``).
    reference_rate : float
        Events per person (the national rate).
    levels : sequence of float
        Two-sided coverages, e.g. (0.95, 0.998).
    multiplier : float
        Rates per ``multiplier`` people.
    interpolate : bool
        Spiegelhalter's interpolation between the discrete quantiles.

    Returns
    -------
    DataFrame
        ``population``, ``expected`` and per level ``low_<pct>``/``high_<pct>`` (rates per
        ``multiplier``; ``pct`` = "95", "99.8").
    """
    n = np.asarray(population, dtype=float)
    expected = reference_rate * n
    out = pd.DataFrame({"population": n, "expected": expected})
    for level in levels:
        tail = (1 - level) / 2
        pct = f"{level * 100:g}"
        out[f"low_{pct}"] = _limit(expected, n, tail, interpolate) * multiplier
        out[f"high_{pct}"] = _limit(expected, n, 1 - tail, interpolate) * multiplier
    return out


def funnel_points(counts: pd.Series, population: pd.Series, multiplier: float = 10_000,
                  reference_rate: float | None = None, levels=FUNNEL_LEVELS) -> pd.DataFrame:
    """Each area's rate, its limits and where it lies.

    Parameters
    ----------
    counts, population : pandas.Series
        Indexed by area code (aligned on it).
    multiplier : float
        Rates per ``multiplier`` people.
    reference_rate : float, optional
        Events per person; by default the pooled rate of the areas with a population.
    levels : (float, float)
        Inner and outer coverage.

    Returns
    -------
    DataFrame
        Indexed by code: ``count, population, rate, expected, low_*, high_*, flag``;
        ``attrs["reference_rate"]`` per ``multiplier``.
    """
    count = pd.to_numeric(counts, errors="coerce").astype(float)
    pop = pd.to_numeric(population, errors="coerce").astype(float).reindex(count.index)
    defined = (pop > 0) & count.notna()
    if reference_rate is None:
        reference_rate = float(count[defined].sum() / pop[defined].sum()) if defined.any() else np.nan
    safe_pop = pop.where(defined, 1.0).to_numpy()
    limits = funnel_limits(safe_pop, reference_rate, levels, multiplier)
    limits.index = count.index
    rate = (count / pop * multiplier).where(defined)
    inner, outer = (f"{lv * 100:g}" for lv in levels)
    flag = np.select(
        [rate > limits[f"high_{outer}"], rate > limits[f"high_{inner}"],
         rate < limits[f"low_{outer}"], rate < limits[f"low_{inner}"]],
        [f"above_{outer.replace('.', '')}", f"above_{inner}",
         f"below_{outer.replace('.', '')}", f"below_{inner}"], "within")
    out = pd.concat([pd.DataFrame({"count": count, "population": pop, "rate": rate}),
                     limits.drop(columns="population")], axis=1)
    out.loc[~defined, out.columns[3:]] = np.nan
    out["flag"] = np.where(defined, flag, "undefined")
    out.index.name = "code"
    out.attrs["reference_rate"] = reference_rate * multiplier
    return out
