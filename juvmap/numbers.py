"""Numbers as a reader of each language expects them, with small counts suppressed."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

from juvmap.disclosure import SUPPRESS_BELOW  # the one threshold of the "<5" rule

__all__ = ["SUPPRESS_BELOW", "babel_locale", "format_count", "format_number"]

_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}


def babel_locale(lang: str) -> str:
    """The Babel locale used to format numbers and dates for ``lang``."""
    return _LOCALES.get(lang, "en_GB")


def format_number(value: float, lang: str, decimals: int = 1) -> str:
    """Format ``value`` with ``decimals`` places in the conventions of ``lang``; NaN → "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def format_count(value: float, lang: str) -> str:
    """Format a count of minors: below :data:`SUPPRESS_BELOW` it is shown as "<5"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if 0 < value < SUPPRESS_BELOW:
        return f"<{SUPPRESS_BELOW}"
    return format_number(value, lang, 0)
