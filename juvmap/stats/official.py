"""Official indicators per region and period from Form 1-M figures (codes and numbers only).

Two rates per 10,000 residents aged 0–17 (the built-in population is an *estimate*), with
exact Poisson intervals, and seven shares of the juveniles brought to criminal liability,
with exact binomial (Clopper–Pearson) intervals. A national row ``"KZ"`` pools the regions.
With several periods, each row also carries its change against the base period (2022, the
base year of the Concept 2024–2028), except where the 2022 split makes it meaningless.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from juvmap.i18n import N_
from juvmap.numbers import SUPPRESS_BELOW
from juvmap.stats.rates import JUVENILE_MULTIPLIER, poisson_ci

#: a share is undefined below this many juveniles in its denominator
MIN_SHARE_DENOMINATOR = 20
NATIONAL = "KZ"
#: regions created on 8 June 2022 -> the region they were split from
SPLIT_2022: dict[str, str] = {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}


@dataclass(frozen=True)
class OfficialIndicator:
    """How an indicator is computed and what it is called (``label`` untranslated)."""

    numerator: str  # column of the official table
    denominator: str  # "population" (residents aged 0–17) or a column (e.g. "juveniles")
    unit: str  # "per_10000" or "percent"
    label: str


#: indicator id -> definition; offer each as a map (translate ``label`` with ``_()``)
OFFICIAL_INDICATORS: dict[str, OfficialIndicator] = {
    "juvenile_offenders_rate": OfficialIndicator(
        "juveniles", "population", "per_10000",
        N_("Juvenile offenders per 10,000 residents aged 0–17 (estimate)")),
    "offences_against_minors_rate": OfficialIndicator(
        "offences_against_minors", "population", "per_10000",
        N_("Offences against minors per 10,000 residents aged 0–17 (estimate)")),
    "share_pupils": OfficialIndicator(
        "juveniles_pupils", "juveniles", "percent",
        N_("Pupils and students among juvenile offenders, %")),
    "share_not_working_not_studying": OfficialIndicator(
        "juveniles_not_working_not_studying", "juveniles", "percent",
        N_("Neither working nor studying among juvenile offenders, %")),
    "share_in_group": OfficialIndicator(
        "juveniles_in_group", "juveniles", "percent",
        N_("Juvenile offenders who acted in a group, %")),
    "share_registered": OfficialIndicator(
        "juveniles_registered", "juveniles", "percent",
        N_("Juvenile offenders on the preventive register, %")),
    "share_repeat": OfficialIndicator(
        "juveniles_repeat", "juveniles", "percent",
        N_("Juvenile offenders who had offended before, %")),
    "share_female": OfficialIndicator(
        "juveniles_female", "juveniles", "percent", N_("Girls among juvenile offenders, %")),
    "share_age_14_15": OfficialIndicator(
        "juveniles_age_14_15", "juveniles", "percent",
        N_("Juvenile offenders aged 14–15, %")),
}
#: status code -> untranslated explanation (why a value is undefined)
STATUSES: dict[str, str] = {
    "ok": N_("computed"),
    "missing": N_("not in the source table"),
    "no_population": N_("no population for this region"),
    "small_denominator": N_("fewer than 20 juveniles: share not shown"),
    "suppressed_numerator": N_("fewer than 5 persons: share not shown"),
    "suppressed_complement": N_("all but fewer than 5 persons: share not shown"),
}
#: change status code -> untranslated explanation
CHANGE_STATUSES: dict[str, str] = {
    "ok": N_("change against the base period"),
    "base_period": N_("this is the base period"),
    "no_base": N_("no figure for the base period"),
    "undefined": N_("value or base value undefined"),
    "split_2022": N_("not comparable: the region's 2022 territory or period differs "
                     "(regions split on 8 June 2022)"),
}


def split_caveat(code: str, period: str) -> str:
    """The 2022-split caveat code of a row: ``new_region_partial_year``,
    ``parent_of_2022_split`` or ``""`` (only periods of 2022 carry one)."""
    if not str(period).startswith("2022"):
        return ""
    if code in SPLIT_2022:
        return "new_region_partial_year"
    return "parent_of_2022_split" if code in SPLIT_2022.values() else ""


def binomial_ci(successes: np.ndarray, trials: np.ndarray, confidence: float = 0.95
                ) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper–Pearson) interval of a proportion; NaN where ``trials`` ≤ 0 or NaN.

    Equal to ``statsmodels.stats.proportion.proportion_confint(method="beta")``, computed
    with ``scipy.special.betaincinv`` (vectorised, light to import).
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    alpha = 1.0 - confidence
    valid = (n > 0) & (x >= 0) & (x <= n)
    xs, ns = np.where(valid, x, 0.0), np.where(valid, n, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(xs > 0, special.betaincinv(np.maximum(xs, 1e-12), ns - xs + 1, alpha / 2), 0.0)
        high = np.where(xs < ns, special.betaincinv(xs + 1, np.maximum(ns - xs, 1e-12),
                                                    1 - alpha / 2), 1.0)
    return np.where(valid, low, np.nan), np.where(valid, high, np.nan)


def _with_national(official: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """Official rows with ``code``, ``period``, ``population``, plus one national row per period."""
    table = official.rename(columns={"region_iso": "code"}).copy()
    if "code" not in table.columns:
        table = table.reset_index().rename(columns={"index": "code"})
    table["period"] = table["period"].astype(str)
    table["population"] = table["code"].map(population).astype(float)
    counts = [c for c in table.columns if c not in ("code", "period")
              and pd.api.types.is_numeric_dtype(table[c])]
    national = table.groupby("period", sort=False)[counts].sum(min_count=1).reset_index()
    national["code"] = NATIONAL
    return pd.concat([table, national], ignore_index=True)


def _status(indicator: OfficialIndicator, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    status = np.full(len(num), "ok", dtype=object)
    if indicator.unit == "per_10000":
        status[~(den > 0)] = "no_population"
    else:
        small = lambda v: (v > 0) & (v < SUPPRESS_BELOW)  # noqa: E731
        status[small(den - num)] = "suppressed_complement"
        status[small(num)] = "suppressed_numerator"
        status[~(den >= MIN_SHARE_DENOMINATOR)] = "small_denominator"
    status[np.isnan(num) | np.isnan(den)] = "missing"
    return status


def _indicator_rows(table: pd.DataFrame, key: str, confidence: float) -> pd.DataFrame:
    indicator = OFFICIAL_INDICATORS[key]
    nan = pd.Series(np.nan, index=table.index)
    num = pd.to_numeric(table.get(indicator.numerator, nan), errors="coerce").to_numpy(float)
    den = pd.to_numeric(table.get(indicator.denominator, nan), errors="coerce").to_numpy(float)
    status = _status(indicator, num, den)
    ok = status == "ok"
    if indicator.unit == "per_10000":
        low, high = poisson_ci(np.where(ok, num, np.nan), confidence)
        scale = np.where(ok, JUVENILE_MULTIPLIER / np.where(ok, den, 1.0), np.nan)
        value, low, high = num * scale, low * scale, high * scale
    else:
        low, high = binomial_ci(np.where(ok, num, np.nan), np.where(ok, den, np.nan), confidence)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(ok, num / den, np.nan) * 100
        low, high = low * 100, high * 100
    return pd.DataFrame({
        "code": table["code"].to_numpy(), "period": table["period"].to_numpy(),
        "indicator": key, "unit": indicator.unit, "numerator": num, "denominator": den,
        "value": value, "ci_low": low, "ci_high": high, "status": status,
    })


def _changes(frame: pd.DataFrame, base_period: str) -> pd.DataFrame:
    base = frame[frame["period"] == base_period].set_index(["code", "indicator"])["value"]
    keys = pd.MultiIndex.from_frame(frame[["code", "indicator"]])
    frame["base_value"] = base.reindex(keys).to_numpy()
    frame["change"] = frame["value"] - frame["base_value"]
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["change_percent"] = frame["change"] / frame["base_value"] * 100
    status = np.where(frame["base_value"].notna() & frame["value"].notna(), "ok", "undefined")
    status = np.where(keys.isin(base.index), status, "no_base")
    split = frame["code"].isin([*SPLIT_2022, *SPLIT_2022.values()]) & base_period.startswith("2022")
    status = np.where(split, "split_2022", status)
    status = np.where(frame["period"] == base_period, "base_period", status)
    frame["change_status"] = status
    unusable = frame["change_status"].isin(["split_2022", "no_base", "undefined"])
    frame.loc[unusable, ["change", "change_percent"]] = np.nan
    return frame


def official_indicators(official: pd.DataFrame, population: pd.Series,
                        base_period: str = "2022", confidence: float = 0.95) -> pd.DataFrame:
    """Compute every indicator of :data:`OFFICIAL_INDICATORS` per region, period and nationally.

    Parameters
    ----------
    official : pandas.DataFrame
        One row per region and period: ``region_iso`` (or ``code``), ``period`` and the
        count columns of Form 1-M (``juveniles``, ``offences_against_minors``,
        ``juveniles_pupils`` …), as :func:`juvmap.io.form1m.read_many` or
        :func:`juvmap.io.builtin.official_by_region` return them. A missing column gives
        status ``missing``.
    population : pandas.Series
        Residents aged 0–17 per region code (e.g. ``builtin.juvenile_population()
        ["population"]``), used for every period.
    base_period : str
        Period against which changes are computed (the Concept's base year, "2022").
    confidence : float
        Level of the intervals.

    Returns
    -------
    pandas.DataFrame
        Long table, one row per ``code`` (regions and ``"KZ"``), ``period`` and
        ``indicator``: ``unit`` ("per_10000" or "percent"), ``numerator``, ``denominator``,
        ``value``, ``ci_low``, ``ci_high``, ``status`` (a key of :data:`STATUSES`; value
        NaN unless "ok"), ``caveat_code`` (:func:`split_caveat`), ``base_value``,
        ``change`` (absolute: per 10,000 or percentage points), ``change_percent``
        (relative) and ``change_status`` (a key of :data:`CHANGE_STATUSES`). Changes are
        NaN for the regions split in 2022 and their parents ("split_2022").
    """
    if "period" not in official.columns:
        raise ValueError("the official table needs a 'period' column")
    table = _with_national(official, population)
    frame = pd.concat([_indicator_rows(table, key, confidence) for key in OFFICIAL_INDICATORS],
                      ignore_index=True)
    frame["caveat_code"] = [split_caveat(c, p) for c, p in zip(frame["code"], frame["period"])]
    frame = _changes(frame, str(base_period))
    return frame.sort_values(["indicator", "period", "code"], ignore_index=True)


def indicator_map_values(indicators: pd.DataFrame, indicator: str, period: str) -> pd.DataFrame:
    """The rows of one indicator and period, indexed by region code (national row dropped),
    ready for a choropleth: ``value``, ``ci_low``, ``ci_high``, ``status``, ``caveat_code``."""
    rows = indicators[(indicators["indicator"] == indicator) & (indicators["period"] == period)
                      & (indicators["code"] != NATIONAL)]
    return rows.set_index("code")[["value", "ci_low", "ci_high", "numerator", "denominator",
                                   "status", "caveat_code", "change", "change_status"]]
