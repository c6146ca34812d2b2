"""A read-only Qt table model over a pandas DataFrame (previews, attribute tables)."""

from __future__ import annotations

import math
import numbers
from datetime import date, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
MAX_CELL_CHARS = 80


def format_cell(value: object) -> str:
    """Return the text shown for one cell: blank for missing, short numbers and dates."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S").removesuffix(":00")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "geom_type"):  # shapely geometry: its type and first coordinates
        text = getattr(value, "wkt", str(value))
    else:
        text = str(value)
    if text in ("<NA>", "NaT", "nan"):
        return ""
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


class DataFrameModel(QAbstractTableModel):
    """Show a DataFrame read-only; cells are formatted when they are displayed.

    Parameters
    ----------
    frame : pandas.DataFrame, optional
        The table (kept by reference; never modified).
    header_labels : dict, optional
        ``column -> text`` shown instead of the column name.
    row_labels : sequence, optional
        Vertical header texts (e.g. the row numbers of the source file); default 1, 2, …
    """

    def __init__(self, frame=None, header_labels: dict | None = None, row_labels=None,
                 parent=None) -> None:
        super().__init__(parent)
        self._frame = None
        self._columns: list = []
        self._labels: dict = {}
        self._row_labels: list | None = None
        self.set_frame(frame, header_labels, row_labels)

    # -- content ------------------------------------------------------------------------
    def set_frame(self, frame, header_labels: dict | None = None, row_labels=None) -> None:
        """Replace the table (``None`` empties the model)."""
        self.beginResetModel()
        self._frame = frame
        self._columns = list(frame.columns) if frame is not None else []
        self._labels = dict(header_labels or {})
        self._row_labels = None if row_labels is None else [str(r) for r in row_labels]
        self.endResetModel()

    def set_header_labels(self, labels: dict) -> None:
        """Show ``labels[column]`` in the header instead of the column name."""
        self._labels = dict(labels)
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def frame(self):
        """Return the DataFrame shown (or ``None``)."""
        return self._frame

    # -- QAbstractTableModel ------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self._frame is None else len(self._frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._frame is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = self._frame.iat[index.row(), index.column()]
            text = format_cell(value)
            if role == Qt.ItemDataRole.ToolTipRole:
                full = str(value) if text.endswith("…") else ""
                return full or None
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self._frame.iat[index.row(), index.column()]
            numeric = isinstance(value, numbers.Real) and not isinstance(value, bool)
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                column = self._columns[section]
                return str(self._labels.get(column, column))
            return None
        if self._row_labels is not None and 0 <= section < len(self._row_labels):
            return self._row_labels[section]
        return str(section + 1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
