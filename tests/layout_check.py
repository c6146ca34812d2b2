"""Find clipped texts in a laid-out widget tree (used by test_ui_clipped_text)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 3  # pixels of rounding


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and not widget.visibleRegion().isEmpty()


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or label.textFormat() == label.textFormat().RichText or label.pixmap() and not label.pixmap().isNull():
        return None
    available = label.contentsRect()
    if label.wordWrap():
        needed = label.heightForWidth(available.width())
        return f"wrapped label needs {needed}px height, has {available.height()}" if needed > available.height() + SLACK else None
    needed = max(label.fontMetrics().horizontalAdvance(line) for line in text.replace("&", "").split("\n"))
    return f"needs {needed}px, has {available.width()}" if needed > available.width() + SLACK else None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text() or isinstance(button, QToolButton) and button.toolButtonStyle() == button.toolButtonStyle().ToolButtonIconOnly:
        return None
    needed = button.sizeHint().width()
    return f"needs {needed}px, has {button.width()}" if needed > button.width() + SLACK else None


def _combo_problem(combo: QComboBox) -> str | None:
    text = combo.currentText()
    if not text:
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    contents = QSize(combo.fontMetrics().horizontalAdvance(text), combo.fontMetrics().height())
    needed = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, contents, combo).width()
    return f"needs {needed}px, has {combo.width()}" if needed > combo.width() + SLACK else None


def _list_problems(view: QListWidget) -> list[str]:
    """Items wider than the view (elided) in a list without a horizontal scroll bar."""
    out = []
    for i in range(view.count()):
        item = view.item(i)
        rect = view.visualItemRect(item)
        needed = view.fontMetrics().horizontalAdvance(item.text()) + 24  # check box and margins
        if needed > view.viewport().width() and rect.height() < 2 * view.fontMetrics().height():
            out.append(f"item {item.text()!r} needs {needed}px, has {view.viewport().width()}")
    return out


def _tab_problems(bar: QTabBar) -> list[str]:
    out = []
    used = sum(bar.tabRect(i).width() for i in range(bar.count()))
    if used > bar.width() + SLACK:
        out.append(f"tabs need {used}px, bar has {bar.width()} (scroll arrows)")
    for i in range(bar.count()):
        needed = bar.fontMetrics().horizontalAdvance(bar.tabText(i).replace("&", "")) + 8
        if bar.tabRect(i).width() < needed:
            out.append(f"tab {bar.tabText(i)!r} needs {needed}px, has {bar.tabRect(i).width()}")
    return out


def clipped_texts(root: QWidget) -> list[str]:
    """Descriptions of every clipped text and horizontal scroll bar under ``root``."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget):
            continue
        name = f"{type(widget).__name__}({widget.objectName() or getattr(widget, 'text', lambda: '')()!r})"
        problem = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, (QPushButton, QCheckBox, QToolButton)):
            problem = _button_problem(widget)
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            problem = _combo_problem(widget)
        elif isinstance(widget, QGroupBox) and widget.title():
            needed = widget.fontMetrics().horizontalAdvance(widget.title()) + 12
            problem = f"title needs {needed}px, has {widget.width()}" if needed > widget.width() else None
        elif isinstance(widget, QListWidget):
            problems += [f"{name}: {p}" for p in _list_problems(widget)]
        elif isinstance(widget, QTabBar):
            problems += [f"{name}: {p}" for p in _tab_problems(widget)]
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            problem = "horizontal scroll bar"
        if isinstance(widget, QTableView):
            header = widget.horizontalHeader()
            used = sum(header.sectionSize(i) for i in range(header.count()) if not header.isSectionHidden(i))
            if used > widget.viewport().width() + SLACK:
                problem = f"columns need {used}px, the view shows {widget.viewport().width()}"
        if problem:
            problems.append(f"{name}: {problem}")
    return problems
