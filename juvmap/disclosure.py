"""The one disclosure rule: what may be published about small counts of minors.

Principle: **every published figure is computed only from publishable inputs.**

* A count of 1–4 (:func:`small`) is shown as "<5". Before any derived statistic that is
  published (EB and spatial EB priors, LISA/Gi*, ranks, classes, trends) it is replaced by
  :data:`IMPUTED_COUNT`, the same whatever the true value (:func:`publishable_counts`).
* A total that is shown must not give a hidden count back by subtraction: complementary
  cells are hidden with it (:func:`protect_line`, :func:`protect_table`).
* A density surface is masked where fewer than 5 incidents lie within its bandwidth
  (:func:`mask_density`, with the counts of :func:`juvmap.analysis.density_mask.contributors_grid`).

The ``"internal"`` mode (:class:`Disclosure`) switches all of this off for the analyst's own
work; every file or page made so must carry :func:`label_code` of that mode.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
import pandas as pd

from juvmap.i18n import N_
from juvmap.suppression import protect_entries, protect_table_entries

__all__ = ["DEPENDENT_COLUMNS", "IMPUTED_COUNT", "SUPPRESSED", "SUPPRESS_BELOW", "Disclosure",
           "label_code", "mask_density", "protect_line", "protect_table",
           "protect_table_with_margins", "publishable_counts", "small", "suppress_area_table"]

#: counts of minors from 1 to ``SUPPRESS_BELOW - 1`` are never shown (printed "<5")
SUPPRESS_BELOW = 5
#: the value every small count takes before a published statistic is computed: the middle
#: of 1–4, so no published figure depends on which of 1, 2, 3 or 4 the true count is
IMPUTED_COUNT = 2.5
#: code written in place of a hidden text column (a LISA quadrant, a class)
SUPPRESSED = "suppressed"
#: columns of an area table that would reveal a hidden count (with the population)
DEPENDENT_COLUMNS = ("rate", "ci_low", "ci_high", "expected", "excess_risk", "eb_rate", "spatial_eb_rate",
                     "lisa_i", "lisa_p", "lisa_q", "lisa_quadrant", "gi_z", "gi_p", "gi_q", "gi_bin",
                     "rank", "class", "change")


class Disclosure(str, Enum):
    """Output mode: ``public`` (the rule applies, default) or ``internal`` (no suppression)."""

    PUBLIC = "public"
    INTERNAL = "internal"


_LABELS = {
    Disclosure.PUBLIC: N_("Counts of 1–4 are shown as <5; figures that could reveal them are hidden."),
    Disclosure.INTERNAL: N_("Internal, not for publication: small counts are not suppressed."),
}


def label_code(mode: str | Disclosure = Disclosure.PUBLIC) -> str:
    """Return the message id (translate with ``juvmap.i18n``) every output of ``mode`` carries."""
    return _LABELS[Disclosure(mode)]


def _numbers(counts) -> np.ndarray:
    return np.asarray(pd.to_numeric(pd.Series(np.asarray(counts).ravel()), errors="coerce"),
                      dtype=float).reshape(np.shape(counts))


def small(counts) -> np.ndarray:
    """Return a bool array: True where ``1 ≤ count < SUPPRESS_BELOW`` (NaN and 0 are False)."""
    c = _numbers(counts)
    with np.errstate(invalid="ignore"):
        return (c >= 1) & (c < SUPPRESS_BELOW)


def publishable_counts(counts, hidden=None, mode: str | Disclosure = Disclosure.PUBLIC) -> np.ndarray:
    """Counts from which every published statistic must be computed.

    Parameters
    ----------
    counts : array-like
        True counts (NaN stays NaN).
    hidden : array of bool, optional
        The final hidden mask of a line published with its total (:func:`protect_line`).
        Its complementary cells (hidden, not small) all take the same value
        ``(hidden sum − IMPUTED_COUNT · n_small) / n_complementary``: a function of the shown
        total and the shown counts only, so it reveals nothing more than they do.
    mode : {"public", "internal"}
        ``internal`` returns the true counts.

    Returns
    -------
    ndarray of float
        Small counts replaced by :data:`IMPUTED_COUNT`, complementary ones as above.
    """
    c = _numbers(counts)
    if Disclosure(mode) is Disclosure.INTERNAL:
        return c
    s = small(c)
    out = np.where(s, IMPUTED_COUNT, c)
    if hidden is not None:
        all_hidden = np.asarray(hidden, dtype=bool) | s
        comp = all_hidden & ~s & (np.nan_to_num(c) != 0)
        if comp.any():
            rest = np.nansum(c[all_hidden]) - IMPUTED_COUNT * s.sum()
            out[comp] = rest / comp.sum()
    return out


def protect_line(values, hidden) -> np.ndarray:
    """Complementary suppression of one line published together with its total.

    The hidden cells' sum is known (total minus the shown cells). The line is safe when at
    least two non-zero cells are hidden and that sum is strictly between the least and the
    greatest sum their possible values allow (a small cell: 1–4; a complementary cell: from 5
    to the smallest shown non-zero cell, since the smallest is chosen). Until it is, the
    smallest shown non-zero cell is hidden too; then the candidate set has ≥ 2 combinations
    and no hidden cell has a single possible value.

    Parameters
    ----------
    values : array-like
        The line's counts (NaN counts as 0).
    hidden : array of bool
        Cells hidden so far (the small ones are added).

    Returns
    -------
    ndarray of bool
        The final hidden mask (a superset of ``hidden`` and of the small cells).
    """
    v = np.nan_to_num(_numbers(values))
    is_small = small(v)
    h = np.asarray(hidden, dtype=bool) | is_small
    return protect_entries(v, np.ones(v.size), h, is_small, SUPPRESS_BELOW)


def protect_table(values_2d, hidden, margins=("rows", "cols", "total")) -> np.ndarray:
    """The hidden cells of :func:`protect_table_with_margins` (its first element)."""
    return protect_table_with_margins(values_2d, hidden, margins)[0]


def protect_table_with_margins(values_2d, hidden, margins=("rows", "cols", "total")):
    """Complementary suppression of a 2-D table and its published margins, to a fixpoint.

    Every published sum (each row with its row total, each column with its column total,
    the row totals and the column totals with the grand total) is one line; a margin of 1–4
    is itself hidden. :func:`protect_line`'s rule is applied to every line in turn until no
    line changes; then all the sums are solved together and, while they leave a hidden entry
    one possible value, one more cell is hidden (:func:`~juvmap.analysis.suppression.pinned_entries`).

    Parameters
    ----------
    values_2d : array-like, shape (R, C)
        Counts (e.g. hour × weekday, or category × region).
    hidden : array of bool, shape (R, C)
        Cells hidden so far (the small ones are added).
    margins : iterable of {"rows", "cols", "total"}
        Which totals are published.

    Returns
    -------
    tuple
        Hidden cells (R, C), row totals (R,), column totals (C,), grand total (bool).
    """
    return protect_table_entries(np.nan_to_num(_numbers(values_2d)), np.asarray(hidden, dtype=bool),
                                 tuple(margins), SUPPRESS_BELOW)


def _blank(frame: pd.DataFrame, column: str, hidden: np.ndarray) -> None:
    values = frame[column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        frame[column] = np.where(hidden, np.nan, values.to_numpy(dtype=float, na_value=np.nan))
    else:
        frame[column] = np.where(hidden, SUPPRESSED, values.to_numpy(dtype=object))


def suppress_area_table(table: pd.DataFrame, *, count: str = "count", dependent=DEPENDENT_COLUMNS,
                        total_shown: bool = True, mode: str | Disclosure = Disclosure.PUBLIC) -> pd.DataFrame:
    """A copy of an area table as it may be published.

    Parameters
    ----------
    table : DataFrame or GeoDataFrame
        One row per area; derived columns computed from :func:`publishable_counts` (this
        hides rows, it cannot clean a figure computed from true small counts).
    count : str
        The count column.
    dependent : iterable of str
        Columns hidden with the count (those absent from ``table`` are skipped).
    total_shown : bool
        Whether the total of ``count`` is shown anywhere (then :func:`protect_line`).
    mode : {"public", "internal"}
        ``internal`` hides nothing.

    Returns
    -------
    DataFrame
        The copy, with a bool ``suppressed`` column and a ``suppression`` code column
        (``"small"``, ``"complementary"`` or ``""``); hidden rows have NaN in ``count``
        and the numeric dependent columns and :data:`SUPPRESSED` in the text ones.
        ``attrs["disclosure"]`` holds the mode.
    """
    mode = Disclosure(mode)
    out = table.copy()
    counts = np.nan_to_num(_numbers(table[count]))
    is_small = small(counts) if mode is Disclosure.PUBLIC else np.zeros(counts.shape, bool)
    hidden = protect_line(counts, is_small) if total_shown and is_small.any() else is_small
    out["suppressed"] = hidden
    out["suppression"] = np.where(is_small, "small", np.where(hidden, "complementary", ""))
    for column in (count, *dependent):
        if column in out.columns:
            _blank(out, column, hidden)
    out.attrs["disclosure"] = mode.value
    return out


def mask_density(values, contributors, min_contributors: int = SUPPRESS_BELOW,
                 mode: str | Disclosure = Disclosure.PUBLIC) -> np.ndarray:
    """A copy of a density surface with NaN (transparent, nodata) in every cell that fewer
    than ``min_contributors`` incidents reach — empty cells included, so the hidden cells
    do not draw the discs around isolated incidents."""
    out = np.array(values, dtype=float, copy=True)
    if Disclosure(mode) is Disclosure.PUBLIC:
        out[np.asarray(contributors) < min_contributors] = np.nan
    return out
