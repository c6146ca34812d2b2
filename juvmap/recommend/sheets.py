"""Assemble the recommendation sheets of every region (Qt-free): profiles, rules, HTML."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """

    lang: str
    pages: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    atlas: str = ""
    names: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False


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
    """Cut every region's profile out of ``result``, evaluate the rules and write the HTML in ``lang``.

    Parameters
    ----------
    result : AnalysisResult
        Analysed with :func:`sheet_request` (profiles and density).
    lang : {"kk", "ru", "en"}
    region : str, optional
        Only this region's page (the summary is still made).
    atlas : bool
        Also make the one-document atlas (summary + 20 regions).
    """
    from juvmap.io.builtin import SOURCES
    from juvmap.describe import period_text
    from juvmap.recommend.profile import all_profiles
    from juvmap.recommend.rules import evaluate, load_rules
    from juvmap.recommend.sheet_html import (
        national_summary_html,
        region_sheet_html,
        sheets_document_html,
    )

    synthetic = result.synthetic
    report(progress, 0.0, _("Profiling the regions"))
    profiles = all_profiles(result, lang=lang)
    if region is not None and region not in profiles:
        raise AnalysisError(_("Unknown region {code}.").format(code=region))
    check(cancel)
    rules = load_rules()
    results = {code: evaluate(p, rules, lang) for code, p in profiles.items()}
    with using_language(lang):
        period = period_text(result)
    sources = [translate_in(lang, SOURCES[key]) for key in ("juvenile_population", "settlements")]
    sources.append(SOURCES["boundaries"])
    msgid = result.provenance.get("source_msgid")
    if msgid:
        sources.insert(0, translate_in(lang, msgid))
    elif result.provenance.get("source_text"):
        sources.insert(0, result.provenance["source_text"])
    out = SheetSet(lang=lang, synthetic=synthetic)
    ordered = sorted(profiles.items(), key=lambda kv: kv[1].name(lang))
    for i, (code, profile) in enumerate(ordered):
        out.names[code] = profile.name(lang)
        if region is None or code == region:
            check(cancel)
            out.pages[code] = region_sheet_html(
                profile, results[code], lang, synthetic=synthetic, period=period, sources=sources
            )
        report(progress, 0.2 + 0.7 * (i + 1) / len(ordered), _("Writing the sheets"))
    kwargs = {"synthetic": synthetic, "period": period, "sources": sources}
    out.summary = national_summary_html(profiles, results, lang, **kwargs)
    if atlas:
        out.atlas = sheets_document_html(profiles, results, lang, **kwargs)
    report(progress, 1.0, _("Done"))
    return out
