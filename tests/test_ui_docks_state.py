"""The Layers and Analysis docks bind to the one AppState: each control sets its own field (once,
after any debounce), and every change of a field, from anywhere, shows in its control."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from juvmap.i18n import get_language, set_language
from juvmap.mapping.spec import LAYER_KINDS
from juvmap.state import AppState

pytestmark = pytest.mark.qt

#: every field the two docks edit, away from its default
OTHER = dict(
    layers=("kde", "choropleth", "hotspots"), scheme="fisher_jenks", k=7, rate="spatial_eb",
    kde_radius=12345.0, kde_cell=750.0, kde_kernel="epanechnikov", kde_output="raw", kde_threshold=0.1,
    kde_ramp="magma", kde_opacity=0.35, hotspot_method="gi", peaks=3, settlements=False,
    background="/data/relief.tif", denominator="residents", alpha=0.01, fdr=True,
)


def test_other_differs_from_the_default_in_every_field():
    default = AppState()
    assert all(getattr(default, name) != value for name, value in OTHER.items())


@pytest.fixture
def state() -> AppState:
    st = AppState(mode="incidents")
    st.update(**OTHER)
    return st


def _changes(qtbot, state, action) -> list[tuple[str, object]]:
    """Run ``action``; return the state's field events once any debounce is over."""
    got: list[tuple[str, object]] = []
    state.events.all.connect(lambda info: got.append((info.signal.name, info.args[0])))
    action()
    qtbot.waitUntil(lambda: bool(got), timeout=2000)
    qtbot.wait(250)  # longer than the debounce: nothing else may follow
    return got


@pytest.fixture
def language():
    start = get_language()
    yield set_language
    set_language(start)


# ---------------------------------------------------------------------------------- Layers
@pytest.fixture
def layers(qtbot, state):
    from juvmap.ui.docks.layers import LayersPanel

    panel = LayersPanel()
    qtbot.addWidget(panel)
    panel.bind(state)
    return panel


def _item(panel, kind):
    items = [panel.list_layers.item(i) for i in range(panel.list_layers.count())]
    return next(item for item in items if item.data(Qt.ItemDataRole.UserRole) == kind)


def test_layers_show_the_state_and_follow_it(qtbot, layers, state):
    assert set(layers.layer_order()) == set(LAYER_KINDS)
    assert layers.layer_order()[:3] == OTHER["layers"]
    assert _item(layers, "incidents").checkState() == Qt.CheckState.Unchecked
    assert layers.slider_kde_opacity.value() == 35
    assert not layers.check_settlements.isChecked()
    assert layers.label_background.text() == "relief.tif"
    got: list = []
    state.events.all.connect(lambda info: got.append(info.signal.name))
    state.update(settlements=True, kde_opacity=0.5, layers=("choropleth",))  # set elsewhere
    qtbot.wait(250)
    assert got == ["layers", "kde_opacity", "settlements"] or sorted(got) == ["kde_opacity", "layers", "settlements"]
    assert layers.check_settlements.isChecked() and layers.slider_kde_opacity.value() == 50
    assert _item(layers, "kde").checkState() == Qt.CheckState.Unchecked


def test_ticking_a_layer_adds_it_at_its_list_position(qtbot, layers, state):
    got = _changes(qtbot, state, lambda: _item(layers, "incidents").setCheckState(Qt.CheckState.Checked))
    assert got == [("layers", ("kde", "choropleth", "hotspots", "incidents"))]
    got = _changes(qtbot, state, lambda: _item(layers, "kde").setCheckState(Qt.CheckState.Unchecked))
    assert got == [("layers", ("choropleth", "hotspots", "incidents"))]


def test_dragging_and_moving_reorder_the_layers(qtbot, layers, state):
    model = layers.list_layers.model()  # a drop moves rows through the model like this
    assert _changes(qtbot, state, lambda: model.moveRow(QModelIndex(), 2, QModelIndex(), 0)) == [
        ("layers", ("hotspots", "kde", "choropleth"))]
    layers.list_layers.setCurrentRow(2)
    assert _changes(qtbot, state, layers.button_layer_up.click) == [("layers", ("hotspots", "choropleth", "kde"))]


def test_opacity_slider_is_debounced(qtbot, layers, state):
    def drag():
        for value in (40, 50, 60, 80):
            layers.slider_kde_opacity.setValue(value)

    got = _changes(qtbot, state, drag)
    assert len(got) == 1 and got[0][0] == "kde_opacity" and got[0][1] == pytest.approx(0.8)


def test_settlements_and_background(qtbot, layers, state):
    assert _changes(qtbot, state, layers.check_settlements.click) == [("settlements", True)]
    assert _changes(qtbot, state, layers.button_remove_background.click) == [("background", None)]
    assert not layers.button_remove_background.isEnabled()


def test_file_buttons_only_ask_the_main_window(qtbot, layers, state):
    got: list = []
    state.events.all.connect(lambda info: got.append(info))
    for button, signal in ((layers.button_replace_regions, layers.replaceRegionsRequested),
                           (layers.button_reset_regions, layers.resetRegionsRequested),
                           (layers.button_background, layers.backgroundRequested)):
        with qtbot.waitSignal(signal, timeout=500):
            button.click()
    assert got == []
    layers.set_region_source("my_districts.gpkg")
    assert layers.label_region_source.text() == "my_districts.gpkg"


def test_layers_retranslate(layers, language):
    language("en")
    layers.retranslate()
    english = layers.layers_box.title(), _item(layers, "kde").text()
    language("ru")
    layers.retranslate()
    assert (layers.layers_box.title(), _item(layers, "kde").text()) != english
    assert _item(layers, "kde").text() == "Плотность ядра"


# ---------------------------------------------------------------------------------- Analysis
@pytest.fixture
def analysis(qtbot, state):
    from juvmap.ui.docks.analysis import AnalysisPanel

    panel = AnalysisPanel()
    qtbot.addWidget(panel)
    panel.bind(state)
    return panel


def _child(panel, name):
    widget = panel.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def _choose(combo: QComboBox, key):
    return lambda: combo.setCurrentIndex(combo.findData(key))


@pytest.mark.parametrize(("name", "value", "field", "expected"), [
    ("combo_level", "districts", "level", "districts"),
    ("combo_denominator", "juvenile", "denominator", "juvenile"),
    ("combo_rate", "eb", "rate", "eb"),
    ("combo_scheme", "box_plot", "scheme", "box_plot"),
    ("spin_k", 4, "k", 4),
    ("combo_kde_kernel", "gaussian", "kde_kernel", "gaussian"),
    ("combo_kde_output", "density", "kde_output", "density"),
    ("combo_kde_ramp", "plasma", "kde_ramp", "plasma"),
    ("spin_kde_radius", 2.5, "kde_radius", 2500.0),
    ("spin_kde_cell", 0.25, "kde_cell", 250.0),
    ("check_kde_radius_auto", True, "kde_radius", None),
    ("check_kde_cell_auto", True, "kde_cell", None),
    ("spin_kde_threshold", 20, "kde_threshold", 0.2),
    ("combo_hotspot_method", "lisa", "hotspot_method", "lisa"),
    ("spin_peaks", 0, "peaks", 0),
    ("check_fdr", False, "fdr", False),
])
def test_each_control_changes_its_field_once(qtbot, analysis, state, name, value, field, expected):
    widget = _child(analysis, name)
    if isinstance(widget, QComboBox):
        action = _choose(widget, value)
    elif isinstance(widget, QCheckBox):
        def action():
            widget.setChecked(value)
    else:
        def action():  # typing a value passes through intermediate ones
            widget.setValue(widget.value() + widget.singleStep())
            widget.setValue(value)
    got = _changes(qtbot, state, action)
    assert len(got) == 1 and got[0][0] == field
    assert got[0][1] == (pytest.approx(expected) if isinstance(expected, float) else expected)


def test_the_significance_level_is_a_field_of_the_analysis(qtbot, analysis, state):
    state.hotspot_method = "lisa"
    qtbot.wait(50)
    assert analysis.combo_alpha.isEnabled()
    assert _changes(qtbot, state, lambda: analysis.combo_alpha.setCurrentIndex(0)) == [("alpha", 0.10)]
    assert state.request().alpha == 0.10 and state.request().fdr is True


def test_analysis_shows_the_state(qtbot, analysis, state):
    shown = {
        "combo_rate": "spatial_eb", "combo_scheme": "fisher_jenks", "combo_kde_kernel": "epanechnikov",
        "combo_kde_output": "raw", "combo_kde_ramp": "magma", "combo_hotspot_method": "gi",
        "combo_denominator": "residents",
    }
    for name, key in shown.items():
        assert _child(analysis, name).currentData() == key
    assert analysis.spin_k.value() == 7 and analysis.spin_k.isEnabled()
    assert analysis.spin_kde_radius.value() == pytest.approx(12.345)
    assert not analysis.check_kde_radius_auto.isChecked()
    assert analysis.spin_kde_cell.value() == pytest.approx(0.75)
    assert analysis.spin_kde_threshold.value() == 10
    assert analysis.spin_peaks.value() == 3 and analysis.check_fdr.isChecked()
    assert not analysis.combo_alpha.isEnabled()  # Gi* has fixed 90/95/99 % classes
    # an untouched control does not round a value: a change elsewhere keeps kde_radius exact
    _changes(qtbot, state, _choose(analysis.combo_rate, "raw"))
    assert state.kde_radius == 12345.0


def test_k_survives_a_quick_change_in_another_dock(qtbot, analysis, layers, state):
    """The k = 7 race: a pending spin-box edit is not lost when another field changes meanwhile."""
    state.k = 5
    qtbot.wait(50)
    analysis.spin_k.setValue(6)
    analysis.spin_k.setValue(7)   # still inside the 150 ms pause
    layers.check_settlements.click()
    qtbot.wait(400)
    assert state.k == 7 and analysis.spin_k.value() == 7
    assert state.settlements is True


def test_box_map_disables_k(qtbot, analysis, state):
    _changes(qtbot, state, _choose(analysis.combo_scheme, "box_plot"))
    assert not analysis.spin_k.isEnabled() and state.k == 7
    assert analysis.combo_scheme.findData("user_defined") == -1


def test_suggested_radius(qtbot, analysis, state):
    state.kde_radius = None
    got: list = []
    state.events.all.connect(lambda info: got.append(info))
    analysis.set_suggested_radius(8765.4)
    qtbot.wait(200)
    assert got == []
    assert "8.8" in analysis.label_kde_suggested.text() or "8,8" in analysis.label_kde_suggested.text()
    assert analysis.spin_kde_radius.value() == pytest.approx(8.765)
    assert not analysis.spin_kde_radius.isEnabled()
    assert _changes(qtbot, state, lambda: analysis.check_kde_radius_auto.setChecked(False)) == [
        ("kde_radius", 8765.0)]
    assert analysis.spin_kde_radius.isEnabled()


def test_analysis_retranslate(analysis, language):
    language("en")
    analysis.retranslate()
    english = analysis.kde_box.title(), analysis.combo_scheme.itemText(0)
    language("ru")
    analysis.retranslate()
    assert (analysis.kde_box.title(), analysis.combo_scheme.itemText(0)) == ("Плотность ядра", "Квантили")
    assert english == ("Kernel density", "Quantiles")
    assert analysis.combo_scheme.currentData() == "fisher_jenks"  # the choice survives
