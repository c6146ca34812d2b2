"""File → Export and Print: map pages, rate tables, density rasters, recommendation sheets.

Every export has an interactive entry (asks for a file) and a ``*_to(path, ...)`` method
that does the work, so tests and scripts can call it without dialogs. Incident points are
never part of an export.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QProgressDialog,
)

from juvmap.export.print_layout import PrintSpec, prepare_for_print
from juvmap.i18n import LANGUAGES, _, get_language
from juvmap.labels import data_source_label
from juvmap.numbers import babel_locale

class PageDialog(QDialog):
    """Paper size and orientation of a printed map."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Page"))
        form = QFormLayout(self)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.orientation = QComboBox()
        self.orientation.addItem(_("Landscape"), "landscape")
        self.orientation.addItem(_("Portrait"), "portrait")
        form.addRow(_("Paper"), self.paper)
        form.addRow(_("Orientation"), self.orientation)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class Exports:
    """The export actions of one main window."""

    def __init__(self, window) -> None:
        self.window = window

    # -- print layout ----------------------------------------------------------------------
    def print_spec(self, paper: str = "A4", orientation: str = "landscape") -> PrintSpec:
        """Footer contents for the current data, settings and language."""
        from juvmap.io.builtin import SOURCES

        w, lang = self.window, get_language()
        date = format_date(dt.date.today(), format="long", locale=babel_locale(lang))
        sources = [SOURCES["boundaries"]]  # the credit is cited as written
        synthetic = ""
        from juvmap.describe import denominator_text, period_text

        result = w.session.result
        key = "juvenile_population" if w.state.denominator == "juvenile" else "population"
        if w.mode == "official":
            official = SOURCES["official_2022"]
            sources.insert(0, _(official))
        else:
            data = w.session.incidents
            sources.insert(0, data_source_label(data.attrs))
            if data.attrs.get("synthetic"):
                synthetic = _("SYNTHETIC DATA — not real incidents")
        sources.insert(1, _(SOURCES[key]))
        method = ""
        if result is not None:
            method = _("{period}; rate {unit}").format(period=period_text(result),
                                                       unit=denominator_text(result, lang))
        return PrintSpec(paper=paper, orientation=orientation, date=date, sources=tuple(sources),
                         method_note=method, synthetic_label=synthetic)

    def _print_page(self, spec: PrintSpec, on_done) -> None:
        """Build the print page of the current map (no incident points) and call on_done(path)."""
        self.window.session.build_print_map(lambda fmap: prepare_for_print(fmap, spec), on_done)

    def export_map(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self.window, _("Export map"), "juvmap-map.pdf",
                                               _("PDF or PNG (*.pdf *.png)"))
        if not path:
            return
        dialog = PageDialog(self.window)
        if dialog.exec():
            self.export_map_to(path, dialog.paper.currentText(), dialog.orientation.currentData())

    def export_map_to(self, path: str, paper: str = "A4", orientation: str = "landscape",
                      on_done=None) -> None:
        """Write the current map as a one-page PDF (real text) or a PNG."""
        from juvmap.ui.print_pdf import print_to_pdf, print_to_png

        spec = self.print_spec(paper, orientation)

        def write(page: Path) -> None:
            try:
                out = (print_to_png if str(path).lower().endswith(".png") else print_to_pdf)(page, Path(path), spec)
            except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
                self.window.show_error(str(exc))
                return
            self.window.statusBar().showMessage(_("Saved {name}").format(name=out.name), 5000)
            if on_done is not None:
                on_done(out)

        self._print_page(spec, write)

    def print_map(self) -> None:
        """Print the current map on a printer chosen in Qt's print dialog (A4 landscape layout)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from juvmap.ui.print_pdf import page_layout

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(self.print_spec()))
        dialog = QPrintDialog(printer, self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()  # it points at the printer; never outlive it
        if accepted:
            self.print_map_on(printer)

    def print_map_on(self, printer, on_done=None) -> None:
        """Print the current map (never incident points) on ``printer``; ``on_done(ok)`` after.

        The printer is kept alive by the print job until Qt has finished with it.
        """
        from juvmap.ui.print_pdf import print_on_printer

        spec = self.print_spec()

        def send(page: Path) -> None:
            try:
                print_on_printer(page, printer, spec, on_done)
            except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
                self.window.show_error(str(exc))

        self._print_page(spec, send)

    # -- tables and rasters -------------------------------------------------------------
    def _analysis(self, on_done, *outputs: str) -> None:
        """The analysis the map shows (with ``outputs``), in the background."""
        self.window.session.analyse_now(on_done, *outputs, key="export")

    def export_geopackage(self) -> None:
        self._ask_and_write_table(_("GeoPackage (*.gpkg)"), "juvmap-rates.gpkg")

    def export_csv(self) -> None:
        self._ask_and_write_table(_("CSV table (*.csv)"), "juvmap-rates.csv")

    def _ask_and_write_table(self, pattern: str, default: str) -> None:
        path, _f = QFileDialog.getSaveFileName(self.window, _("Export rates"), default, pattern)
        if path:
            self.export_table_to(path)

    def export_table_to(self, path: str, on_done=None) -> None:
        """Polygons with count, rate, CI, EB, LISA/Gi* as .gpkg (opens in QGIS) or .csv."""
        from juvmap.export.tables import write_result

        def write(result) -> None:
            write_result(result, Path(path))
            self.window.statusBar().showMessage(_("Saved {name}").format(name=Path(path).name), 5000)
            if on_done is not None:
                on_done(Path(path))

        self._analysis(write)

    def export_geotiff(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self.window, _("Export density"), "juvmap-density.tif",
                                               "GeoTIFF (*.tif)")
        if path:
            self.export_geotiff_to(path)

    def export_geotiff_to(self, path: str, on_done=None) -> None:
        """The kernel density of the filtered incidents as GeoTIFF in the equal-area CRS."""
        from juvmap.export.raster import write_geotiff

        def done(result) -> None:
            if result.density is None:
                self.window.show_error(_("Kernel density needs incident points"))
                return
            write_geotiff(result.density, path)
            self.window.statusBar().showMessage(_("Saved {name}").format(name=Path(path).name), 5000)
            if on_done is not None:
                on_done(Path(path))

        self._analysis(done, "density")

    # -- recommendation sheets ----------------------------------------------------------
    def export_sheets(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, _("Folder for the sheets"))
        if folder:
            self.export_sheets_to(folder, get_language())

    def export_sheets_to(self, folder: str, lang: str, on_done=None, atlas: bool = True) -> None:
        """Build the 20 sheets (+ summary, atlas) in the background, then print them with progress."""
        from juvmap.analysis import Sources, analyse
        from juvmap.recommend.sheets import build_sheets, sheet_request
        from juvmap.ui.sheets_pdf import write_sheets

        if lang not in LANGUAGES:
            lang = get_language()
        s = self.window.session
        sources = s.sources() if s.incidents is not None else Sources.builtin()
        request = sheet_request(self.window.state.request()) if s.state.mode == "incidents" else sheet_request()

        def work(progress, cancel):
            result = analyse(request, sources, progress, cancel)
            return build_sheets(result, lang, atlas=atlas, progress=progress, cancel=cancel)

        def print_all(sheets) -> None:
            dialog = QProgressDialog(_("Printing the sheets…"), _("Cancel"), 0, 1000, self.window)
            dialog.setMinimumDuration(300)
            from juvmap.progress import CancelToken

            token = CancelToken()
            dialog.canceled.connect(token.cancel)

            def progress(fraction: float, message: str) -> None:
                dialog.setValue(int(fraction * 1000))
                dialog.setLabelText(message)

            try:
                written = write_sheets(sheets, Path(folder), progress=progress, cancel=token)
            except Exception as exc:  # noqa: BLE001 - Cancelled or a write error, told to the user
                dialog.close()
                if not token.cancelled:
                    self.window.show_error(str(exc))
                return
            dialog.close()
            self.window.statusBar().showMessage(
                _("{n} files written to {folder}").format(n=len(written), folder=folder), 8000)
            if on_done is not None:
                on_done(written)

        s.runner.submit("sheets", work, print_all, s._error, _("Preparing the recommendation sheets…"))

