"""The load report: rows read, loaded and rejected by reason, and "Save rejected rows…"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from juvmap.errors import DataLoadError
from juvmap.i18n import _
from juvmap.ui.table_model import DataFrameModel

if TYPE_CHECKING:  # pandas is imported only when a report is shown
    from juvmap.io.report import LoadReport

#: rejected rows shown in the dialog (all of them are saved)
SHOWN_REJECTED = 200


class LoadReportDialog(QDialog):
    """What happened to every row of a loaded file.

    Parameters
    ----------
    report : LoadReport
        From :func:`juvmap.io.load.load_layer`.
    parent : QWidget, optional
    source_path : str or Path, optional
        The loaded file; names the default file of "Save rejected rows…".
    """

    def __init__(self, report: LoadReport, parent: QWidget | None = None,
                 source_path: str | Path | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.source_path = Path(source_path) if source_path else None
        self.saved_path: Path | None = None
        self.count_labels = [QLabel(self) for _i in range(3)]
        self.reasons_box = QGroupBox(self)
        self.reasons_table = QTableWidget(len(report.reasons), 2, self.reasons_box)
        self.reasons_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reasons_table.verticalHeader().hide()
        header = self.reasons_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.reasons_table.setMaximumHeight(36 + 26 * max(1, len(report.reasons)))
        QVBoxLayout(self.reasons_box).addWidget(self.reasons_table)
        self.warnings_label = QLabel(self)
        self.warnings_label.setWordWrap(True)
        self.rejected_box = QGroupBox(self)
        shown = report.rejected_rows.head(SHOWN_REJECTED).copy()
        self.rejected_model = DataFrameModel(shown, parent=self)
        self.rejected_view = QTableView(self.rejected_box)
        self.rejected_view.setModel(self.rejected_model)
        self.rejected_view.verticalHeader().hide()
        self.privacy_label = QLabel(self.rejected_box)
        self.privacy_label.setWordWrap(True)
        box = QVBoxLayout(self.rejected_box)
        box.addWidget(self.rejected_view)
        box.addWidget(self.privacy_label)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.save_button = QPushButton(self)
        self.save_button.setEnabled(report.rejected > 0)
        self.save_button.clicked.connect(self.ask_and_save)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        counts = QHBoxLayout()
        for label in self.count_labels:
            counts.addWidget(label)
        counts.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(counts)
        layout.addWidget(self.reasons_box)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.rejected_box, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.reasons_box.setVisible(bool(report.reasons))
        self.rejected_box.setVisible(report.rejected > 0)
        self.warnings_label.setVisible(bool(report.warnings or report.notes()))
        self.resize(720, 520 if report.rejected else 240)
        self.retranslate()

    # -- saving --------------------------------------------------------------------------
    def default_save_name(self) -> str:
        """Return the suggested file name of the rejected rows."""
        stem = self.source_path.stem if self.source_path else "data"
        return f"{stem}_rejected.csv"

    def ask_and_save(self) -> Path | None:
        """Ask where to write the rejected rows, then write them."""
        start = self.source_path.with_name(self.default_save_name()) if self.source_path \
            else Path(self.default_save_name())
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save rejected rows"), str(start), _("CSV files (*.csv)"))
        return self.save_rejected_to(path) if path else None

    def save_rejected_to(self, path: str | Path) -> Path | None:
        """Write the rejected rows to ``path``; a failure gives a translated warning."""
        try:
            self.saved_path = self.report.save_rejected(path)
        except DataLoadError as exc:
            QMessageBox.warning(self, _("Save rejected rows"), str(exc))
            return None
        self.status_label.setText(_("Rejected rows written to {path}").format(
            path=self.saved_path))
        return self.saved_path

    # -- texts ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every text in the active language."""
        from juvmap.io.report import REASONS, WARNINGS

        r = self.report
        self.setWindowTitle(_("Load report"))
        self.count_labels[0].setText(_("Rows read: {n}").format(n=r.rows_read))
        self.count_labels[1].setText(_("Loaded: {n}").format(n=r.loaded))
        self.count_labels[2].setText(_("Rejected: {n}").format(n=r.rejected))
        self.reasons_box.setTitle(_("Rejected rows by reason"))
        self.reasons_table.setHorizontalHeaderLabels([_("Reason"), _("Rows")])
        for i, (code, n) in enumerate(r.reasons.items()):
            self.reasons_table.setItem(i, 0, QTableWidgetItem(_(REASONS.get(code, code))))
            count = QTableWidgetItem(str(n))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.reasons_table.setItem(i, 1, count)
        lines = [_("Warnings (rows kept):")] if r.warnings else []
        lines += [_("{label}: {n}").format(label=_(WARNINGS.get(c, c)), n=n)
                  for c, n in r.warnings.items()]
        lines += r.notes()  # skipped sheets or layers, formulas without values, no .prj …
        self.warnings_label.setText("\n".join(lines))
        shown = self.rejected_model.frame()
        if "reason" in shown.columns:
            shown["reason"] = [_(REASONS.get(c, c)) for c in r.rejected_rows["reason"].head(
                SHOWN_REJECTED)]
        self.rejected_model.set_frame(shown, {"row": _("Row"), "reason": _("Reason")})
        self.rejected_view.resizeColumnsToContents()
        self.rejected_box.setTitle(_("Rejected rows (first {n})").format(n=len(shown)))
        self.privacy_label.setText(_("The saved file holds the original rows: keep it with "
                                     "the source data and do not share it."))
        self.save_button.setText(_("Save rejected rows…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        if self.saved_path is not None:
            self.status_label.setText(_("Rejected rows written to {path}").format(
                path=self.saved_path))
