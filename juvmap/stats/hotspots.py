"""Local spatial autocorrelation of a rate: Local Moran (LISA) and Getis-Ord Gi*.

Both run esda's conditional permutation inference (999 permutations, fixed seed) on the
units with a defined value that have at least one defined neighbour; the others are
reported as ``"undefined"`` or ``"island"`` (no test, NaN statistics).

* LISA (``esda.Moran_Local``, row-standardised weights): ``lisa_p`` is esda's folded
  pseudo p-value (the GeoDa convention); a unit is significant at ``p ≤ alpha`` and
  labelled HH, LL, HL or LH, otherwise ``"ns"``.
* Gi* (``esda.G_Local(star=True)``, binary weights with the unit itself): ``gi_z`` is the
  analytical z-score, ``gi_p`` the two-sided pseudo p-value (2 × folded p, at most 1),
  and ``gi_bin`` the ArcGIS-style class ±3/±2/±1 at 99/95/90 % confidence, 0 otherwise.

With ``fdr=True`` the p-values are Benjamini–Hochberg adjusted before the thresholds
(reported in ``lisa_q`` / ``gi_q``). Fewer than 30 tested units give a low-power warning.
When all tested values are equal there is nothing to test: p-values are NaN, all "ns" / 0.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import sparse

from juvmap.i18n import N_, _
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.stats.smoothing import neighbour_matrix

__all__ = [
    "GI_BIN_LABELS",
    "LOW_POWER_UNITS",
    "QUADRANT_LABELS",
    "fdr_adjust",
    "getis_ord",
    "hotspot_statistics",
    "local_moran",
    "low_power_warning",
]

LOW_POWER_UNITS = 30

QUADRANT_LABELS: dict[str, str] = {
    "HH": N_("High–High cluster"),
    "LL": N_("Low–Low cluster"),
    "HL": N_("High–Low outlier"),
    "LH": N_("Low–High outlier"),
    "ns": N_("Not significant"),
    "island": N_("No neighbours"),
    "undefined": N_("Undefined"),
}

GI_BIN_LABELS: dict[int, str] = {
    3: N_("Hot spot, confidence 99%"),
    2: N_("Hot spot, confidence 95%"),
    1: N_("Hot spot, confidence 90%"),
    0: N_("Not significant"),
    -1: N_("Cold spot, confidence 90%"),
    -2: N_("Cold spot, confidence 95%"),
    -3: N_("Cold spot, confidence 99%"),
}

_ESDA_QUADRANT = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def low_power_warning(n_units: int) -> str:
    """Return a translated warning when ``n_units`` < 30, else ``""``."""
    if n_units >= LOW_POWER_UNITS:
        return ""
    return _(
        "Only {n} areas: local cluster tests have little power here; read them with caution."
    ).format(n=n_units)


def fdr_adjust(pvalues) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN stays NaN."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        from scipy import stats

        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def _tested_units(values, weights):
    """Split units into tested / undefined / island; return the sub-weights of tested ones."""
    from libpysal.weights import WSP

    y = np.asarray(values, dtype=float).ravel()
    adj = neighbour_matrix(weights)
    if adj.shape[0] != y.shape[0]:
        raise ValueError("weights and values differ in length")
    defined = np.isfinite(y)
    idx = np.flatnonzero(defined)
    sub = adj[idx][:, idx]
    has_neighbour = np.asarray(sub.sum(axis=1)).ravel() > 0
    tested = idx[has_neighbour]
    sub = sparse.csr_matrix(sub[has_neighbour][:, has_neighbour])
    status = np.where(defined, "island", "undefined").astype(object)
    status[tested] = "tested"
    w = WSP(sub).to_W(silence_warnings=True) if tested.size else None
    return y, tested, status, w


def local_moran(values, weights, permutations: int = 999, seed: int = 12345,
                alpha: float = 0.05, fdr: bool = False) -> pd.DataFrame:
    """Local Moran's I with permutation inference and HH/LL/HL/LH labels.

    Parameters
    ----------
    values : array-like
        One value per unit (e.g. an EB rate); NaN = undefined.
    weights : libpysal W or Graph
        Contiguity in the order of ``values`` (row-standardised internally).
    permutations, seed : int
        Conditional permutations and their random seed.
    alpha : float
        Significance level.
    fdr : bool
        Apply the Benjamini–Hochberg correction before comparing with ``alpha``.

    Returns
    -------
    DataFrame
        ``lisa_i, lisa_p, lisa_q, lisa_quadrant`` in the order of ``values``;
        ``attrs["low_power"]`` holds the warning ("" if none).
    """
    from esda.moran import Moran_Local

    y, tested, status, w = _tested_units(values, weights)
    n = y.shape[0]
    lisa_i = np.full(n, np.nan)
    p = np.full(n, np.nan)
    quadrant = status.copy()
    if w is not None and tested.size >= 3 and np.ptp(y[tested]) > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lm = Moran_Local(y[tested], w, transformation="r", permutations=permutations,
                             seed=seed, keep_simulations=False, n_jobs=1)
        lisa_i[tested] = lm.Is
        p[tested] = lm.p_sim
        quadrant[tested] = [_ESDA_QUADRANT.get(int(q), "ns") for q in lm.q]
    else:
        quadrant[tested] = "ns"
    q = fdr_adjust(p) if fdr else p.copy()
    not_sig = (status == "tested") & ~(q <= alpha)
    quadrant[not_sig] = "ns"
    out = pd.DataFrame({"lisa_i": lisa_i, "lisa_p": p, "lisa_q": q,
                        "lisa_quadrant": quadrant.astype(str)})
    out.attrs["low_power"] = low_power_warning(int(tested.size))
    return out


def getis_ord(values, weights, permutations: int = 999, seed: int = 12345,
              fdr: bool = False) -> pd.DataFrame:
    """Getis-Ord Gi* hot and cold spots with ArcGIS-style confidence bins.

    Parameters
    ----------
    values : array-like
        Non-negative values per unit (rates); NaN = undefined.
    weights : libpysal W or Graph
        Contiguity in the order of ``values`` (binary, the unit itself included).
    permutations, seed : int
        Conditional permutations and their random seed.
    fdr : bool
        Apply the Benjamini–Hochberg correction to the p-values before binning.

    Returns
    -------
    DataFrame
        ``gi_z, gi_p, gi_q, gi_bin`` (int, 0 also for undefined units and islands);
        ``attrs["low_power"]`` holds the warning ("" if none).
    """
    from esda.getisord import G_Local

    y, tested, status, w = _tested_units(values, weights)
    n = y.shape[0]
    z = np.full(n, np.nan)
    p = np.full(n, np.nan)
    if w is not None and tested.size >= 3 and np.ptp(y[tested]) > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = G_Local(y[tested], w, transform="B", permutations=permutations, star=True,
                        seed=seed, keep_simulations=False, n_jobs=1)
        z[tested] = g.Zs
        p[tested] = np.minimum(1.0, 2.0 * np.asarray(g.p_sim, dtype=float))
    q = fdr_adjust(p) if fdr else p.copy()
    level = np.select([q <= 0.01, q <= 0.05, q <= 0.10], [3, 2, 1], default=0)
    gi_bin = (np.sign(np.nan_to_num(z)) * level).astype(int)
    out = pd.DataFrame({"gi_z": z, "gi_p": p, "gi_q": q, "gi_bin": gi_bin})
    out.attrs["low_power"] = low_power_warning(int(tested.size))
    return out


def hotspot_statistics(values, weights, permutations: int = 999, seed: int = 12345,
                       alpha: float = 0.05, fdr: bool = False,
                       progress: ProgressCallback | None = None,
                       cancel: CancelToken | None = None) -> pd.DataFrame:
    """Run :func:`local_moran` and :func:`getis_ord` on the same values.

    Returns
    -------
    DataFrame
        The columns of both, in the order of ``values``, with ``attrs["low_power"]``.
    """
    check(cancel)
    report(progress, 0.0, _("Local Moran"))
    lisa = local_moran(values, weights, permutations, seed, alpha, fdr)
    check(cancel)
    report(progress, 0.5, _("Getis-Ord Gi*"))
    gi = getis_ord(values, weights, permutations, seed, fdr)
    report(progress, 1.0, "")
    out = pd.concat([lisa, gi], axis=1)
    out.attrs["low_power"] = lisa.attrs["low_power"]
    return out
