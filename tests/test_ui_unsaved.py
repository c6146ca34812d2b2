"""Quitting with unsaved changes asks Save / Discard / Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

pytestmark = pytest.mark.qt
Button = QMessageBox.StandardButton


@pytest.fixture
def window(qapp, qtbot, english, monkeypatch):
    from juvmap.ui.main_window import MainWindow
    from juvmap.ui.unsaved import UnsavedChanges

    monkeypatch.setattr(UnsavedChanges, "ask_offscreen", True)
    win = MainWindow()
    win.show_load_reports = False
    yield win
    win.unsaved.clear()
    win.close()


def _answer(monkeypatch, button) -> list:
    asked = []
    from juvmap.ui.unsaved import UnsavedChanges

    monkeypatch.setattr(UnsavedChanges, "ask", lambda self: (asked.append(True), button)[1])
    return asked


def test_clean_window_closes_without_a_prompt(window, monkeypatch):
    asked = _answer(monkeypatch, Button.Cancel)
    assert window.close()
    assert asked == []


def test_a_filter_change_then_cancel_keeps_the_window_open(window, monkeypatch):
    from juvmap.stats.filters import IncidentFilter

    window.state.filter = IncidentFilter(sex=("F",))
    assert window.unsaved.dirty
    asked = _answer(monkeypatch, Button.Cancel)
    window.show()
    assert not window.close()
    assert asked == [True] and window.isVisible()
    asked = _answer(monkeypatch, Button.Discard)
    assert window.close()


def test_save_clears_the_flag_and_closes(window, monkeypatch, tmp_path):
    window.session.load_builtin()
    window.state.denominator = "residents"
    assert window.unsaved.dirty
    target = tmp_path / "saved.juvmap"
    monkeypatch.setattr(window, "save_project", lambda path=None: type(window).save_project(window, str(target)))
    asked = _answer(monkeypatch, Button.Save)
    assert window.close()
    assert asked == [True] and target.is_file() and not window.unsaved.dirty


def test_a_cancelled_save_dialog_keeps_the_window_open(window, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window.state.settlements = not window.state.settlements
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    _answer(monkeypatch, Button.Save)
    assert not window.close()
    assert window.unsaved.dirty
