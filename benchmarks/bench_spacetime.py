"""Time emerging hot spots (224 districts × 60 months) and the Knox test (10,000 incidents, 999 permutations).

Run: ``.venv/bin/python benchmarks/bench_spacetime.py``. Uses the 224 districts of
``../shared/geodata/kaz_adm2_2024.gpkg`` for the contiguity when present, else a 16 × 14
lattice (``libpysal.weights.lat2W``). Prints the median of warm runs.
Targets on the 2-core reference machine: emerging ≤ 2 s, Knox ≤ 10 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("JUVMAP_SHARED", ROOT.parent / "shared"))

from juvmap.stats.emerging import emerging_hotspots  # noqa: E402
from juvmap.stats.nearrepeat import knox_test  # noqa: E402


def district_weights():
    path = SHARED / "geodata" / "kaz_adm2_2024.gpkg"
    if path.exists():
        import geopandas as gpd

        from juvmap.stats.smoothing import queen_weights

        return queen_weights(gpd.read_file(path)), "224 districts (geokz 2024, queen)"
    from libpysal.weights import lat2W

    return lat2W(16, 14, rook=False), "16 × 14 lattice (queen)"


def timed(function, repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of warm runs (CPU shows the cost on a busy machine)."""
    function()  # warm
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def bench_emerging(repeats: int = 5) -> None:
    weights, label = district_weights()
    n = weights.n
    rng = np.random.default_rng(1)
    risk = rng.gamma(3.0, 1.0, n)[:, None] * np.exp(np.linspace(0, 0.4, 60))[None, :]
    counts = pd.DataFrame(rng.poisson(risk * 4), index=[f"D{i}" for i in range(n)],
                          columns=[str(p) for p in pd.period_range("2019-01", periods=60, freq="M")])
    seconds, cpu = timed(lambda: emerging_hotspots(counts, weights), repeats)
    table = emerging_hotspots(counts, weights)
    print(f"emerging hot spots, {label}, {n} × 60 months: {seconds:.3f} s wall, {cpu:.3f} s CPU (target ≤ 2 s); "
          f"categories: {table['category'].value_counts().to_dict()}")


def bench_knox(repeats: int = 3) -> None:
    rng = np.random.default_rng(2)
    n = 10_000
    centres = rng.uniform(0, 30_000, size=(40, 2))
    which = rng.integers(0, 40, n)
    xy = centres[which] + rng.normal(0, 1_500, size=(n, 2))  # a city of 30 × 30 km, 40 quarters
    days = rng.integers(0, 730, n)
    distance, day_edges = [0, 200, 400, 600, 800, 1000], [0, 7, 14, 21, 28]
    seconds, cpu = timed(lambda: knox_test(xy[:, 0], xy[:, 1], days, distance, day_edges, 999), repeats)
    table = knox_test(xy[:, 0], xy[:, 1], days, distance, day_edges, 999)
    close = int(table.loc[table["distance_high"] < np.inf, "observed"].sum())
    print(f"Knox test, {n} incidents, {close} pairs closer than 1000 m, 999 permutations, "
          f"{len(table)} bands: {seconds:.2f} s wall, {cpu:.2f} s CPU (target ≤ 10 s)")


if __name__ == "__main__":
    bench_emerging()
    bench_knox()
