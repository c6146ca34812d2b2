"""The Filters dock: the period (years) and which incidents count (offence, offender, time, place).

A binding of the ``period`` and ``filter`` fields of the :class:`~juvmap.state.AppState`
(:meth:`FiltersPanel.bind`): the widgets set them after a 150 ms pause and show every change.
One year gives annual rates, several years an annual average rate, everywhere in the app."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from juvmap.i18n import _
from juvmap.labels import FLAG_LABELS, VALUE_LABELS, WEEKDAY_LABELS
from juvmap.state import AppState
from juvmap.stats.filters import IncidentFilter

_TRISTATE = ("any", "yes", "no")


def _range_row(low: int, high: int) -> tuple[QSpinBox, QSpinBox, QWidget]:
    first, last = QSpinBox(), QSpinBox()
    for box in (first, last):
        box.setRange(low, high)
    first.setValue(low)
    last.setValue(high)
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(first)
    lay.addWidget(QLabel("–"))
    lay.addWidget(last)
    return first, last, row


class CheckList(QListWidget):
    """A list of checkable coded values; all checked means "no constraint"."""

    changed = Signal()

    def __init__(self, variable: str, values: list[str]) -> None:
        super().__init__()
        self.variable = variable
        for value in values:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.addItem(item)
        self.setMaximumHeight(22 * min(len(values), 8) + 6)
        self.setWordWrap(True), self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemChanged.connect(lambda _item: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        labels = VALUE_LABELS.get(self.variable, {})
        for i in range(self.count()):
            item = self.item(i)
            value = item.data(Qt.ItemDataRole.UserRole)
            item.setText(_(labels[value]) if value in labels else str(value))

    def selected(self) -> tuple[str, ...] | None:
        values = [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                  if self.item(i).checkState() == Qt.CheckState.Checked]
        return None if len(values) == self.count() else tuple(values)

    def set_selected(self, values: tuple[str, ...] | None) -> None:
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            on = values is None or item.data(Qt.ItemDataRole.UserRole) in values
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.blockSignals(False)


class FiltersPanel(QScrollArea):
    """Edits the period and the :class:`IncidentFilter` of an :class:`~juvmap.state.AppState`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filters-panel")
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        self._form = QFormLayout(body)
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow dock: label above
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._flush)
        self.state = AppState()
        self._labels: dict[str, QLabel] = {}
        self.count_label = QLabel()
        self.count_label.setObjectName("filter-count")
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset)
        self._form.addRow(self.count_label, self.reset_button)
        self.year_first, self.year_last, row = _range_row(2000, 2030)
        self._add("years", row)
        self.age_first, self.age_last, row = _range_row(10, 17)
        self._add("age", row)
        self.hour_first, self.hour_last, row = _range_row(0, 23)
        self._add("hours", row)
        self.sex = QComboBox(sizeAdjustPolicy=QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._add("sex", self.sex)
        self.flags: dict[str, QComboBox] = {}
        for flag in FLAG_LABELS:
            combo = QComboBox(sizeAdjustPolicy=QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.flags[flag] = combo
            self._add(flag, combo)
        self.weekday_boxes = [QCheckBox() for _ in WEEKDAY_LABELS]
        grid = QWidget()
        glay = QGridLayout(grid)
        glay.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.weekday_boxes):
            box.setChecked(True)
            glay.addWidget(box, i // 4, i % 4)
            box.toggled.connect(self._changed)
        self._add("weekdays", grid)
        self.articles = QLineEdit()
        self.articles.setPlaceholderText("188, 191, 293")
        self.articles.editingFinished.connect(self._changed)
        self._add("articles", self.articles)
        self.lists: dict[str, CheckList] = {}
        for box in (self.year_first, self.year_last, self.age_first, self.age_last,
                    self.hour_first, self.hour_last):
            box.valueChanged.connect(self._changed)
        self.sex.currentIndexChanged.connect(self._changed)
        for combo in self.flags.values():
            combo.currentIndexChanged.connect(self._changed)
        self.retranslate()

    def _add(self, key: str, widget: QWidget) -> None:
        label = QLabel()
        self._labels[key] = label
        self._form.addRow(label, widget)

    def set_choices(self, values: dict[str, list[str]], years: tuple[int, int]) -> None:
        """Offer the values present in the data (category, gravity, place …) and its years."""
        for variable, options in values.items():
            if variable in self.lists:
                old = self.lists.pop(variable)
                self._form.removeRow(old)
            checklist = CheckList(variable, options)
            checklist.changed.connect(self._changed)
            self.lists[variable] = checklist
            self._add(variable, checklist)
        for box in (self.year_first, self.year_last):
            box.blockSignals(True)
            box.setRange(*years)
        self.year_first.setValue(years[0])
        self.year_last.setValue(years[1])
        for box in (self.year_first, self.year_last):
            box.blockSignals(False)
        self._years = years
        self._show()
        self.retranslate()

    def bind(self, state: AppState) -> None:
        """Edit and show the period and the filter of ``state``."""
        self.state = state
        state.events.filter.connect(lambda *_a: self._show())
        state.events.period.connect(lambda *_a: self._show())
        self._show()

    def _show(self) -> None:
        if self._debounce.isActive():
            return  # the user's pending edit is shown; it is applied in a moment
        self.set_filter(self.state.filter)
        period = self.state.period
        for box in (self.year_first, self.year_last):
            box.blockSignals(True)
        if period is not None:
            self.year_first.setValue(period[0])
            self.year_last.setValue(period[1])
        else:
            self.year_first.setValue(self.year_last.maximum())
            self.year_last.setValue(self.year_last.maximum())
        for box in (self.year_first, self.year_last):
            box.blockSignals(False)

    def _flush(self) -> None:
        first, last = sorted((self.year_first.value(), self.year_last.value()))
        flt = self.current_filter()
        from dataclasses import replace

        self.state.update(filter=replace(flt, years=None), period=(first, last))

    def retranslate(self) -> None:
        titles = {
            "years": _("Years"), "age": _("Age"), "hours": _("Hour of day"), "sex": _("Sex"),
            "weekdays": _("Weekdays"), "articles": _("Criminal Code articles"),
            "category": _("Offence category"), "gravity": _("Gravity"), "place": _("Place"),
        }
        titles.update({flag: _(label) for flag, label in FLAG_LABELS.items()})
        for key, label in self._labels.items():
            label.setText(titles.get(key, key))
        for combo, texts in [(self.sex, (_("all"), _("Boys"), _("Girls")))] + [
            (combo, (_("any"), _("yes"), _("no"))) for combo in self.flags.values()
        ]:
            index = max(combo.currentIndex(), 0)
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(texts))
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        for box, text in zip(self.weekday_boxes, WEEKDAY_LABELS, strict=True):
            box.setText(_(text))
        for checklist in self.lists.values():
            checklist.retranslate()
        self.reset_button.setText(_("Reset filters"))

    def set_count(self, matching: int, total: int) -> None:
        """Show how many incidents pass the filter."""
        self.count_label.setText(_("Matching incidents: {n} of {total}").format(n=matching, total=total))

    def _changed(self, *_args) -> None:
        self._debounce.start()

    def current_filter(self) -> IncidentFilter:
        """The filter the widgets describe (``None`` where a widget lets everything through)."""
        def span(first: QSpinBox, last: QSpinBox) -> tuple[int, int] | None:
            if first.value() == first.minimum() and last.value() == last.maximum():
                return None
            return (first.value(), last.value())

        def tristate(combo: QComboBox) -> bool | None:
            return {0: None, 1: True, 2: False}[max(combo.currentIndex(), 0)]

        days = tuple(i for i, box in enumerate(self.weekday_boxes) if box.isChecked())
        articles = tuple(a.strip() for a in self.articles.text().replace(";", ",").split(",") if a.strip())
        hours = span(self.hour_first, self.hour_last)
        if hours is None and self.hour_first.value() > self.hour_last.value():
            hours = (self.hour_first.value(), self.hour_last.value())
        return IncidentFilter(
            years=None,  # the period is its own state field
            categories=self.lists["category"].selected() if "category" in self.lists else None,
            articles=articles or None,
            gravity=self.lists["gravity"].selected() if "gravity" in self.lists else None,
            age=span(self.age_first, self.age_last),
            sex={0: None, 1: ("M",), 2: ("F",)}[max(self.sex.currentIndex(), 0)],
            pupil=tristate(self.flags["pupil"]),
            repeat=tristate(self.flags["repeat"]),
            group=tristate(self.flags["group"]),
            intoxicated=tristate(self.flags["intoxicated"]),
            hours=hours,
            weekdays=None if len(days) == 7 else days,
            places=self.lists["place"].selected() if "place" in self.lists else None,
        )

    def set_filter(self, flt: IncidentFilter) -> None:
        """Show ``flt`` in the widgets without setting the state."""
        self.blockSignals(True)
        for first, last, value in (
            (self.age_first, self.age_last, flt.age),
            (self.hour_first, self.hour_last, flt.hours),
        ):
            for box in (first, last):
                box.blockSignals(True)
            first.setValue(value[0] if value else first.minimum())
            last.setValue(value[1] if value else last.maximum())
            for box in (first, last):
                box.blockSignals(False)
        self.sex.blockSignals(True)
        self.sex.setCurrentIndex({None: 0, ("M",): 1, ("F",): 2}.get(flt.sex, 0))
        self.sex.blockSignals(False)
        for flag, combo in self.flags.items():
            combo.blockSignals(True)
            combo.setCurrentIndex({None: 0, True: 1, False: 2}[getattr(flt, flag)])
            combo.blockSignals(False)
        for i, box in enumerate(self.weekday_boxes):
            box.blockSignals(True)
            box.setChecked(flt.weekdays is None or i in flt.weekdays)
            box.blockSignals(False)
        self.articles.setText(", ".join(flt.articles or ()))
        for variable, field in (("category", "categories"), ("gravity", "gravity"), ("place", "places")):
            if variable in self.lists:
                self.lists[variable].set_selected(getattr(flt, field))
        self.blockSignals(False)

    def reset(self) -> None:
        """Let every incident of the period through."""
        self._debounce.stop()
        self.state.filter = IncidentFilter()

