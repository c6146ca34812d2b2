"""Smoke test of the built Windows bundle (``dist\\juvmap``), run on the Windows build PC.

    .venv\\Scripts\\python packaging\\windows\\smoke.py dist\\juvmap

The Windows counterpart of ``packaging/smoke_offline.sh`` (which needs Linux namespaces): it
runs the bundle as a fresh user would (empty profile and cache, working folder outside the
checkout, the inherited GDAL/PROJ variables of a GIS set to a wrong folder) through
``juvmap-cli.exe``, so the console launcher is checked too, and prints one line per check:

    gdal/proj: {"inside_bundle": true, ...}
    smoke test: {"map_ready": true, "blocked_requests": 0, ...} (wall 9000 ms)
    sheet: KZ-75_....html names "Алматы"
    commands: rates.gpkg, load.json, kde.tif, map.html (kk) written, no remote links
    OK: smoke test passed

Unplug the network (or turn Wi-Fi off) first to check that nothing is downloaded. Exit code 0
when every check passed, 1 otherwise (the failing command's output is printed).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(exe: Path, work: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run the bundle with a fresh profile, cache and working folder; stop on failure."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JUVMAP", "PYTHON", "QT"))}
    clean.update(USERPROFILE=str(work / "home"), APPDATA=str(work / "home"), LOCALAPPDATA=str(work / "home"),
                 JUVMAP_CACHE=str(work / "cache"), GDAL_DATA=str(work / "foreign"),
                 PROJ_LIB=str(work / "foreign"), PYTHONIOENCODING="", **env)
    result = subprocess.run([str(exe), *args], cwd=work, env=clean, capture_output=True, timeout=600)
    if result.returncode != 0:
        sys.stdout.buffer.write(result.stdout + result.stderr)
        raise SystemExit(f"FAIL: juvmap-cli {' '.join(args)} exited {result.returncode}")
    return result


def main(argv: list[str]) -> int:
    """Run every check against the bundle folder ``argv[0]`` (default ``dist/juvmap``)."""
    bundle = Path(argv[0] if argv else "dist/juvmap").resolve()
    exe = bundle / ("juvmap-cli.exe" if sys.platform == "win32" else "juvmap")
    data = bundle / "_internal" / "juvmap" / "data"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        check = run(exe, work, JUVMAP_BUNDLE_CHECK="1").stdout.decode("utf-8").strip()
        if '"inside_bundle": true' not in check:
            raise SystemExit(f"FAIL: GDAL/PROJ data outside the bundle: {check}")
        print(f"gdal/proj: {check}")

        start = time.perf_counter()
        smoke = run(exe, work, "--smoke-test").stdout.decode("utf-8").strip().splitlines()[-1]
        if not re.search(r'"blocked_requests": 0[,}]', smoke):
            raise SystemExit(f"FAIL: requests were blocked or the map was not ready: {smoke}")
        print(f"smoke test: {smoke} (wall {(time.perf_counter() - start) * 1000:.0f} ms)")

        with open(data / "regions.csv", encoding="utf-8") as fh:
            name = next(r["name_ru"] for r in csv.DictReader(fh) if r["iso_3166_2"] == "KZ-75")
        run(exe, work, "sheets", "--out", "sheets", "--region", "KZ-75", "--lang", "ru")
        pdfs, pages = list(work.glob("sheets/**/KZ-75_*.pdf")), list(work.glob("sheets/**/KZ-75_*.html"))
        if not pdfs or not pages or name not in pages[0].read_text(encoding="utf-8"):
            raise SystemExit(f"FAIL: no sheet of KZ-75 naming {name}: {sorted(p.name for p in work.rglob('*'))}")
        print(f'sheet: {pdfs[0].name} ({pdfs[0].stat().st_size // 1024} KB), {pages[0].name} names "{name}"')

        demo = str(data / "demo_incidents.csv")
        run(exe, work, "rates", "--out", "rates.gpkg")
        load = run(exe, work, "--lang", "kk", "load", "--json", demo).stdout.decode("utf-8")
        run(exe, work, "kde", "--data", demo, "--out", "kde.tif")
        run(exe, work, "map", "--lang", "kk", "--out", "map.html")
        if json.loads(load)["rejected"] != 0:
            raise SystemExit(f"FAIL: load rejected rows: {load[:200]}")
        html = (work / "map.html").read_text(encoding="utf-8")
        missing = [f for f in ("rates.gpkg", "kde.tif", "map.html") if not (work / f).stat().st_size]
        if missing or re.search(r'(src|href)="(https?:)?//', html):
            raise SystemExit(f"FAIL: {missing or 'map.html links remote files'}")
        print("commands: rates.gpkg, load.json, kde.tif, map.html (kk) written, no remote links")
    print("OK: smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
