"""Select incidents by year, offence, offender and time: :class:`IncidentFilter`.

A filter is a frozen, JSON-friendly value. ``None`` in a field means "no constraint".
:func:`parse_filter` reads the CLI ``--filter`` expressions (``category=property,person``,
``age=14-15``, ``hour=22-3``, ``sex=F``, ``years=2021-2023``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _

__all__ = ["IncidentFilter", "incident_hours", "parse_filter", "WEEKDAYS"]

#: weekday names accepted by ``weekday=`` (0 = Monday, as pandas ``dayofweek``)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# field -> (incident column, kind); kind: "set" of strings, "range" of ints, "flag" 0/1
_COLUMNS: dict[str, tuple[str, str]] = {
    "years": ("date", "years"),
    "categories": ("category", "set"),
    "articles": ("article", "set"),
    "gravity": ("gravity", "set"),
    "age": ("age", "range"),
    "sex": ("sex", "set"),
    "pupil": ("pupil", "flag"),
    "repeat": ("repeat", "flag"),
    "group": ("group", "flag"),
    "intoxicated": ("intoxicated", "flag"),
    "hours": ("time", "hours"),
    "weekdays": ("date", "weekdays"),
    "places": ("place", "set"),
}

# CLI key -> field name
_KEYS = {
    "year": "years", "years": "years", "category": "categories", "categories": "categories",
    "article": "articles", "articles": "articles", "gravity": "gravity", "age": "age",
    "sex": "sex", "pupil": "pupil", "repeat": "repeat", "group": "group",
    "intoxicated": "intoxicated", "hour": "hours", "hours": "hours", "weekday": "weekdays",
    "weekdays": "weekdays", "place": "places", "places": "places",
}


@dataclass(frozen=True)
class IncidentFilter:
    """Constraints on an incident table; every ``None`` field lets all rows through.

    Attributes
    ----------
    years : tuple of int, optional
        Inclusive ``(first, last)`` year of ``date``.
    categories, articles, gravity, sex, places : tuple of str, optional
        Allowed values of ``category``, ``article``, ``gravity``, ``sex``, ``place``.
    age : tuple of int, optional
        Inclusive ``(youngest, oldest)`` age in years.
    pupil, repeat, group, intoxicated : bool, optional
        Required value of the 0/1 flag columns.
    hours : tuple of int, optional
        Inclusive ``(start, end)`` hour of day (0–23); ``start > end`` wraps past
        midnight, so ``(22, 3)`` keeps 22:00–03:59.
    weekdays : tuple of int, optional
        Allowed weekdays of ``date``, 0 = Monday … 6 = Sunday.
    """

    years: tuple[int, int] | None = None
    categories: tuple[str, ...] | None = None
    articles: tuple[str, ...] | None = None
    gravity: tuple[str, ...] | None = None
    age: tuple[int, int] | None = None
    sex: tuple[str, ...] | None = None
    pupil: bool | None = None
    repeat: bool | None = None
    group: bool | None = None
    intoxicated: bool | None = None
    hours: tuple[int, int] | None = None
    weekdays: tuple[int, ...] | None = None
    places: tuple[str, ...] | None = None

    @property
    def is_empty(self) -> bool:
        """Whether no field constrains anything."""
        return all(getattr(self, f.name) is None for f in fields(self))

    def mask(self, df: pd.DataFrame) -> np.ndarray:
        """Return a boolean array: which rows of ``df`` pass every constraint.

        Raises
        ------
        AnalysisError
            If a constrained column is missing from ``df``.
        """
        keep = np.ones(len(df), dtype=bool)
        for name, (column, kind) in _COLUMNS.items():
            value = getattr(self, name)
            if value is None:
                continue
            if column not in df.columns:
                raise AnalysisError(
                    _("Cannot filter: the data has no column {column}.").format(column=column)
                )
            col = df[column]
            if kind == "set":
                keep &= col.astype("string").isin([str(v) for v in value]).fillna(False).to_numpy(bool)
            elif kind == "range":
                num = pd.to_numeric(col, errors="coerce").to_numpy(float)
                keep &= (num >= value[0]) & (num <= value[1])
            elif kind == "flag":
                num = pd.to_numeric(col, errors="coerce").to_numpy(float)
                keep &= num == (1.0 if value else 0.0)
            elif kind == "years":
                year = pd.to_datetime(col, errors="coerce").dt.year.to_numpy(float)
                keep &= (year >= value[0]) & (year <= value[1])
            elif kind == "weekdays":
                day = pd.to_datetime(col, errors="coerce").dt.day_of_week.to_numpy(float)
                keep &= np.isin(day, list(value))
            else:  # hours
                hour = incident_hours(df).to_numpy(float)
                start, end = value
                if start <= end:
                    keep &= (hour >= start) & (hour <= end)
                else:
                    keep &= (hour >= start) | (hour <= end)
        return keep

    def usable_on(self, df: pd.DataFrame) -> tuple[IncidentFilter, tuple[str, ...]]:
        """This filter without the constraints on columns ``df`` lacks, and those fields."""
        dropped = tuple(name for name, (column, _kind) in _COLUMNS.items()
                        if getattr(self, name) is not None and column not in df.columns)
        return replace(self, **{name: None for name in dropped}), dropped

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return the rows of ``df`` that pass (a new frame; ``df`` is not changed)."""
        if self.is_empty:
            return df.copy()
        return df.loc[self.mask(df)].copy()

    def to_dict(self) -> dict[str, Any]:
        """Return the non-empty constraints as JSON-friendly lists and scalars."""
        out = {}
        for key, value in asdict(self).items():
            if value is not None:
                out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def to_expressions(self) -> list[str]:
        """Return ``key=value`` expressions that :func:`parse_filter` reads back."""
        out = []
        for key, value in self.to_dict().items():
            kind = _COLUMNS[key][1]
            if kind in ("range", "years", "hours"):
                text = f"{value[0]}-{value[1]}"
            elif kind == "flag":
                text = "yes" if value else "no"
            elif key == "weekdays":
                text = ",".join(WEEKDAYS[d] for d in value)
            else:
                text = ",".join(value)
            out.append(f"{key}={text}")
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IncidentFilter:
        """Build a filter from :meth:`to_dict` output; unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown filter fields: {sorted(unknown)}")
        values = {}
        for key, value in data.items():
            if value is None or isinstance(value, bool):
                values[key] = value
            elif _COLUMNS[key][1] in ("range", "years", "hours"):
                values[key] = (int(value[0]), int(value[1]))
            elif key == "weekdays":
                values[key] = tuple(int(v) for v in value)
            else:
                values[key] = tuple(str(v) for v in value)
        return cls(**values)


def incident_hours(df: pd.DataFrame) -> pd.Series:
    """Return the hour of day (float, NaN when unknown) from the ``time`` column.

    ``time`` may hold ``"HH:MM"`` strings or hour numbers.
    """
    if "time" not in df.columns:
        return pd.Series(np.nan, index=df.index, dtype=float)
    col = df["time"]
    num = pd.to_numeric(col, errors="coerce")
    text = col.astype("string").str.extract(r"^\s*(\d{1,2})\s*[:.hH]", expand=False)
    hours = num.where(num.notna(), pd.to_numeric(text, errors="coerce")).astype(float)
    return hours.where((hours >= 0) & (hours < 24))


def _bad(expr: str) -> AnalysisError:
    return AnalysisError(_("Cannot read the filter {expr}.").format(expr=expr))


def _int_range(text: str, expr: str) -> tuple[int, int]:
    parts = text.replace("–", "-").split("-")
    try:
        if len(parts) == 1:
            return int(parts[0]), int(parts[0])
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        pass
    raise _bad(expr)


def _flag(text: str, expr: str) -> bool:
    low = text.strip().lower()
    if low in ("1", "yes", "true", "y"):
        return True
    if low in ("0", "no", "false", "n"):
        return False
    raise _bad(expr)


def _weekdays(text: str, expr: str) -> tuple[int, ...]:
    days = []
    for part in text.split(","):
        low = part.strip().lower()[:3]
        if low in WEEKDAYS:
            days.append(WEEKDAYS.index(low))
        elif low.isdigit() and 1 <= int(low) <= 7:
            days.append(int(low) - 1)
        else:
            raise _bad(expr)
    return tuple(sorted(set(days)))


def parse_filter(
    expressions: list[str] | tuple[str, ...] | str, base: IncidentFilter | None = None
) -> IncidentFilter:
    """Read CLI filter expressions ``key=value`` into an :class:`IncidentFilter`.

    Parameters
    ----------
    expressions : str or sequence of str
        For example ``["category=property,person", "age=14-15", "hour=22-3",
        "weekday=sat,sun", "pupil=yes"]``. Weekdays are names or 1 (Monday) – 7.
    base : IncidentFilter, optional
        Filter the expressions add to (later keys replace earlier ones).

    Raises
    ------
    AnalysisError
        On an unknown key or a value that cannot be read.
    """
    if isinstance(expressions, str):
        expressions = [expressions]
    result = base or IncidentFilter()
    for expr in expressions:
        key, sep, text = expr.partition("=")
        name = _KEYS.get(key.strip().lower())
        if not sep or name is None or not text.strip():
            raise _bad(expr)
        kind = _COLUMNS[name][1]
        if kind in ("range", "years", "hours"):
            value: Any = _int_range(text.strip(), expr)
            if kind == "hours" and not all(0 <= h <= 23 for h in value):
                raise _bad(expr)
            if kind != "hours" and value[0] > value[1]:
                raise _bad(expr)
        elif kind == "flag":
            value = _flag(text, expr)
        elif kind == "weekdays":
            value = _weekdays(text, expr)
        else:
            value = tuple(v.strip() for v in text.split(",") if v.strip())
        result = replace(result, **{name: value})
    return result
