"""Recommendation sheets on the official Form 1-M figures: profiles, rules, HTML (Qt-free)."""

from __future__ import annotations

import pandas as pd

from juvmap.i18n import _, translate_in
from juvmap.progress import CancelToken, ProgressCallback, check, report

__all__ = ["build_official_sheets", "official_sheet_request", "official_sources"]


def official_sheet_request(period: tuple[int, int] | None = None, request=None):
    """The analysis an official sheet run needs: the official area table of ``period``
    (default: the latest period of the official table), regions, rate per 10,000 aged 0–17."""
    from dataclasses import replace

    from juvmap.analysis import AnalysisRequest

    base = request or AnalysisRequest()
    return replace(base, source="official", level="regions", denominator="juvenile", outputs=("areas",),
                   period=period if period is not None else base.period, filter=type(base.filter)())


def official_sources(lang: str, official: pd.DataFrame | None = None) -> list[str]:
    """Footer sources in ``lang``: the Form 1-M table's, the population 0–17, the boundaries."""
    from juvmap.io.builtin import SOURCES

    if official is None or "source" not in official:
        key = "official_2022"  # the built-in layer
        first = [translate_in(lang, SOURCES[key])]
    else:
        first = [str(s) for s in dict.fromkeys(official["source"].dropna().astype(str)) if s]
    return [*first, *(translate_in(lang, SOURCES[k]) for k in ("juvenile_population", "boundaries"))]


def build_official_sheets(result, lang: str, *, official: pd.DataFrame | None = None,
                          by_article: pd.DataFrame | None = None, region: str | None = None,
                          atlas: bool = False, progress: ProgressCallback | None = None,
                          cancel: CancelToken | None = None):
    """Every region's official sheet, the summary (and the atlas) in ``lang``.

    Parameters
    ----------
    result : AnalysisResult
        ``analyse(official_sheet_request(...), sources)``.
    official, by_article : DataFrame, optional
        The official table the analysis read (``sources.official_table()`` when imported) and
        juveniles by article; default: the built-in 2022 layer (see
        :func:`juvmap.recommend.official_profile.official_profiles`).
    region, atlas, progress, cancel
        As :func:`juvmap.recommend.sheets.build_sheets`.

    Returns
    -------
    SheetSet
        Never synthetic; ``tests`` holds every region × rule test with p and q.
    """
    from juvmap.describe import period_text
    from juvmap.i18n import using_language
    from juvmap.recommend.official_profile import official_profiles
    from juvmap.recommend.sheets import sheets_from_profiles

    report(progress, 0.0, _("Profiling the regions"))
    profiles = official_profiles(result, official, by_article=by_article, lang=lang)
    check(cancel)
    with using_language(lang):
        period = period_text(result)
    return sheets_from_profiles(profiles, lang, synthetic=False, sources=official_sources(lang, official),
                                region=region, atlas=atlas, period=period, progress=progress, cancel=cancel)
