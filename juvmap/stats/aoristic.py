"""Juvenile time: aoristic hour weights, school days and holidays, the after-school share.

Aoristic weights (Ratcliffe 2002, "Aoristic signatures and the spatio-temporal analysis of
high volume crime patterns", *J. Quantitative Criminology* 18:23–43): an offence known
only to have happened between a start and an end is spread evenly over the clock hours
its span touches — each of the ``k`` hour blocks from the start hour to the end hour
(both included) gets ``1/k``. An offence with one time gets weight 1 in its hour; one
with a date but no time is spread over the 24 hours of that day. Spans longer than 7 days
(168 blocks) carry no information about the hour and are not spread: they are listed in
``attrs["rejected"]`` (code ``"span_over_week"``), as are ends before starts
(``"end_before_start"``) and rows without a date (``"no_date"``).

Columns read: ``date`` and ``time`` (the start) and, when present, ``date_end`` and
``time_end``.

Day types (``data/school_calendar.csv``, see ``data/README.md``): ``"holiday"`` inside a
school holiday of the table, else ``"day_off"`` on Saturdays, Sundays and the fixed-date
public holidays of :data:`PUBLIC_HOLIDAYS`, else ``"school_day"``; dates outside the
table's years are ``"unknown"``.

The after-school share is the part of the school-day weight that falls in the hours
14:00–18:59 (the Concept's 14:00–19:00 window), with a Wilson score interval taking the
school-day weight as the number of trials (exact for untimed spans of one hour).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from juvmap.paths import data_path
from juvmap.stats.filters import incident_hours

__all__ = ["DAY_TYPES", "PUBLIC_HOLIDAYS", "after_school_share", "aoristic_weights",
           "day_types", "hour_weekday_by_day_type", "school_calendar"]

DAY_TYPES = ("school_day", "day_off", "holiday", "unknown")
#: fixed-date public holidays (month, day) of Kazakhstan; Nauryz 21–23 March is inside
#: the spring school holidays in most years; 25 October since 2022
PUBLIC_HOLIDAYS = ((1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7),
                   (5, 9), (7, 6), (8, 30), (10, 25), (12, 16))
MAX_BLOCKS = 168


@lru_cache(maxsize=1)
def school_calendar() -> pd.DataFrame:
    """The school holidays table (``school_year, kind, start, end, verified, source``)."""
    table = pd.read_csv(data_path("school_calendar.csv"), dtype=str)
    table["start"] = pd.to_datetime(table["start"])
    table["end"] = pd.to_datetime(table["end"])
    return table


def day_types(dates, calendar: pd.DataFrame | None = None) -> np.ndarray:
    """Day type code of each date (see the module docstring)."""
    calendar = school_calendar() if calendar is None else calendar
    day = pd.to_datetime(pd.Series(np.asarray(dates)), errors="coerce").dt.normalize()
    values = day.to_numpy(dtype="datetime64[ns]")
    holiday = np.zeros(values.shape, bool)
    for start, end in zip(calendar["start"], calendar["end"], strict=True):
        holiday |= (values >= np.datetime64(start)) & (values <= np.datetime64(end))
    month_day = (day.dt.month * 100 + day.dt.day).to_numpy()
    public = np.isin(month_day, [m * 100 + d for m, d in PUBLIC_HOLIDAYS])
    day_off = (day.dt.day_of_week >= 5).to_numpy() | public
    first = np.datetime64(pd.Timestamp(f"{str(calendar['school_year'].min())[:4]}-09-01"))
    covered = (values >= first) & (values <= np.datetime64(calendar["end"].max()))
    out = np.where(holiday, "holiday", np.where(day_off, "day_off", "school_day")).astype(object)
    out[~covered | day.isna().to_numpy()] = "unknown"
    return out


def _instant(frame: pd.DataFrame, date_col: str, time_col: str) -> tuple[pd.Series, pd.Series]:
    """Start of the hour block of each row and whether its time is known."""
    day = pd.to_datetime(frame[date_col], errors="coerce").dt.normalize() if date_col in frame \
        else pd.Series(pd.NaT, index=frame.index)
    hours = incident_hours(frame.rename(columns={time_col: "time"})[["time"]]) \
        if time_col in frame else pd.Series(np.nan, index=frame.index)
    return day + pd.to_timedelta(hours.fillna(0), unit="h"), hours.notna()


def aoristic_weights(incidents: pd.DataFrame) -> pd.DataFrame:
    """Spread every incident over the hour blocks of its span (Ratcliffe 2002).

    Returns
    -------
    DataFrame
        Long table ``row`` (position in ``incidents``), ``when`` (start of the hour block),
        ``hour``, ``weekday`` (0 = Monday), ``day_type``, ``weight`` (each row's weights sum
        to 1). ``attrs["rejected"]``: a frame ``row, reason`` of the incidents left out.
    """
    start, start_timed = _instant(incidents, "date", "time")
    whole_day = pd.Timedelta(hours=23)
    end = start.where(start_timed, start + whole_day)  # one time: its hour; no time: the day
    nothing = pd.Series(np.nan, index=incidents.index)
    date_end, time_end = incidents.get("date_end", nothing), incidents.get("time_end", nothing)
    has_end = (date_end.notna() | time_end.notna()).to_numpy()
    if has_end.any():
        end_frame = pd.DataFrame({"date": date_end.where(date_end.notna(), incidents["date"]),
                                  "time": time_end}, index=incidents.index)
        span_end, end_timed = _instant(end_frame, "date", "time")
        span_end = span_end.where(end_timed, span_end + whole_day)
        end = end.where(~has_end, span_end)
    blocks = ((end - start) / pd.Timedelta(hours=1)).to_numpy() + 1
    reason = np.select([start.isna().to_numpy(), blocks < 1, blocks > MAX_BLOCKS],
                       ["no_date", "end_before_start", "span_over_week"], "")
    ok = reason == ""
    k = np.where(ok, np.nan_to_num(blocks), 0).astype(np.int64)
    rows = np.repeat(np.arange(len(incidents)), k)
    offset = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
    when = pd.DatetimeIndex(start.to_numpy()[rows]) + pd.to_timedelta(offset, unit="h")
    out = pd.DataFrame({"row": rows, "when": when, "hour": when.hour, "weekday": when.day_of_week,
                        "day_type": day_types(when), "weight": 1.0 / k[rows]})
    out.attrs["rejected"] = pd.DataFrame({"row": np.flatnonzero(~ok), "reason": reason[~ok]})
    return out


def hour_weekday_by_day_type(weights: pd.DataFrame) -> pd.DataFrame:
    """Aoristic weight per day type, hour (0–23) and weekday (columns 0–6).

    Returns
    -------
    DataFrame
        MultiIndex ``(day_type, hour)`` for every day type present, columns 0 … 6.
    """
    table = weights.pivot_table(index=["day_type", "hour"], columns="weekday", values="weight",
                                aggfunc="sum", fill_value=0.0)
    present = [t for t in DAY_TYPES if t in set(weights["day_type"])]
    index = pd.MultiIndex.from_product([present, range(24)], names=["day_type", "hour"])
    return table.reindex(index=index, columns=range(7), fill_value=0.0)


def after_school_share(weights: pd.DataFrame, first_hour: int = 14, end_hour: int = 19,
                       day_type: str = "school_day", confidence: float = 0.95) -> pd.Series:
    """Share of the ``day_type`` weight in the hours ``first_hour`` … ``end_hour − 1``.

    Returns
    -------
    pandas.Series
        ``share, low, high`` (Wilson score interval), ``weight`` (in the window) and
        ``total`` (all weight of that day type); NaN share when the total is 0.
    """
    days = weights[weights["day_type"] == day_type]
    total = float(days["weight"].sum())
    inside = float(days.loc[(days["hour"] >= first_hour) & (days["hour"] < end_hour), "weight"].sum())
    if total <= 0:
        return pd.Series({"share": np.nan, "low": np.nan, "high": np.nan, "weight": 0.0, "total": 0.0})
    share = inside / total
    z = stats.norm.ppf(0.5 + confidence / 2)
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z / (1 + z * z / total) * np.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    return pd.Series({"share": share, "low": max(0.0, centre - half), "high": min(1.0, centre + half),
                      "weight": inside, "total": total})
