"""``juvmap rates``: counts, rates, EB smoothing and hot spots per area, to CSV or GeoPackage.

Parse the options into an :class:`~juvmap.analysis.AnalysisRequest`, run the one analysis and
write its area table. Defaults: the built-in synthetic demo incidents, the 20 built-in regions,
the latest year and the estimated 0–17 population (rates per 10,000). Counts of 1–4 are written
as "<5" with every figure that could reveal them left empty. The CSV starts with
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
from juvmap.commands.analysis_options import add_analysis_arguments, request_from_args
from juvmap.export.tables import write_result
from juvmap.i18n import get_language
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
    add_analysis_arguments(parser)
    parser.add_argument("--out", metavar="FILE", required=True, help=_("Output .csv or .gpkg file"))


def _incidents(path: str | None):
    if path is None:
        from juvmap.io.demo import load_demo_incidents

        return load_demo_incidents(), "demo"
    from juvmap.io.load import load_layer

    return load_layer(path).data, str(path)


def _user_areas(args):
    import geopandas as gpd

    from juvmap.io.readers import read_raw

    raw = read_raw(args.regions)
    if raw.geometry is None:
        raise DataLoadError(_("{name} has no area boundaries.").format(name=Path(args.regions).name), args.regions)
    polygons = gpd.GeoDataFrame(raw.frame, geometry=raw.geometry, crs=raw.crs)
    if args.region_field not in polygons.columns:
        raise DataLoadError(_("The boundaries have no column {column}.").format(column=args.region_field), args.regions)
    polygons["code"] = polygons[args.region_field].astype(str)
    if args.name_field and args.name_field in polygons.columns:
        polygons["name"] = polygons[args.name_field].astype(str)
    return polygons.to_crs("EPSG:4326") if polygons.crs is not None else polygons


def _population(args) -> pd.DataFrame | None:
    if args.population is None:
        return None
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
    table = table.rename(columns={args.population_field: "population"})
    if args.age_band:
        table = table.assign(age_band=args.age_band)
    if "estimate" in table.columns:
        table["estimate"] = table["estimate"].astype(str).str.lower().isin(["true", "1", "yes"])
    return table


def run(args: argparse.Namespace) -> int:
    """Analyse and write the area table; return the exit code."""
    from juvmap.analysis import Sources, analyse
    from juvmap.describe import denominator_text

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".gpkg"):
        raise AnalysisError(_("The output must be a .csv or .gpkg file."))
    incidents, name = _incidents(args.data)
    sources = Sources(incidents=incidents, incidents_file=name, population_table=_population(args),
                      user_areas=_user_areas(args) if args.regions else None)
    result = analyse(request_from_args(args, level="user" if args.regions else None), sources)
    write_result(result, out)
    defined = int(np.isfinite(result.areas["rate"]).sum())
    print(_("Wrote {n} areas ({defined} with a rate {unit}) to {path}").format(
        n=len(result.areas), defined=defined, unit=denominator_text(result, get_language()), path=out))
    if result.synthetic:
        print(_("The incidents are SYNTHETIC demo data."))
    if result.flags.get("low_power"):
        print(_("Only {n} areas were tested: hot-spot tests have little power.").format(
            n=result.flags["tested"]), file=sys.stderr)
    return 0
