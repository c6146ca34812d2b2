"""Qt's own strings (OK/Cancel, file and print dialogs) in the UI language.

Qt ships ``qtbase_ru`` and ``qtbase_kk``; both lack a few strings of the file dialog
("&Look in:", "Files of &type:" in Russian; "Look in:", "Folder" … in Kazakh). For each
language the translators are asked in this order (Qt asks the last installed first):
juvmap's supplement ``resources/translations/qt/juvmap_qt_<lang>.qm`` (from the ``.ts``
beside it, compiled with ``pyside6-lrelease``), ``qtbase_<lang>``, then for Kazakh
``qtbase_ru`` — what Kazakh-speaking users of Qt software commonly see — rather than English.
(A translator written in Python cannot be used: PySide 6.12 loses a reference to ``None`` on
every call of an overridden ``QTranslator.translate`` and aborts.)
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from juvmap.paths import resource_path

_installed: list[QTranslator] = []
#: Qt catalogs asked after the language's own, in order
FALLBACK = {"kk": ("ru",)}


def _load(name: str, folder: str, parent) -> QTranslator | None:
    translator = QTranslator(parent)
    return translator if translator.load(name, folder) else None


def qt_catalogs(lang: str, parent=None) -> list[QTranslator]:
    """The catalogs for ``lang`` that exist, most specific first (supplement, Qt's, fallbacks)."""
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    found = [_load(f"juvmap_qt_{lang}", str(resource_path("translations", "qt")), parent)]
    found += [_load(f"qtbase_{code}", qt_folder, parent) for code in (lang, *FALLBACK.get(lang, ()))]
    return [t for t in found if t is not None]


def install_qt_translator(lang: str) -> bool:
    """Replace the Qt translators for ``lang``; return whether a catalog was found."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang == "en":
        return True
    catalogs = qt_catalogs(lang, app)
    for translator in reversed(catalogs):  # the last installed is asked first
        app.installTranslator(translator)
        _installed.append(translator)
    return bool(catalogs)
