"""Area tables for sharing: CSV with a metadata comment line, or GeoPackage with metadata.

The table is the analysis's area table (:class:`~juvmap.analysis.AnalysisResult`), already
passed through the disclosure rule: hidden counts are written as "<5" and every figure that
could give them back is empty. The period, multiplier, denominator, estimate and synthetic
flags, the filter, the source and any warning travel with the table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from juvmap.disclosure import SUPPRESS_BELOW
from juvmap.analysis.result import AnalysisResult
from juvmap.errors import AnalysisError
from juvmap.i18n import _, get_language, using_language


def metadata_line(meta: dict[str, str]) -> str:
    """Return the CSV header comment ``# period=...; multiplier=...; ...``."""
    return "# " + "; ".join(f"{k}={str(v).replace(';', ',')}" for k, v in meta.items())


def metadata_dict(result: AnalysisResult, lang: str | None = None) -> dict[str, str]:
    """Return the metadata keys written to CSV and GeoPackage outputs (all strings)."""
    from juvmap.describe import denominator_text

    yes = {True: "yes", False: "no"}
    request = result.request
    with using_language(lang or get_language()):
        denominator = denominator_text(result, lang or get_language())
    out = {
        "period": result.period.label(),
        "period_kind": result.period.kind,
        "source": str(result.provenance.get("source", "")),
        "level": request.level,
        "rate": request.rate,
        "multiplier": str(result.denominator["multiplier"]),
        "denominator": denominator.replace(";", ","),
        "estimate": yes[bool(result.flags.get("estimate"))],
        "synthetic": yes[result.synthetic],
    }
    if not request.filter.is_empty:
        out["filter"] = " ".join(request.filter.to_expressions()).replace(";", ",")
    if result.flags.get("unplaced"):
        out["unplaced"] = str(int(result.flags["unplaced"]))
    if result.flags.get("internal"):
        out["disclosure"] = "INTERNAL, NOT FOR PUBLICATION: small counts are not suppressed"
    else:
        out["suppression"] = (f"counts 1-{SUPPRESS_BELOW - 1} written as <{SUPPRESS_BELOW} with every figure "
                              "that could reveal them, statistics computed with hidden counts imputed")
    if result.flags.get("low_power"):
        out["warning"] = f"only {int(result.flags['tested'])} areas tested: hot-spot tests have little power"
    if result.flags.get("partial"):
        out["partial_2022"] = ",".join(result.flags["partial"])
    return out


def count_text(counts: pd.Series) -> pd.Series:
    """Counts as text with 1–4 written as "<5" (a column of a shared table)."""
    values = pd.to_numeric(counts, errors="coerce")
    text = values.map(lambda c: "" if not np.isfinite(c) else str(int(c)))
    small = (values > 0) & (values < SUPPRESS_BELOW)
    return text.where(~small, f"<{SUPPRESS_BELOW}")


def shared_table(result: AnalysisResult, lang: str | None = None) -> pd.DataFrame:
    """The area table as written: names in ``lang``, hidden counts as "<5"."""
    from juvmap.describe import area_names

    table = result.areas.copy()
    names = area_names(result, lang or get_language())
    table = table.drop(columns=[c for c in ("name", "name_kk", "name_ru", "name_en") if c in table])
    table.insert(1, "name", names)
    text = table["count"].map(lambda c: "" if not np.isfinite(c) else str(int(c)))
    text = text.where(~table["suppressed"].astype(bool), "hidden")
    table["count"] = text.where(~table["small"].astype(bool), f"<{SUPPRESS_BELOW}")
    return table


def write_result(result: AnalysisResult, out: Path, lang: str | None = None) -> Path:
    """Write the area table of ``result`` as CSV or GeoPackage (``out``'s suffix decides)."""
    out = Path(out)
    table = shared_table(result, lang)
    meta = metadata_dict(result, lang)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        frame = pd.DataFrame(table.drop(columns=table.geometry.name))
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(metadata_line(meta) + "\n")
            frame.to_csv(fh, index=False)
    elif suffix == ".gpkg":
        import pyogrio

        table.attrs = {}
        pyogrio.write_dataframe(table, out, layer=out.stem, driver="GPKG",
                                layer_metadata=meta, dataset_metadata=meta)
    else:
        raise AnalysisError(_("The output must be a .csv or .gpkg file."))
    return out
