"""Menus, toolbar and keyboard shortcuts of the main window (one table, translated live)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from juvmap.i18n import LANGUAGES, N_, _, get_language
from juvmap.ui.settings import app_settings

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

#: action id -> (untranslated text, shortcut, menu, slot name on the window)
ACTIONS: dict[str, tuple[str, object, str, str]] = {
    "open_data": (N_("&Open data…"), QKeySequence.StandardKey.Open, "file", "open_data"),
    "open_project": (N_("Open &project…"), "Ctrl+Shift+O", "file", "open_project"),
    "save_project": (N_("&Save project…"), QKeySequence.StandardKey.Save, "file", "save_project"),
    "print_map": (N_("&Print map…"), QKeySequence.StandardKey.Print, "file", "print_map"),
    "export_map": (N_("Export map to PDF or PNG…"), "Ctrl+E", "export", "export_map"),
    "export_gpkg": (N_("Export rates to GeoPackage…"), None, "export", "export_geopackage"),
    "export_csv": (N_("Export rates to CSV…"), None, "export", "export_csv"),
    "export_tif": (N_("Export density to GeoTIFF…"), None, "export", "export_geotiff"),
    "export_sheets": (N_("Export recommendation sheets…"), "Ctrl+Shift+E", "export", "export_sheets"),
    "import_form1m": (N_("Import Form 1-M…"), None, "file", "import_form1m"),
    "quit": (N_("&Quit"), QKeySequence.StandardKey.Quit, "file_end", "close"),
    "presentation": (N_("&Presentation mode"), "F11", "view", "toggle_presentation"),
    "guide": (N_("&User guide"), "F1", "help", "show_guide"),
    "about": (N_("&About juvmap"), None, "help", "show_about"),
}


def _slot(window, name: str):
    if name == "show_guide":
        from juvmap.ui.help import show_guide

        return lambda _checked=False: show_guide(window)
    if name == "toggle_presentation":
        return lambda _checked=False: window.presentation.toggle()
    if name in ("export_map", "export_geopackage", "export_csv", "export_geotiff", "export_sheets",
                "print_map"):
        return lambda _checked=False: getattr(window.exports, name)()
    return lambda _checked=False: getattr(window, name)()


def build_actions(window) -> None:
    """Create the actions, menus and toolbar of ``window``."""
    from juvmap.ui.exports import Exports

    window.exports = Exports(window)
    window.actions_by_id = {}
    for key, (_text, shortcut, _menu, slot) in ACTIONS.items():
        action = QAction(window)
        action.setObjectName(f"action-{key}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(_slot(window, slot))
        window.actions_by_id[key] = action
    window.actions_by_id["presentation"].setCheckable(True)
    bar = window.menuBar()
    window.file_menu = bar.addMenu("")
    for key in ("open_data", "import_form1m", "open_project", "save_project"):
        window.file_menu.addAction(window.actions_by_id[key])
    window.recent_menu = window.file_menu.addMenu("")
    window.file_menu.addSeparator()
    window.export_menu = window.file_menu.addMenu("")
    for key, spec in ACTIONS.items():
        if spec[2] == "export":
            window.export_menu.addAction(window.actions_by_id[key])
    window.file_menu.addAction(window.actions_by_id["print_map"])
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.actions_by_id["quit"])
    window.view_menu = bar.addMenu("")
    window.view_menu.addAction(window.actions_by_id["presentation"])
    window.view_menu.addAction(window.spacetime_dock.toggleViewAction())  # titled by the dock
    window.docks_menu = window.view_menu.addMenu("")
    for dock in (window.layers_dock, window.filters_dock, window.analysis_dock, window.region_dock):
        window.docks_menu.addAction(dock.toggleViewAction())
    window.language_menu = window.view_menu.addMenu("")
    window.language_group = QActionGroup(window)
    window.language_actions = {}
    for lang in LANGUAGES:
        action = QAction(LANGUAGE_NAMES[lang], window, checkable=True)
        action.setObjectName(f"action-lang-{lang}")
        action.triggered.connect(lambda _checked=False, code=lang: window.set_language(code))
        window.language_group.addAction(action)
        window.language_menu.addAction(action)
        window.language_actions[lang] = action
    window.help_menu = bar.addMenu("")
    window.help_menu.addAction(window.actions_by_id["guide"])
    window.help_menu.addAction(window.actions_by_id["about"])
    toolbar = window.addToolBar("main")
    toolbar.setObjectName("toolbar-main")
    window.main_toolbar = toolbar
    toolbar.addWidget(window.data_combo)
    window.indicator_action = toolbar.addWidget(window.indicator_combo)  # shown in official mode
    window.indicator_action.setVisible(window.mode == "official")
    for key in ("open_data", "save_project", "print_map", "export_sheets", "presentation"):
        toolbar.addAction(window.actions_by_id[key])
    fill_recent_menu(window)


def retranslate_actions(window) -> None:
    """Set the texts of menus and actions in the current language."""
    for key, (text, _shortcut, _menu, _slot) in ACTIONS.items():
        window.actions_by_id[key].setText(_(text))
    window.file_menu.setTitle(_("&File"))
    window.recent_menu.setTitle(_("Recent files"))
    window.export_menu.setTitle(_("&Export"))
    window.view_menu.setTitle(_("&View"))
    window.docks_menu.setTitle(_("Panels"))
    window.language_menu.setTitle(_("&Language"))
    window.help_menu.setTitle(_("&Help"))
    window.main_toolbar.setWindowTitle(_("Toolbar"))
    window.language_actions[get_language()].setChecked(True)


def fill_recent_menu(window) -> None:
    """List the recently opened data files."""
    window.recent_menu.clear()
    for path in app_settings().value("recent_files", [], type=list):
        action = window.recent_menu.addAction(str(path))
        action.triggered.connect(lambda _checked=False, p=str(path): window.open_data(p))
    window.recent_menu.setEnabled(not window.recent_menu.isEmpty())
