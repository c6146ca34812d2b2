"""What happened to every row of a loaded file: :class:`LoadReport`.

The invariant ``rows_read == loaded + rejected`` always holds: each rejected row carries
exactly one reason (the first problem found), and warnings never reject a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from juvmap.errors import DataLoadError
from juvmap.i18n import N_, _

#: reason code -> English label (translated when shown); the order is the checking order
REASONS: dict[str, str] = {
    "empty_row": N_("Empty row"),
    "malformed_row": N_("More fields than the header"),
    "bad_characters": N_("Control characters (a NUL byte) in the row"),
    "bad_date": N_("Unparseable date"),
    "date_in_future": N_("Date in the future"),
    "date_before_2000": N_("Date before 2000"),
    "bad_number": N_("Unparseable number"),
    "bad_coordinate": N_("Unparseable coordinate: expected decimal degrees (43.2567) or "
                         "degrees-minutes-seconds (43°15′30″ N)"),
    "age_out_of_range": N_("Age outside 10–17"),
    "unknown_article": N_("Unknown Criminal Code article"),
    "no_location": N_("No coordinates and no region"),
    "outside_kazakhstan": N_("Coordinates outside Kazakhstan"),
    "not_an_area": N_("A point or line in a layer of areas"),
    "unknown_region": N_("Unknown region"),
    "ambiguous_region": N_("Old region name that was split, and no coordinates"),
    "duplicate_id": N_("Duplicate id"),
}

#: warning code -> English label; a warning never rejects a row
WARNINGS: dict[str, str] = {
    "region_mismatch": N_("Region name disagrees with the coordinates (placed by coordinates)"),
    "swapped_coordinates": N_("Latitude and longitude were swapped (corrected)"),
    "region_only": N_("No coordinates: placed in its region only"),
    "bad_time": N_("Unparseable time (ignored)"),
    "projected_without_crs": N_("Coordinates look projected: give their CRS"),
    "no_date": N_("No date (kept; left out of time analyses)"),
    "geometry_converted": N_("A line or area made a point (a point on it)"),
    "old_boundaries": N_("Region on the boundaries before 2022 (Abai, Jetisu and Ulytau not "
                         "separated)"),
}

#: note code -> English text with ``{values}``; one line each in the report
NOTES: dict[str, str] = {
    "no_prj": N_("The Shapefile has no .prj file: coordinates taken as WGS 84 "
                 "longitude/latitude."),
    "skipped_sheets": N_("Sheets not loaded: {sheets}"),
    "skipped_layers": N_("Layers not loaded: {layers}"),
    "formulas_without_values": N_("Formulas saved without values (read as empty) in the "
                                  "columns: {columns}. Open and save the workbook in Excel."),
    "old_boundaries": N_("The table is on the 17 units before 2022: the figures of Abai, "
                         "Jetisu and Ulytau regions are inside their former regions and are "
                         "not known separately."),
    "encoding_detected": N_("Text encoding detected: {encoding}"),
}


@dataclass
class LoadReport:
    """Counts and reasons of a load.

    Attributes
    ----------
    rows_read, loaded, rejected : int
        Rows in the file, rows kept, rows rejected (``rows_read == loaded + rejected``).
    reasons : dict
        Reason code (see :data:`REASONS`) -> number of rejected rows.
    warnings : dict
        Warning code (see :data:`WARNINGS`) -> number of kept rows concerned.
    rejected_rows : pandas.DataFrame
        ``row`` (as the user sees it in the file), ``reason`` (code) and the original values.
    details : dict
        Format, encoding, separator, header row, sheet or layer, CRS, column mapping.
    """

    rows_read: int = 0
    loaded: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    rejected_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["row", "reason"]))
    details: dict = field(default_factory=dict)
    source: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.rows_read != self.loaded + self.rejected:
            raise ValueError("rows_read must equal loaded + rejected")
        if sum(self.reasons.values()) != self.rejected:
            raise ValueError("reasons must add up to rejected")

    def to_dict(self) -> dict:
        """Return the report as JSON-ready data (no row values: they may identify a minor)."""
        return {
            "rows_read": int(self.rows_read),
            "loaded": int(self.loaded),
            "rejected": int(self.rejected),
            "reasons": {k: int(v) for k, v in self.reasons.items()},
            "warnings": {k: int(v) for k, v in self.warnings.items()},
            "details": {k: v for k, v in self.details.items() if v is not None},
        }

    def summary(self) -> str:
        """Return a few lines for a person, in the active UI language."""
        lines = [
            _("Rows read: {n}").format(n=self.rows_read),
            _("Loaded: {n}").format(n=self.loaded),
            _("Rejected: {n}").format(n=self.rejected),
        ]
        for code, n in self.reasons.items():
            lines.append("  " + _("{label}: {n}").format(label=_(REASONS[code]), n=n))
        if self.warnings:
            lines.append(_("Warnings (rows kept):"))
            for code, n in self.warnings.items():
                lines.append("  " + _("{label}: {n}").format(label=_(WARNINGS[code]), n=n))
        where = self.details.get("layer") or self.details.get("sheet")
        if where:
            lines.append(_("Layer or sheet: {name}").format(name=where))
        crs = self.details.get("source_crs")
        if crs and crs != "EPSG:4326":
            lines.append(_("Reprojected from {crs} to EPSG:4326").format(crs=crs))
        lines += self.notes()
        return "\n".join(lines)

    def notes(self) -> list[str]:
        """The one-line notes of the load (skipped sheets, a missing .prj …), translated."""
        notes = self.details.get("notes") or {}
        return [_(NOTES[code]).format(**values) for code, values in notes.items()
                if code in NOTES]

    def save_rejected(self, path: str | Path) -> Path:
        """Write the rejected rows, with their row number and reason, as CSV.

        Rows of a text file keep their original text, separator and encoding (a decimal
        comma stays a comma); rows of a workbook or map layer are written as UTF-8 with BOM.
        A cell starting with ``= + - @`` (other than a plain number) is prefixed with ``'``
        so that a spreadsheet does not run it as a formula. The file holds the original
        values: keep it with the source data, do not share it.
        """
        from juvmap.io.rejected import write_rejected

        path = Path(path)
        try:
            write_rejected(self, path)
        except OSError as exc:
            raise DataLoadError(_("Cannot write {name}: {error}").format(
                name=path.name, error=exc), str(path)) from exc
        return path
