"""Suppress small counts about minors in a Form 1-M table before it leaves juvmap.

Counts of 1–4 (:data:`juvmap.numbers.SUPPRESS_BELOW`) become "<5". So that a hidden count
cannot be recovered by subtraction, a group whose parts add up to a shown total never has
exactly one hidden part: the next smallest non-zero part is hidden too.
"""

from __future__ import annotations

import pandas as pd

from juvmap.numbers import SUPPRESS_BELOW

HIDDEN = f"<{SUPPRESS_BELOW}"
#: counts about minors (registered offences, all ages, are not suppressed)
MINOR_COLUMNS: tuple[str, ...] = (
    "offences_by_minors", "offences_against_minors", "juveniles", "juveniles_female",
    "juveniles_pupils", "juveniles_not_working_not_studying", "juveniles_in_group",
    "juveniles_registered", "juveniles_repeat", "juveniles_age_14_15", "juveniles_age_16_17",
    "juveniles_minor", "juveniles_medium", "juveniles_grave", "juveniles_especially_grave",
)
#: parts that add up (with parts not shown) to ``juveniles``
ADDITIVE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("juveniles_age_14_15", "juveniles_age_16_17"),
    ("juveniles_minor", "juveniles_medium", "juveniles_grave", "juveniles_especially_grave"),
)


def _small(value: object) -> bool:
    return isinstance(value, (int, float)) and 0 < value < SUPPRESS_BELOW


def _secondary(row: dict, group: tuple[str, ...]) -> None:
    present = [c for c in group if c in row]
    hidden = [c for c in present if _small(row[c])]
    if len(hidden) != 1:
        return
    others = [c for c in present if c not in hidden and isinstance(row[c], (int, float))
              and row[c] > 0]
    if others:
        row[min(others, key=lambda c: row[c])] = HIDDEN


def suppress_small_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with counts of minors of 1–4 shown as "<5" (object columns).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of Form 1-M indicators or by-article rows (columns of :data:`MINOR_COLUMNS`
        that are present are treated).

    Returns
    -------
    pandas.DataFrame
        A copy; suppressed cells hold the string "<5", other counts stay integers.
    """
    rows = table.to_dict("records")
    columns = [c for c in MINOR_COLUMNS if c in table.columns]
    for row in rows:
        for group in ADDITIVE_GROUPS:
            _secondary(row, group)
        for column in columns:
            if _small(row[column]):
                row[column] = HIDDEN
    return pd.DataFrame(rows, columns=table.columns, index=table.index)
