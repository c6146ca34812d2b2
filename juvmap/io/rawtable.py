"""The rows of a file before validation: :class:`RawTable`, shared by every reader."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
    crs : pyproj.CRS or None
        The CRS of ``geometry`` or ``xy``.
    details : dict
        What was sniffed: encoding, separator, header row, sheet or layer, and ``notes``
        (codes of :data:`juvmap.io.report.NOTES`, with their values).
    xy : tuple of numpy.ndarray or None
        Point coordinates in the file's CRS (point layers; NaN for a missing geometry).
    row_reasons : dict
        Reason code -> mask of the rows a reader already found unusable (e.g. a NUL byte).
    row_warnings : dict
        Warning code -> mask of rows a reader changed or doubts (e.g. a polygon made a point).
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    fmt: str
    geometry: object = None
    crs: object = None
    details: dict = field(default_factory=dict)
    xy: tuple[np.ndarray, np.ndarray] | None = None
    row_reasons: dict[str, np.ndarray] = field(default_factory=dict)
    row_warnings: dict[str, np.ndarray] = field(default_factory=dict)

    def note(self, code: str, **values: object) -> None:
        """Add a one-line note (see :data:`juvmap.io.report.NOTES`) to the details."""
        self.details.setdefault("notes", {})[code] = values


def unique_names(names: list[object]) -> list[str]:
    """Column names made unique and non-blank (``column_3``, ``Дата.1`` …)."""
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


def drop_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
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
