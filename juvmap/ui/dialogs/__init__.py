"""Dialogs of the desktop application: opening a data file and its load report."""

from juvmap.ui.dialogs.load_report import LoadReportDialog
from juvmap.ui.dialogs.open_data import FIELD_LABELS, FilePreview, OpenDataDialog, read_preview

__all__ = ["FIELD_LABELS", "FilePreview", "LoadReportDialog", "OpenDataDialog", "read_preview"]
