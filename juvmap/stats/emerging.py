"""Emerging hot spots: Gi* per area and time step, Mann-Kendall trend, ArcGIS categories.

For every time step the Getis-Ord Gi* z-score of each area's count is computed with binary
contiguity weights that include the area itself (the analytical z of Getis & Ord 1995, as
``esda.G_Local(star=True, transform="B").Zs``; spatial neighbours only, no time lag). A
step is a significant hot (cold) spot when ``p ≤ alpha`` (two-sided normal) and ``z > 0``
(``z < 0``). The trend of each area's z-scores is the Mann-Kendall test (S with the tie
correction of its variance and the continuity correction, as ``pymannkendall.original_test``).

Categories (ArcGIS Pro "How Emerging Hot Spot Analysis works"; ``n`` steps, "90 %" means
at least 90 % of the steps; cold categories are the mirror image with cold spots):

``new``           hot in the final step only, never hot before;
``consecutive``   one uninterrupted run of ≥ 2 hot steps ending in the final step, never hot
                  before the run, fewer than 90 % of the steps hot;
``intensifying``  hot in ≥ 90 % of the steps including the final, significant upward trend;
``persistent``    hot in ≥ 90 % of the steps including the final, no significant trend;
``diminishing``   hot in ≥ 90 % of the steps including the final, significant downward trend;
``sporadic``      hot in the final step, on and off before, fewer than 90 % hot, never cold;
``oscillating``   hot in the final step, cold in at least one earlier step, fewer than 90 % hot;
``historical``    not hot in the final step but hot in ≥ 90 % of the steps;
``none``          no pattern.

Precedence where the definitions overlap (an area hot in the final step that was cold
before is ``oscillating`` even if it would otherwise be ``new`` or ``consecutive``) follows
the ArcGIS decision order: 90 % rules first, then oscillating, new, consecutive, sporadic.
Hot codes are ``"<category>_hot"``, cold ``"<category>_cold"``; ``"none"`` otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse, stats

from juvmap.i18n import N_

__all__ = ["CATEGORY_LABELS", "STEPS", "classify_series", "emerging_hotspots", "gi_star_z",
           "mann_kendall", "step_counts"]

#: time step -> pandas period frequency
STEPS = {"year": "Y", "quarter": "Q", "month": "M"}

#: category code -> untranslated label
CATEGORY_LABELS: dict[str, str] = {
    "new_hot": N_("New hot spot"), "consecutive_hot": N_("Consecutive hot spot"),
    "intensifying_hot": N_("Intensifying hot spot"), "persistent_hot": N_("Persistent hot spot"),
    "diminishing_hot": N_("Diminishing hot spot"), "sporadic_hot": N_("Sporadic hot spot"),
    "oscillating_hot": N_("Oscillating hot spot"), "historical_hot": N_("Historical hot spot"),
    "new_cold": N_("New cold spot"), "consecutive_cold": N_("Consecutive cold spot"),
    "intensifying_cold": N_("Intensifying cold spot"), "persistent_cold": N_("Persistent cold spot"),
    "diminishing_cold": N_("Diminishing cold spot"), "sporadic_cold": N_("Sporadic cold spot"),
    "oscillating_cold": N_("Oscillating cold spot"), "historical_cold": N_("Historical cold spot"),
    "none": N_("No pattern detected"),
}


def gi_star_z(counts: np.ndarray, adjacency) -> np.ndarray:
    """Analytical Gi* z-scores of every column of ``counts``.

    Parameters
    ----------
    counts : ndarray, shape (n_areas, n_steps)
        Values per area (rows) and time step (columns).
    adjacency : scipy sparse matrix or libpysal W, shape (n_areas, n_areas)
        Binary contiguity without self links (the area itself is added here).

    Returns
    -------
    ndarray, shape (n_areas, n_steps)
        ``(Σ_j w_ij x_j − x̄ W_i) / (s √((n S1_i − W_i²)/(n − 1)))`` with ``w_ii = 1``; NaN
        for a step whose values are all equal.
    """
    if hasattr(adjacency, "sparse"):
        adjacency = adjacency.sparse
    w = sparse.csr_matrix(adjacency, dtype=float)
    w.data = (w.data != 0).astype(float)
    w = w + sparse.identity(w.shape[0], format="csr") - sparse.diags(w.diagonal())
    x = np.asarray(counts, dtype=float)
    n = x.shape[0]
    mean = x.mean(axis=0)
    sd = np.sqrt((x ** 2).mean(axis=0) - mean ** 2)
    wi = np.asarray(w.sum(axis=1)).ravel()[:, None]
    s1 = np.asarray(w.multiply(w).sum(axis=1)).ravel()[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = sd * np.sqrt((n * s1 - wi ** 2) / (n - 1))
        z = (w @ x - mean * wi) / denominator
    z[:, ~(sd > 1e-12 * np.maximum(1.0, np.abs(mean)))] = np.nan
    return z


def mann_kendall(series: np.ndarray) -> pd.DataFrame:
    """Mann-Kendall trend test of every row of ``series`` (time along the columns).

    Matches ``pymannkendall.original_test``: ``S = Σ_{i<j} sign(x_j − x_i)``, variance
    ``(n(n−1)(2n+5) − Σ t(t−1)(2t+5)) / 18`` over tie groups, ``z = (S ∓ 1)/√var`` (0 when
    ``S = 0``), two-sided normal p. NaN values are dropped per row.

    Returns
    -------
    DataFrame
        ``mk_s, mk_var, mk_z, mk_p, mk_trend`` (``"increasing"``, ``"decreasing"`` or
        ``"no trend"`` at p < 0.05), one row per input row.
    """
    x = np.atleast_2d(np.asarray(series, dtype=float))
    rows = []
    full = np.isfinite(x).all(axis=1)
    s_all = np.zeros(x.shape[0])
    if full.any():
        xf = x[full]
        i, j = np.triu_indices(x.shape[1], k=1)
        s_all[full] = np.sign(xf[:, j] - xf[:, i]).sum(axis=1)
    for r in range(x.shape[0]):
        values = x[r][np.isfinite(x[r])]
        n = values.size
        if full[r]:
            s = s_all[r]
        else:
            i, j = np.triu_indices(n, k=1)
            s = float(np.sign(values[j] - values[i]).sum())
        _, ties = np.unique(values, return_counts=True)
        var = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18.0
        if var <= 0:
            z = np.nan
        else:
            z = (s - np.sign(s)) / np.sqrt(var)
        rows.append((s, var, z))
    out = pd.DataFrame(rows, columns=["mk_s", "mk_var", "mk_z"])
    out["mk_p"] = 2 * stats.norm.sf(np.abs(out["mk_z"]))
    out["mk_trend"] = np.select([(out["mk_p"] < 0.05) & (out["mk_z"] > 0),
                                 (out["mk_p"] < 0.05) & (out["mk_z"] < 0)],
                                ["increasing", "decreasing"], "no trend")
    return out


def _category(sig: np.ndarray, opposite: np.ndarray, trend_z: float, trend_p: float,
              alpha: float) -> str:
    """The hot-spot category of one area from its significant steps (``sig``)."""
    n = sig.size
    share = sig.sum() / n if n else 0.0
    if not sig[-1]:
        return "historical" if share >= 0.9 else ""
    if share >= 0.9:
        if trend_p <= alpha and trend_z > 0:
            return "intensifying"
        if trend_p <= alpha and trend_z < 0:
            return "diminishing"
        return "persistent"
    if opposite[:-1].any():
        return "oscillating"
    if sig.sum() == 1:
        return "new"
    before_run = np.flatnonzero(~sig)
    run_start = before_run[-1] + 1 if before_run.size else 0
    if not sig[:run_start].any() and n - run_start >= 2:
        return "consecutive"
    return "sporadic"


def classify_series(z: np.ndarray, alpha: float = 0.05, trend: pd.DataFrame | None = None
                    ) -> np.ndarray:
    """Emerging-hot-spot category code of each row of Gi* z-scores (see the module docstring).

    ``trend`` is the :func:`mann_kendall` of the rows (computed when omitted). NaN z-scores
    are not significant.
    """
    z = np.atleast_2d(np.asarray(z, dtype=float))
    p = 2 * stats.norm.sf(np.abs(np.nan_to_num(z)))
    hot = (p <= alpha) & (z > 0)
    cold = (p <= alpha) & (z < 0)
    trend = mann_kendall(z) if trend is None else trend
    codes = []
    for r in range(z.shape[0]):
        tz, tp = float(trend["mk_z"].iloc[r]), float(trend["mk_p"].iloc[r])
        hot_cat = _category(hot[r], cold[r], tz, tp, alpha)
        cold_cat = _category(cold[r], hot[r], -tz, tp, alpha)
        codes.append(f"{hot_cat}_hot" if hot_cat else f"{cold_cat}_cold" if cold_cat else "none")
    return np.asarray(codes, dtype=object)


def emerging_hotspots(counts: pd.DataFrame, adjacency, alpha: float = 0.05) -> pd.DataFrame:
    """Emerging hot-spot analysis of counts per area (rows) and time step (columns).

    Parameters
    ----------
    counts : DataFrame
        Index: area codes; columns: time steps in order (e.g. "2021", "2021Q3", "2021-07").
    adjacency : sparse matrix or libpysal W
        Binary contiguity of the areas in the row order of ``counts``.
    alpha : float
        Significance of the Gi* bins and of the trend.

    Returns
    -------
    DataFrame
        Indexed like ``counts``: ``category`` (code), ``trend_z``, ``trend_p``, ``hot_steps``,
        ``cold_steps``, ``final_z``, then one ``z_<step>`` column per step.
    """
    z = gi_star_z(counts.to_numpy(dtype=float), adjacency)
    trend = mann_kendall(np.nan_to_num(z))
    category = classify_series(z, alpha, trend)
    p = 2 * stats.norm.sf(np.abs(np.nan_to_num(z)))
    out = pd.DataFrame({
        "category": category,
        "trend_z": trend["mk_z"].to_numpy(),
        "trend_p": trend["mk_p"].to_numpy(),
        "hot_steps": ((p <= alpha) & (z > 0)).sum(axis=1),
        "cold_steps": ((p <= alpha) & (z < 0)).sum(axis=1),
        "final_z": z[:, -1],
    }, index=counts.index)
    zcols = pd.DataFrame(z, index=counts.index, columns=[f"z_{c}" for c in counts.columns])
    return pd.concat([out, zcols], axis=1)


def step_counts(dates, areas, codes, step: str = "year") -> pd.DataFrame:
    """Count incidents per area and time step, every step of the span present.

    Parameters
    ----------
    dates : array-like of datetime
        Date of each incident (NaT rows are left out).
    areas : array-like of str
        Area code of each incident (codes not in ``codes`` are left out).
    codes : sequence of str
        The areas, in the row order wanted.
    step : {"year", "quarter", "month"}
        Length of a time step.

    Returns
    -------
    DataFrame
        Integer counts, index ``code``, one column per step labelled ``"2021"``,
        ``"2021Q3"`` or ``"2021-07"``.
    """
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    when = pd.to_datetime(pd.Series(np.asarray(dates)), errors="coerce")
    frame = pd.DataFrame({"area": pd.Series(np.asarray(areas, dtype=object)).astype(str),
                          "step": when.dt.to_period(STEPS[step])}).dropna()
    frame = frame[frame["area"].isin([str(c) for c in codes])]
    if frame.empty:
        return pd.DataFrame(index=pd.Index([str(c) for c in codes], name="code"))
    steps = pd.period_range(frame["step"].min(), frame["step"].max(), freq=STEPS[step])
    table = pd.crosstab(frame["area"], frame["step"]).reindex(
        index=[str(c) for c in codes], columns=steps, fill_value=0)
    table.columns = [str(p) for p in steps]
    table.index.name = "code"
    return table.astype("int64")
