"""The evaluation panel: choose the areas and periods of a measure, run, read the verdict.

No statistics inside: the panel builds a request dict and hands it to ``run_callback``;
the callback (the lead's worker) returns the dict of :func:`juvmap.stats.evaluation.evaluate`
— or ``None`` when it answers later through :meth:`EvaluationPanel.show_result`. A typed
:class:`~juvmap.errors.JuvmapError` from the callback is shown as its message.

Request::

    {"treated": ["KZ-75"], "control": ["KZ-71"], "displacement": [], "displacement_control": [],
     "before": (2019, 2021), "after": (2022, 2023)}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from juvmap.errors import JuvmapError
from juvmap.i18n import _, get_language
from juvmap.numbers import SUPPRESS_BELOW, format_number
from juvmap.recommend.evaluation_text import WDQ_READING_LABELS, verdict_text

__all__ = ["ROLES", "EvaluationPanel"]

#: request key of each area list, in display order
ROLES = ("treated", "control", "displacement", "displacement_control")


def _role_title(role: str) -> str:
    return {"treated": _("Treated area"), "control": _("Control area"),
            "displacement": _("Displacement area (optional)"),
            "displacement_control": _("Its control area (optional)")}[role]


class EvaluationPanel(QWidget):
    """Areas, periods, a Run button, the verdict and the figures."""

    requested = Signal(dict)

    def __init__(self, areas: Sequence[tuple[str, str]] = (), years: Sequence[int] = (),
                 run_callback: Callable[[dict], dict | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluation-panel")
        self._callback = run_callback
        self._result: dict | None = None
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.boxes: dict[str, QGroupBox] = {}
        self.lists: dict[str, QListWidget] = {}
        for i, role in enumerate(ROLES):
            box, chooser = QGroupBox(), QListWidget()
            chooser.setObjectName(f"evaluation-{role}")
            chooser.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            chooser.setMaximumHeight(110)
            QVBoxLayout(box).addWidget(chooser)
            grid.addWidget(box, i // 2, i % 2)
            self.boxes[role], self.lists[role] = box, chooser
        layout.addLayout(grid)
        periods = QHBoxLayout()
        self.period_labels = [QLabel(), QLabel()]
        self.spins = [QSpinBox() for _i in range(4)]
        for k, label in enumerate(self.period_labels):
            periods.addWidget(label)
            periods.addWidget(self.spins[2 * k])
            periods.addWidget(QLabel("–"))
            periods.addWidget(self.spins[2 * k + 1])
        periods.addStretch(1)
        self.run_button = QPushButton()
        self.run_button.setObjectName("evaluation-run")
        self.run_button.clicked.connect(self.run)
        periods.addWidget(self.run_button)
        layout.addLayout(periods)
        self.verdict = QLabel()
        self.verdict.setObjectName("evaluation-verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict)
        self.figures = QTableWidget(0, 2)
        self.figures.verticalHeader().setVisible(False)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.figures.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.figures.setWordWrap(True)
        self.figures.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.figures, 1)
        self.set_choices(areas, years)
        self.retranslate()

    # -- inputs -----------------------------------------------------------------------------
    def set_choices(self, areas: Sequence[tuple[str, str]], years: Sequence[int]) -> None:
        """Offer ``areas`` (code, display name) and the ``years`` of the data."""
        for chooser in self.lists.values():
            chooser.clear()
            for code, name in areas:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, code)
                chooser.addItem(item)
        years = sorted(int(y) for y in years) or [2019, 2023]
        first, last = years[0], years[-1]
        middle = first + max((last - first) // 2, 0)
        for spin, value in zip(self.spins, (first, middle, min(middle + 1, last), last), strict=True):
            spin.setRange(first, last)
            spin.setValue(value)

    def choose(self, role: str, codes: Sequence[str]) -> None:
        """Select ``codes`` in the list of ``role`` (e.g. from the map selection)."""
        chooser = self.lists[role]
        for row in range(chooser.count()):
            item = chooser.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in set(codes))
            if item.isSelected():
                chooser.scrollToItem(item)

    def set_periods(self, before: tuple[int, int], after: tuple[int, int]) -> None:
        """Set the before and after years."""
        for spin, value in zip(self.spins, (*before, *after), strict=True):
            spin.setValue(int(value))

    def request(self) -> dict:
        """The request the Run button sends (see the module docstring)."""
        out: dict = {role: [item.data(Qt.ItemDataRole.UserRole) for item in self.lists[role].selectedItems()]
                     for role in ROLES}
        values = [spin.value() for spin in self.spins]
        out["before"], out["after"] = (values[0], values[1]), (values[2], values[3])
        return out

    def _problem(self, request: dict) -> str:
        if not request["treated"] or not request["control"]:
            return _("Choose a treated and a control area.")
        if bool(request["displacement"]) != bool(request["displacement_control"]):
            return _("Choose both a displacement area and its control, or neither.")
        if request["before"][1] >= request["after"][0] or request["before"][0] > request["before"][1] \
                or request["after"][0] > request["after"][1]:
            return _("The before period must end before the after period starts.")
        return ""

    # -- running ----------------------------------------------------------------------------
    def run(self) -> None:
        """Check the choices, emit :attr:`requested` and call the callback."""
        request = self.request()
        problem = self._problem(request)
        if problem:
            self.show_error(problem)
            return
        self.requested.emit(request)
        if self._callback is None:
            return
        try:
            result = self._callback(request)
        except JuvmapError as exc:
            self.show_error(str(exc))
            return
        if result is not None:
            self.show_result(result)

    def show_error(self, message: str) -> None:
        """Show a translated error instead of a result."""
        self._result = None
        self.verdict.setText(message)
        self.figures.setRowCount(0)

    def show_result(self, result: dict) -> None:
        """Show the verdict and the figures of an :func:`~juvmap.stats.evaluation.evaluate` result."""
        self._result = result
        self._render()

    def _rows(self, result: dict) -> list[tuple[str, str]]:
        lang = get_language()
        wdd, its = result["wdd"], result.get("its")
        rows = [(_("Incidents, treated area: before / after"), self._pair(result["counts"], "T")),
                (_("Incidents, control area: before / after"), self._pair(result["counts"], "C")),
                (_("WDD (weighted displacement difference)"), format_number(wdd["wdd"], lang, 0)),
                (_("Standard error of the WDD"), format_number(wdd["wdd_se"], lang, 1)),
                (_("z / p"), f"{format_number(wdd['wdd_z'], lang, 2)} / {format_number(wdd['wdd_p'], lang, 3)}")]
        if result.get("wdq"):
            rows.insert(2, (_("Incidents, displacement area: before / after"), self._pair(result["counts"], "D")))
            rows.append((_("WDQ (weighted displacement quotient)"), format_number(result["wdq"]["wdq"], lang, 2)))
            reading = WDQ_READING_LABELS[result["wdq"]["reading"]]
            rows.append((_("Reading of the WDQ"), _(reading)))
        if its:
            rows.append((_("Level change at the start (time series)"), "{} % ({} … {} %)".format(
                *(format_number(its[k] * 100, lang, 0) for k in ("level_change", "level_low", "level_high")))))
        return rows

    @staticmethod
    def _pair(counts: dict, area: str) -> str:
        def shown(value: int) -> str:
            return f"<{SUPPRESS_BELOW}" if 0 < value < SUPPRESS_BELOW else format_number(value, get_language(), 0)
        return f"{shown(counts[area + '0'])} / {shown(counts[area + '1'])}"

    def _render(self) -> None:
        result = self._result
        if result is None:
            self.verdict.setText(_("Choose the areas and periods, then press Evaluate."))
            self.figures.setRowCount(0)
            return
        self.verdict.setText(verdict_text(result["verdict"], result.get("its"), result.get("its_error")))
        rows = self._rows(result)
        self.figures.setRowCount(len(rows))
        for r, (label, value) in enumerate(rows):
            self.figures.setItem(r, 0, QTableWidgetItem(label))
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.figures.setItem(r, 1, item)
        self.figures.resizeRowsToContents()

    def retranslate(self) -> None:
        """Re-set every text in the current language."""
        for role, box in self.boxes.items():
            box.setTitle(_role_title(role))
        self.period_labels[0].setText(_("Before:"))
        self.period_labels[1].setText(_("After:"))
        self.run_button.setText(_("Evaluate"))
        self.figures.setHorizontalHeaderLabels([_("Figure"), _("Value")])
        self._render()
