"""Small widgets that follow the interface language."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale
from PySide6.QtWidgets import QDoubleSpinBox

from juvmap.i18n import N_, _, get_language

#: the Qt locale of each interface language (numbers: decimal comma in kk/ru)
QT_LOCALES = {
    "kk": (QLocale.Language.Kazakh, QLocale.Country.Kazakhstan),
    "ru": (QLocale.Language.Russian, QLocale.Country.Russia),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}
KM = N_("km")


def qt_locale(lang: str | None = None) -> QLocale:
    """The QLocale of ``lang`` (default: the interface language), without group separators."""
    locale = QLocale(*QT_LOCALES.get(lang or get_language(), QT_LOCALES["en"]))
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale


class DistanceSpinBox(QDoubleSpinBox):
    """A distance in kilometres in the language's number format: "0,5 км", "10 km".

    Trailing zeros are dropped; typing accepts the language's decimal separator.
    :meth:`retranslate` (also run on Qt's LanguageChange) follows a language switch.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.retranslate()

    def retranslate(self) -> None:
        """Locale and unit of the current interface language."""
        self.setLocale(qt_locale())
        self.setSuffix(" " + _(KM))

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt API
        text = self.locale().toString(value, "f", self.decimals())
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
