"""Offline web assets: Leaflet and its plugins from the installed ``xstatic`` packages.

folium links every JavaScript/CSS file from a CDN. :func:`make_offline` rewrites those links
on a map (and all its children) to files copied by :func:`install_assets` into a local folder,
and drops the ones a juvmap map does not use (Bootstrap, glyphicons, awesome-markers).
Nothing here is committed to the repository: the files come from PyPI packages at install time.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

#: folium link name -> (xstatic package, file inside its data dir, local relative path)
LOCAL_ASSETS: dict[str, tuple[str, str, str]] = {
    "leaflet": ("leaflet", "leaflet.js", "leaflet/leaflet.js"),
    "leaflet_css": ("leaflet", "leaflet.css", "leaflet/leaflet.css"),
    "jquery": ("jquery", "jquery.min.js", "jquery/jquery.min.js"),
    "markerclusterjs": (
        "leaflet_markercluster",
        "leaflet.markercluster.js",
        "markercluster/leaflet.markercluster.js",
    ),
    "markerclustercss": ("leaflet_markercluster", "MarkerCluster.css", "markercluster/MarkerCluster.css"),
    "markerclusterdefaultcss": (
        "leaflet_markercluster",
        "MarkerCluster.Default.css",
        "markercluster/MarkerCluster.Default.css",
    ),
}

#: folium links a juvmap map never needs; they are removed rather than served
DROPPED = {
    "bootstrap",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers",
    "awesome_markers_css",
    "awesome_markers_font_css",
    "awesome_rotate_css",
}

#: folders copied whole (images referenced by CSS)
_FOLDERS = {"leaflet": ("leaflet", "images")}


def _xstatic_dir(package: str) -> Path:
    module = importlib.import_module(f"xstatic.pkg.{package}")
    return Path(module.BASE_DIR)


def install_assets(target: Path) -> Path:
    """Copy the web assets into ``target`` (idempotent) and return it.

    Parameters
    ----------
    target : Path
        Folder that will hold ``leaflet/``, ``jquery/`` and ``markercluster/``.

    Returns
    -------
    Path
        ``target``.
    """
    target.mkdir(parents=True, exist_ok=True)
    for package, name, rel in LOCAL_ASSETS.values():
        dest = target / rel
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_xstatic_dir(package) / name, dest)
    for rel, (package, folder) in _FOLDERS.items():
        dest = target / rel / folder
        if not dest.exists():
            shutil.copytree(_xstatic_dir(package) / folder, dest)
    return target


def _local_links(links: list[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if name in DROPPED:
            continue
        if name not in LOCAL_ASSETS:
            if url.startswith(("http://", "https://", "//")):
                raise ValueError(f"no offline copy of web asset {name!r} ({url})")
            out.append((name, url))
            continue
        out.append((name, f"{prefix}{LOCAL_ASSETS[name][2]}"))
    return out


def make_offline(element, prefix: str) -> None:
    """Point every JS/CSS link of ``element`` and its children at local files.

    Parameters
    ----------
    element : branca.element.Element
        Usually a ``folium.Map``; its children are visited recursively.
    prefix : str
        URL prefix of the asset folder relative to the HTML file, e.g. ``"assets/"``.

    Notes
    -----
    The links are set on each instance, never on folium's classes, so other maps in
    the same process are not affected.
    """
    for attr in ("default_js", "default_css"):
        links = getattr(element, attr, None)
        if links:
            setattr(element, attr, _local_links(list(links), prefix))
    for child in getattr(element, "_children", {}).values():
        make_offline(child, prefix)
