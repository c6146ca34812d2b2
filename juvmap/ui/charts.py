"""Charts of the Region dock: yearly trend, offence structure, hour × weekday heat map.

Each widget has ``set_data(...)``, ``clear()`` (shows "No data") and ``retranslate()``.
The ``*_inputs`` adapters turn the tables of :mod:`juvmap.stats.trends` and
:mod:`juvmap.stats.profiles` into ``set_data`` keyword arguments::

    trend.set_data(**trend_inputs(incidents, "KZ-75", denominator))
"""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QStackedLayout, QToolTip, QWidget

from juvmap.i18n import _, get_language
from juvmap.labels import value_label
from juvmap.ui.heatmap import HourWeekdayHeatmap, weekday_names

__all__ = ["HourWeekdayHeatmap", "StructureChart", "TrendChart",
           "heatmap_inputs", "structure_inputs", "trend_inputs", "weekday_names"]

REGION_COLOR = QColor("#2166ac")
NATIONAL_COLOR = QColor("#8c8c8c")


class _ChartPanel(QWidget):
    """A QChartView, or a "No data" label while there is nothing to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = QChart()
        self.chart.setMargins(self.chart.margins() * 0)
        self.chart.setBackgroundRoundness(0)
        self.chart.layout().setContentsMargins(0, 0, 0, 0)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        font = self.chart.titleFont()
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        self.chart.setTitleFont(font)
        self.view = QChartView(self.chart, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.view)
        self._args: dict | None = None
        self.retranslate()

    @property
    def is_empty(self) -> bool:
        """Whether the widget shows "No data"."""
        return self._args is None

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, 240)

    def clear(self) -> None:
        """Remove the data and show "No data"."""
        self._args = None
        self.chart.removeAllSeries()
        self.chart.setTitle("")
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.stack.setCurrentWidget(self.empty_label)

    def retranslate(self) -> None:
        """Set every text in the active language (data labels come with ``set_data``)."""
        self.empty_label.setText(_("No data"))
        if self._args is not None:
            self.set_data(**self._args)

    def _show(self, args: dict) -> None:
        self.clear()
        self._args = args
        self.stack.setCurrentWidget(self.view)

    def _axis(self, title: str, fmt: str, low: float, high: float) -> QValueAxis:
        axis = QValueAxis()
        axis.setTitleText(title)
        axis.setLabelFormat(fmt)
        axis.setRange(low, high)
        return axis


class TrendChart(_ChartPanel):
    """Yearly values of a region beside the national ones (lines with markers)."""

    def set_data(self, years: list[int], region: list[float], national: list[float],
                 region_name: str, y_title: str, national_name: str | None = None) -> None:
        """Show the two series; NaN values leave gaps in the lines."""
        values = [float(v) for v in (*region, *national) if v is not None and math.isfinite(v)]
        if not years or not values:
            self.clear()
            return
        self._show(dict(years=list(years), region=list(region), national=list(national),
                        region_name=region_name, y_title=y_title, national_name=national_name))
        first, last = int(min(years)), int(max(years))
        x_axis = self._axis(_("Year"), "%d", first - 0.5, last + 0.5)
        x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        x_axis.setTickAnchor(first)
        x_axis.setTickInterval(max(1, math.ceil((last - first + 1) / 8)))
        top = max(values) * 1.1 or 1.0
        y_axis = self._axis("", "%.0f" if top >= 20 else "%.1f", 0.0, top)
        self.chart.setTitle(y_title)  # long units do not fit a vertical axis title
        y_axis.applyNiceNumbers()
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        names = (region_name, national_name or _("Kazakhstan"))
        for name, data, color, style in ((names[0], region, REGION_COLOR, Qt.PenStyle.SolidLine),
                                         (names[1], national, NATIONAL_COLOR,
                                          Qt.PenStyle.DashLine)):
            self._add_line(name, years, data, color, style, x_axis, y_axis)

    def _add_line(self, name, years, data, color, style, x_axis, y_axis) -> None:
        runs: list[list[QPointF]] = [[]]
        for year, value in zip(years, data):
            if value is None or not math.isfinite(float(value)):
                runs.append([])
            else:
                runs[-1].append(QPointF(float(year), float(value)))
        for i, points in enumerate(r for r in runs if r):
            series = QLineSeries()
            series.setName(name)
            series.append(points)
            series.setPen(QPen(color, 2.2, style))
            series.setPointsVisible(True)
            series.setMarkerSize(6.0)
            series.hovered.connect(lambda p, on, n=name: self._tip(on, f"{n}, {p.x():.0f}: "
                                                                      f"{p.y():.1f}"))
            self.chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
            if i:
                self.chart.legend().markers(series)[0].setVisible(False)

    @staticmethod
    def _tip(on: bool, text: str) -> None:
        if on:
            QToolTip.showText(QCursor.pos(), text)
        else:
            QToolTip.hideText()


class StructureChart(_ChartPanel):
    """Shares of each value (e.g. offence category) in a region and nationally, in %."""

    def set_data(self, labels: list[str], region_shares: list[float],
                 national_shares: list[float], region_name: str,
                 national_name: str | None = None) -> None:
        """Show grouped horizontal bars; shares are fractions (0–1), shown as percent."""
        if not labels:
            self.clear()
            return
        self._show(dict(labels=list(labels), region_shares=list(region_shares),
                        national_shares=list(national_shares), region_name=region_name,
                        national_name=national_name))
        series = QHorizontalBarSeries()
        top = 0.0
        for name, shares, color in ((national_name or _("Kazakhstan"), national_shares,
                                     NATIONAL_COLOR), (region_name, region_shares, REGION_COLOR)):
            bar_set = QBarSet(name)
            bar_set.setColor(color)
            bar_set.setBorderColor(color)
            percents = [0.0 if s is None or not math.isfinite(s) else 100.0 * s for s in shares]
            bar_set.append(percents[::-1])  # the first label at the top
            top = max([top, *percents])
            series.append(bar_set)
        series.setBarWidth(0.8)
        series.hovered.connect(self._hovered)
        self.chart.addSeries(series)
        y_axis = QBarCategoryAxis()
        y_axis.append(list(labels)[::-1])
        x_axis = self._axis(_("Share, %"), "%.0f", 0.0, max(top * 1.1, 1.0))
        x_axis.applyNiceNumbers()
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(y_axis)
        series.attachAxis(x_axis)
        self.chart.legend().setReverseMarkers(True)  # region first, as in the bars

    def _hovered(self, on: bool, index: int, bar_set: QBarSet) -> None:
        if not on or self._args is None:
            QToolTip.hideText()
            return
        label = self._args["labels"][::-1][index]
        QToolTip.showText(QCursor.pos(), f"{bar_set.label()} — {label}: "
                                         f"{bar_set.at(index):.1f} %")


# -- adapters from the statistics tables ---------------------------------------------------
def region_display_name(code: str) -> str:
    """Return the official name of region ``code`` in the active language (else the code)."""
    from juvmap.io.gazetteer import get_gazetteer

    try:
        return get_gazetteer().name(code, get_language())
    except (KeyError, ValueError):
        return str(code)


def trend_inputs(incidents, code: str, denominator=None,
                 years: tuple[int, int] | None = None) -> dict:
    """Return ``TrendChart.set_data`` arguments for region ``code``.

    With a :class:`~juvmap.stats.rates.Denominator` the values are rates (the national
    rate pools every region's population); without one they are counts, beside the
    national mean per region.
    """
    from juvmap.io.gazetteer import get_gazetteer
    from juvmap.stats.trends import NATIONAL, yearly_counts, yearly_rates

    codes = list(get_gazetteer().table().index)
    counts = yearly_counts(incidents, codes=codes, years=years, national=True)
    if denominator is not None:
        table = yearly_rates(counts, denominator)
        national, national_name = table.loc[NATIONAL], None
        y_title = denominator.describe()
    else:
        table = counts.astype(float)
        national = table.loc[NATIONAL] / len(codes)
        national_name, y_title = _("Kazakhstan, mean per region"), _("Incidents")
    region = table.loc[code] if code in table.index else table.loc[NATIONAL] * math.nan
    return dict(years=[int(y) for y in table.columns], region=region.tolist(),
                national=national.tolist(), region_name=region_display_name(code),
                y_title=y_title, national_name=national_name)


def structure_inputs(shares, code: str, variable: str = "category") -> dict:
    """Return ``StructureChart.set_data`` arguments from ``structure_shares`` output.

    Values are ordered by their national share, largest first.
    """
    from juvmap.stats.trends import NATIONAL

    part = shares[shares["variable"] == variable]
    national = part[part["code"] == NATIONAL].set_index("value")["share"]
    region = part[part["code"] == code].set_index("value")["share"]
    order = list(national.sort_values(ascending=False, kind="stable").index)
    order += sorted(set(region.index) - set(order))
    return dict(labels=[value_label(variable, v) for v in order],
                region_shares=[float(region.get(v, 0.0)) for v in order],
                national_shares=[float(national.get(v, 0.0)) for v in order],
                region_name=region_display_name(code))


def heatmap_inputs(incidents, code: str | None = None, filter=None) -> dict:  # noqa: A002
    """Return ``HourWeekdayHeatmap.set_data`` arguments (weekday × hour counts).

    ``code`` restricts the incidents to one region (``None``: all of them).
    """
    from juvmap.stats.profiles import hour_weekday_table

    data = incidents if code is None else incidents[incidents["region"] == code]
    table = hour_weekday_table(data, filter=filter)
    return dict(table=table.to_numpy().T.copy(), weekday_labels=None)
