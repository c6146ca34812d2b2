"""Time ``load_layer`` on a 1,000,000-row CSV and a 1,000,000-point GeoPackage, its peak
memory, and the time to load or refuse messy files of up to 50 MB.

Run: ``.venv/bin/python benchmarks/bench_load.py [--rows N] [--repeat 3] [--skip-limits]``.
The inputs are generated once into ``benchmarks/_work/`` (not committed): points drawn
uniformly inside the built-in region polygons, with realistic columns (Russian headers,
cp1251, ``;``, decimal comma, dd.mm.yyyy dates). Prints the best time of each and the
targets: CSV <= 2 s, peak memory of the CSV load <= 600 MB (a fresh process, imports
included), and every file of <= 50 MB loaded or refused with the typed error in <= 10 s.
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
TARGETS = {"csv": 2.0, "gpkg": 2.0}
MEMORY_TARGET_MB = 600
LIMIT_SECONDS = 10.0
LIMIT_BYTES = 50 * 1024 * 1024


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


#: run in a fresh process: load one file, print seconds, outcome and peak memory as JSON
_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from juvmap.errors import DataLoadError
from juvmap.io.load import load_layer
from juvmap.io.boundaries import assign_regions
import numpy as np
assign_regions(np.array([71.4]), np.array([51.1]))
start, cpu = time.perf_counter(), time.process_time()
try:
    res = load_layer({path!r})
    outcome = f"loaded {{res.report.loaded:,}} of {{res.report.rows_read:,}}"
except DataLoadError as exc:
    outcome = "DataLoadError: " + str(exc)[:70]
except Exception as exc:
    outcome = "UNTYPED " + type(exc).__name__ + ": " + str(exc)[:60]
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
try:  # VmHWM: this process's own high-water mark (ru_maxrss is inherited through fork+exec)
    with open("/proc/self/status") as fh:
        peak = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "cpu": cpu, "outcome": outcome, "peak_mb": peak}}))
"""


def in_fresh_process(path: Path, timeout: float = 120.0, root: Path = ROOT) -> dict:
    """Load ``path`` in a new Python process (with juvmap from ``root``); its wall and CPU
    time, outcome and peak resident memory."""
    import subprocess

    code = _CHILD.format(root=str(root), path=str(path))
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "cpu": 0, "outcome": f"KILLED after {timeout:.0f} s",
                "peak_mb": 0}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"seconds": 0, "cpu": 0, "outcome": "CRASH " + done.stderr[-200:], "peak_mb": 0}
    return json.loads(lines[-1])


def make_limit_files(csv_path: Path, gpkg_path: Path) -> list[Path]:
    """Files of about 50 MB of the kinds that hung or crashed loaders (written once)."""
    files = {
        "one_line_50mb.csv": lambda p: p.write_bytes(b"43.25;76.91;" * (LIMIT_BYTES // 12)),
        "random_50mb.csv": lambda p: p.write_bytes(
            np.random.default_rng(1).integers(0, 256, LIMIT_BYTES, dtype=np.uint8).tobytes()),
        "points_50mb.csv": lambda p: p.write_bytes(csv_path.read_bytes()[:LIMIT_BYTES].rsplit(
            b"\n", 1)[0] + b"\n"),
        "nul_rows_50mb.csv": lambda p: p.write_bytes(csv_path.read_bytes()[:LIMIT_BYTES].rsplit(
            b"\n", 1)[0].replace(b";14;", b";1\x004;") + b"\n"),
        "truncated_50mb.gpkg": lambda p: p.write_bytes(gpkg_path.read_bytes()[:LIMIT_BYTES]),
        "points_50mb.geojson": _write_geojson,
        "points_200k.xlsx": _write_xlsx,
    }
    out = []
    for name, make in files.items():
        path = WORK / name
        if not path.exists():
            make(path)
        out.append(path)
    return out


def _write_geojson(path: Path) -> None:
    import geopandas as gpd

    table, lon, lat = _table(200_000)
    gdf = gpd.GeoDataFrame(table.iloc[:, :5], geometry=gpd.points_from_xy(lon, lat), crs=4326)
    gdf.to_file(path, driver="GeoJSON")


def _write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    table, _lon, _lat = _table(200_000)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Реестр")
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([v.item() if hasattr(v, "item") else v for v in row])
    book.save(path)


def limits(csv_path: Path, gpkg_path: Path) -> dict:
    """Print, for each file of <= 50 MB, the time to load or refuse it."""
    figures = {}
    for path in make_limit_files(csv_path, gpkg_path):
        got = in_fresh_process(path)
        ok = got["seconds"] <= LIMIT_SECONDS and not got["outcome"].startswith(
            ("UNTYPED", "CRASH", "KILLED"))
        figures[path.name] = round(got["seconds"], 2)
        print(f"{path.name:22s} {path.stat().st_size / 2**20:5.1f} MB {got['seconds']:6.2f} s "
              f"(CPU {got['cpu']:5.2f} s) "
              f"({'MET' if ok else 'MISSED'} <= {LIMIT_SECONDS:.0f} s) {got['outcome']}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-limits", action="store_true",
                        help="only the 1,000,000-row timings and memory")
    parser.add_argument("--compare", metavar="DIR",
                        help="also measure the peak memory with the juvmap of another checkout")
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
    memory = in_fresh_process(csv_path)
    figures["csv_peak_mb"] = round(memory["peak_mb"])
    print(f"csv   peak memory (fresh process, imports included): {memory['peak_mb']:.0f} MB "
          f"(target <= {MEMORY_TARGET_MB} MB"
          f"{', MET' if memory['peak_mb'] <= MEMORY_TARGET_MB else ', MISSED'}); "
          f"{memory['seconds']:.2f} s cold")
    if args.compare:
        other = in_fresh_process(csv_path, root=Path(args.compare))
        print(f"csv   peak memory with juvmap from {args.compare}: {other['peak_mb']:.0f} MB")
    if not args.skip_limits:
        figures["limits"] = limits(csv_path, gpkg_path)
    print(json.dumps({"bench_load": figures, "rows": args.rows,
                      "pyarrow": find_spec("pyarrow") is not None}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
