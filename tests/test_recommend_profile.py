"""Region profiles against the national values, on the demo data, with small-count suppression."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from juvmap.errors import AnalysisError
from juvmap.io.boundaries import assign_regions
from juvmap.io.builtin import juvenile_population
from juvmap.analysis import AnalysisRequest, Sources, analyse
from juvmap.recommend.profile import all_profiles, region_profile
from juvmap.stats.filters import IncidentFilter

ALL_YEARS = (2019, 2023)


def analysed(data, period=ALL_YEARS, flt=IncidentFilter()):
    return analyse(AnalysisRequest(period=period, filter=flt).with_outputs("density", "profiles"),
                   Sources(incidents=data))


def test_twenty_profiles_with_counts_and_rates(demo, profiles):
    assert len(profiles) == 20
    counts = {c: p.indicators["count"].value for c, p in profiles.items()}
    assert sum(counts.values()) == len(demo)
    pop = juvenile_population()["population"]
    p = profiles["KZ-75"]
    n = int((demo["region"] == "KZ-75").sum())
    assert p.indicators["count"].value == n
    assert math.isclose(p.indicators["rate"].value, n / (pop["KZ-75"] * 5) * 10_000)
    assert math.isclose(p.indicators["rate"].national, len(demo) / (pop.sum() * 5) * 10_000)
    low, high = p.indicators["rate"].ci
    assert low < p.indicators["rate"].value < high
    ranks = sorted(q.indicators["rank"].value for q in profiles.values())
    assert ranks[0] == 1 and ranks[-1] <= 20
    assert p.period == (2019, 2023) and p.synthetic


def test_shares_match_a_direct_count(demo, profiles):
    sub = demo[demo["region"] == "KZ-35"]
    ind = profiles["KZ-35"].indicators
    assert math.isclose(ind["share_intoxicated"].value, sub["intoxicated"].mean())
    assert math.isclose(ind["share_intoxicated"].national, demo["intoxicated"].mean())
    assert math.isclose(ind["share_category:property"].value, (sub["category"] == "property").mean())
    grave = sub["gravity"].isin(["grave", "especially_grave"]).mean()
    assert math.isclose(ind["share_grave_plus"].value, grave)
    hours = sub["time"].str[:2].astype(int)
    assert math.isclose(ind["share_after_school"].value, hours.between(14, 18).mean())
    assert ind["share_after_school"].count == int(hours.between(14, 18).sum())
    # Karaganda lost Ulytau on 8 June 2022: no change is computed across the split
    assert math.isnan(ind["change_vs_base"].value)
    # elsewhere the change against 2022 and the yearly table agree
    y, other = profiles["KZ-39"].yearly, profiles["KZ-39"].indicators
    assert math.isclose(other["change_vs_base"].value, (y.loc[2023, "rate"] / y.loc[2022, "rate"] - 1) * 100)


def test_hotspots_lie_in_their_region_and_are_named(profiles):
    for code in ("KZ-75", "KZ-35", "KZ-63"):
        spots = profiles[code].hotspots
        assert 1 <= len(spots) <= 5
        assert list(assign_regions([s.lon for s in spots], [s.lat for s in spots])) == [code] * len(spots)
        assert all(s.name("ru") and s.name("en") for s in spots)
        assert [s.value for s in spots] == sorted((s.value for s in spots), reverse=True)
    assert profiles["KZ-75"].hotspots[0].name("en") == "Almaty"


def test_region_profile_equals_the_batch(demo, profiles):
    result = analysed(demo)
    one = region_profile(result, "KZ-47")
    assert one.indicators["share_group"] == profiles["KZ-47"].indicators["share_group"]
    with pytest.raises(AnalysisError):
        region_profile(result, "KZ-99")


def test_the_profile_shows_the_map_numbers(demo):
    result = analysed(demo, period=(2023, 2023))
    p = region_profile(result, "KZ-39")
    row = result.area("KZ-39")
    assert p.period == (2023, 2023)
    assert p.indicators["count"].value == row["count"] and p.indicators["rate"].value == row["rate"]
    assert p.indicators["eb_rate"].value == row["eb_rate"] and p.indicators["rank"].value == row["rank"]


def test_filter_sets_the_period(demo):
    result = analysed(demo, (2022, 2023), IncidentFilter(categories=("property",)))
    p = all_profiles(result)["KZ-71"]
    assert p.period == (2022, 2023)
    assert p.indicators["share_category:property"].value == 1.0
    assert p.filter["categories"] == ["property"]


def test_a_region_with_three_cases_reveals_nothing(demo):
    keep = demo[demo["region"] != "KZ-62"]
    three = demo[demo["region"] == "KZ-62"].head(3)
    data = pd.concat([keep, three])
    data.attrs.update(demo.attrs)
    profiles = all_profiles(analysed(data))
    p = profiles["KZ-62"]
    assert p.suppressed and np.isnan(p.indicators["count"].value) and p.indicators["count"].count is None
    assert all(ind.suppressed for ind in p.indicators.values())
    assert p.hotspots == [] and p.density is None and p.hour_weekday is None
    assert p.context["KZ-62"] is None
    # the national total is shown: a second region is hidden with it (no subtraction gives 3 back)
    hidden = [code for code, q in profiles.items() if q.suppressed]
    assert len(hidden) == 2 and not p.national_count_hidden


def test_small_cells_are_hidden_with_a_second_one(profiles):
    ind = profiles["KZ-23"].indicators        # 459 offences: 2 especially grave, 43 minor
    assert ind["share_gravity:especially_grave"].count == 2 and ind["share_gravity:especially_grave"].suppressed
    hidden = [k for k in ind if k.startswith("share_gravity:") and ind[k].suppressed]
    assert len(hidden) == 2                   # one hidden cell alone = total − the others
    assert ind["share_grave_plus"].suppressed  # it would give the hidden part away too
    for key, x in ind.items():
        if x.kind == "share" and x.total:
            small = 0 < x.count < 5 or 0 < x.total - x.count < 5
            assert not small or x.suppressed, key
    assert not np.isnan(ind["share_pupil"].value)
