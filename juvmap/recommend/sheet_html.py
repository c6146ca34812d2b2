"""Self-contained HTML of the recommendation sheets: one A4 portrait page per region.

No script, no remote URL: the maps and the charts are inline SVG (:mod:`.sheet_svg`) sized
in points, so chart text prints at its nominal size (≥ 6 pt); the density raster is an inline
PNG on the run's common colour scale. Counts of 1–4 print as "<5"; a value that could reveal
one prints as "×"; charts are drawn from counts rounded to 5. Synthetic data carry a hatched
DEMO band with outlined type and "DEMO" on the title and every recommendation, which survive
a black-and-white copy.
"""

from __future__ import annotations

import html
import math

from juvmap.i18n import N_, translate_in
from juvmap.numbers import format_number
from juvmap.recommend.profile import RegionProfile
from juvmap.recommend.rules import RuleResult
from juvmap.recommend.sheet_blocks import (
    HIDDEN,
    footer,
    format_value,
    header,
    hotspots_html,
    indicator_table,
    recommendations_html,
)
from juvmap.recommend.sheet_context import SheetContext, sheet_context
from juvmap.recommend.sheet_svg import (
    CAPTIONS,
    CONTEXT_BREAKS,
    CONTEXT_COLOURS,
    density_legend_svg,
    hours_svg,
    map_svg,
    national_map_svg,
    ranking_svg,
    years_svg,
)

__all__ = ["HIDDEN", "context_legend", "format_value", "national_summary_html", "region_sheet_html", "sheets_document_html"]

_CSS = """
@page { size: A4 portrait; margin: 0; } * { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #222; }
.page { position: relative; width: 210mm; height: 296mm; padding: 6mm 10mm 0 10mm; overflow: hidden;
        display: flex; flex-direction: column; break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
.demo { border: 0.8mm solid #000; padding: 0.6mm 3mm; margin-bottom: 1.2mm; font-size: 12pt; font-weight: bold;
        letter-spacing: 0.5pt; color: #fff; -webkit-text-stroke: 0.7pt #000; text-align: center;
        background: repeating-linear-gradient(135deg, #fff 0 1.6mm, #999 1.6mm 2.2mm); }
.demotag { border: 0.4mm solid #000; font-weight: bold; padding: 0 0.8mm; font-size: 6.5pt; }
h1 { font-size: 15pt; margin: 0 0 1mm 0; }
h2 { font-size: 8.4pt; margin: 1.6mm 0 0.8mm 0; border-bottom: 0.3mm solid #888; }
.sub { color: #555; font-size: 7pt; line-height: 1.3; } .row { display: flex; gap: 3mm; } .col { flex: 1; min-width: 0; }
.nw { white-space: nowrap; } .key { display: inline-block; white-space: nowrap; margin-right: 2mm; }
.sw { display: inline-block; width: 3mm; height: 2.4mm; border: 0.1mm solid #888; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 0.2mm 1mm; border-bottom: 0.15mm solid #ddd; text-align: right; }
td:first-child, th:first-child { text-align: left; } td + td { white-space: nowrap; }
th { font-size: 6.8pt; color: #555; font-weight: normal; }
tr.grp td { font-weight: bold; color: #444; border-bottom: 0.2mm solid #999; padding-top: 0.8mm; }
ol { margin: 0; padding-left: 5mm; } li { margin-bottom: 0.6mm; line-height: 1.18; }
.why, .who { color: #333; font-size: 6.5pt; } .rid { color: #666; font-size: 6.5pt; }
.body { flex: 1 1 auto; min-height: 0; }
.foot { flex: 0 0 auto; margin: 1mm 0 5mm 0; font-size: 6pt; color: #444; border-top: 0.3mm solid #888;
        padding-top: 1mm; line-height: 1.25; }
svg text { font-family: "DejaVu Sans", sans-serif; }
.compact td, .compact th { font-size: 6.5pt; padding: 0.1mm 1mm; }
table.tl td { text-align: left; white-space: normal; } table.tl td.n { white-space: nowrap; }
"""


def _t(lang: str, msg: str) -> str:
    return translate_in(lang, msg)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


#: messages used inside f-strings below (invisible to the extractor on Python 3.11)
_IN_FSTRINGS = (
    N_("Smoothed rate against Kazakhstan:"), N_("Offence density, per km² per period (same scale on every sheet):"),
    N_("Hot spot (number as in the table)"), N_("Region boundary"), N_("Place among the 20 regions"),
    N_("Regional type"), N_("Key of the rules"), N_("Rule"), N_("Action plan item"), N_("Deadline"),
    N_("Fired in"), N_("No."), N_("not computable"), N_("Recommendations"),
)

# -- the page ----------------------------------------------------------------------------------
_LEVEL_ROWS = (("grp", N_("Level")), "count", "rate", "eb_rate", "rank", "change_vs_base", "trend")
_OFFENDER_ROWS = (
    ("grp", N_("Offenders")), "share_pupil", "share_repeat", "share_group", "share_intoxicated",
    "share_female", "share_age_14_15", "share_grave_plus",
)
_CATEGORY_ROWS = (
    ("grp", N_("Offence category")), "share_category:property", "share_category:person",
    "share_category:public_order_safety", "share_category:drugs",
    ("grp", N_("Time")), "share_after_school", "share_night", "peak_hours",
)
_PLACE_ROWS = (
    ("grp", N_("Place")), "share_place:street", "share_place:yard", "share_place:shop",
    "share_place:school", "share_place:home", "share_place:entertainment",
)


def _context_labels(lang: str) -> list[str]:
    b = [format_number(x, lang, 2) for x in CONTEXT_BREAKS]
    return [f"<{b[0]}", f"{b[0]}–{b[1]}", f"{b[1]}–{b[2]}", f"{b[2]}–{b[3]}", f"≥{b[3]}"]


def context_legend(lang: str) -> str:
    """Colour key of the EB-rate classes; every break stays on one line with its colour."""
    keys = "".join(f"<span class='key'><span class='sw' style='background:{c}'></span>&nbsp;{_e(lab)}</span>"
                   for c, lab in zip(CONTEXT_COLOURS, _context_labels(lang), strict=True))
    return f"<div class='sub'>{_e(_t(lang, 'Smoothed rate against Kazakhstan:'))} {keys}</div>"


def _map_legend(profile: RegionProfile, lang: str, ctx: SheetContext) -> str:
    parts = [context_legend(lang)]
    items = [f"<span class='key'><span class='sw' style='background:none;border:0.5mm solid #222'></span>&nbsp;"
             f"{_e(_t(lang, 'Region boundary'))}</span> "]
    if profile.hotspots:
        items.append("<span class='key'><svg width='8pt' height='8pt' viewBox='0 0 8 8'><circle cx='4' cy='4' r='3.3' "
                     f"fill='#fff' stroke='#900'/></svg>&nbsp;{_e(_t(lang, 'Hot spot (number as in the table)'))}</span>")
    parts.append(f"<div class='sub'>{''.join(items)}</div>")
    if profile.density is not None and ctx.density is not None:
        parts.append(f"<div class='sub'>{_e(_t(lang, 'Offence density, per km² per period (same scale on every sheet):'))}"
                     f" {density_legend_svg(ctx.density, lang)}</div>")
    return "".join(parts)


def _caption(key: str, lang: str) -> str:
    return f"<div class='sub'>{_e(_t(lang, CAPTIONS[key]))}</div>"


def _names(ctx: SheetContext, codes, lang: str) -> str:
    return ", ".join(ctx.names.get(c, {}).get(lang, c) for c in codes)


def _place_block(profile: RegionProfile, lang: str, ctx: SheetContext) -> str:
    out = [f"<h2>{_e(_t(lang, 'Place among the 20 regions'))}</h2>"]
    row = ctx.ranking.loc[profile.code] if profile.code in ctx.ranking.index else None
    if row is not None and math.isfinite(row["rate"]):
        n = int(ctx.ranking["rate"].notna().sum())
        out.append(ranking_svg(ctx.ranking, profile.code, lang, w=134, h=50) + _caption('ranking', lang))
        out.append("<div class='sub'>" + _e(_t(lang, "Rank {rank} of {n}; within the 95% intervals, between {best} "
                                                     "and {worst}.").format(rank=int(row["rank"]), n=n,
                                                                           best=int(row["rank_best"]),
                                                                           worst=int(row["rank_worst"]))) + "</div>")
    typ = ctx.typology
    if typ is not None and profile.code in typ.index:
        own = typ.loc[profile.code]
        text = _t(lang, "Regional type {cluster} of {k} (Ward clustering of standardised indicators). "
                        "Most similar: {similar}.").format(
            cluster=int(own["cluster"]), k=int(typ["cluster"].max()), similar=_names(ctx, own["similar"], lang))
        out.append(f"<div class='sub'>{_e(text)}</div>")
    return "".join(out)


def _charts(profile: RegionProfile, lang: str) -> str:
    """Hours and rate by year (the category shares are in the table above) beside the hot spots."""
    charts = ""
    if not profile.suppressed:
        hour = profile.distributions["hour"]
        charts = (f"<div style='width:50mm'>{hours_svg(hour['count'], hour['share'], lang)}{_caption('hours', lang)}</div>"
                  f"<div style='width:50mm'>{years_svg(profile, lang)}{_caption('years', lang)}</div>")
    return ("<h2>" + _e(_t(lang, "Hours · rate by year · hot spots (kernel density)")) + "</h2><div class='row'>"
            + charts + f"<div class='col'>{hotspots_html(profile, lang)}</div></div>")


def _region_page(profile: RegionProfile, result: RuleResult, lang: str, synthetic: bool, period: str,
                 sources: list[str], ctx: SheetContext) -> str:
    body = (
        header(profile.name(lang), _t(lang, "Juvenile offences: regional recommendation sheet"), lang, period,
               profile, synthetic)
        + "<div class='row' style='margin-top:1.5mm'>"
        + f"<div style='width:66mm'>{map_svg(profile, lang, density=ctx.density, width=187, height=112)}"
        + f"{_map_legend(profile, lang, ctx)}</div>"
        + f"<div class='col'>{indicator_table(profile, _LEVEL_ROWS, lang)}</div>"
        + f"<div style='width:48mm'>{_place_block(profile, lang, ctx)}</div></div>"
        + "<h2>" + _e(_t(lang, "Indicators against Kazakhstan")) + "</h2><div class='row'>"
        + "".join(f"<div class='col'>{indicator_table(profile, rows, lang)}</div>"
                  for rows in (_OFFENDER_ROWS, _CATEGORY_ROWS, _PLACE_ROWS)) + "</div>"
        + _charts(profile, lang)
        + "<h2>" + _e(_t(lang, "Recommendations")) + "</h2>" + recommendations_html(result, profile, lang, synthetic)
    )
    return _page(body, footer(profile, lang, synthetic, sources))


def _page(body: str, foot: str) -> str:
    return f"<section class='page'><div class='body'>{body}</div>{foot}</section>"


def _document(pages: list[str], lang: str, title: str) -> str:
    return (f"<!DOCTYPE html><html lang='{_e(lang)}'><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<style>{_CSS}</style></head><body>{''.join(pages)}</body></html>")


def _ctx(profiles, ctx: SheetContext | None) -> SheetContext:
    return ctx if ctx is not None else sheet_context(profiles)


def region_sheet_html(profile: RegionProfile, recommendations: RuleResult, lang: str, *, synthetic: bool,
                      period: str, sources: list[str], context: SheetContext | None = None) -> str:
    """One self-contained A4 portrait HTML page for a region.

    Parameters
    ----------
    profile : RegionProfile
        From :func:`juvmap.recommend.profile.region_profile`.
    recommendations : RuleResult
        From :func:`juvmap.recommend.rules.evaluate_all` in the same ``lang``.
    lang : {"kk", "ru", "en"}
        Language of every text on the page.
    synthetic : bool
        Print the DEMO band, title prefix, recommendation tags and note.
    period : str
        The period as it should be printed, e.g. "2019–2023".
    sources : list of str
        Data sources and dates for the footer, already in ``lang``.
    context : SheetContext, optional
        The run's shared ranking, typology and density scale
        (:func:`juvmap.recommend.sheet_context.sheet_context`); without it, the profile alone
        (no place among the regions, the sheet's own density scale).

    Returns
    -------
    str
        HTML with inline CSS and SVG, no script and no remote URL.
    """
    ctx = _ctx({profile.code: profile}, context)
    page = _region_page(profile, recommendations, lang, synthetic, period, sources, ctx)
    return _document([page], lang, profile.name(lang))


def _summary_rows(profiles, results, lang: str, ctx: SheetContext, ordered) -> str:
    rows = []
    for i, (code, p) in enumerate(ordered, start=1):
        ind, res = p.indicators, results.get(code)
        ids = ", ".join(r.rule_id for r in res.recommendations) if res and not res.no_triggers else "—"
        rk = ctx.ranking.loc[code] if code in ctx.ranking.index else None
        rank = "—" if rk is None or not math.isfinite(rk["rate"]) else \
            f"{int(rk['rank'])} ({int(rk['rank_best'])}–{int(rk['rank_worst'])})"
        rows.append("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in (
            i, p.name(lang), format_value(ind["count"], lang), format_value(ind["rate"], lang),
            format_value(ind["eb_rate"], lang), rank, format_value(ind["change_vs_base"], lang, profile=p), ids)) + "</tr>")
    first = next(iter(profiles.values()))
    nat = first.indicators
    rows.append("<tr style='font-weight:bold'>" + "".join(f"<td>{_e(v)}</td>" for v in (
        "", _t(lang, "Kazakhstan"), format_value(nat["count"], lang, True, first.national_count_hidden),
        format_value(nat["rate"], lang, True), format_value(nat["eb_rate"], lang, True), "",
        format_value(nat["change_vs_base"], lang, True), "")) + "</tr>")
    head = "".join(f"<th>{_e(_t(lang, h))}</th>" for h in (
        "No.", "Region", "Offences", "Rate", "Smoothed rate (EB)", "Rank by rate", "Change against the base year",
        "Recommendations"))
    return f"<table class='compact'><tr>{head}</tr>{''.join(rows)}</table>"


def _rules_key(results, lang: str, ctx: SheetContext) -> str:
    fired: dict[str, int] = {}
    for res in results.values():
        for rec in res.recommendations:
            fired[rec.rule_id] = fired.get(rec.rule_id, 0) + 1
    rows = []
    for rule in ctx.rules:
        if rule.computable:
            item = rule.plan_item
            rows.append(f"<tr><td class='n'>{_e(rule.id)}</td><td>{_e(rule.title[lang])}</td>"
                        f"<td class='n'>{_e(rule.plan or '—')}</td><td>{_e(item.deadline[lang] if item else '—')}</td>"
                        f"<td class='n'>{fired.get(rule.id, 0)}</td></tr>")
    off = ", ".join(r.id for r in ctx.rules if not r.computable)
    head = "".join(f"<th>{_e(_t(lang, h))}</th>" for h in ("Rule", "Recommendations", "Action plan item", "Deadline",
                                                             "Fired in"))
    tail = f"<div class='sub'>{_e(_t(lang, 'not computable'))}: {_e(off)}</div>" if off else ""
    return (f"<h2>{_e(_t(lang, 'Key of the rules'))}</h2><table class='tl compact'><tr>{head}</tr>{''.join(rows)}</table>"
            + tail)


def _summary_page(profiles: dict[str, RegionProfile], results: dict[str, RuleResult], lang: str,
                  synthetic: bool, period: str, sources: list[str], ctx: SheetContext) -> str:
    first = next(iter(profiles.values()))
    ordered = sorted(profiles.items(), key=lambda kv: kv[1].name(lang))
    numbers = {code: str(i) for i, (code, _p) in enumerate(ordered, start=1)}
    context = {c: p.context.get(c) for c, p in profiles.items()}
    body = (
        header(_t(lang, "Kazakhstan"), _t(lang, "Juvenile offences: national summary"), lang, period, first, synthetic)
        + national_map_svg(context, first.indicators["eb_rate"].national, numbers, lang, width=380, height=170) + context_legend(lang)
        + f"<h2>{_e(_t(lang, 'Regions'))}</h2>" + _summary_rows(profiles, results, lang, ctx, ordered)
        + _rules_key(results, lang, ctx)
    )
    return _page(body, footer(first, lang, synthetic, sources))


def national_summary_html(profiles: dict[str, RegionProfile], results: dict[str, RuleResult], lang: str, *,
                          synthetic: bool, period: str, sources: list[str],
                          context: SheetContext | None = None) -> str:
    """One A4 page: national map, every region's figures and fired rules, and the key of the rules.

    When some region has 1–4 offences the national count prints as "×" (with the other
    regions' counts it would give the small one away). Arguments as :func:`region_sheet_html`.
    """
    ctx = _ctx(profiles, context)
    return _document([_summary_page(profiles, results, lang, synthetic, period, sources, ctx)], lang,
                     _t(lang, "Kazakhstan"))


def _body(document: str) -> str:
    return document.split("<body>", 1)[1].rsplit("</body>", 1)[0]


def sheets_document_html(profiles: dict[str, RegionProfile], results: dict[str, RuleResult], lang: str, *,
                         synthetic: bool, period: str, sources: list[str],
                         context: SheetContext | None = None, made: dict[str, str] | None = None) -> str:
    """The national summary and every region's sheet as one HTML document (one page each).

    ``made`` maps codes to documents already made by :func:`region_sheet_html` with the
    same arguments (and ``"summary"`` to :func:`national_summary_html`'s): they are reused.
    """
    ctx = _ctx(profiles, context)
    made = made or {}
    pages = [_body(made["summary"]) if "summary" in made else
             _summary_page(profiles, results, lang, synthetic, period, sources, ctx)]
    for code, p in sorted(profiles.items(), key=lambda kv: kv[1].name(lang)):
        pages.append(_body(made[code]) if code in made else
                     _region_page(p, results[code], lang, synthetic, period, sources, ctx))
    return _document(pages, lang, _t(lang, "Kazakhstan"))

