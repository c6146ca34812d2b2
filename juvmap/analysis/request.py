"""What the user asked: :class:`AnalysisRequest`, plain and serialisable (projects, CLI, UI)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.stats.filters import IncidentFilter

SOURCES = ("incidents", "official")
LEVELS = ("regions", "districts", "user")
DENOMINATORS = ("juvenile", "residents")
RATE_KINDS = ("raw", "eb", "spatial_eb")
HOTSPOT_METHODS = ("lisa", "gi")
OUTPUTS = ("areas", "density", "profiles")
DISCLOSURE_MODES = ("public", "internal")
#: rate kind -> column of the area table
RATE_COLUMN = {"raw": "rate", "eb": "eb_rate", "spatial_eb": "spatial_eb_rate"}


@dataclass(frozen=True)
class AnalysisRequest:
    """Everything that decides the numbers of an analysis (no data, no display settings).

    Attributes
    ----------
    source : {"incidents", "official"}
        The incident layer, or the official Form 1-M figures by region.
    level : {"regions", "districts", "user"}
        The areas counted: the 20 regions, the 224 districts or the user's polygon layer.
    period : (int, int), optional
        Inclusive years. One year gives annual rates; several years the **annual average**
        rate (count / (population × years)). Default: the latest year of the data.
    filter : IncidentFilter
        Which incidents count; its ``years`` are ignored (``period`` decides).
    denominator : {"juvenile", "residents"}
        Residents aged 0–17 per 10,000 (an estimate) or all residents per 100,000.
    rate : {"raw", "eb", "spatial_eb"}
        The rate classified on the map and tested for hot spots.
    scheme, k : str, int
        Classification (:data:`juvmap.stats.classify.SCHEMES`).
    class_period : (int, int), optional
        Classify on the annual rates of every year of this period pooled (the year player:
        one legend over the years). Default: the rates of ``period``.
    hotspot_method, alpha, fdr, permutations, seed
        LISA or Gi*, significance level, Benjamini–Hochberg control, permutation inference.
    kde_kernel, kde_radius, kde_cell, kde_output
        Kernel density (metres; ``None`` radius/cell: suggested from the data).
    peaks : int
        Density peaks reported (0: none).
    base_year : int
        Year the change is measured against (2022, the Concept's base).
    disclosure : {"public", "internal"}
        ``internal`` leaves small counts unsuppressed (files say "not for publication").
    outputs : tuple of str
        Any of :data:`OUTPUTS`; only these parts are computed.
    indicator : str
        With official figures: which of :data:`juvmap.stats.official.OFFICIAL_INDICATORS` is
        mapped (a rate per 10,000 aged 0–17, or a share of the juvenile offenders in %).
    """

    source: str = "incidents"
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
    permutations: int = 999
    seed: int = 12345
    kde_kernel: str = "quartic"
    kde_radius: float | None = None
    kde_cell: float | None = None
    kde_output: str = "density"
    peaks: int = 10
    base_year: int = 2022
    disclosure: str = "public"
    outputs: tuple[str, ...] = ("areas",)
    indicator: str = "juvenile_offenders_rate"

    def validate(self) -> None:
        """Raise :class:`~juvmap.errors.AnalysisError` for a value no analysis can use."""
        from juvmap.stats.classify import SCHEMES

        checks = ((self.source, SOURCES), (self.level, LEVELS), (self.denominator, DENOMINATORS),
                  (self.rate, RATE_KINDS), (self.hotspot_method, HOTSPOT_METHODS),
                  (self.disclosure, DISCLOSURE_MODES), (self.scheme, tuple(SCHEMES)))
        for value, allowed in checks:
            if value not in allowed:
                raise AnalysisError(_("Unknown setting {value}.").format(value=value))
        from juvmap.stats.official import OFFICIAL_INDICATORS

        if self.indicator not in OFFICIAL_INDICATORS:
            raise AnalysisError(_("Unknown setting {value}.").format(value=self.indicator))
        if any(o not in OUTPUTS for o in self.outputs):
            raise AnalysisError(_("Unknown setting {value}.").format(value=",".join(self.outputs)))
        if not 1 <= int(self.k) <= 12:
            raise AnalysisError(_("The number of classes must be between 1 and 12."))
        if not 0 < float(self.alpha) < 1:
            raise AnalysisError(_("The significance level must be between 0 and 1."))
        if self.period is not None and self.period[0] > self.period[1]:
            raise AnalysisError(_("The period ends before it starts."))

    def with_outputs(self, *outputs: str) -> AnalysisRequest:
        """The same request asking for ``outputs`` (in addition to the area table)."""
        return replace(self, outputs=tuple(dict.fromkeys(("areas", *outputs))))

    @property
    def rate_column(self) -> str:
        """Column of the area table holding the chosen rate."""
        return RATE_COLUMN[self.rate]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (projects, settings)."""
        out = asdict(self)
        out["filter"] = self.filter.to_dict()
        for key in ("period", "class_period", "outputs"):
            out[key] = list(out[key]) if out[key] is not None else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisRequest:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("period", "class_period", "outputs"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        values["filter"] = IncidentFilter.from_dict(values.get("filter") or {})
        return cls(**values)
