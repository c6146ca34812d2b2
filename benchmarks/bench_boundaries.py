"""Timing of the built-in boundaries: load_regions cold/warm and assign_regions on 1M points.

Run: ``.venv/bin/python benchmarks/bench_boundaries.py`` (uses a fresh temporary cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

CHILD = r"""
import time, numpy as np
t = time.perf_counter()
from juvmap.io.boundaries import load_regions, assign_regions
t_import = time.perf_counter() - t
t = time.perf_counter(); load_regions("display"); t_display = time.perf_counter() - t
t = time.perf_counter(); load_regions("full"); t_full = time.perf_counter() - t
print(f"import {t_import:.3f}s  load display {t_display:.3f}s  load full {t_full:.3f}s")
rng = np.random.default_rng(0)
lon = rng.uniform(46.49, 87.32, 1_000_000); lat = rng.uniform(40.59, 55.44, 1_000_000)
t = time.perf_counter(); codes = assign_regions(lon, lat); first = time.perf_counter() - t
runs = []
for _ in range(3):
    t = time.perf_counter(); assign_regions(lon, lat); runs.append(time.perf_counter() - t)
print(f"assign_regions 1,000,000 points: first call {first:.3f}s (loads or builds the lookup grid), "
      f"then best {min(runs):.3f}s; inside a region: {(codes != '').mean():.1%}")
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, JUVMAP_CACHE=cache)
        for label in ("cold cache (builds the GeoPackage)", "warm cache (new process)"):
            print(f"-- {label}")
            subprocess.run([sys.executable, "-c", CHILD], env=env, check=True)


if __name__ == "__main__":
    main()
