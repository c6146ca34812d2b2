"""Shared input of the space-time commands: incidents, area layers and named areas.

* :func:`load_incidents` — a user's file through :func:`juvmap.io.load.load_layer`, or the
  built-in SYNTHETIC demo when no file is given (``synthetic`` tells which).
* :func:`area_layer`, :func:`area_mask`, :func:`incident_areas` — re-exported from
  :mod:`juvmap.analysis.spacetime_areas` (the application uses them too).
"""

from __future__ import annotations

import pandas as pd

from juvmap.analysis.spacetime_areas import area_layer, area_mask, incident_areas
from juvmap.errors import AnalysisError
from juvmap.i18n import _

__all__ = ["area_layer", "area_mask", "incident_areas", "load_incidents", "year_range"]


def load_incidents(path: str | None) -> tuple[pd.DataFrame, bool]:
    """Return the incidents and whether they are synthetic."""
    if path is None:
        from juvmap.io.demo import load_demo_incidents

        return load_demo_incidents(), True
    from juvmap.io.load import load_layer

    data = load_layer(path).data
    return data, bool(data.attrs.get("synthetic", False))


def year_range(text: str) -> tuple[int, int]:
    """Read ``"2019-2021"`` (or one year) into inclusive years."""
    parts = str(text).replace("–", "-").split("-")
    try:
        years = (int(parts[0]), int(parts[-1])) if 1 <= len(parts) <= 2 else None
    except ValueError:
        years = None
    if years is None or years[0] > years[1]:
        raise AnalysisError(_("Cannot read the period {text}: give years such as 2019-2021.").format(
            text=text))
    return years
