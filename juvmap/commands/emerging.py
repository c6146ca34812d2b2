"""``juvmap emerging``: emerging hot spots per region, district or grid cell.

Writes a GeoPackage (EPSG:4326, opens in QGIS) or a CSV through
:func:`juvmap.export.spacetime.write_emerging` (its docstring lists the columns).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from juvmap.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap emerging``."""
    parser.add_argument("--data", metavar="FILE", help=_("Incident file (default: the synthetic demo data)"))
    parser.add_argument("--level", choices=("regions", "districts", "grid"), default="regions",
                        help=_("Areas: regions, districts or a grid of cells"))
    parser.add_argument("--cell", metavar="METRES", type=float, default=5000.0,
                        help=_("Cell size of the grid in metres"))
    parser.add_argument("--shape", choices=("square", "hex"), default="hex", help=_("Shape of the grid cells"))
    parser.add_argument("--step", choices=("year", "quarter", "month"), default="year",
                        help=_("Time step"))
    parser.add_argument("--alpha", type=float, default=0.05, help=_("Significance level"))
    parser.add_argument("--out", metavar="FILE", required=True, help=_("Output .gpkg or .csv file"))


def run(args: argparse.Namespace) -> int:
    """Compute the emerging hot spots and write them; return the exit code."""
    from juvmap.analysis.spacetime import emerging_for_incidents
    from juvmap.commands.spacetime_areas import load_incidents
    from juvmap.errors import AnalysisError
    from juvmap.export.spacetime import write_emerging
    from juvmap.stats.emerging import CATEGORY_LABELS

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".gpkg"):
        raise AnalysisError(_("The output must be a .csv or .gpkg file."))
    incidents, synthetic = load_incidents(args.data)
    found = emerging_for_incidents(incidents, args.level, args.step, args.alpha, args.cell, args.shape)
    if found.notice:
        print(found.notice, file=sys.stderr)
    write_emerging(found, out, synthetic)
    print(_("Wrote {n} areas × {steps} steps to {path}").format(
        n=len(found.table), steps=found.counts.shape[1], path=out))
    for code, n in found.table["category"].value_counts().items():
        label = _(CATEGORY_LABELS[code])
        print(f"  {label}: {n}")
    if synthetic:
        print(_("The incidents are SYNTHETIC demo data."))
    return 0
