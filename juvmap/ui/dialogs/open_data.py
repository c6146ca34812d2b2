"""File → Open: the column-mapping dialog with the detected mapping and a preview.

``OpenDataDialog.prepare(path, parent)`` reads the first rows of the file with the
loaders' readers; a file that cannot be read gives a translated warning and ``None``.
A GeoPackage with several layers or a workbook with several sheets shows a chooser. The
caller then runs ``load_layer(path, dialog.mapping(), dialog.crs(), layer=dialog.layer())``
in its worker.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QTableView,
                               QVBoxLayout, QWidget)

from juvmap.errors import DataLoadError
from juvmap.i18n import N_, _
from juvmap.ui.table_model import DataFrameModel

PREVIEW_ROWS = 50
#: text files larger than this are previewed from their first lines only
SAMPLE_BYTES = 2_000_000
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (XLSX)", "gpkg": "GeoPackage", "shp": "Shapefile",
                "geojson": "GeoJSON"}
#: canonical field -> untranslated label (same order as juvmap.io.columns.CANONICAL_FIELDS)
FIELD_LABELS: dict[str, str] = {
    "id": N_("Record id"), "date": N_("Date"), "time": N_("Time"),
    "article": N_("Criminal Code article"), "category": N_("Offence category"),
    "gravity": N_("Gravity"), "region": N_("Region"), "district": N_("District"),
    "lat": N_("Latitude (Y)"), "lon": N_("Longitude (X)"), "age": N_("Age"), "sex": N_("Sex"),
    "pupil": N_("Pupil or student"), "repeat": N_("Repeat offence"),
    "group": N_("Committed in a group"), "intoxicated": N_("Intoxicated"), "place": N_("Place"),
    "count": N_("Number of offences"), "year": N_("Year"),
}


@dataclass
class FilePreview:
    """The first rows of a file as the loader will see them.

    ``frame`` holds up to ``PREVIEW_ROWS`` rows with the original column names,
    ``source_rows`` their row numbers in the file, ``fmt`` the format family, ``details``
    the encoding, separator, sheet, layer, geometry type, CRS or feature count, and
    ``has_own_crs`` says the file carries its coordinates and their CRS (vector files).
    ``parts`` lists the layers or sheets of the file (empty for a text file).
    """

    frame: object
    source_rows: list[int]
    fmt: str
    details: dict = field(default_factory=dict)
    has_own_crs: bool = False
    parts: list[str] = field(default_factory=list)


def _head_bytes(path: Path, lines: int) -> bytes:
    out = []
    with open(path, "rb") as fh:
        for _i, line in zip(range(lines), fh):
            out.append(line)
    return b"".join(out)


def _preview_text(path: Path, rows: int):
    from juvmap.io.readers import HEADER_SCAN_ROWS, read_csv

    with open(path, "rb") as fh:
        utf16 = fh.read(2) in (b"\xff\xfe", b"\xfe\xff")
    if utf16 or path.stat().st_size <= SAMPLE_BYTES:
        return read_csv(path)
    with tempfile.TemporaryDirectory(prefix="juvmap-preview-") as tmp:
        sample = Path(tmp) / path.name
        sample.write_bytes(_head_bytes(path, HEADER_SCAN_ROWS + rows + 2))
        return read_csv(sample)


def _preview_vector(path: Path, rows: int, layer: str | None) -> FilePreview:
    import pyogrio

    from juvmap.io import read_points
    from juvmap.io.vector import LayerChoiceError, choose_layer

    try:
        chosen, gtype = choose_layer(path, layer)
    except LayerChoiceError as exc:  # the user picks one in the dialog; show the first
        chosen, gtype = choose_layer(path, exc.choices[0])
    points = read_points(path, chosen, max_features=rows)
    info = pyogrio.read_info(path, layer=chosen)
    crs = points.crs.to_string() if points.crs is not None else None
    details = {"layer": chosen, "geometry_type": gtype, "features": info.get("features"),
               "source_crs": crs, "notes": points.details.get("notes", {})}
    return FilePreview(points.frame, list(range(1, len(points.frame) + 1)), "", details,
                       has_own_crs=bool(crs))


def read_preview(path: str | Path, rows: int = PREVIEW_ROWS,
                 layer: str | None = None) -> FilePreview:
    """Read the first ``rows`` rows of ``path`` with the loaders' readers.

    ``layer`` names the layer or sheet to show (default: the one the loader would take,
    or the first of several candidate layers).

    Raises
    ------
    DataLoadError
        The file cannot be read (translated message); nothing else escapes.
    """
    path = Path(path)
    try:
        from juvmap.io.readers import EXTRA_COLUMN, list_parts, read_xlsx, sniff_format

        fmt = sniff_format(path)
        if fmt in ("csv", "xlsx"):
            raw = _preview_text(path, rows) if fmt == "csv" else read_xlsx(path, sheet=layer)
            frame = raw.frame.drop(columns=[EXTRA_COLUMN], errors="ignore").head(rows)
            preview = FilePreview(frame, [int(r) for r in raw.source_rows[:rows]], fmt,
                                  dict(raw.details))
        else:
            preview = _preview_vector(path, rows, layer)
        preview.fmt = fmt
        preview.parts = list_parts(path)
        return preview
    except DataLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: only DataLoadError escapes
        raise DataLoadError(_("Could not load {name}: {error}").format(
            name=path.name, error=f"{type(exc).__name__}: {exc}"), str(path)) from exc


class OpenDataDialog(QDialog):
    """Choose which column holds each field, and the CRS of X/Y columns, before loading.

    Parameters
    ----------
    path : str or Path
        The file to open.
    parent : QWidget, optional
    preview : FilePreview, optional
        Already read preview (default: read now; raises :class:`DataLoadError`).
    """

    def __init__(self, path: str | Path, parent: QWidget | None = None,
                 preview: FilePreview | None = None) -> None:
        super().__init__(parent)
        from juvmap.io.columns import detect_mapping

        self.path = Path(path)
        self.preview = preview if preview is not None else read_preview(self.path)
        self.columns: list[str] = []
        self.detected: dict[str, str] = {}
        self.file_label = QLabel(self)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        self.part_label = QLabel(self)
        self.part_combo = QComboBox(self)
        for part in self.preview.parts:
            self.part_combo.addItem(part, part)
        self.part_label.setBuddy(self.part_combo)
        self.fields_box = QGroupBox(self)
        grid = QGridLayout(self.fields_box)
        self.field_labels: dict[str, QLabel] = {}
        self.combos: dict[str, QComboBox] = {}
        half = (len(FIELD_LABELS) + 1) // 2
        for i, name in enumerate(FIELD_LABELS):
            label, combo = QLabel(self.fields_box), QComboBox(self.fields_box)
            combo.currentIndexChanged.connect(self._mapping_changed)
            label.setBuddy(combo)
            row, col = i % half, 2 * (i // half)
            grid.addWidget(label, row, col)
            grid.addWidget(combo, row, col + 1)
            self.field_labels[name], self.combos[name] = label, combo
        self.crs_label = QLabel(self)
        self.crs_edit = QLineEdit(self)
        self.crs_label.setBuddy(self.crs_edit)
        self.status_label = QLabel(self)
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setWordWrap(True)
        self.preview_box = QGroupBox(self)
        self.model = DataFrameModel(parent=self)
        self.table = QTableView(self.preview_box)
        self.table.setModel(self.model)
        self.table.setMinimumHeight(160)
        QVBoxLayout(self.preview_box).addWidget(self.table)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        crs_row = QHBoxLayout()
        crs_row.addWidget(self.crs_label)
        crs_row.addWidget(self.crs_edit, 1)
        part_row = QHBoxLayout()
        part_row.addWidget(self.part_label)
        part_row.addWidget(self.part_combo, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.info_label)
        layout.addLayout(part_row)
        layout.addWidget(self.fields_box)
        layout.addLayout(crs_row)
        layout.addWidget(self.preview_box, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.resize(820, 660)
        self._show_preview(self.preview)
        self.part_combo.currentIndexChanged.connect(self._part_changed)
        self.retranslate()

    def _show_preview(self, preview: FilePreview) -> None:
        """Show ``preview``: its columns in every field's list, the detected ones chosen."""
        from juvmap.io.columns import detect_mapping

        self.preview = preview
        self.columns = [str(c) for c in preview.frame.columns]
        self.detected = detect_mapping(self.columns)
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("— not used —"), None)
            for column in self.columns:
                combo.addItem(column, column)
            if name in self.detected:
                combo.setCurrentIndex(combo.findData(self.detected[name]))
            combo.blockSignals(False)
        shown = preview.details.get("layer") or preview.details.get("sheet")
        if shown is not None and self.part_combo.findData(shown) >= 0:
            self.part_combo.blockSignals(True)
            self.part_combo.setCurrentIndex(self.part_combo.findData(shown))
            self.part_combo.blockSignals(False)
        visible = len(preview.parts) > 1
        self.part_label.setVisible(visible)
        self.part_combo.setVisible(visible)
        self.crs_edit.setEnabled(not preview.has_own_crs)
        self.model.set_frame(preview.frame, row_labels=preview.source_rows)

    def _part_changed(self) -> None:
        """Read the preview of the layer or sheet the user chose."""
        try:
            preview = read_preview(self.path, layer=self.layer())
        except DataLoadError as exc:
            self.status_label.setText(str(exc))
            return
        self._show_preview(preview)
        self.retranslate()

    def choose_part(self, name: str) -> None:
        """Select the layer or sheet ``name`` (the preview and columns follow)."""
        self.part_combo.setCurrentIndex(self.part_combo.findData(name))

    @classmethod
    def prepare(cls, path: str | Path, parent: QWidget | None = None) -> OpenDataDialog | None:
        """Return the dialog for ``path``, or warn (translated) and return ``None``."""
        try:
            return cls(path, parent)
        except DataLoadError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - never show a traceback to a user
            message = _("Could not load {name}: {error}").format(
                name=Path(path).name, error=f"{type(exc).__name__}: {exc}")
        QMessageBox.warning(parent, _("Cannot open the file"), message)
        return None

    # -- the user's choice ---------------------------------------------------------------
    def mapping(self) -> dict[str, str]:
        """Return ``field -> column`` for every field that has a column."""
        chosen = {name: combo.currentData() for name, combo in self.combos.items()}
        return {name: column for name, column in chosen.items() if column is not None}

    def unused_fields(self) -> list[str]:
        """Return the detected fields the user set to "not used"."""
        mapping = self.mapping()
        return [name for name in self.detected if name not in mapping]

    def choose(self, name: str, column: str | None) -> None:
        """Select ``column`` (``None``: not used) for the field ``name``."""
        combo = self.combos[name]
        combo.setCurrentIndex(combo.findData(column) if column is not None else 0)

    def layer(self) -> str | None:
        """The layer or sheet chosen (``None`` for a text file)."""
        return self.part_combo.currentData() if self.part_combo.count() else None

    def crs(self) -> str | None:
        """Return the CRS typed for X/Y columns, or ``None`` (WGS 84 / the file's own)."""
        text = self.crs_edit.text().strip()
        return text or None

    def problem(self) -> str:
        """Return why the choice cannot be loaded as it is ("" when it can)."""
        mapping = self.mapping()
        columns = list(mapping.values())
        twice = sorted({c for c in columns if columns.count(c) > 1})
        if twice:
            return _("The column {column} is chosen for more than one field.").format(
                column=twice[0])
        if self.crs():
            from pyproj import CRS
            from pyproj.exceptions import CRSError

            try:
                CRS.from_user_input(self.crs())
            except CRSError:
                return _("Unknown coordinate reference system: {crs}").format(crs=self.crs())
        return ""

    def accept(self) -> None:
        problem = self.problem()
        self.status_label.setText(problem)
        if not problem:
            super().accept()

    def _mapping_changed(self) -> None:
        self.status_label.setText("")
        field_of = {column: _(FIELD_LABELS[name]) for name, column in self.mapping().items()}
        self.model.set_header_labels({c: f"{c}\n[{f}]" for c, f in field_of.items()})
        self.table.resizeColumnsToContents()

    # -- texts ---------------------------------------------------------------------------
    def _info_text(self) -> str:
        d = self.preview.details
        lines = [_("Format: {format}").format(format=FORMAT_NAMES.get(self.preview.fmt,
                                                                      self.preview.fmt))]
        if "encoding" in d:
            sep = {"\t": "TAB"}.get(d.get("separator"), d.get("separator"))
            lines.append(_("Encoding: {encoding}; separator: {separator}").format(
                encoding=d["encoding"], separator=sep))
        if d.get("sheet"):
            lines.append(_("Sheet: {sheet}").format(sheet=d["sheet"]))
        if d.get("layer"):
            lines.append(_("Layer: {layer} ({geometry})").format(
                layer=d["layer"], geometry=d.get("geometry_type") or "—"))
        if d.get("features") is not None:
            lines.append(_("Features: {n}").format(n=d["features"]))
        if d.get("source_crs"):
            lines.append(_("CRS: {crs}").format(crs=d["source_crs"]))
        from juvmap.io.report import NOTES

        lines += [_(NOTES[code]).format(**values)
                  for code, values in (d.get("notes") or {}).items() if code in NOTES]
        return "\n".join(lines)

    def retranslate(self) -> None:
        """Set every text in the active language."""
        self.setWindowTitle(_("Open data"))
        self.file_label.setText(_("File: {name}").format(name=self.path.name))
        self.info_label.setText(self._info_text())
        self.part_label.setText(_("Layer:") if self.preview.fmt not in ("xlsx",)
                                else _("Sheet:"))
        self.fields_box.setTitle(_("Columns of the file"))
        for name, label in self.field_labels.items():
            label.setText(_(FIELD_LABELS[name]))
            self.combos[name].setItemText(0, _("— not used —"))
        self.crs_label.setText(_("CRS of the X/Y columns:"))
        self.crs_edit.setPlaceholderText(_("EPSG:4326 (longitude/latitude) if empty"))
        self.crs_edit.setToolTip(_("The file's own CRS is used.") if self.preview.has_own_crs
                                 else _("For example EPSG:32642 (UTM 42N)"))
        self.preview_box.setTitle(_("Preview: first {n} rows").format(n=len(self.preview.frame)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Load"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        had_problem = bool(self.status_label.text())
        self._mapping_changed()
        if had_problem:
            self.status_label.setText(self.problem())
