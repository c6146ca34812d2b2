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
def demo_result(demo):
    """The analysis of the demo layer over 2019–2023 with profiles and density."""
    from juvmap.analysis import AnalysisRequest, Sources, analyse

    request = AnalysisRequest(period=(2019, 2023)).with_outputs("density", "profiles")
    return analyse(request, Sources(incidents=demo))


@pytest.fixture(scope="session")
def profiles(demo_result):
    """Recommendation-sheet profiles of the 20 regions on the demo layer."""
    from juvmap.recommend.profile import all_profiles

    return all_profiles(demo_result)


@pytest.fixture(scope="session")
def draw():
    """``draw(incidents, layers, **settings)``: analyse and draw a map as the app does.

    Settings that are :class:`~juvmap.mapping.spec.MapSpec` fields go to the drawing, the rest
    to the :class:`~juvmap.analysis.AnalysisRequest`; a filter's years become the period;
    ``areas`` (a polygon layer with codes) replaces the 20 regions.
    """
    from dataclasses import fields, replace

    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.io.builtin import juvenile_population
    from juvmap.mapping.spec import MapSpec, build_map
    from juvmap.stats.filters import IncidentFilter

    style_fields = {f.name for f in fields(MapSpec)}

    def draw_map(incidents, layers=("choropleth",), *, filter=None, areas=None, for_print=False,  # noqa: A002
                 progress=None, cancel=None, result_only=False, **settings):
        style = {k: v for k, v in settings.items() if k in style_fields}
        request = {k: v for k, v in settings.items() if k not in style_fields}
        flt = filter or IncidentFilter()
        if flt.years is not None and "period" not in request:
            request["period"] = flt.years
        spec = MapSpec(layers=tuple(layers), **style)
        sources = Sources(incidents=incidents, user_areas=areas,
                          population_table=juvenile_population() if areas is not None else None)
        result = analyse(AnalysisRequest(level="user" if areas is not None else "regions",
                                         filter=replace(flt, years=None), outputs=spec.outputs(), **request),
                         sources, progress, cancel)
        if result_only:
            return result
        return build_map(result, spec, incidents=incidents, for_print=for_print)

    return draw_map


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
