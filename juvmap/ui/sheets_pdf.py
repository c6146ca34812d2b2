"""Write recommendation sheets as HTML and as PDF with real, searchable text."""

from __future__ import annotations

from pathlib import Path

from juvmap.export.print_layout import PrintSpec
from juvmap.export.sheet_files import sheet_jobs, write_sheet_html
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.recommend.sheets import SheetSet
from juvmap.errors import JuvmapError
from juvmap.i18n import _
from juvmap.ui import web
from juvmap.ui.print_pdf import page_layout

SHEET_PAGE = PrintSpec(paper="A4", orientation="portrait")


class SheetPrinter:
    """Prints static sheet pages to PDF with a few reused pages at once (no view, no map bridge).

    The sheets are self-contained HTML (inline SVG and PNG): loading is finished when the
    page says so, and Chromium lays the print out itself, so no paint delay is needed.
    Several pages print concurrently (Chromium renders them in parallel).
    """

    def __init__(self, parallel: int = 4) -> None:
        self.pages = [web.GuardedPage(web.profile()) for _ in range(max(1, parallel))]
        self.layout = page_layout(SHEET_PAGE)

    def print_all(self, jobs: list[tuple[Path, Path]], timeout_ms: int = 120_000,
                  done_one=None) -> list[Path]:
        """Print every (html under :func:`juvmap.ui.web.web_root`, pdf) pair; the PDFs in order.

        ``done_one(n)`` is called after each finished PDF (progress, cancel checks).

        Raises
        ------
        JuvmapError
            A page failed to load or to print, or the time ran out.
        """
        from PySide6.QtCore import QEventLoop, QTimer

        queue, failed, finished = list(jobs), [], []
        loop = QEventLoop()

        def start(page) -> None:
            if not queue or failed:
                if len(finished) == len(jobs) or failed:
                    loop.quit()
                return
            html_path, pdf_path = queue.pop(0)
            page.setProperty("pdf", str(pdf_path))
            page.load(web.url_for(html_path))

        def loaded(page, ok: bool) -> None:
            if not ok:
                failed.append(page.property("pdf"))
                loop.quit()
                return
            page.printToPdf(page.property("pdf"), self.layout)

        def printed(page, path: str, ok: bool) -> None:
            if not ok:
                failed.append(path)
                loop.quit()
                return
            finished.append(path)
            if done_one is not None:
                done_one(len(finished))
            if len(finished) == len(jobs):
                loop.quit()
            else:
                start(page)

        slots = []
        for page in self.pages:
            slots.append((page.loadFinished, lambda ok, p=page: loaded(p, ok)))
            slots.append((page.pdfPrintingFinished, lambda path, ok, p=page: printed(p, path, ok)))
        for signal, slot in slots:
            signal.connect(slot)
        for page in self.pages:
            start(page)
        if jobs:
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
        for signal, slot in slots:
            signal.disconnect(slot)
        if failed or len(finished) != len(jobs):
            missing = failed or [str(p) for _h, p in jobs if str(p) not in finished]
            raise JuvmapError(_("Cannot write {path}: {error}").format(
                path=missing[0], error=_("the page could not be printed")))
        return [Path(p) for _h, p in jobs]


def write_sheets(
    sheets: SheetSet,
    out_dir: Path,
    *,
    pdf: bool = True,
    parts: tuple[str, ...] = ("regions", "summary", "atlas"),
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[Path]:
    """Write every page of ``sheets`` as ``.html`` (and ``.pdf``) into ``out_dir``.

    Files: ``<code>_<name>.html/.pdf`` per region, ``summary``, and ``atlas`` when the set
    has one (a single PDF with the summary and every region, one page each); ``parts``
    chooses which of the three kinds are written (e.g. ``("atlas",)``).
    Must run on the GUI thread (QtWebEngine prints there).
    """
    out_dir = Path(out_dir)
    stage = web.web_root() / "sheets"
    stage.mkdir(parents=True, exist_ok=True)
    jobs = sheet_jobs(sheets, parts)
    written = write_sheet_html(sheets, out_dir, parts, cancel)
    if pdf and jobs:
        written += _print_split(jobs, stage, out_dir, progress, cancel)
    return written


def _write_pages(reader, pages: list[int], target: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for i in pages:
        writer.add_page(reader.pages[i])
    with open(target, "wb") as fh:
        writer.write(fh)


def _one_document(htmls: list[str]) -> str:
    """Every page of ``htmls`` (one-page sheet documents) in one document, in order."""
    head, _sep, _rest = htmls[0].partition("<body>")
    bodies = [h.split("<body>", 1)[1].rsplit("</body>", 1)[0] for h in htmls]
    return f"{head}<body>{''.join(bodies)}</body></html>"


def _print_split(jobs: list[tuple[str, str]], stage: Path, out_dir: Path, progress, cancel) -> list[Path]:
    """Print the single pages once, as one document, and split it into one PDF per job.

    The atlas job (several pages) is assembled from the same printed pages. One print
    instead of one per page: the layout of each page is the same (every page is an A4
    ``section`` of its own), and the text stays real, searchable text.
    """
    from pypdf import PdfReader

    singles = [(stem, html) for stem, html in jobs if html.count("<section class='page'>") == 1]
    printer = SheetPrinter(parallel=1)
    index: dict[str, int] = {}
    reader = None
    if singles:
        staged = stage / "all_pages.html"
        staged.write_text(_one_document([h for _s, h in singles]), encoding="utf-8")
        combined = stage / "all_pages.pdf"
        printer.print_all([(staged, combined)])
        reader = PdfReader(combined)
        if len(reader.pages) != len(singles):
            raise JuvmapError(_("Cannot write {path}: {error}").format(
                path=combined, error=_("the page could not be printed")))
        index = {stem: i for i, (stem, _h) in enumerate(singles)}
    written = []
    for n, (stem, html) in enumerate(jobs, start=1):
        check(cancel)
        target = out_dir / f"{stem}.pdf"
        if stem in index:
            _write_pages(reader, [index[stem]], target)
        elif html.count("<section class='page'>") == len(index):  # the atlas of the same pages
            summary = [i for s, i in index.items() if s.startswith("summary_")]
            _write_pages(reader, summary + [i for i in index.values() if i not in summary], target)
        else:
            staged = stage / f"{stem}.html"
            staged.write_text(html, encoding="utf-8")
            printer.print_all([(staged, target)])
        written.append(target)
        report(progress, n / len(jobs), stem)
    return written
