"""Kernel density surfaces against references written here: brute-force sums, the kernel
formulas, the total mass, and the grid QGIS's Heatmap lays out (src/analysis/raster/qgskde.cpp)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from scipy import integrate
from shapely.geometry import MultiPoint, Point

from juvmap.crs import EQUAL_AREA_CRS, WGS84, transform_xy
from juvmap.errors import AnalysisError, Cancelled
from juvmap.progress import CancelToken
from juvmap.stats.kde import kernel_density, suggest_radius

KERNELS = ["quartic", "triangular", "uniform", "triweight", "epanechnikov", "gaussian"]

# Raw shapes K(u), u = d / r, and the constants c with ∫ c·K(|x|) dx = 1 over the unit disc,
# written from the formulas (QGIS's list, Wand & Jones 1995 p. 175; Gaussian: σ = r/3, cut at r).
SHAPE = {
    "quartic": lambda u: (1 - u * u) ** 2,
    "triangular": lambda u: 1 - u,
    "uniform": lambda u: 1.0,
    "triweight": lambda u: (1 - u * u) ** 3,
    "epanechnikov": lambda u: 1 - u * u,
    "gaussian": lambda u: math.exp(-4.5 * u * u),
}
CONSTANT = {
    "quartic": 3 / math.pi,
    "triangular": 3 / math.pi,
    "uniform": 1 / math.pi,
    "triweight": 4 / math.pi,
    "epanechnikov": 2 / math.pi,
    "gaussian": 9 / (2 * math.pi * (1 - math.exp(-4.5))),
}


def brute_force(xs, ys, x0, y0, cell, rows, cols, kernel, radius, output="density", weights=None):
    """Plain double loop: every cell centre against every point."""
    weights = np.ones(len(xs)) if weights is None else weights
    per_unit2 = CONSTANT[kernel] / radius**2
    factor = {"raw": 1.0, "scaled": per_unit2, "density": per_unit2 * 1e6}[output]
    out = np.zeros((rows, cols))
    for i in range(rows):
        cy = y0 - (i + 0.5) * cell
        for j in range(cols):
            cx = x0 + (j + 0.5) * cell
            total = 0.0
            for px, py, w in zip(xs, ys, weights):
                d = math.hypot(cx - px, cy - py)
                if d <= radius:
                    total += w * SHAPE[kernel](d / radius)
            out[i, j] = total * factor
    return out


def reference_for(grid, xs, ys, kernel, radius, output="density", weights=None):
    rows, cols = grid.shape
    t = grid.transform
    return brute_force(xs, ys, t.c, t.f, t.a, rows, cols, kernel, radius, output, weights)


@pytest.fixture(scope="module")
def cluster():
    rng = np.random.default_rng(7)
    xs = np.concatenate([rng.normal(0, 6000, 25), rng.normal(30000, 3000, 15)])
    ys = np.concatenate([rng.normal(0, 4000, 25), rng.normal(12000, 3000, 15)])
    return xs, ys


@pytest.mark.parametrize("kernel", KERNELS)
def test_constants_integrate_to_one(kernel):
    value, _err = integrate.quad(lambda u: CONSTANT[kernel] * SHAPE[kernel](u) * 2 * math.pi * u, 0, 1)
    assert value == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("output", ["raw", "density", "scaled"])
def test_exact_path_equals_brute_force(cluster, kernel, output):
    xs, ys = cluster
    grid = kernel_density((xs, ys), radius=8000, cell=2000, kernel=kernel, output=output, method="exact")
    expected = reference_for(grid, xs, ys, kernel, 8000, output)
    assert grid.method == "exact"
    np.testing.assert_allclose(grid.values, expected, rtol=1e-9, atol=1e-9 * expected.max())


@pytest.mark.parametrize("kernel", ["quartic", "triweight"])
def test_fft_path_within_1e3_of_maximum(cluster, kernel):
    xs, ys = cluster
    grid = kernel_density((xs, ys), radius=10000, cell=1000, kernel=kernel, method="fft")
    expected = reference_for(grid, xs, ys, kernel, 10000)
    assert grid.method == "fft"
    assert np.abs(grid.values - expected).max() <= 1e-3 * expected.max()


@pytest.mark.parametrize("kernel,bound", [("triangular", 5e-3), ("epanechnikov", 5e-3), ("gaussian", 5e-3)])
def test_fft_path_kernels_with_a_kink_or_jump_at_the_radius(cluster, kernel, bound):
    # first-order error at the edge of the disc (documented in the module)
    xs, ys = cluster
    grid = kernel_density((xs, ys), radius=10000, cell=1000, kernel=kernel, method="fft")
    expected = reference_for(grid, xs, ys, kernel, 10000)
    assert np.abs(grid.values - expected).max() <= bound * expected.max()


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("method", ["exact", "fft"])
def test_density_integrates_to_number_of_points(cluster, kernel, method):
    xs, ys = cluster
    grid = kernel_density((xs, ys), radius=5000, cell=500, kernel=kernel, method=method)
    total = grid.values.sum() * (500 / 1000) ** 2
    assert total == pytest.approx(len(xs), rel=0.005)
    assert grid.total() == pytest.approx(total)


def test_weighted_density_integrates_to_sum_of_weights(cluster):
    xs, ys = cluster
    weights = np.linspace(0.5, 3.0, len(xs))
    grid = kernel_density((xs, ys), radius=5000, cell=500, weight=weights)
    assert grid.total() == pytest.approx(weights.sum(), rel=0.005)
    assert grid.total_weight == pytest.approx(weights.sum())


def test_weight_two_equals_a_duplicated_point():
    frame = gpd.GeoDataFrame(
        {"w": [2.0, 1.0]}, geometry=[Point(0, 0), Point(3000, 1000)], crs=EQUAL_AREA_CRS
    )
    twice = gpd.GeoDataFrame(geometry=[Point(0, 0), Point(0, 0), Point(3000, 1000)], crs=EQUAL_AREA_CRS)
    a = kernel_density(frame, radius=4000, cell=500, weight="w", method="exact")
    b = kernel_density(twice, radius=4000, cell=500, method="exact")
    np.testing.assert_allclose(a.values, b.values, rtol=1e-12)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("method", ["exact", "fft"])
def test_one_point_gives_the_kernel_profile(kernel, method):
    # a point on a cell centre: the row through it is the kernel's own profile
    radius, cell = 10000.0, 1000.0
    grid = kernel_density(([500.0], [500.0]), radius=radius, cell=cell, kernel=kernel, output="raw",
                          method=method)
    xs, ys = grid.cell_centres()
    row = int(np.argmin(np.abs(ys - 500.0)))
    expected = [SHAPE[kernel](abs(x - 500.0) / radius) if abs(x - 500.0) <= radius else 0.0 for x in xs]
    np.testing.assert_allclose(grid.values[row], expected, atol=1e-9)


def test_triangular_decay_matches_qgis_definition():
    grid = kernel_density(([500.0], [500.0]), radius=4000, cell=1000, kernel="triangular",
                          output="scaled", decay=0.5, method="exact")
    xs, ys = grid.cell_centres()
    row = int(np.argmin(np.abs(ys - 500.0)))
    k = 3 / ((1 + 2 * 0.5) * math.pi * 4000**2)
    expected = [k * (1 - 0.5 * abs(x - 500) / 4000) if abs(x - 500) <= 4000 else 0 for x in xs]
    np.testing.assert_allclose(grid.values[row], expected, rtol=1e-12)


def test_default_grid_is_the_extent_grown_by_radius_and_snapped():
    grid = kernel_density(([1250.0, 7400.0], [-300.0, 2100.0]), radius=3000, cell=1000)
    left, bottom, right, top = grid.bounds()
    assert (left, bottom, right, top) == (-2000.0, -4000.0, 11000.0, 6000.0)
    assert grid.shape == (10, 13)
    assert grid.crs == EQUAL_AREA_CRS


def test_row_zero_is_north():
    grid = kernel_density(([0.0], [50000.0]), radius=2000, cell=1000, extent=(-10000, 0, 10000, 60000))
    peak_row = np.unravel_index(np.argmax(grid.values), grid.shape)[0]
    _xs, ys = grid.cell_centres()
    assert abs(ys[peak_row] - 50000.0) <= 500.0
    assert peak_row < grid.shape[0] // 2


def test_given_extent_includes_points_outside_within_reach():
    # a point 1 km outside the extent still adds to cells inside it
    grid = kernel_density(([-1000.0], [5000.0]), radius=3000, cell=1000, extent=(0, 0, 10000, 10000),
                          output="raw", method="fft")
    exact = kernel_density(([-1000.0], [5000.0]), radius=3000, cell=1000, extent=(0, 0, 10000, 10000),
                           output="raw", method="exact")
    assert grid.shape == (10, 10)
    assert exact.values.max() > 0.3
    assert np.abs(grid.values - exact.values).max() < 1e-3


def qgis_loops(xs, ys, radius, pixel, kernel):
    """Re-enactment of QgsKernelDensityEstimation (prepare/addFeature/radiusSizeInPixels), raw."""
    xmin, xmax = min(xs) - radius, max(xs) + radius
    ymin, ymax = min(ys) - radius, max(ys) + radius
    rows = max(math.ceil((ymax - ymin) / pixel) + 1, 1)
    cols = max(math.ceil((xmax - xmin) / pixel) + 1, 1)
    buffer = int(radius / pixel)
    if radius - pixel * buffer > 0.5:
        buffer += 1
    out = np.zeros((rows, cols))
    for x, y in zip(xs, ys):
        x_pos = int((x - xmin) / pixel - buffer)  # C++ conversion to unsigned int truncates
        y_pos = int((y - ymin) / pixel - buffer)
        y_pos_io = int((ymax - y) / pixel - buffer)
        for xp in range(2 * buffer + 1):
            for yp in range(2 * buffer + 1):
                cx = (x_pos + xp + 0.5) * pixel + xmin
                cy = (y_pos + yp + 0.5) * pixel + ymin  # counted upwards from ymin …
                d = math.hypot(cx - x, cy - y)
                if d > radius:
                    continue
                out[y_pos_io + yp, x_pos + xp] += SHAPE[kernel](d / radius)  # … written downwards
    return out, (xmin, ymax, rows, cols)


def test_qgis_layout_rows_cols_origin():
    # QGIS: bounds = layer extent grown by the radius; rows = ceil(height / pixel) + 1,
    # cols = ceil(width / pixel) + 1; geotransform (xmin, pixel, 0, ymax, 0, -pixel).
    # Extent 1000..3050 × 2000..2730 grown by 500 → 500..3550 × 1500..3230:
    # width 3050 → ceil(30.5) + 1 = 32 columns, height 1730 → ceil(17.3) + 1 = 19 rows.
    grid = kernel_density(([1000.0, 3050.0], [2000.0, 2730.0]), radius=500, cell=100, grid="qgis",
                          output="raw")
    assert grid.shape == (19, 32)
    assert (grid.transform.c, grid.transform.f) == (500.0, 3230.0)
    assert (grid.transform.a, grid.transform.e) == (100.0, -100.0)
    assert grid.layout == "qgis"


@pytest.mark.parametrize("radius,pixel", [(1000.0, 100.0), (1234.5, 100.0), (700.0, 130.0)])
@pytest.mark.parametrize("kernel", ["quartic", "uniform", "triangular"])
def test_qgis_grid_values_equal_qgis_loops(radius, pixel, kernel):
    rng = np.random.default_rng(11)
    xs, ys = rng.uniform(1000, 6000, 12), rng.uniform(2000, 5000, 12)
    expected, (x0, y0, rows, cols) = qgis_loops(xs, ys, radius, pixel, kernel)
    grid = kernel_density((xs, ys), radius=radius, cell=pixel, kernel=kernel, output="raw",
                          grid="qgis", method="exact")
    assert grid.shape == (rows, cols) and (grid.transform.c, grid.transform.f) == (x0, y0)
    np.testing.assert_allclose(grid.values, expected, atol=1e-9)
    if kernel == "quartic":
        fft = kernel_density((xs, ys), radius=radius, cell=pixel, kernel=kernel, output="raw",
                             grid="qgis", method="fft")
        assert np.abs(fft.values - expected).max() <= 1e-3 * expected.max()


def test_qgis_grid_uses_projected_layer_crs_and_equal_area_for_degrees():
    utm = gpd.GeoDataFrame(geometry=[Point(500000, 4800000), Point(520000, 4810000)], crs="EPSG:32642")
    grid = kernel_density(utm, radius=5000, cell=1000, grid="qgis")
    assert grid.crs.to_epsg() == 32642
    assert grid.transform.c == 495000.0 and grid.transform.f == 4815000.0
    lonlat = utm.to_crs(4326)
    grid = kernel_density(lonlat, radius=5000, cell=1000, grid="qgis")
    assert grid.crs == EQUAL_AREA_CRS


def test_geodataframe_in_degrees_is_projected_to_equal_area():
    lon, lat = np.array([76.9, 77.0, 77.3]), np.array([43.2, 43.3, 43.25])
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    before = frame.copy()
    a = kernel_density(frame, radius=10000, cell=1000)
    x, y = transform_xy(lon, lat, WGS84, EQUAL_AREA_CRS)
    b = kernel_density((x, y), radius=10000, cell=1000)
    np.testing.assert_allclose(a.values, b.values)
    assert a.transform == b.transform and a.n_points == 3
    assert frame.equals(before)
    west, south, east, north = a.to_wgs84_bounds()
    assert west < 76.9 - 0.1 and east > 77.3 + 0.1 and south < 43.2 - 0.08 and north > 43.3 + 0.08
    assert east - west < 0.8 and north - south < 0.45


def test_multipoints_and_missing_geometries():
    frame = gpd.GeoDataFrame(
        {"w": [1.0, 2.0, 5.0]},
        geometry=[MultiPoint([(0, 0), (2000, 0)]), None, Point(1000, 1000)],
        crs=EQUAL_AREA_CRS,
    )
    grid = kernel_density(frame, radius=3000, cell=500, weight="w")
    assert grid.n_points == 3
    assert grid.total() == pytest.approx(7.0, rel=0.005)


def test_suggest_radius_is_the_arcgis_rule():
    rng = np.random.default_rng(3)
    xs, ys = rng.normal(0, 20000, 400), rng.normal(0, 10000, 400)
    d = np.hypot(xs - xs.mean(), ys - ys.mean())
    sd = math.sqrt(np.mean(d**2))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * np.median(d)) * 400 ** -0.2
    assert suggest_radius((xs, ys)) == pytest.approx(expected, rel=0.01)
    grid = kernel_density((xs, ys), cell=2000)
    assert grid.radius == pytest.approx(expected, rel=0.01)
    with pytest.raises(AnalysisError):
        suggest_radius(([5.0, 5.0], [1.0, 1.0]))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kernel": "cosine"},
        {"output": "percent"},
        {"method": "magic"},
        {"kernel": "triangular", "decay": -0.5},
        {"cell": 0.0},
        {"radius": -1.0},
        {"cell": 1.0, "radius": 10.0, "extent": (0, 0, 1e7, 1e7)},
    ],
)
def test_invalid_parameters_raise_analysis_error(kwargs):
    params = {"radius": 1000.0, "cell": 100.0} | kwargs
    with pytest.raises(AnalysisError):
        kernel_density(([0.0, 10.0], [0.0, 10.0]), **params)


def test_no_points_and_no_crs_raise_analysis_error():
    with pytest.raises(AnalysisError):
        kernel_density(([], []), radius=1000)
    with pytest.raises(AnalysisError):
        kernel_density(gpd.GeoDataFrame(geometry=[Point(0, 0)]), radius=1000)
    with pytest.raises(AnalysisError):
        kernel_density(gpd.GeoDataFrame(geometry=[Point(0, 0).buffer(1)], crs=3857), radius=1000)


def test_progress_and_cancel():
    seen = []
    kernel_density(([0.0], [0.0]), radius=1000, cell=100, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        kernel_density(([0.0], [0.0]), radius=1000, cell=100, cancel=token)


def test_auto_method_choice():
    few = kernel_density(([0.0, 10.0], [0.0, 5.0]), radius=5000, cell=1000)
    assert few.method == "exact"
    rng = np.random.default_rng(0)
    many = kernel_density((rng.uniform(0, 1e5, 20000), rng.uniform(0, 1e5, 20000)), radius=5000, cell=500)
    assert many.method == "fft"
