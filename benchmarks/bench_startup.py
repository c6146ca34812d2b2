"""Time the first map after start: ``juvmap --smoke-test`` on a fresh user profile and warm.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--runs 5]``. Targets (issue 11): first map
≤ 3 s on a fresh profile, ≤ 1.5 s warm, on this 2-core machine.

* fresh: every run gets new, empty ``JUVMAP_CACHE`` and ``JUVMAP_CONFIG`` folders (no start
  map, no lookup grids, no settings written by an earlier start);
* warm: the same folders again after one start has filled them.

Two figures per run: ``map_ready_s`` as the smoke test prints it (from ``run_app()`` entry to
the view's ``mapReady``) and the whole process (interpreter start, imports and exit included).
The machine is shared: min–median–max of ``--runs`` runs; the target is checked on the median
of ``map_ready_s``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import spread, verdict  # noqa: E402

FRESH_TARGET, WARM_TARGET = 3.0, 1.5


def smoke_test(cache: str, config: str) -> tuple[float, float]:
    """(map_ready_s, whole-process seconds) of one ``juvmap --smoke-test`` run."""
    env = dict(os.environ, JUVMAP_CACHE=cache, JUVMAP_CONFIG=config, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "juvmap", "--smoke-test"], env=env, capture_output=True,
                          text=True, timeout=120)
    whole = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        raise SystemExit(f"smoke test failed (exit {done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")
    report = json.loads(lines[-1])
    return float(report["map_ready_s"]), whole


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    fresh, fresh_whole, warm, warm_whole = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            cache, config = (str(Path(tmp) / f"{run}-{name}") for name in ("cache", "config"))
            ready, whole = smoke_test(cache, config)
            fresh.append(ready)
            fresh_whole.append(whole)
        for _ in range(args.runs):  # the folders of the last fresh run, now filled
            ready, whole = smoke_test(cache, config)
            warm.append(ready)
            warm_whole.append(whole)
    print(f"fresh profile: map ready {spread(fresh)}; {verdict(fresh, FRESH_TARGET)}")
    print(f"               whole process {spread(fresh_whole)}")
    print(f"warm:          map ready {spread(warm)}; {verdict(warm, WARM_TARGET)}")
    print(f"               whole process {spread(warm_whole)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
