"""Recognise a data file by its contents and read it raw, losing no row.

Every reader returns a :class:`RawTable`: the rows as the file holds them (text cells stay
text; nothing is converted or dropped except blank lines after the last row), the source
row number a user would look for, and for vector files the geometry. Anything a library
raises becomes one :class:`~juvmap.errors.DataLoadError` with a translated message.

The readers live in :mod:`juvmap.io.sniff` (format, encoding, separator, header row),
:mod:`juvmap.io.csvfile`, :mod:`juvmap.io.xlsx` and :mod:`juvmap.io.vector`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from juvmap.io.csvfile import read_csv
from juvmap.io.rawtable import EXTRA_COLUMN, RawTable
from juvmap.io.sniff import (EXTENSIONS, HEADER_SCAN_ROWS, find_header_row, sniff_format,
                             sniff_separator)
from juvmap.io.vector import LayerChoiceError, choose_layer, list_layers, read_vector
from juvmap.io.xlsx import list_sheets, read_xlsx


def read_raw(path: str | Path, mapping: Mapping[str, str] | None = None,
             layer: str | None = None) -> RawTable:
    """Sniff ``path`` and read it with the matching reader (see :class:`RawTable`).

    ``layer`` names the layer of a vector file or the sheet of a workbook (default: the
    one that holds the data; see :func:`juvmap.io.vector.choose_layer` and
    :func:`juvmap.io.xlsx.read_xlsx`).
    """
    fmt = sniff_format(path)
    if fmt == "csv":
        return read_csv(path, mapping)
    if fmt == "xlsx":
        return read_xlsx(path, mapping, sheet=layer)
    return read_vector(path, layer)


def list_parts(path: str | Path) -> list[str]:
    """The layers of a vector file or the sheets of a workbook (``[]`` for a text file)."""
    fmt = sniff_format(path)
    if fmt == "csv":
        return []
    if fmt == "xlsx":
        return list_sheets(path)
    return [name for name, _gtype in list_layers(path)]


__all__ = ["EXTENSIONS", "EXTRA_COLUMN", "HEADER_SCAN_ROWS", "LayerChoiceError", "RawTable",
           "choose_layer", "find_header_row", "list_parts", "read_csv", "read_raw",
           "read_vector", "read_xlsx", "sniff_format", "sniff_separator"]
