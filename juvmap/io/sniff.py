"""Recognise a data file by its first bytes, and the layout of a text table.

:func:`sniff_format` names the format family from the contents (checked against the
extension); :func:`detect_encoding`, :func:`sample_lines`, :func:`sniff_separator` and
:func:`find_header_row` describe a delimited text file. Every failure is one translated
:class:`~juvmap.errors.DataLoadError`, within seconds whatever the size of the file.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np

from juvmap.errors import DataLoadError
from juvmap.i18n import _
from juvmap.io.columns import mapped_count

#: extension -> format family
EXTENSIONS: dict[str, str] = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".gpkg": "gpkg", ".shp": "shp", ".geojson": "geojson", ".json": "geojson",
}
HEADER_SCAN_ROWS = 30
#: the sample of a text file that its layout is sniffed from
SAMPLE_BYTES = 1 << 20
#: more columns than this is not a table a person keeps (a file on one line, binary data)
MAX_COLUMNS = 2000
SEPARATORS = ("\t", ";", ",")


def fail(path: Path, message: str) -> DataLoadError:
    """The typed error of ``path`` with a translated ``message``."""
    return DataLoadError(message, str(path))


def sniff_format(path: str | Path) -> str:
    """Return the format family of ``path`` from its first bytes, checked against its extension.

    Raises
    ------
    DataLoadError
        The file is missing, empty, binary garbage, a JSON that is not GeoJSON, or its
        extension names another format.
    """
    path = Path(path)
    if not path.is_file():
        raise fail(path, _("File not found: {name}").format(name=path.name))
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise fail(path, _("Could not read {name}: {error}").format(
            name=path.name, error=exc)) from exc
    if not head.strip():
        raise fail(path, _("The file {name} is empty.").format(name=path.name))
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Excel 97-2003 or an encrypted workbook
        raise fail(path, _("{name} is an old or password-protected Excel file: save it as "
                           "an unprotected .xlsx workbook.").format(name=path.name))
    content = content_format(path, head)
    expected = EXTENSIONS.get(path.suffix.lower())
    if content == "json":
        raise fail(path, _("{name} is a JSON file but not GeoJSON: juvmap reads GeoJSON "
                           "(a FeatureCollection with geometries) or a table (CSV, XLSX). "
                           "Save the records as CSV.").format(name=path.name))
    if content is None:
        raise fail(path, _("{name} is not a table or map layer juvmap can read.").format(
            name=path.name))
    if expected is not None and expected != content:
        raise fail(path, _("{name} has the extension {ext} but its contents look like {kind}.")
                   .format(name=path.name, ext=path.suffix, kind=content.upper()))
    return content


def content_format(path: Path, head: bytes) -> str | None:
    """The format family the first bytes ``head`` of ``path`` show (``None``: unknown)."""
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head[:4] == b"\x00\x00\x27\x0a":
        return "shp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        return "xlsx" if any(n.startswith("xl/") for n in names) else None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" writes it
    if head.count(b"\x00") > max(2, len(head) // 20):  # binary, or UTF-16 without a BOM
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "geojson" if b'"type"' in head else "json"
    if text.startswith(b"[") and _is_json(path, head):
        return "json"
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (0, 9, 10, 13))
    return "csv" if controls <= len(head) // 20 else None  # random bytes: ~11 % controls


def _is_json(path: Path, head: bytes) -> bool:
    """Whether a text starting with ``[`` is a JSON array (of records, numbers or names)."""
    rest = head.lstrip(b"\xef\xbb\xbf \t\r\n")[1:].lstrip()
    return rest[:1] in (b"{", b"[", b"]", b'"')


# -- text layout -------------------------------------------------------------------------------
def detect_encoding(data: bytes) -> str:
    """The encoding of a text file's bytes: a BOM, else UTF-8 when it decodes, else cp1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and len(data) >= SAMPLE_BYTES:
            return "utf-8"  # a character cut by the end of a sample
        return "cp1251"  # the Windows Cyrillic code page; its only unused byte is replaced


def sample_lines(path: Path, encoding: str, n: int = 60) -> list[str]:
    """The first ``n`` lines of ``path`` (read from its first megabyte only).

    Raises
    ------
    DataLoadError
        When the first megabyte holds no line break and the file goes on: a file on one
        line is not a table of records.
    """
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES + 1)
    if len(head) > SAMPLE_BYTES:
        head = head[:SAMPLE_BYTES]
        if b"\n" not in head and b"\r" not in head:
            raise fail(path, _("{name} has no line break in its first megabyte: it is not a "
                               "table with one record per line.").format(name=path.name))
    if encoding == "utf-16" and len(head) % 2:
        head = head[:-1]
    text = head.decode(encoding, errors="replace")
    lines = text.splitlines()
    if len(head) == SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut by the sample
    return lines[:n]


def split_line(line: str, sep: str) -> list[str]:
    """The fields of one line of text (quotes as in CSV)."""
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return line.split(sep)


def _separator_score(rows: list[list[str]]) -> tuple[int, float, int]:
    """How well rows split by one separator look like a table: (known header, share of the
    data lines as wide as the header, header width)."""
    counts = np.array([len(r) for r in rows])
    header = find_header_row(rows, None, strict=True)
    known = int(header is not None)
    if header is None:
        wide = counts[counts > 1]
        if wide.size == 0:
            return 0, 0.0, 1
        values, freq = np.unique(wide, return_counts=True)
        header = int(np.flatnonzero(counts == values[np.argmax(freq)])[0])
    width = int(counts[header])
    if width <= 1:
        return 0, 0.0, width
    data = counts[header + 1:]
    if data.size == 0:
        return known, 1.0, width
    exact = float(np.mean(data == width))
    near = float(np.mean(np.abs(data - width) <= 1))  # ragged rows: one field more or less
    return known, exact + 0.5 * near, width


def sniff_separator(lines: list[str]) -> str:
    """Return the separator (``,`` ``;`` or tab) of a text table.

    The header line (the first that names known columns, else the first line of the most
    common width) and the majority of the data lines after it decide; title rows above the
    header and ragged rows do not.
    """
    lines = [ln for ln in lines if ln.strip()][: HEADER_SCAN_ROWS + 30] or [""]
    best, best_score = ",", (-1, -1.0, 0)
    for sep in SEPARATORS:
        score = _separator_score([split_line(ln, sep) for ln in lines])
        if score > best_score:
            best, best_score = sep, score
    return best


def find_header_row(rows: list[list[object]], required: set[str] | None = None,
                    strict: bool = False) -> int | None:
    """Return the index of the first row that names known columns.

    A header row maps to at least two canonical fields, or holds every column of
    ``required`` (the user's mapping). When none does: 0, or ``None`` if ``strict``.
    Rows wider than :data:`MAX_COLUMNS` are not looked at.
    """
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if len(row) > MAX_COLUMNS:
            continue
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if required and required <= set(cells):
            return i
        if not required and len(cells) >= 2 and mapped_count(cells) >= 2:
            return i
    return None if strict else 0


__all__ = ["EXTENSIONS", "HEADER_SCAN_ROWS", "MAX_COLUMNS", "content_format", "detect_encoding",
           "fail", "find_header_row", "sample_lines", "sniff_format", "sniff_separator",
           "split_line"]
