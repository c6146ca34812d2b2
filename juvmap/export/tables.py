"""Region tables for sharing: CSV with a metadata comment line, or GeoPackage with metadata.

Counts of 1–4 are written as "<5", and the rates of those units are left empty (a rate
times the population would give the count back). The multiplier, the denominator, the
estimate and synthetic flags, the filter and any warning travel with the table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _
from juvmap.numbers import SUPPRESS_BELOW
from juvmap.stats.filters import IncidentFilter

#: columns that would reveal a small count together with the population
RATE_COLUMNS = ("rate", "ci_low", "ci_high", "expected", "excess_risk", "eb_rate", "spatial_eb_rate")


def _suppressed(counts: pd.Series) -> pd.Series:
    """Counts as text with 1–4 written as "<5"."""
    text = counts.astype("int64").astype(str)
    return text.where(~((counts > 0) & (counts < SUPPRESS_BELOW)), f"<{SUPPRESS_BELOW}")


def metadata_line(attrs: dict) -> str:
    """Return the CSV header comment ``# multiplier=...; denominator=...; ...``."""
    keys = metadata_dict(attrs)
    return "# " + "; ".join(f"{k}={v}" for k, v in keys.items())


def metadata_dict(attrs: dict) -> dict[str, str]:
    """Return the metadata keys written to CSV and GeoPackage outputs (all strings)."""
    yes = {True: "yes", False: "no"}
    out = {
        "multiplier": str(attrs.get("multiplier", "")),
        "denominator": str(attrs.get("denominator", "")).replace(";", ","),
        "estimate": yes[bool(attrs.get("estimate"))],
        "synthetic": yes[bool(attrs.get("synthetic"))],
    }
    flt = attrs.get("filter") or {}
    if flt:
        out["filter"] = " ".join(IncidentFilter.from_dict(flt).to_expressions()).replace(";", ",")
    if attrs.get("unplaced"):
        out["unplaced"] = str(int(attrs["unplaced"]))
    out["suppression"] = f"counts 1-{SUPPRESS_BELOW - 1} written as <{SUPPRESS_BELOW}, their rates left empty"
    if attrs.get("low_power"):
        out["warning"] = str(attrs["low_power"]).replace(";", ",")
    return out


def suppress_small(result: pd.DataFrame) -> pd.DataFrame:
    """A copy of a rate table safe to share: small counts as "<5", their rates empty."""
    table = result.copy()
    small = (result["count"] > 0) & (result["count"] < SUPPRESS_BELOW)
    for column in RATE_COLUMNS:
        if column in table:
            table[column] = table[column].where(~small, np.nan)
    table["count"] = _suppressed(result["count"])
    return table


def write_result(result, out: Path) -> None:
    """Write a :func:`~juvmap.stats.summary.region_statistics` result as CSV or GeoPackage."""
    out = Path(out)
    table = suppress_small(result)
    meta = metadata_dict(result.attrs)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        frame = pd.DataFrame(table.drop(columns=table.geometry.name))
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(metadata_line(result.attrs) + "\n")
            frame.to_csv(fh, index=False, float_format="%.6g")
    elif suffix == ".gpkg":
        import pyogrio

        table.attrs = {}
        pyogrio.write_dataframe(table, out, layer=out.stem, driver="GPKG",
                                layer_metadata=meta, dataset_metadata=meta)
    else:
        raise AnalysisError(_("The output must be a .csv or .gpkg file."))


