"""The one disclosure rule (issue 11) against the attacks that recover hidden counts.

Each attack runs twice on the 20 built-in regions and their estimated juvenile population:
with today's computation (the published figures come from the true counts: the leak is
asserted) and with the rule (they come from :func:`publishable_counts`: every combination
of the hidden counts stays possible).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

from disclosure_attack import candidates, interval_audit, table_publication
from juvmap.analysis.density_mask import contributors_grid
from juvmap.disclosure import (
    IMPUTED_COUNT,
    SUPPRESS_BELOW,
    SUPPRESSED,
    label_code,
    mask_density,
    protect_line,
    protect_table_with_margins,
    publishable_counts,
    small,
    suppress_area_table,
)

HIDDEN = {"KZ-10": 4, "KZ-39": 3, "KZ-59": 2, "KZ-62": 1}  # Abai, Kostanay, North Kazakhstan, Ulytau
PER_10K = 1e4


@pytest.fixture(scope="module")
def regions():
    from juvmap.io.boundaries import load_regions
    from juvmap.io.builtin import juvenile_population
    from juvmap.stats.smoothing import queen_weights

    polygons = load_regions()
    codes = polygons["code"].to_numpy()
    population = juvenile_population()["population"].reindex(codes).to_numpy(dtype=float)
    rng = np.random.default_rng(2024)  # rates vary between regions (so the EB prior variance is > 0)
    counts = rng.poisson(population * rng.lognormal(np.log(6), 0.5, codes.size) / PER_10K).astype(float)
    hidden = np.isin(codes, list(HIDDEN))
    counts[hidden] = [HIDDEN[c] for c in codes[hidden]]
    return {"polygons": polygons, "codes": codes, "population": population, "counts": counts,
            "hidden": hidden, "weights": queen_weights(polygons)}


def _on_input(statistic):
    """Memoise a statistic on its input counts (256 candidates give one publishable input)."""
    @functools.lru_cache(maxsize=None)
    def cached(key: bytes):
        return statistic(np.frombuffer(key))
    return lambda counts: cached(np.ascontiguousarray(counts, dtype=float).tobytes())


def _attack(regions, statistic):
    """Candidates when ``statistic(counts)`` of the 16 shown regions is published, today and with the rule."""
    counts, hidden = regions["counts"], regions["hidden"]
    stat = _on_input(statistic)
    today = candidates(lambda c: {"shown": stat(c)[~hidden]}, counts, hidden)
    ruled = candidates(lambda c: {"shown": stat(publishable_counts(c))[~hidden]}, counts, hidden)
    return today, ruled


def _truth(regions) -> tuple:
    return tuple(int(v) for v in regions["counts"][regions["hidden"]])


def test_small_and_imputed_value():
    counts = np.array([0, 1, 2, 3, 4, 5, np.nan, 12])
    assert small(counts).tolist() == [False, True, True, True, True, False, False, False]
    out = publishable_counts(counts)
    assert np.array_equal(out, [0, IMPUTED_COUNT, IMPUTED_COUNT, IMPUTED_COUNT, IMPUTED_COUNT, 5, np.nan, 12],
                          equal_nan=True)
    assert np.array_equal(publishable_counts(counts, mode="internal"), counts, equal_nan=True)
    from juvmap import numbers

    assert numbers.SUPPRESS_BELOW is SUPPRESS_BELOW and numbers.format_count(4, "en") == "<5"


def test_global_eb_prior_gives_the_hidden_counts_back_unless_imputed(regions):
    from juvmap.stats.smoothing import empirical_bayes

    pop = regions["population"]
    today, ruled = _attack(regions, lambda c: empirical_bayes(c, pop, PER_10K))
    assert today == [_truth(regions)]  # the leak: one combination of 256 left
    assert len(ruled) == 4 ** 4


def test_spatial_eb_gives_the_hidden_counts_back_unless_imputed(regions):
    from juvmap.stats.smoothing import spatial_empirical_bayes

    pop, w = regions["population"], regions["weights"]
    today, ruled = _attack(regions, lambda c: spatial_empirical_bayes(c, pop, w, PER_10K))
    assert today == [_truth(regions)]
    assert len(ruled) == 256


def _two_hidden(regions):
    """The attack on Gi*/LISA with two of the four regions hidden (16 candidates: esda is slow)."""
    counts, hidden = regions["counts"].copy(), np.isin(regions["codes"], ["KZ-59", "KZ-62"])
    counts[regions["hidden"] & ~hidden] = [70, 45]
    return {**regions, "counts": counts, "hidden": hidden}


@pytest.mark.parametrize("column", ["gi_z", "lisa_p"])
def test_hot_spot_columns_of_shown_regions_give_the_hidden_counts_back_unless_imputed(regions, column):
    from juvmap.stats.hotspots import getis_ord, local_moran
    from juvmap.stats.smoothing import empirical_bayes

    pop, w, two = regions["population"], regions["weights"], _two_hidden(regions)
    test = getis_ord if column == "gi_z" else local_moran
    permutations = 9 if column == "gi_z" else 99  # gi_z is analytical; lisa_p needs permutations
    today, ruled = _attack(two, lambda c: test(empirical_bayes(c, pop, PER_10K), w,
                                               permutations=permutations)[column].to_numpy())
    assert today == [(2, 1)]
    assert len(ruled) == 16


def test_ranks_of_hidden_regions_narrow_the_counts_unless_suppressed(regions):
    counts, pop, hidden = regions["counts"], regions["population"], regions["hidden"]

    def ranks(c):
        return rankdata(-(c / pop), method="min")

    today = candidates(lambda c: {"rank": ranks(c)}, counts, hidden)  # the tooltips' "rank k of 20"
    assert _truth(regions) in today and len(today) < 256

    def ruled(c):
        table = pd.DataFrame({"count": c, "rank": ranks(publishable_counts(c))})
        return {"rank": suppress_area_table(table, total_shown=False)["rank"].to_numpy()}

    assert len(candidates(ruled, counts, hidden)) == 256


def _one_year(regions, hidden_code="KZ-62", hidden_count=3):
    """A one-year table with a single suppressed region."""
    counts = regions["counts"].copy()
    counts[regions["hidden"]] = [60, 80, 55, 40]
    counts[regions["codes"] == hidden_code] = hidden_count
    return counts, regions["codes"] == hidden_code


def test_the_exported_table_of_the_engine_gives_no_hidden_count_back(regions):
    """The issue's attack on what `juvmap rates --out x.csv` writes now: a one-year table with one
    region of 3 (and the region hidden with it against the national total)."""
    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.export.tables import shared_table

    counts, small_one = _one_year(regions)
    codes = regions["codes"]
    population = pd.DataFrame({"population": regions["population"], "age_band": "0–17"}, index=codes)

    @_on_input
    def exported(c):
        rows = pd.DataFrame({"region": codes, "count": c, "date": pd.Timestamp("2023-06-01")})
        result = analyse(AnalysisRequest(level="user", period=(2023, 2023), permutations=19),
                         Sources(incidents=rows, user_areas=regions["polygons"], population_table=population))
        table = shared_table(result, "en")
        return table, result.national

    table, national = exported(counts)
    hidden = (table["count"].isin(["<5", "hidden"])).to_numpy()
    assert table["count"][small_one].tolist() == ["<5"] and hidden.sum() == 2

    def published(c):
        table, national = exported(c)
        shown = {col: table[col].to_numpy() for col in table.columns
                 if col not in ("geometry", "name") and table[col].dtype != object}
        return {**shown, "count": table["count"].to_numpy(), "national": np.array([national["count"]])}

    found = candidates(published, counts, hidden)
    position = list(np.flatnonzero(hidden)).index(int(np.flatnonzero(small_one)[0]))
    assert len(found) >= 2 and len({combo[position] for combo in found}) >= 2, found


def _engine_table(regions, counts, total_shown):
    """What the engine must do: derived figures from publishable counts, then hide rows."""
    from juvmap.stats.rates import poisson_ci
    from juvmap.stats.smoothing import empirical_bayes, spatial_empirical_bayes

    pop, w = regions["population"], regions["weights"]
    hidden = protect_line(counts, small(counts)) if total_shown else small(counts)
    usable = publishable_counts(counts, hidden)
    low, high = poisson_ci(counts)
    table = pd.DataFrame({
        "code": regions["codes"], "count": counts, "population": pop, "rate": counts / pop * PER_10K,
        "ci_low": low / pop * PER_10K, "ci_high": high / pop * PER_10K,
        "excess_risk": counts / (pop * usable.sum() / pop.sum()),
        "eb_rate": empirical_bayes(usable, pop, PER_10K),
        "spatial_eb_rate": spatial_empirical_bayes(usable, pop, w, PER_10K),
        "lisa_quadrant": np.where(counts > 100, "HH", "ns")})
    return suppress_area_table(table, total_shown=total_shown)


def test_one_year_table_with_the_rule_keeps_every_candidate(regions):
    counts, hidden = _one_year(regions)

    def published(c):
        table = _engine_table(regions, c, total_shown=False)
        return {col: table[col].to_numpy() for col in table.columns if col != "code"}

    assert len(candidates(published, counts, hidden)) == SUPPRESS_BELOW - 1
    table = _engine_table(regions, counts, total_shown=False)
    row = table[table["code"] == "KZ-62"].iloc[0]
    assert row["suppressed"] and row["suppression"] == "small" and row["lisa_quadrant"] == SUPPRESSED
    assert row[["count", "rate", "ci_low", "ci_high", "excess_risk", "eb_rate", "spatial_eb_rate"]].isna().all()


def test_national_total_with_the_rule_hides_a_complementary_region(regions):
    counts, hidden = _one_year(regions)
    counts[regions["codes"] == "KZ-47"] = 7  # the smallest shown count: the complementary region

    def published(c, total_shown, pattern):
        table = _engine_table(regions, c, total_shown)
        out = {col: table[col].where(~pattern).to_numpy() for col in ("count", "rate", "eb_rate", "spatial_eb_rate")}
        return {**out, "national_total": np.array(c.sum())}  # (the hidden pattern stays the true one)

    # today: the national total minus the 19 shown counts is the hidden count
    assert candidates(lambda c: published(c, False, hidden), counts, hidden) == [(3,)]
    table = _engine_table(regions, counts, total_shown=True)
    pattern = table["suppressed"].to_numpy()
    assert pattern.sum() == 2 and table.loc[regions["codes"] == "KZ-47", "suppression"].item() == "complementary"
    found = candidates(lambda c: published(c, True, pattern), counts, pattern, upper=10)  # a part of 5..K
    assert len(found) >= 2 and all(len({f[k] for f in found}) >= 2 for k in range(2))


@pytest.mark.parametrize("line", [
    [3, 50, 60, 70], [1, 1, 9, 20, 31], [4, 4, 30, 40], [2, 3, 7, 8, 0], [1, 0, 0, 6], [4, 1, 2, 5, 5, 9],
])
def test_protect_line_against_subtraction_from_the_total(line):
    values = np.array(line, dtype=float)
    hidden = protect_line(values, small(values))

    def publish(c):
        return {"shown": np.where(hidden, np.nan, c), "total": np.array(c.sum())}

    found = candidates(publish, values, hidden)
    assert len(found) >= 2
    for k in range(len(found[0])):  # no hidden cell has a single possible value
        assert len({f[k] for f in found}) >= 2
    naive = small(values)  # only the small cells hidden: where more are needed, the total gives them back
    naive_found = candidates(lambda c: {"shown": np.where(naive, np.nan, c), "total": np.array(c.sum())},
                             values, naive)
    assert (len(naive_found) == 1) == (hidden != naive).any()


def test_protect_table_against_all_sums_together():
    values = np.array([[1, 0, 7, 9], [6, 5, 8, 12], [3, 9, 4, 10]])
    naive = (small(values), small(values.sum(1)), small(values.sum(0)), False)
    assert np.nanmin(interval_audit(values, *naive)) == 0  # the sums give the small cells back
    masks = protect_table_with_margins(values, small(values))
    assert np.nanmin(interval_audit(values, *masks)) >= 1  # every hidden entry has ≥ 2 values
    values = np.array([[2, 6, 9], [7, 3, 11]])  # small enough to enumerate
    naive = (small(values), small(values.sum(1)), small(values.sum(0)), False)
    assert candidates(table_publication(values, *naive), values, naive[0]) == [(2, 3)]
    masks = protect_table_with_margins(values, small(values))
    found = candidates(table_publication(values, *masks), values, masks[0], upper=10)
    assert len(found) >= 2 and all(len({f[k] for f in found}) >= 2 for k in range(len(found[0])))


def test_protect_table_on_an_hour_by_weekday_table():
    values = np.random.default_rng(11).poisson(6.0, (24, 7))
    masks = protect_table_with_margins(values, small(values))
    assert masks[0][small(values)].all() and masks[0].sum() > small(values).sum()
    width = interval_audit(values, *masks, audit_small_only=True)
    assert (width[np.isfinite(width)] >= 1).all()


@functools.cache
def _sparse_layer():
    """~200 isolated incidents (≥ 8 km apart) and one cluster of 8 within 400 m, metres."""
    rng = np.random.default_rng(5)
    points = []
    while len(points) < 200:
        p = rng.uniform(0, 150_000, 2)
        if all(np.hypot(*(p - q)) > 8_000 for q in points):
            points.append(p)
    cluster = np.array([75_300.0, 75_300.0]) + rng.uniform(-200, 200, (8, 2))
    xy = np.vstack([points, cluster])
    return xy[:, 0] + 500_000.0, xy[:, 1] + 5_000_000.0


def test_density_is_masked_where_fewer_than_five_incidents_contribute():
    from scipy import ndimage

    from juvmap.stats.kde import kernel_density

    x, y = _sparse_layer()
    grid = kernel_density((x, y), radius=3000.0, cell=500.0)  # the issue's `--radius 3000 --cell 500`
    blobs, n_blobs = ndimage.label(grid.values > 0)
    assert n_blobs >= 190  # one blob per isolated incident …
    xs, ys = grid.cell_centres()
    peaks = ndimage.maximum_position(grid.values, blobs, range(1, n_blobs + 1))
    gap = [np.hypot(x - xs[c], y - ys[r]).min() for r, c in peaks]
    assert np.median(gap) < 400.0  # … whose maximum lies on the incident

    contributors = contributors_grid((x, y), grid.transform, grid.shape, grid.radius)
    centre_x, centre_y = np.meshgrid(xs, ys)
    for r, c in [peaks[0], peaks[50], (5, 5)]:  # exact where checked
        assert contributors[r, c] == (np.hypot(x - centre_x[r, c], y - centre_y[r, c]) <= 3000.0).sum()
    masked = mask_density(grid.values, contributors)
    shown = np.isfinite(masked) & (masked > 0)
    assert shown.any() and (contributors[shown] >= SUPPRESS_BELOW).all()
    # hidden = every cell reached by fewer than 5, empty ones too: no disc drawn around an incident
    assert np.array_equal(np.isnan(masked), contributors < SUPPRESS_BELOW)
    assert ndimage.label(shown)[1] == 1  # only the cluster is left
    assert np.array_equal(mask_density(grid.values, contributors, mode="internal"), grid.values)


def test_binned_contributors_never_exceed_the_exact_count():
    from affine import Affine

    from juvmap.analysis.density_mask import binned_contributors, exact_contributors

    x, y = _sparse_layer()
    transform, shape = Affine(500.0, 0, 490_000.0, 0, -500.0, 5_160_000.0), (340, 340)
    exact = exact_contributors(x, y, transform, shape, 3000.0)
    lower = binned_contributors(x, y, transform, shape, 3000.0)
    assert (lower <= exact).all() and lower.sum() > 0.6 * exact.sum()


def test_modes_and_labels():
    assert label_code("public") != label_code("internal")
    assert "not for publication" in label_code("internal")
    table = pd.DataFrame({"count": [3, 9, 20], "rate": [1.0, 2.0, 3.0]})
    assert not suppress_area_table(table, mode="internal")["suppressed"].any()
    with pytest.raises(ValueError):
        label_code("secret")
