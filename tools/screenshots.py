"""Take screenshots of the running application: ``make screenshots`` (or run under xvfb-run).

Writes ``screenshots/main_<lang>.png`` for each language. Uses the real window when a
display is available (Xvfb), the offscreen platform otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--langs", default="kk,ru,en")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox --disable-gpu").strip()

    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from juvmap.i18n import set_language
    from juvmap.ui import web

    web.register_scheme()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    from juvmap.ui.main_window import MainWindow

    args.out.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.resize(1400, 900)
    window.show()

    def wait_ready() -> None:
        loop = QEventLoop()
        window.map_view.mapReady.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        window.map_view.mapReady.disconnect(loop.quit)
        pause = QEventLoop()
        QTimer.singleShot(700, pause.quit)  # let Chromium paint the last frame
        pause.exec()

    for lang in args.langs.split(","):
        set_language(lang)
        window.retranslate()
        window.show_start_map()
        wait_ready()
        target = args.out / f"main_{lang}.png"
        window.grab().save(str(target))
        print(target)
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
