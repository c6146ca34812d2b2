"""Recognise a data file by its contents and read it raw, losing no row.

Every reader returns a :class:`RawTable`: the rows as the file holds them (text cells stay
text; nothing is converted or dropped except blank lines after the last row), the source
row number a user would look for, and for vector files the geometry. Anything a library
raises becomes one :class:`~juvmap.errors.DataLoadError` with a translated message.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.errors import DataLoadError
from juvmap.i18n import _
from juvmap.io.columns import CANONICAL_FIELDS, HAS_PYARROW, mapped_count, resolve_mapping

#: extension -> format family
EXTENSIONS: dict[str, str] = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".gpkg": "gpkg", ".shp": "shp", ".geojson": "geojson", ".json": "geojson",
}
HEADER_SCAN_ROWS = 30
#: fields whose values repeat a lot: read as categorical (date and time too: few days)
CATEGORY_FIELDS = frozenset(CANONICAL_FIELDS) - {"id", "lat", "lon", "age", "count"}
EXTRA_COLUMN = "__extra_fields__"


@dataclass
class RawTable:
    """The rows of a file before validation.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per source column (original names, made unique), one row per record.
    source_rows : numpy.ndarray
        For each row, the row number a user sees (line in a text file, sheet row, feature).
    fmt : str
        ``"csv"``, ``"xlsx"``, ``"gpkg"``, ``"shp"`` or ``"geojson"``.
    geometry : geopandas.GeoSeries or None
        Feature geometries in the file's CRS (vector files that are not read as points).
    xy : tuple of numpy.ndarray or None
        Point coordinates in the file's CRS (point layers; NaN for a missing geometry).
    crs : pyproj.CRS or None
        The CRS of ``geometry`` or ``xy``.
    details : dict
        What was sniffed: encoding, separator, header row, sheet or layer.
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    fmt: str
    geometry: object = None
    crs: object = None
    details: dict = field(default_factory=dict)
    xy: tuple[np.ndarray, np.ndarray] | None = None


def _fail(path: Path, message: str) -> DataLoadError:
    return DataLoadError(message, str(path))


# -- format sniffing ---------------------------------------------------------------------------
def sniff_format(path: str | Path) -> str:
    """Return the format family of ``path`` from its first bytes, checked against its extension.

    Raises
    ------
    DataLoadError
        The file is missing, empty, binary garbage, or its extension names another format.
    """
    path = Path(path)
    if not path.is_file():
        raise _fail(path, _("File not found: {name}").format(name=path.name))
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise _fail(path, _("Could not read {name}: {error}").format(
            name=path.name, error=exc)) from exc
    if not head.strip():
        raise _fail(path, _("The file {name} is empty.").format(name=path.name))
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Excel 97-2003 or an encrypted workbook
        raise _fail(path, _("{name} is an old or password-protected Excel file: save it as "
                            "an unprotected .xlsx workbook.").format(name=path.name))
    content = _content_format(path, head)
    expected = EXTENSIONS.get(path.suffix.lower())
    if content is None:
        raise _fail(path, _("{name} is not a table or map layer juvmap can read.").format(
            name=path.name))
    if expected is not None and expected != content:
        raise _fail(path, _("{name} has the extension {ext} but its contents look like {kind}.")
                    .format(name=path.name, ext=path.suffix, kind=content.upper()))
    return content


def _content_format(path: Path, head: bytes) -> str | None:
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
    if b"\x00" in head:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") and b'"type"' in head:
        return "geojson"
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    return "csv" if controls <= len(head) // 20 else None  # random bytes: ~11 % controls


# -- CSV ---------------------------------------------------------------------------------------
def _detect_encoding(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1251"  # the Windows Cyrillic code page; its only unused byte is replaced


def _sample_lines(path: Path, encoding: str, n: int = 60) -> list[str]:
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        lines = []
        for line in fh:
            lines.append(line.rstrip("\r\n"))
            if len(lines) >= n:
                break
    return lines


def _split_line(line: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return line.split(sep)


def sniff_separator(lines: list[str]) -> str:
    """Return the separator (``,`` ``;`` or tab) that splits ``lines`` most consistently."""
    lines = [ln for ln in lines if ln.strip()][-40:] or [""]
    best, best_score = ",", (-1.0, 0)
    for sep in ("\t", ";", ","):
        counts = [len(_split_line(ln, sep)) for ln in lines]
        values, freq = np.unique(counts, return_counts=True)
        modal = int(values[np.argmax(freq)])
        score = (float(freq.max()) / len(counts) if modal > 1 else 0.0, modal)
        if score > best_score:
            best, best_score = sep, score
    return best


def find_header_row(rows: list[list[object]], required: set[str] | None = None) -> int:
    """Return the index of the first row that names known columns (0 when none does).

    A header row maps to at least two canonical fields, or holds every column of
    ``required`` (the user's mapping).
    """
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if required and required <= set(cells):
            return i
        if not required and mapped_count(cells) >= 2:
            return i
    return 0


def _unique_names(names: list[object]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        base = str(name).strip() if name is not None and str(name).strip() else f"column_{i + 1}"
        new = base
        while new in seen:
            seen[base] += 1
            new = f"{base}.{seen[base]}"
        seen[new] = 0
        out.append(new)
    return out


def read_csv(path: str | Path, mapping: Mapping[str, str] | None = None) -> RawTable:
    """Read a delimited text file: encoding, separator, decimal comma and header row sniffed.

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
        by pandas where every cell is a number. Rows with more fields than the header keep
        the surplus joined in the column ``__extra_fields__``.
    """
    path = Path(path)
    encoding = _detect_encoding(path)
    lines = _sample_lines(path, encoding)
    sep = sniff_separator(lines)
    rows = [_split_line(ln, sep) for ln in lines[:HEADER_SCAN_ROWS]]
    header_idx = find_header_row(rows, set(mapping.values()) if mapping else None)
    header = rows[header_idx] if rows else []
    if not any(h.strip() for h in header):
        raise _fail(path, _("{name} has no header row.").format(name=path.name))
    names = _unique_names(header)
    data_lines = lines[header_idx + 1:]
    decimal = "."
    if sep != "," and any(re.search(r"(^|\D)\d+,\d+($|\D)", ln) for ln in data_lines):
        decimal = ","
    fields = resolve_mapping(names, mapping)
    categorical = {c: "category" for f, c in fields.items() if f in CATEGORY_FIELDS}
    frame = _parse_csv(path, encoding, sep, decimal, names, header_idx, categorical)
    frame = _drop_trailing_empty(frame)
    if frame.empty:
        raise _fail(path, _("{name} has no data rows.").format(name=path.name))
    source_rows = np.arange(len(frame)) + header_idx + 2
    details = {"encoding": encoding, "separator": sep, "decimal": decimal,
               "header_row": header_idx + 1}
    return RawTable(frame, source_rows, "csv", details=details)


def _parse_csv(path: Path, encoding: str, sep: str, decimal: str, names: list[str],
               header_idx: int, dtypes: dict[str, str]) -> pd.DataFrame:
    """Fast C parser first; on a ragged or damaged file, Python's csv module row by row.

    ``dtypes`` marks repetitive text columns as categorical: the C parser then keeps one
    string per distinct value instead of one per row.
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
        pass
    last: Exception | None = None
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
        try:
            return _parse_rows(path, encoding, sep, names, header_idx, quoting)
        except csv.Error as exc:
            last = exc
    raise _fail(path, _("{name} is not a well-formed text table: {error}").format(
        name=path.name, error=last))


def _parse_rows(path: Path, encoding: str, sep: str, names: list[str], header_idx: int,
                quoting: int) -> pd.DataFrame:
    """Read every record with the csv module; surplus fields go to ``__extra_fields__``."""
    ncols = len(names)
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        for _skip in range(header_idx + 1):
            fh.readline()
        rows = []
        for fields in csv.reader(fh, delimiter=sep, quoting=quoting):
            surplus = sep.join(fields[ncols:]) if len(fields) > ncols else None
            rows.append([*fields[:ncols], *[None] * (ncols - len(fields)), surplus])
    frame = pd.DataFrame(rows, columns=[*names, EXTRA_COLUMN], dtype=object)
    return frame.mask(frame.eq(""))


def _drop_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop blank rows after the last row that holds anything (they are not records)."""
    end = len(frame)
    while end > 0:  # look backwards in blocks: the last rows are usually not blank
        block = frame.iloc[max(0, end - 1024): end].notna().to_numpy().any(axis=1)
        if block.any():
            end = max(0, end - 1024) + int(np.flatnonzero(block)[-1]) + 1
            break
        end = max(0, end - 1024)
    frame = frame.iloc[:end]
    if EXTRA_COLUMN in frame and frame[EXTRA_COLUMN].isna().all():
        frame = frame.drop(columns=EXTRA_COLUMN)
    return frame


# -- XLSX --------------------------------------------------------------------------------------
def _cell_text(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    s = str(value)
    return s if s.strip() else None


def read_xlsx(path: str | Path, mapping: Mapping[str, str] | None = None) -> RawTable:
    """Read the first sheet of a workbook that has a recognisable header row.

    Title rows above the header are skipped; cell values become text (dates as ISO).
    """
    path = Path(path)
    from openpyxl import load_workbook

    required = set(mapping.values()) if mapping else None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types on damaged files
        raise _fail(path, _("{name} is not a readable Excel workbook: {error}").format(
            name=path.name, error=exc)) from exc
    try:
        chosen = None
        for sheet in book.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            top = [[_cell_text(v) for v in r] for r in rows[:HEADER_SCAN_ROWS]]
            idx = find_header_row(top, required)
            if chosen is None and rows:
                chosen = (sheet.title, rows, idx)
            header = {str(c).strip() for c in top[idx] if c} if top else set()
            if rows and (required <= header if required else mapped_count(header) >= 2):
                chosen = (sheet.title, rows, idx)
                break
    except Exception as exc:
        raise _fail(path, _("{name} is not a readable Excel workbook: {error}").format(
            name=path.name, error=exc)) from exc
    finally:
        book.close()
    if chosen is None:
        raise _fail(path, _("{name} has no data rows.").format(name=path.name))
    title, rows, idx = chosen
    header = [_cell_text(v) for v in rows[idx]]
    width = max(len(r) for r in rows)
    header += [None] * (width - len(header))
    names = _unique_names(header)
    body = [[_cell_text(v) for v in r] + [None] * (width - len(r)) for r in rows[idx + 1:]]
    frame = pd.DataFrame(body, columns=names, dtype=object)
    frame = _drop_trailing_empty(frame)
    if frame.empty:
        raise _fail(path, _("{name} has no data rows.").format(name=path.name))
    source_rows = np.arange(len(frame)) + idx + 2
    return RawTable(frame, source_rows, "xlsx", details={"sheet": title, "header_row": idx + 1})


# -- vector layers -----------------------------------------------------------------------------
def choose_layer(path: str | Path) -> tuple[str, str]:
    """Return ``(layer, geometry_type)``: the first point or polygon layer, else the first."""
    import pyogrio

    layers = pyogrio.list_layers(path)
    if len(layers) == 0:
        raise _fail(Path(path), _("{name} has no data rows.").format(name=Path(path).name))
    for name, gtype in layers:
        if gtype and ("Point" in gtype or "Polygon" in gtype):
            return str(name), str(gtype)
    return str(layers[0][0]), str(layers[0][1] or "")


def _point_wkb_xy(wkb) -> tuple[np.ndarray, np.ndarray] | None:
    """Decode Arrow little-endian 2D/3D point WKB to x, y arrays (None when it is not that)."""
    import pyarrow as pa

    arr = wkb.combine_chunks() if isinstance(wkb, pa.ChunkedArray) else wkb
    if isinstance(arr, pa.ExtensionArray):
        arr = arr.storage
    if not (pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type)):
        return None
    n = len(arr)
    width = np.int64 if pa.types.is_large_binary(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset: arr.offset + n + 1]
    offsets = offsets.astype(np.int64)
    body = arr.buffers()[2]
    data = np.frombuffer(body, dtype=np.uint8) if body is not None else np.empty(0, np.uint8)
    lengths = np.diff(offsets)
    if arr.null_count == 0 and (lengths == 21).all() and offsets[0] + 21 * n <= len(data):
        rows = data[offsets[0]: offsets[0] + 21 * n].reshape(n, 21)  # the common case
        if (rows[:, 0] == 1).all() and (rows[:, 1:5].copy().view("<u4") == 1).all():
            return rows[:, 5:13].copy().view("<f8").ravel(), rows[:, 13:21].copy().view(
                "<f8").ravel()
    valid = arr.is_valid().to_numpy(zero_copy_only=False) & (lengths >= 21)
    start = offsets[:-1][valid]
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if len(start) == 0:
        return x, y
    if (data[start] != 1).any():
        return None
    kinds = data[start[:, None] + np.arange(1, 5)].view("<u4").ravel()
    if not np.isin(kinds, (1, 1001, 0x80000001)).all():
        return None
    x[valid] = data[start[:, None] + np.arange(5, 13)].view("<f8").ravel()
    y[valid] = data[start[:, None] + np.arange(13, 21)].view("<f8").ravel()
    return x, y


def _read_points_arrow(path: Path, layer: str) -> RawTable | None:
    """Fast path for point layers: Arrow batches, point WKB decoded with NumPy."""
    import pyogrio
    from pyproj import CRS

    meta, table = pyogrio.read_arrow(path, layer=layer)
    geom_name = meta.get("geometry_name") or "wkb_geometry"
    if geom_name not in table.column_names:
        return None
    xy = _point_wkb_xy(table.column(geom_name))
    if xy is None:
        return None
    frame = table.drop_columns([geom_name]).to_pandas()
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    return RawTable(frame, np.arange(len(frame)) + 1, "", xy=xy, crs=crs)


def read_vector(path: str | Path) -> RawTable:
    """Read a GeoPackage, Shapefile or GeoJSON layer (Arrow fast path for point layers)."""
    path = Path(path)
    import pyogrio
    from pyogrio.errors import (
        DataLayerError,
        DataSourceError,
        FieldError,
        GeometryError,
    )

    with open(path, "rb") as fh:
        fmt = _content_format(path, fh.read(65536)) or "vector"
    errors = (DataSourceError, DataLayerError, FieldError, GeometryError, OSError, ValueError,
              RuntimeError, TypeError)
    try:
        layer, gtype = choose_layer(path)
        raw = None
        if HAS_PYARROW and gtype.startswith("Point"):
            raw = _read_points_arrow(path, layer)
        if raw is None:
            gdf = pyogrio.read_dataframe(path, layer=layer, use_arrow=HAS_PYARROW)
            geometry = gdf.geometry.reset_index(drop=True) if "geometry" in gdf else None
            frame = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
            raw = RawTable(frame.reset_index(drop=True), np.arange(len(frame)) + 1, "",
                           geometry=geometry, crs=getattr(gdf, "crs", None))
    except DataLoadError:
        raise
    except errors as exc:
        raise _fail(path, _("{name} is not a readable map layer: {error}").format(
            name=path.name, error=exc)) from exc
    if len(raw.frame) == 0:
        raise _fail(path, _("{name} has no data rows.").format(name=path.name))
    raw.frame.columns = _unique_names(list(raw.frame.columns))
    raw.fmt = fmt
    raw.details = {"layer": layer, "geometry_type": gtype,
                   "source_crs": raw.crs.to_string() if raw.crs is not None else None}
    return raw


def read_raw(path: str | Path, mapping: Mapping[str, str] | None = None) -> RawTable:
    """Sniff ``path`` and read it with the matching reader (see :class:`RawTable`)."""
    fmt = sniff_format(path)
    if fmt == "csv":
        return read_csv(path, mapping)
    if fmt == "xlsx":
        return read_xlsx(path, mapping)
    return read_vector(path)


__all__ = ["RawTable", "read_raw", "read_csv", "read_xlsx", "read_vector", "sniff_format",
           "sniff_separator", "find_header_row", "choose_layer", "EXTRA_COLUMN"]
