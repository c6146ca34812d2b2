"""``juvmap nearrepeat``: the Knox test of near repeats (Ratcliffe's Near Repeat Calculator).

Writes a CSV with one row per distance band × time band: ``distance_band, time_band,
distance_low, distance_high, days_low, days_high, observed, expected, ratio, p``. Bands are
half-open ``[low, high)`` from the edges given (see :mod:`juvmap.stats.nearrepeat`). The
first line is a comment with ``synthetic``, ``permutations``, ``seed`` and ``n``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from juvmap.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap nearrepeat``."""
    parser.add_argument("--data", metavar="FILE", help=_("Incident file (default: the synthetic demo data)"))
    parser.add_argument("--distance", metavar="M0,M1,...", default="0,200,400,600,800,1000",
                        help=_("Lower edges of the distance bands in metres"))
    parser.add_argument("--days", metavar="D0,D1,...", default="0,7,14,21,28",
                        help=_("Lower edges of the time bands in days"))
    parser.add_argument("--permutations", type=int, default=999, help=_("Monte Carlo permutations"))
    parser.add_argument("--seed", type=int, default=20240917, help=_("Random seed"))
    parser.add_argument("--out", metavar="FILE", required=True, help=_("Output .csv file"))


def run(args: argparse.Namespace) -> int:
    """Run the Knox test and write the table; return the exit code."""
    from juvmap.analysis.spacetime import near_repeat_for_incidents
    from juvmap.commands.spacetime_areas import load_incidents
    from juvmap.errors import AnalysisError
    from juvmap.stats.nearrepeat import parse_edges

    out = Path(args.out)
    if out.suffix.lower() != ".csv":
        raise AnalysisError(_("The output must be a .csv file."))
    if args.permutations < 1:
        raise AnalysisError(_("Give at least one permutation."))
    distance, days = parse_edges(args.distance), parse_edges(args.days)
    incidents, synthetic = load_incidents(args.data)
    table = near_repeat_for_incidents(incidents, distance, days, args.permutations, args.seed)
    left_out = table.attrs.pop("left_out")
    n = table.attrs["n"]
    meta = {"synthetic": "yes" if synthetic else "no", **table.attrs, "left_out": left_out}
    with open(out, "w", encoding="utf-8", newline="") as fh:
        fh.write("# " + "; ".join(f"{k}={v}" for k, v in meta.items()) + "\n")
        table.to_csv(fh, index=False, float_format="%.6g")
    print(_("Knox test on {n} incidents, {perm} permutations: wrote {rows} bands to {path}").format(
        n=n, perm=args.permutations, rows=len(table), path=out))
    if left_out:
        print(_("{n} incidents without coordinates or date were left out.").format(n=left_out))
    strong = table[(table["p"] <= 0.05) & (table["ratio"] > 1)]
    for _i, row in strong.iterrows():
        print(_("  near repeat: {distance} m, {days} days: {ratio}× expected (p = {p})").format(
            distance=row["distance_band"], days=row["time_band"], ratio=f"{row['ratio']:.2f}",
            p=f"{row['p']:.3f}"))
    if synthetic:
        print(_("The incidents are SYNTHETIC demo data."))
    return 0
