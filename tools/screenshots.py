"""Screenshots of the running application for review: ``make screenshots``.

Writes into ``screenshots/``: ``start_official.png`` (the start-up map), ``main_<lang>.png``
(incident layer, a region selected, every dock) for kk, ru and en, also at 1366×768 and
1600×1000 (``main_<lang>_<w>x<h>.png``), ``guide_<lang>.png`` (Help → User guide and its
"What does this number mean?" page, ``guide_numbers_<lang>.png``), ``layer_<kind>.png`` (each
map layer alone, in the view), ``presentation.png``
(full screen, year player) and ``print_a4.png`` (the printed A4 page, rendered from the PDF
with pdftoppm when it is installed). Uses the real window under a display (xvfb-run),
the offscreen platform otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--langs", default="kk,ru,en")
    parser.add_argument("--main-only", action="store_true",
                        help="only the main window, the guide and presentation mode in each language")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox --disable-gpu").strip()

    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from juvmap.i18n import set_language
    from juvmap.ui import web
    from juvmap.ui.map_bridge import select_region

    web.register_scheme()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    from juvmap.ui.main_window import MainWindow

    def wait(signal=None, ms: int = 90_000, action=None) -> None:
        loop = QEventLoop()
        if signal is not None:
            signal.connect(loop.quit)
        if action is not None:
            action()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        if signal is not None:
            signal.disconnect(loop.quit)

    def settle(ms: int = 800) -> None:
        wait(None, ms)

    args.out.mkdir(parents=True, exist_ok=True)
    langs = args.langs.split(",")
    set_language(langs[0])
    window = MainWindow()
    window.show_load_reports = False
    window.resize(1500, 950)
    window.show()
    wait(window.map_view.mapReady, action=window.show_start_map)
    settle()
    window.grab().save(str(args.out / "start_official.png"))
    wait(window.map_view.mapReady, action=lambda: window.set_mode("incidents"))
    for lang in langs:
        window.set_language(lang)
        wait(window.map_view.mapReady)
        wait(window.session.profileReady, action=lambda: window.on_region_clicked("KZ-35"))
        settle(1500)
        window.grab().save(str(args.out / f"main_{lang}.png"))
        print(args.out / f"main_{lang}.png")
        for width, height in ((1366, 768), (1600, 1000)):
            window.resize(width, height)
            settle(1500)
            name = args.out / f"main_{lang}_{width}x{height}.png"
            window.grab().save(str(name))
            print(name)
        from juvmap.ui.help import show_guide

        guide = show_guide(window)
        settle(300)
        guide.grab().save(str(args.out / f"guide_{lang}.png"))
        guide.show_page("numbers.html")
        settle(300)
        guide.grab().save(str(args.out / f"guide_numbers_{lang}.png"))
        guide.close()
        print(args.out / f"guide_{lang}.png")
        if args.main_only:
            window.presentation.enter()
            settle(2500)
            window.grab().save(str(args.out / f"presentation_{lang}.png"))
            window.presentation.leave()
            settle(1500)
    if args.main_only:
        window.unsaved.clear()
        window.close()
        app.quit()
        return 0
    from dataclasses import replace

    from juvmap.mapping.spec import LAYER_KINDS

    base_spec = window.session.spec
    for kind in LAYER_KINDS:  # each layer alone, as a user switches it on
        wait(window.map_view.mapReady,
             action=lambda k=kind: window._on_spec(replace(base_spec, layers=(k,), settlements=False)))
        settle(1200)
        window.map_view.grab().save(str(args.out / f"layer_{kind}.png"))
        print(args.out / f"layer_{kind}.png")
    wait(window.map_view.mapReady, action=lambda: window._on_spec(base_spec))
    window.presentation.enter()
    window.presentation.play(True)
    for _ in range(600):
        if window.presentation.current_year is not None:
            break
        settle(100)
    settle(1200)
    window.grab().save(str(args.out / "presentation.png"))
    window.presentation.leave()
    wait(window.map_view.mapReady)
    pdf = args.out / "print_a4.pdf"
    done = []
    window.exports.export_map_to(str(pdf), "A4", "landscape", on_done=done.append)
    while not done:
        settle(200)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(args.out / "print_a4")],
                       check=True)
    print(args.out / "print_a4.png")
    window.unsaved.clear()
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
