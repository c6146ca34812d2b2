"""Qt's own strings (OK/Cancel, file dialogs) in the UI language, where Qt ships them.

Qt 6.12 ships ``qtbase_kk`` and ``qtbase_ru``. Should a Qt build lack the Kazakh catalog,
Kazakh falls back to Russian, which Kazakh-speaking users of Qt software commonly see,
rather than English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_installed: list[QTranslator] = []
FALLBACK = {"kk": "ru"}


def install_qt_translator(lang: str) -> bool:
    """Replace the Qt translator for ``lang``; return whether a catalog was found."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    for code in (lang, FALLBACK.get(lang)):
        if code and translator.load(f"qtbase_{code}", folder):
            app.installTranslator(translator)
            _installed.append(translator)
            return True
    return False
