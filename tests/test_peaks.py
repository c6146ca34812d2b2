"""Hot-spot peaks: planted clusters are found, in order, and named after the nearest settlement."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from juvmap.paths import data_path
from juvmap.stats.kde import kernel_density
from juvmap.stats.peaks import find_peaks

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def settlements() -> pd.DataFrame:
    return pd.read_csv(data_path("settlements.csv")).dropna(subset=["lat", "lon"])


def town(table: pd.DataFrame, name_en: str) -> tuple[float, float]:
    row = table[table["name_en"] == name_en].iloc[0]
    return float(row["lon"]), float(row["lat"])


def planted(centres, sizes, spread_m=3000.0, seed=5) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    lon, lat = [], []
    for (clon, clat), size in zip(centres, sizes):
        az = rng.uniform(0, 360, size)
        dist = np.abs(rng.normal(0, spread_m, size))
        plon, plat, _ = GEOD.fwd(np.full(size, clon), np.full(size, clat), az, dist)
        lon.append(plon)
        lat.append(plat)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(np.concatenate(lon), np.concatenate(lat)), crs=4326)


def test_two_planted_clusters_are_found_and_named(settlements):
    almaty, shymkent = town(settlements, "Almaty"), town(settlements, "Shymkent")
    points = planted([almaty, shymkent], [300, 120])
    grid = kernel_density(points, radius=15000, cell=1000)
    peaks = find_peaks(grid, n=5)
    assert len(peaks) == 2
    first, second = peaks
    assert first.value > second.value
    assert first.names["en"] == "Almaty" and first.names["kk"] == "Алматы"
    assert second.names["en"] == "Shymkent"
    assert first.settlement("en") == "Almaty" and first.settlement("ru") == "Алматы"
    for peak, (lon, lat) in ((first, almaty), (second, shymkent)):
        _a, _b, metres = GEOD.inv(peak.lon, peak.lat, lon, lat)
        assert metres < 3000
        assert peak.distance_km == pytest.approx(metres / 1000, abs=1e-6)
        assert grid.values[peak.row, peak.col] == peak.value
    assert first.region_iso == "KZ-75"


def haversine_km(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(h))


def test_distance_to_the_nearest_settlement(settlements):
    # a cluster in the steppe, 40 km west-south-west of Karagandy
    karaganda = town(settlements, "Karagandy")
    lon, lat, _ = GEOD.fwd(karaganda[0], karaganda[1], 250.0, 40000.0)
    km = haversine_km(lon, lat, settlements["lon"].to_numpy(), settlements["lat"].to_numpy())
    nearest = settlements.iloc[int(np.argmin(km))]
    points = planted([(lon, lat)], [200], spread_m=1500)
    peaks = find_peaks(kernel_density(points, radius=8000, cell=500), n=3)
    assert len(peaks) == 1
    assert peaks[0].names["en"] == nearest["name_en"]
    assert peaks[0].distance_km == pytest.approx(km.min(), abs=1.0)


def test_flat_top_counts_once_and_threshold_filters():
    # one point, uniform kernel: a disc of equal values is a single peak
    grid = kernel_density(([0.0], [0.0]), radius=5000, cell=500, kernel="uniform")
    peaks = find_peaks(grid, settlements=pd.DataFrame())
    assert len(peaks) == 1
    assert abs(peaks[0].x) <= 500 and abs(peaks[0].y) <= 500
    assert peaks[0].names == {} and np.isnan(peaks[0].distance_km)
    # two clusters, the smaller below the threshold
    xs = np.r_[np.zeros(50), np.full(5, 40000.0)]
    ys = np.zeros(55)
    grid = kernel_density((xs, ys), radius=5000, cell=500)
    assert len(find_peaks(grid, settlements=pd.DataFrame(), threshold=0.0)) == 2
    assert len(find_peaks(grid, settlements=pd.DataFrame(), threshold=0.2 * grid.values.max())) == 1
    assert find_peaks(grid, n=1, settlements=pd.DataFrame())[0].x == pytest.approx(250.0, abs=500)


def test_empty_surface_has_no_peaks():
    grid = kernel_density(([0.0], [0.0]), radius=1000, cell=100)
    grid.values[:] = 0.0
    assert find_peaks(grid) == []
