"""What an analysis found: :class:`AnalysisResult` (codes and numbers only, no text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd

from juvmap.analysis.request import AnalysisRequest

#: columns of :attr:`AnalysisResult.areas` (besides ``geometry``)
AREA_COLUMNS = [
    "code", "count", "population", "rate", "ci_low", "ci_high", "excess_risk", "eb_rate",
    "spatial_eb_rate", "lisa_quadrant", "lisa_p", "lisa_q", "lisa_significant", "gi_z", "gi_p", "gi_bin",
    "class", "rank", "change", "suppressed", "small",
]


@dataclass
class Period:
    """The years an analysis covers; several years give annual average rates."""

    first: int
    last: int

    @property
    def years(self) -> int:
        return self.last - self.first + 1

    @property
    def kind(self) -> str:
        """``year`` or ``annual_average``."""
        return "year" if self.first == self.last else "annual_average"

    def label(self) -> str:
        """``2023`` or ``2019–2023`` (language-neutral)."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass
class AnalysisResult:
    """The one answer every view renders.

    Attributes
    ----------
    request : AnalysisRequest
        What was asked (with the period actually used).
    period : Period
    areas : GeoDataFrame
        One row per area with :data:`AREA_COLUMNS` (and the layer's name columns and, for
        districts, their ``region``); rows with ``suppressed`` carry no count,
        rate or statistic that could reveal a count of 1–4 (see :mod:`juvmap.disclosure`);
        ``small`` marks the hidden counts that are 1–4 (printed "<5"): the other hidden rows are
        hidden with them so that no shown total gives them back. ``class`` is the class index (-1: none), ``rank``
        1 = highest rate among the shown areas, ``change`` the percent change of the count
        against the base year (NaN where it is not comparable or not shown).
    national : dict
        ``count`` (None when hidden), ``population``, ``rate``, ``ci_low``, ``ci_high``.
    classification : juvmap.stats.classify.Classification
        The classes of the chosen rate (the legend).
    denominator : dict
        ``kind`` (juvenile/residents), ``multiplier``, ``age_band``, ``estimate``.
    density : DensityGrid or None
        The kernel density (masked where fewer than 5 incidents contribute unless internal).
    density_params : dict
        Kernel, radius and cell actually used, output, ``masked`` (bool).
    peaks : list of Peak
    profiles : NationalProfile or None
        Structure, hour × weekday, trend tables (see :mod:`juvmap.analysis.profiles`).
    flags : dict
        ``estimate``, ``synthetic``, ``tested`` (units tested for hot spots), ``low_power`` (fewer
        than 30 tested), ``partial`` (codes whose
        period is partial), ``internal``, ``unplaced`` (incidents in no area).
    provenance : dict
        ``source`` (code), ``file``, ``method`` codes.
    """

    request: AnalysisRequest
    period: Period
    areas: gpd.GeoDataFrame
    national: dict[str, Any]
    classification: Any
    denominator: dict[str, Any]
    density: Any = None
    density_params: dict[str, Any] = field(default_factory=dict)
    peaks: list = field(default_factory=list)
    profiles: Any = None
    flags: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return bool(self.flags.get("synthetic"))

    def area(self, code: str) -> dict[str, Any]:
        """The row of ``code`` as a dict (KeyError when unknown)."""
        rows = self.areas.loc[self.areas["code"] == code]
        if rows.empty:
            raise KeyError(code)
        return rows.drop(columns="geometry").iloc[0].to_dict()
