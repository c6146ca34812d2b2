"""Timing of the built-in boundaries: loading, point in area on 1M points, statistics on 224 districts.

Run: ``.venv/bin/python benchmarks/bench_boundaries.py`` (uses a fresh temporary cache).
Targets (issue 12): 1,000,000 points to the 224 districts ≤ 0.5 s; rates + EB + spatial EB +
LISA + Gi* (999 permutations) on 224 districts ≤ 0.5 s; display GeoJSON of 224 districts
≤ 600 KB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

CHILD = r"""
import time, numpy as np, shapely
t = time.perf_counter()
from juvmap.io.boundaries import load_areas, assign_areas
t_import = time.perf_counter() - t
t = time.perf_counter(); load_areas("regions", "display"); t_display = time.perf_counter() - t
t = time.perf_counter(); districts = load_areas("districts", "full"); t_full = time.perf_counter() - t
print(f"import {t_import:.3f}s  load regions display {t_display:.3f}s  load districts full {t_full:.3f}s")
rng = np.random.default_rng(0)
lon = rng.uniform(46.49, 87.32, 3_000_000); lat = rng.uniform(40.59, 55.44, 3_000_000)
country = shapely.coverage_union_all(districts.geometry.to_numpy())
inside = shapely.contains_xy(country, lon, lat)
samples = {"uniform in the bounding box": (lon[:1_000_000], lat[:1_000_000]),
           "uniform inside the country": (lon[inside][:1_000_000], lat[inside][:1_000_000])}
for level in ("regions", "districts"):
    for label, (x, y) in samples.items():
        t = time.perf_counter(); codes = assign_areas(x, y, level); first = time.perf_counter() - t
        runs = []
        for _ in range(3):
            t = time.perf_counter(); assign_areas(x, y, level); runs.append(time.perf_counter() - t)
        print(f"assign {level:9s} 1,000,000 points {label}: first call {first:.3f}s "
              f"(loads or builds the grid), then best {min(runs):.3f}s; placed {(codes != '').mean():.1%}")
"""

STATS = r"""
import time, warnings
import numpy as np, pandas as pd
from juvmap.io.boundaries import load_areas
from juvmap.analysis import AnalysisRequest, Sources, analyse
from juvmap.stats.smoothing import queen_weights
warnings.simplefilter("ignore")
display = load_areas("districts", "display")
sources = Sources.builtin()
print(f"display GeoJSON of 224 districts: {len(display.to_json(drop_id=True).encode()) / 1024:.0f} KB")
analyse(AnalysisRequest(level="districts", permutations=99), sources)  # warm-up (weights cached)
runs = []
for seed in range(3):  # a new seed: not the engine's cached result
    t = time.perf_counter()
    analyse(AnalysisRequest(level="districts", period=(2019, 2023), seed=seed), sources)
    runs.append(time.perf_counter() - t)
print(f"analysis on 224 districts (counts in polygons, rates, EB, spatial EB, LISA, Gi*, 999 permutations, "
      f"{len(sources.incidents):,} points): best {min(runs):.3f}s")
t = time.perf_counter(); queen_weights(display); print(f"queen weights of 224 districts: {time.perf_counter() - t:.3f}s")
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, JUVMAP_CACHE=cache)
        for label in ("cold cache (builds the lookup grids)", "warm cache (new process)"):
            print(f"-- {label}")
            subprocess.run([sys.executable, "-c", CHILD], env=env, check=True)
        print("-- statistics")
        subprocess.run([sys.executable, "-c", STATS], env=env, check=True)


if __name__ == "__main__":
    main()
