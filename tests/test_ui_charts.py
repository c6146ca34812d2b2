"""The Region dock's charts render real data of the synthetic demo layer."""

from __future__ import annotations

import gettext
import math

import numpy as np
import pytest

from juvmap import i18n

pytestmark = pytest.mark.qt
REGION = "KZ-75"  # Almaty city


class MarkedCatalog(gettext.NullTranslations):
    """A stand-in Kazakh catalog: every message comes back marked."""

    def gettext(self, message: str) -> str:
        return "«kk» " + message


def rendered(widget, path, size=(380, 260)) -> np.ndarray:
    """Grab ``widget`` to a PNG and return its pixels (H × W × RGB)."""
    from PySide6.QtGui import QImage

    widget.resize(*size)
    widget.show()
    assert widget.grab().save(str(path))
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                              image.bytesPerLine())
    return rows[:, : 3 * image.width()].reshape(image.height(), image.width(), 3).copy()


def has_color(pixels: np.ndarray, color, tolerance: int = 12) -> bool:
    target = np.array([color.red(), color.green(), color.blue()])
    return bool((np.abs(pixels.astype(int) - target).max(axis=2) <= tolerance).any())


def distinct_colors(pixels: np.ndarray) -> int:
    return len(np.unique(pixels.reshape(-1, 3), axis=0))


def test_trend_chart_draws_the_region_beside_the_nation(qtbot, demo, tmp_path, english):
    from juvmap.io.builtin import juvenile_population
    from juvmap.stats.rates import Denominator
    from juvmap.ui.charts import NATIONAL_COLOR, REGION_COLOR, TrendChart, trend_inputs

    args = trend_inputs(demo, REGION, Denominator.from_table(juvenile_population()))
    assert args["years"] == [2019, 2020, 2021, 2022, 2023]
    assert args["region_name"] == "Almaty City"
    assert all(math.isfinite(v) and v > 0 for v in args["region"] + args["national"])
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.set_data(**args)
    pixels = rendered(chart, tmp_path / "trend.png")
    assert distinct_colors(pixels) > 20
    assert has_color(pixels, REGION_COLOR) and has_color(pixels, NATIONAL_COLOR)
    assert chart.chart.title().startswith("per 10,000 residents")


def test_trend_chart_leaves_gaps_for_missing_years(qtbot, english):
    from juvmap.ui.charts import TrendChart

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.set_data([2019, 2020, 2021, 2022], [1.0, math.nan, 3.0, 2.0], [2.0] * 4,
                   "Region", "Incidents")
    chart.show()
    series = chart.chart.series()
    assert [s.count() for s in series] == [1, 2, 4]  # two runs of the region, then national
    visible = [m for m in chart.chart.legend().markers() if m.isVisible()]
    assert [m.label() for m in visible] == ["Region", "Kazakhstan"]


def test_structure_chart_compares_shares(qtbot, demo, tmp_path, english):
    from juvmap.stats.profiles import structure_shares
    from juvmap.ui.charts import REGION_COLOR, StructureChart, structure_inputs

    args = structure_inputs(structure_shares(demo, ["category"]), REGION)
    assert args["labels"][0] == "Property"  # the largest national share first
    assert sum(args["region_shares"]) == pytest.approx(1.0)
    assert sum(args["national_shares"]) == pytest.approx(1.0)
    chart = StructureChart()
    qtbot.addWidget(chart)
    chart.set_data(**args)
    pixels = rendered(chart, tmp_path / "structure.png", (380, 300))
    assert distinct_colors(pixels) > 20 and has_color(pixels, REGION_COLOR)
    axis_labels = chart.chart.axes()[0].categories()
    assert axis_labels[-1] == "Property" and len(axis_labels) == len(args["labels"])


def test_heatmap_paints_the_week_and_suppresses_small_counts(qtbot, demo, tmp_path,
                                                            monkeypatch, english):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication

    from juvmap.stats.filters import incident_hours
    from juvmap.ui import heatmap
    from juvmap.ui.charts import HourWeekdayHeatmap, heatmap_inputs

    args = heatmap_inputs(demo, REGION)
    table = args["table"]
    region = demo[demo["region"] == REGION]
    assert table.shape == (7, 24)
    assert table.sum() == incident_hours(region).notna().sum()
    widget = HourWeekdayHeatmap()
    qtbot.addWidget(widget)
    widget.set_data(**args)
    pixels = rendered(widget, tmp_path / "heatmap.png", (360, 160))
    assert distinct_colors(pixels) > 10
    assert has_color(pixels, heatmap.RAMP[0], 2) and has_color(pixels, heatmap.RAMP[-1], 2)

    day, hour = (int(i) for i in np.argwhere(table == 3)[0])
    shown = []
    monkeypatch.setattr(heatmap.QToolTip, "showText",
                        lambda pos, text, *a: shown.append(text))
    pos = widget.cell_center(day, hour)
    assert widget.cell_at(pos) == (day, hour)
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos)))
    assert shown and shown[-1].endswith(": <5")
    assert shown[-1].startswith(heatmap.weekday_names("en")[day])
    x, y = pos.x(), pos.y()
    assert tuple(pixels[y, x]) == (heatmap.RAMP[0].red(), heatmap.RAMP[0].green(),
                                   heatmap.RAMP[0].blue())
    busiest = np.unravel_index(table.argmax(), table.shape)
    assert widget.tooltip_at(*busiest).endswith(f": {table.max()}")


def test_cleared_charts_say_no_data(qtbot, english):
    from juvmap.ui.charts import HourWeekdayHeatmap, StructureChart, TrendChart

    for widget in (TrendChart(), StructureChart(), HourWeekdayHeatmap()):
        qtbot.addWidget(widget)
        assert widget.is_empty
    trend = TrendChart()
    qtbot.addWidget(trend)
    trend.set_data([2020, 2021], [1.0, 2.0], [1.5, 1.5], "Region", "Incidents")
    assert not trend.is_empty and trend.stack.currentWidget() is trend.view
    trend.clear()
    assert trend.is_empty and trend.stack.currentWidget() is trend.empty_label
    assert trend.empty_label.text() == "No data" and trend.chart.series() == []
    trend.set_data([2020], [math.nan], [math.nan], "Region", "Incidents")
    assert trend.is_empty


def test_charts_retranslate_when_the_language_changes(qtbot, monkeypatch, english):
    from juvmap.ui.charts import HourWeekdayHeatmap, TrendChart

    trend = TrendChart()
    heat = HourWeekdayHeatmap()
    qtbot.addWidget(trend)
    qtbot.addWidget(heat)
    trend.set_data([2020, 2021], [1.0, 2.0], [1.5, 1.5], "Region", "Incidents")
    table = np.zeros((7, 24))
    table[0, 10] = 3
    heat.set_data(table)
    assert heat.tooltip_at(0, 10) == "Mon 10:00–11:00: <5"
    monkeypatch.setitem(i18n._translations, "kk", MarkedCatalog())
    i18n.set_language("kk")
    trend.retranslate()
    heat.retranslate()
    assert trend.empty_label.text() == "«kk» No data"
    assert trend.chart.axes()[0].titleText() == "«kk» Year"
    assert heat.tooltip_at(0, 10) == "«kk» дс 10:00–11:00: <5"
