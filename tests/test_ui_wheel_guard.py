"""A mouse wheel over an unfocused combo or spin box scrolls the dock, never changes the value."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt


def _wheel(widget, steps: int = -1) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    pos = QPointF(widget.rect().center())
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def panel(qapp, qtbot, english):
    from juvmap.ui.docks.analysis import AnalysisPanel
    from juvmap.ui.wheel_guard import install_wheel_guard

    panel = AnalysisPanel()
    install_wheel_guard(panel)
    qtbot.addWidget(panel)
    panel.resize(300, 250)  # shorter than its contents: the dock can scroll
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_wheel_over_unfocused_controls_scrolls_the_dock(panel, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    output, radius = panel.combo_kde_output, panel.spin_kde_radius
    assert output.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert radius.focusPolicy() == Qt.FocusPolicy.StrongFocus
    before = (output.currentIndex(), radius.value(), panel.spin_k.value())
    bar = panel.verticalScrollBar()
    assert bar.maximum() > 0
    panel.setFocus()
    for widget in (panel.spin_k, output, radius, radius.findChild(QLineEdit)):
        _wheel(widget)
    assert (output.currentIndex(), radius.value(), panel.spin_k.value()) == before
    assert bar.value() > 0  # the wheel went to the dock


def test_wheel_changes_the_focused_control(panel, qtbot):
    output = panel.combo_kde_output
    output.setFocus()
    qtbot.waitUntil(output.hasFocus)
    before = output.currentIndex()
    _wheel(output)
    assert output.currentIndex() != before
