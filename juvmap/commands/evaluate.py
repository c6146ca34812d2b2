"""``juvmap evaluate``: did a measure work? WDD test, WDQ, interrupted time series, verdict.

Areas are region codes (``KZ-75``), district codes or a polygon file; several codes
separated by commas form one area. The measure is taken to start on 1 January of the
first after year. ``--json`` prints one JSON object (counts of 1–4 written as "<5");
otherwise a translated verdict and the figures.
"""

from __future__ import annotations

import argparse
import json
import math

from juvmap.i18n import _
from juvmap.numbers import SUPPRESS_BELOW


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap evaluate``."""
    parser.add_argument("--data", metavar="FILE", help=_("Incident file (default: the synthetic demo data)"))
    parser.add_argument("--treated", metavar="AREA", required=True,
                        help=_("Treated area: region or district codes separated by commas, or a polygon file"))
    parser.add_argument("--control", metavar="AREA", required=True, help=_("Control area (as --treated)"))
    parser.add_argument("--displacement", metavar="AREA",
                        help=_("Displacement (buffer) area around the treated area (as --treated)"))
    parser.add_argument("--displacement-control", metavar="AREA",
                        help=_("Control area of the displacement area (as --treated)"))
    parser.add_argument("--before", metavar="Y1-Y2", required=True, help=_("Years before the measure, e.g. 2019-2021"))
    parser.add_argument("--after", metavar="Y3-Y4", required=True, help=_("Years after the measure, e.g. 2022-2023"))
    parser.add_argument("--family", choices=("quasipoisson", "negbin"), default="quasipoisson",
                        help=_("Model of the interrupted time series"))
    parser.add_argument("--json", action="store_true", help=_("Print the result as one JSON object"))


def _clean(value):
    """JSON-safe value: NaN → None, numpy scalars → Python."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _shown_counts(counts: dict[str, int]) -> dict[str, object]:
    return {k: (f"<{SUPPRESS_BELOW}" if 0 < v < SUPPRESS_BELOW else v) for k, v in counts.items()}


def run(args: argparse.Namespace) -> int:
    """Evaluate and print; return the exit code."""
    from juvmap.commands.spacetime_areas import area_mask, load_incidents, year_range
    from juvmap.errors import AnalysisError
    from juvmap.recommend.evaluation_text import figures_text, verdict_text
    from juvmap.stats.evaluation import evaluate

    if bool(args.displacement) != bool(args.displacement_control):
        raise AnalysisError(_("Give both --displacement and --displacement-control, or neither."))
    incidents, synthetic = load_incidents(args.data)
    masks = {"T": area_mask(incidents, args.treated), "C": area_mask(incidents, args.control)}
    if args.displacement:
        masks["D"] = area_mask(incidents, args.displacement)
        masks["CD"] = area_mask(incidents, args.displacement_control)
    result = evaluate(incidents["date"], masks, year_range(args.before), year_range(args.after),
                      family=args.family)
    text = verdict_text(result["verdict"], result["its"], result["its_error"])
    if args.json:
        wdd = result["wdd"]
        payload = {"wdd": wdd["wdd"], "wdd_se": wdd["wdd_se"], "wdd_z": wdd["wdd_z"],
                   "wdd_p": wdd["wdd_p"], "wdd_var": wdd["wdd_var"],
                   "counts": _shown_counts(result["counts"]), "verdict": result["verdict"],
                   "its": result["its"], "its_error": result["its_error"],
                   "synthetic": synthetic, "text": text}
        if result["wdq"] is not None:
            payload.update(wdq=result["wdq"]["wdq"], wdq_reading=result["wdq"]["reading"])
        print(json.dumps(_clean(payload), ensure_ascii=False, indent=1))
        return 0
    print(text)
    print(figures_text(result["wdd"], result["wdq"]))
    if any(0 < v < SUPPRESS_BELOW for v in result["counts"].values()):
        print(_("Some areas have fewer than 5 incidents in a period: read the result with caution."))
    if synthetic:
        print(_("The incidents are SYNTHETIC demo data."))
    return 0
