"""Time from a filter change to the rebuilt map (choropleth + KDE + hot spots) shown in the view.

Run: ``.venv/bin/python benchmarks/bench_view_update.py [--runs 12]``. Target (issue 11):
median ≤ 0.5 s on this 2-core machine with the built-in incident layer. A filter change is what
the Filters dock does: ``window.state.filter = …`` (the session analyses and draws in the
background, the view shows the page). Prints each run, split into "built" (analysis + drawing,
until the session's ``mapBuilt``) and "drawn" (until the view's ``mapReady``), then
min–median–max. Each filter is new to the engine's cache in the first round; later rounds
repeat the filters (period and seed unchanged: the analysis comes from the cache) and are
reported apart.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import spread, verdict  # noqa: E402

TARGET_SECONDS = 0.5


def filters():
    """Filters the Filters dock can set, each different from the one before."""
    from juvmap.stats.filters import IncidentFilter

    return [IncidentFilter(places=("school", "street")), IncidentFilter(sex=("F",)),
            IncidentFilter(hours=(14, 19)), IncidentFilter(), IncidentFilter(categories=("property",)),
            IncidentFilter(sex=("M",)), IncidentFilter(hours=(0, 6)), IncidentFilter(places=("street",))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=16)
    args = parser.parse_args()
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from juvmap.ui import web

    web.register_scheme()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    from juvmap.ui.main_window import MainWindow

    window = MainWindow()
    window.show_load_reports = False
    window.show()

    def until_ready(action) -> float:
        loop = QEventLoop()
        window.map_view.mapReady.connect(loop.quit)
        t0 = time.perf_counter()
        action()
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        window.map_view.mapReady.disconnect(loop.quit)
        return time.perf_counter() - t0

    until_ready(window.show_start_map)
    until_ready(lambda: window.set_mode("incidents"))
    print(f"layers {','.join(window.state.layers)}, {len(window.session.incidents):,} incidents, "
          f"period {window.state.period}", flush=True)
    chosen = filters()
    fresh, cached = [], []
    built = {}
    window.session.mapBuilt.connect(lambda path: built.setdefault("t", time.perf_counter()))
    for i in range(args.runs):
        flt = chosen[i % len(chosen)]
        built.clear()
        t0 = time.perf_counter()
        elapsed = until_ready(lambda f=flt: setattr(window.state, "filter", f))
        (fresh if i < len(chosen) else cached).append(elapsed)
        build = built.get("t", t0) - t0
        print(f"filter {' '.join(flt.to_expressions()) or '(none)'}: {elapsed:.2f} s "
              f"(built in {build:.2f} s, drawn in {elapsed - build:.2f} s)", flush=True)
    print(f"filter change -> choropleth + KDE + hot spots shown, new analysis: {spread(fresh)}; "
          f"{verdict(fresh, TARGET_SECONDS)}")
    if cached:
        print(f"same, analysis from the engine's cache (filter seen before): {spread(cached)}")
    window.close()
    web.release_pages()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
