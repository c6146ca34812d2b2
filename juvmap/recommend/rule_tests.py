"""The statistical test behind every rule trigger, with false-discovery control over a run.

Each computable rule is a one-sided test of the region against the national value of the
same data:

* ``binomial`` — the regional count ``k`` of ``n`` against the national share ``p0``
  (exact binomial tail);
* ``poisson`` — the count behind the rate against the count the national rate would give
  on the region's population (exact Poisson tail);
* ``rate_change`` — the last year's count against the base year's, conditional on their sum,
  under the national change and the region's population change (exact binomial).

A test is run only when enough persons/offences stand behind it (the rule's
``min_count``), the value may be printed (not suppressed), the indicator holds the unit the
rule needs and — for ``rate_change`` — the region's boundaries are the same in both years;
a ``poisson`` test is not run on a profile marked ``partial`` (official figures of a region
split on 8 June 2022, or of its parent, for 2022: count and population of different territories).
The p-values of every test run over all regions × rules are adjusted together with the
Benjamini–Hochberg procedure; a rule fires when its effect reaches the rule's threshold and
its q-value is at most :data:`FDR_ALPHA`. The national value includes the region itself,
which makes the tests slightly conservative for the largest regions.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from juvmap.paths import data_path

__all__ = ["FDR_ALPHA", "REFORM_DATE", "STATUSES", "boundary_changed", "indicator_unit", "regions_split_in", "run_rule_tests"]

FDR_ALPHA = 0.05
#: regions created or cut on this date have partial figures for that year
REFORM_DATE = "2022-06-08"
#: why a region × rule pair was or was not tested
STATUSES = ("tested", "missing", "suppressed", "too_few", "unit_mismatch", "boundary_change")
_DIRECTION = {"ratio_above": "greater", "diff_above": "greater", "ratio_below": "less", "diff_below": "less"}


@lru_cache(maxsize=1)
def regions_split_in() -> dict[int, frozenset[str]]:
    """Year → regions whose boundaries changed in it (from ``data/reform_crosswalk.csv``)."""
    out: dict[int, set[str]] = {}
    with open(data_path("reform_crosswalk.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            whole = row["part"].startswith("whole")  # a rename keeps the territory
            if row["effective"][:4].isdigit() and not whole:
                out.setdefault(int(row["effective"][:4]), set()).add(row["current_iso"])
    return {year: frozenset(codes) for year, codes in out.items()}


def boundary_changed(code: str, base_year: int, last_year: int) -> bool:
    """Whether region ``code`` changed its boundaries between ``base_year`` and ``last_year``
    (inclusive: a region created mid-year has partial figures for that year)."""
    return any(code in codes for year, codes in regions_split_in().items() if base_year <= year <= last_year)


def indicator_unit(profile, key: str, units: str | Mapping | None = None) -> str:
    """What the counts behind indicator ``key`` of ``profile`` are: persons or offences.

    Order: ``units`` (one unit for all, or key → unit), the indicator's own ``unit``
    attribute, the profile's ``units`` mapping, else ``"offences"`` (a profile cut from
    incident records counts offences).
    """
    if isinstance(units, str):
        return units
    if units and key in units:
        return str(units[key])
    ind = profile.indicators.get(key)
    own = getattr(ind, "unit", None)
    if own:
        return str(own)
    return str(getattr(profile, "units", {}).get(key, "offences"))


def _effect(rule, value: float, national: float) -> bool:
    c, t = rule.comparison, rule.threshold
    if not (math.isfinite(value) and math.isfinite(national)):
        return False
    if c == "diff_above":
        return value - national >= t - 1e-12
    if c == "diff_below":
        return national - value >= t - 1e-12
    if national <= 0:
        return False
    return value / national >= t - 1e-12 if c == "ratio_above" else value / national <= t + 1e-12


def _binomial(k: int, n: int, p0: float, direction: str) -> float:
    if n <= 0 or not 0 <= p0 <= 1:
        return math.nan
    return float(stats.binom.sf(k - 1, n, p0) if direction == "greater" else stats.binom.cdf(k, n, p0))


def _poisson(profile, k: int, direction: str) -> tuple[float, float]:
    """p-value and expected count of the region's crude count under the national rate."""
    crude = profile.indicators["rate"]
    if not (crude.value > 0 and math.isfinite(crude.national)):
        return math.nan, math.nan
    expected = crude.national * k / crude.value
    p = stats.poisson.sf(k - 1, expected) if direction == "greater" else stats.poisson.cdf(k, expected)
    return float(p), float(expected)


def _rate_change(ind, direction: str) -> float:
    """Last-year count against base-year count, under the national change of the rate."""
    k_last, k_base = int(ind.count or 0), int(ind.total or 0)
    if k_base <= 0 or not (math.isfinite(ind.value) and math.isfinite(ind.national)):
        return math.nan
    population_ratio = (k_last / k_base) / (1 + ind.value / 100) if ind.value > -100 else math.nan
    expected_ratio = (1 + ind.national / 100) * population_ratio
    if not (math.isfinite(expected_ratio) and expected_ratio > 0):
        return math.nan
    return _binomial(k_last, k_last + k_base, expected_ratio / (1 + expected_ratio), direction)


def _status(rule, profile, ind, unit: str) -> str:
    if ind is None or ind.value is None or not math.isfinite(ind.value):
        return "missing"
    if ind.suppressed:
        return "suppressed"
    if rule.unit != "any" and unit != rule.unit:
        return "unit_mismatch"
    if rule.test == "poisson" and getattr(profile, "partial", False):
        return "boundary_change"  # the rate's count and population are not of one territory and year
    if rule.test == "rate_change":
        if boundary_changed(profile.code, profile.base_year, profile.period[1]):
            return "boundary_change"
        return "tested" if int(ind.total or 0) >= rule.min_count else "too_few"
    behind = ind.count if _DIRECTION[rule.comparison] == "greater" or rule.test != "binomial" else ind.total
    return "tested" if int(behind or 0) >= rule.min_count else "too_few"


def _one(rule, profile, units) -> dict:
    ind = profile.indicators.get(rule.indicator)
    unit = indicator_unit(profile, rule.indicator, units)
    row = {"region": profile.code, "rule": rule.id, "indicator": rule.indicator, "test": rule.test,
           "unit": unit, "value": np.nan, "national": np.nan, "count": np.nan, "total": np.nan,
           "expected": np.nan, "effect": False, "p": np.nan, "priority": rule.priority}
    row["status"] = _status(rule, profile, ind, unit)
    if ind is not None:
        row.update(value=ind.value, national=ind.national, count=ind.count, total=ind.total)
    if row["status"] != "tested":
        return row
    direction = _DIRECTION[rule.comparison]
    k = int(ind.count or 0)
    if rule.test == "binomial":
        row["p"] = _binomial(k, int(ind.total or 0), float(ind.national), direction)
    elif rule.test == "poisson":
        row["p"], row["expected"] = _poisson(profile, k, direction)
    else:
        row["p"] = _rate_change(ind, direction)
    row["effect"] = _effect(rule, float(ind.value), float(ind.national))
    if not math.isfinite(row["p"]):
        row["status"] = "missing"
    return row


def run_rule_tests(profiles: Mapping, rules, *, alpha: float = FDR_ALPHA,
                   units: str | Mapping | None = None) -> pd.DataFrame:
    """Test every computable rule on every region and control the false-discovery rate.

    Parameters
    ----------
    profiles : mapping of str to RegionProfile
        The regions of one run (all 20 for a sheet set).
    rules : list of Rule
        From :func:`juvmap.recommend.rules.load_rules`.
    alpha : float
        Benjamini–Hochberg level over all tests run.
    units : str or mapping, optional
        Unit of the indicators' counts when the profiles do not say it
        (see :func:`indicator_unit`).

    Returns
    -------
    DataFrame
        One row per region × computable rule: ``region, rule, indicator, test, unit, value,
        national, count, total, expected, effect, p, q, status, fires, priority``.
        ``q`` is NaN and ``fires`` False for pairs that were not tested (``status``).
    """
    rows = [_one(rule, p, units) for p in profiles.values() for rule in rules if rule.computable]
    table = pd.DataFrame(rows, columns=["region", "rule", "indicator", "test", "unit", "value", "national",
                                        "count", "total", "expected", "effect", "p", "priority", "status"])
    table["q"] = np.nan
    tested = table["status"].eq("tested")
    if tested.any():
        table.loc[tested, "q"] = stats.false_discovery_control(table.loc[tested, "p"].to_numpy(), method="bh")
    table["fires"] = tested & table["effect"].astype(bool) & table["q"].le(alpha)
    return table
