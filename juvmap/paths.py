"""Where juvmap finds its files: a source checkout, an installed copy or a PyInstaller bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def app_root() -> Path:
    """Return the folder that holds ``data/`` and ``resources/``.

    In a PyInstaller bundle this is ``sys._MEIPASS``; in a checkout it is the repository root.
    ``JUVMAP_ROOT`` overrides both.
    """
    env = os.environ.get("JUVMAP_ROOT")
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def data_path(*parts: str) -> Path:
    """Return a path inside the built-in ``data/`` folder."""
    return app_root().joinpath("data", *parts)


def resource_path(*parts: str) -> Path:
    """Return a path inside ``resources/`` (translations, icons, web assets)."""
    return app_root().joinpath("resources", *parts)


def cache_dir() -> Path:
    """Return (and create) the per-user cache folder for derived files."""
    env = os.environ.get("JUVMAP_CACHE")
    if env:
        path = Path(env)
    else:
        from platformdirs import user_cache_dir

        path = Path(user_cache_dir("juvmap", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
