"""The analysis options shared by ``juvmap rates``, ``map`` and ``sheets`` and the one
:class:`~juvmap.analysis.AnalysisRequest` they become (the app builds the same request)."""

from __future__ import annotations

import argparse

from juvmap.i18n import _

# the choices, kept here so that building a parser imports nothing heavy
RATE_KINDS = ("raw", "eb", "spatial_eb")
HOTSPOT_METHODS = ("lisa", "gi")
SCHEMES = ("quantiles", "fisher_jenks", "equal_interval", "std_mean", "box_plot")


def _period(text: str) -> tuple[int, int]:
    first, _sep, last = text.replace("–", "-").partition("-")
    try:
        return int(first), int(last or first)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("Years must be given as A-B, e.g. 2021-2023.")) from exc


def add_analysis_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options that decide the numbers."""
    parser.add_argument("--years", type=_period, metavar="A-B",
                        help=_("Period: one year, or several years as an annual average (default: the latest year)"))
    parser.add_argument("--year", type=int, help=_("One year (same as --years Y-Y)"))
    parser.add_argument("--level", choices=("regions", "districts"), default="regions",
                        help=_("Areas: the 20 regions or the 224 districts"))
    parser.add_argument("--filter", metavar="EXPR", nargs="+", action="append", default=[],
                        help=_("Filter such as category=property,person age=14-15 hour=22-3 sex=F"))
    parser.add_argument("--denominator", choices=("juvenile", "residents"), default="juvenile",
                        help=_("Residents aged 0–17 per 10,000 (estimate) or all residents per 100,000"))
    parser.add_argument("--rate", choices=RATE_KINDS, default="raw", help=_("Crude or smoothed rate"))
    parser.add_argument("--scheme", choices=SCHEMES, default="quantiles", help=_("Classification"))
    parser.add_argument("--k", type=int, default=5, help=_("Number of classes"))
    parser.add_argument("--hotspots", dest="hotspot_method", choices=HOTSPOT_METHODS, default="lisa",
                        help=_("Hot-spot statistic"))
    parser.add_argument("--alpha", type=float, default=0.05, help=_("Significance level of the hot-spot tests"))
    parser.add_argument("--fdr", action="store_true", help=_("Correct hot-spot p-values for multiple testing"))
    parser.add_argument("--radius", type=float, metavar="M", help=_("Kernel radius in metres"))
    parser.add_argument("--cell", type=float, metavar="M", help=_("Cell size in metres"))
    parser.add_argument("--internal", action="store_true",
                        help=_("Do not suppress small counts (internal use only, not for publication)"))


def request_from_args(args: argparse.Namespace, *, level: str | None = None, outputs=("areas",)):
    """The :class:`~juvmap.analysis.AnalysisRequest` of parsed options."""
    from juvmap.analysis import AnalysisRequest
    from juvmap.stats.filters import parse_filter

    expressions = [e for group in args.filter for e in (group if isinstance(group, list) else [group])]
    period = args.years or ((args.year, args.year) if args.year else None)
    return AnalysisRequest(
        level=level or args.level, period=period, filter=parse_filter(expressions), denominator=args.denominator,
        rate=args.rate, scheme=args.scheme, k=args.k, hotspot_method=args.hotspot_method, alpha=args.alpha,
        fdr=args.fdr, kde_radius=args.radius, kde_cell=args.cell,
        disclosure="internal" if args.internal else "public", outputs=tuple(outputs))
