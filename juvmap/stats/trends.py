"""Yearly counts and rates per region, change against a base year, linear trends.

Tables are wide: one row per unit code, one column per year (int). The base year of
:func:`percent_change` defaults to 2022, the base of the Concept's indicators.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.stats.filters import IncidentFilter
from juvmap.stats.rates import Denominator, RateMetadata

__all__ = ["BASE_YEAR", "NATIONAL", "linear_trend", "percent_change", "yearly_counts", "yearly_rates"]

BASE_YEAR = 2022
#: row label of the national total
NATIONAL = "KZ"


def yearly_counts(
    incidents: pd.DataFrame,
    codes=None,
    filter: IncidentFilter | None = None,  # noqa: A002
    years: tuple[int, int] | None = None,
    national: bool = False,
    column: str = "region",
) -> pd.DataFrame:
    """Count incidents per unit and year.

    Parameters
    ----------
    incidents : DataFrame
        With ``date`` and the unit ``column``.
    codes : sequence of str, optional
        Rows to report (default: the codes present, sorted); missing ones get 0.
    filter : IncidentFilter, optional
        Applied first.
    years : tuple of int, optional
        Inclusive year range of the columns (default: the years present).
    national : bool
        Append a row :data:`NATIONAL` with the sum over all incidents (not only ``codes``).

    Returns
    -------
    DataFrame
        Integer counts, index ``code``, one column per year.
    """
    for needed in ("date", column):
        if needed not in incidents.columns:
            raise AnalysisError(_("The incident table has no column {column}.").format(column=needed))
    data = incidents if filter is None else incidents.loc[filter.mask(incidents)]
    year = pd.to_datetime(data["date"], errors="coerce").dt.year
    code = data[column].astype("string")
    table = pd.crosstab(code, year).rename_axis(index="code", columns=None)
    if years is None:
        present = year.dropna()
        years = (int(present.min()), int(present.max())) if len(present) else (0, -1)
    columns = list(range(years[0], years[1] + 1))
    rows = sorted(table.index) if codes is None else [str(c) for c in codes]
    out = table.reindex(index=pd.Index(rows, name="code"), columns=columns, fill_value=0)
    if national:
        total = year.value_counts().reindex(columns, fill_value=0)
        out.loc[NATIONAL] = total.to_numpy()
    return out.astype("int64")


def yearly_rates(counts: pd.DataFrame, denominator: Denominator,
                 population_by_year: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rates per unit and year from :func:`yearly_counts`.

    Parameters
    ----------
    counts : DataFrame
        Counts per code (rows) and year (columns); a :data:`NATIONAL` row gets the pooled
        population of the other rows.
    denominator : Denominator
        Multiplier, label and (when ``population_by_year`` is None) a population used for
        every year.
    population_by_year : DataFrame, optional
        Population per code and year, same shape as ``counts``.

    Returns
    -------
    DataFrame
        Rates per ``denominator.multiplier``; NaN where the population is zero or missing.
        ``attrs`` hold the :class:`~juvmap.stats.rates.RateMetadata`.
    """
    if population_by_year is None:
        pop = pd.DataFrame({y: denominator.population for y in counts.columns})
    else:
        pop = population_by_year.copy()
    pop = pop.reindex(index=counts.index, columns=counts.columns).astype(float)
    if NATIONAL in counts.index:
        pop.loc[NATIONAL] = pop.drop(index=NATIONAL).sum(min_count=1)
    pop = pop.where(pop > 0)
    rates = counts.astype(float) / pop * denominator.multiplier
    meta = RateMetadata(denominator.multiplier, denominator.label, denominator.estimate)
    rates.attrs.update(meta.to_attrs())
    return rates


def percent_change(table: pd.DataFrame, base_year: int = BASE_YEAR) -> pd.DataFrame:
    """Percent change of every year against ``base_year`` (NaN where the base is 0 or NaN).

    Raises
    ------
    AnalysisError
        If ``base_year`` is not a column.
    """
    if base_year not in table.columns:
        raise AnalysisError(_("The year {year} is not in the data.").format(year=base_year))
    base = table[base_year].astype(float)
    base = base.where(base != 0)
    return table.astype(float).sub(base, axis=0).div(base, axis=0) * 100.0


def linear_trend(table: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Least-squares slope per year for every row, with its confidence interval.

    The interval is ``slope ± t(1 − a/2, n − 2) · stderr`` (``scipy.stats.linregress``);
    missing years are skipped. Rows with fewer than 3 years get a NaN interval.

    Returns
    -------
    DataFrame
        Index as ``table``; ``slope, ci_low, ci_high, p_value, n_years``.
    """
    from scipy import stats  # heavy to import: only when trends are computed

    years = np.asarray(table.columns, dtype=float)
    rows = []
    for values in table.to_numpy(dtype=float):
        ok = np.isfinite(values)
        n = int(ok.sum())
        if n < 2 or np.unique(years[ok]).size < 2:
            rows.append((np.nan, np.nan, np.nan, np.nan, n))
            continue
        fit = stats.linregress(years[ok], values[ok])
        if n >= 3:
            half = stats.t.ppf(0.5 + confidence / 2, n - 2) * fit.stderr
            rows.append((fit.slope, fit.slope - half, fit.slope + half, fit.pvalue, n))
        else:
            rows.append((fit.slope, np.nan, np.nan, np.nan, n))
    return pd.DataFrame(rows, index=table.index,
                        columns=["slope", "ci_low", "ci_high", "p_value", "n_years"])
