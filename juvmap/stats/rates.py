"""Counts per polygon and crude rates with exact Poisson intervals and excess risk.

The denominator travels with every result: :class:`Denominator` says what the population
is (``label``), the rate multiplier and whether the population is an estimate, and
:func:`crude_rates` copies that into ``DataFrame.attrs`` (see :class:`RateMetadata`), so
legends and exports can print "per 10,000 residents aged 14–17 (estimate)".

Rule of the project: rates are per 10,000 residents of the juvenile age band when that
population exists (flagged as an estimate), otherwise per 100,000 residents.
Zero or missing population gives an undefined (NaN) rate, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import special

from juvmap.errors import AnalysisError
from juvmap.i18n import _, get_language
from juvmap.stats.filters import IncidentFilter

__all__ = [
    "Denominator",
    "RateMetadata",
    "count_by_region",
    "count_points_in_polygons",
    "crude_rates",
    "poisson_ci",
    "rate_metadata",
]

JUVENILE_MULTIPLIER = 10_000
RESIDENT_MULTIPLIER = 100_000


@dataclass(frozen=True, eq=False)
class Denominator:
    """The population at risk of a rate.

    Attributes
    ----------
    population : pandas.Series
        Population per unit code (the index); NaN or 0 where unknown.
    label : str
        What the population is, e.g. "residents aged 14–17" (already translated).
    multiplier : int
        Rates are reported per ``multiplier`` people (10,000 or 100,000).
    estimate : bool
        Whether the population is an estimate rather than an official count.
    """

    population: pd.Series
    label: str
    multiplier: int = JUVENILE_MULTIPLIER
    estimate: bool = False

    @classmethod
    def juvenile(cls, population: pd.Series, age_band: str = "14–17",
                 estimate: bool = True) -> Denominator:
        """Per 10,000 residents of the juvenile ``age_band`` (the project's default)."""
        label = _("residents aged {band}").format(band=age_band)
        return cls(population.astype(float), label, JUVENILE_MULTIPLIER, bool(estimate))

    @classmethod
    def residents(cls, population: pd.Series, estimate: bool = False) -> Denominator:
        """Per 100,000 residents of all ages (when no juvenile population exists)."""
        return cls(population.astype(float), _("residents"), RESIDENT_MULTIPLIER, bool(estimate))

    @classmethod
    def from_table(cls, table: pd.DataFrame, column: str = "population") -> Denominator:
        """Build from a population table indexed by code.

        A table with an ``age_band`` column (such as
        ``juvmap.io.builtin.juvenile_population()``) gives a juvenile denominator per
        10,000; its ``estimate`` column sets the flag. Otherwise residents per 100,000.
        """
        if column not in table.columns:
            raise AnalysisError(_("The population table has no column {column}.").format(column=column))
        population = pd.to_numeric(table[column], errors="coerce").astype(float)
        estimate = bool(table["estimate"].fillna(False).astype(bool).any()) if "estimate" in table else False
        if "age_band" in table.columns and table["age_band"].notna().any():
            band = str(table["age_band"].dropna().iloc[0]).replace("-", "–")
            return cls.juvenile(population, band, estimate)
        return cls.residents(population, estimate)

    def describe(self) -> str:
        """Return the translated unit of the rate, e.g. "per 10,000 residents aged 14–17"."""
        from juvmap.numbers import format_number

        multiplier = format_number(self.multiplier, get_language(), 0)
        text = _("per {multiplier} {label}").format(multiplier=multiplier, label=self.label)
        return _("{text} (estimate)").format(text=text) if self.estimate else text


@dataclass(frozen=True)
class RateMetadata:
    """What a rate table's numbers mean; stored in ``DataFrame.attrs``.

    Attributes
    ----------
    multiplier : int
        Rates are per ``multiplier`` people.
    denominator : str
        Label of the population at risk.
    estimate : bool
        The population is an estimate.
    synthetic : bool
        The incidents are synthetic demo data, not official records.
    low_power : str
        A translated warning when hot-spot statistics have little power ("" if none).
    extra : dict
        Anything else worth keeping (e.g. the filter as a dict).
    """

    multiplier: int
    denominator: str
    estimate: bool = False
    synthetic: bool = False
    low_power: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_attrs(self) -> dict[str, Any]:
        """Return the flat ``attrs`` entries."""
        return {
            "multiplier": int(self.multiplier),
            "denominator": self.denominator,
            "estimate": bool(self.estimate),
            "synthetic": bool(self.synthetic),
            "low_power": self.low_power,
            **self.extra,
        }

    @classmethod
    def from_attrs(cls, attrs: dict[str, Any]) -> RateMetadata:
        """Read the metadata back from a frame's ``attrs``."""
        if "multiplier" not in attrs:
            raise AnalysisError(_("The table carries no rate multiplier."))
        core = {"multiplier", "denominator", "estimate", "synthetic", "low_power"}
        return cls(
            multiplier=int(attrs["multiplier"]),
            denominator=str(attrs.get("denominator", "")),
            estimate=bool(attrs.get("estimate", False)),
            synthetic=bool(attrs.get("synthetic", False)),
            low_power=str(attrs.get("low_power", "")),
            extra={k: v for k, v in attrs.items() if k not in core},
        )


def rate_metadata(table: pd.DataFrame) -> RateMetadata:
    """Return the :class:`RateMetadata` stored on a rate table."""
    return RateMetadata.from_attrs(dict(table.attrs))


def count_by_region(
    incidents: pd.DataFrame,
    codes: list[str] | pd.Index | pd.Series,
    filter: IncidentFilter | None = None,  # noqa: A002 - the natural name
    column: str = "region",
) -> pd.Series:
    """Count incidents per unit code.

    Parameters
    ----------
    incidents : DataFrame
        Incident table with a ``column`` of unit codes (e.g. "KZ-75").
    codes : sequence of str
        The units to report, in order; units without incidents get 0.
    filter : IncidentFilter, optional
        Applied first.
    column : str
        Column holding the unit code.

    Returns
    -------
    pandas.Series
        Integer counts indexed by ``codes`` (name ``"count"``). Incidents whose code is not
        in ``codes`` are not counted. A table of aggregated rows with a ``count`` column
        (e.g. counts per region and year) is summed instead of counted.
    """
    if column not in incidents.columns:
        raise AnalysisError(_("The incident table has no column {column}.").format(column=column))
    keep = filter.mask(incidents) if filter is not None else np.ones(len(incidents), bool)
    codes_kept = incidents.loc[keep, column].astype("string")
    if "count" in incidents.columns:
        weight = pd.to_numeric(incidents.loc[keep, "count"], errors="coerce").fillna(0)
        counts = weight.groupby(codes_kept).sum()
    else:
        counts = codes_kept.value_counts()
    index = pd.Index([str(c) for c in codes], name="code")
    return counts.reindex(index, fill_value=0).round().astype("int64").rename("count")


def count_points_in_polygons(
    incidents: pd.DataFrame,
    polygons: gpd.GeoDataFrame,
    code_field: str = "code",
    filter: IncidentFilter | None = None,  # noqa: A002
) -> pd.Series:
    """Count incident points falling in each polygon (point in polygon, no points are built).

    Use this when the incidents' ``region`` codes are not the polygons' codes (e.g.
    districts). Points on a shared border are counted once, in the first polygon.

    Parameters
    ----------
    incidents : DataFrame or GeoDataFrame
        ``lon``/``lat`` columns in EPSG:4326 (as :func:`juvmap.io.load.load_layer` returns)
        or point geometry in any CRS; a multipoint counts once, in the first polygon one of
        its parts falls in. Not modified.
    polygons : GeoDataFrame
        The areas, in any CRS.
    code_field : str
        Column of ``polygons`` naming each area.
    filter : IncidentFilter, optional
        Count only the incidents it keeps.

    Returns
    -------
    pandas.Series
        Integer counts indexed by the polygons' ``code_field`` (name ``"count"``).

    Raises
    ------
    AnalysisError
        When the incidents have no coordinates at all.
    """
    from juvmap.io.points import first_polygon, has_points, point_xy

    if not has_points(incidents):
        raise AnalysisError(_("The incidents have no coordinates to place them in the areas."))
    points = incidents if filter is None else incidents.loc[filter.mask(incidents)]
    x, y, rows = point_xy(points, crs=polygons.crs)
    found = first_polygon(polygons.geometry.to_numpy(), x, y)
    hit = found >= 0
    first = pd.Series(found[hit]).groupby(rows[hit]).min()
    per_poly = np.bincount(first.to_numpy(), minlength=len(polygons))
    index = pd.Index(polygons[code_field].astype(str).to_numpy(), name="code")
    return pd.Series(per_poly.astype("int64"), index=index, name="count")


def poisson_ci(counts: np.ndarray | pd.Series | float, confidence: float = 0.95
               ) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence interval of a Poisson count.

    ``lower = chi2.ppf(a/2, 2x) / 2`` (0 for x = 0) and
    ``upper = chi2.ppf(1 - a/2, 2x + 2) / 2`` with ``a = 1 - confidence``, computed as the
    equal inverse regularised gamma functions ``gammaincinv(x, a/2)`` and
    ``gammaincinv(x + 1, 1 - a/2)`` (``scipy.special``, much lighter to import than ``scipy.stats``).

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper bounds of the expected count; NaN where the count is NaN.
    """
    x = np.asarray(counts, dtype=float)
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore"):
        lower = np.where(x > 0, special.gammaincinv(np.where(x > 0, x, 1.0), alpha / 2), 0.0)
        upper = special.gammaincinv(x + 1, 1 - alpha / 2)
    lower = np.where(np.isnan(x), np.nan, lower)
    return lower, upper


def crude_rates(
    counts: pd.Series,
    denominator: Denominator,
    synthetic: bool = False,
    confidence: float = 0.95,
    reference_rate: float | None = None,
) -> pd.DataFrame:
    """Crude rates, exact Poisson intervals and excess risk (SMR) per unit.

    Parameters
    ----------
    counts : pandas.Series
        Counts indexed by unit code.
    denominator : Denominator
        Population at risk; aligned to ``counts`` by code (missing codes → NaN).
    synthetic : bool
        Mark the result as computed from synthetic data.
    confidence : float
        Level of the interval (0.95).
    reference_rate : float, optional
        Events per person used for the expected counts; by default the pooled rate of
        all units with a defined population (the "national" rate).

    Returns
    -------
    DataFrame
        Indexed by code with ``count, population, rate, ci_low, ci_high, expected,
        excess_risk``; ``attrs`` hold :class:`RateMetadata`. Units with zero or missing
        population have NaN rate, interval, expected count and excess risk.
    """
    count = pd.to_numeric(counts, errors="coerce").astype(float)
    population = denominator.population.reindex(count.index).astype(float)
    defined = (population > 0).to_numpy() & count.notna().to_numpy()
    pop = np.where(defined, population.to_numpy(), np.nan)
    x = count.to_numpy()
    mult = float(denominator.multiplier)
    if reference_rate is None:
        total_pop = np.nansum(pop)
        reference_rate = float(np.nansum(np.where(defined, x, 0)) / total_pop) if total_pop > 0 else np.nan
    low, high = poisson_ci(np.where(defined, x, np.nan), confidence)
    expected = pop * reference_rate
    with np.errstate(divide="ignore", invalid="ignore"):
        excess = np.where(expected > 0, x / expected, np.nan)
    out = pd.DataFrame(
        {
            "count": count.to_numpy(),
            "population": population.to_numpy(),
            "rate": x / pop * mult,
            "ci_low": low / pop * mult,
            "ci_high": high / pop * mult,
            "expected": expected,
            "excess_risk": excess,
        },
        index=count.index.rename("code"),
    )
    meta = RateMetadata(denominator.multiplier, denominator.label, denominator.estimate, bool(synthetic))
    out.attrs.update(meta.to_attrs())
    return out
