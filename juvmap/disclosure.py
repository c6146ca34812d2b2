"""The one disclosure rule: what may be shown about small counts of minors (every layer asks here)."""

from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESS_BELOW = 5
IMPUTED_COUNT = 2.5
HIDDEN_WITH_COUNT = ("count", "rate", "ci_low", "ci_high", "excess_risk", "eb_rate", "spatial_eb_rate",
                     "lisa_p", "lisa_q", "gi_z", "gi_p", "rank", "change")


def small(counts) -> np.ndarray:
    c = np.asarray(counts, dtype=float)
    return (c >= 1) & (c < SUPPRESS_BELOW)


def publishable_counts(counts) -> np.ndarray:
    c = np.asarray(counts, dtype=float)
    return np.where(small(c), IMPUTED_COUNT, c)


def protect_line(values, hidden) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    hidden = np.asarray(hidden, dtype=bool).copy()
    primary = small(values)
    while True:
        k = int(hidden.sum())
        total = float(values[hidden].sum())
        only_primary = bool(np.all(primary[hidden]))
        unique = k == 1 or (only_primary and total in (k, 4 * k))
        if k == 0 or not unique:
            return hidden
        rest = np.where(~hidden & (values > 0))[0]
        if rest.size == 0:
            return hidden
        hidden[rest[np.argmin(values[rest])]] = True


def protect_table(values, hidden, margins=("rows", "cols", "total")) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    hidden = np.asarray(hidden, dtype=bool).copy()
    while True:
        before = hidden.copy()
        for i in range(values.shape[0]):
            hidden[i] = protect_line(values[i], hidden[i])
        for j in range(values.shape[1]):
            hidden[:, j] = protect_line(values[:, j], hidden[:, j])
        if (hidden == before).all():
            return hidden


def suppress_area_table(table: pd.DataFrame, *, count: str = "count", total_shown: bool = True) -> pd.DataFrame:
    out = table.copy()
    hidden = small(out[count].to_numpy())
    if total_shown:
        hidden = protect_line(out[count].fillna(0).to_numpy(), hidden)
    out["suppressed"] = hidden
    for col in HIDDEN_WITH_COUNT:
        if col in out:
            out[col] = out[col].astype(float).where(~hidden)
    if "lisa_quadrant" in out:
        out["lisa_quadrant"] = out["lisa_quadrant"].where(~hidden, "suppressed")
    for col in ("gi_bin", "class"):
        if col in out:
            out[col] = out[col].where(~hidden, 0 if col == "gi_bin" else -1)
    if "lisa_significant" in out:
        out["lisa_significant"] = out["lisa_significant"].where(~hidden, False)
    return out


def mask_density(values, contributors, min_contributors: int = SUPPRESS_BELOW):
    return np.where(np.asarray(contributors) >= min_contributors, values, np.nan)
