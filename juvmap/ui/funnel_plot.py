"""Funnel plot widget: the areas' rates against their populations with two control bands.

Plain data in, no statistics inside: feed it the tables of :mod:`juvmap.stats.funnel`::

    points = funnel_points(counts, population, multiplier=10_000)
    limits = funnel_limits(np.geomspace(p_min, p_max, 200), rate / 10_000, multiplier=10_000)
    plot.set_data(points, limits, names={"KZ-75": "Алматы"}, unit="per 10,000 …")

Population is on a logarithmic x axis. Clicking a point emits ``regionClicked(code)``;
:meth:`select` highlights a point (e.g. the region selected on the map).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

from juvmap.i18n import _, get_language
from juvmap.numbers import SUPPRESS_BELOW, format_number

__all__ = ["FLAG_COLORS", "FunnelPlot"]

FLAG_COLORS = {
    "above_998": QColor("#b2182b"), "above_95": QColor("#ef8a62"), "within": QColor("#525252"),
    "below_95": QColor("#67a9cf"), "below_998": QColor("#2166ac"), "undefined": QColor("#bdbdbd"),
}
OUTER_BAND = QColor(33, 102, 172, 28)
INNER_BAND = QColor(33, 102, 172, 60)
_MARGIN = (64, 24, 18, 74)  # left, top, right, bottom
_HIT_RADIUS = 9.0


class FunnelPlot(QWidget):
    """Rates against population with 95 % and 99.8 % control limits."""

    regionClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("funnel-plot")
        self.setMouseTracking(True)
        self.setMinimumSize(320, 240)
        self._points = pd.DataFrame()
        self._limits = pd.DataFrame()
        self._names: dict[str, str] = {}
        self._unit = ""
        self._reference = float("nan")
        self._selected = ""
        self._hidden = 0
        self._screen: list[tuple[str, QPointF]] = []

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(560, 400)

    def set_data(self, points: pd.DataFrame, limits: pd.DataFrame,
                 names: dict[str, str] | None = None, unit: str = "") -> None:
        """Show ``points`` (index code; ``population, rate, flag``) and ``limits``.

        ``limits`` has ``population, low_95, high_95, low_99.8, high_99.8``;
        ``points.attrs["reference_rate"]`` (per the multiplier) draws the centre line.
        Areas with 1–4 incidents (a ``count`` column) are not drawn: their rate and
        population would give the count back; a note says how many are left out.
        """
        shown = np.isfinite(points["rate"]) & (points["population"] > 0)
        if "count" in points:  # a rate and a population give a small count back: not drawn
            small = (points["count"] > 0) & (points["count"] < SUPPRESS_BELOW)
            self._hidden = int((shown & small).sum())
            shown &= ~small
        self._points = points[shown].copy()
        self._limits = limits.sort_values("population")
        self._names = dict(names or {})
        self._unit = unit
        self._reference = float(points.attrs.get("reference_rate", float("nan")))
        self.update()

    def clear(self) -> None:
        """Show nothing (a "No data" note)."""
        self.set_data(pd.DataFrame({"population": [], "rate": [], "flag": []}),
                      pd.DataFrame({"population": []}))

    def select(self, code: str) -> None:
        """Highlight the point of ``code`` ("" for none)."""
        self._selected = code or ""
        self.update()

    def retranslate(self) -> None:
        """Redraw the axis titles and legend in the current language."""
        self.update()

    # -- geometry ---------------------------------------------------------------------------
    def _plot_rect(self) -> QRectF:
        left, top, right, bottom = _MARGIN
        return QRectF(left, top, max(self.width() - left - right, 10), max(self.height() - top - bottom, 10))

    def _ranges(self) -> tuple[float, float, float, float]:
        pops = np.concatenate([self._points["population"].to_numpy(float),
                               self._limits["population"].to_numpy(float)])
        pops = pops[pops > 0]
        rates = [self._points["rate"].to_numpy(float)]
        rates += [self._limits[c].to_numpy(float) for c in self._limits.columns if c.startswith(("low_", "high_"))]
        values = np.concatenate(rates) if rates else np.array([0.0])
        values = values[np.isfinite(values)]
        x0, x1 = math.log10(pops.min()), math.log10(pops.max())
        if x1 - x0 < 1e-9:
            x0, x1 = x0 - 0.5, x1 + 0.5
        y1 = float(values.max()) * 1.05 if values.size else 1.0
        return x0, x1, 0.0, y1 if y1 > 0 else 1.0

    def _mapper(self):
        rect = self._plot_rect()
        x0, x1, y0, y1 = self._ranges()

        def to_screen(pop: float, rate: float) -> QPointF:
            fx = (math.log10(pop) - x0) / (x1 - x0)
            fy = (min(max(rate, y0), y1) - y0) / (y1 - y0)
            return QPointF(rect.left() + fx * rect.width(), rect.bottom() - fy * rect.height())
        return to_screen, (x0, x1, y0, y1)

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if self._points.empty or self._limits.empty:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No data"))
            return
        to_screen, ranges = self._mapper()
        self._draw_band(painter, to_screen, "99.8", OUTER_BAND)
        self._draw_band(painter, to_screen, "95", INNER_BAND)
        self._draw_axes(painter, to_screen, ranges)
        self._draw_points(painter, to_screen)
        self._draw_legend(painter)

    def _draw_band(self, painter, to_screen, pct: str, color: QColor) -> None:
        low, high = f"low_{pct}", f"high_{pct}"
        if low not in self._limits or high not in self._limits:
            return
        pops = self._limits["population"].to_numpy(float)
        upper = [to_screen(p, r) for p, r in zip(pops, self._limits[high], strict=True)]
        lower = [to_screen(p, r) for p, r in zip(pops, self._limits[low], strict=True)]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(color))
        painter.drawPolygon(QPolygonF(upper + lower[::-1]))
        painter.setPen(QPen(color.darker(160), 1, Qt.PenStyle.DashLine))
        for line in (upper, lower):
            path = QPainterPath(line[0])
            for point in line[1:]:
                path.lineTo(point)
            painter.strokePath(path, painter.pen())

    def _draw_axes(self, painter, to_screen, ranges) -> None:
        x0, x1, y0, y1 = ranges
        rect = self._plot_rect()
        lang = get_language()
        painter.setPen(QPen(self.palette().text().color(), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.topLeft())
        for exponent in range(math.floor(x0), math.ceil(x1) + 1):
            for mantissa in (1, 2, 5):
                pop = mantissa * 10 ** exponent
                if not (10 ** x0 <= pop <= 10 ** x1):
                    continue
                point = to_screen(pop, y0)
                painter.drawLine(point, point + QPointF(0, 4))
                painter.drawText(QRectF(point.x() - 40, point.y() + 5, 80, 16),
                                 Qt.AlignmentFlag.AlignHCenter, format_number(pop, lang, 0))
        for k in range(6):
            rate = y0 + (y1 - y0) * k / 5
            point = to_screen(10 ** x0, rate)
            painter.drawLine(point, point - QPointF(4, 0))
            painter.drawText(QRectF(2, point.y() - 8, _MARGIN[0] - 8, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             format_number(rate, lang, 1))
        if math.isfinite(self._reference):
            painter.setPen(QPen(QColor("#1a1a1a"), 1.2))
            painter.drawLine(to_screen(10 ** x0, self._reference), to_screen(10 ** x1, self._reference))
        painter.setPen(QPen(self.palette().text().color(), 1))
        painter.drawText(QRectF(rect.left(), rect.bottom() + 22, rect.width(), 18),
                         Qt.AlignmentFlag.AlignHCenter, _("Population (logarithmic scale)"))
        painter.save()
        painter.translate(12, rect.center().y())
        painter.rotate(-90)
        title = _("Rate {unit}").format(unit=self._unit).strip()
        painter.drawText(QRectF(-rect.height() / 2, -10, rect.height(), 16), Qt.AlignmentFlag.AlignHCenter, title)
        painter.restore()

    def _draw_points(self, painter, to_screen) -> None:
        self._screen = []
        font = QFont(painter.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        for code, row in self._points.iterrows():
            point = to_screen(float(row["population"]), float(row["rate"]))
            self._screen.append((str(code), point))
            color = FLAG_COLORS.get(str(row.get("flag", "within")), FLAG_COLORS["within"])
            selected = str(code) == self._selected
            painter.setPen(QPen(QColor("#000000") if selected else color.darker(130), 2.5 if selected else 1))
            painter.setBrush(QBrush(color))
            radius = 7.0 if selected else 5.0
            painter.drawEllipse(point, radius, radius)
            if selected or str(row.get("flag", "within")).startswith(("above_998", "below_998")):
                painter.setPen(QPen(self.palette().text().color()))
                name = self._names.get(str(code), str(code))
                width = painter.fontMetrics().horizontalAdvance(name)
                dx = 8 if point.x() + 8 + width < self.width() - 4 else -8 - width
                painter.drawText(point + QPointF(dx, -6), name)

    def _draw_legend(self, painter) -> None:
        rect = self._plot_rect()
        entries = [(INNER_BAND, _("95 % control limits")), (OUTER_BAND, _("99.8 % control limits")),
                   (None, _("National rate"))]
        x, y = rect.left(), rect.bottom() + 44
        metrics = painter.fontMetrics()
        for color, text in entries:
            if color is None:
                painter.setPen(QPen(QColor("#1a1a1a"), 1.2))
                painter.drawLine(QPointF(x, y + 8), QPointF(x + 14, y + 8))
            else:
                painter.fillRect(QRectF(x, y + 3, 14, 10), color.darker(110))
            painter.setPen(QPen(self.palette().text().color()))
            painter.drawText(QRectF(x + 18, y, metrics.horizontalAdvance(text) + 4, 16),
                             Qt.AlignmentFlag.AlignLeft, text)
            x += 18 + metrics.horizontalAdvance(text) + 18
        if self._hidden:
            painter.setPen(QPen(self.palette().text().color()))
            painter.drawText(QRectF(rect.left() + 6, rect.top() + 2, rect.width() - 12, 32),
                             Qt.TextFlag.TextWordWrap,
                             _("{n} areas with fewer than 5 incidents are not shown.").format(n=self._hidden))

    # -- interaction ------------------------------------------------------------------------
    def _hit(self, position: QPointF) -> str:
        best, best_distance = "", _HIT_RADIUS
        for code, point in self._screen:
            distance = math.hypot(point.x() - position.x(), point.y() - position.y())
            if distance <= best_distance:
                best, best_distance = code, distance
        return best

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt name
        code = self._hit(event.position())
        if code:
            self.select(code)
            self.regionClicked.emit(code)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt name
        code = self._hit(event.position())
        if code and code in self._points.index:
            row = self._points.loc[code]
            lang = get_language()
            QToolTip.showText(event.globalPosition().toPoint(), _("{name}: {rate} {unit}").format(
                name=self._names.get(code, code), rate=format_number(float(row["rate"]), lang, 1),
                unit=self._unit))
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)
