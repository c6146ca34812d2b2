"""Assemble the recommendation sheets of every region (Qt-free): profiles, rules, HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from juvmap.errors import AnalysisError
from juvmap.i18n import _, translate_in, using_language
from juvmap.progress import CancelToken, ProgressCallback, check, report


@dataclass
class SheetSet:
    """The HTML pages of one run, ready to be written or printed.

    Attributes
    ----------
    lang : str
    pages : dict
        Region code -> one-page HTML, in the order of the regions' names.
    summary : str
        The national summary page.
    atlas : str
        Summary and every region in one document (one page each).
    names : dict
        Region code -> region name in ``lang`` (for file names and tables of contents).
    synthetic : bool
    tests : DataFrame, optional
        Every region × rule test of the run with p, q and whether it fired
        (:func:`juvmap.recommend.rule_tests.run_rule_tests`).
    """

    lang: str
    pages: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    atlas: str = ""
    names: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False
    tests: pd.DataFrame | None = None


def sheet_request(request=None):
    """The analysis a sheet run needs: the given request (or the default one) with profiles and
    the density (for the regions' hot spots)."""
    from juvmap.analysis import AnalysisRequest

    return (request or AnalysisRequest()).with_outputs("density", "profiles")


def build_sheets(
    result,
    lang: str,
    *,
    region: str | None = None,
    atlas: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> SheetSet:
    """Cut every region's profile out of ``result``, test the rules and write the HTML in ``lang``
    (an official ``result`` gives :func:`juvmap.recommend.official_sheets.build_official_sheets`).

    Parameters
    ----------
    result : AnalysisResult
        Analysed with :func:`sheet_request` (profiles and density): the sheet's numbers are
        the map's.
    lang : {"kk", "ru", "en"}
    region : str, optional
        Only this region's page (the summary is still made).
    atlas : bool
        Also make the one-document atlas (summary + 20 regions).
    """
    from juvmap.describe import period_text
    from juvmap.recommend.profile import all_profiles

    if result.request.source == "official":
        from juvmap.recommend.official_sheets import build_official_sheets

        return build_official_sheets(result, lang, region=region, atlas=atlas, progress=progress, cancel=cancel)
    report(progress, 0.0, _("Profiling the regions"))
    profiles = all_profiles(result, lang=lang)
    check(cancel)
    with using_language(lang):
        period = period_text(result)
    attrs = {"source_msgid": result.provenance.get("source_msgid", ""),
             "source": result.provenance.get("source_text", "")}
    return sheets_from_profiles(profiles, lang, synthetic=result.synthetic, sources=sheet_sources(attrs, lang),
                                region=region, atlas=atlas, period=period, progress=progress, cancel=cancel)


def sheet_sources(attrs: dict, lang: str) -> list[str]:
    """The footer's sources in ``lang``: the incident layer's, population, settlements, boundaries."""
    from juvmap.io.builtin import SOURCES

    sources = [translate_in(lang, SOURCES[key]) for key in ("juvenile_population", "settlements", "boundaries")]
    if attrs.get("source_msgid"):
        msgid = attrs["source_msgid"]
        sources.insert(0, translate_in(lang, msgid))
    elif attrs.get("source"):
        sources.insert(0, str(attrs["source"]))
    return sources


def sheets_from_profiles(
    profiles: dict,
    lang: str,
    *,
    synthetic: bool,
    sources: list[str],
    region: str | None = None,
    atlas: bool = False,
    units=None,
    period: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> SheetSet:
    """Test the rules on all regions of a run and write the HTML pages in ``lang``.

    Parameters
    ----------
    profiles : dict of str to RegionProfile
        Every region of the run (the rule tests' false-discovery control is over all).
    lang : {"kk", "ru", "en"}
    synthetic : bool
        The incident layer is the synthetic demo: DEMO band and tags.
    sources : list of str
        Footer sources in ``lang`` (:func:`sheet_sources`).
    region : str, optional
        Only this region's page (the summary is still made).
    atlas : bool
        Also make the one-document atlas (summary + every region).
    units : str or mapping, optional
        Unit of the profiles' counts ("persons" for Form 1-M figures) when the indicators do
        not carry it (:func:`juvmap.recommend.rule_tests.indicator_unit`).
    period : str, optional
        The period as printed (default: from the profiles).
    """
    from juvmap.recommend.rules import evaluate_all, load_rules
    from juvmap.recommend.sheet_context import sheet_context
    from juvmap.recommend.sheet_html import national_summary_html, region_sheet_html, sheets_document_html

    if region is not None and region not in profiles:
        raise AnalysisError(_("Unknown region {code}.").format(code=region))
    rules = load_rules()
    results, tests = evaluate_all(profiles, rules, lang, units=units)
    ctx = sheet_context(profiles, rules, tests)
    if period is None:
        first = next(iter(profiles.values()))
        period = f"{first.period[0]}–{first.period[1]}" if first.period[0] != first.period[1] else str(first.period[0])
    out = SheetSet(lang=lang, synthetic=synthetic, tests=tests)
    if all(getattr(p, "source", "") == "official" for p in profiles.values()):
        return _official_pages(out, profiles, results, region, atlas, period, sources, ctx, progress, cancel)
    kwargs = {"synthetic": synthetic, "period": period, "sources": sources, "context": ctx}
    ordered = sorted(profiles.items(), key=lambda kv: kv[1].name(lang))
    for i, (code, profile) in enumerate(ordered):
        out.names[code] = profile.name(lang)
        if region is None or code == region:
            check(cancel)
            out.pages[code] = region_sheet_html(profile, results[code], lang, **kwargs)
        report(progress, 0.2 + 0.7 * (i + 1) / len(ordered), _("Writing the sheets"))
    out.summary = national_summary_html(profiles, results, lang, **kwargs)
    if atlas:
        out.atlas = sheets_document_html(profiles, results, lang, **kwargs, made={**out.pages, "summary": out.summary})
    report(progress, 1.0, _("Done"))
    return out


def _official_pages(out: SheetSet, profiles, results, region, atlas, period, sources, ctx, progress, cancel) -> SheetSet:
    """The pages of official profiles (:mod:`juvmap.recommend.official_sheet_html`): no DEMO, no incident blocks."""
    from juvmap.recommend.official_sheet_html import official_document_html, official_region_page, official_summary_page

    lang = out.lang
    kwargs = {"period": period, "sources": sources, "ctx": ctx}
    pages = {}
    for code, profile in sorted(profiles.items(), key=lambda kv: kv[1].name(lang)):
        out.names[code] = profile.name(lang)
        if region is None or code == region or atlas:
            check(cancel)
            pages[code] = official_region_page(profile, results[code], lang, **kwargs)
            if region is None or code == region:
                out.pages[code] = official_document_html([pages[code]], lang, profile.name(lang))
        report(progress, 0.2 + 0.7 * len(out.names) / len(profiles), _("Writing the sheets"))
    summary = official_summary_page(profiles, results, lang, **kwargs)
    title = translate_in(lang, "Kazakhstan")
    out.summary = official_document_html([summary], lang, title)
    if atlas:
        out.atlas = official_document_html([summary, *pages.values()], lang, title)
    report(progress, 1.0, _("Done"))
    return out
