"""Translation catalogs: extract, update, compile, check.

    python tools/i18n.py extract   # juvmap/**.py -> juvmap/resources/translations/juvmap.pot
    python tools/i18n.py update    # merge the .pot into kk, ru, en .po files
    python tools/i18n.py compile   # .po -> .mo (done by `make install`; .mo are not committed)
    python tools/i18n.py check     # fail on untranslated or fuzzy entries
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "juvmap" / "resources" / "translations"
POT = TRANSLATIONS / "juvmap.pot"
LANGUAGES = ("kk", "ru", "en")
PYBABEL = Path(sys.executable).with_name("pybabel")


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "juvmap.po"


def extract() -> None:
    subprocess.run(
        [str(PYBABEL), "-q", "extract", "-k", "_", "-k", "N_", "-k", "ngettext:1,2",
         "-k", "translate_in:2", "-k", "_t:2", "--no-location", "--sort-output",
         "--project", "juvmap", "-o", str(POT), str(ROOT / "juvmap")],
        check=True,
    )


def update() -> None:
    for lang in LANGUAGES:
        po = po_path(lang)
        cmd = "update" if po.exists() else "init"
        args = [str(PYBABEL), "-q", cmd, "-D", "juvmap", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang]
        if cmd == "update":
            args += ["--no-fuzzy-matching", "--ignore-obsolete"]
        subprocess.run(args, check=True)
    fill_english()


def fill_english() -> None:
    """English is the source language: its catalog repeats every message."""
    from babel.messages.pofile import write_po

    po = po_path("en")
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id[min(i, 1)] for i in range(catalog.num_plurals))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(po, "wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)


def compile_all(quiet: bool = False) -> None:
    for lang in LANGUAGES:
        po = po_path(lang)
        if not po.exists():
            continue
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=lang)
        with open(mo, "wb") as fh:
            write_mo(fh, catalog)
        if not quiet:
            print(f"compiled {mo.relative_to(ROOT)}")


def problems(lang: str) -> list[str]:
    """Untranslated or fuzzy entries of one catalog, as readable lines."""
    with open(po_path(lang), "rb") as fh:
        catalog = read_po(fh, locale=lang)
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            out.append(f"{lang}: fuzzy: {message.id!r}")
        elif not all(strings):
            out.append(f"{lang}: untranslated: {message.id!r}")
    return out


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "extract":
        extract()
    elif cmd == "update":
        update()
    elif cmd == "compile":
        compile_all(quiet="--quiet" in argv)
    elif cmd == "check":
        bad = [line for lang in LANGUAGES for line in problems(lang)]
        print("\n".join(bad) or "all catalogs complete")
        return 1 if bad else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
