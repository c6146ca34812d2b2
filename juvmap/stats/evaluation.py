"""Did a prevention measure work? The WDD test, the WDQ and an interrupted time series.

Areas: ``T`` the treated area, ``C`` its control, ``D`` an optional displacement (buffer)
area and ``CD`` the control of the buffer; ``0`` is the before period, ``1`` the after.

* **WDD** (Wheeler & Ratcliffe 2018, *Crime Science* 7:11):
  ``WDD = ΔT − ΔC + ΔD − ΔCD`` with ``ΔX = X1 − X0``; under independent Poisson counts its
  variance is the sum of the eight counts, ``z = WDD / √var`` and ``p`` is two-sided normal.
  Without a displacement area ``WDD = ΔT − ΔC`` with variance ``T0 + T1 + C0 + C1``.
  A negative WDD means crime fell more (or rose less) in the treated area.
* **WDQ** (Bowers & Johnson 2003): ``(D1/C1 − D0/C0) / (T1/C1 − T0/C0)`` — the buffer's
  change over the treated area's change, both relative to the control. Its reading
  (:data:`WDQ_READINGS`) only makes sense when the denominator is negative (the measure
  "succeeded" relative to the control); otherwise the code is ``"no_success"``.
* **Relative change** of the treated against the control: the ratio of ratios
  ``(T1/T0) / (C1/C0)`` with a 95 % interval on the log scale (standard error
  ``√(1/T0 + 1/T1 + 1/C0 + 1/C1)``); the same for the buffer against its control.
* **ITS** (Lopez Bernal, Cummins & Gasparrini 2017): a segmented GLM on monthly counts,
  ``log μ = β0 + β1·t + β2·after + β3·(t − t0)·after + season``, seasonality as two Fourier
  harmonics of the month; quasi-Poisson (Pearson χ² scale) or negative binomial. The level
  change is ``exp(β2) − 1``. Fewer than :data:`MIN_PRE_POINTS` monthly points before the
  measure raise :class:`InsufficientData`.

Everything returns numbers and codes; :mod:`juvmap.recommend.evaluation_text` turns a
:func:`verdict` into kk/ru/en text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from juvmap.errors import AnalysisError
from juvmap.i18n import _

__all__ = [
    "MIN_PRE_POINTS",
    "WDQ_READINGS",
    "InsufficientData",
    "evaluate",
    "interrupted_time_series",
    "monthly_counts",
    "period_counts",
    "ratio_of_ratios",
    "verdict",
    "wdd_test",
    "wdq",
]

#: monthly points needed before the measure for an interrupted time series
MIN_PRE_POINTS = 12
#: WDQ reading codes (Bowers & Johnson 2003, table 2)
WDQ_READINGS = ("diffusion_exceeds", "diffusion", "none", "displacement", "displacement_exceeds",
                "no_success", "undefined")


class InsufficientData(AnalysisError):
    """An evaluation cannot run on the data given; ``code`` says why, ``needed``/``found`` how much."""

    def __init__(self, message: str, code: str, needed: int = 0, found: int = 0) -> None:
        super().__init__(message)
        self.code, self.needed, self.found = code, int(needed), int(found)


def _two_sided_p(z: float) -> float:
    return float(2.0 * stats.norm.sf(abs(z))) if np.isfinite(z) else float("nan")


def wdd_test(counts: Mapping[str, float]) -> pd.Series:
    """Weighted displacement difference test (Wheeler & Ratcliffe 2018).

    Parameters
    ----------
    counts : mapping
        ``T0, T1, C0, C1`` and optionally ``D0, D1, CD0, CD1`` (counts before/after in the
        treated, control, displacement and displacement-control areas).

    Returns
    -------
    pandas.Series
        ``wdd, wdd_var, wdd_se, wdd_z, wdd_p, delta_t, delta_c, delta_d, delta_cd`` and
        ``displacement`` (bool: whether D/CD entered the test).
    """
    t0, t1, c0, c1 = (float(counts[k]) for k in ("T0", "T1", "C0", "C1"))
    with_d = all(counts.get(k) is not None for k in ("D0", "D1", "CD0", "CD1"))
    d0, d1, cd0, cd1 = ((float(counts[k]) for k in ("D0", "D1", "CD0", "CD1"))
                        if with_d else (0.0, 0.0, 0.0, 0.0))
    wdd = (t1 - t0) - (c1 - c0) + (d1 - d0) - (cd1 - cd0)
    var = t0 + t1 + c0 + c1 + d0 + d1 + cd0 + cd1
    se = math.sqrt(var)
    z = wdd / se if se > 0 else float("nan")
    return pd.Series({
        "wdd": wdd, "wdd_var": var, "wdd_se": se, "wdd_z": z, "wdd_p": _two_sided_p(z),
        "delta_t": t1 - t0, "delta_c": c1 - c0,
        "delta_d": d1 - d0 if with_d else float("nan"),
        "delta_cd": cd1 - cd0 if with_d else float("nan"), "displacement": with_d,
    })


def wdq(counts: Mapping[str, float]) -> pd.Series:
    """Weighted displacement quotient of Bowers & Johnson (2003) and its reading.

    ``wdq = (D1/C1 − D0/C0) / (T1/C1 − T0/C0)`` with ``C`` the control area. Readings when
    the success measure (the denominator) is negative: ``> 1`` ``"diffusion_exceeds"``
    (the buffer gained more than the treated area), ``0 … 1`` ``"diffusion"``, ``0``
    ``"none"``, ``−1 … 0`` ``"displacement"`` (less than the direct gain),
    ``< −1`` ``"displacement_exceeds"``. A success measure ≥ 0 gives ``"no_success"``;
    a zero control count ``"undefined"``.

    Returns
    -------
    pandas.Series
        ``wdq, success_measure, buffer_measure, reading``.
    """
    t0, t1, c0, c1, d0, d1 = (float(counts[k]) for k in ("T0", "T1", "C0", "C1", "D0", "D1"))
    if c0 <= 0 or c1 <= 0:
        return pd.Series({"wdq": np.nan, "success_measure": np.nan, "buffer_measure": np.nan,
                          "reading": "undefined"})
    success = t1 / c1 - t0 / c0
    buffer = d1 / c1 - d0 / c0
    if success >= 0:
        return pd.Series({"wdq": np.nan, "success_measure": success, "buffer_measure": buffer,
                          "reading": "no_success"})
    quotient = buffer / success
    if quotient > 1:
        reading = "diffusion_exceeds"
    elif quotient > 0:
        reading = "diffusion"
    elif quotient == 0:
        reading = "none"
    elif quotient >= -1:
        reading = "displacement"
    else:
        reading = "displacement_exceeds"
    return pd.Series({"wdq": quotient, "success_measure": success, "buffer_measure": buffer,
                      "reading": reading})


def ratio_of_ratios(a0: float, a1: float, b0: float, b1: float,
                    confidence: float = 0.95) -> pd.Series:
    """Relative change of area A against area B: ``(a1/a0) / (b1/b0) − 1`` with its interval.

    The interval is exact-free: normal on the log ratio with standard error
    ``√(1/a0 + 1/a1 + 1/b0 + 1/b1)``; NaN when a count is 0.

    Returns
    -------
    pandas.Series
        ``change, change_low, change_high`` (fractions, −0.18 = 18 % lower) and ``p``.
    """
    counts = np.array([a0, a1, b0, b1], dtype=float)
    if (counts <= 0).any():
        return pd.Series({"change": np.nan, "change_low": np.nan, "change_high": np.nan,
                          "p": np.nan})
    log_ratio = math.log(a1 / a0) - math.log(b1 / b0)
    se = math.sqrt(float((1.0 / counts).sum()))
    zq = stats.norm.ppf(0.5 + confidence / 2)
    return pd.Series({"change": math.expm1(log_ratio),
                      "change_low": math.expm1(log_ratio - zq * se),
                      "change_high": math.expm1(log_ratio + zq * se),
                      "p": _two_sided_p(log_ratio / se)})


def monthly_counts(dates, start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.Series:
    """Count dates per calendar month from ``start`` to ``end`` (both months included).

    Months without a date get 0 (so a series has no holes); NaT dates are ignored.

    Returns
    -------
    pandas.Series
        Integer counts indexed by a monthly :class:`pandas.PeriodIndex`.
    """
    months = pd.period_range(pd.Period(start, "M"), pd.Period(end, "M"), freq="M")
    period = pd.to_datetime(pd.Series(dates), errors="coerce").dropna().dt.to_period("M")
    return period.value_counts().reindex(months, fill_value=0).astype("int64").rename("count")


def _design(n: int, pre: int, months: np.ndarray, slope_change: bool) -> np.ndarray:
    t = np.arange(n, dtype=float)
    after = (t >= pre).astype(float)
    columns = [np.ones(n), t / 12.0, after]
    if slope_change:
        columns.append((t - pre) / 12.0 * after)
    angle = 2 * np.pi * months / 12.0
    columns += [np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)]
    return np.column_stack(columns)


def interrupted_time_series(series: pd.Series, start: str | pd.Period,
                            family: str = "quasipoisson", slope_change: bool = True,
                            confidence: float = 0.95) -> pd.Series:
    """Segmented regression of monthly counts around the month a measure started.

    Parameters
    ----------
    series : pandas.Series
        Monthly counts indexed by a monthly PeriodIndex (see :func:`monthly_counts`).
    start : str or pandas.Period
        First month of the after period.
    family : {"quasipoisson", "negbin"}
        Poisson GLM with the Pearson χ² scale, or a negative binomial (NB2) GLM whose α is
        the method-of-moments estimate ``Σ((y − μ)² − y) / Σμ²`` from the Poisson fit.
    slope_change : bool
        Also estimate a change of trend after the start.
    confidence : float
        Level of the intervals.

    Returns
    -------
    pandas.Series
        ``level_change, level_low, level_high, level_p`` (fractions: −0.2 = a 20 % drop at
        the start), ``slope_change, slope_low, slope_high`` (relative change per year,
        NaN without ``slope_change``), ``pre_points, post_points, dispersion`` (χ² scale, or α), ``family``.

    Raises
    ------
    InsufficientData
        With fewer than :data:`MIN_PRE_POINTS` months before or no month after the start.
    """
    import statsmodels.api as sm

    start = pd.Period(start, "M")
    index = pd.PeriodIndex(series.index, freq="M")
    y = np.asarray(series, dtype=float)
    pre, post = int((index < start).sum()), int((index >= start).sum())
    if pre < MIN_PRE_POINTS:
        raise InsufficientData(
            _("An interrupted time series needs at least {needed} monthly points before the "
              "measure; there are {found}.").format(needed=MIN_PRE_POINTS, found=pre),
            "too_few_pre_points", MIN_PRE_POINTS, pre)
    if post < 1 or not (y > 0).any():
        raise InsufficientData(_("There are no monthly counts after the measure started."),
                               "no_post_points", 1, post)
    order = np.argsort(index.asi8)
    y, months = y[order], np.asarray(index.month)[order]
    x = _design(len(y), pre, months, slope_change)
    if family not in ("quasipoisson", "negbin"):
        raise ValueError("family must be 'quasipoisson' or 'negbin'")
    fit = sm.GLM(y, x, family=sm.families.Poisson()).fit(scale="X2")
    dispersion = float(fit.scale)
    if family == "negbin":  # α by the method of moments on the Poisson fit, then a NB2 GLM
        mu = fit.mu
        dispersion = max(float(((y - mu) ** 2 - y).sum() / (mu ** 2).sum()), 1e-8)
        fit = sm.GLM(y, x, family=sm.families.NegativeBinomial(alpha=dispersion)).fit()
    params, cov = np.asarray(fit.params), np.asarray(fit.cov_params())
    zq = stats.norm.ppf(0.5 + confidence / 2)

    def change(i: int) -> tuple[float, float, float, float]:
        b, se = params[i], math.sqrt(max(cov[i, i], 0.0))
        return (math.expm1(b), math.expm1(b - zq * se), math.expm1(b + zq * se),
                _two_sided_p(b / se if se > 0 else np.nan))

    level = change(2)
    slope = change(3) if slope_change else (np.nan,) * 4
    return pd.Series({
        "level_change": level[0], "level_low": level[1], "level_high": level[2],
        "level_p": level[3], "slope_change": slope[0], "slope_low": slope[1],
        "slope_high": slope[2], "pre_points": pre, "post_points": post,
        "dispersion": dispersion, "family": family,
    })


def verdict(counts: Mapping[str, float], alpha: float = 0.05, min_count: int = 10) -> dict:
    """Sum up an evaluation as codes and numbers (a presenter writes the sentence).

    Parameters
    ----------
    counts : mapping
        As for :func:`wdd_test`.
    alpha : float
        Significance level of the comparisons.
    min_count : int
        Fewer incidents than this in the treated and control areas together, before and
        after, give ``"insufficient_data"``.

    Returns
    -------
    dict
        ``code``: ``"fell_more"``, ``"rose_more"``, ``"no_difference"`` or
        ``"insufficient_data"`` (with ``reason``); ``change, change_low, change_high, p``
        of the treated against the control; ``displacement``: ``"none_tested"``,
        ``"no_sign"``, ``"displacement"`` or ``"diffusion"`` (buffer against its control),
        with ``displacement_change`` and its interval.
    """
    t0, t1, c0, c1 = (float(counts[k]) for k in ("T0", "T1", "C0", "C1"))
    out: dict = {"code": "insufficient_data", "reason": "", "change": np.nan,
                 "change_low": np.nan, "change_high": np.nan, "p": np.nan,
                 "displacement": "none_tested", "displacement_change": np.nan,
                 "displacement_low": np.nan, "displacement_high": np.nan}
    if min(t0, c0, c1) <= 0 or t0 + t1 + c0 + c1 < min_count:
        out["reason"] = "zero_counts" if min(t0, c0, c1) <= 0 else "too_few_incidents"
        return out
    rr = ratio_of_ratios(t0, t1, c0, c1)
    out.update(change=rr["change"], change_low=rr["change_low"], change_high=rr["change_high"],
               p=rr["p"])
    if rr["p"] < alpha:
        out["code"] = "fell_more" if rr["change"] < 0 else "rose_more"
    else:
        out["code"] = "no_difference"
    if all(counts.get(k) is not None for k in ("D0", "D1", "CD0", "CD1")):
        dr = ratio_of_ratios(*(float(counts[k]) for k in ("D0", "D1", "CD0", "CD1")))
        out.update(displacement_change=dr["change"], displacement_low=dr["change_low"],
                   displacement_high=dr["change_high"])
        if not np.isfinite(dr["p"]) or dr["p"] >= alpha:
            out["displacement"] = "no_sign"
        else:
            out["displacement"] = "displacement" if dr["change"] > 0 else "diffusion"
    return out


def period_counts(dates, masks: Mapping[str, np.ndarray], before: tuple[int, int],
                  after: tuple[int, int]) -> dict[str, int]:
    """Counts ``T0, T1, C0, C1`` (and ``D0 … CD1``) of the incidents in each area and period.

    Parameters
    ----------
    dates : array-like of datetime
        Date of each incident.
    masks : mapping
        ``"T"``, ``"C"`` and optionally ``"D"``, ``"CD"`` → boolean mask over the incidents.
    before, after : (int, int)
        Inclusive years of the two periods.
    """
    year = pd.to_datetime(pd.Series(np.asarray(dates)), errors="coerce").dt.year.to_numpy()
    in_before = (year >= before[0]) & (year <= before[1])
    in_after = (year >= after[0]) & (year <= after[1])
    out: dict[str, int] = {}
    for area in ("T", "C", "D", "CD"):
        if area in masks and masks[area] is not None:
            mask = np.asarray(masks[area], dtype=bool)
            out[f"{area}0"] = int((mask & in_before).sum())
            out[f"{area}1"] = int((mask & in_after).sum())
    return out


def evaluate(dates, masks: Mapping[str, np.ndarray], before: tuple[int, int],
             after: tuple[int, int], family: str = "quasipoisson") -> dict:
    """The whole evaluation of a measure: counts, WDD, WDQ, verdict and ITS.

    Parameters
    ----------
    dates : array-like of datetime
        Date of each incident.
    masks : mapping
        Boolean masks ``"T"``, ``"C"`` and optionally ``"D"``, ``"CD"`` (see :func:`period_counts`).
    before, after : (int, int)
        Inclusive years; the measure is taken to start on 1 January of ``after[0]``. The
        monthly series of the ITS covers these years only where the data have dates (from
        the month of the earliest to that of the latest incident of any area): months
        outside the data are unknown, not zero. Years between the two periods enter the
        ITS as before the measure, but not the WDD.
    family : str
        Of :func:`interrupted_time_series`.

    Returns
    -------
    dict
        ``counts``, ``wdd`` (:func:`wdd_test` as a dict), ``wdq`` (dict or None),
        ``verdict`` (:func:`verdict`), ``its`` (dict or None) and ``its_error``
        (``{"code", "message", "needed", "found"}`` or None) — all JSON-friendly numbers and codes.
    """
    if before[1] >= after[0]:
        raise AnalysisError(_("The before period must end before the after period starts."))
    counts = period_counts(dates, masks, before, after)
    wdd = wdd_test(counts).to_dict()
    quotient = wdq(counts).to_dict() if "D0" in counts else None
    its, its_error = None, None
    when = pd.to_datetime(pd.Series(np.asarray(dates)), errors="coerce")
    treated = when[np.asarray(masks["T"], dtype=bool)]
    first = max(pd.Period(f"{before[0]}-01", "M"), when.min().to_period("M"))
    last = min(pd.Period(f"{after[1]}-12", "M"), when.max().to_period("M"))
    try:
        series = monthly_counts(treated, first, last)
        its = interrupted_time_series(series, f"{after[0]}-01", family=family).to_dict()
    except InsufficientData as exc:
        its_error = {"code": exc.code, "message": str(exc), "needed": exc.needed, "found": exc.found}
    return {"counts": counts, "wdd": wdd, "wdq": quotient, "verdict": verdict(counts),
            "its": its, "its_error": its_error}
