"""Recommendation sheets as files: the HTML pages of a sheet set (``pages``, ``names``,
``summary``, ``atlas``, ``lang``: :class:`juvmap.recommend.sheets.SheetSet`) written under their
names. Qt-free; printing them to PDF is :mod:`juvmap.ui.sheets_pdf`."""

from __future__ import annotations

import re
from pathlib import Path

from juvmap.progress import CancelToken, check

PARTS = ("regions", "summary", "atlas")


def safe_name(text: str) -> str:
    """A file-name-safe form of a region name (letters of any script are kept)."""
    return re.sub(r"[^\w\-]+", "_", text, flags=re.UNICODE).strip("_") or "region"


def sheet_jobs(sheets, parts: tuple[str, ...] = PARTS) -> list[tuple[str, str]]:
    """``(file stem, html)`` of every page of ``parts``: ``<code>_<name>`` per region,
    ``summary_<lang>``, and ``atlas_<lang>`` when the set has one."""
    jobs = []
    if "regions" in parts:
        jobs += [(f"{code}_{safe_name(sheets.names[code])}", html) for code, html in sheets.pages.items()]
    if "summary" in parts:
        jobs.append((f"summary_{sheets.lang}", sheets.summary))
    if sheets.atlas and "atlas" in parts:
        jobs.append((f"atlas_{sheets.lang}", sheets.atlas))
    return jobs


def write_sheet_html(sheets, out_dir: Path, parts: tuple[str, ...] = PARTS,
                     cancel: CancelToken | None = None) -> list[Path]:
    """Write the pages of ``parts`` as ``.html`` files into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, html in sheet_jobs(sheets, parts):
        check(cancel)
        target = out_dir / f"{stem}.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written
