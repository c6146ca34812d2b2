"""Colour ramps for maps (ColorBrewer sequential schemes through branca)."""

from __future__ import annotations

from branca.utilities import color_brewer

NO_DATA_COLOUR = "#d9d9d9"


def sequential(k: int, scheme: str = "YlOrRd") -> list[str]:
    """Return ``k`` colours of a ColorBrewer sequential scheme, light to dark."""
    if k < 1:
        return []
    if k < 3:
        return color_brewer(scheme, n=3)[-k:]
    return color_brewer(scheme, n=k)[:k]
