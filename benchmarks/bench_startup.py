"""Start-up of the application: first start on a fresh profile, then warm starts.

Runs ``python -m juvmap --smoke-test`` with ``JUVMAP_CACHE`` and ``JUVMAP_CONFIG`` in a new
temporary folder (a fresh profile: the start map must be built), then twice more with the same
folders (warm: the start map file exists). Prints the seconds to the window shown
(``startup_s``) and to the map drawn (``map_ready_s``), and the machine's load average, which
the figures depend on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def smoke(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-m", "juvmap", "--smoke-test"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": f"exit {out.returncode}"}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, JUVMAP_CACHE=str(Path(tmp, "cache")), JUVMAP_CONFIG=str(Path(tmp, "config")),
                   PYTHONPATH=str(ROOT))
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for run in ("fresh profile", "warm 1", "warm 2"):
            result = smoke(env)
            print(f"{run:14s} window {result.get('startup_s')} s, map {result.get('map_ready_s')} s"
                  f"{'  ' + result['error'] if 'error' in result else ''}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
