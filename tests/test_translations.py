"""Every catalog is complete and the language switch works on real strings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from juvmap import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_catalogs_have_no_untranslated_or_fuzzy_entries():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "check"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_catalogs_cover_every_string_in_the_code(tmp_path):
    """The committed .pot is current: extracting again finds no new message."""
    from babel.messages.pofile import read_po

    pybabel = Path(sys.executable).with_name("pybabel")
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-k", "_", "-k", "N_", "-k", "ngettext:1,2",
         "-k", "translate_in:2", "-k", "_t:2", "--no-location", "-o", str(pot), str(ROOT / "juvmap")],
        check=True,
    )
    with open(pot, "rb") as fh:
        fresh = {m.id for m in read_po(fh) if m.id}
    with open(ROOT / "juvmap/resources/translations/ru/LC_MESSAGES/juvmap.po", "rb") as fh:
        known = {m.id for m in read_po(fh) if m.id}
    missing = sorted(str(m) for m in fresh - known)
    assert missing == [], "run `python tools/i18n.py extract update` and translate: " + repr(missing[:10])


def test_switching_language_changes_text():
    before = i18n.get_language()
    try:
        texts = {}
        for lang in i18n.LANGUAGES:
            i18n.set_language(lang)
            texts[lang] = i18n._("&Help")
        assert texts["en"] == "&Help"
        assert texts["ru"] != texts["en"] and texts["kk"] != texts["en"]
        assert texts["ru"] != texts["kk"]
    finally:
        i18n.set_language(before)


def test_default_language_follows_environment(monkeypatch):
    for var in ("JUVMAP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "kk_KZ.UTF-8")
    assert i18n.system_language() == "kk"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setattr(i18n.locale, "getlocale", lambda: ("de_DE", "UTF-8"))
    assert i18n.system_language() == "ru"


def test_using_language_is_local_to_the_thread():
    import threading

    before = i18n.get_language()
    seen = {}

    def worker():
        with i18n.using_language("kk"):
            seen["worker"] = i18n._("&File")
            seen["worker_lang"] = i18n.get_language()

    i18n.set_language("en")
    try:
        with i18n.using_language("ru"):
            thread = threading.Thread(target=worker)
            thread.start()
            thread.join()
            assert i18n.get_language() == "ru"
        assert i18n.get_language() == "en"
        assert seen["worker_lang"] == "kk"
    finally:
        i18n.set_language(before)


def test_messages_inside_f_strings_are_in_the_catalog():
    """Babel cannot see ``_("...")`` inside an f-string on Python 3.11: such messages must be
    declared elsewhere (``N_``) so that they are translated."""
    import re
    import tokenize

    from babel.messages.pofile import read_po

    call = re.compile(r"""(?<![\w.])(?:_|_t|translate_in)\(\s*(?:lang\s*,\s*)?(['"])(.+?)\1\s*\)""")
    with open(ROOT / "juvmap/resources/translations/ru/LC_MESSAGES/juvmap.po", "rb") as fh:
        known = {m.id for m in read_po(fh) if m.id}
    hidden = []
    for path in (ROOT / "juvmap").rglob("*.py"):
        with open(path, "rb") as fh:
            for tok in tokenize.tokenize(fh.readline):
                if tok.type == tokenize.STRING and re.match(r"^[rRbB]*[fF]", tok.string):
                    hidden += [(path.name, m.group(2)) for m in call.finditer(tok.string)
                               if m.group(2) not in known]
    assert hidden == []
