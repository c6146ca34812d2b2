"""The typed errors a user may see. Their messages are already translated."""

from __future__ import annotations


class JuvmapError(Exception):
    """Base class of every error juvmap reports to a user (never a traceback)."""


class DataLoadError(JuvmapError):
    """A file could not be read as a juvenile-offence layer.

    Parameters
    ----------
    message : str
        Translated, user-facing text that says what is wrong and what to do.
    path : str, optional
        The file concerned.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class AnalysisError(JuvmapError):
    """An analysis could not run on the given data (translated message)."""


class Cancelled(JuvmapError):
    """A long computation was cancelled by the user."""
