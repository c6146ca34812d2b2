"""Regional typology: Ward clustering of the regions on their standardised indicators.

Method
------
1. Every indicator column is standardised over the regions (z-scores, population standard
   deviation); constant columns carry no information and are dropped.
2. A missing value (e.g. a suppressed share) is set to the column mean, z = 0, so it pulls
   the region neither way.
3. Ward's minimum-variance hierarchical clustering (``scipy.cluster.hierarchy.linkage``,
   Euclidean distance) is cut into ``n_clusters`` groups. Four groups is the default for the
   20 regions of Kazakhstan: about five regions a group, few enough to name and compare on a
   sheet; the caller may choose another number.
4. The regions most similar to a region are its nearest neighbours in the same
   standardised space (Euclidean distance), whatever their cluster.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform

__all__ = ["DEFAULT_CLUSTERS", "standardise", "ward_typology"]

DEFAULT_CLUSTERS = 4


def standardise(table: pd.DataFrame) -> pd.DataFrame:
    """Z-scores of every non-constant column; missing values become 0 (the mean).

    Parameters
    ----------
    table : DataFrame
        One row per region, one numeric column per indicator.

    Returns
    -------
    DataFrame
        Same index; the columns that vary.
    """
    values = table.astype(float)
    sd = values.std(ddof=0)
    keep = sd[sd > 0].index
    z = (values[keep] - values[keep].mean()) / sd[keep]
    return z.fillna(0.0)


def ward_typology(table: pd.DataFrame, n_clusters: int = DEFAULT_CLUSTERS, n_similar: int = 3) -> pd.DataFrame:
    """Cluster the regions and list each one's most similar regions.

    Parameters
    ----------
    table : DataFrame
        One row per region (index: code), one numeric column per indicator; NaN allowed.
    n_clusters : int
        Number of groups the Ward tree is cut into (at most the number of regions).
    n_similar : int
        How many nearest regions to list for each region.

    Returns
    -------
    DataFrame
        Index as ``table``; ``cluster`` (1 … n, numbered in the order of the index),
        ``similar`` (tuple of the nearest codes, nearest first) and ``distance`` (their
        Euclidean distances in z-units).

    Raises
    ------
    ValueError
        Fewer than two regions, or no indicator that varies.
    """
    z = standardise(table)
    if len(z) < 2 or z.shape[1] == 0:
        raise ValueError("a typology needs at least two regions and one varying indicator")
    k = max(1, min(int(n_clusters), len(z)))
    raw = fcluster(linkage(z.to_numpy(), method="ward"), t=k, criterion="maxclust")
    order = {c: i + 1 for i, c in enumerate(dict.fromkeys(raw))}
    dist = squareform(pdist(z.to_numpy()))
    np.fill_diagonal(dist, np.inf)
    near = np.argsort(dist, axis=1, kind="stable")[:, : max(0, min(n_similar, len(z) - 1))]
    codes = list(z.index)
    return pd.DataFrame({
        "cluster": [order[c] for c in raw],
        "similar": [tuple(codes[j] for j in row) for row in near],
        "distance": [tuple(float(dist[i, j]) for j in row) for i, row in enumerate(near)],
    }, index=z.index)
