"""Read a delimited text file raw: encoding, separator, decimal comma and header row sniffed.

Rows keep their text; a row with more fields than the header keeps the surplus in
:data:`EXTRA_COLUMN`; a row holding a NUL byte is marked (its reason is given by the loader)
and the rest of the file loads. :func:`original_records` gives back the exact text of chosen
records (for the "rejected rows" file).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.i18n import _
from juvmap.io.columns import CANONICAL_FIELDS, resolve_mapping
from juvmap.io.rawtable import EXTRA_COLUMN, RawTable, drop_trailing_empty, unique_names
from juvmap.io.sniff import (HEADER_SCAN_ROWS, MAX_COLUMNS, detect_encoding, fail,
                             find_header_row, sample_lines, sniff_separator, split_line)

#: fields whose values repeat a lot: read as categorical (date and time too: few days)
CATEGORY_FIELDS = frozenset(CANONICAL_FIELDS) - {"id", "lat", "lon", "age", "count", "year"}
_DECIMAL_COMMA = re.compile(r"(^|\D)\d+,\d+($|\D)")


def read_csv(path: str | Path, mapping: Mapping[str, str] | None = None) -> RawTable:
    """Read a delimited text file.

    Parameters
    ----------
    path : str or Path
        The file.
    mapping : mapping, optional
        The user's ``field -> column`` overrides: the header row must hold their columns.

    Returns
    -------
    RawTable
        Cells of text columns as strings, empty cells as missing; numeric columns parsed
        by pandas where every cell is a number. ``row_reasons["bad_characters"]`` marks the
        rows that held a NUL byte.
    """
    path = Path(path)
    data = path.read_bytes()
    encoding = detect_encoding(data)
    nul_data = data if encoding != "utf-16" and b"\x00" in data else None
    del data
    lines = sample_lines(path, encoding)
    sep = sniff_separator(lines)
    rows = [split_line(ln.replace("\x00", ""), sep) for ln in lines[:HEADER_SCAN_ROWS]]
    header_idx = find_header_row(rows, set(mapping.values()) if mapping else None)
    header = rows[header_idx] if rows else []
    if len(header) > MAX_COLUMNS:
        raise fail(path, _("{name} has {n} columns: it does not look like a table of records."
                           ).format(name=path.name, n=len(header)))
    if not any(h.strip() for h in header):
        raise fail(path, _("{name} has no header row.").format(name=path.name))
    names = unique_names(header)
    decimal = "."
    if sep != "," and any(_DECIMAL_COMMA.search(ln) for ln in lines[header_idx + 1:]):
        decimal = ","
    fields = resolve_mapping(names, mapping)
    categorical = {c: "category" for f, c in fields.items() if f in CATEGORY_FIELDS}
    nul_rows = None
    if nul_data is not None:
        frame, nul_rows = _parse_with_nul(path, nul_data, encoding, sep, decimal, names,
                                          header_idx, categorical)
    else:
        frame = _parse_csv(path, encoding, sep, decimal, names, header_idx, categorical)
    frame = drop_trailing_empty(frame)
    if frame.empty:
        raise fail(path, _("{name} has no data rows.").format(name=path.name))
    source_rows = np.arange(len(frame)) + header_idx + 2
    details = {"encoding": encoding, "separator": sep, "decimal": decimal,
               "header_row": header_idx + 1}
    raw = RawTable(frame, source_rows, "csv", details=details)
    if nul_rows is not None and nul_rows[: len(frame)].any():
        raw.row_reasons["bad_characters"] = nul_rows[: len(frame)]
    return raw


def _parse_with_nul(path: Path, data: bytes, encoding: str, sep: str, decimal: str,
                    names: list[str], header_idx: int, dtypes: dict[str, str]):
    """A file holding NUL bytes: parsed without them; the records that had one are marked.

    With one record per line (no quoted line breaks) the C parser reads the cleaned bytes
    and each NUL's line gives its record; otherwise the csv module reads row by row.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    nul_lines = np.searchsorted(newlines, np.flatnonzero(raw == 0))
    lines_after_header = len(newlines) + (raw[-1] != 10) - header_idx - 1
    frame = None
    if b"\r" not in data.replace(b"\r\n", b""):
        frame = _parse_csv(io.BytesIO(data.replace(b"\x00", b"")), encoding, sep, decimal,
                           names, header_idx, dtypes, fallback=False)
    if frame is None or len(frame) != lines_after_header:
        return _parse_rows(path, encoding, sep, names, header_idx, csv.QUOTE_MINIMAL)
    records = nul_lines - header_idx - 1
    nul = np.zeros(len(frame), dtype=bool)
    nul[records[(records >= 0) & (records < len(frame))]] = True
    return frame, nul


def _parse_csv(path, encoding: str, sep: str, decimal: str, names: list[str],
               header_idx: int, dtypes: dict[str, str], fallback: bool = True):
    """Fast C parser first; on a ragged or damaged file, Python's csv module row by row.

    ``dtypes`` marks repetitive text columns as categorical: the C parser then keeps one
    string per distinct value instead of one per row. ``path`` may be a buffer (then
    ``fallback`` is False and ``None`` is returned when the C parser fails).
    """
    try:
        with warnings.catch_warnings():
            # pandas warns (and drops fields) when the first row is longer than the header
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                path, sep=sep, header=None, names=[*names, EXTRA_COLUMN],
                skiprows=header_idx + 1, encoding=encoding, encoding_errors="replace",
                decimal=decimal, na_values=[""], keep_default_na=False,
                skip_blank_lines=False, index_col=False, engine="c", low_memory=False,
                dtype=dtypes or None)
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, UnicodeError):
        if not fallback:
            return None
    last: Exception | None = None
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
        try:
            return _parse_rows(path, encoding, sep, names, header_idx, quoting)[0]
        except csv.Error as exc:
            last = exc
    raise fail(path, _("{name} is not a well-formed text table: {error}").format(
        name=path.name, error=last))


class _Lines:
    """The lines of a text file after its header, remembering those read since a mark."""

    def __init__(self, fh, header_idx: int) -> None:
        self.fh = fh
        for _skip in range(header_idx + 1):
            fh.readline()
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for line in self.fh:
            self.taken.append(line)
            yield line.replace("\x00", "")

    def take(self) -> str:
        """The text read since the last call (one record, line breaks included)."""
        text, self.taken = "".join(self.taken), []
        return text


def _parse_rows(path: Path, encoding: str, sep: str, names: list[str], header_idx: int,
                quoting: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Read every record with the csv module; surplus fields go to ``__extra_fields__``.

    Returns the frame and a mask of the records that held a NUL byte.
    """
    ncols = len(names)
    rows, nul = [], []
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        lines = _Lines(fh, header_idx)
        for fields in csv.reader(lines, delimiter=sep, quoting=quoting):
            nul.append("\x00" in lines.take())
            surplus = sep.join(fields[ncols:]) if len(fields) > ncols else None
            rows.append([*fields[:ncols], *[None] * (ncols - len(fields)), surplus])
    frame = pd.DataFrame(rows, columns=[*names, EXTRA_COLUMN], dtype=object)
    return frame.mask(frame.eq("")), np.array(nul, dtype=bool)


def original_records(path: str | Path, details: dict, positions: np.ndarray) -> dict[int, str]:
    """The exact text of the data records at ``positions`` (0 = the first after the header).

    Parameters
    ----------
    path : str or Path
        The text file that was loaded.
    details : dict
        Its ``encoding``, ``separator`` and ``header_row`` (from the load report).
    positions : array of int
        Record positions.

    Returns
    -------
    dict
        ``position -> text`` (line break removed); undecodable bytes are kept as surrogate
        escapes, so that writing the text back with the same encoding restores them.
    """
    wanted = {int(p) for p in positions}
    out: dict[int, str] = {}
    if not wanted:
        return out
    encoding = details.get("encoding", "utf-8")
    with open(path, encoding=encoding, errors="surrogateescape", newline="") as fh:
        lines = _Lines(fh, int(details.get("header_row", 1)) - 1)
        reader = csv.reader(lines, delimiter=details.get("separator", ","))
        for pos, _fields in enumerate(reader):
            text = lines.take()
            if pos in wanted:
                out[pos] = text.rstrip("\r\n")
                if len(out) == len(wanted):
                    break
    return out


__all__ = ["read_csv", "original_records", "CATEGORY_FIELDS"]
