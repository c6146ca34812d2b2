"""The data an analysis reads: :class:`Sources` (incidents, areas, populations, official figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _


@dataclass
class Sources:
    """Everything :func:`juvmap.analysis.analyse` may read; built-in layers are loaded on demand.

    Attributes
    ----------
    incidents : DataFrame, optional
        Canonical incidents (``region`` codes, ``date`` …, ``lon``/``lat``). Default: none.
    user_areas : GeoDataFrame, optional
        The user's polygon layer (``code`` column) for ``level="user"``.
    official : DataFrame, optional
        Official figures by region and period (default: the built-in Form 1-M 2022 layer).
    population_table : DataFrame, optional
        The user's population by code (``population``; an ``age_band`` column makes it a
        juvenile denominator per 10,000, else residents per 100,000).
    incidents_file : str
        Where the incidents came from (provenance).
    """

    incidents: pd.DataFrame | None = None
    user_areas: gpd.GeoDataFrame | None = None
    official: pd.DataFrame | None = None
    incidents_file: str = ""
    population_table: pd.DataFrame | None = None
    _areas: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        table = self.incidents
        if table is not None and "date" not in table.columns and "year" in table.columns:
            # a table of counts by region and year: each row dated mid-year (a period is years)
            years = pd.to_numeric(table["year"], errors="coerce").astype("Int64").astype("string")
            dated = table.assign(date=pd.to_datetime(years + "-07-01", errors="coerce"))
            dated.attrs.update(table.attrs)
            self.incidents = dated

    @classmethod
    def builtin(cls) -> Sources:
        """The synthetic demo incidents (labelled synthetic) with the built-in layers."""
        from juvmap.io.demo import load_demo_incidents

        return cls(incidents=load_demo_incidents(), incidents_file="demo")

    def official_table(self) -> pd.DataFrame:
        """Official figures by region (``region_iso``) and ``period`` (imported, else built-in 2022)."""
        if self.official is not None:
            return self.official
        from juvmap.io import builtin

        table = builtin.official_2022().reset_index().rename(columns={"code": "region_iso"})
        return table.assign(period="2022")

    def areas(self, level: str) -> gpd.GeoDataFrame:
        """The polygons of ``level`` with a ``code`` column (built-in display geometry)."""
        if level == "user":
            if self.user_areas is None:
                raise AnalysisError(_("No area layer is loaded."))
            return self.user_areas
        if level not in self._areas:
            from juvmap.io import boundaries

            loader = getattr(boundaries, "load_areas", None)
            if loader is not None:
                self._areas[level] = loader(level, detail="display")
            elif level == "regions":
                self._areas[level] = boundaries.load_regions(detail="display")
            else:
                raise AnalysisError(_("District boundaries are not available."))
        return self._areas[level]

    def population(self, kind: str, level: str, codes: pd.Index) -> tuple[pd.Series, dict[str, Any]]:
        """Population per code for the denominator ``kind`` and a description (codes only).

        Districts have no juvenile population: their rates are per 100,000 residents.
        """
        from juvmap.io import builtin

        if self.population_table is not None:
            table = self.population_table
            band = str(table["age_band"].dropna().iloc[0]) if "age_band" in table and table["age_band"].notna().any() else ""
            estimate = bool(table["estimate"].fillna(False).astype(bool).any()) if "estimate" in table else False
            return (pd.to_numeric(table["population"], errors="coerce").reindex(codes),
                    {"kind": "juvenile" if band else "residents", "multiplier": 10_000 if band else 100_000,
                     "age_band": band.replace("-", "–"), "estimate": estimate})
        if level == "regions" and kind == "juvenile":
            table = builtin.juvenile_population()
            band = str(table["age_band"].dropna().iloc[0]).replace("-", "–")
            estimate = bool(table["estimate"].fillna(False).astype(bool).any())
            return (pd.to_numeric(table["population"], errors="coerce").reindex(codes),
                    {"kind": "juvenile", "multiplier": 10_000, "age_band": band, "estimate": estimate})
        if level == "regions":
            return (builtin.population("2023-01-01").reindex(codes),
                    {"kind": "residents", "multiplier": 100_000, "age_band": "", "estimate": False})
        if level == "user" and self.user_areas is not None and "population" in self.user_areas:
            pop = pd.to_numeric(self.user_areas.set_index("code")["population"], errors="coerce")
            return pop.reindex(codes), {"kind": "residents", "multiplier": 100_000, "age_band": "",
                                        "estimate": False}
        if level == "districts":  # no juvenile population exists by district: all residents
            from juvmap.io.districts import district_rate_population

            return district_rate_population().reindex(codes), {"kind": "residents", "multiplier": 100_000, "age_band": "",
                                               "estimate": False, "note": "no_juvenile_district"}
        return pd.Series(float("nan"), index=codes), {"kind": "none", "multiplier": 100_000,
                                                       "age_band": "", "estimate": False}
