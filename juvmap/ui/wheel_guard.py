"""A mouse wheel changes only the control that has the focus.

Scrolling a dock with the wheel used to change every combo box and spin box that passed under
the pointer (it switched *Output* to "incidents per m²" and recomputed the map). The guard,
an application-wide event filter:

- gives combo boxes, spin boxes and sliders ``Qt.StrongFocus`` (a wheel no longer focuses them);
- sends a wheel over such a control without focus to the nearest scroll area (the dock
  scrolls) or drops it, so the value never changes.
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


def _guarded_control(obj: QObject) -> QWidget | None:
    """The combo/spin box/slider ``obj`` belongs to (a spin box's line edit counts too)."""
    while isinstance(obj, QWidget):
        if isinstance(obj, GUARDED) and not _is_scroll_bar(obj):
            return obj
        if isinstance(obj, QAbstractScrollArea):
            return None
        obj = obj.parentWidget()
    return None


def _is_scroll_bar(widget: QWidget) -> bool:
    return isinstance(widget, QScrollBar)


def _has_focus(control: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is control or control.isAncestorOf(focused))


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelGuard(QObject):
    """The application event filter; install once with :func:`install_wheel_guard`."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(obj, GUARDED) and not _is_scroll_bar(obj):
            if obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if kind != QEvent.Type.Wheel:
            return False
        control = _guarded_control(obj)
        if control is None or _has_focus(control):
            return False
        area = _scroll_area_around(control)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        return True  # the unfocused control never sees the wheel


_guard: WheelGuard | None = None


def install_wheel_guard(app) -> WheelGuard:
    """Install the guard on ``app`` (a QApplication) once; return it."""
    global _guard
    if _guard is None:
        _guard = WheelGuard(app)
        app.installEventFilter(_guard)
    return _guard
