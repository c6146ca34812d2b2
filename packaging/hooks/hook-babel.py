"""PyInstaller hook for Babel, replacing the stock one: only the locales juvmap speaks.

The stock hook collects all ~1000 CLDR locale files (32 MB). juvmap formats numbers and
dates in Kazakh, Russian and English only, so ``root`` and the ``kk``/``ru``/``en`` locales
(with their regional variants) are enough.
"""

from PyInstaller.utils.hooks import collect_data_files

_LOCALES = ("root", "kk", "ru", "en")


def _wanted(path: str) -> bool:
    return any(
        f"locale-data/{code}." in path or f"locale-data/{code}_" in path for code in _LOCALES
    )


datas = [
    (src, dest)
    for src, dest in collect_data_files("babel")
    if "locale-data" not in src.replace("\\", "/") or _wanted(src.replace("\\", "/"))
]
hiddenimports = ["babel.dates", "babel.localedata", "babel.plural", "babel.numbers"]
