"""Time from a filter change to the rebuilt map (choropleth + KDE + hot spots) shown in the view.

Run: ``.venv/bin/python benchmarks/bench_view_update.py``. Target: ≤ 1 s on this machine
with the built-in incident layer. Prints each run and the median. "drawn" is the time from the
built map to the view's ``mapReady``: a few hundredths of a second when the view applies the
map in place (:mod:`juvmap.mapping.live`), about 0.4 s when it has to load the page.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")


def main(runs: int = 6) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from juvmap.stats.filters import IncidentFilter
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
    filters = [IncidentFilter(years=(2021, 2023)), IncidentFilter(places=("school", "street")),
               IncidentFilter(sex=("F",)), IncidentFilter(hours=(14, 19)), IncidentFilter(),
               IncidentFilter(categories=("property",))]
    times = []
    built = {}
    window.session.mapBuilt.connect(lambda path: built.setdefault("t", time.perf_counter()))
    for flt in filters[:runs]:
        built.clear()
        t0 = time.perf_counter()
        elapsed = until_ready(lambda f=flt: window._on_filter(f))
        times.append(elapsed)
        build = built.get("t", t0) - t0
        print(f"filter {' '.join(flt.to_expressions()) or '(none)'}: {elapsed:.2f} s "
              f"(built in {build:.2f} s, drawn in {elapsed - build:.2f} s)", flush=True)
    print(f"filter change -> choropleth + KDE + hot spots shown: median {statistics.median(times):.2f} s "
          f"(target 1 s), {len(window.session.incidents)} incidents")
    window.close()
    web.release_pages()
    app.quit()


if __name__ == "__main__":
    main()
