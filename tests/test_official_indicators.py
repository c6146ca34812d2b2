"""Official indicators (juvmap.stats.official) on the built-in Form 1-M 2022 layer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from juvmap.io import builtin
from juvmap.stats.official import (OFFICIAL_INDICATORS, binomial_ci, indicator_map_values,
                                   official_indicators)


@pytest.fixture(scope="module")
def inputs():
    return builtin.official_by_region(), builtin.juvenile_population()["population"]


def _row(frame, code, indicator, period="2022"):
    rows = frame[(frame["code"] == code) & (frame["indicator"] == indicator)
                 & (frame["period"] == period)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_binomial_interval_is_clopper_pearson():
    x, n = np.array([0, 3, 25, 139, 786]), np.array([10, 20, 139, 139, 1569])
    low, high = binomial_ci(x, n)
    ref_low, ref_high = proportion_confint(x, n, alpha=0.05, method="beta")
    assert np.allclose(low, ref_low) and np.allclose(high, ref_high)
    assert np.isnan(binomial_ci(np.array([1.0]), np.array([0.0]))[0]).all()


def test_rates_shares_and_the_national_row(inputs):
    official, population = inputs
    result = official_indicators(official, population)
    assert set(result["indicator"]) == set(OFFICIAL_INDICATORS)
    assert set(result["code"]) == set(official["region_iso"]) | {"KZ"}
    national = _row(result, "KZ", "juvenile_offenders_rate")
    assert national["numerator"] == 1569 and national["denominator"] == population.sum()
    assert national["value"] == pytest.approx(1569 / population.sum() * 10_000)
    assert national["ci_low"] < national["value"] < national["ci_high"]
    assert _row(result, "KZ", "offences_against_minors_rate")["numerator"] == 1980
    pupils = _row(result, "KZ-75", "share_pupils")  # Almaty: 25 pupils of 139
    assert pupils["value"] == pytest.approx(100 * 25 / 139) and pupils["unit"] == "percent"
    assert pupils["ci_low"] == pytest.approx(100 * proportion_confint(25, 139, method="beta")[0])
    assert _row(result, "KZ", "share_pupils")["value"] == pytest.approx(100 * 786 / 1569)


def test_small_denominators_and_suppressed_counts_give_no_share(inputs):
    official, population = inputs
    result = official_indicators(official, population)
    ulytau = _row(result, "KZ-62", "share_pupils")  # 2 juveniles
    assert ulytau["status"] == "small_denominator" and np.isnan(ulytau["value"])
    assert _row(result, "KZ-62", "juvenile_offenders_rate")["status"] == "ok"
    hidden = result[result["status"] == "suppressed_numerator"]
    assert len(hidden) and hidden["value"].isna().all()
    assert ((hidden["numerator"] > 0) & (hidden["numerator"] < 5)).all()
    shown = result[(result["unit"] == "percent") & (result["status"] == "ok")]
    assert (shown["denominator"] >= 20).all()
    assert not ((shown["numerator"] > 0) & (shown["numerator"] < 5)).any()
    assert _row(result, "KZ-10", "share_pupils")["caveat_code"] == "new_region_partial_year"
    assert _row(result, "KZ-19", "share_pupils")["caveat_code"] == "parent_of_2022_split"


def test_change_against_2022_never_across_the_split(inputs):
    official, population = inputs
    later = official.assign(period="2023", juveniles=official["juveniles"] * 2)
    result = official_indicators(pd.concat([official, later]), population)
    almaty = _row(result, "KZ-75", "juvenile_offenders_rate", "2023")
    assert almaty["change_status"] == "ok" and almaty["change_percent"] == pytest.approx(100)
    for code in ("KZ-10", "KZ-33", "KZ-62", "KZ-19", "KZ-35", "KZ-63"):
        row = _row(result, code, "juvenile_offenders_rate", "2023")
        assert row["change_status"] == "split_2022" and np.isnan(row["change"])
        assert row["caveat_code"] == ""  # a 2023 figure covers the whole year
    assert _row(result, "KZ", "juvenile_offenders_rate", "2023")["change_percent"] == pytest.approx(100)
    assert _row(result, "KZ-75", "share_pupils", "2022")["change_status"] == "base_period"
    values = indicator_map_values(result, "share_pupils", "2023")
    assert "KZ" not in values.index and len(values) == 20


def test_imported_workbooks_feed_the_same_function(shared, inputs):
    from juvmap.io.form1m import read_many

    forms = shared / "forms_1m" / "2022"
    table, _articles, _books = read_many([forms / "Almaty.XLSX", forms / "Astana.XLSX"],
                                         period="2022")
    result = official_indicators(table, inputs[1])
    builtin_result = official_indicators(*inputs)
    for code in ("KZ-75", "KZ-71"):
        for key in OFFICIAL_INDICATORS:
            assert _row(result, code, key)["value"] == pytest.approx(
                _row(builtin_result, code, key)["value"], nan_ok=True)
