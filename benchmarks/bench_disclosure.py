"""Benchmark of the density mask of the disclosure rule (contributors per cell, then the mask).

Prints, for 1,000,000 and 10,000 points around the built-in settlements, the time of the
density itself (``kernel_density``) and of :func:`juvmap.analysis.density_mask.contributors_grid`
plus :func:`mask_density` on the same grid, and the share of non-zero cells masked; then
:func:`juvmap.analysis.density.density` (what the engine calls) on 1,000,000 points, internal
(no mask) and public (masked where fewer than 5 incidents contribute), min–median–max.
Run: ``.venv/bin/python benchmarks/bench_disclosure.py [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_kde import best_of, synthetic_lonlat  # noqa: E402
from timing import repeat_timed, spread  # noqa: E402


def run(n: int, radius: float, cell: float, repeat: int) -> None:
    from juvmap.analysis.density_mask import contributors_grid
    from juvmap.disclosure import mask_density
    from juvmap.crs import EQUAL_AREA_CRS, WGS84, transform_xy
    from juvmap.stats.kde import kernel_density

    lon, lat = synthetic_lonlat(n)
    x, y = transform_xy(lon, lat, WGS84, EQUAL_AREA_CRS)
    t_kde, grid = best_of(repeat, lambda: kernel_density((x, y), radius=radius, cell=cell))
    t_count, contributors = best_of(repeat, lambda: contributors_grid((x, y), grid.transform, grid.shape, radius))
    t_mask, masked = best_of(repeat, lambda: mask_density(grid.values, contributors))
    nonzero = grid.values != 0
    hidden = (np.isnan(masked) & nonzero).sum() / max(int(nonzero.sum()), 1)
    print(f"{n:>9,} points, radius {radius:g} m, cell {cell:g} m, grid {grid.shape[0]}×{grid.shape[1]}: "
          f"density {t_kde:.3f} s, contributors {t_count:.3f} s, mask {t_mask:.3f} s; "
          f"{hidden:.1%} of non-zero cells masked")


def engine_density(n: int, repeat: int, **settings) -> None:
    """:func:`juvmap.analysis.density.density` as the engine calls it, public (masked) and internal."""
    import pandas as pd

    from juvmap.analysis import AnalysisRequest
    from juvmap.analysis.density import density

    lon, lat = synthetic_lonlat(n)
    points = pd.DataFrame({"lon": lon, "lat": lat})
    for mode in ("internal", "public"):
        request = AnalysisRequest(disclosure=mode, **settings)
        seconds, (grid, params) = repeat_timed(repeat, lambda r=request: density(r, points))
        label = ", ".join(f"{k} {v:g}" for k, v in settings.items()) or "suggested radius and cell"
        print(f"density() {n:>9,} points, {label} (radius {params['radius']:.0f} m, cell {params['cell']:g} m, "
              f"grid {grid.values.shape[0]}×{grid.values.shape[1]}), {mode}: {spread(seconds)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run(1_000_000, 50_000.0, 1000.0, args.repeat)
    run(1_000_000, 3000.0, 500.0, 1)
    run(10_000, 3000.0, 500.0, args.repeat)
    engine_density(1_000_000, max(args.repeat, 5), kde_radius=50_000.0, kde_cell=1000.0)
    engine_density(1_000_000, max(args.repeat, 5))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
