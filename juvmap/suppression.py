"""Complementary suppression of published sums (the machinery of :mod:`juvmap.analysis.disclosure`).

A *line* is a set of entries with signs whose signed sum is published (zero for cells minus
their shown or hidden total). What an attacker knows of a hidden entry: a small one lies in
1 … threshold−1; any other one (a complementary cell, chosen as the smallest shown non-zero
entry) lies between the threshold and the smallest entry still shown on the line.
"""

from __future__ import annotations

import numpy as np

__all__ = ["line_safe", "pinned_entries", "protect_entries", "protect_table_entries", "table_lines"]


def line_safe(values: np.ndarray, signs: np.ndarray, hidden: np.ndarray, is_small: np.ndarray,
              threshold: int) -> bool:
    """Whether no hidden entry of the line has a single possible value.

    True when nothing non-zero is hidden, or at least two non-zero entries are hidden and
    their signed sum (known from the shown ones) lies strictly between the least and the
    greatest signed sum their possible values allow — then at least two combinations fit,
    and every hidden entry can move by one.
    """
    secret = hidden & (values != 0)  # a hidden 0 has nothing to protect and protects nothing
    if not secret.any():
        return True
    if secret.sum() == 1:
        return False
    shown = ~hidden & (values != 0)
    ceiling = max(float(values[shown].min()), float(threshold)) if shown.any() else np.inf
    low = np.where(is_small, 1.0, float(threshold))[secret]
    high = np.where(is_small, threshold - 1.0, ceiling)[secret]
    sign = signs[secret]
    with np.errstate(invalid="ignore"):
        least = np.sum(np.where(sign > 0, sign * low, sign * high))
        greatest = np.sum(np.where(sign > 0, sign * high, sign * low))
    known = float(np.sum(sign * values[secret]))
    return bool(least < known < greatest)


def protect_entries(values: np.ndarray, signs: np.ndarray, hidden: np.ndarray, is_small: np.ndarray,
                    threshold: int) -> np.ndarray:
    """Hide the smallest shown non-zero entry until :func:`line_safe` (or nothing is left).

    ``hidden`` is updated in place and returned.
    """
    while not line_safe(values, signs, hidden, is_small, threshold):
        shown = np.flatnonzero(~hidden & (values != 0))
        if shown.size == 0:
            break
        hidden[shown[np.argmin(values[shown])]] = True
    return hidden


def table_lines(n_rows: int, n_cols: int, margins: tuple[str, ...]) -> list[tuple[tuple, np.ndarray]]:
    """Indices (into the (R+1)×(C+1) table with margins) and signs of every published sum."""
    rows, cols, total = ("rows" in margins), ("cols" in margins), ("total" in margins)
    lines = []

    def line(cells):
        return tuple(np.array(cells).T), np.r_[np.ones(len(cells) - 1), -1.0]

    if rows:
        lines += [line([(i, j) for j in range(n_cols + 1)]) for i in range(n_rows)]
    if cols:
        lines += [line([(i, j) for i in range(n_rows + 1)]) for j in range(n_cols)]
    if total and rows:
        lines.append(line([(i, n_cols) for i in range(n_rows + 1)]))
    if total and cols:
        lines.append(line([(n_rows, j) for j in range(n_cols + 1)]))
    if total and not (rows or cols):
        lines.append(line([(i, j) for i in range(n_rows) for j in range(n_cols)] + [(n_rows, n_cols)]))
    return lines


def _audit_bounds(table, mask, is_small, lines, threshold):
    """Possible values of each hidden non-zero entry as the attacker sees them (see module)."""
    ceiling = np.full(table.shape, np.inf)
    for idx, _signs in lines:
        shown = ~mask[idx] & (table[idx] != 0)
        if shown.any():
            ceiling[idx] = np.minimum(ceiling[idx], table[idx][shown].min())
    low = np.where(is_small, 1.0, float(threshold))
    high = np.where(is_small, threshold - 1.0, np.maximum(np.maximum(ceiling, table), threshold))
    return low, high


def _reaches(arcs: list[tuple[int, int, int]], start: int, goal: int, skip: int) -> bool:
    """Whether ``goal`` is reachable from ``start`` along ``arcs`` (src, dst, entry) without entry ``skip``."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for src, dst, entry in arcs:
            if src == node and entry != skip and dst not in seen:
                seen.add(dst)
                todo.append(dst)
    return False


def pinned_entries(table: np.ndarray, mask: np.ndarray, is_small: np.ndarray, lines, threshold: int,
                   row_sums: np.ndarray, col_sums: np.ndarray) -> np.ndarray:
    """Hidden entries that all published sums, solved together, leave with one possible value.

    The table with margins, its margins negated, is a transportation table whose published
    rows and columns sum to 0: hidden entries are edges between row and column nodes
    (unpublished sums merged into one free node). An entry can move by one in an integer
    solution iff it lies on a cycle of the residual graph (standard circulation theory), so an
    entry is pinned when neither of its arcs closes a cycle without its own reverse.
    ``row_sums`` / ``col_sums`` flag the rows / columns of the (R+1)×(C+1) table whose sum is
    published. The upper end of a complementary entry is the smallest shown entry of its
    lines, never below its own value.
    """
    low, high = _audit_bounds(table, mask, is_small, lines, threshold)
    sign = np.ones(table.shape)
    sign[:-1, -1] = sign[-1, :-1] = -1.0
    value = sign * table
    y_low, y_high = np.where(sign > 0, low, -high), np.where(sign > 0, high, -low)
    n_rows, n_cols = table.shape
    ground = n_rows + n_cols
    row_node = np.where(row_sums, np.arange(n_rows), ground)
    col_node = np.where(col_sums, n_rows + np.arange(n_cols), ground)
    entries = [(int(i), int(j)) for i, j in np.argwhere(mask & (table != 0))
               if row_sums[i] or col_sums[j]]
    arcs = []
    for n, (i, j) in enumerate(entries):
        if value[i, j] < y_high[i, j]:
            arcs.append((row_node[i], col_node[j], n))
        if value[i, j] > y_low[i, j]:
            arcs.append((col_node[j], row_node[i], n))
    pinned = np.zeros(table.shape, dtype=bool)
    for n, (i, j) in enumerate(entries):
        up = value[i, j] < y_high[i, j] and _reaches(arcs, col_node[j], row_node[i], n)
        down = value[i, j] > y_low[i, j] and _reaches(arcs, row_node[i], col_node[j], n)
        pinned[i, j] = not (up or down)
    return pinned


def protect_table_entries(values: np.ndarray, hidden: np.ndarray, margins: tuple[str, ...],
                          threshold: int):
    """Apply :func:`protect_entries` to every line of a table with margins until none changes,
    then audit all lines together (:func:`pinned_entries`); while an entry is pinned, hide the
    smallest shown non-zero entry of a line through it and start again.

    Returns the hidden cells, row totals, column totals and grand total (see
    :func:`juvmap.analysis.disclosure.protect_table_with_margins`).
    """
    n_rows, n_cols = values.shape
    table = np.zeros((n_rows + 1, n_cols + 1))
    table[:n_rows, :n_cols] = values
    table[:n_rows, n_cols] = values.sum(axis=1)
    table[n_rows, :n_cols] = values.sum(axis=0)
    table[n_rows, n_cols] = values.sum()
    is_small = (table >= 1) & (table < threshold)
    mask = is_small.copy()
    mask[:n_rows, :n_cols] |= hidden
    lines = table_lines(n_rows, n_cols, margins)
    rows, cols, total = ("rows" in margins), ("cols" in margins), ("total" in margins)
    row_sums = np.r_[np.full(n_rows, rows), cols and total]
    col_sums = np.r_[np.full(n_cols, cols), rows and total]
    while True:
        _fixpoint(table, mask, is_small, lines, threshold)
        if not (rows or cols):  # one line: its rule is exact
            break
        pinned = pinned_entries(table, mask, is_small, lines, threshold, row_sums, col_sums)
        if not pinned.any() or not _widen(table, mask, pinned, lines):
            break
    return (mask[:n_rows, :n_cols], mask[:n_rows, n_cols], mask[n_rows, :n_cols],
            bool(mask[n_rows, n_cols]))


def _fixpoint(table, mask, is_small, lines, threshold) -> None:
    changed = True
    while changed:
        changed = False
        for idx, signs in lines:
            before = mask[idx]
            after = protect_entries(table[idx], signs, before.copy(), is_small[idx], threshold)
            if (after != before).any():
                mask[idx] = after
                changed = True


def _widen(table, mask, pinned, lines) -> bool:
    """Hide, for each pinned entry, the smallest shown non-zero entry of a line through it
    (a cell rather than a total when there is one)."""
    n_rows, n_cols = table.shape
    widened = False
    for target in map(tuple, np.argwhere(pinned)):
        near = {tuple(map(int, k)) for idx, _signs in lines if target in zip(*idx) for k in zip(*idx)}
        shown = [k for k in near if not mask[k] and table[k] != 0]
        if shown:
            is_total = lambda k: k[0] == n_rows - 1 or k[1] == n_cols - 1  # noqa: E731
            mask[min(shown, key=lambda k: (is_total(k), table[k], k))] = True
            widened = True
    return widened
