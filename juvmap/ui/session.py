"""The window's data and computations on the Qt side, driven by the one :class:`AppState`.

The session holds the loaded layers (incidents, the user's area layer), observes the state and
turns every change into one :func:`juvmap.analysis.analyse` call through the one worker; the map,
the Region dock and the exports all render that result. Nothing here computes statistics.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from juvmap.analysis import AnalysisResult, Sources, analyse
from juvmap.errors import JuvmapError
from juvmap.i18n import _, get_language, using_language
from juvmap.project import DataSource, Project
from juvmap.state import MAP_FIELDS, AppState
from juvmap.ui import web
from juvmap.ui.worker import TaskRunner

log = logging.getLogger(__name__)

#: filter fields as the user sees them (for the message when a new file lacks their column)
FILTER_FIELD_LABELS = {
    "categories": "category", "articles": "article", "gravity": "gravity", "age": "age", "sex": "sex",
    "pupil": "pupil", "repeat": "repeat", "group": "group", "intoxicated": "intoxicated",
    "hours": "time", "weekdays": "date", "places": "place", "years": "date",
}


class Session(QObject):
    """Data + state + computations of one window.

    Signals
    -------
    dataChanged()
        A new incident or area layer is in place.
    mapBuilt(MapPage)
        A map file is ready to show (:class:`~juvmap.mapping.live.MapPage`).
    resultReady(AnalysisResult)
        The analysis behind the map just shown.
    profileReady(object, object)
        ``(RegionProfile or None, AnalysisResult)`` of the selected area.
    loaded(object)
        ``LoadResult`` of a file the user opened (its report is shown).
    failed(str)
        A translated message for the user; the previous data stay in place.
    notice(str)
        A translated remark (e.g. filter settings the new data cannot use were reset).
    """

    dataChanged = Signal()
    mapBuilt = Signal(object)
    resultReady = Signal(object)
    profileReady = Signal(object, object)
    loaded = Signal(object)
    failed = Signal(str)
    notice = Signal(str)

    def __init__(self, runner: TaskRunner, state: AppState | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.state = state or AppState()
        self.incidents = None
        self.incidents_source = DataSource()
        self.user_areas = None
        self.regions_source = DataSource()
        self.official = None  # imported Form 1-M figures (None: the built-in 2022 layer)
        self.official_files: list[str] = []
        self.official_period: str | None = None
        self.result: AnalysisResult | None = None
        self._sources: Sources | None = None
        self._map_files = web.MapFiles()
        self._changed: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._apply_changes)
        self.state.events.all.connect(self._on_state)

    # -- data ---------------------------------------------------------------------------
    def sources(self) -> Sources:
        """The data the analyses read (the same object while the data stay the same)."""
        if self._sources is None:
            self._sources = Sources(incidents=self.incidents, user_areas=self.user_areas, official=self.official,
                                    incidents_file=self.incidents_source.path or "demo")
        return self._sources

    def _replace_data(self, incidents=None, user_areas=None, *, keep_areas: bool = True) -> None:
        if incidents is not None:
            self.incidents = incidents
        if not keep_areas:
            self.user_areas = user_areas
        self._sources = None
        self._fit_state_to_data()
        self.dataChanged.emit()
        self.refresh()

    def load_builtin(self) -> None:
        """The synthetic demo layer (fast: GUI thread)."""
        from juvmap.io.demo import load_demo_incidents

        self.incidents_source = DataSource()
        self._replace_data(load_demo_incidents())

    def open_incidents(self, path: str, mapping: dict | None = None, crs: str | None = None,
                       layer: str | None = None) -> None:
        """Load a user file in the background (incident points, or a table of counts by region
        and year); on success it replaces the incidents."""
        from juvmap.io.load import load_layer

        def work(progress, cancel):
            return load_layer(path, mapping=mapping or None, crs=crs, progress=progress, cancel=cancel,
                              layer=layer)

        def done(result) -> None:
            self.loaded.emit(result)
            if result.report.loaded == 0:
                self.failed.emit(_("No row of {name} could be loaded.").format(name=Path(path).name))
                return
            if result.kind != "points" and "region" not in result.data.columns:
                self.failed.emit(_("{name} has neither incident points nor region codes.").format(
                    name=Path(path).name))
                return
            self.incidents_source = DataSource(str(path), dict(mapping or {}), crs, layer)
            self._replace_data(result.data)

        self.runner.submit("load", work, done, self._error, _("Loading {name}…").format(name=Path(path).name))

    def import_form1m(self, paths: list[str], period: str | None = None) -> None:
        """Read Form 1-M workbooks in the background; they become the official figures shown."""
        from juvmap.io.form1m import read_many

        def work(progress, cancel):
            return read_many(paths, period=period)[0]

        def done(table) -> None:
            self.official, self.official_files, self.official_period = table, list(paths), period
            self._sources = None
            self.result = None
            self.state.mode = "official"
            self.refresh()
            self.notice.emit(_("Imported {n} Form 1-M workbooks: {periods}.").format(
                n=len(paths), periods=", ".join(sorted(set(table["period"].astype(str))))))

        self.runner.submit("form1m", work, done, self._error, _("Reading Form 1-M workbooks…"))

    def open_regions(self, path: str | None) -> None:
        """Use a user polygon layer as the areas (``None``: back to the built-in ones)."""
        from juvmap.io.boundaries import load_regions

        def work(progress, cancel):
            return None if path is None else load_regions(detail="display", path=path)

        def done(polygons) -> None:
            self.regions_source = DataSource(path)
            self._replace_data(user_areas=polygons, keep_areas=False)
            self.state.level = "user" if polygons is not None else "regions"

        self.runner.submit("regions", work, done, self._error, _("Loading the region layer…"))

    def _fit_state_to_data(self) -> None:
        """Keep the filter and period usable on the data just loaded, saying what was reset."""
        if self.incidents is None:
            return
        flt, dropped = self.state.filter.usable_on(self.incidents)
        years = self.years()
        period = self.state.period
        if years is not None and (period is None or period[0] < years[0] or period[1] > years[1]):
            period = (years[1], years[1])
        self.state.update(filter=flt, period=period)
        if dropped:
            columns = ", ".join(sorted({FILTER_FIELD_LABELS.get(name, name) for name in dropped}))
            self.notice.emit(_("The new data have no column {columns}; the filter on it was reset.").format(
                columns=columns))

    def has_points(self) -> bool:
        """Whether the incident layer has located points (else it is a table of counts by region)."""
        from juvmap.io.points import has_points

        return self.incidents is not None and has_points(self.incidents)

    def matching(self) -> tuple[int, int]:
        """How many incidents pass the filter in the period, of how many."""
        if self.incidents is None:
            return 0, 0
        from dataclasses import replace

        flt = replace(self.state.filter, years=self.state.period)
        try:
            return int(flt.mask(self.incidents).sum()), len(self.incidents)
        except JuvmapError:
            return 0, len(self.incidents)

    def years(self) -> tuple[int, int] | None:
        """First and last year of the incident layer."""
        import pandas as pd

        if self.incidents is None or "date" not in self.incidents:
            return None
        dates = pd.to_datetime(self.incidents["date"], errors="coerce").dropna()
        return (int(dates.dt.year.min()), int(dates.dt.year.max())) if len(dates) else None

    # -- state --------------------------------------------------------------------------
    def _on_state(self, info) -> None:
        self._changed.add(info.signal.name)
        self._timer.start()

    def _apply_changes(self) -> None:
        changed, self._changed = self._changed, set()
        if changed == {"selected"}:
            self.select_region(self.state.selected)
        else:
            self.refresh()

    def refresh(self) -> None:
        """Analyse the current state and draw its map in the background."""
        self.submit_map("map", self._map_done)

    def _map_done(self, outcome) -> None:
        page, result = outcome
        self.result = result
        self.mapBuilt.emit(page)
        self.resultReady.emit(result)
        self.select_region(self.state.selected)

    def request(self, *outputs: str):
        """The analysis request of the current state."""
        return self.state.request(*outputs)

    def submit_map(self, key: str, on_done, *, year: int | None = None, class_period=None,
                   for_print: bool = False, prepare=None) -> None:
        """Analyse and draw under task ``key``; ``on_done`` gets the written file's path when
        ``for_print`` (no incidents drawn), else ``(MapPage, AnalysisResult)``. ``year`` maps
        one year; ``class_period`` classifies on the rates of all its years (the year player)."""
        from dataclasses import replace

        from juvmap.mapping.build import write_map
        from juvmap.mapping.live import write_page
        from juvmap.mapping.spec import build_map

        if self.state.mode == "incidents" and self.incidents is None:
            return
        lang = get_language()
        spec = self.state.map_spec(lang, for_print=for_print)
        if self.state.mode == "incidents" and not self.has_points():  # a table by region: no density
            spec = replace(spec, layers=tuple(k for k in spec.layers if k not in ("kde", "incidents")))
        request = self.request(*spec.outputs())
        if year is not None:
            request = replace(request, period=(year, year))
        if class_period is not None and request.class_period is None:
            request = replace(request, class_period=tuple(class_period))
        sources, incidents = self.sources(), self.incidents
        target = self._map_files.new(key)

        def work(progress, cancel):
            result = analyse(request, sources, progress, cancel)
            with using_language(lang):
                fmap = build_map(result, spec, incidents=incidents, for_print=for_print)
                if prepare is not None:
                    fmap = prepare(fmap)
                return write_map(fmap, target) if for_print else (write_page(fmap, target), result)

        self.runner.submit(key, work, on_done, self._error, _("Drawing the map…"))

    def build_print_map(self, prepare, on_done) -> None:
        """Draw the current map without incident points, through ``prepare`` (print layout)."""
        self.submit_map("print", on_done, for_print=True, prepare=prepare)

    def analyse_now(self, on_done, *outputs: str, key: str = "analysis") -> None:
        """Run the current request (with ``outputs``) in the background; ``on_done(result)``."""
        request, sources = self.request(*outputs), self.sources()

        def work(progress, cancel):
            return analyse(request, sources, progress, cancel)

        self.runner.submit(key, work, on_done, self._error, _("Analysing…"))

    def select_region(self, code: str | None) -> None:
        """Profile the selected area in the background; emit ``profileReady``."""
        if code != self.state.selected:
            self.state.selected = code  # the state event calls back here
            return
        if code is None:
            self.profileReady.emit(None, self.result)
            return
        if self.state.mode == "official" or self.incidents is None:
            if self.result is not None:
                self.profileReady.emit(None, self.result)
            return
        from juvmap.recommend.profile import all_profiles

        lang = get_language()
        request, sources = self.request("density", "profiles"), self.sources()

        def work(progress, cancel):
            result = analyse(request, sources, progress, cancel)
            return all_profiles(result, lang).get(code), result

        def done(outcome) -> None:
            profile, result = outcome
            if self.state.selected == code:
                self.profileReady.emit(profile, result)

        self.runner.submit("profile", work, done, self._error, _("Profiling the region…"))

    # -- projects -----------------------------------------------------------------------
    def to_project(self, view: dict | None = None) -> Project:
        analysis = self.state.to_dict()
        flt = self.state.filter
        analysis.pop("filter", None)
        view = dict(view or {})
        view["selected_region"] = analysis.pop("selected", None)
        view["official_files"] = list(self.official_files)
        view["official_period"] = self.official_period
        return Project(self.incidents_source, self.regions_source, flt, analysis, view)

    def apply_project(self, project: Project) -> None:
        """Take the settings of ``project`` and reload its data sources."""
        data = dict(project.analysis)
        data["filter"] = project.filter.to_dict()
        data["selected"] = project.view.get("selected_region")
        if project.incidents.path or data.get("mode") is None:
            data.setdefault("mode", "incidents")
        self.state.apply_dict(data)
        if project.incidents.path:
            source = project.incidents
            self.open_incidents(source.path, source.mapping, source.crs, source.layer)
        if project.regions.path:
            self.open_regions(project.regions.path)
        if project.view.get("official_files"):
            self.import_form1m(list(project.view["official_files"]), project.view.get("official_period"))

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, JuvmapError):
            message = str(exc)
        else:
            log.error("unexpected error", exc_info=exc)
            message = _("Something went wrong: {error}").format(error=type(exc).__name__)
        self.failed.emit(message)


__all__ = ["MAP_FIELDS", "Session"]
