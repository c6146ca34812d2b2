"""Translations for every user-visible string (gettext; kk, ru, en).

Use ``_("text")`` at the place a string is shown, ``N_("text")`` for module-level
constants translated later with ``_(value)``, and ``ngettext`` for counts. The active
language is process-wide and can be switched live with :func:`set_language`.
"""

from __future__ import annotations

import gettext as _gettext
import locale
import os
import threading
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from pathlib import Path

from juvmap.paths import resource_path

LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "ru"
DOMAIN = "juvmap"

_current = DEFAULT_LANGUAGE
_local = threading.local()  # per-thread override, see using_language()
_translations: dict[str, _gettext.NullTranslations] = {}
_listeners: list[Callable[[str], None]] = []


def _compiled_catalog(lang: str) -> Path | None:
    """Return the ``.mo`` file for ``lang``, compiling the ``.po`` into the cache if needed."""
    po = resource_path("translations", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return mo
    if not po.exists():
        return None
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from juvmap.paths import cache_dir

    target = cache_dir() / "translations" / lang / f"{DOMAIN}.mo"
    if target.exists() and target.stat().st_mtime >= po.stat().st_mtime:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    with open(target, "wb") as fh:
        write_mo(fh, catalog)
    return target


def _catalog(lang: str) -> _gettext.NullTranslations:
    """Return the translations of ``lang`` (English falls back to the source strings)."""
    if lang not in _translations:
        mo = _compiled_catalog(lang)
        if mo is None:
            _translations[lang] = _gettext.NullTranslations()
        else:
            with open(mo, "rb") as fh:
                _translations[lang] = _gettext.GNUTranslations(fh)
    return _translations[lang]


def system_language() -> str:
    """Return the UI language from the environment, else Russian."""
    for var in ("JUVMAP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    try:
        code = (locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Make ``lang`` (one of :data:`LANGUAGES`) the active language and notify listeners."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    _current = lang
    for listener in list(_listeners):
        listener(lang)


def get_language() -> str:
    """Return the active language code (this thread's override, if any)."""
    return getattr(_local, "lang", None) or _current


@contextmanager
def using_language(lang: str | None) -> Iterator[str]:
    """Translate into ``lang`` in this thread only, for the duration of the block.

    Builders that make a map or a sheet in a given language use this instead of
    :func:`set_language`, so that a worker thread never switches the interface.
    """
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    previous = getattr(_local, "lang", None)
    _local.lang = lang or previous
    try:
        yield get_language()
    finally:
        _local.lang = previous


def on_language_changed(callback: Callable[[str], None]) -> None:
    """Call ``callback(lang)`` after every :func:`set_language`."""
    _listeners.append(callback)


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _catalog(get_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on the count ``n``."""
    return _catalog(get_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark ``message`` for extraction without translating it now."""
    return message


def translate_in(lang: str, message: str) -> str:
    """Translate ``message`` into ``lang`` without changing the active language."""
    return _catalog(lang).gettext(message)


set_language(system_language())
