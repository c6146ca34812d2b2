"""Unsaved changes: a flag set when the user changes data or settings, a prompt on quit.

The window marks the state dirty when the user opens data, replaces the regions or changes a
filter, a layer or an analysis setting (the built-in demo loading by itself is no change), and
clean when the project is saved or a project is opened. Closing a dirty window asks
*Save / Discard / Cancel*.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from juvmap.i18n import _

Button = QMessageBox.StandardButton


class UnsavedChanges:
    """The dirty flag of one main window and its quit prompt."""

    def __init__(self, window) -> None:
        self.window = window
        self.dirty = False

    def watch(self, *signals) -> None:
        """Mark dirty whenever one of ``signals`` fires (user edits)."""
        for signal in signals:
            signal.connect(self.mark)

    def mark(self, *_args) -> None:
        self.dirty = True

    def clear(self) -> None:
        self.dirty = False

    def ask(self) -> Button:
        """Save, Discard or Cancel, asked in the interface language."""
        box = QMessageBox(QMessageBox.Icon.Question, _("juvmap"),
                          _("The project has unsaved changes. Save them before quitting?"),
                          Button.Save | Button.Discard | Button.Cancel, self.window)
        box.button(Button.Save).setText(_("Save…"))
        box.button(Button.Discard).setText(_("Quit without saving"))
        box.button(Button.Cancel).setText(_("Cancel"))
        box.setDefaultButton(Button.Save)
        return Button(box.exec())

    def may_close(self) -> bool:
        """Whether the window may close now: clean, discarded, or saved after asking."""
        if not self.dirty or QGuiApplication.platformName() == "offscreen" and not self.ask_offscreen:
            return True  # offscreen (smoke test, scripts): nobody could answer a prompt
        answer = self.ask()
        if answer == Button.Discard:
            return True
        if answer == Button.Save:
            self.window.save_project()
            return not self.dirty  # a cancelled save dialog keeps the window open
        return False

    #: tests set this to exercise the prompt on the offscreen platform
    ask_offscreen = False
