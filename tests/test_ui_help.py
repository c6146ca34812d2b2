"""Help → User guide (F1) offline in kk/ru/en, and a tooltip on every analysis control."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.qt

LANGS = ("kk", "ru", "en")
#: words each language's pages must carry (the three kinds of users, the numbers explained)
EXPECTED = {
    "index.html": {"en": ("Researcher", "Juvenile police unit", "Trainer", "GeoPackage", "F11"),
                   "ru": ("Исследователь", "Подразделение по делам несовершеннолетних", "Преподаватель",
                          "GeoPackage", "F11"),
                   "kk": ("Зерттеуші", "Кәмелетке толмағандар ісі жөніндегі бөлініс", "Оқытушы",
                          "GeoPackage", "F11")},
    "numbers.html": {"en": ("10,000", "Garwood", "Empirical Bayes", "999", "Gi*", "KDE", "&lt;5"),
                     "ru": ("10 000", "Гарвуда", "байесовский", "999", "Gi*", "KDE", "&lt;5"),
                     "kk": ("10 000", "Гарвуд", "байестік", "999", "Gi*", "KDE", "&lt;5")},
    "shortcuts.html": {lang: ("F1", "F11", "Ctrl+P", "Esc") for lang in LANGS},
}


@pytest.mark.parametrize("lang", LANGS)
def test_guide_pages_exist_link_each_other_and_explain_the_numbers(lang):
    from juvmap.ui.help import PAGES, guide_page

    for page in PAGES:
        path = guide_page(lang, page)
        assert path.parent.name == lang
        html = path.read_text(encoding="utf-8")
        for word in EXPECTED[page][lang]:
            assert word in html, (lang, page, word)
        for link in re.findall(r'href="([^"]+)"', html):
            assert (path.parent / link).is_file(), (lang, page, link)  # offline, no broken link
        assert "http" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_f1_opens_the_guide_in_the_interface_language(qapp, qtbot, lang):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QKeySequence

    from juvmap.i18n import get_language, set_language
    from juvmap.ui import help as guide
    from juvmap.ui.main_window import MainWindow

    before = get_language()
    set_language(lang)
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        action = window.actions_by_id["guide"]
        assert action.shortcut() == QKeySequence("F1")
        assert action in window.help_menu.actions()
        action.trigger()
        dialog = next(d for d in guide._open if d.parent() is window)
        text = dialog.browser.toPlainText()
        assert {"kk": "Зерттеуші", "ru": "Исследователь", "en": "Researcher"}[lang] in text
        dialog.browser.setSource(dialog.browser.source().resolved(QUrl("numbers.html")))
        assert "<5" in dialog.browser.toPlainText()
        dialog.close()
        window.unsaved.clear()
    finally:
        set_language(before)


@pytest.mark.parametrize("lang", LANGS)
def test_every_analysis_and_layer_control_has_a_tooltip(qapp, lang):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox

    from juvmap.i18n import using_language
    from juvmap.ui.docks.analysis import AnalysisPanel
    from juvmap.ui.docks.layers import LayersPanel

    with using_language(lang):
        missing = []
        for panel in (AnalysisPanel(), LayersPanel()):
            controls = [w for kind in (QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractSlider)
                        for w in panel.findChildren(kind)]
            for widget in controls:
                if type(widget).__name__ == "QScrollBar" or widget.objectName().startswith("qt_"):
                    continue
                if not widget.toolTip():
                    missing.append(widget.objectName())
            panel.deleteLater()
    assert missing == []
