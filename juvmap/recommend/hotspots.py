"""KDE hot spots per region: one national surface, its peaks named after the nearest settlement.

A peak is kept only where the density equals at least :data:`HOTSPOT_MIN_INCIDENTS`
incidents at one place, so no hot spot (and no cell of the map raster) marks a lone incident.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from juvmap.numbers import SUPPRESS_BELOW

__all__ = ["HOTSPOTS", "HOTSPOT_MIN_INCIDENTS", "Hotspot", "KDE_CELL_M", "KDE_RADIUS_M", "region_hotspots"]

HOTSPOTS = 5
KDE_RADIUS_M = 10_000.0
KDE_CELL_M = 2_000.0
#: a hot spot needs at least the density of this many incidents at one place
HOTSPOT_MIN_INCIDENTS = SUPPRESS_BELOW


@dataclass(frozen=True)
class Hotspot:
    """A KDE peak inside the region, named after the nearest settlement."""

    names: dict
    lon: float
    lat: float
    value: float
    distance_km: float

    def name(self, lang: str) -> str:
        """Settlement name in ``lang`` (falls back to the other languages)."""
        order = {"ru": ("ru", "kk", "en"), "kk": ("kk", "ru", "en"), "en": ("en", "ru", "kk")}
        return next((self.names[k] for k in order.get(lang, ("en",)) if self.names.get(k)), "")


def region_hotspots(data: pd.DataFrame, codes: list[str]) -> tuple[dict[str, list[Hotspot]], object, float]:
    """Top KDE peaks per region from one national surface; none for tiny densities.

    Returns the peaks by code, the surface (or None) and the density of
    :data:`HOTSPOT_MIN_INCIDENTS` incidents at one place (below it nothing is shown).
    """
    from juvmap.io.boundaries import assign_regions
    from juvmap.io.points import has_points
    from juvmap.stats.kde import kernel_density
    from juvmap.stats.peaks import find_peaks

    out: dict[str, list[Hotspot]] = {c: [] for c in codes}
    if not has_points(data):
        return out, None, np.inf
    grid = kernel_density(data, radius=KDE_RADIUS_M, cell=KDE_CELL_M)
    one = kernel_density((np.array([0.0]), np.array([0.0])), radius=KDE_RADIUS_M, cell=KDE_CELL_M)
    floor = HOTSPOT_MIN_INCIDENTS * float(one.values.max())
    peaks = find_peaks(grid, n=1000, threshold=floor)
    where = assign_regions([p.lon for p in peaks], [p.lat for p in peaks]) if peaks else []
    for peak, code in zip(peaks, where, strict=True):
        if code in out and len(out[code]) < HOTSPOTS:
            out[code].append(Hotspot(dict(peak.names), peak.lon, peak.lat, peak.value, peak.distance_km))
    return out, grid, floor
