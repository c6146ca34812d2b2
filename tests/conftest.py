"""Shared test fixtures. ``shared`` is the project's ``../shared`` folder (facts and geodata)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("JUVMAP_SHARED", ROOT.parent / "shared"))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ``../shared`` folder; tests that need it fail loudly when it is missing."""
    assert SHARED.is_dir(), f"expected the shared facts and geodata at {SHARED}"
    return SHARED


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep derived files and settings of the test run out of the user's cache and config."""
    os.environ.setdefault("JUVMAP_CACHE", str(tmp_path_factory.mktemp("cache")))
    os.environ.setdefault("JUVMAP_CONFIG", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(scope="session")
def demo():
    """The built-in synthetic incident layer (core functions never mutate it)."""
    from juvmap.io.demo import load_demo_incidents

    return load_demo_incidents()


@pytest.fixture(scope="session")
def profiles(demo):
    """Recommendation-sheet profiles of the 20 regions on the demo layer."""
    from juvmap.recommend.profile import all_profiles

    return all_profiles(demo)


@pytest.fixture
def english():
    """Run a test in English and restore the language afterwards."""
    from juvmap import i18n

    before = i18n.get_language()
    i18n.set_language("en")
    yield "en"
    i18n.set_language(before)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``juvmap:`` URL scheme before pytest-qt creates the QApplication."""
    from PySide6.QtCore import QCoreApplication, Qt

    from juvmap.ui.web import register_scheme

    register_scheme()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Delete web pages before Qt tears down their profile (avoids a crash at exit)."""
    from juvmap.ui import web

    web.release_pages()
