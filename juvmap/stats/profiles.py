"""Structure of the incidents per region and nationally, and the hour × weekday table.

Shares always come with their counts; a share is the part of the incidents of a unit
with a known value of the variable (missing values are left out of the denominator).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from juvmap.i18n import N_
from juvmap.stats.filters import IncidentFilter, incident_hours
from juvmap.stats.trends import NATIONAL

__all__ = ["PROFILE_VARIABLES", "age_band", "hour_weekday_table", "structure_shares"]

#: variable -> untranslated label; ``age_band`` is derived from ``age``
PROFILE_VARIABLES: dict[str, str] = {
    "category": N_("Offence category"),
    "gravity": N_("Gravity"),
    "age_band": N_("Age"),
    "sex": N_("Sex"),
    "pupil": N_("Pupil or student"),
    "repeat": N_("Repeat offence"),
    "group": N_("Committed in a group"),
    "intoxicated": N_("Intoxicated"),
    "place": N_("Place"),
}


def age_band(age: pd.Series) -> pd.Series:
    """Return "14–15", "16–17" or missing for each age (other ages are missing)."""
    num = pd.to_numeric(age, errors="coerce")
    band = pd.Series(pd.NA, index=age.index, dtype="string")
    band[(num >= 14) & (num <= 15)] = "14–15"
    band[(num >= 16) & (num <= 17)] = "16–17"
    return band


def _values(data: pd.DataFrame, variable: str) -> pd.Series:
    if variable == "age_band":
        return age_band(data["age"]) if "age" in data else pd.Series(pd.NA, index=data.index, dtype="string")
    if variable not in data.columns:
        return pd.Series(pd.NA, index=data.index, dtype="string")
    col = data[variable]
    if variable in ("pupil", "repeat", "group", "intoxicated"):
        col = pd.to_numeric(col, errors="coerce").astype("Int64")
    return col.astype("string")


def structure_shares(
    incidents: pd.DataFrame,
    variables: list[str] | None = None,
    filter: IncidentFilter | None = None,  # noqa: A002
    column: str = "region",
    national: bool = True,
) -> pd.DataFrame:
    """Counts and shares of each value of each variable, per unit and nationally.

    Parameters
    ----------
    incidents : DataFrame
        Canonical incident table.
    variables : list of str, optional
        Keys of :data:`PROFILE_VARIABLES` (default: all of them).
    filter : IncidentFilter, optional
        Applied first.
    column : str
        Unit code column.
    national : bool
        Add rows for code :data:`~juvmap.stats.trends.NATIONAL` over all incidents.

    Returns
    -------
    DataFrame
        Long table ``code, variable, value, count, share``; within one code and variable
        the shares sum to 1 (flags are "0"/"1").
    """
    data = incidents if filter is None else incidents.loc[filter.mask(incidents)]
    variables = list(PROFILE_VARIABLES) if variables is None else variables
    unknown = set(variables) - set(PROFILE_VARIABLES)
    if unknown:
        raise ValueError(f"unknown profile variables: {sorted(unknown)}")
    codes = data[column].astype("string") if column in data else pd.Series(pd.NA, index=data.index, dtype="string")
    parts = []
    for variable in variables:
        values = _values(data, variable)
        frame = pd.DataFrame({"code": codes, "value": values}).dropna()
        groups = [frame]
        if national:
            groups.append(frame.assign(code=NATIONAL))
        both = pd.concat(groups, ignore_index=True)
        count = both.groupby(["code", "value"]).size().rename("count").reset_index()
        count["share"] = count["count"] / count.groupby("code")["count"].transform("sum")
        count.insert(1, "variable", variable)
        parts.append(count)
    if not parts:
        return pd.DataFrame(columns=["code", "variable", "value", "count", "share"])
    out = pd.concat(parts, ignore_index=True)
    out["count"] = out["count"].astype("int64")
    return out.sort_values(["code", "variable", "value"], ignore_index=True)


def hour_weekday_table(
    incidents: pd.DataFrame,
    filter: IncidentFilter | None = None,  # noqa: A002
    shares: bool = False,
) -> pd.DataFrame:
    """Incidents by hour of day (rows 0–23) and weekday (columns 0 = Monday … 6).

    Rows without a usable time or date are left out. With ``shares=True`` each cell is
    its part of the table total (the cells sum to 1; all NaN when there is no incident).
    """
    data = incidents if filter is None else incidents.loc[filter.mask(incidents)]
    hour = incident_hours(data)
    day = pd.to_datetime(data["date"], errors="coerce").dt.day_of_week if "date" in data else hour * np.nan
    ok = hour.notna() & day.notna()
    table = pd.crosstab(hour[ok].astype(int), day[ok].astype(int))
    table = table.reindex(index=range(24), columns=range(7), fill_value=0).astype("int64")
    table.index.name, table.columns.name = "hour", "weekday"
    if shares:
        total = table.to_numpy().sum()
        return table / total if total else table * np.nan
    return table
