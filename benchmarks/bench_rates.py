"""Time rates + global EB + spatial EB + LISA + Gi* (999 permutations) on the 224 districts.

Run: ``.venv/bin/python benchmarks/bench_rates.py`` (needs ``../shared/geodata``).
Times :func:`juvmap.analysis.analyse` on the 224 districts as a user area layer (cold and
warm, min–median–max), and the queen weights alone.
Target (issue 12): at most 0.5 s on the 2-core reference machine.
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

sys.path.insert(0, str(ROOT / "benchmarks"))

from juvmap.analysis import AnalysisRequest, Sources, analyse  # noqa: E402
from juvmap.stats.smoothing import queen_weights  # noqa: E402
from timing import spread, verdict  # noqa: E402

TARGET_SECONDS = 0.5


def main(repeats: int = 7) -> None:
    districts = gpd.read_file(SHARED / "geodata" / "kaz_adm2_2024.gpkg")
    districts["code"] = districts["KATO"].astype(str)
    districts["name"] = districts["ADM2_EN"]
    rng = np.random.default_rng(1)
    districts["population"] = rng.integers(5_000, 300_000, len(districts)).astype(float)
    risk = 25e-4 * rng.gamma(4.0, 0.25, len(districts))
    counts = rng.poisson(risk * districts["population"].to_numpy())
    incidents = pd.DataFrame({"region": np.repeat(districts["code"].to_numpy(), counts),
                              "date": pd.Timestamp("2023-06-01")})
    sources = Sources(incidents=incidents, user_areas=districts)

    def request(seed: int) -> AnalysisRequest:  # a new seed: not the engine's cached result
        return AnalysisRequest(level="user", period=(2023, 2023), permutations=999, seed=seed)

    t0 = time.perf_counter()
    analyse(request(0), sources)  # first call: imports, queen weights built and cached
    cold = time.perf_counter() - t0
    warm = []
    for seed in range(1, repeats + 1):
        t0 = time.perf_counter()
        result = analyse(request(seed), sources)
        warm.append(time.perf_counter() - t0)
    weights_only = []
    for _ in range(3):
        t0 = time.perf_counter()
        queen_weights(districts)
        weights_only.append(time.perf_counter() - t0)

    try:
        import numba  # noqa: F401

        accel = "numba"
    except ImportError:
        accel = "no numba (esda pure-Python permutation kernel)"
    areas = result.areas
    print(f"districts: {len(districts)}, incidents: {len(incidents)}, permutations: 999, {accel}")
    print(f"first analyse() (imports and queen weights included): {cold:.3f} s")
    print(f"queen weights alone: {spread(weights_only)}")
    print(f"analyse() counts + rates + EB + spatial EB + LISA + Gi*, warm: {spread(warm)}; "
          f"{verdict(warm, TARGET_SECONDS)}")
    hot = [c for c in areas.columns if c.endswith(("quadrant", "_bin", "hotspot"))]
    print(f"hot-spot columns of the result: {', '.join(hot) or '(none)'}")


if __name__ == "__main__":
    main()
