"""The Layers dock: which map layers are drawn and in what order, their opacity, the region
layer and the background raster.

A thin binding of the drawing fields of the :class:`~juvmap.state.AppState`
(:meth:`LayersPanel.bind`): each control sets its field (the opacity slider after a 150 ms
pause) and shows every change of it. Opening files is left to the main window
(``replaceRegionsRequested``, ``backgroundRequested``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from juvmap.i18n import N_, _
from juvmap.mapping.spec import LAYER_KINDS
from juvmap.state import AppState

#: list label of each layer kind (msgids; translated when shown)
LAYER_LABELS: dict[str, str] = {
    "choropleth": N_("Rates by region"),
    "hotspots": N_("Hot spots"),
    "kde": N_("Kernel density"),
    "incidents": N_("Incidents"),
}

_ROLE = Qt.ItemDataRole.UserRole


class LayersPanel(QWidget):
    """Edits the layer fields of an :class:`~juvmap.state.AppState`."""

    replaceRegionsRequested = Signal()
    resetRegionsRequested = Signal()
    backgroundRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layers-panel")
        self.state = AppState()
        self._region_source = ""
        self._quiet = False
        layout = QVBoxLayout(self)

        self.layers_box = QGroupBox()
        box = QGridLayout(self.layers_box)
        self.list_layers = QListWidget()
        self.list_layers.setObjectName("list_layers")
        self.list_layers.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list_layers.setDefaultDropAction(Qt.DropAction.MoveAction)
        for kind in LAYER_KINDS:
            item = QListWidgetItem()
            item.setData(_ROLE, kind)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            self.list_layers.addItem(item)
        self.list_layers.setMaximumHeight(24 * len(LAYER_KINDS) + 8)
        self.list_layers.setWordWrap(True), self.list_layers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        box.addWidget(self.list_layers, 0, 0, 2, 1)
        self.button_layer_up = QToolButton()
        self.button_layer_up.setObjectName("button_layer_up")
        self.button_layer_up.setArrowType(Qt.ArrowType.UpArrow)
        self.button_layer_down = QToolButton()
        self.button_layer_down.setObjectName("button_layer_down")
        self.button_layer_down.setArrowType(Qt.ArrowType.DownArrow)
        box.addWidget(self.button_layer_up, 0, 1)
        box.addWidget(self.button_layer_down, 1, 1)
        self.check_settlements = QCheckBox()
        self.check_settlements.setObjectName("check_settlements")
        box.addWidget(self.check_settlements, 2, 0, 1, 2)
        self.label_kde_opacity = QLabel()
        self.slider_kde_opacity = QSlider(Qt.Orientation.Horizontal)
        self.slider_kde_opacity.setObjectName("slider_kde_opacity")
        self.slider_kde_opacity.setRange(0, 100)
        self.value_kde_opacity = QLabel()
        self.value_kde_opacity.setMinimumWidth(40)
        row = QHBoxLayout()
        row.addWidget(self.label_kde_opacity)
        row.addWidget(self.slider_kde_opacity, 1)
        row.addWidget(self.value_kde_opacity)
        box.addLayout(row, 3, 0, 1, 2)
        layout.addWidget(self.layers_box)

        self.regions_box = QGroupBox()
        regions = QVBoxLayout(self.regions_box)
        self.label_region_source = QLabel()
        self.label_region_source.setObjectName("label_region_source")
        self.label_region_source.setWordWrap(True)
        self.button_replace_regions = QPushButton()
        self.button_replace_regions.setObjectName("button_replace_regions")
        self.button_reset_regions = QPushButton()
        self.button_reset_regions.setObjectName("button_reset_regions")
        regions.addWidget(self.label_region_source)
        row = QVBoxLayout()  # one above the other: the dock stays narrow in every language
        row.addWidget(self.button_replace_regions)
        row.addWidget(self.button_reset_regions)
        regions.addLayout(row)
        layout.addWidget(self.regions_box)

        self.background_box = QGroupBox()
        background = QVBoxLayout(self.background_box)
        self.label_background = QLabel()
        self.label_background.setObjectName("label_background")
        self.label_background.setWordWrap(True)
        self.button_background = QPushButton()
        self.button_background.setObjectName("button_background")
        self.button_remove_background = QPushButton()
        self.button_remove_background.setObjectName("button_remove_background")
        background.addWidget(self.label_background)
        row = QVBoxLayout()
        row.addWidget(self.button_background)
        row.addWidget(self.button_remove_background)
        background.addLayout(row)
        layout.addWidget(self.background_box)
        layout.addStretch(1)

        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._flush_opacity)
        self.list_layers.itemChanged.connect(self._list_changed)
        self.list_layers.model().rowsMoved.connect(self._list_changed)
        self.list_layers.currentRowChanged.connect(self._update_buttons)
        self.button_layer_up.clicked.connect(lambda: self._move_current(-1))
        self.button_layer_down.clicked.connect(lambda: self._move_current(1))
        self.check_settlements.toggled.connect(self._settlements_changed)
        self.slider_kde_opacity.valueChanged.connect(self._opacity_changed)
        self.button_replace_regions.clicked.connect(self.replaceRegionsRequested)
        self.button_reset_regions.clicked.connect(self.resetRegionsRequested)
        self.button_background.clicked.connect(self.backgroundRequested)
        self.button_remove_background.clicked.connect(self._remove_background)
        self._show()
        self.retranslate()

    def bind(self, state: AppState) -> None:
        """Edit and show the drawing fields of ``state``."""
        self.state = state
        state.events.all.connect(lambda _info: self._show())
        self._show()

    # ------------------------------------------------------------------ showing
    def retranslate(self) -> None:
        """Set every text in the active language."""
        self.layers_box.setTitle(_("Layers"))
        self.list_layers.blockSignals(True)
        for i in range(self.list_layers.count()):
            item = self.list_layers.item(i)
            item.setText(_(LAYER_LABELS.get(item.data(_ROLE), item.data(_ROLE))))
        self.list_layers.blockSignals(False)
        self.list_layers.setToolTip(_("Tick the layers to draw; drag to reorder."))
        self.button_layer_up.setToolTip(_("Move up"))
        self.button_layer_down.setToolTip(_("Move down"))
        self.check_settlements.setText(_("Settlements"))
        self.check_settlements.setToolTip(_("Show towns and villages with their names."))
        self.slider_kde_opacity.setToolTip(_("How opaque the kernel density surface is drawn."))
        self.button_replace_regions.setToolTip(_("Use your own polygon layer (regions or districts) for the rates."))
        self.button_reset_regions.setToolTip(_("Go back to the 20 built-in regions."))
        self.button_background.setToolTip(_("Show a GeoTIFF raster under the map (offline)."))
        self.button_remove_background.setToolTip(_("Remove the background raster."))
        self.label_kde_opacity.setText(_("Density opacity"))
        self.regions_box.setTitle(_("Region layer"))
        self.button_replace_regions.setText(_("Replace region layer…"))
        self.button_reset_regions.setText(_("Reset region layer"))
        self.background_box.setTitle(_("Background"))
        self.button_background.setText(_("Add background raster…"))
        self.button_remove_background.setText(_("Remove background"))
        self._show_sources()

    def _show_sources(self) -> None:
        self.label_region_source.setText(self._region_source or _("Built-in regions"))
        background = self.state.background
        self.label_background.setText(Path(background).name if background else _("No background"))
        self.label_background.setToolTip(background or "")
        self.button_remove_background.setEnabled(bool(background))
        self.value_kde_opacity.setText(f"{self.slider_kde_opacity.value()} %")

    def set_region_source(self, text: str) -> None:
        """Show where the region layer comes from ("" for the built-in regions)."""
        self._region_source = text
        self._show_sources()

    def _show(self) -> None:
        """Show the state's layers without setting them back."""
        st = self.state
        self._quiet = True
        widgets = (self.list_layers, self.check_settlements, self.slider_kde_opacity)
        for widget in widgets:
            widget.blockSignals(True)
        if self._checked_order() != tuple(st.layers):
            self._arrange(st.layers)
        for i in range(self.list_layers.count()):
            item = self.list_layers.item(i)
            on = item.data(_ROLE) in st.layers
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.check_settlements.setChecked(bool(st.settlements))
        if not self._debounce.isActive():
            self.slider_kde_opacity.setValue(round(100 * float(st.kde_opacity)))
        for widget in widgets:
            widget.blockSignals(False)
        self._quiet = False
        self._show_sources()
        self._update_buttons()

    def layer_order(self) -> tuple[str, ...]:
        """Every layer kind in list order, ticked or not."""
        return tuple(self.list_layers.item(i).data(_ROLE) for i in range(self.list_layers.count()))

    def _checked_order(self) -> tuple[str, ...]:
        return tuple(self.list_layers.item(i).data(_ROLE) for i in range(self.list_layers.count())
                     if self.list_layers.item(i).checkState() == Qt.CheckState.Checked)

    def _arrange(self, first: tuple[str, ...]) -> None:
        """Put the kinds of ``first`` at the top in that order, the others after as they were."""
        order = [kind for kind in first if kind in LAYER_KINDS]
        order += [kind for kind in self.layer_order() if kind not in order]
        model = self.list_layers.model()
        for target, kind in enumerate(order):
            row = self.layer_order().index(kind)
            if row != target:
                model.moveRow(QModelIndex(), row, QModelIndex(), target)

    # ------------------------------------------------------------------ editing
    def _list_changed(self, *_args) -> None:
        self._update_buttons()
        if self._quiet or self._checked_order() == tuple(self.state.layers):
            return
        self.state.layers = self._checked_order()

    def _move_current(self, step: int) -> None:
        row = self.list_layers.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list_layers.count():
            return
        # moveRow's destination is the row the item goes before (in the old numbering)
        self.list_layers.model().moveRow(QModelIndex(), row, QModelIndex(), target + (step > 0))
        self.list_layers.setCurrentRow(target)

    def _update_buttons(self, *_args) -> None:
        row = self.list_layers.currentRow()
        self.button_layer_up.setEnabled(row > 0)
        self.button_layer_down.setEnabled(0 <= row < self.list_layers.count() - 1)

    def _settlements_changed(self, on: bool) -> None:
        self.state.settlements = bool(on)

    def _opacity_changed(self, value: int) -> None:
        self.value_kde_opacity.setText(f"{value} %")
        self._debounce.start()

    def _flush_opacity(self) -> None:
        self.state.kde_opacity = self.slider_kde_opacity.value() / 100

    def _remove_background(self) -> None:
        self.state.background = None
