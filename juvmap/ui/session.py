"""The application's working state on the Qt side: data, settings, and the computations.

It owns the incident layer, the polygon layer, the filter, the map settings
(:class:`~juvmap.mapping.spec.MapSpec`) and the denominator choice. Every computation runs
through the :class:`~juvmap.ui.worker.TaskRunner` and reports back with a signal. The
values themselves are Qt-free and are what a ``.juvmap`` project saves.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from juvmap.errors import JuvmapError
from juvmap.i18n import _, get_language, using_language
from juvmap.mapping.spec import MapSpec
from juvmap.project import DataSource, Project
from juvmap.stats.filters import IncidentFilter
from juvmap.ui import web
from juvmap.ui.worker import TaskRunner

log = logging.getLogger(__name__)

DEFAULT_LAYERS = ("choropleth", "kde", "hotspots")


class Session(QObject):
    """Data + settings + computations of one window.

    Signals
    -------
    dataChanged()
        A new incident or polygon layer is in place.
    mapBuilt(MapPage)
        A map file is ready to show (:class:`~juvmap.mapping.live.MapPage`).
    profileReady(object, object)
        ``(RegionProfile, filtered incidents)`` of the selected region.
    loaded(object)
        ``LoadResult`` of a file the user opened (its report is shown).
    failed(str)
        A translated message for the user; the previous data stay in place.
    """

    dataChanged = Signal()
    mapBuilt = Signal(object)
    profileReady = Signal(object, object)
    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.incidents = None
        self.incidents_source = DataSource()
        self.polygons = None
        self.regions_source = DataSource()
        self.filter = IncidentFilter()
        self.spec = MapSpec(layers=DEFAULT_LAYERS)
        self.denominator_kind = "juvenile"
        self.selected: str | None = None
        self._profiles_key = None
        self._profiles = None
        self._map_files = web.MapFiles()

    # -- data ---------------------------------------------------------------------------
    def load_builtin(self) -> None:
        """The synthetic demo layer and the 20 built-in regions (fast: GUI thread)."""
        from juvmap.io.boundaries import load_regions
        from juvmap.io.demo import load_demo_incidents

        self.incidents = load_demo_incidents()
        self.incidents_source = DataSource()
        self.polygons = load_regions(detail="display")  # same topology, light to draw
        self.regions_source = DataSource()
        self._profiles_key = None
        self.dataChanged.emit()

    def open_incidents(self, path: str, mapping: dict | None = None, crs: str | None = None) -> None:
        """Load a user file in the background; on success it replaces the incidents."""
        from juvmap.io.load import load_layer

        def work(progress, cancel):
            return load_layer(path, mapping=mapping or None, crs=crs, progress=progress, cancel=cancel)

        def done(result) -> None:
            if result.kind != "points" or result.report.loaded == 0:
                self.loaded.emit(result)
                if result.report.loaded == 0:
                    self.failed.emit(_("No row of {name} could be loaded.").format(name=Path(path).name))
                else:
                    self.failed.emit(_("{name} is a table of regions, not incidents; "
                                       "it was checked but not loaded.").format(name=Path(path).name))
                return
            data = result.data
            self.incidents = data
            self.incidents_source = DataSource(str(path), dict(mapping or {}), crs)
            self._profiles_key = None
            self.loaded.emit(result)
            self.dataChanged.emit()

        self.runner.submit("load", work, done, self._error, _("Loading {name}…").format(name=Path(path).name))

    def open_regions(self, path: str | None) -> None:
        """Replace the polygon layer with a user file (``None``: back to the built-in one)."""
        from juvmap.io.boundaries import load_regions

        def work(progress, cancel):
            return load_regions(detail="display", path=path)

        def done(polygons) -> None:
            self.polygons = polygons
            self.regions_source = DataSource(path)
            self.dataChanged.emit()

        self.runner.submit("regions", work, done, self._error, _("Loading the region layer…"))

    # -- settings -----------------------------------------------------------------------
    def set_filter(self, flt: IncidentFilter) -> None:
        self.filter = flt

    def set_spec(self, spec: MapSpec) -> None:
        self.spec = spec

    def set_denominator(self, kind: str) -> None:
        self.denominator_kind = kind

    def denominator(self):
        """The population at risk for the current choice."""
        from juvmap.io import builtin
        from juvmap.stats.rates import Denominator

        if self.denominator_kind == "residents":
            return Denominator.residents(builtin.population("2023-01-01"))
        return Denominator.from_table(builtin.juvenile_population())

    def matching(self) -> tuple[int, int]:
        """How many incidents pass the filter, of how many."""
        if self.incidents is None:
            return 0, 0
        return int(self.filter.mask(self.incidents).sum()), len(self.incidents)

    def years(self) -> tuple[int, int]:
        """First and last year of the incident layer."""
        dates = self.incidents["date"].dropna()
        return int(dates.dt.year.min()), int(dates.dt.year.max())

    # -- computations -------------------------------------------------------------------
    def rebuild_map(self, year: int | None = None) -> None:
        """Build the map of the current settings in the background; emit ``mapBuilt``."""
        self.submit_map("year" if year is not None else "map", self.mapBuilt.emit, year=year)

    def build_print_map(self, prepare, on_done) -> None:
        """Build a map without incident points, pass it through ``prepare`` (print layout), write it."""
        self.submit_map("print", on_done, for_print=True, prepare=prepare)

    def submit_map(self, key: str, on_done, *, year=None, for_print=False, prepare=None) -> None:
        """Build a map in the background under task ``key`` and call ``on_done``.

        ``on_done`` receives the file's path when ``for_print``, else its
        :class:`~juvmap.mapping.live.MapPage` (which the map view can apply in place).
        """
        from juvmap.mapping.build import write_map
        from juvmap.mapping.live import write_page
        from juvmap.mapping.spec import build_map_from_spec

        if self.incidents is None:
            return
        spec = replace(self.spec, filter=self.filter, language=get_language(), year=year)
        incidents, polygons, denominator = self.incidents, self.polygons, self.denominator()
        target = self._map_files.new(key)

        def work(progress, cancel):
            with using_language(spec.language):
                fmap = build_map_from_spec(spec, incidents, polygons, denominator, progress, cancel,
                                           for_print=for_print)
                if prepare is not None:
                    fmap = prepare(fmap)
                return write_map(fmap, target) if for_print else write_page(fmap, target)

        self.runner.submit(key, work, on_done, self._error, _("Drawing the map…"))

    def select_region(self, code: str | None) -> None:
        """Profile ``code`` against the nation in the background; emit ``profileReady``."""
        self.selected = code
        if code is None or self.incidents is None:
            return
        from juvmap.recommend.profile import all_profiles

        key = (id(self.incidents), self.filter, get_language())
        incidents, flt, lang = self.incidents, self.filter, get_language()
        cached = self._profiles if self._profiles_key == key else None

        def work(progress, cancel):
            profiles = cached or all_profiles(incidents, flt, lang=lang, progress=progress, cancel=cancel)
            return profiles

        def done(profiles) -> None:
            self._profiles_key, self._profiles = key, profiles
            if self.selected in profiles:
                self.profileReady.emit(profiles[self.selected], incidents)

        self.runner.submit("profile", work, done, self._error, _("Profiling the region…"))

    # -- projects -----------------------------------------------------------------------
    def to_project(self, view: dict | None = None) -> Project:
        analysis = self.spec.to_dict()
        analysis.pop("filter", None)
        analysis["denominator"] = self.denominator_kind
        view = dict(view or {})
        view["selected_region"] = self.selected
        return Project(self.incidents_source, self.regions_source, self.filter, analysis, view)

    def apply_project(self, project: Project) -> None:
        """Take the settings of ``project`` and reload its data sources."""
        analysis = dict(project.analysis)
        self.denominator_kind = analysis.pop("denominator", "juvenile")
        known = set(MapSpec.__dataclass_fields__)
        self.spec = MapSpec.from_dict({k: v for k, v in analysis.items() if k in known})
        self.filter = project.filter
        self.selected = project.view.get("selected_region")
        if project.incidents.path:
            self.open_incidents(project.incidents.path, project.incidents.mapping, project.incidents.crs)
        if project.regions.path:
            self.open_regions(project.regions.path)

    def _error(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, JuvmapError) else _(
            "Something went wrong: {error}").format(error=type(exc).__name__)
        self.failed.emit(message)
