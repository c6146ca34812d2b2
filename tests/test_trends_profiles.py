"""Yearly counts and rates, change against 2022, linear trends, structure profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from juvmap.errors import AnalysisError
from juvmap.stats.filters import parse_filter
from juvmap.stats.profiles import age_band, hour_weekday_table, structure_shares
from juvmap.stats.rates import Denominator, rate_metadata
from juvmap.stats.trends import (
    NATIONAL,
    linear_trend,
    percent_change,
    yearly_counts,
    yearly_rates,
)


def crafted_incidents() -> pd.DataFrame:
    """KZ-75: 2, 4, 6, 8, 10 incidents in 2019–2023; KZ-71: 5 each year."""
    rows = []
    for i, year in enumerate(range(2019, 2024)):
        rows += [("KZ-75", f"{year}-03-0{1 + k % 7}") for k in range(2 * (i + 1))]
        rows += [("KZ-71", f"{year}-07-15") for _ in range(5)]
    df = pd.DataFrame(rows, columns=["region", "date"])
    df["date"] = pd.to_datetime(df["date"])
    n = len(df)
    df["sex"] = np.where(np.arange(n) % 3 == 0, "F", "M")
    df["age"] = 14 + np.arange(n) % 4
    df["category"] = np.where(np.arange(n) % 2 == 0, "property", "person")
    df["pupil"] = np.arange(n) % 2
    df["place"] = "street"
    df["time"] = [f"{h:02d}:30" for h in np.arange(n) % 24]
    return df


def test_yearly_counts_with_national_row_and_filter():
    df = crafted_incidents()
    table = yearly_counts(df, codes=["KZ-75", "KZ-71", "KZ-10"], national=True)
    assert table.columns.tolist() == [2019, 2020, 2021, 2022, 2023]
    assert table.loc["KZ-75"].tolist() == [2, 4, 6, 8, 10]
    assert table.loc["KZ-71"].tolist() == [5] * 5
    assert table.loc["KZ-10"].tolist() == [0] * 5
    assert table.loc[NATIONAL].tolist() == [7, 9, 11, 13, 15]
    females = yearly_counts(df, filter=parse_filter(["sex=F"]))
    assert females.to_numpy().sum() == (df["sex"] == "F").sum()


def test_yearly_rates_and_percent_change_against_2022():
    counts = yearly_counts(crafted_incidents(), codes=["KZ-75", "KZ-71"], national=True)
    den = Denominator.juvenile(pd.Series({"KZ-75": 20_000.0, "KZ-71": 0.0}))
    rates = yearly_rates(counts, den)
    assert rates.loc["KZ-75", 2022] == pytest.approx(8 / 20_000 * 10_000)
    assert rates.loc["KZ-71"].isna().all()  # zero population: undefined
    assert rates.loc[NATIONAL, 2023] == pytest.approx(15 / 20_000 * 10_000)
    assert rate_metadata(rates).multiplier == 10_000
    change = percent_change(counts)
    assert change.loc["KZ-75", 2023] == pytest.approx(25.0)
    assert change.loc["KZ-75", 2019] == pytest.approx(-75.0)
    assert change.loc["KZ-71"].tolist() == [0.0] * 5
    zero_base = percent_change(pd.DataFrame({2022: [0], 2023: [3]}))
    assert np.isnan(zero_base.loc[0, 2023])
    with pytest.raises(AnalysisError):
        percent_change(counts, base_year=2030)


def test_linear_trend_slope_and_interval_match_textbook_ols():
    years = np.arange(2015, 2024)
    rng = np.random.default_rng(11)
    series = 40.0 - 1.5 * (years - 2015) + rng.normal(0, 2.0, years.size)
    table = pd.DataFrame([series, [np.nan, 3, 4, np.nan, 6, 7, 8, 9, 10]],
                         index=["A", "B"], columns=years)
    trend = linear_trend(table)
    # independent closed form
    x, y = years.astype(float), series
    sxx = ((x - x.mean()) ** 2).sum()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    resid = y - (y.mean() + slope * (x - x.mean()))
    se = np.sqrt((resid**2).sum() / (x.size - 2) / sxx)
    half = stats.t.ppf(0.975, x.size - 2) * se
    assert trend.loc["A", "slope"] == pytest.approx(slope)
    assert trend.loc["A", "ci_low"] == pytest.approx(slope - half)
    assert trend.loc["A", "ci_high"] == pytest.approx(slope + half)
    assert trend.loc["A", "ci_high"] < 0  # a clearly falling series
    assert trend.loc["B", "n_years"] == 7 and trend.loc["B", "slope"] == pytest.approx(1.0)
    short = linear_trend(pd.DataFrame([[1.0, 2.0]], columns=[2022, 2023]))
    assert short.loc[0, "slope"] == pytest.approx(1.0) and np.isnan(short.loc[0, "ci_low"])


def test_structure_shares_sum_to_one_with_counts():
    df = crafted_incidents()
    df.loc[0, "sex"] = None  # a missing value is left out of the shares
    shares = structure_shares(df)
    sums = shares.groupby(["code", "variable"])["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    sex = shares[(shares.code == NATIONAL) & (shares.variable == "sex")].set_index("value")
    assert sex["count"].sum() == len(df) - 1
    assert sex.loc["F", "count"] == (df["sex"] == "F").sum()
    bands = shares[(shares.code == "KZ-71") & (shares.variable == "age_band")].set_index("value")
    expected = age_band(df.loc[df.region == "KZ-71", "age"]).value_counts()
    assert bands["count"].to_dict() == expected.to_dict()
    assert set(shares.loc[shares.variable == "pupil", "value"]) == {"0", "1"}
    # variables absent from the data give no rows rather than an error
    assert shares[shares.variable == "gravity"].empty


def test_hour_weekday_table():
    df = crafted_incidents()
    df.loc[0, "time"] = None
    table = hour_weekday_table(df)
    assert table.shape == (24, 7)
    assert table.to_numpy().sum() == len(df) - 1
    first = df.iloc[1]
    assert table.loc[int(first["time"][:2]), first["date"].day_of_week] >= 1
    shares = hour_weekday_table(df, shares=True)
    assert shares.to_numpy().sum() == pytest.approx(1.0)
    night = hour_weekday_table(df, filter=parse_filter(["hour=22-1"]))
    assert night.loc[2:21].to_numpy().sum() == 0 and night.to_numpy().sum() > 0
