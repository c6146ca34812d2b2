"""Aoristic hour weights (Ratcliffe 2002), the school calendar and the after-school share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from juvmap.stats.aoristic import (
    after_school_share,
    aoristic_weights,
    day_types,
    hour_weekday_by_day_type,
    school_calendar,
)


def test_span_is_spread_evenly_over_the_hours_it_touches():
    table = pd.DataFrame({
        "date": ["2023-11-08", "2023-11-08", "2023-11-08", None, "2023-11-08", "2023-11-08"],
        "time": ["23:30", "10:15", None, "01:00", "12:00", "12:00"],
        "date_end": ["2023-11-09", None, None, None, "2023-11-20", "2023-11-07"],
        "time_end": ["01:10", None, None, None, "12:00", "10:00"],
    })
    weights = aoristic_weights(table)
    by_row = weights.groupby("row")
    assert by_row["weight"].sum().tolist() == pytest.approx([1, 1, 1])
    span = weights[weights["row"] == 0]
    assert span["hour"].tolist() == [23, 0, 1] and span["weight"].tolist() == pytest.approx([1 / 3] * 3)
    assert span["weekday"].tolist() == [2, 3, 3]  # Wednesday 23:00, then Thursday
    assert weights.loc[weights["row"] == 1, "hour"].tolist() == [10]
    untimed = weights[weights["row"] == 2]
    assert untimed["hour"].tolist() == list(range(24)) and untimed["weight"].iloc[0] == pytest.approx(1 / 24)
    rejected = weights.attrs["rejected"]
    assert rejected.set_index("row")["reason"].to_dict() == {
        3: "no_date", 4: "span_over_week", 5: "end_before_start"}


def test_day_types_follow_the_school_calendar():
    dates = ["2023-11-01", "2023-11-08", "2023-11-11", "2024-05-01", "2024-07-10", "2015-01-05",
             "2023-03-27"]
    assert list(day_types(dates)) == ["holiday", "school_day", "day_off", "day_off", "holiday",
                                      "unknown", "school_day"]
    calendar = school_calendar()
    assert {"school_year", "kind", "start", "end", "verified", "source"} <= set(calendar.columns)
    assert (calendar["end"] >= calendar["start"]).all()
    assert calendar["source"].str.len().gt(10).all()


def test_after_school_share_and_its_wilson_interval():
    table = pd.DataFrame({"date": ["2023-11-08"] * 4 + ["2023-11-11"],
                          "time": ["15:00", "14:00", "18:59", "10:00", "15:00"]})
    weights = aoristic_weights(table)
    result = after_school_share(weights)
    assert result["share"] == pytest.approx(0.75) and result["total"] == 4
    low, high = proportion_confint(3, 4, method="wilson")
    assert (result["low"], result["high"]) == pytest.approx((low, high))
    grid = hour_weekday_by_day_type(weights)
    assert grid.loc[("school_day", 15), 2] == 1 and grid.loc[("day_off", 15), 5] == 1
    assert grid.to_numpy().sum() == pytest.approx(5)


def test_demo_weights_account_for_every_incident(demo):
    weights = aoristic_weights(demo)
    assert weights["weight"].sum() + len(weights.attrs["rejected"]) == pytest.approx(len(demo))
    assert np.isfinite(after_school_share(weights)["share"])
