"""Write the emerging hot spots of :func:`juvmap.analysis.spacetime.emerging_for_incidents`.

One writer for ``juvmap emerging`` and the application's Space-time dock: a GeoPackage
(EPSG:4326, opens in QGIS) or a CSV with, per area, ``code``, ``category`` (code),
``category_label`` (translated), ``trend_z``, ``trend_p``, ``hot_steps``, ``cold_steps``,
``final_z``, ``z_<step>`` and ``n_<step>`` (counts of 1–4 written as "<5"). Metadata:
``synthetic``, ``level``, ``step``, ``alpha``, ``suppression``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from juvmap.disclosure import SUPPRESS_BELOW, small
from juvmap.errors import AnalysisError
from juvmap.i18n import _

__all__ = ["emerging_frame", "write_emerging"]


def _shown(counts: pd.Series) -> pd.Series:
    """Counts as written: 1–4 become "<5"."""
    return counts.astype(object).where(~small(counts), f"<{SUPPRESS_BELOW}")


def emerging_frame(found) -> pd.DataFrame:
    """The table written: one row per area, counts of 1–4 shown as "<5" (``found``: EmergingHotspots)."""
    from juvmap.stats.emerging import CATEGORY_LABELS

    result = found.table.copy()
    result.insert(1, "category_label", [_(CATEGORY_LABELS[c]) for c in result["category"]])
    counts = found.counts
    shown = pd.DataFrame({f"n_{c}": _shown(counts[c]) for c in counts.columns}, index=counts.index)
    return pd.concat([result, shown], axis=1).reset_index()


def write_emerging(found, out: str | Path, synthetic: bool) -> Path:
    """Write ``found`` to a ``.gpkg`` or ``.csv`` file; return its path.

    Raises
    ------
    AnalysisError
        For another suffix.
    """
    import pyogrio

    out = Path(out)
    if out.suffix.lower() not in (".csv", ".gpkg"):
        raise AnalysisError(_("The output must be a .csv or .gpkg file."))
    table = emerging_frame(found)
    meta = {"synthetic": "yes" if synthetic else "no", "level": found.level, "step": found.step,
            "alpha": str(found.alpha), "suppression": "counts 1-4 written as <5"}
    if out.suffix.lower() == ".csv":
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write("# " + "; ".join(f"{k}={v}" for k, v in meta.items()) + "\n")
            table.to_csv(fh, index=False, float_format="%.6g")
    else:
        layer = found.polygons[["code", "geometry"]].merge(table, on="code", how="left")
        pyogrio.write_dataframe(layer, out, layer=out.stem, driver="GPKG",
                                layer_metadata=meta, dataset_metadata=meta)
    return out
