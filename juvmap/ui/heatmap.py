"""The hour-of-day × weekday heat map of incidents (a painted 7 × 24 grid).

Cells the disclosure rule hides (NaN in the table: counts of 1–4 and the cells that would
give them back from the totals) are drawn grey and read "hidden"; no count of 1–4 is shown.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from juvmap.disclosure import SUPPRESS_BELOW
from juvmap.i18n import _, get_language

ZERO_COLOR = QColor("#f2f2f2")
HIDDEN_COLOR = QColor("#bdbdbd")
HIDDEN = -1
#: sequential ramp, lowest non-zero colour first (ColorBrewer YlOrRd)
RAMP = [QColor(c) for c in ("#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c",
                            "#b10026")]
MARGIN = 4


def weekday_names(lang: str | None = None) -> list[str]:
    """Return the abbreviated weekday names, Monday first, in ``lang`` (default: active)."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=lang or get_language())
    return [str(names[i]) for i in range(7)]


def display_count(count: int) -> str:
    """Return ``count`` as it may be shown: "hidden" for a hidden cell, "<5" for 1–4."""
    if count == HIDDEN:
        return _("hidden")
    return f"<{SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else str(int(count))


def ramp_color(t: float) -> QColor:
    """Return the ramp colour at ``t`` in [0, 1] (linear between the stops)."""
    t = min(max(float(t), 0.0), 1.0) * (len(RAMP) - 1)
    i = min(int(t), len(RAMP) - 2)
    a, b, f = RAMP[i], RAMP[i + 1], t - i
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * f,
                           a.greenF() + (b.greenF() - a.greenF()) * f,
                           a.blueF() + (b.blueF() - a.blueF()) * f)


class HourWeekdayHeatmap(QWidget):
    """Incidents by weekday (rows, Monday first) and hour of day (columns 0–23)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table: np.ndarray | None = None
        self._labels: list[str] | None = None
        self.setMinimumSize(240, 120)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, 160)

    @property
    def is_empty(self) -> bool:
        """Whether the widget shows "No data"."""
        return self._table is None

    def set_data(self, table, weekday_labels: list[str] | None = None) -> None:
        """Show a 7 × 24 table of counts; ``weekday_labels`` default to the active language's."""
        table = np.nan_to_num(np.asarray(table, dtype=float), nan=HIDDEN).round().astype(np.int64)
        if table.shape != (7, 24):
            raise ValueError(f"expected a 7 × 24 table, got {table.shape}")
        self._table = table if (table != 0).any() else None
        self._labels = list(weekday_labels) if weekday_labels is not None else None
        self.update()

    def clear(self) -> None:
        """Remove the data and show "No data"."""
        self._table = None
        self.update()

    def retranslate(self) -> None:
        """Repaint the texts in the active language."""
        self.update()

    # -- geometry and colours ------------------------------------------------------------
    def weekday_labels(self) -> list[str]:
        return self._labels if self._labels is not None else weekday_names()

    def color_for(self, count: int) -> QColor:
        """Return the colour of a cell holding ``count`` incidents."""
        if count == HIDDEN:
            return HIDDEN_COLOR
        if count <= 0:
            return ZERO_COLOR
        top = int(self._table.max()) if self._table is not None else SUPPRESS_BELOW
        if count < SUPPRESS_BELOW or top <= SUPPRESS_BELOW:
            return RAMP[0]
        return ramp_color((count - SUPPRESS_BELOW) / (top - SUPPRESS_BELOW))

    def _layout(self) -> tuple[QRectF, float, float, float]:
        """Return the grid rectangle, cell width, cell height and the legend's x."""
        fm = self.fontMetrics()
        left = MARGIN + max(fm.horizontalAdvance(t) for t in self.weekday_labels()) + 6
        top_count = int(self._table.max()) if self._table is not None else 0
        legend_w = 14 + 4 + max(fm.horizontalAdvance(s) for s in (str(top_count), _("hidden"), "0"))
        width = max(self.width() - left - legend_w - 2 * MARGIN - 6, 24.0)
        height = max(self.height() - 2 * MARGIN - fm.height() - 2, 7.0)
        grid = QRectF(left, MARGIN, width, height)
        return grid, width / 24, height / 7, grid.right() + 8

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """Return ``(weekday, hour)`` of the cell under ``pos`` (widget coordinates)."""
        if self._table is None:
            return None
        grid, cw, ch, _x = self._layout()
        if not grid.contains(float(pos.x()), float(pos.y())):
            return None
        hour = min(int((pos.x() - grid.left()) / cw), 23)
        day = min(int((pos.y() - grid.top()) / ch), 6)
        return day, hour

    def cell_center(self, day: int, hour: int) -> QPoint:
        """Return the centre of a cell in widget coordinates."""
        grid, cw, ch, _x = self._layout()
        return QPoint(int(grid.left() + (hour + 0.5) * cw), int(grid.top() + (day + 0.5) * ch))

    def tooltip_at(self, day: int, hour: int) -> str:
        """Return the tooltip of a cell; counts 1–4 read "<5"."""
        return _("{weekday} {start}:00–{end}:00: {count}").format(
            weekday=self.weekday_labels()[day], start=f"{hour:02d}",
            end=f"{(hour + 1) % 24:02d}", count=display_count(int(self._table[day, hour])))

    # -- events --------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            cell = self.cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_at(*cell), self)
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        text_color = self.palette().windowText().color()
        painter.setPen(text_color)
        if self._table is None:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No data"))
            return
        grid, cw, ch, legend_x = self._layout()
        fm = self.fontMetrics()
        for day, label in enumerate(self.weekday_labels()):
            row = QRectF(MARGIN, grid.top() + day * ch, grid.left() - MARGIN - 6, ch)
            painter.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             label)
            for hour in range(24):
                cell = QRectF(grid.left() + hour * cw, grid.top() + day * ch, cw, ch)
                painter.fillRect(cell.adjusted(0, 0, -1, -1),
                                 self.color_for(int(self._table[day, hour])))
        step = next(s for s in (1, 2, 3, 6, 12) if cw * s >= fm.horizontalAdvance("00") + 3)
        for hour in range(0, 24, step):
            box = QRectF(grid.left() + hour * cw - cw, grid.bottom() + 1, 3 * cw, fm.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             str(hour))
        self._paint_legend(painter, grid, ch, legend_x)

    def _paint_legend(self, painter: QPainter, grid: QRectF, ch: float, x: float) -> None:
        """A gradient (5 … max) over five rows, then swatches for "<5" and 0."""
        top = int(self._table.max())
        bar = QRectF(x, grid.top(), 14, 5 * ch - 2)
        gradient = QLinearGradient(bar.bottomLeft(), bar.topLeft())
        for i, color in enumerate(RAMP):
            gradient.setColorAt(i / (len(RAMP) - 1), color if top > SUPPRESS_BELOW else RAMP[0])
        painter.fillRect(bar, gradient)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        text_x, height = x + 18, self.fontMetrics().height()
        painter.drawText(QRectF(text_x, bar.top() - 2, 60, height), align,
                         str(max(top, SUPPRESS_BELOW)))
        painter.drawText(QRectF(text_x, bar.bottom() - height + 2, 60, height), align,
                         str(SUPPRESS_BELOW))
        for row, (color, text) in enumerate(((HIDDEN_COLOR, _("hidden")), (ZERO_COLOR, "0")), start=5):
            swatch = QRectF(x, grid.top() + row * ch, 14, ch - 1)
            painter.fillRect(swatch, color)
            painter.drawText(QRectF(text_x, swatch.top(), 60, ch), align, text)
