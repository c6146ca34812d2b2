"""Empirical Bayes rate smoothing (Marshall 1991): global and spatial (local).

Small populations give unstable crude rates; EB shrinks each rate towards a reference
mean — the pooled rate of all units (global) or of the unit and its contiguous
neighbours (spatial) — the more, the smaller the unit's population.

Why not ``esda.smoothing``: its ``Empirical_Bayes`` does not clamp a negative prior
variance (it can return rates beyond the data, even negative ones) and both esda
smoothers turn every estimate into NaN as soon as one population is missing. Here the
formulas are computed on the defined units only:

* a unit with zero or missing population (or a missing count) is undefined: NaN, never 0,
  and it does not enter any reference mean or variance;
* the prior variance ``A = s² − m / n̄`` is clamped at 0 (then the estimate is the mean);
* an island — a unit with no defined neighbour — gets the **global** EB estimate
  (``island="global"``, the default) or NaN (``island="nan"``).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["empirical_bayes", "queen_weights", "spatial_empirical_bayes", "neighbour_matrix"]


def queen_weights(polygons: gpd.GeoDataFrame):
    """Queen contiguity weights of ``polygons`` in row order (ids 0 … n−1).

    Uses ``libpysal.weights.Queen.from_dataframe(..., use_index=False)``; invalid
    geometries are repaired with ``make_valid`` on a copy first. Islands are allowed.
    """
    from libpysal.weights import Queen

    geoms = polygons.geometry
    if not geoms.is_valid.all():
        polygons = polygons.set_geometry(geoms.make_valid())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Queen.from_dataframe(polygons, use_index=False, silence_warnings=True)


def neighbour_matrix(weights) -> sparse.csr_matrix:
    """Binary neighbour matrix (no self links) of a libpysal ``W`` or ``Graph``."""
    if hasattr(weights, "sparse"):
        mat = weights.sparse
    else:  # pragma: no cover - defensive
        raise TypeError("weights must be a libpysal W or Graph")
    mat = sparse.csr_matrix(mat, dtype=float)
    mat.data = (mat.data != 0).astype(float)
    mat.setdiag(0)
    mat.eliminate_zeros()
    return mat


def _defined(counts, population) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    e = np.asarray(pd.to_numeric(pd.Series(np.asarray(counts)), errors="coerce"), dtype=float)
    n = np.asarray(pd.to_numeric(pd.Series(np.asarray(population)), errors="coerce"), dtype=float)
    if e.shape != n.shape:
        raise ValueError("counts and population must have the same length")
    ok = np.isfinite(e) & np.isfinite(n) & (n > 0)
    return np.where(ok, e, 0.0), np.where(ok, n, 0.0), ok


def _shrink(rate, mean, variance_a, n):
    """``mean + A / (A + mean / n) * (rate - mean)``; the mean where that is 0/0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        noise = mean / n
        weight = np.where(variance_a + noise > 0, variance_a / (variance_a + noise), 0.0)
    return mean + weight * (rate - mean)


def empirical_bayes(counts, population, multiplier: float = 1.0) -> np.ndarray:
    """Global Empirical Bayes rates (Marshall 1991, method of moments).

    With ``m = Σe / Σn``, ``s² = Σ n_i (r_i − m)² / Σn``, ``A = max(s² − m / n̄, 0)``:
    ``θ_i = m + A / (A + m / n_i) · (r_i − m)``, sums over defined units.

    Parameters
    ----------
    counts, population : array-like
        Events and population at risk per unit (same order).
    multiplier : float
        Scale of the returned rates (e.g. 10,000).

    Returns
    -------
    ndarray
        Smoothed rates; NaN where the population is zero or missing.
    """
    e, n, ok = _defined(counts, population)
    out = np.full(e.shape, np.nan)
    if not ok.any():
        return out
    m = e.sum() / n.sum()
    r = e[ok] / n[ok]
    s2 = np.sum(n[ok] * (r - m) ** 2) / n.sum()
    a = max(s2 - m / n[ok].mean(), 0.0)
    out[ok] = _shrink(r, m, a, n[ok]) * multiplier
    return out


def spatial_empirical_bayes(
    counts, population, weights, multiplier: float = 1.0, island: str = "global"
) -> np.ndarray:
    """Spatial (local) Empirical Bayes rates (Marshall 1991).

    The reference of unit *i* is its neighbourhood ``N_i`` = *i* plus its contiguous
    neighbours, restricted to defined units: ``m_i = Σe / Σn``,
    ``s²_i = Σ n_j (r_j − m_i)² / Σn``, ``n̄_i = Σn / |N_i|``,
    ``A_i = max(s²_i − m_i / n̄_i, 0)`` and ``θ_i = m_i + A_i / (A_i + m_i / n_i) · (r_i − m_i)``.

    Parameters
    ----------
    counts, population : array-like
        Events and population at risk, in the row order of ``weights``.
    weights : libpysal W or Graph
        Contiguity; only which pairs are neighbours matters (weights are binarised).
    multiplier : float
        Scale of the returned rates.
    island : {"global", "nan"}
        Result for units without a defined neighbour: the global EB rate or NaN.

    Returns
    -------
    ndarray
        Smoothed rates; NaN where the population is zero or missing.
    """
    if island not in ("global", "nan"):
        raise ValueError(f"island must be 'global' or 'nan', not {island!r}")
    e, n, ok = _defined(counts, population)
    adj = neighbour_matrix(weights)
    if adj.shape[0] != e.shape[0]:
        raise ValueError("weights and data differ in length")
    hood = adj + sparse.identity(e.shape[0], format="csr")
    okf = ok.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(ok, e / n, 0.0)
        sum_e = hood @ e
        sum_n = hood @ n
        size = hood @ okf
        m = sum_e / sum_n
        s2 = (hood @ np.where(ok, e * r, 0.0)) / sum_n - m**2
        a = np.maximum(s2 - m / (sum_n / size), 0.0)
        theta = _shrink(r, m, a, n)
    out = np.where(ok, theta * multiplier, np.nan)
    lonely = ok & ((adj @ okf) == 0)
    if lonely.any():
        out[lonely] = empirical_bayes(counts, population, multiplier)[lonely] if island == "global" else np.nan
    return out
