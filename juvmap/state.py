"""The application's one evented state (:class:`AppState`): every setting the user can change,
one field each. Panels bind to fields and set them; the session observes the state and turns it
into an :class:`~juvmap.analysis.AnalysisRequest` and a :class:`~juvmap.mapping.spec.MapSpec`.
Qt-free (psygnal); saved into ``.juvmap`` projects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from psygnal import evented

from juvmap.analysis.request import AnalysisRequest
from juvmap.stats.filters import IncidentFilter

DEFAULT_LAYERS = ("choropleth", "kde", "hotspots")
#: fields that decide the numbers (an AnalysisRequest's) — the others only change the drawing
REQUEST_FIELDS = ("level", "period", "filter", "denominator", "rate", "scheme", "k", "class_period",
                  "hotspot_method", "alpha", "fdr", "kde_kernel", "kde_radius", "kde_cell", "kde_output",
                  "peaks", "base_year")
MAP_FIELDS = ("layers", "kde_threshold", "kde_ramp", "kde_opacity", "settlements", "background")


@evented
@dataclass
class AppState:
    """Every user setting of a window (see :class:`~juvmap.analysis.AnalysisRequest` and
    :class:`~juvmap.mapping.spec.MapSpec` for their meaning).

    ``mode`` is ``"official"`` (the official figures by region) or ``"incidents"`` (the
    incident layer); ``selected`` is the code of the selected area. ``state.events.<field>``
    is emitted with (new, old) when a field changes; ``state.events.all`` for any field.
    """

    mode: str = "official"
    level: str = "regions"
    period: tuple[int, int] | None = None
    filter: IncidentFilter = IncidentFilter()  # noqa: A003
    denominator: str = "juvenile"
    rate: str = "raw"
    scheme: str = "quantiles"
    k: int = 5
    class_period: tuple[int, int] | None = None
    hotspot_method: str = "lisa"
    alpha: float = 0.05
    fdr: bool = False
    kde_kernel: str = "quartic"
    kde_radius: float | None = None
    kde_cell: float | None = None
    kde_output: str = "density"
    peaks: int = 10
    base_year: int = 2022
    layers: tuple[str, ...] = DEFAULT_LAYERS
    kde_threshold: float = 0.05
    kde_ramp: str = "viridis"
    kde_opacity: float = 0.7
    settlements: bool = True
    background: str | None = None
    selected: str | None = None
    indicator: str = "juvenile_offenders_rate"

    def update(self, **changes: Any) -> None:
        """Set several fields (each emits its own event, unchanged ones none)."""
        for key, value in changes.items():
            setattr(self, key, value)

    def request(self, *outputs: str) -> AnalysisRequest:
        """The analysis the state asks for (official figures in ``official`` mode)."""
        values = {name: getattr(self, name) for name in REQUEST_FIELDS}
        if self.mode == "official":
            # the official figures' latest period (the incident period may have none)
            values.update(source="official", level="regions", filter=IncidentFilter(), indicator=self.indicator,
                          period=None, class_period=None)
        return AnalysisRequest(**values).with_outputs(*outputs)

    def map_spec(self, language: str | None = None, *, for_print: bool = False):
        """The drawing settings of the map (official mode: the choropleth only)."""
        from juvmap.mapping.spec import MapSpec

        values = {name: getattr(self, name) for name in MAP_FIELDS}
        if self.mode == "official":
            values["layers"] = ("choropleth",)
        if for_print:
            values["layers"] = tuple(k for k in values["layers"] if k != "incidents")
        return MapSpec(language=language, **values)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (projects)."""
        out = asdict(self)
        out["filter"] = self.filter.to_dict()
        for key in ("period", "class_period", "layers"):
            out[key] = list(out[key]) if out[key] is not None else None
        return out

    def apply_dict(self, data: dict[str, Any]) -> None:
        """Take the known settings of ``data`` (a :meth:`to_dict` or an older project's
        ``analysis`` dict: a ``year`` becomes a one-year period); unknown keys are ignored."""
        data = dict(data)
        if data.get("year") is not None and data.get("period") is None:
            data["period"] = (int(data["year"]), int(data["year"]))
        known = {f.name for f in fields(self)}
        changes = {k: v for k, v in data.items() if k in known}
        for key in ("period", "class_period", "layers"):
            if changes.get(key) is not None:
                changes[key] = tuple(changes[key])
        if "filter" in changes:
            changes["filter"] = IncidentFilter.from_dict(changes["filter"] or {})
        self.update(**changes)
