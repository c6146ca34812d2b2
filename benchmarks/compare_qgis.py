"""Compare ``kernel_density(..., grid="qgis")`` with QGIS's own Heatmap, run headless.

Needs QGIS (Debian package ``qgis``; tested with 3.22): runs ``qgis_process.bin run
qgis:heatmapkerneldensityestimation`` with ``QT_QPA_PLATFORM=offscreen`` on the same points
(a GeoPackage in UTM zone 42N) for every QGIS kernel and both output kinds, and prints the largest
difference relative to the surface's maximum. QGIS writes float32, so ~1e-7 is agreement.

QGIS up to 3.40 multiplies the *scaled quartic* kernel by 116/16 = 7.25 too much (typo fixed in
QGIS PR #60631); the script divides QGIS's value by that factor when the version is older.

Run: ``.venv/bin/python benchmarks/compare_qgis.py [--points 2000] [--radius 3000] [--cell 100]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QGIS_KERNELS = {"quartic": 0, "triangular": 1, "uniform": 2, "triweight": 3, "epanechnikov": 4}
QUARTIC_TYPO = 116.0 / 16.0


def qgis_binary() -> str | None:
    for name in ("qgis_process.bin", "/usr/lib/qgis/qgis_process.bin", "qgis_process"):
        found = shutil.which(name) or (name if Path(name).exists() else None)
        if found:
            return found
    return None


def qgis_version(binary: str, env: dict) -> tuple[int, int]:
    text = subprocess.run([binary, "--version"], env=env, capture_output=True, text=True).stdout
    for token in text.split():
        parts = token.split(".")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and parts[0] == "3":
            return int(parts[0]), int(parts[1])
    return (0, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--radius", type=float, default=3000.0)
    parser.add_argument("--cell", type=float, default=100.0)
    args = parser.parse_args()
    binary = qgis_binary()
    if binary is None:
        print("QGIS is not installed (apt-get install qgis); nothing to compare")
        return 1

    import geopandas as gpd
    import rasterio

    from juvmap.stats.kde import kernel_density

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    version = qgis_version(binary, env)
    folder = Path(tempfile.mkdtemp(prefix="juvmap-qgis-"))
    rng = np.random.default_rng(9)
    centres = rng.uniform([480000, 4780000], [560000, 4840000], size=(6, 2))
    pick = rng.integers(0, 6, args.points)
    xy = centres[pick] + rng.normal(0, 4000, (args.points, 2))
    frame = gpd.GeoDataFrame(
        {"w": rng.integers(1, 4, args.points).astype(float)},
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:32642",
    )
    source = folder / "points.gpkg"
    frame.to_file(source, driver="GPKG", engine="pyogrio")
    print(f"QGIS {version[0]}.{version[1]} ({binary}); {args.points} points, radius {args.radius} m, "
          f"cell {args.cell} m; folder {folder}")
    worst = 0.0
    for kernel, code in QGIS_KERNELS.items():
        for output, value in (("raw", 0), ("scaled", 1)):
            out = folder / f"qgis_{kernel}_{output}.tif"
            command = [binary, "run", "qgis:heatmapkerneldensityestimation", "--",
                       f"INPUT={source}", f"RADIUS={args.radius}", f"PIXEL_SIZE={args.cell}",
                       f"KERNEL={code}", "DECAY=0", f"OUTPUT_VALUE={value}", "WEIGHT_FIELD=w",
                       f"OUTPUT={out}"]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode != 0 or not out.exists():
                print(f"{kernel:13s} {output:6s} QGIS failed: {done.stderr.strip()[-300:]}")
                continue
            with rasterio.open(out) as src:
                theirs = src.read(1).astype(np.float64)
                theirs[theirs == src.nodata] = 0.0
                transform = src.transform
            if kernel == "quartic" and output == "scaled" and version < (3, 42):
                theirs /= QUARTIC_TYPO
            ours = kernel_density(frame, radius=args.radius, cell=args.cell, kernel=kernel,
                                  output=output, weight="w", grid="qgis", method="exact")
            fft = kernel_density(frame, radius=args.radius, cell=args.cell, kernel=kernel,
                                 output=output, weight="w", grid="qgis", method="fft")
            same_grid = ours.shape == theirs.shape and ours.transform.almost_equals(transform)
            if not same_grid:
                print(f"{kernel:13s} {output:6s} grids differ: ours {ours.shape} {ours.transform[:6]}, "
                      f"QGIS {theirs.shape} {transform[:6]}")
                continue
            top = float(np.abs(theirs).max())
            exact_diff = float(np.abs(ours.values - theirs).max()) / top
            fft_diff = float(np.abs(fft.values - theirs).max()) / top
            worst = max(worst, exact_diff)
            print(f"{kernel:13s} {output:6s} grid {theirs.shape} identical; max |ours - QGIS| / max: "
                  f"exact {exact_diff:.2e}, fft {fft_diff:.2e}")
    print(f"largest relative difference of the exact path: {worst:.2e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
