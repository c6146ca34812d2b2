"""The main window: the map in the centre, menus, and the status bar."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from juvmap import __version__
from juvmap.i18n import LANGUAGES, _, get_language, set_language
from juvmap.ui.map_view import MapView

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


class MainWindow(QMainWindow):
    """juvmap's main window."""

    languageChanged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("juvmap-main-window")
        self.map_view = MapView(self)
        self.setCentralWidget(self.map_view)
        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_actions()
        self._build_menus()
        self.retranslate()
        self.resize(1280, 800)
        settings = QSettings("juvmap", "juvmap")
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- actions and menus -------------------------------------------------------------
    def _build_actions(self) -> None:
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[lang], self, checkable=True)
            action.setData(lang)
            action.triggered.connect(lambda _checked=False, code=lang: self.set_language(code))
            self.language_group.addAction(action)
            self.language_actions[lang] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        self.language_menu = self.view_menu.addMenu("")
        for action in self.language_actions.values():
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        """Set every text of the window in the current language."""
        self.setWindowTitle(_("juvmap — criminological map of juvenile delinquency"))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About juvmap"))
        self.language_actions[get_language()].setChecked(True)

    # -- behaviour ---------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Switch the interface and the map to ``lang`` while running."""
        if lang == get_language():
            return
        set_language(lang)
        self.retranslate()
        self.show_start_map()
        self.languageChanged.emit(lang)

    def show_start_map(self) -> None:
        """Build the official 2022 map in the UI language and show it."""
        from juvmap.mapping.build import write_map
        from juvmap.mapping.official_map import official_2022_map

        path = write_map(official_2022_map(), self.map_view.new_map_path())
        self.map_view.show_map_file(path)
        self.status_label.setText(_("Official data: Form 1-M, 2022. Denominator: estimate."))

    def show_about(self) -> None:
        from juvmap.io.boundaries import BOUNDARY_CREDIT

        QMessageBox.about(
            self,
            _("About juvmap"),
            "<b>juvmap {v}</b><br>{what}<br><br>{data}<br>{b}<br>{geo}".format(
                v=__version__,
                what=_("Criminological map of juvenile delinquency of Kazakhstan"),
                data=_("Juvenile statistics: Form 1-M, Committee on Legal Statistics (2022)."),
                b=BOUNDARY_CREDIT,
                geo=_("Settlements: GeoNames (CC BY 4.0)."),
            ),
        )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        QSettings("juvmap", "juvmap").setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
