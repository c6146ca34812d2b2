"""Near-repeat analysis: the Knox test with Monte Carlo inference (as Ratcliffe's calculator).

Every pair of incidents is put in a distance band and a time band. The observed count of
pairs per band is compared with its expectation under no space-time interaction, estimated
by permuting the dates among the incidents (locations fixed) ``permutations`` times with a
fixed seed (``numpy.random.default_rng(seed).permutation(n)``, one call per permutation).

Bands (no off-by-one): the user gives the lower **edges** ``e0 < e1 < … < ek``. Band ``i``
is the half-open interval ``[e_i, e_{i+1})`` and the last band is ``[e_k, ∞)``. Time is the
whole number of days between the two dates, so the time band ``[0, 7)`` holds pairs 0 to 6
days apart and is labelled ``"0–6"``: every band of width 7 holds exactly 7 day
differences. (The Near Repeat Calculator labels its first band "0 to 7" and the next
"8 to 14", so its first band is one day wider than the others; here all are equal.)
Distance bands are labelled ``"[0, 200)"`` … ``"≥ 400"`` in metres. Pairs closer in time
than ``e0`` or in space than ``e0`` are left out.

Speed: only the pairs closer than the last distance edge are listed (``scipy`` KD-tree);
the pairs of the open last band are the total of each time band minus the close pairs —
the multiset of all pairwise time differences does not change under a permutation, so the
totals are computed once from the sorted days.

The p-value is ``(1 + #{permutations with count ≥ observed}) / (1 + permutations)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.progress import CancelToken, ProgressCallback, check, report

__all__ = ["band_labels", "knox_test", "parse_edges"]


def parse_edges(text: str) -> np.ndarray:
    """Read comma-separated, strictly increasing, non-negative band edges ("0,200,400")."""
    try:
        edges = np.array([float(v) for v in str(text).split(",") if v.strip()], dtype=float)
    except ValueError:
        edges = np.array([])
    if edges.size < 1 or (edges < 0).any() or (np.diff(edges) <= 0).any():
        raise AnalysisError(_("Cannot read the band edges {text}: give increasing numbers "
                              "separated by commas, such as 0,200,400.").format(text=text))
    return edges


def band_labels(edges, unit: str = "m") -> list[str]:
    """Labels of the bands of :func:`knox_test` (see the module docstring)."""
    edges = np.asarray(edges, dtype=float)
    labels = []
    for i, lo in enumerate(edges):
        if unit == "days":
            labels.append(f"{lo:g}–{edges[i + 1] - 1:g}" if i + 1 < edges.size else f"≥ {lo:g}")
        else:
            labels.append(f"[{lo:g}, {edges[i + 1]:g})" if i + 1 < edges.size else f"≥ {lo:g}")
    return labels


def _band_index(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Band of each value, −1 below the first edge."""
    return np.searchsorted(edges, values, side="right") - 1


def _time_totals(days: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Number of all pairs per time band (invariant under permutation)."""
    sorted_days = np.sort(days)
    n = days.size
    at_least = []
    for e in edges:  # pairs with |Δt| ≥ e: for each i, js with d_j ≥ d_i + e
        if e <= 0:
            at_least.append(n * (n - 1) // 2)
            continue
        first = np.searchsorted(sorted_days, sorted_days + e, side="left")
        at_least.append(int((n - first).sum()))
    at_least.append(0)
    return -np.diff(np.asarray(at_least, dtype=np.int64))


def knox_test(x, y, days, distance_edges, day_edges, permutations: int = 999,
              seed: int = 20240917, progress: ProgressCallback | None = None,
              cancel: CancelToken | None = None) -> pd.DataFrame:
    """Knox test of space-time interaction with Monte Carlo expected counts.

    Parameters
    ----------
    x, y : array-like of float
        Coordinates in metres (a projected CRS).
    days : array-like of int
        Date of each incident as a day number (e.g. days since 1970-01-01).
    distance_edges, day_edges : array-like of float
        Lower edges of the distance bands (metres) and time bands (days).
    permutations : int
        Monte Carlo permutations of the days.
    seed : int
        Seed of ``numpy.random.default_rng``.
    progress, cancel : optional
        Reported and checked every 1/50 of the permutations (:mod:`juvmap.progress`).

    Returns
    -------
    DataFrame
        One row per distance band × time band: ``distance_band, time_band`` (labels),
        ``distance_low, distance_high, days_low, days_high`` (``high`` exclusive, inf for
        the last), ``observed, expected`` (mean over permutations), ``ratio``
        (observed/expected) and ``p``. ``attrs``: ``permutations``, ``seed``, ``n``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    days = np.asarray(days, dtype=np.int64)
    d_edges, t_edges = np.asarray(distance_edges, float), np.asarray(day_edges, float)
    n = days.size
    if n < 2:
        raise AnalysisError(_("The near-repeat test needs at least two dated incidents."))
    nd, nt = d_edges.size, t_edges.size
    close_r = d_edges[-1]
    if close_r > 0:
        pairs = cKDTree(np.column_stack([x, y])).query_pairs(close_r, output_type="ndarray")
    else:
        pairs = np.empty((0, 2), dtype=np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    dist = np.hypot(x[i] - x[j], y[i] - y[j])
    dband = _band_index(dist, d_edges)
    keep = dband < nd - 1  # band −1 (closer than the first edge) is kept to be left out below
    i, j, dband = i[keep], j[keep], dband[keep] + 1
    max_lag = int(days.max() - days.min())
    signed = np.abs(np.arange(-max_lag, max_lag + 1, dtype=float))
    lag_band = _band_index(signed, t_edges)  # lookup by Δt + max_lag (no abs per pair)
    cell_of_lag = np.where(lag_band >= 0, lag_band, nt).astype(np.int32)  # nt: too close in time
    base = (dband * (nt + 1)).astype(np.int32)
    size = nd * (nt + 1)
    i, j = i.astype(np.int32), j.astype(np.int32)

    def close_counts(d: np.ndarray) -> np.ndarray:
        """Pairs per (too close, band 0 … nd−2) × time band of the close pairs."""
        cells = cell_of_lag[d[i] - d[j] + max_lag]
        cells += base
        table = np.bincount(cells, minlength=size).reshape(nd, nt + 1)
        return table[:, :nt]

    rel = (days - days.min()).astype(np.int32)
    observed_close = close_counts(rel)  # row 0: closer than the first edge
    rng = np.random.default_rng(seed)
    at_least = np.zeros_like(observed_close)
    total = np.zeros(observed_close.shape, dtype=float)
    observed_sum = observed_close.sum(axis=0)
    far_at_least = np.zeros(nt, dtype=np.int64)
    every = max(permutations // 50, 1)
    for k in range(permutations):
        if k % every == 0:
            check(cancel)
            report(progress, k / permutations, _("Permutations: {k} of {n}").format(k=k, n=permutations))
        simulated = close_counts(rel[rng.permutation(n)])
        total += simulated
        at_least += simulated >= observed_close
        # the open last band's count ≥ observed ⟺ the close pairs' count ≤ observed
        far_at_least += simulated.sum(axis=0) <= observed_sum
    time_totals = _time_totals(rel, t_edges)
    expected_close = total / max(permutations, 1)
    # open last distance band: all pairs of the time band minus the close ones
    observed = np.vstack([observed_close[1:], time_totals - observed_close.sum(axis=0)])
    expected = np.vstack([expected_close[1:], time_totals - expected_close.sum(axis=0)])
    at_least = np.vstack([at_least[1:], far_at_least])
    return _knox_frame(d_edges, t_edges, observed, expected, at_least, permutations, seed, n)


def _knox_frame(d_edges, t_edges, observed, expected, at_least, permutations, seed, n):
    d_labels, t_labels = band_labels(d_edges, "m"), band_labels(t_edges, "days")
    d_high = np.append(d_edges[1:], np.inf)
    t_high = np.append(t_edges[1:], np.inf)
    rows = []
    for a in range(d_edges.size):
        for b in range(t_edges.size):
            obs, exp = float(observed[a, b]), float(expected[a, b])
            rows.append({
                "distance_band": d_labels[a], "time_band": t_labels[b],
                "distance_low": d_edges[a], "distance_high": d_high[a],
                "days_low": t_edges[b], "days_high": t_high[b],
                "observed": int(round(obs)), "expected": exp,
                "ratio": obs / exp if exp > 0 else np.nan,
                "p": (1 + int(at_least[a, b])) / (1 + permutations),
            })
    out = pd.DataFrame(rows)
    out.attrs.update(permutations=int(permutations), seed=int(seed), n=int(n))
    return out
