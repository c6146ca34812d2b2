"""Make a Kazakh language for NSIS when the NSIS installation has none (NSIS 3.08-3.11).

NSIS ships no ``Kazakh.nlf``/``Kazakh.nsh``. This writes them into ``OUTDIR`` from NSIS's own
Russian files: the language is registered as Kazakh (LCID 1087, "Қазақша", code page 1251,
which is Kazakh's Windows code page too), its own installer strings (``LangString`` in
``juvmap.nsi``) are Kazakh, and NSIS's stock button and page texts stay Russian, the same
fallback juvmap uses for Qt's own dialogs. Nothing third-party is committed: the files are
derived at build time. Called by ``juvmap.nsi`` through ``!system``::

    python kazakh_language.py "C:/Program Files (x86)/NSIS" build/lang
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

KAZAKH_LCID = "1087"


def derive(nsis_dir: Path, out: Path) -> None:
    """Write ``out/Kazakh.nlf`` and ``out/Kazakh.nsh`` derived from the Russian files."""
    lang = nsis_dir / "Contrib" / "Language files"
    if not lang.is_dir():  # Debian/Ubuntu package layout
        lang = nsis_dir / "share" / "nsis" / "Contrib" / "Language files"
    out.mkdir(parents=True, exist_ok=True)
    nlf = (lang / "Russian.nlf").read_text(encoding="utf-8-sig")
    nlf, count = re.subn(r"(# Language ID\r?\n)1049", rf"\g<1>{KAZAKH_LCID}", nlf, count=1)
    if count != 1:
        raise SystemExit("unexpected Russian.nlf header")
    (out / "Kazakh.nlf").write_text("\ufeff" + nlf, encoding="utf-8")
    nsh = (lang / "Russian.nsh").read_text(encoding="utf-8-sig")
    nsh, count = re.subn(r'!insertmacro LANGFILE "Russian" .*',
                         '!insertmacro LANGFILE "Kazakh" = "Қазақша" "Qazaqsha"', nsh, count=1)
    if count != 1:
        raise SystemExit("unexpected Russian.nsh header")
    nsh = nsh.replace(";Language: Russian (1049)", f";Language: Kazakh ({KAZAKH_LCID}), texts from Russian")
    (out / "Kazakh.nsh").write_text("\ufeff" + nsh, encoding="utf-8", newline="")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: kazakh_language.py NSISDIR OUTDIR")
    derive(Path(sys.argv[1]), Path(sys.argv[2]))
