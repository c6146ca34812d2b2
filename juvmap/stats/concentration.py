"""Crime concentration: the share of incidents in the top areas and the generalised Gini.

* ``top_<pct>``: the share of all incidents in the ``⌈pct · N⌉`` areas (or cells) with the
  most incidents, ``N`` the number of areas counted (zeros included).
* Gini ``G = Σ_i (2i − N − 1) x_(i) / (N Σx)`` over the ascending counts (0 = equal,
  → 1 = all in one area).
* Generalised Gini of Bernasco & Steenbeek (2017), "More places than crimes", *Journal of
  Quantitative Criminology* 33:451–467: with fewer incidents ``n`` than areas ``N`` the
  most equal possible spread (one incident in each of ``n`` areas) already has
  ``G = (N − n)/N``; the generalised Gini rescales that to 0:
  ``G' = (G − (N − n)/N) / (n/N) = G·N/n − (N − n)/n``. With ``n ≥ N``, ``G' = G``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["concentration", "generalised_gini", "gini"]


def gini(counts) -> float:
    """Standard Gini coefficient of non-negative counts (NaN for no incident)."""
    x = np.sort(np.asarray(counts, dtype=float))
    total, n = x.sum(), x.size
    if n == 0 or total <= 0:
        return float("nan")
    rank = np.arange(1, n + 1)
    return float(((2 * rank - n - 1) * x).sum() / (n * total))


def generalised_gini(counts) -> float:
    """Bernasco & Steenbeek's generalised Gini for sparse counts (see the module docstring)."""
    x = np.asarray(counts, dtype=float)
    g, areas, incidents = gini(x), x.size, x.sum()
    if not np.isfinite(g) or incidents >= areas:
        return g
    return float(g * areas / incidents - (areas - incidents) / incidents)


def concentration(counts: pd.Series, shares=(0.05, 0.10)) -> pd.Series:
    """Concentration figures of counts per area.

    Parameters
    ----------
    counts : pandas.Series
        Incidents per area or cell (zeros included, NaN dropped).
    shares : sequence of float
        Fractions of the areas for the "top" shares.

    Returns
    -------
    pandas.Series
        ``areas, incidents, gini, generalised_gini`` and per share ``top_<pct>_areas`` (how
        many areas) and ``top_<pct>_share`` (their part of the incidents).
    """
    x = pd.to_numeric(counts, errors="coerce").dropna().to_numpy(dtype=float)
    out = {"areas": int(x.size), "incidents": float(x.sum()), "gini": gini(x),
           "generalised_gini": generalised_gini(x)}
    ordered = np.sort(x)[::-1]
    for share in shares:
        k = int(math.ceil(share * x.size - 1e-9)) if x.size else 0
        key = f"top_{share * 100:g}"
        out[f"{key}_areas"] = k
        out[f"{key}_share"] = float(ordered[:k].sum() / x.sum()) if x.sum() > 0 else float("nan")
    return pd.Series(out)
