"""A mouse wheel changes only the control that has the focus.

Scrolling a dock with the wheel used to change every combo box and spin box that passed under
the pointer (it switched *Output* to "incidents per m²" and recomputed the map). The guard:

- gives combo boxes, spin boxes and sliders ``Qt.StrongFocus`` (a wheel no longer focuses them);
- sends a wheel over such a control without focus to the nearest scroll area (the dock
  scrolls) or drops it, so the value never changes.

It filters the controls themselves, found under a window (:func:`install_wheel_guard`): an
application-wide event filter written in Python crashed PySide 6.12 (every event of every
object, some of them half destroyed, passes through Python).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def _has_focus(control: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is control or control.isAncestorOf(focused))


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelGuard(QObject):
    """The event filter of the guarded controls."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.Wheel or _has_focus(obj):
            return False
        area = _scroll_area_around(obj)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        return True  # the unfocused control never sees the wheel

    def guard(self, control: QWidget) -> None:
        """Guard one control (idempotent)."""
        if control.property("juvmapWheelGuard"):
            return
        control.setProperty("juvmapWheelGuard", True)
        if control.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        control.installEventFilter(self)


_guard: WheelGuard | None = None


def install_wheel_guard(root: QWidget) -> WheelGuard:
    """Guard every combo box, spin box and slider under ``root`` (scroll bars excepted)."""
    global _guard
    if _guard is None:
        _guard = WheelGuard(QCoreApplication.instance())
    controls = [w for kind in GUARDED for w in root.findChildren(kind)]
    for control in controls:
        if not isinstance(control, QScrollBar):
            _guard.guard(control)
    return _guard
