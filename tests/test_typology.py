"""Regional typology: Ward clusters and nearest regions on a small hand-made table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from juvmap.stats.typology import standardise, ward_typology


@pytest.fixture
def table() -> pd.DataFrame:
    """Three cities with high rates and property shares, three rural regions with the opposite,
    one region in between; ``constant`` carries no information."""
    return pd.DataFrame({
        "rate": [9.0, 8.5, 9.5, 2.0, 2.5, 1.5, 5.0],
        "share_property": [0.80, 0.78, 0.82, 0.50, 0.52, np.nan, 0.66],
        "constant": [1.0] * 7,
    }, index=["C1", "C2", "C3", "R1", "R2", "R3", "M"])


def test_standardise_drops_constant_columns_and_centres_missing_values(table):
    z = standardise(table)
    assert list(z.columns) == ["rate", "share_property"]
    assert z.loc["R3", "share_property"] == 0.0
    assert np.allclose(z["rate"].mean(), 0) and np.isclose(z["rate"].std(ddof=0), 1)


def test_cities_and_rural_regions_fall_into_two_types(table):
    typ = ward_typology(table, n_clusters=2)
    assert typ.loc["C1", "cluster"] == typ.loc["C2", "cluster"] == typ.loc["C3", "cluster"] == 1
    assert typ.loc["R1", "cluster"] == typ.loc["R2", "cluster"] == typ.loc["R3", "cluster"] == 2
    assert set(typ["cluster"]) == {1, 2}


def test_most_similar_regions_are_the_nearest(table):
    typ = ward_typology(table, n_clusters=3, n_similar=2)
    assert set(typ.loc["C1", "similar"]) == {"C2", "C3"}
    assert typ.loc["R1", "similar"][0] == "R2"
    assert "M" not in typ.loc["M", "similar"]
    d = typ.loc["C1", "distance"]
    assert d[0] <= d[1]
    assert typ["cluster"].nunique() == 3 and typ.loc["M", "cluster"] not in (typ.loc["C1", "cluster"],
                                                                               typ.loc["R1", "cluster"])


def test_a_typology_needs_variation():
    with pytest.raises(ValueError):
        ward_typology(pd.DataFrame({"a": [1.0, 1.0, 1.0]}, index=list("xyz")))
