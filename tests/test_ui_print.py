"""File → Print map on a real (PDF) printer in the offscreen application.

Qt holds only a raw pointer to the ``QPrinter`` while ``QWebEngineView.print`` runs; before
the print job kept it alive, the printer died with the menu handler and the app segfaulted.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from window_helpers import MAP_TIMEOUT, close_window, started_window

pytestmark = pytest.mark.qt


@pytest.fixture(scope="module")
def window(qapp):
    from juvmap.i18n import get_language, set_language

    before = get_language()
    win = started_window("en")
    yield win
    close_window(win)
    set_language(before)


def _coloured_fraction(png) -> float:
    """Share of sampled pixels that are neither white nor grey (the map's fill colours)."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    coloured = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            c = image.pixelColor(x, y)
            total += 1
            coloured += max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 40
    return coloured / total


def _print_and_wait(window, qtbot, tmp_path, monkeypatch, name: str):
    """File → Print map, the print dialog accepted with "Print to file (PDF)"."""
    import gc

    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from juvmap.ui import print_pdf

    pages = []
    real = getattr(print_pdf, "print_on_printer", None)
    monkeypatch.setattr(print_pdf, "print_on_printer",
                        lambda page, *a, **k: (pages.append(page), real(page, *a, **k))[1], raising=False)
    out = tmp_path / f"{name}.pdf"

    def accept(dialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(150)  # the bug is the printer's lifetime, not its resolution
        return QPrintDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    window.exports.print_map()  # returns at once; the caller's printer goes out of scope
    gc.collect()
    qtbot.waitUntil(lambda: bool(pages) and not print_pdf._jobs, timeout=MAP_TIMEOUT)
    return out, pages[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
@pytest.mark.parametrize("mode", ["official", "incidents"])
def test_print_to_a_pdf_printer_writes_the_map(window, qtbot, tmp_path, monkeypatch, mode):
    if window.mode != mode:
        with qtbot.waitSignal(window.map_view.mapReady, timeout=MAP_TIMEOUT):
            window.set_mode(mode)
    pdf, page = _print_and_wait(window, qtbot, tmp_path, monkeypatch, mode)
    assert pdf.stat().st_size > 10_000
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-singlefile", str(pdf), str(tmp_path / mode)],
                   check=True)
    assert _coloured_fraction(tmp_path / f"{mode}.png") > 0.05  # the regions' fills, not a blank page
    html = page.read_text(encoding="utf-8")
    assert "Leaflet" in html or "L.map" in html
    assert "markerClusterGroup" not in html  # never incident points on printed output
