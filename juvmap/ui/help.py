"""Help → User guide (F1): the offline guide in the interface language.

The pages are HTML files under ``resources/guide/<lang>/`` (``index.html``: the workflows of
researchers, juvenile police units and trainers; ``numbers.html``: "What does this number
mean?"; ``shortcuts.html``), shown in a QTextBrowser: no network, no web engine needed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTextBrowser, QVBoxLayout

from juvmap.i18n import LANGUAGES, _, get_language
from juvmap.paths import resource_path

PAGES = ("index.html", "numbers.html", "shortcuts.html")


def guide_page(lang: str | None = None, page: str = "index.html") -> Path:
    """The file of ``page`` of the guide in ``lang`` (English when that language lacks it)."""
    lang = lang if lang in LANGUAGES else get_language()
    path = resource_path("guide", lang, page)
    return path if path.is_file() else resource_path("guide", "en", page)


class GuideDialog(QDialog):
    """The user guide in a browser with Home and Back; follows links between the pages."""

    def __init__(self, parent=None, lang: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide-dialog")
        self.setWindowTitle(_("juvmap user guide"))
        self.resize(820, 680)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)  # offline: only the guide's own pages
        self.browser.setOpenLinks(True)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.home_button = QPushButton(_("Contents"), self)
        self.back_button = QPushButton(_("Back"), self)
        buttons.addButton(self.home_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.home_button.clicked.connect(self.browser.home)
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.back_button.setEnabled(False)
        layout.addWidget(buttons)
        self.show_page("index.html", lang)

    def show_page(self, page: str = "index.html", lang: str | None = None) -> None:
        """Show ``page`` of the guide in ``lang`` (default: the interface language)."""
        self.browser.setSource(QUrl.fromLocalFile(str(guide_page(lang, page))))


_open: list[GuideDialog] = []


def show_guide(window, page: str = "index.html") -> GuideDialog:
    """Open (or raise) the guide beside ``window``, in the interface language."""
    for dialog in list(_open):
        if dialog.parent() is window:
            dialog.show_page(page)
            dialog.show(), dialog.raise_(), dialog.activateWindow()
            return dialog
    dialog = GuideDialog(window)
    dialog.show_page(page)
    _open.append(dialog)
    dialog.finished.connect(lambda _code, d=dialog: _open.remove(d) if d in _open else None)
    dialog.show()
    return dialog
