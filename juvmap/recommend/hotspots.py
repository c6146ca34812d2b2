"""Hot spots of a region on a sheet: the analysis's density peaks inside it, named after the
nearest settlement (the peaks come from :mod:`juvmap.analysis.density`, masked where fewer than
5 incidents contribute, so no hot spot marks a lone incident)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HOTSPOTS", "Hotspot"]

#: hot spots shown per region
HOTSPOTS = 5


@dataclass(frozen=True)
class Hotspot:
    """A density peak inside the region, named after the nearest settlement."""

    names: dict
    lon: float
    lat: float
    value: float
    distance_km: float

    def name(self, lang: str) -> str:
        """Settlement name in ``lang`` (falls back to the other languages)."""
        order = {"ru": ("ru", "kk", "en"), "kk": ("kk", "ru", "en"), "en": ("en", "ru", "kk")}
        return next((self.names[k] for k in order.get(lang, ("en",)) if self.names.get(k)), "")
