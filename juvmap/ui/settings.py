"""Where the application keeps window layout, language and recent files.

One INI file, ``juvmap.ini`` in the user's config folder (``JUVMAP_CONFIG`` overrides the
folder, which tests use to stay out of the real one).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings


def settings_path() -> Path:
    """The settings file."""
    folder = os.environ.get("JUVMAP_CONFIG")
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("juvmap", appauthor=False)
    return Path(folder) / "juvmap.ini"


def app_settings() -> QSettings:
    """The application's settings (window geometry and docks, language, recent files)."""
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)
