"""Localisation of Qt's own dialogs, distance spin boxes, the scale bar, the credit line."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", {"Look in:": "Перейти к:", "Files of type:": "Типы файлов:", "Folder": "Папка",
            "&Look in:": "&Перейти к:", "Files of &type:": "&Типы файлов:"}),
    ("kk", {"Look in:": "Іздеу орны:", "Files of type:": "Файл түрлері:", "Folder": "Бума",
            "Create New Folder": "Жаңа бума жасау"}),
])
def test_file_dialog_strings_in_russian_and_kazakh(qapp, lang, expected):
    from PySide6.QtCore import QCoreApplication

    from juvmap.ui.translators import install_qt_translator

    try:
        assert install_qt_translator(lang)
        for source, text in expected.items():
            assert QCoreApplication.translate("QFileDialog", source) == text
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") not in ("Cancel", "")
    finally:
        install_qt_translator("en")
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Look in:"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_open_dialog_shows_no_english_label(qapp, lang):
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    from juvmap.ui.translators import install_qt_translator

    try:
        install_qt_translator(lang)
        dialog = QFileDialog(None, "", "", "*.csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
        dialog.deleteLater()
    finally:
        install_qt_translator("en")
    texts = [t for t in texts if t]
    assert len(texts) >= 5
    latin = [t for t in texts if any("a" <= c.lower() <= "z" for c in t)]
    assert latin == []
