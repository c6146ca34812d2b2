"""The Layers and Analysis docks edit a MapSpec: one debounced signal per change, quiet set_spec."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from juvmap.i18n import get_language, set_language
from juvmap.mapping.spec import LAYER_KINDS, MapSpec
from juvmap.stats.filters import IncidentFilter

pytestmark = pytest.mark.qt

#: a spec with every field away from its default
OTHER = MapSpec(
    layers=("kde", "choropleth", "hotspots"), scheme="fisher_jenks", k=7, rate="spatial_eb", year=2023,
    base_year=2020, filter=IncidentFilter(years=(2021, 2023)), kde_radius=12345.0, kde_cell=750.0,
    kde_kernel="epanechnikov", kde_output="raw", kde_threshold=0.1, kde_ramp="magma", kde_opacity=0.35,
    hotspot_method="gi", peaks=3, settlements=False, background="/data/relief.tif", language="kk",
    title="A title",
)


def test_other_differs_from_the_default_in_every_field():
    default = MapSpec()
    assert all(getattr(OTHER, f.name) != getattr(default, f.name) for f in fields(MapSpec))


def _emissions(panel, signal="specChanged") -> list:
    got: list = []
    getattr(panel, signal).connect(lambda *args: got.append(args[0] if len(args) == 1 else args))
    return got


def _one_change(qtbot, panel, action, before: MapSpec) -> MapSpec:
    """Run ``action``; expect exactly one valid ``specChanged`` (after any debounce)."""
    got = _emissions(panel)
    with qtbot.waitSignal(panel.specChanged, timeout=2000):
        action()
    qtbot.wait(200)  # longer than the debounce: nothing else may follow
    assert len(got) == 1
    new = got[0]
    assert isinstance(new, MapSpec)
    new.validate()
    assert panel.spec() == new
    assert before != new
    return new


def _same_except(new: MapSpec, old: MapSpec, *names: str) -> None:
    assert replace(new, **{name: getattr(old, name) for name in names}) == old


@pytest.fixture
def language():
    start = get_language()
    yield set_language
    set_language(start)


# ---------------------------------------------------------------------------------- Layers
@pytest.fixture
def layers(qtbot):
    from juvmap.ui.docks.layers import LayersPanel

    panel = LayersPanel()
    qtbot.addWidget(panel)
    panel.set_spec(OTHER)
    return panel


def _item(panel, kind):
    items = [panel.list_layers.item(i) for i in range(panel.list_layers.count())]
    return next(item for item in items if item.data(Qt.ItemDataRole.UserRole) == kind)


def test_layers_set_spec_shows_everything_without_emitting(qtbot, layers):
    with qtbot.assertNotEmitted(layers.specChanged, wait=250):
        layers.set_spec(OTHER)
        layers.set_spec(MapSpec())
        layers.set_spec(OTHER)
    assert layers.spec() == OTHER
    assert set(layers.layer_order()) == set(LAYER_KINDS)
    assert layers.layer_order()[:3] == OTHER.layers
    assert _item(layers, "incidents").checkState() == Qt.CheckState.Unchecked
    assert layers.slider_kde_opacity.value() == 35
    assert not layers.check_settlements.isChecked()
    assert layers.label_background.text() == "relief.tif"
    assert layers.button_remove_background.isEnabled()


def test_ticking_a_layer_adds_it_at_its_list_position(qtbot, layers):
    new = _one_change(qtbot, layers, lambda: _item(layers, "incidents").setCheckState(Qt.CheckState.Checked), OTHER)
    assert new.layers == ("kde", "choropleth", "hotspots", "incidents")
    _same_except(new, OTHER, "layers")
    new = _one_change(qtbot, layers, lambda: _item(layers, "kde").setCheckState(Qt.CheckState.Unchecked), new)
    assert new.layers == ("choropleth", "hotspots", "incidents")


def test_dragging_and_moving_reorder_the_layers(qtbot, layers):
    model = layers.list_layers.model()  # a drop moves rows through the model like this
    new = _one_change(qtbot, layers, lambda: model.moveRow(QModelIndex(), 2, QModelIndex(), 0), OTHER)
    assert new.layers == ("hotspots", "kde", "choropleth")
    _same_except(new, OTHER, "layers")
    layers.list_layers.setCurrentRow(2)
    new = _one_change(qtbot, layers, layers.button_layer_up.click, new)
    assert new.layers == ("hotspots", "choropleth", "kde")
    layers.list_layers.setCurrentRow(0)
    new = _one_change(qtbot, layers, layers.button_layer_down.click, new)
    assert new.layers == ("choropleth", "hotspots", "kde")


def test_opacity_slider_is_debounced(qtbot, layers):
    def drag():
        for value in (40, 50, 60, 80):
            layers.slider_kde_opacity.setValue(value)

    new = _one_change(qtbot, layers, drag, OTHER)
    assert new.kde_opacity == pytest.approx(0.8)
    _same_except(new, OTHER, "kde_opacity")


def test_settlements_and_background(qtbot, layers):
    new = _one_change(qtbot, layers, layers.check_settlements.click, OTHER)
    assert new.settlements is True
    _same_except(new, OTHER, "settlements")
    new = _one_change(qtbot, layers, layers.button_remove_background.click, new)
    assert new.background is None
    assert not layers.button_remove_background.isEnabled()
    _same_except(new, OTHER, "settlements", "background")


def test_file_buttons_only_ask_the_main_window(qtbot, layers):
    for button, signal in ((layers.button_replace_regions, layers.replaceRegionsRequested),
                           (layers.button_reset_regions, layers.resetRegionsRequested),
                           (layers.button_background, layers.backgroundRequested)):
        with qtbot.waitSignal(signal, timeout=500), qtbot.assertNotEmitted(layers.specChanged):
            button.click()
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
def analysis(qtbot):
    from juvmap.ui.docks.analysis import AnalysisPanel

    panel = AnalysisPanel()
    qtbot.addWidget(panel)
    panel.set_spec(OTHER)
    return panel


def _child(panel, name):
    widget = panel.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def _choose(combo: QComboBox, key):
    return lambda: combo.setCurrentIndex(combo.findData(key))


@pytest.mark.parametrize(("name", "value", "field", "expected"), [
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
])
def test_each_control_changes_its_field(qtbot, analysis, name, value, field, expected):
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
    new = _one_change(qtbot, analysis, action, OTHER)
    assert getattr(new, field) == (pytest.approx(expected) if isinstance(expected, float) else expected)
    _same_except(new, OTHER, field)


def test_analysis_set_spec_round_trips_without_emitting(qtbot, analysis):
    with qtbot.assertNotEmitted(analysis.specChanged, wait=250):
        analysis.set_spec(MapSpec())
        analysis.set_spec(OTHER)
    assert analysis.spec() == OTHER
    shown = {
        "combo_rate": "spatial_eb", "combo_scheme": "fisher_jenks", "combo_kde_kernel": "epanechnikov",
        "combo_kde_output": "raw", "combo_kde_ramp": "magma", "combo_hotspot_method": "gi",
    }
    for name, key in shown.items():
        assert _child(analysis, name).currentData() == key
    assert analysis.spin_k.value() == 7 and analysis.spin_k.isEnabled()
    assert analysis.spin_kde_radius.value() == pytest.approx(12.345)
    assert not analysis.check_kde_radius_auto.isChecked()
    assert analysis.spin_kde_cell.value() == pytest.approx(0.75)
    assert analysis.spin_kde_threshold.value() == 10
    assert analysis.spin_peaks.value() == 3
    assert not analysis.combo_alpha.isEnabled()  # Gi* has fixed 90/95/99 % classes
    # an untouched control does not round a value: a change elsewhere keeps kde_radius exact
    new = _one_change(qtbot, analysis, _choose(analysis.combo_rate, "raw"), OTHER)
    assert new.kde_radius == 12345.0


def test_box_map_disables_k_and_spins_coalesce_with_a_combo(qtbot, analysis):
    def action():
        analysis.spin_peaks.setValue(5)
        analysis.combo_scheme.setCurrentIndex(analysis.combo_scheme.findData("box_plot"))

    new = _one_change(qtbot, analysis, action, OTHER)
    assert (new.scheme, new.peaks, new.k) == ("box_plot", 5, 7)
    assert not analysis.spin_k.isEnabled()
    assert analysis.combo_scheme.findData("user_defined") == -1  # a MapSpec has no breaks


def test_suggested_radius(qtbot, analysis):
    analysis.set_spec(MapSpec())
    with qtbot.assertNotEmitted(analysis.specChanged, wait=200):
        analysis.set_suggested_radius(8765.4)
    assert "8.8" in analysis.label_kde_suggested.text()
    assert analysis.spin_kde_radius.value() == pytest.approx(8.765)
    assert not analysis.spin_kde_radius.isEnabled()
    new = _one_change(qtbot, analysis, lambda: analysis.check_kde_radius_auto.setChecked(False), MapSpec())
    assert new.kde_radius == 8765.0
    assert analysis.spin_kde_radius.isEnabled()
    _same_except(new, MapSpec(), "kde_radius")


def test_denominator_and_significance_are_separate_signals(qtbot, analysis):
    with qtbot.assertNotEmitted(analysis.denominatorChanged), qtbot.assertNotEmitted(analysis.significanceChanged):
        analysis.set_denominator("residents")
        analysis.set_significance(0.01, True)
    assert analysis.denominator() == "residents"
    assert analysis.significance() == (0.01, True)
    with qtbot.waitSignal(analysis.denominatorChanged, timeout=500) as blocker, \
            qtbot.assertNotEmitted(analysis.specChanged, wait=200):
        analysis.combo_denominator.setCurrentIndex(analysis.combo_denominator.findData("juvenile"))
    assert blocker.args == ["juvenile"]
    with qtbot.waitSignal(analysis.significanceChanged, timeout=500) as blocker:
        analysis.check_fdr.setChecked(False)
    assert blocker.args == [pytest.approx(0.01), False]
    with qtbot.waitSignal(analysis.significanceChanged, timeout=500) as blocker:
        analysis.combo_alpha.setCurrentIndex(0)
    assert blocker.args == [pytest.approx(0.10), False]


def test_analysis_retranslate(analysis, language):
    language("en")
    analysis.retranslate()
    english = analysis.kde_box.title(), analysis.combo_scheme.itemText(0)
    language("ru")
    analysis.retranslate()
    assert (analysis.kde_box.title(), analysis.combo_scheme.itemText(0)) == ("Плотность ядра", "Квантили")
    assert english == ("Kernel density", "Quantiles")
    assert analysis.combo_scheme.currentData() == "fisher_jenks"  # the choice survives
