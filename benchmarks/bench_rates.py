"""Time rates + global EB + spatial EB + LISA + Gi* (999 permutations) on the 224 districts.

Run: ``.venv/bin/python benchmarks/bench_rates.py`` (needs ``../shared/geodata``).
Prints the median of several warm runs, with and without building the queen weights.
Target: at most 1 s on the 2-core reference machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("JUVMAP_SHARED", ROOT.parent / "shared"))

from juvmap.stats.rates import Denominator  # noqa: E402
from juvmap.stats.smoothing import queen_weights  # noqa: E402
from juvmap.stats.summary import region_statistics  # noqa: E402


def main(repeats: int = 7) -> None:
    districts = gpd.read_file(SHARED / "geodata" / "kaz_adm2_2024.gpkg")
    districts["code"] = districts["KATO"].astype(str)
    districts["name"] = districts["ADM2_EN"]
    rng = np.random.default_rng(1)
    population = pd.Series(rng.integers(5_000, 300_000, len(districts)).astype(float),
                           index=districts["code"])
    risk = 25e-4 * rng.gamma(4.0, 0.25, len(districts))
    counts = rng.poisson(risk * population.to_numpy())
    incidents = pd.DataFrame({"region": np.repeat(districts["code"].to_numpy(), counts)})
    denominator = Denominator.juvenile(population, "14–17")

    t0 = time.perf_counter()
    region_statistics(incidents, districts, denominator)  # first call: imports, JIT-free warm-up
    cold = time.perf_counter() - t0

    full, warm, weights_only = [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        w = queen_weights(districts)
        weights_only.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        region_statistics(incidents, districts, denominator, weights=w)
        warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = region_statistics(incidents, districts, denominator)
        full.append(time.perf_counter() - t0)

    try:
        import numba  # noqa: F401

        accel = "numba"
    except ImportError:
        accel = "no numba (esda pure-Python permutation kernel)"
    print(f"districts: {len(districts)}, incidents: {len(incidents)}, permutations: 999, {accel}")
    print(f"first call (imports included):           {cold:.3f} s")
    print(f"queen weights alone (median):            {statistics.median(weights_only):.3f} s")
    print(f"statistics with given weights (median):  {statistics.median(warm):.3f} s")
    print(f"statistics incl. weights (median):       {statistics.median(full):.3f} s  (target <= 1 s)")
    print(f"significant LISA units: {(result['lisa_quadrant'].isin(['HH', 'LL', 'HL', 'LH'])).sum()}, "
          f"Gi* bins != 0: {(result['gi_bin'] != 0).sum()}")


if __name__ == "__main__":
    main()
