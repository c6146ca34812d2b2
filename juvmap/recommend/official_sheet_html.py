"""HTML of the recommendation sheets on the official Form 1-M figures (one A4 page per region).

The same page frame, map, ranking, typology and recommendations as :mod:`.sheet_html`, with
the official indicators: juveniles brought to criminal liability (persons), their rate per
10,000 residents aged 0–17, offences against minors, the shares of pupils, of those neither
working nor studying, in a group, on the preventive register, who offended before, of girls
and of those aged 14–15 (with binomial intervals), gravity and offence categories. No block
that needs incident records (hours, places, hot spots, density) and never DEMO: these are
official figures. The 2022-split caveat of a region is printed under its figures.
"""

from __future__ import annotations

import html
import math

from juvmap.i18n import N_, translate_in
from juvmap.numbers import format_number
from juvmap.recommend.official_profile import CAVEAT_TEXTS, OfficialRegionProfile, official_label
from juvmap.recommend.rules import RuleResult
from juvmap.recommend.sheet_blocks import format_value, header, recommendations_html
from juvmap.recommend.sheet_context import SheetContext
from juvmap.recommend.sheet_html import (
    _document,
    _page,
    _place_block,
    _rules_key,
    context_legend,
)
from juvmap.recommend.sheet_svg import map_svg, national_map_svg, years_svg

__all__ = ["official_document_html", "official_region_page", "official_summary_page"]

_LEVEL_ROWS = (("grp", N_("Level")), "count", "rate", "eb_rate", "rank", "change_vs_base",
               "offences_against_minors_rate")
_OFFENDER_ROWS = (("grp", N_("Juvenile offenders")), "share_pupil", "share_not_working_not_studying",
                  "share_group", "share_registered", "share_repeat", "share_female", "share_age_14_15")
_GRAVITY_ROWS = (("grp", N_("Gravity")), "share_gravity:minor", "share_gravity:medium", "share_gravity:grave",
                 "share_gravity:especially_grave", "share_grave_plus")
_CATEGORY_ROWS = (("grp", N_("Offence category")), "share_category:property", "share_category:person",
                  "share_category:sexual", "share_category:public_order_safety", "share_category:drugs",
                  "share_category:road_traffic")
#: messages used inside f-strings below (invisible to the extractor on Python 3.11)
_IN_FSTRINGS = (
    N_("Juvenile offenders: regional recommendation sheet (official figures, Form 1-M)"),
    N_("Juvenile offenders: national summary (official figures, Form 1-M)"),
    N_("Juvenile offenders against Kazakhstan"), N_("Juveniles"), N_("Pupils and students"),
    N_("Juveniles per 10,000 aged 0–17"), N_("Rank by rate"), N_("Recommendations"), N_("No."),
    N_("Region"), N_("Regions"), N_("Kazakhstan"), N_("Rate by period"),
)


def _t(lang: str, msg: str) -> str:
    return translate_in(lang, msg)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _interval(ind, lang: str) -> str:
    if ind.suppressed or not ind.ci or not all(map(math.isfinite, ind.ci)) or not math.isfinite(ind.value):
        return ""
    if ind.kind == "share":
        lo, hi = (format_number(v * 100, lang, 0) for v in ind.ci)
    else:
        lo, hi = (format_number(v, lang, 2) for v in ind.ci)
    return f" <span class='sub nw'>({lo}–{hi})</span>"


def official_table(profile: OfficialRegionProfile, rows, lang: str) -> str:
    """Indicators of the region beside Kazakhstan, with 95 % intervals; tuples are headings."""
    out = [f"<table class='compact'><tr><th></th><th>{_e(_t(lang, 'Region'))}</th>"
           f"<th>{_e(_t(lang, 'Kazakhstan'))}</th></tr>"]
    for row in rows:
        if isinstance(row, tuple):
            out.append(f"<tr class='grp'><td colspan='3'>{_e(_t(lang, row[1]))}</td></tr>")
            continue
        if row == "change_vs_base" and profile.period[1] <= profile.base_year:
            continue  # one period: no change to show
        ind = profile.indicators[row]
        text = _t(lang, official_label(ind.key))
        if ind.key == "change_vs_base":
            text = _t(lang, "Change {last} against {base}").format(last=profile.period[1], base=profile.base_year)
        value = _e(format_value(ind, lang)) + _interval(ind, lang)
        nat = format_value(ind, lang, national=True, hide_count=profile.national_count_hidden)
        out.append(f"<tr><td>{_e(text)}</td><td>{value}</td><td>{_e(nat)}</td></tr>")
    return "".join(out) + "</table>"


def caveat_lines(profile: OfficialRegionProfile, lang: str) -> str:
    """The partial-year caveats of the 8 June 2022 split, one line each (bold)."""
    return "".join(f"<div class='sub'><b>{_e(_t(lang, CAVEAT_TEXTS[c]).format(region=profile.name(lang)))}</b></div>"
                   for c in profile.caveats if c in CAVEAT_TEXTS)


def official_footer(profile: OfficialRegionProfile, lang: str, sources: list[str]) -> str:
    """Method notes and sources of an official sheet."""
    multiplier, band, estimate = profile.unit
    msg = (N_("juveniles brought to criminal liability per year per {multiplier} residents aged {band} "
              "(population estimate)") if estimate else
           N_("juveniles brought to criminal liability per year per {multiplier} residents aged {band}"))
    unit = _t(lang, msg).format(multiplier=format_number(multiplier, lang, 0), band=band)
    notes = [
        _t(lang, "Official figures: Form 1-M, persons brought to criminal liability. Rate: {unit}; interval: exact "
                 "Poisson 95%; EB: empirical Bayes rate, pulled towards the national rate where the population "
                 "is small.").format(unit=unit),
        _t(lang, "Shares: of the juveniles brought to criminal liability, exact binomial 95% interval in brackets; "
                 "not computed below 20 juveniles (—)."),
        _t(lang, "A rule fires when its one-sided exact test against Kazakhstan passes the Benjamini–Hochberg "
                 "false-discovery control over all regions and rules of this run (q ≤ 0.05) and its effect "
                 "reaches the rule's threshold, with at least 20 cases behind it."),
        _t(lang, "Counts of 1–4 are printed as <5; × marks a value that could reveal such a count. Charts are "
                 "drawn from counts rounded to 5 (dashed bars: fewer than 5)."),
    ]
    src = _t(lang, "Sources: {sources}").format(sources="; ".join(sources))
    return "<div class='foot'>" + "<br>".join(_e(n) for n in [*notes, src]) + "</div>"


def official_region_page(profile: OfficialRegionProfile, result: RuleResult, lang: str, *, period: str,
                         sources: list[str], ctx: SheetContext) -> str:
    """One region's page (a ``<section>``) on the official figures."""
    years = ""
    if len(profile.yearly) > 1 and not profile.suppressed:
        years = f"<h2>{_e(_t(lang, 'Rate by period'))}</h2><div style='width:60mm'>{years_svg(profile, lang)}</div>"
    body = (
        header(profile.name(lang), _t(lang, "Juvenile offenders: regional recommendation sheet (official figures, "
                                            "Form 1-M)"), lang, period, profile, False)
        + "<div class='row' style='margin-top:1.5mm'>"
        + f"<div style='width:66mm'>{map_svg(profile, lang, width=187, height=112)}{context_legend(lang)}</div>"
        + f"<div class='col'>{official_table(profile, _LEVEL_ROWS, lang)}</div>"
        + f"<div style='width:48mm'>{_place_block(profile, lang, ctx)}</div></div>"
        + caveat_lines(profile, lang)
        + "<h2>" + _e(_t(lang, "Juvenile offenders against Kazakhstan")) + "</h2><div class='row'>"
        + "".join(f"<div class='col'>{official_table(profile, rows, lang)}</div>"
                  for rows in (_OFFENDER_ROWS, _GRAVITY_ROWS, _CATEGORY_ROWS)) + "</div>"
        + years
        + "<h2>" + _e(_t(lang, "Recommendations")) + "</h2>" + recommendations_html(result, profile, lang, False)
    )
    return _page(body, official_footer(profile, lang, sources))


def rank_text(ctx: SheetContext, code: str) -> str:
    """"rank (best–worst)" of a region among the 20, "—" when its rate is hidden."""
    if code not in ctx.ranking.index or not math.isfinite(ctx.ranking.loc[code, "rate"]):
        return "—"
    rk = ctx.ranking.loc[code]
    return f"{int(rk['rank'])} ({int(rk['rank_best'])}–{int(rk['rank_worst'])})"


def fired_ids(result: RuleResult | None) -> str:
    """The ids of the recommendations printed on a sheet, "—" when none."""
    return "—" if result is None or result.no_triggers else ", ".join(r.rule_id for r in result.recommendations)


def _summary_table(profiles, results, lang: str, ctx: SheetContext, ordered) -> str:
    rows = []
    for i, (code, p) in enumerate(ordered, start=1):
        ind = p.indicators
        cells = (i, p.name(lang) + (" *" if p.caveats else ""), format_value(ind["count"], lang),
                 format_value(ind["rate"], lang), rank_text(ctx, code), format_value(ind["share_pupil"], lang),
                 format_value(ind["offences_against_minors_rate"], lang), fired_ids(results.get(code)))
        rows.append("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in cells) + "</tr>")
    first = next(iter(profiles.values())).indicators
    rows.append("<tr style='font-weight:bold'>" + "".join(f"<td>{_e(v)}</td>" for v in (
        "", _t(lang, "Kazakhstan"), format_value(first["count"], lang, True), format_value(first["rate"], lang, True),
        "", format_value(first["share_pupil"], lang, True),
        format_value(first["offences_against_minors_rate"], lang, True), "")) + "</tr>")
    head = "".join(f"<th>{_e(_t(lang, h))}</th>" for h in (
        "No.", "Region", "Juveniles", "Juveniles per 10,000 aged 0–17", "Rank by rate", "Pupils and students",
        "Offences against minors per 10,000 aged 0–17", "Recommendations"))
    return f"<table class='compact'><tr>{head}</tr>{''.join(rows)}</table>"


def official_summary_page(profiles: dict, results: dict, lang: str, *, period: str, sources: list[str],
                          ctx: SheetContext) -> str:
    """The national summary page (a ``<section>``): map, table of the 20 regions, key of the rules."""
    first = next(iter(profiles.values()))
    ordered = sorted(profiles.items(), key=lambda kv: kv[1].name(lang))
    numbers = {code: str(i) for i, (code, _p) in enumerate(ordered, start=1)}
    context = {c: p.context.get(c) for c, p in profiles.items()}
    marked = [p.name(lang) for _c, p in ordered if p.caveats]
    note = ""
    if marked:
        note = "<div class='sub'>* " + _e(_t(lang, "Boundaries changed on 8 June 2022, figures for part of the year "
                                                  "or another territory: {regions}.").format(
            regions=", ".join(marked))) + "</div>"
    body = (header(_t(lang, "Kazakhstan"), _t(lang, "Juvenile offenders: national summary (official figures, Form 1-M)"),
                   lang, period, first, False)
            + national_map_svg(context, first.indicators["eb_rate"].national, numbers, lang, width=380, height=170)
            + context_legend(lang) + f"<h2>{_e(_t(lang, 'Regions'))}</h2>"
            + _summary_table(profiles, results, lang, ctx, ordered) + note + _rules_key(results, lang, ctx))
    return _page(body, official_footer(first, lang, sources))


def official_document_html(pages: list[str], lang: str, title: str) -> str:
    """Pages (``<section>``) as one self-contained HTML document."""
    return _document(pages, lang, title)
