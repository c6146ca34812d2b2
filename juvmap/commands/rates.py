"""``juvmap rates``: counts, rates, EB smoothing and hot spots per area, to CSV or GeoPackage.

Defaults: the built-in synthetic demo incidents, the 20 built-in regions and the estimated
0–17 population (rates per 10,000). Counts of 1–4 are written as "<5". The CSV starts with
a comment line ``# multiplier=10000; denominator=...; estimate=yes; synthetic=yes``; a
GeoPackage carries the same keys as layer and dataset metadata.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError, DataLoadError
from juvmap.i18n import _
from juvmap.export.tables import metadata_dict, metadata_line, write_result  # noqa: F401 - re-exported
from juvmap.stats.filters import IncidentFilter, parse_filter

SUPPRESS_BELOW = 5
_POPULATION_CODE_FIELDS = ("code", "region", "region_iso", "iso", "iso_3166_2")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap rates``."""
    parser.add_argument("--data", metavar="FILE", help=_("Incident file (default: the synthetic demo data)"))
    parser.add_argument("--regions", metavar="FILE", help=_("Area boundaries (default: the 20 regions)"))
    parser.add_argument("--region-field", metavar="NAME", default="code",
                        help=_("Column of the area code in the boundaries and population files"))
    parser.add_argument("--name-field", metavar="NAME",
                        help=_("Column of the area name in the boundaries file"))
    parser.add_argument("--population", metavar="FILE",
                        help=_("Population table (default: estimated residents aged 0–17)"))
    parser.add_argument("--population-field", metavar="NAME", default="population",
                        help=_("Column of the population"))
    parser.add_argument("--age-band", metavar="BAND",
                        help=_("The population file counts residents of this age band, e.g. 14–17 (rates per 10,000)"))
    parser.add_argument("--years", metavar="A-B", help=_("Only these years, e.g. 2021-2023"))
    parser.add_argument("--filter", metavar="EXPR", nargs="+", action="append", default=[],
                        help=_("Filter such as category=property,person age=14-15 hour=22-3 sex=F"))
    parser.add_argument("--fdr", action="store_true", help=_("Correct hot-spot p-values for multiple testing"))
    parser.add_argument("--out", metavar="FILE", required=True, help=_("Output .csv or .gpkg file"))


def _incidents(path: str | None):
    if path is None:
        from juvmap.io.demo import load_demo_incidents

        return load_demo_incidents()
    from juvmap.io.load import load_layer

    return load_layer(path).data


def _polygons(path: str | None):
    from juvmap.io.boundaries import load_regions

    if path is None:
        return load_regions(detail="full")
    import geopandas as gpd

    from juvmap.io.readers import read_raw

    raw = read_raw(path)
    if raw.geometry is None:
        raise DataLoadError(_("{name} has no area boundaries.").format(name=Path(path).name), path)
    polygons = gpd.GeoDataFrame(raw.frame, geometry=raw.geometry, crs=raw.crs)
    return polygons.to_crs("EPSG:4326") if polygons.crs is not None else polygons


def _denominator(args):
    from juvmap.stats.rates import Denominator

    if args.population is None:
        from juvmap.io.builtin import juvenile_population

        return Denominator.from_table(juvenile_population())
    from juvmap.io.readers import read_raw

    table = pd.DataFrame(read_raw(args.population).frame)
    for field in (args.region_field, *_POPULATION_CODE_FIELDS):
        if field in table.columns:
            table = table.set_index(table[field].astype(str).str.strip())
            break
    else:
        raise DataLoadError(_("The population file has no column {column}.").format(column=args.region_field),
                            args.population)
    if args.population_field not in table.columns:
        raise DataLoadError(_("The population file has no column {column}.").format(column=args.population_field),
                            args.population)
    if args.age_band:
        table = table.assign(age_band=args.age_band)
    if "estimate" in table.columns:
        table["estimate"] = table["estimate"].astype(str).str.lower().isin(["true", "1", "yes"])
    return Denominator.from_table(table, column=args.population_field)


def _filter(args) -> IncidentFilter:
    expressions = [e for group in args.filter for e in group]
    if args.years:
        expressions.append(f"years={args.years}")
    return parse_filter(expressions)


def run(args: argparse.Namespace) -> int:
    """Compute the statistics and write them; return the exit code."""
    from juvmap.stats.summary import region_statistics

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".gpkg"):
        raise AnalysisError(_("The output must be a .csv or .gpkg file."))
    incidents = _incidents(args.data)
    polygons = _polygons(args.regions)
    denominator = _denominator(args)
    result = region_statistics(incidents, polygons, denominator, filter=_filter(args),
                               code_field=args.region_field, name_field=args.name_field,
                               fdr=args.fdr)
    write_result(result, out)
    defined = int(np.isfinite(result["rate"]).sum())
    print(_("Wrote {n} areas ({defined} with a rate {unit}) to {path}").format(
        n=len(result), defined=defined, unit=denominator.describe(), path=out))
    if result.attrs.get("synthetic"):
        print(_("The incidents are SYNTHETIC demo data."))
    if result.attrs.get("low_power"):
        print(result.attrs["low_power"], file=sys.stderr)
    return 0
