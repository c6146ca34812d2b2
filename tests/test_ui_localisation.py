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


@pytest.mark.parametrize(("lang", "radius", "cell"), [
    ("ru", "10 км", "0,5 км"), ("kk", "10 км", "0,5 км"), ("en", "10 km", "0.5 km"),
])
def test_distance_spin_boxes_in_the_language_number_format(qapp, qtbot, lang, radius, cell):
    from juvmap.i18n import get_language, set_language
    from juvmap.ui.docks.analysis import AnalysisPanel

    before = get_language()
    set_language(lang)
    try:
        panel = AnalysisPanel()
        qtbot.addWidget(panel)
        assert panel.spin_kde_radius.text() == radius
        assert panel.spin_kde_cell.text() == cell
        panel.spin_kde_cell.lineEdit().setText(cell.replace("0", "1").replace("5", "25"))  # typed
        panel.spin_kde_cell.interpretText()
        assert panel.spin_kde_cell.value() == pytest.approx(1.25)
        set_language("en" if lang != "en" else "ru")
        panel.retranslate()
        assert panel.spin_kde_radius.text() == ("10 km" if lang != "en" else "10 км")
    finally:
        set_language(before)


def test_about_box_in_russian(qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from juvmap.i18n import get_language, set_language
    from juvmap.ui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    before = get_language()
    set_language("ru")
    try:
        window = MainWindow()
        window.show_about()
        window.deleteLater()
    finally:
        set_language(before)
    title, text = shown[0]
    assert title == "О программе juvmap" or "juvmap" in title
    assert "Границы: geokz 2024" in text
    assert "boundaries" not in text and "derived" not in text
