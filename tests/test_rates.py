"""Filters, counts, crude rates, exact Poisson intervals, excess risk and the analysis area table."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from juvmap.errors import AnalysisError
from juvmap.stats.filters import IncidentFilter, parse_filter
from juvmap.stats.rates import (
    Denominator,
    count_by_region,
    count_points_in_polygons,
    crude_rates,
    poisson_ci,
    rate_metadata,
)


def incidents_frame() -> pd.DataFrame:
    """Eight hand-made incidents covering every filter column."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2021-03-01", "2022-05-07", "2022-05-08", "2023-01-02",
                                    "2023-06-05", "2022-11-11", "2021-12-31", "2023-07-01"]),
            "time": ["14:30", "23:10", 2, "19:59", "08:00", None, "20:00", "03:15"],
            "region": ["KZ-75", "KZ-75", "KZ-71", "KZ-71", "KZ-79", "KZ-75", "KZ-11", "KZ-99"],
            "category": ["property", "person", "property", "drugs", "property", "person",
                         "other", "property"],
            "article": ["188", "106", "188", "296", "190", "107", "293", "188"],
            "gravity": ["minor", "grave", "medium", "grave", "minor", "medium", "minor", "minor"],
            "age": [14, 15, 16, 17, 14, 17, 16, 15],
            "sex": ["M", "F", "M", "M", "F", "M", "M", "F"],
            "pupil": [1, 1, 0, 0, 1, 1, 0, 1],
            "repeat": [0, 1, 0, 1, 0, 0, 0, 0],
            "group": [1, 0, 0, 1, 0, 0, 1, 0],
            "intoxicated": [0, 0, 1, 1, 0, 0, 0, 0],
            "place": ["street", "yard", "shop", "home", "school", "street", "other", "street"],
        }
    )


# --- filters -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("expressions", "expected_rows"),
    [
        (["category=property,person"], [0, 1, 2, 4, 5, 7]),
        (["age=14-15"], [0, 1, 4, 7]),
        (["sex=F"], [1, 4, 7]),
        (["years=2021-2022"], [0, 1, 2, 5, 6]),
        (["hour=14-19"], [0, 3]),  # 14:30 and 19:59; "20:00" is hour 20
        (["hour=22-3"], [1, 2, 7]),  # wraps past midnight; hour int 2 counts
        (["weekday=sat,sun"], [1, 2, 7]),  # 2022-05-07 Sat, 2022-05-08 Sun, 2023-07-01 Sat
        (["pupil=yes", "repeat=0"], [0, 4, 5, 7]),
        (["gravity=grave", "intoxicated=1"], [3]),
        (["place=street", "group=no"], [5, 7]),
        (["article=188"], [0, 2, 7]),
    ],
)
def test_filter_expressions_select_the_expected_rows(expressions, expected_rows):
    df = incidents_frame()
    kept = parse_filter(expressions).apply(df)
    assert kept.index.tolist() == expected_rows


def test_filter_does_not_mutate_and_round_trips():
    df = incidents_frame()
    before = df.copy()
    flt = parse_filter(["category=property", "age=14-15", "hour=22-3", "weekday=1,7", "pupil=1"])
    flt.apply(df)
    pd.testing.assert_frame_equal(df, before)
    assert IncidentFilter.from_dict(flt.to_dict()) == flt
    assert parse_filter(flt.to_expressions()) == flt
    assert flt.weekdays == (0, 6)
    assert IncidentFilter().apply(df).equals(df)


@pytest.mark.parametrize("bad", ["category", "colour=red", "age=15-14", "hour=5-25", "pupil=maybe", "age=x"])
def test_bad_filter_expressions_raise_a_typed_error(bad):
    with pytest.raises(AnalysisError):
        parse_filter([bad])


def test_filter_on_a_missing_column_raises():
    with pytest.raises(AnalysisError):
        IncidentFilter(sex=("F",)).apply(pd.DataFrame({"date": []}))


# --- counts ------------------------------------------------------------------------------

def test_count_by_region_with_filter_and_unknown_codes():
    df = incidents_frame()
    counts = count_by_region(df, ["KZ-75", "KZ-71", "KZ-10"], parse_filter(["sex=M"]))
    assert counts.to_dict() == {"KZ-75": 2, "KZ-71": 2, "KZ-10": 0}
    assert counts.dtype == "int64"


def test_aggregated_rows_with_a_count_column_are_summed():
    table = pd.DataFrame({"region": ["KZ-75", "KZ-75", "KZ-71"], "count": [3, 4, 10],
                          "date": pd.to_datetime(["2021-01-01", "2022-01-01", "2022-01-01"])})
    counts = count_by_region(table, ["KZ-75", "KZ-71"], parse_filter(["years=2022-2022"]))
    assert counts.to_dict() == {"KZ-75": 4, "KZ-71": 10}


def test_points_in_polygons_equals_counts_by_code(shared):
    regions = gpd.read_file(shared / "geodata" / "kaz_adm1_2024.gpkg")
    regions["code"] = regions["ADM1_PCODE"].str.replace("KZ", "KZ-", regex=False)
    rng = np.random.default_rng(7)
    n = rng.integers(0, 6, len(regions))
    points = regions.geometry.make_valid().representative_point().repeat(n)
    inc = gpd.GeoDataFrame({"region": regions["code"].repeat(n).to_numpy()},
                           geometry=points.to_numpy(), crs=regions.crs)
    spatial = count_points_in_polygons(inc, regions, "code")
    by_code = count_by_region(inc, regions["code"])
    assert spatial.to_dict() == by_code.to_dict() == dict(zip(regions["code"], n.tolist()))


# --- exact Poisson intervals -------------------------------------------------------------

def _exact_by_root_finding(x: int, alpha: float = 0.05) -> tuple[float, float]:
    """Garwood limits from the Poisson CDF itself (not through chi-square quantiles)."""
    upper = optimize.brentq(lambda mu: stats.poisson.cdf(x, mu) - alpha / 2, 1e-9, 200)
    if x == 0:
        return 0.0, upper
    lower = optimize.brentq(lambda mu: stats.poisson.sf(x - 1, mu) - alpha / 2, 1e-9, 200)
    return lower, upper


# Published exact (Garwood) 95 % limits, e.g. the Ulm (1990) / epitools pois.exact table;
# epitools' documentation states 3.689 for x = 0.
PUBLISHED = {0: (0.0, 3.689), 1: (0.0253, 5.572), 5: (1.624, 11.668), 10: (4.795, 18.390)}


@pytest.mark.parametrize("x", sorted(PUBLISHED))
def test_poisson_ci_matches_published_exact_limits(x):
    low, high = poisson_ci(np.array([x]))
    assert low[0] == pytest.approx(PUBLISHED[x][0], abs=6e-4)
    assert high[0] == pytest.approx(PUBLISHED[x][1], abs=6e-4)


@pytest.mark.parametrize("x", [0, 1, 2, 3, 4, 7, 20, 57, 150])
def test_poisson_ci_matches_root_finding(x):
    low, high = poisson_ci(np.array([x]))
    ref_low, ref_high = _exact_by_root_finding(x)
    assert low[0] == pytest.approx(ref_low, rel=1e-7, abs=1e-10)
    assert high[0] == pytest.approx(ref_high, rel=1e-7)


# --- crude rates -------------------------------------------------------------------------

def test_crude_rates_ci_excess_risk_and_undefined_units():
    counts = pd.Series([10, 0, 5, 3, 4], index=["A", "B", "C", "D", "E"])
    pop = pd.Series([20_000, 10_000, 0, np.nan, 10_000], index=["A", "B", "C", "D", "E"])
    den = Denominator.juvenile(pop, "14–17", estimate=True)
    before = pop.copy()
    out = crude_rates(counts, den, synthetic=True)
    pd.testing.assert_series_equal(pop, before)
    assert out.loc["A", "rate"] == pytest.approx(10 / 20_000 * 10_000)
    assert out.loc["B", "rate"] == 0.0  # a true zero with a population is 0
    assert np.isnan(out.loc[["C", "D"], ["rate", "ci_low", "ci_high", "excess_risk"]].to_numpy()).all()
    assert out.loc["A", "ci_low"] == pytest.approx(4.795 / 2, abs=1e-3)
    assert out.loc["A", "ci_high"] == pytest.approx(18.390 / 2, abs=1e-3)
    national = (10 + 0 + 4) / 40_000  # only units with a population
    assert out.loc["A", "excess_risk"] == pytest.approx(10 / (20_000 * national))
    assert out.loc["E", "excess_risk"] == pytest.approx(4 / (10_000 * national))
    meta = rate_metadata(out)
    assert (meta.multiplier, meta.estimate, meta.synthetic) == (10_000, True, True)
    assert "14–17" in meta.denominator


def test_denominator_rule_juvenile_per_10000_else_residents_per_100000():
    juvenile = pd.DataFrame({"population": [100, 200], "age_band": ["0–17", "0–17"],
                             "estimate": [True, True]}, index=["KZ-10", "KZ-11"])
    residents = pd.DataFrame({"population": [1000, 2000]}, index=["KZ-10", "KZ-11"])
    assert Denominator.from_table(juvenile).multiplier == 10_000
    assert Denominator.from_table(juvenile).estimate is True
    assert "0–17" in Denominator.from_table(juvenile).describe()
    assert Denominator.from_table(residents).multiplier == 100_000
    assert Denominator.from_table(residents).estimate is False


# --- the area table of the one analysis ---------------------------------------------------

@pytest.fixture(scope="module")
def regions(shared) -> gpd.GeoDataFrame:
    df = gpd.read_file(shared / "geodata" / "kaz_adm1_2024.gpkg")
    df["code"] = df["ADM1_PCODE"].str.replace("KZ", "KZ-", regex=False)
    df["name"] = df["ADM1_EN"]
    return df


def _analyse(inc, regions, pop, **request):
    from juvmap.analysis import AnalysisRequest, Sources, analyse

    table = pd.DataFrame({"population": pop, "age_band": "0–17", "estimate": True})
    sources = Sources(incidents=inc, user_areas=regions, population_table=table)
    return analyse(AnalysisRequest(level="user", **request), sources)


def test_area_table_columns_metadata_and_purity(regions):
    from juvmap.analysis.result import AREA_COLUMNS

    rng = np.random.default_rng(3)
    codes = regions["code"].to_numpy()
    inc = incidents_frame().iloc[:0].reindex(range(600))
    inc["region"] = rng.choice(codes, 600)
    inc["date"] = pd.Timestamp("2022-06-01")
    inc.attrs["synthetic"] = True
    pop = pd.Series(rng.integers(50_000, 500_000, len(codes)).astype(float), index=codes)
    pop.iloc[0] = np.nan  # a region without population stays undefined
    inc_before, reg_before = inc.copy(), regions.copy()
    result = _analyse(inc, regions, pop, period=(2022, 2022))
    out = result.areas
    pd.testing.assert_frame_equal(inc, inc_before)
    pd.testing.assert_frame_equal(regions, reg_before)
    assert list(out.columns[:len(AREA_COLUMNS)]) == AREA_COLUMNS
    assert len(out) == 20 and out["count"].sum() == 600
    first = out.iloc[0]
    assert np.isnan([first.rate, first.eb_rate, first.spatial_eb_rate, first.lisa_p, first.gi_z]).all()
    assert first.lisa_quadrant == "undefined"
    assert out["rate"].iloc[1:].notna().all() and out["eb_rate"].iloc[1:].notna().all()
    assert result.denominator["multiplier"] == 10_000 and result.synthetic is True
    assert result.flags["estimate"] is True
    # East Kazakhstan's only neighbour is Abai (undefined): it is an island for the tests
    east = out.set_index("code").loc["KZ-63"]
    assert east.lisa_quadrant == "island" and np.isnan(east.gi_z) and east.gi_bin == 0
    assert east.spatial_eb_rate == pytest.approx(east.eb_rate)  # island: global EB
    assert result.flags["tested"] == 18 and result.flags["low_power"]
    assert result.period.label() == "2022" and result.period.kind == "year"
    assert result.flags["unplaced"] == 0
    unknown = inc.assign(region=np.where(np.arange(600) < 7, "KZ-00", inc["region"]))
    assert _analyse(unknown, regions, pop, period=(2022, 2022)).flags["unplaced"] == 7
    assert set(out["lisa_quadrant"]) <= {"HH", "LL", "HL", "LH", "ns", "undefined", "island"}


def test_several_years_give_the_annual_average_rate(regions):
    codes = regions["code"].to_numpy()
    inc = pd.DataFrame({"region": np.repeat(codes, 30),
                        "date": pd.to_datetime(np.tile(["2021-03-01", "2022-03-01", "2023-03-01"], 200))})
    pop = pd.Series(100_000.0, index=codes)
    one = _analyse(inc, regions, pop, period=(2023, 2023)).areas
    three = _analyse(inc, regions, pop, period=(2021, 2023)).areas
    assert (one["count"] == 10).all() and (three["count"] == 30).all()
    np.testing.assert_allclose(three["rate"], one["rate"])  # 30 / (3 × 100,000) = 10 / 100,000


def test_analysis_reports_progress_and_can_be_cancelled(regions):
    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.errors import Cancelled
    from juvmap.progress import CancelToken

    inc = pd.DataFrame({"region": ["KZ-75"] * 30, "date": pd.Timestamp("2022-01-01")})
    pop = pd.DataFrame({"population": pd.Series(1e5, index=regions["code"])})
    sources = Sources(incidents=inc, user_areas=regions, population_table=pop)
    seen = []
    analyse(AnalysisRequest(level="user", permutations=99), sources, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        analyse(AnalysisRequest(level="user", permutations=98), sources, cancel=token)
