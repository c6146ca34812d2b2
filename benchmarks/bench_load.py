"""Time ``load_layer`` on a 1,000,000-row CSV and a 1,000,000-point GeoPackage.

Run: ``.venv/bin/python benchmarks/bench_load.py [--rows N] [--repeat 3]``. The inputs are
generated once into ``benchmarks/_work/`` (not committed): points drawn uniformly inside
the built-in region polygons, with realistic columns (Russian headers, cp1251, ``;``,
decimal comma, dd.mm.yyyy dates). Prints the best time of each and the targets.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "benchmarks" / "_work"
TARGETS = {"csv": 3.0, "gpkg": 2.0}


def _points_in_kazakhstan(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    from juvmap.io.boundaries import assign_regions

    lon, lat = np.empty(0), np.empty(0)
    while len(lon) < n:
        x = rng.uniform(46.5, 87.3, 2 * n)
        y = rng.uniform(40.6, 55.4, 2 * n)
        inside = assign_regions(x, y) != ""
        lon, lat = np.concatenate([lon, x[inside]]), np.concatenate([lat, y[inside]])
    return lon[:n], lat[:n]


def _table(n: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2024)
    lon, lat = _points_in_kazakhstan(n, rng)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 5 * 365, n), unit="D")
    articles = ["188", "190", "106", "293", "188-1", "345", "200", "120"]
    regions = ["Алматы", "Астана", "Карагандинская область", "Шымкент", "Абайская область"]
    table = pd.DataFrame({
        "№": np.arange(1, n + 1),
        "Дата совершения": days.strftime("%d.%m.%Y"),
        "Время": [f"{h:02d}:{m:02d}" for h, m in zip(rng.integers(0, 24, n),
                                                     rng.integers(0, 60, n), strict=True)],
        "Статья УК": rng.choice(articles, n),
        "Область": rng.choice(regions, n),
        "Широта": lat.round(6),
        "Долгота": lon.round(6),
        "Возраст": rng.integers(14, 18, n),
        "Пол": rng.choice(["М", "Ж"], n, p=[0.85, 0.15]),
        "Учащийся": rng.choice(["да", "нет"], n),
    })
    return table, lon, lat


def make_inputs(n: int) -> tuple[Path, Path]:
    """Write (once) the CSV and GeoPackage of ``n`` rows; return their paths."""
    WORK.mkdir(parents=True, exist_ok=True)
    csv_path, gpkg_path = WORK / f"points_{n}.csv", WORK / f"points_{n}.gpkg"
    if csv_path.exists() and gpkg_path.exists():
        return csv_path, gpkg_path
    import geopandas as gpd
    import pyogrio

    table, lon, lat = _table(n)
    table.to_csv(csv_path, sep=";", decimal=",", index=False, encoding="cp1251")
    layer = table.drop(columns=["Широта", "Долгота"]).rename(columns={
        "№": "id", "Дата совершения": "date", "Время": "time", "Статья УК": "article",
        "Область": "region", "Возраст": "age", "Пол": "sex", "Учащийся": "pupil"})
    gdf = gpd.GeoDataFrame(layer, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    pyogrio.write_dataframe(gdf, gpkg_path, layer="offences")
    return csv_path, gpkg_path


def best_of(path: Path, repeat: int) -> tuple[float, float, dict]:
    """Return the best wall time, the CPU time of that run, and the last report."""
    import gc

    from juvmap.io.load import load_layer

    runs, rep = [], {}
    for _ in range(repeat):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        result = load_layer(path)
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
        rep = result.report.to_dict()
        del result
    wall, cpu = min(runs)
    return wall, cpu, rep


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    csv_path, gpkg_path = make_inputs(args.rows)
    print(f"inputs ready in {time.perf_counter() - start:.1f} s ({args.rows:,} rows); "
          f"pyarrow {'installed' if find_spec('pyarrow') else 'NOT installed'}")
    from juvmap.io.boundaries import assign_regions

    assign_regions(np.array([71.4]), np.array([51.1]))  # build the lookup outside the timing
    figures = {}
    for name, path in (("csv", csv_path), ("gpkg", gpkg_path)):
        seconds, cpu, rep = best_of(path, args.repeat)
        ok = rep["rows_read"] == rep["loaded"] + rep["rejected"] == args.rows
        figures[name] = round(seconds, 2)
        print(f"{name:5s} best of {args.repeat}: {seconds:6.2f} s, CPU {cpu:5.2f} s "
              f"(target <= {TARGETS[name]} s"
              f"{', MET' if seconds <= TARGETS[name] else ', MISSED'}); loaded {rep['loaded']:,}"
              f", rejected {rep['rejected']:,}{'' if ok else ' -- ROW COUNT MISMATCH'}")
    print(json.dumps({"bench_load": figures, "rows": args.rows,
                      "pyarrow": find_spec("pyarrow") is not None}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
