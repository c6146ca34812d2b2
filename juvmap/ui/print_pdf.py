"""Print a map page to PDF or PNG once it is fully drawn (never a half-loaded page)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QMarginsF, QSize, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPageSize

from juvmap.errors import JuvmapError
from juvmap.export.print_layout import PrintSpec
from juvmap.i18n import _
from juvmap.ui.map_view import MapView

_PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}


def page_layout(spec: PrintSpec) -> QPageLayout:
    """The Qt page layout matching ``spec`` (no margins: the page carries its own)."""
    orientation = (
        QPageLayout.Orientation.Landscape
        if spec.orientation == "landscape"
        else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(QPageSize(_PAGE_SIZES[spec.paper]), orientation, QMarginsF(0, 0, 0, 0))


def _wait(signal, timeout_ms: int) -> bool:
    loop = QEventLoop()
    fired = []
    signal.connect(lambda *args: (fired.append(args), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    if not fired:
        loop.exec()
    return bool(fired)


def render_page(html_path: Path, spec: PrintSpec, timeout_ms: int = 60_000,
                ready_flag: bool = True) -> MapView:
    """Load a print page in an offscreen view of the page's pixel size; wait until ready.

    With ``ready_flag`` the page must set ``window.juvmapReady`` (maps); without it, the
    end of loading is enough (static pages such as the recommendation sheets).
    """
    view = MapView()
    w, h = spec.page_px()
    view.resize(QSize(w, h))
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.show()
    view.show_map_file(html_path)
    if not _wait(view.mapReady if ready_flag else view.loadFinished, timeout_ms):
        view.deleteLater()
        raise JuvmapError(_("The map page did not finish drawing in time."))
    settle = QEventLoop()
    QTimer.singleShot(300, settle.quit)  # one more frame for Chromium to paint
    settle.exec()
    return view


def print_to_pdf(html_path: Path, pdf_path: Path, spec: PrintSpec, timeout_ms: int = 60_000,
                 ready_flag: bool = True) -> Path:
    """Print the page at ``html_path`` (under the web root) to ``pdf_path``."""
    view = render_page(html_path, spec, timeout_ms, ready_flag)
    try:
        page = view.page()
        finished = []
        page.pdfPrintingFinished.connect(lambda path, ok: finished.append(ok))
        page.printToPdf(str(pdf_path), page_layout(spec))
        loop = QEventLoop()
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: finished and loop.quit())
        timer.start()
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        timer.stop()
        if not finished or not finished[0]:
            raise JuvmapError(_("Could not write the PDF file {name}.").format(name=Path(pdf_path).name))
    finally:
        view.deleteLater()
    return Path(pdf_path)


#: print jobs under way: Qt holds only raw pointers to the printer and the view while
#: ``QWebEngineView.print`` runs asynchronously, so Python must keep both alive until
#: ``printFinished`` (a printer freed earlier crashed in libQt6PrintSupport).
_jobs: set = set()


class PrintJob:
    """One page sent to a printer; keeps the printer and the view alive until printing ends."""

    def __init__(self, printer, view: MapView, on_done=None) -> None:
        self.printer, self.view, self.on_done = printer, view, on_done
        view.printFinished.connect(self._finished)

    def start(self) -> None:
        _jobs.add(self)
        self.view.print(self.printer)

    def _finished(self, ok: bool) -> None:
        # released on the next turn of the event loop, after Qt has left the print code
        QTimer.singleShot(0, lambda: self._release(ok))

    def _release(self, ok: bool) -> None:
        _jobs.discard(self)
        self.view.deleteLater()
        if self.on_done is not None:
            self.on_done(ok)


def print_on_printer(html_path: Path, printer, spec: PrintSpec, on_done=None,
                     timeout_ms: int = 60_000) -> PrintJob:
    """Print the page at ``html_path`` on ``printer`` (a ``QPrinter``); ``on_done(ok)`` after.

    The page is laid out for ``spec``'s paper; the printer gets the same page layout.
    """
    printer.setPageLayout(page_layout(spec))
    job = PrintJob(printer, render_page(html_path, spec, timeout_ms), on_done)
    job.start()
    return job


def print_to_png(html_path: Path, png_path: Path, spec: PrintSpec, timeout_ms: int = 60_000) -> Path:
    """Save the page at ``html_path`` as a PNG of the page's pixel size."""
    view = render_page(html_path, spec, timeout_ms)
    try:
        if not view.grab().save(str(png_path)):
            raise JuvmapError(_("Could not write the image file {name}.").format(name=Path(png_path).name))
    finally:
        view.deleteLater()
    return Path(png_path)
