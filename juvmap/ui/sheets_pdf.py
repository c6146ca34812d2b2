"""Write recommendation sheets as HTML and as PDF with real, searchable text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from juvmap.export.print_layout import PrintSpec
from juvmap.progress import CancelToken, ProgressCallback, check, report
from juvmap.recommend.sheets import SheetSet
from juvmap.ui import web
from juvmap.ui.print_pdf import print_to_pdf

SHEET_PAGE = PrintSpec(paper="A4", orientation="portrait")


def safe_name(text: str) -> str:
    """A file-name-safe form of a region name (letters of any script are kept)."""
    return re.sub(r"[^\w\-]+", "_", text, flags=re.UNICODE).strip("_") or "region"


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
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = web.web_root() / "sheets"
    stage.mkdir(parents=True, exist_ok=True)
    jobs = []
    if "regions" in parts:
        jobs += [(f"{code}_{safe_name(sheets.names[code])}", html) for code, html in sheets.pages.items()]
    if "summary" in parts:
        jobs.append((f"summary_{sheets.lang}", sheets.summary))
    if sheets.atlas and "atlas" in parts:
        jobs.append((f"atlas_{sheets.lang}", sheets.atlas))
    written: list[Path] = []
    for i, (stem, html) in enumerate(jobs):
        check(cancel)
        staged = stage / f"{stem}.html"
        staged.write_text(html, encoding="utf-8")
        target_html = out_dir / f"{stem}.html"
        shutil.copyfile(staged, target_html)
        written.append(target_html)
        if pdf:
            written.append(print_to_pdf(staged, out_dir / f"{stem}.pdf", SHEET_PAGE, ready_flag=False))
        report(progress, (i + 1) / len(jobs), stem)
    return written
