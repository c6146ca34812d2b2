"""The funnel plot and the evaluation panel: plain data in, clicks and results out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from juvmap import i18n
from juvmap.errors import AnalysisError

pytestmark = pytest.mark.qt


@pytest.fixture
def funnel_data():
    from juvmap.stats.funnel import funnel_limits, funnel_points

    population = pd.Series([50_000.0, 200_000, 800_000, 30_000], index=["A", "B", "C", "S"])
    counts = pd.Series([10, 50, 400, 3], index=population.index)  # S: 3 incidents, never drawn
    points = funnel_points(counts, population)
    limits = funnel_limits(np.geomspace(20_000, 1_000_000, 50), points.attrs["reference_rate"] / 1e4)
    return points, limits


def test_funnel_click_emits_the_region_and_hides_small_counts(qtbot, funnel_data, tmp_path):
    from PySide6.QtCore import QPoint, Qt

    from juvmap.ui.funnel_plot import FunnelPlot

    points, limits = funnel_data
    plot = FunnelPlot()
    qtbot.addWidget(plot)
    plot.set_data(points, limits, names={"C": "Almaty"}, unit="per 10,000")
    plot.resize(600, 420)
    plot.show()
    assert plot.grab().save(str(tmp_path / "funnel.png"))
    codes = [code for code, _point in plot._screen]
    assert sorted(codes) == ["A", "B", "C"] and plot._hidden == 1
    target = dict(plot._screen)["C"]
    with qtbot.waitSignal(plot.regionClicked, timeout=1000) as signal:
        qtbot.mouseClick(plot, Qt.MouseButton.LeftButton, pos=QPoint(round(target.x()), round(target.y())))
    assert signal.args == ["C"] and plot._selected == "C"


def _result(demo, request):
    from juvmap.stats.evaluation import evaluate

    region = demo["region"].astype(str).to_numpy()
    masks = {"T": np.isin(region, request["treated"]), "C": np.isin(region, request["control"])}
    return evaluate(demo["date"], masks, request["before"], request["after"])


def test_evaluation_panel_runs_the_callback_and_shows_the_verdict(qtbot, demo):
    from juvmap.ui.docks.evaluation import EvaluationPanel

    i18n.set_language("en")
    requests = []

    def callback(request):
        requests.append(request)
        return _result(demo, request)

    panel = EvaluationPanel([("KZ-75", "Almaty"), ("KZ-71", "Astana")], range(2019, 2024), callback)
    qtbot.addWidget(panel)
    panel.run()
    assert "treated" in panel.verdict.text().lower() and not requests  # nothing chosen yet
    panel.choose("treated", ["KZ-75"])
    panel.choose("control", ["KZ-71"])
    panel.set_periods((2019, 2021), (2022, 2023))
    panel.run()
    assert requests[-1] == {"treated": ["KZ-75"], "control": ["KZ-71"], "displacement": [],
                            "displacement_control": [], "before": (2019, 2021), "after": (2022, 2023)}
    english = panel.verdict.text()
    assert "control area" in english and panel.figures.rowCount() >= 5
    i18n.set_language("ru")
    try:
        panel.retranslate()
        assert "контрольн" in panel.verdict.text() and panel.run_button.text() == "Оценить"
    finally:
        i18n.set_language("en")


def test_evaluation_panel_shows_typed_errors(qtbot):
    from juvmap.ui.docks.evaluation import EvaluationPanel

    def failing(request):
        raise AnalysisError("no data here")

    panel = EvaluationPanel([("KZ-75", "Almaty"), ("KZ-71", "Astana")], [2020, 2021, 2022], failing)
    qtbot.addWidget(panel)
    panel.choose("treated", ["KZ-75"])
    panel.choose("control", ["KZ-71"])
    panel.run()
    assert panel.verdict.text() == "no data here" and panel.figures.rowCount() == 0
