"""The "rejected rows" file: each rejected row with its row number and reason.

A text file's rows are written as their original text (same separator, same encoding, a
decimal comma stays a comma). Cells a spreadsheet would run as a formula (starting with
``= + - @``, tab or carriage return, other than plain numbers) are prefixed with ``'``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from juvmap.i18n import _

if TYPE_CHECKING:
    from juvmap.io.report import LoadReport

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def escape_cell(text: object) -> object:
    """``text`` made safe to open in a spreadsheet (a leading ``'`` before a formula)."""
    if isinstance(text, str) and text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(
            text.strip()):
        return "'" + text
    return text


def _reason_texts(report: LoadReport, encoding: str | None) -> list[str]:
    from juvmap.io.report import REASONS

    texts = []
    for code in report.rejected_rows["reason"]:
        text = _(REASONS.get(code, code))
        if encoding:
            try:
                text.encode(encoding)
            except UnicodeEncodeError:
                text = REASONS.get(code, code)  # English, when the file's encoding lacks letters
        texts.append(text)
    return texts


def _safe_record(text: str, sep: str) -> str:
    """The original record, or its fields re-joined with dangerous cells escaped."""
    try:
        fields = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    except csv.Error:
        return text
    escaped = [escape_cell(f) for f in fields]
    if escaped == fields:
        return text
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="").writerow(escaped)
    return out.getvalue()


def _write_text_source(report: LoadReport, path: Path) -> bool:
    """Write the rejected rows of a text file as their original text; False if impossible."""
    from juvmap.io.csvfile import original_records

    details = report.details
    if not report.source or details.get("format") != "csv" or not Path(report.source).is_file():
        return False
    sep, encoding = details.get("separator", ","), details.get("encoding", "utf-8")
    header_row = int(details.get("header_row", 1))
    rows = report.rejected_rows["row"].to_numpy(dtype=np.int64)
    positions = rows - header_row - 1
    records = original_records(report.source, details, positions)
    header = original_records(report.source, {**details, "header_row": header_row - 1}, [0])
    if len(records) != len(set(positions.tolist())):
        return False
    prefix = io.StringIO()
    writer = csv.writer(prefix, delimiter=sep, lineterminator="")
    errors = "strict" if encoding.startswith("utf-16") else "surrogateescape"
    with open(path, "w", encoding=encoding, errors=errors, newline="") as fh:
        writer.writerow(["row", "reason", "reason_text"])
        fh.write(prefix.getvalue() + sep + _safe_record(header.get(0, ""), sep) + "\r\n")
        texts = _reason_texts(report, None if encoding.startswith("utf") else encoding)
        for row, code, text, pos in zip(rows, report.rejected_rows["reason"], texts, positions,
                                        strict=True):
            prefix.seek(0)
            prefix.truncate()
            writer.writerow([int(row), code, text])
            fh.write(prefix.getvalue() + sep + _safe_record(records[int(pos)], sep) + "\r\n")
    return True


def write_rejected(report: LoadReport, path: Path) -> None:
    """Write ``report``'s rejected rows to ``path`` (see the module docstring).

    Raises
    ------
    OSError
        When the file cannot be written.
    """
    try:
        if _write_text_source(report, path):
            return
    except (UnicodeError, csv.Error, ValueError):
        pass  # fall back to the values as read
    table = report.rejected_rows.copy()
    table.insert(2, "reason_text", _reason_texts(report, None))
    for col in table.columns[3:]:
        if not pd.api.types.is_numeric_dtype(table[col].dtype):
            table[col] = table[col].astype(object).map(escape_cell)
    table.columns = [escape_cell(str(c)) for c in table.columns]
    with open(path, "wb") as fh:
        fh.write(codecs.BOM_UTF8)
        fh.write(table.to_csv(index=False, lineterminator="\r\n").encode("utf-8"))


__all__ = ["escape_cell", "write_rejected"]
