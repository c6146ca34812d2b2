"""A reusable attack on published figures: try to recover the hidden counts.

:func:`candidates` enumerates every value the hidden cells could take (1–4 for a small
cell, 5..K for a complementary one), re-runs the publication and keeps the combinations
whose published output equals the true one. One candidate left = the hidden counts leak.
:func:`interval_audit` is the same attack by linear programming for tables too large to
enumerate: the least and greatest value of every hidden entry given all published sums.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from juvmap.disclosure import SUPPRESS_BELOW, small

Publish = Callable[[np.ndarray], dict[str, np.ndarray]]


def same_output(a: dict[str, np.ndarray], b: dict[str, np.ndarray], rtol: float = 1e-9) -> bool:
    """Whether two publications are equal (numbers to ``rtol``, NaN equal to NaN, text exactly)."""
    if a.keys() != b.keys():
        return False
    for key in a:
        x, y = np.asarray(a[key]), np.asarray(b[key])
        if x.shape != y.shape:
            return False
        if x.dtype.kind in "fiub" and y.dtype.kind in "fiub":
            if not np.allclose(x.astype(float), y.astype(float), rtol=rtol, atol=0.0, equal_nan=True):
                return False
        elif not np.array_equal(x.astype(object), y.astype(object)):
            return False
    return True


def candidates(publish: Publish, true_counts, hidden, upper: int | None = None) -> list[tuple]:
    """Every combination of the hidden cells' values that publishes exactly what the truth does.

    Parameters
    ----------
    publish : callable
        ``publish(counts) -> dict[str, ndarray]``: everything shown, computed from ``counts``
        (an array shaped like ``true_counts``).
    true_counts : array-like
        The true counts (1-D or 2-D).
    hidden : array of bool
        The cells shown as hidden (the published pattern, kept fixed).
    upper : int, optional
        K, the largest value tried for a complementary (hidden, not small) cell; default the
        smallest shown non-zero count (the complementary cell is chosen as the smallest),
        never less than the largest true hidden count.

    Returns
    -------
    list of tuple
        The hidden non-zero cells' values (in flat order) of every matching combination.
    """
    counts = np.asarray(true_counts, dtype=float)
    hidden = np.asarray(hidden, dtype=bool)
    cells = np.flatnonzero(hidden & (counts != 0))
    if upper is None:
        shown = counts[~hidden & (counts != 0)]
        upper = int(max(shown.min() if shown.size else 0, counts.flat[cells].max(initial=0)))
    is_small = small(counts).ravel()
    ranges = [range(1, SUPPRESS_BELOW) if is_small[c] else range(SUPPRESS_BELOW, upper + 1) for c in cells]
    target = publish(counts.copy())
    found = []
    for combo in itertools.product(*ranges):
        trial = counts.copy()
        trial.flat[cells] = combo
        if same_output(publish(trial), target):
            found.append(tuple(int(v) for v in combo))
    return found


def table_publication(values, hidden_cells, hidden_rows, hidden_cols, hidden_total) -> Publish:
    """A publisher of a table with row, column and grand totals, hiding the given entries."""
    def publish(counts: np.ndarray) -> dict[str, np.ndarray]:
        return {"cells": np.where(hidden_cells, np.nan, counts),
                "rows": np.where(hidden_rows, np.nan, counts.sum(axis=1)),
                "cols": np.where(hidden_cols, np.nan, counts.sum(axis=0)),
                "total": np.array(np.nan if hidden_total else counts.sum())}
    return publish


def _augmented(values, hidden_cells, hidden_rows, hidden_cols, hidden_total):
    v = np.asarray(values, dtype=float)
    r, c = v.shape
    table = np.zeros((r + 1, c + 1))
    table[:r, :c], table[:r, c], table[r, :c], table[r, c] = v, v.sum(1), v.sum(0), v.sum()
    hidden = np.zeros(table.shape, bool)
    hidden[:r, :c], hidden[:r, c], hidden[r, :c], hidden[r, c] = hidden_cells, hidden_rows, hidden_cols, hidden_total
    sums = [[(i, j) for j in range(c)] + [(i, c)] for i in range(r + 1)]  # cells … = total (last)
    sums += [[(i, j) for i in range(r)] + [(r, j)] for j in range(c + 1)]
    return table, hidden, sums


def interval_audit(values, hidden_cells, hidden_rows, hidden_cols, hidden_total,
                   audit_small_only: bool = False) -> np.ndarray:
    """Width (greatest − least value) of every hidden entry of a table with all its totals.

    The attacker knows every shown cell and total, every sum (each row and column of the
    table with its totals), that a hidden small entry lies in 1–4 and a hidden complementary
    one is ≥ 5 and at most the smallest shown entry of its lines (never below its true
    value). Linear programs over the hidden entries; returns the (R+1)×(C+1) widths, NaN
    where shown (and, with ``audit_small_only``, where not small: a pinned complementary
    entry is ≥ 5 anyway). A width of 0 on a hidden small entry is a leak.
    """
    from scipy.optimize import linprog

    table, hidden, sums = _augmented(values, hidden_cells, hidden_rows, hidden_cols, hidden_total)
    secret = hidden & (table != 0)
    index = {tuple(map(int, k)): m for m, k in enumerate(np.argwhere(secret))}
    width = np.full(table.shape, np.nan)
    if not index:
        return width
    rows, rhs = [], []
    ceiling = {k: np.inf for k in index}
    for line in sums:
        row = np.zeros(len(index))
        for pos, k in enumerate(line):
            if k in index:
                row[index[k]] = -1.0 if pos == len(line) - 1 else 1.0
        shown = [table[k] for k in line if not hidden[k] and table[k] != 0]
        for k in line:
            if k in index and shown:
                ceiling[k] = min(ceiling[k], min(shown))
        if row.any():
            rows.append(row)
            rhs.append(float(row @ np.array([table[k] for k in index])))
    bounds = [(1, SUPPRESS_BELOW - 1) if small(table[k]) else
              (SUPPRESS_BELOW, None if np.isinf(ceiling[k]) else max(ceiling[k], table[k])) for k in index]
    for k, m in index.items():
        if audit_small_only and not small(table[k]):
            continue
        aim = np.zeros(len(index))
        aim[m] = 1.0
        least = linprog(aim, A_eq=np.array(rows), b_eq=rhs, bounds=bounds, method="highs")
        most = linprog(-aim, A_eq=np.array(rows), b_eq=rhs, bounds=bounds, method="highs")
        width[k] = -most.fun - least.fun
    return width
