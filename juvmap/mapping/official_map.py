"""The start-up map: the 20 regions coloured by the official 2022 juvenile-offender rate.

Official figures are one more source of the one analysis (``source="official"``); this module
only names the request and draws its result like any other map.
"""

from __future__ import annotations

import folium

from juvmap.analysis import AnalysisRequest, AnalysisResult, Sources, analyse
from juvmap.i18n import get_language

#: the official start map: Form 1-M 2022, per 10,000 residents aged 0–17, quantiles
OFFICIAL_2022 = AnalysisRequest(source="official", period=(2022, 2022))


def official_2022_result() -> AnalysisResult:
    """The analysis of the official 2022 figures by region."""
    return analyse(OFFICIAL_2022, Sources())


def official_2022_map(lang: str | None = None) -> folium.Map:
    """The start-up map in ``lang`` (default: the UI language)."""
    from juvmap.mapping.spec import MapSpec, build_map

    return build_map(official_2022_result(), MapSpec(layers=("choropleth",), settlements=False,
                                                     language=lang or get_language()))
