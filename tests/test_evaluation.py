"""Evaluation of a measure: WDD and WDQ worked by hand, ITS recovers a simulated drop."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from juvmap.stats.evaluation import (
    InsufficientData,
    evaluate,
    interrupted_time_series,
    monthly_counts,
    ratio_of_ratios,
    verdict,
    wdd_test,
    wdq,
)

COUNTS = {"T0": 100, "T1": 70, "C0": 80, "C1": 90, "D0": 50, "D1": 55, "CD0": 40, "CD1": 42}


def test_wdd_with_displacement_area_by_hand():
    # ΔT = −30, ΔC = 10, ΔD = 5, ΔCD = 2 → WDD = −30 − 10 + 5 − 2 = −37; var = sum of the 8 counts
    result = wdd_test(COUNTS)
    assert result["wdd"] == -37
    assert result["wdd_var"] == 527
    assert result["wdd_se"] == pytest.approx(math.sqrt(527))
    assert result["wdd_z"] == pytest.approx(-37 / 22.956480566497994)
    assert result["wdd_p"] == pytest.approx(0.10702, abs=1e-4)
    assert result["displacement"]


def test_wdd_without_displacement_area_is_delta_t_minus_delta_c():
    result = wdd_test({k: COUNTS[k] for k in ("T0", "T1", "C0", "C1")})
    assert result["wdd"] == -40 and result["wdd_var"] == 100 + 70 + 80 + 90
    assert result["wdd_z"] == pytest.approx(-40 / math.sqrt(340))
    assert result["wdd_p"] == pytest.approx(2 * stats.norm.sf(40 / math.sqrt(340)))
    assert not result["displacement"] and math.isnan(result["delta_d"])


def test_wdq_by_hand_and_its_readings():
    # success = 70/90 − 100/80 = −0.47222; buffer = 55/90 − 50/80 = −0.013889 → WDQ = 0.02941
    result = wdq(COUNTS)
    assert result["success_measure"] == pytest.approx(70 / 90 - 100 / 80)
    assert result["wdq"] == pytest.approx((55 / 90 - 50 / 80) / (70 / 90 - 100 / 80))
    assert result["reading"] == "diffusion"
    assert wdq({**COUNTS, "D1": 80})["reading"] == "displacement"  # buffer rose by less than T fell
    assert wdq({**COUNTS, "D1": 120})["reading"] == "displacement_exceeds"
    assert wdq({**COUNTS, "D1": 10})["reading"] == "diffusion_exceeds"
    assert wdq({**COUNTS, "T1": 130})["reading"] == "no_success"
    assert wdq({**COUNTS, "C1": 0})["reading"] == "undefined"


def test_ratio_of_ratios_and_verdict():
    rr = ratio_of_ratios(100, 70, 80, 90)
    assert rr["change"] == pytest.approx((70 / 100) / (90 / 80) - 1)
    se = math.sqrt(1 / 100 + 1 / 70 + 1 / 80 + 1 / 90)
    assert rr["change_low"] == pytest.approx(math.exp(math.log(rr["change"] + 1) - 1.959964 * se) - 1)
    result = verdict(COUNTS)
    assert result["code"] == "fell_more" and result["change_low"] < result["change"] < result["change_high"] < 0
    assert result["displacement"] == "no_sign"
    assert verdict({**COUNTS, "T1": 112})["code"] == "no_difference"
    assert verdict({"T0": 0, "T1": 3, "C0": 5, "C1": 4})["code"] == "insufficient_data"


def _simulated(rng, base=250.0, drop=0.2, months=60, start=36):
    index = pd.period_range("2019-01", periods=months, freq="M")
    t = np.arange(months)
    mean = base * np.exp(0.003 * t + 0.15 * np.sin(2 * np.pi * index.month / 12))
    mean = mean * np.where(t >= start, 1 - drop, 1.0)
    return pd.Series(rng.poisson(mean), index=index)


def test_its_recovers_a_20_percent_drop_in_at_least_90_percent_of_200_series():
    rng = np.random.default_rng(17)
    estimates = np.array([interrupted_time_series(_simulated(rng), "2022-01")["level_change"]
                          for _ in range(200)])
    within = np.abs(estimates - (-0.20)) <= 0.05
    assert within.mean() >= 0.90, within.mean()


def test_its_negative_binomial_also_recovers_the_drop():
    rng = np.random.default_rng(3)
    result = interrupted_time_series(_simulated(rng), "2022-01", family="negbin")
    assert result["level_low"] < -0.2 < result["level_high"]
    assert result["family"] == "negbin" and result["pre_points"] == 36 and result["post_points"] == 24


def test_its_refuses_below_12_pre_period_points():
    series = _simulated(np.random.default_rng(1))
    with pytest.raises(InsufficientData) as info:
        interrupted_time_series(series, "2019-12")  # 11 months before
    assert info.value.code == "too_few_pre_points" and info.value.found == 11
    assert "12" in str(info.value)
    assert interrupted_time_series(series, "2020-01")["pre_points"] == 12


def test_monthly_counts_fill_empty_months():
    series = monthly_counts(pd.to_datetime(["2020-01-05", "2020-03-01", "2020-03-31", None]),
                            "2020-01", "2020-04")
    assert series.tolist() == [1, 0, 2, 0]


def test_evaluate_counts_areas_and_periods(demo):
    region = demo["region"].astype(str).to_numpy()
    masks = {"T": region == "KZ-75", "C": region == "KZ-71"}
    result = evaluate(demo["date"], masks, (2019, 2021), (2022, 2023))
    year = demo["date"].dt.year
    expected_t0 = int(((demo["region"] == "KZ-75") & year.between(2019, 2021)).sum())
    assert result["counts"]["T0"] == expected_t0
    assert result["wdd"]["wdd"] == (result["counts"]["T1"] - result["counts"]["T0"]
                                    - result["counts"]["C1"] + result["counts"]["C0"])
    assert result["its"]["pre_points"] == 36 and result["wdq"] is None
    late = (demo["date"] >= "2021-03-01").to_numpy()  # data from March 2021: 10 months before 2022
    short = evaluate(demo.loc[late, "date"], {k: m[late] for k, m in masks.items()},
                     (2019, 2021), (2022, 2023))
    assert short["its"] is None and short["its_error"]["code"] == "too_few_pre_points"
