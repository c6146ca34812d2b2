"""Screenshots of the Space-time dock beside the map, one per tab and language.

``xvfb-run -a -s "-screen 0 1600x1000x24" python tools/spacetime_screenshots.py --out DIR``
writes ``spacetime_<tab>_<lang>.png`` (funnel, evaluation, emerging, nearrepeat) on the
synthetic demo incidents, Almaty selected.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABS = ("funnel", "evaluation", "emerging", "nearrepeat")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--langs", default="kk,ru,en")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
                                                + " --no-sandbox --disable-gpu").strip()
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from juvmap.ui import web

    web.register_scheme()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    from juvmap.i18n import set_language
    from juvmap.ui.main_window import MainWindow

    def wait(signal=None, ms: int = 90_000, action=None, until=None) -> None:
        loop = QEventLoop()
        if signal is not None:
            signal.connect(loop.quit)
        if action is not None:
            action()
        QTimer.singleShot(ms, loop.quit)
        if until is not None:
            timer = QTimer(interval=100)
            timer.timeout.connect(lambda: loop.quit() if until() else None)
            timer.start()
        loop.exec()
        if signal is not None:
            signal.disconnect(loop.quit)

    args.out.mkdir(parents=True, exist_ok=True)
    set_language(args.langs.split(",")[0])
    window = MainWindow()
    window.resize(1560, 960)
    window.show()
    wait(window.map_view.mapReady, action=window.show_start_map)
    wait(window.map_view.mapReady, action=lambda: window.set_mode("incidents"))
    dock = window.spacetime_dock
    dock.show()
    window.region_dock.hide()
    window.resizeDocks([dock], [640], Qt.Orientation.Horizontal)
    for lang in args.langs.split(","):
        window.set_language(lang)
        wait(window.map_view.mapReady)
        wait(window.session.profileReady, action=lambda: window.on_region_clicked("KZ-75"))
        panel = dock.evaluation
        panel.choose("treated", ["KZ-75"])
        panel.choose("control", ["KZ-71", "KZ-79"])
        panel.set_periods((2019, 2021), (2022, 2023))
        dock.emerging.step.setCurrentIndex(dock.emerging.step.findData("quarter"))
        dock.nearrepeat.permutations.setValue(99)
        actions = (None, panel.run, dock.emerging.run, dock.nearrepeat.run)
        for i, (tab, action) in enumerate(zip(TABS, actions, strict=True)):
            dock.tabs.setCurrentIndex(i)
            if action is not None:
                wait(action=action, ms=60_000, until=lambda: not window.runner.is_busy())
            wait(ms=700)
            path = args.out / f"spacetime_{tab}_{lang}.png"
            window.grab().save(str(path))
            print(path)
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
