"""The Analysis dock: denominator, rate, classification, kernel density and hot-spot settings.

A thin binding of fields of the :class:`~juvmap.state.AppState` (:meth:`AnalysisPanel.bind`):
each control sets its own field (spin boxes after a 150 ms pause), and every field change,
from whatever source, is shown in its control. No copy of the settings is kept here.
Each control's object name is ``<kind>_<field>`` (``combo_scheme``, ``spin_k`` …).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from juvmap.i18n import N_, _
from juvmap.mapping.density_layer import RAMPS
from juvmap.analysis.request import HOTSPOT_METHODS, RATE_KINDS
from juvmap.state import AppState
from juvmap.stats.classify import SCHEMES
from juvmap.stats.kernels import KERNEL_LABELS, KERNELS, OUTPUT_UNITS, OUTPUTS
from juvmap.ui.widgets import DistanceSpinBox

LEVEL_LABELS: dict[str, str] = {
    "regions": N_("20 regions"),
    "districts": N_("224 districts"),
    "user": N_("Your area layer"),
}
DENOMINATORS: dict[str, str] = {
    "juvenile": N_("Aged 0–17, per 10,000 (estimate)"),
    "residents": N_("All residents, per 100,000"),
}
RATE_LABELS: dict[str, str] = {
    "raw": N_("Crude rate"),
    "eb": N_("Empirical Bayes"),
    "spatial_eb": N_("Spatial empirical Bayes"),
}
HOTSPOT_LABELS: dict[str, str] = {
    "lisa": N_("Local Moran (LISA quadrants)"),
    "gi": N_("Getis-Ord Gi*"),
}
#: schemes offered; "user_defined" needs breaks, which the panel cannot edit
OFFERED_SCHEMES = tuple(s for s in SCHEMES if s != "user_defined")
ALPHAS = (0.10, 0.05, 0.01)


def _combo(name: str, keys: tuple[str, ...] | list) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # never elided
    for key in keys:
        combo.addItem(str(key), key)
    return combo


def _km_spin(name: str, low: float, high: float, step: float) -> DistanceSpinBox:
    spin = DistanceSpinBox()  # locale's number format and «км»
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setDecimals(3)
    spin.setSingleStep(step)
    spin.setKeyboardTracking(False)
    return spin


class AnalysisPanel(QScrollArea):
    """Edits the analysis fields of an :class:`~juvmap.state.AppState`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysis-panel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self.state = AppState()
        self._pending: dict = {}
        self._suggested: float | None = None
        self._labels: dict[str, QLabel] = {}

        self.rate_box, form = self._group(layout)
        self.combo_level = _combo("combo_level", ("regions", "districts"))  # "user" once a layer is loaded
        self._row(form, "level", self.combo_level)
        self.combo_denominator = _combo("combo_denominator", tuple(DENOMINATORS))
        self.combo_rate = _combo("combo_rate", RATE_KINDS)
        self.combo_scheme = _combo("combo_scheme", OFFERED_SCHEMES)
        self.spin_k = QSpinBox()
        self.spin_k.setObjectName("spin_k")
        self.spin_k.setRange(2, 9)
        self._row(form, "denominator", self.combo_denominator)
        self._row(form, "rate", self.combo_rate)
        self._row(form, "scheme", self.combo_scheme)
        self._row(form, "k", self.spin_k)

        self.kde_box, form = self._group(layout)
        self.combo_kde_kernel = _combo("combo_kde_kernel", KERNELS)
        self.combo_kde_output = _combo("combo_kde_output", OUTPUTS)
        self.spin_kde_radius = _km_spin("spin_kde_radius", 0.1, 500.0, 1.0)
        self.spin_kde_radius.setValue(10.0)
        self.check_kde_radius_auto = QCheckBox()
        self.check_kde_radius_auto.setObjectName("check_kde_radius_auto")
        self.label_kde_suggested = QLabel()
        self.label_kde_suggested.setObjectName("label_kde_suggested")
        self.spin_kde_cell = _km_spin("spin_kde_cell", 0.01, 50.0, 0.25)
        self.spin_kde_cell.setValue(0.5)
        self.check_kde_cell_auto = QCheckBox()
        self.check_kde_cell_auto.setObjectName("check_kde_cell_auto")
        self.combo_kde_ramp = _combo("combo_kde_ramp", RAMPS)
        self.spin_kde_threshold = QSpinBox()
        self.spin_kde_threshold.setObjectName("spin_kde_threshold")
        self.spin_kde_threshold.setRange(0, 99)
        self.spin_kde_threshold.setSuffix(" %")
        self._row(form, "kernel", self.combo_kde_kernel)
        self._row(form, "output", self.combo_kde_output)
        self._row(form, "radius", _pair(self.spin_kde_radius, self.check_kde_radius_auto))
        form.addRow("", self.label_kde_suggested)
        self._row(form, "cell", _pair(self.spin_kde_cell, self.check_kde_cell_auto))
        self._row(form, "ramp", self.combo_kde_ramp)
        self._row(form, "threshold", self.spin_kde_threshold)

        self.hotspot_box, form = self._group(layout)
        self.combo_hotspot_method = _combo("combo_hotspot_method", HOTSPOT_METHODS)
        self.spin_peaks = QSpinBox()
        self.spin_peaks.setObjectName("spin_peaks")
        self.spin_peaks.setRange(0, 50)
        self.combo_alpha = _combo("combo_alpha", [f"{a:.2f}" for a in ALPHAS])
        self.combo_alpha.setCurrentIndex(ALPHAS.index(0.05))
        self.check_fdr = QCheckBox()
        self.check_fdr.setObjectName("check_fdr")
        self._row(form, "method", self.combo_hotspot_method)
        self._row(form, "peaks", self.spin_peaks)
        self._row(form, "alpha", self.combo_alpha)
        form.addRow("", self.check_fdr)
        layout.addStretch(1)

        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._flush)
        self.combo_level.currentIndexChanged.connect(lambda: self._set_now(level=self.combo_level.currentData()))
        self.combo_denominator.currentIndexChanged.connect(
            lambda: self._set_now(denominator=self.combo_denominator.currentData()))
        self.combo_rate.currentIndexChanged.connect(lambda: self._set_now(rate=self.combo_rate.currentData()))
        self.combo_scheme.currentIndexChanged.connect(lambda: self._set_now(scheme=self.combo_scheme.currentData()))
        self.spin_k.valueChanged.connect(lambda v: self._set_later(k=int(v)))
        self.combo_kde_kernel.currentIndexChanged.connect(
            lambda: self._set_now(kde_kernel=self.combo_kde_kernel.currentData()))
        self.combo_kde_output.currentIndexChanged.connect(
            lambda: self._set_now(kde_output=self.combo_kde_output.currentData()))
        self.combo_kde_ramp.currentIndexChanged.connect(
            lambda: self._set_now(kde_ramp=self.combo_kde_ramp.currentData()))
        self.spin_kde_radius.valueChanged.connect(lambda v: self._set_later(kde_radius=_metres(v)))
        self.spin_kde_cell.valueChanged.connect(lambda v: self._set_later(kde_cell=_metres(v)))
        self.check_kde_radius_auto.toggled.connect(self._radius_auto_toggled)
        self.check_kde_cell_auto.toggled.connect(self._cell_auto_toggled)
        self.spin_kde_threshold.valueChanged.connect(lambda v: self._set_later(kde_threshold=v / 100))
        self.combo_hotspot_method.currentIndexChanged.connect(
            lambda: self._set_now(hotspot_method=self.combo_hotspot_method.currentData()))
        self.spin_peaks.valueChanged.connect(lambda v: self._set_later(peaks=int(v)))
        self.combo_alpha.currentIndexChanged.connect(
            lambda i: self._set_now(alpha=ALPHAS[max(i, 0)]))
        self.check_fdr.toggled.connect(lambda on: self._set_now(fdr=bool(on)))
        self._show()
        self.retranslate()

    def bind(self, state: AppState) -> None:
        """Edit and show the fields of ``state``."""
        self.state = state
        state.events.all.connect(self._on_state)
        self._show()

    # ------------------------------------------------------------------ layout
    def _group(self, layout: QVBoxLayout) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox()
        layout.addWidget(box)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # label above: fields get the width
        return box, form

    def _row(self, form: QFormLayout, key: str, widget: QWidget) -> None:
        label = QLabel()
        label.setObjectName(f"label_{key}")
        self._labels[key] = label
        form.addRow(label, widget)

    def retranslate(self) -> None:
        """Set every text in the active language."""
        self.rate_box.setTitle(_("Rate"))
        self.kde_box.setTitle(_("Kernel density"))
        self.hotspot_box.setTitle(_("Hot spots"))
        titles = {
            "level": _("Areas"), "denominator": _("Denominator"), "rate": _("Rate"), "scheme": _("Classification"),
            "k": _("Classes"), "kernel": _("Kernel"), "output": _("Output"), "radius": _("Radius"),
            "cell": _("Cell size"), "ramp": _("Colours"), "threshold": _("Hide below"),
            "method": _("Method"), "peaks": _("Peaks"), "alpha": _("Significance level"),
        }
        for key, label in self._labels.items():
            label.setText(titles[key])
        for combo, labels in (
            (self.combo_level, LEVEL_LABELS), (self.combo_denominator, DENOMINATORS),
            (self.combo_rate, RATE_LABELS),
            (self.combo_scheme, {key: scheme.label for key, scheme in SCHEMES.items()}),
            (self.combo_kde_kernel, KERNEL_LABELS), (self.combo_kde_output, OUTPUT_UNITS),
            (self.combo_hotspot_method, HOTSPOT_LABELS),
        ):
            for i in range(combo.count()):
                key = combo.itemData(i)
                combo.setItemText(i, _(labels[key]) if key in labels else str(key))
        self.spin_kde_radius.retranslate(), self.spin_kde_cell.retranslate()
        self.check_kde_radius_auto.setText(_("suggested"))
        self.check_kde_cell_auto.setText(_("auto"))
        self.check_fdr.setText(_("False discovery rate correction"))
        self.combo_alpha.setToolTip(_("Local Moran only; Gi* shows confidence 90, 95 and 99%."))
        for widget, tip in (
            (self.combo_denominator, _("Population the rate is computed on: residents aged 0–17 "
                                       "(estimate) per 10,000, or all residents per 100,000.")),
            (self.combo_rate, _("Crude rate as observed, or smoothed towards the national rate "
                                "(Empirical Bayes) or the neighbours' rate (spatial EB).")),
            (self.combo_scheme, _("How the rates are grouped into colour classes.")),
            (self.combo_level, _("The areas counted: the 20 regions, or the 224 districts (per 100,000 residents: "
                                 "no juvenile population is published by district).")),
            (self.spin_k, _("Number of colour classes on the map.")),
            (self.combo_kde_kernel, _("Shape of the bump each incident spreads over its radius.")),
            (self.combo_kde_output, _("Unit of the density surface.")),
            (self.spin_kde_radius, _("Distance over which each incident counts: larger is smoother.")),
            (self.check_kde_radius_auto, _("Use the radius suggested from the spread of the points.")),
            (self.spin_kde_cell, _("Side of the grid cells of the density surface.")),
            (self.check_kde_cell_auto, _("Choose the cell size from the radius and the extent.")),
            (self.combo_kde_ramp, _("Colour ramp of the density surface.")),
            (self.spin_kde_threshold, _("Leave the lowest density values transparent.")),
            (self.combo_hotspot_method, _("Local Moran (LISA): clusters and outliers; Getis-Ord Gi*: "
                                          "hot and cold spots; 999 permutations.")),
            (self.spin_peaks, _("Number of density peaks marked and named after the nearest settlement.")),
            (self.check_fdr, _("Control the share of false alarms when the 20 regions are tested at once.")),
        ):
            widget.setToolTip(tip)
        self._show_suggested()

    def _show_suggested(self) -> None:
        if self._suggested is None:
            self.label_kde_suggested.setText("")
        else:
            self.label_kde_suggested.setText(
                _("Suggested radius: {km} km").format(km=f"{self._suggested / 1000:.1f}"))

    # ------------------------------------------------------------------ showing
    def _on_state(self, info) -> None:
        name = info.signal.name
        if name in self._pending:  # set elsewhere meanwhile: that value wins
            self._pending.pop(name)
        self._show()

    def _show(self) -> None:
        """Show the state's values without setting them back."""
        st = self.state
        with _Quiet(self._controls()):
            _select(self.combo_level, st.level)
            _select(self.combo_denominator, st.denominator)
            _select(self.combo_rate, st.rate)
            _select(self.combo_scheme, st.scheme)
            self.spin_k.setValue(int(self._pending.get("k", st.k)))
            _select(self.combo_kde_kernel, st.kde_kernel)
            _select(self.combo_kde_output, st.kde_output)
            _select(self.combo_kde_ramp, st.kde_ramp)
            self.check_kde_radius_auto.setChecked(st.kde_radius is None)
            radius = st.kde_radius if st.kde_radius is not None else self._suggested
            if radius is not None and "kde_radius" not in self._pending:
                self.spin_kde_radius.setValue(radius / 1000)
            self.check_kde_cell_auto.setChecked(st.kde_cell is None)
            if st.kde_cell is not None and "kde_cell" not in self._pending:
                self.spin_kde_cell.setValue(st.kde_cell / 1000)
            if "kde_threshold" not in self._pending:
                self.spin_kde_threshold.setValue(round(100 * float(st.kde_threshold)))
            _select(self.combo_hotspot_method, st.hotspot_method)
            if "peaks" not in self._pending:
                self.spin_peaks.setValue(int(st.peaks))
            self.combo_alpha.setCurrentIndex(min(range(len(ALPHAS)), key=lambda i: abs(ALPHAS[i] - st.alpha)))
            self.check_fdr.setChecked(bool(st.fdr))
        self._enable()

    def set_suggested_radius(self, metres: float | None) -> None:
        """Show the radius suggested from the data (in the spin box too while "suggested" is on)."""
        self._suggested = None if metres is None else float(metres)
        self._show_suggested()
        if self._suggested is not None and self.state.kde_radius is None:
            with _Quiet([self.spin_kde_radius]):
                self.spin_kde_radius.setValue(self._suggested / 1000)

    def _controls(self) -> list[QWidget]:
        return [self.combo_level, self.combo_denominator, self.combo_rate, self.combo_scheme, self.spin_k,
                self.combo_kde_kernel, self.combo_kde_output, self.combo_kde_ramp, self.spin_kde_radius,
                self.check_kde_radius_auto, self.spin_kde_cell, self.check_kde_cell_auto,
                self.spin_kde_threshold, self.combo_hotspot_method, self.spin_peaks, self.combo_alpha,
                self.check_fdr]

    def _enable(self) -> None:
        scheme = SCHEMES.get(self.state.scheme)
        self.spin_k.setEnabled(scheme is None or scheme.uses_k)
        self.spin_kde_radius.setEnabled(self.state.kde_radius is not None)
        self.spin_kde_cell.setEnabled(self.state.kde_cell is not None)
        self.combo_alpha.setEnabled(self.state.hotspot_method == "lisa")
        self.combo_denominator.setEnabled(self.state.level == "regions")  # districts: all residents only

    # ------------------------------------------------------------------ editing
    def _set_now(self, **changes) -> None:
        self.state.update(**changes)

    def _set_later(self, **changes) -> None:
        self._pending.update(changes)
        self._debounce.start()

    def flush(self) -> None:
        """Apply a pending spin-box change now."""
        self._debounce.stop()
        self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        self.state.update(**pending)

    def _radius_auto_toggled(self, auto: bool) -> None:
        self._set_now(kde_radius=None if auto else _metres(self.spin_kde_radius.value()))

    def _cell_auto_toggled(self, auto: bool) -> None:
        self._set_now(kde_cell=None if auto else _metres(self.spin_kde_cell.value()))


def _metres(km: float) -> float:
    return float(round(km * 1000))


def _pair(spin: QWidget, check: QCheckBox) -> QWidget:
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(spin, 1)
    lay.addWidget(check)
    return row


def _select(combo: QComboBox, key) -> None:
    index = combo.findData(key)
    if index < 0:  # a value the panel does not offer (e.g. custom breaks): show it as is
        combo.addItem(str(key), key)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


class _Quiet:
    """Block the signals of some widgets for the duration of a ``with`` block."""

    def __init__(self, widgets: list[QWidget]) -> None:
        self.widgets = widgets

    def __enter__(self) -> None:
        for widget in self.widgets:
            widget.blockSignals(True)

    def __exit__(self, *exc) -> None:
        for widget in self.widgets:
            widget.blockSignals(False)
