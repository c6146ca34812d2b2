"""Plain-language kk/ru/en text of an evaluation (the codes of :mod:`juvmap.stats.evaluation`).

:func:`verdict_text` turns :func:`~juvmap.stats.evaluation.verdict` and the interrupted time
series into sentences; :func:`figures_text` lists the WDD test and the WDQ. Numbers follow
the language's conventions (:func:`juvmap.numbers.format_number`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from juvmap.i18n import N_, _, get_language
from juvmap.numbers import format_number

__all__ = ["WDQ_READING_LABELS", "figures_text", "its_error_text", "its_text", "verdict_text"]

WDQ_READING_LABELS: dict[str, str] = {
    "diffusion_exceeds": N_("diffusion of benefits greater than the direct effect"),
    "diffusion": N_("diffusion of benefits to the surrounding area"),
    "none": N_("neither displacement nor diffusion"),
    "displacement": N_("some displacement, smaller than the direct effect"),
    "displacement_exceeds": N_("displacement greater than the direct effect"),
    "no_success": N_("not defined: incidents did not fall in the treated area relative to the control"),
    "undefined": N_("not defined: the control area has no incidents in a period"),
}


def _pct(fraction: float, signed: bool = False) -> str:
    value = fraction * 100 if signed else abs(fraction) * 100
    return format_number(value, get_language(), 0)


def _main_sentence(result: Mapping) -> str:
    code = result["code"]
    if code == "insufficient_data":
        if result.get("reason") == "zero_counts":
            return _("Insufficient data: the treated or the control area has no incidents in a period.")
        return _("Insufficient data: too few incidents in the treated and control areas.")
    low, high = sorted((result["change_low"], result["change_high"]))
    numbers = {"pct": _pct(result["change"]), "low": _pct(low, True), "high": _pct(high, True)}
    if code == "fell_more":
        numbers.update(low=_pct(high), high=_pct(low))
        return _("Relative to the control area, incidents in the treated area fell by {pct} % "
                 "(95 % CI {low}–{high} %).").format(**numbers)
    if code == "rose_more":
        numbers.update(low=_pct(low), high=_pct(high))
        return _("Relative to the control area, incidents in the treated area rose by {pct} % "
                 "(95 % CI {low}–{high} %).").format(**numbers)
    numbers["pct"] = _pct(result["change"], True)
    return _("No clear difference from the control area: change {pct} % (95 % CI {low} to "
             "{high} %).").format(**numbers)


def _displacement_sentence(result: Mapping) -> str:
    code = result.get("displacement", "none_tested")
    if code == "none_tested":
        return ""
    if code == "no_sign":
        return _("No sign of displacement to the surrounding area.")
    low, high = sorted((result["displacement_low"], result["displacement_high"]))
    if code == "displacement":
        return _("Signs of displacement: incidents in the surrounding area rose by {pct} % "
                 "(95 % CI {low}–{high} %) relative to its control.").format(
            pct=_pct(result["displacement_change"]), low=_pct(low), high=_pct(high))
    return _("Signs of a diffusion of benefits: incidents in the surrounding area fell by {pct} % "
             "(95 % CI {low}–{high} %) relative to its control.").format(
        pct=_pct(result["displacement_change"]), low=_pct(high), high=_pct(low))


def its_error_text(error: Mapping | None) -> str:
    """Why the interrupted time series did not run (``its_error`` of ``evaluate()``)."""
    if not error:
        return ""
    if error.get("code") == "too_few_pre_points":
        return _("An interrupted time series needs at least {needed} monthly points before the "
                 "measure; there are {found}.").format(needed=error.get("needed", 12),
                                                        found=error.get("found", 0))
    return _("There are no monthly counts after the measure started.")


def its_text(its: Mapping | None, error: Mapping | None = None) -> str:
    """One sentence on the interrupted time series, or why it was not run."""
    if error:
        return _("Interrupted time series not run: {reason}").format(reason=its_error_text(error))
    if not its:
        return ""
    return _("Interrupted time series: the level changed by {pct} % when the measure started "
             "(95 % CI {low} to {high} %).").format(
        pct=_pct(its["level_change"], True), low=_pct(its["level_low"], True),
        high=_pct(its["level_high"], True))


def verdict_text(result: Mapping, its: Mapping | None = None, its_error: Mapping | None = None) -> str:
    """The verdict in the current language: the main sentence, displacement, the ITS."""
    parts = [_main_sentence(result), _displacement_sentence(result), its_text(its, its_error)]
    return " ".join(p for p in parts if p)


def _num(value: float, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_number(value, get_language(), decimals)


def figures_text(wdd: Mapping, wdq: Mapping | None = None) -> str:
    """The WDD test (and the WDQ with its reading) as one or two lines."""
    lines = [_("WDD = {wdd} (SE {se}, z = {z}, p = {p})").format(
        wdd=_num(wdd["wdd"], 0), se=_num(wdd["wdd_se"], 1), z=_num(wdd["wdd_z"], 2),
        p=_num(wdd["wdd_p"], 3))]
    if wdq is not None:
        reading = WDQ_READING_LABELS[wdq["reading"]]
        lines.append(_("WDQ = {wdq}: {reading}").format(wdq=_num(wdq["wdq"], 2), reading=_(reading)))
    return "\n".join(lines)
