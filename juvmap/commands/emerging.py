"""``juvmap emerging``: emerging hot spots per region, district or grid cell.

Writes a GeoPackage (EPSG:4326, opens in QGIS) or a CSV with, per area: ``code``,
``category`` (code), ``category_label`` (translated), ``trend_z``, ``trend_p``,
``hot_steps``, ``cold_steps``, ``final_z``, the Gi* z-score per step (``z_<step>``) and the
count per step (``n_<step>``, 1–4 written as "<5"). Metadata: ``synthetic``, ``level``,
``step``, ``alpha``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

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


def _areas(incidents: pd.DataFrame, args):
    """Return (polygons GeoDataFrame in EPSG:4326 with ``code``, area of each incident, adjacency)."""
    import geopandas as gpd

    from juvmap.commands.spacetime_areas import area_layer, incident_areas
    from juvmap.stats.smoothing import neighbour_matrix, queen_weights

    if args.level == "grid":
        from juvmap.crs import EQUAL_AREA_CRS
        from juvmap.io.points import point_xy
        from juvmap.stats.cells import cell_grid

        x, y, rows = point_xy(incidents, crs=EQUAL_AREA_CRS)
        ids, cells, adjacency = cell_grid(x, y, args.cell, args.shape)
        area_of = np.full(len(incidents), "", dtype=object)
        area_of[rows] = ids
        polygons = gpd.GeoDataFrame({"code": cells.index}, geometry=list(cells["geometry"]),
                                    crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")
        return polygons, area_of, adjacency
    polygons, level, notice = area_layer(args.level)
    if notice:
        print(notice, file=sys.stderr)
    polygons = polygons.sort_values("code").reset_index(drop=True)
    if level == "regions" and "region" in incidents:
        area_of = incidents["region"].astype(str).to_numpy()
    else:
        area_of = incident_areas(incidents, polygons)
    return polygons, area_of, neighbour_matrix(queen_weights(polygons))


def run(args: argparse.Namespace) -> int:
    """Compute the emerging hot spots and write them; return the exit code."""
    import pyogrio

    from juvmap.commands.spacetime_areas import load_incidents
    from juvmap.errors import AnalysisError
    from juvmap.export.tables import count_text
    from juvmap.stats.emerging import CATEGORY_LABELS, emerging_hotspots, step_counts

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".gpkg"):
        raise AnalysisError(_("The output must be a .csv or .gpkg file."))
    if not args.cell > 0:
        raise AnalysisError(_("The cell size must be a positive number of metres."))
    incidents, synthetic = load_incidents(args.data)
    polygons, area_of, adjacency = _areas(incidents, args)
    counts = step_counts(incidents["date"], area_of, polygons["code"], args.step)
    if counts.shape[1] < 3:
        raise AnalysisError(_("Emerging hot spots need at least 3 time steps; the data span {n}.").format(
            n=counts.shape[1]))
    result = emerging_hotspots(counts, adjacency, alpha=args.alpha)
    result.insert(1, "category_label", [_(CATEGORY_LABELS[c]) for c in result["category"]])
    shown = pd.DataFrame({f"n_{c}": count_text(counts[c]) for c in counts.columns}, index=counts.index)
    table = pd.concat([result, shown], axis=1).reset_index()
    meta = {"synthetic": "yes" if synthetic else "no", "level": args.level, "step": args.step,
            "alpha": str(args.alpha), "suppression": "counts 1-4 written as <5"}
    if out.suffix.lower() == ".csv":
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write("# " + "; ".join(f"{k}={v}" for k, v in meta.items()) + "\n")
            table.to_csv(fh, index=False, float_format="%.6g")
    else:
        layer = polygons[["code", "geometry"]].merge(table, on="code", how="left")
        pyogrio.write_dataframe(layer, out, layer=out.stem, driver="GPKG",
                                layer_metadata=meta, dataset_metadata=meta)
    summary = result["category"].value_counts()
    print(_("Wrote {n} areas × {steps} steps to {path}").format(n=len(result), steps=counts.shape[1], path=out))
    for code, n in summary.items():
        label = _(CATEGORY_LABELS[code])
        print(f"  {label}: {n}")
    if synthetic:
        print(_("The incidents are SYNTHETIC demo data."))
    return 0
