"""Benchmark of the offline map (targets on a 2-core machine).

* analysing (:func:`juvmap.analysis.analyse`) and drawing (:func:`juvmap.mapping.spec.build_map`)
  the map of the 20 regions with the rate choropleth, the KDE of 100,000 points and the
  hot spots (statistics, density, peaks, layers) and writing it: ≤ 1.5 s;
* the HTML: ≤ 5 MB.

The 100,000 incidents are the synthetic demo incidents resampled with a small jitter (same regions,
dates and attributes). Run: ``.venv/bin/python benchmarks/bench_map.py [--repeat 3] [--n 100000]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import spread, verdict  # noqa: E402

TARGET_SECONDS = 1.5
TARGET_MB = 5.0


def incidents(n: int, seed: int = 7):
    """``n`` synthetic incidents drawn from the demo layer, jittered by about 2 km."""
    import geopandas as gpd

    from juvmap.io.demo import load_demo_incidents

    demo = load_demo_incidents()
    rng = np.random.default_rng(seed)
    rows = demo.iloc[rng.integers(0, len(demo), n)].reset_index(drop=True)
    rows["lon"] = rows["lon"] + rng.normal(0.0, 0.02, n)
    rows["lat"] = rows["lat"] + rng.normal(0.0, 0.015, n)
    out = gpd.GeoDataFrame(rows.drop(columns="geometry"),
                           geometry=gpd.points_from_xy(rows["lon"], rows["lat"]), crs="EPSG:4326")
    out.attrs["synthetic"] = True
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()

    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.mapping.build import write_map
    from juvmap.mapping.spec import MapSpec, build_map

    points = incidents(args.n)
    spec = MapSpec(layers=("choropleth", "kde", "hotspots"))
    sources = Sources(incidents=points)
    print(f"{len(points):,} points, 20 regions, layers {','.join(spec.layers)}")
    times, build_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat + 1):
            # every year, so that all the points go into the density; a new seed each run, so
            # that the engine's cache of results is not what is timed
            request = AnalysisRequest(period=(2019, 2023), seed=1000 + i, outputs=spec.outputs())
            started = time.perf_counter()
            fmap = build_map(analyse(request, sources), spec, incidents=points)
            built = time.perf_counter()
            path = write_map(fmap, Path(tmp) / f"map{i}.html")
            done = time.perf_counter()
            label = "first (cold)" if i == 0 else f"run {i}"
            print(f"{label}: build {built - started:.3f} s, write {done - built:.3f} s, total {done - started:.3f} s")
            if i:
                times.append(done - started)
                build_times.append(built - started)
        size = path.stat().st_size / 1e6
    median = statistics.median(times)
    print(f"analyse + build: {spread(build_times)}")
    print(f"analyse + build + write: {spread(times)}; {verdict(times, TARGET_SECONDS)}")
    print(f"HTML {size:.2f} MB (target ≤ {TARGET_MB} MB)")
    return 0 if median <= TARGET_SECONDS and size <= TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
