"""The one analysis engine: :func:`analyse` turns an :class:`AnalysisRequest` into an
:class:`AnalysisResult` that the map, the Region dock, the sheets, the CLI and every export
render. Qt-free; codes and numbers only (presenters translate)."""

from juvmap.analysis.engine import analyse
from juvmap.analysis.request import AnalysisRequest
from juvmap.analysis.result import AnalysisResult
from juvmap.analysis.sources import Sources

__all__ = ["AnalysisRequest", "AnalysisResult", "Sources", "analyse"]
