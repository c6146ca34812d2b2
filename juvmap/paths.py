"""Where juvmap finds its files: a source checkout, an installed copy or a PyInstaller bundle."""

from __future__ import annotations

import os
from pathlib import Path


def app_root() -> Path:
    """Return the folder that holds ``data/`` and ``resources/``: the ``juvmap`` package itself.

    They are package data, so this is the same in a checkout, an installed wheel and a
    PyInstaller bundle (``<bundle>/_internal/juvmap/``). ``JUVMAP_ROOT`` overrides it.
    """
    env = os.environ.get("JUVMAP_ROOT")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent


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
