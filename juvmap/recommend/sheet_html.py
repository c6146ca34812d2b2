"""Self-contained HTML of the recommendation sheets: one A4 portrait page per region.

No script, no remote URL: the map and the charts are inline SVG (:mod:`.sheet_svg`), the
density raster an inline PNG. Counts of 1–4 print as "<5"; a value that could reveal one prints as
"×"; charts are drawn from counts rounded to 5, so no bar gives a small count away.
"""

from __future__ import annotations

import html
import math
from datetime import date

from juvmap.i18n import N_, translate_in
from juvmap.numbers import SUPPRESS_BELOW, format_count, format_number
from juvmap.labels import CATEGORY_LABELS
from juvmap.recommend.profile import INDICATOR_LABELS, Indicator, RegionProfile
from juvmap.recommend.rules import RuleResult
from juvmap.recommend.sheet_svg import CONTEXT_BREAKS, CONTEXT_COLOURS, bars_svg, hours_svg, map_svg, years_svg

__all__ = ["national_summary_html", "region_sheet_html", "sheets_document_html"]

HIDDEN = "×"
_CSS = """
@page { size: A4 portrait; margin: 0; } * { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #222; }
.page { position: relative; width: 210mm; height: 296mm; padding: 9mm 10mm; overflow: hidden;
        break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
.wm { position: absolute; top: 42%; left: -10%; width: 120%; text-align: center; font-size: 60pt;
      font-weight: bold; color: rgba(200, 0, 0, 0.10); transform: rotate(-38deg); z-index: 5; white-space: nowrap; }
h1 { font-size: 15pt; margin: 0 0 1mm 0; }
h2 { font-size: 8.4pt; margin: 1.6mm 0 0.8mm 0; border-bottom: 0.3mm solid #888; }
.sub { color: #555; font-size: 7pt; line-height: 1.3; } .row { display: flex; gap: 4mm; } .col { flex: 1; min-width: 0; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 0.2mm 1mm; border-bottom: 0.15mm solid #ddd; text-align: right; }
td:first-child, th:first-child { text-align: left; } td + td { white-space: nowrap; }
th { font-size: 6.8pt; color: #555; font-weight: normal; }
tr.grp td { font-weight: bold; color: #444; border-bottom: 0.2mm solid #999; padding-top: 0.8mm; }
ol { margin: 0; padding-left: 5mm; } li { margin-bottom: 0.9mm; line-height: 1.22; }
.why { color: #444; font-size: 6.2pt; }
.foot { position: absolute; bottom: 7mm; left: 10mm; right: 10mm; font-size: 5.8pt; color: #555;
        border-top: 0.3mm solid #888; padding-top: 1mm; line-height: 1.3; }
svg.map { height: 54mm; width: 100%; } svg.chart { height: 27mm; width: 100%; }
svg text { font-family: "DejaVu Sans", sans-serif; }
"""


def _t(lang: str, msg: str) -> str:
    return translate_in(lang, msg)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _pct(value: float, lang: str, decimals: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    text = format_number(value * 100, lang, decimals)
    return f"{text}%" if lang == "en" else f"{text}\u00a0%"


def _hour(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    h = int(value)
    return f"{h:02d}–{(h + 3) % 24:02d}"


def format_value(ind: Indicator, lang: str, national: bool = False, hide_count: bool = False) -> str:
    """Print an indicator's regional (or national) value with the suppression rules."""
    value = ind.national if national else ind.value
    if ind.kind == "count":
        if national and hide_count:
            return HIDDEN
        if ind.suppressed and not national:
            return f"<{SUPPRESS_BELOW}" if ind.small else HIDDEN
        return format_count(value, lang)
    if ind.suppressed and not national:
        return HIDDEN
    if value is None or not math.isfinite(value):
        return "—"
    if ind.kind == "share":
        return _pct(value, lang)
    if ind.kind == "rate":
        return format_number(value, lang, 2)
    if ind.kind == "rank":
        return _t(lang, "{rank} of {n}").format(rank=int(value), n=int(ind.national)) if not national else ""
    if ind.kind == "percent":
        return ("+" if value > 0 else "") + _pct(value / 100, lang, 0)
    if ind.kind == "slope":
        return ("+" if value > 0 else "") + format_number(value, lang, 2)
    return _hour(value)


#: messages used inside f-strings below: listed here so that the extractor sees them
#: (Python 3.11 tokenises an f-string as one string, so ``_t(...)`` inside it is invisible)
_IN_FSTRINGS = (
    N_("No rule is triggered for this region under the current filter."),
    N_("No hot spot with the density of at least 5 offences."),
    N_("Nearest settlement"), N_("Distance"), N_("Offences per km² per period"),
    N_("SYNTHETIC DATA"), N_("Regions"), N_("Region"), N_("Kazakhstan"),
)

# -- the page ----------------------------------------------------------------------------------
_LEVEL_ROWS = (("grp", N_("Level")), "count", "rate", "eb_rate", "rank", "change_vs_base", "trend")
_OFFENDER_ROWS = (
    ("grp", N_("Offenders")), "share_pupil", "share_repeat", "share_group", "share_intoxicated",
    "share_female", "share_age_14_15", "share_grave_plus",
    ("grp", N_("Time")), "share_after_school", "share_night", "peak_hours",
)
_STRUCTURE_ROWS = (
    ("grp", N_("Offence category")), "share_category:property", "share_category:person",
    "share_category:public_order_safety", "share_category:drugs",
    ("grp", N_("Place")), "share_place:street", "share_place:yard", "share_place:shop",
    "share_place:school", "share_place:home", "share_place:entertainment",
)


def _label(lang: str, ind: Indicator, profile: RegionProfile) -> str:
    if ind.key == "change_vs_base":
        return _t(lang, "Change {last} against {base}").format(last=profile.period[1], base=profile.base_year)
    if ind.key == "rate" and not ind.suppressed and all(map(math.isfinite, ind.ci or ())):
        return _t(lang, INDICATOR_LABELS["rate"])
    return _t(lang, ind.label)


def _table(profile: RegionProfile, rows, lang: str) -> str:
    head = (f'<tr><th></th><th>{_e(_t(lang, "Region"))}</th><th>{_e(_t(lang, "Kazakhstan"))}</th></tr>')
    out = [f"<table>{head}"]
    for row in rows:
        if isinstance(row, tuple):
            out.append(f'<tr class="grp"><td colspan="3">{_e(_t(lang, row[1]))}</td></tr>')
            continue
        ind = profile.indicators[row]
        value = format_value(ind, lang)
        if ind.key == "rate" and not ind.suppressed and ind.ci and all(map(math.isfinite, ind.ci)):
            value = f"{value} <span class='sub'>({format_number(ind.ci[0], lang, 2)}–{format_number(ind.ci[1], lang, 2)})</span>"
        else:
            value = _e(value)
        nat = format_value(ind, lang, national=True, hide_count=profile.national_count_hidden)
        out.append(f"<tr><td>{_e(_label(lang, ind, profile))}</td><td>{value}</td><td>{_e(nat)}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _recommendations(result: RuleResult, profile: RegionProfile, lang: str) -> str:
    if result.no_triggers:
        return f"<p>{_e(_t(lang, 'No rule is triggered for this region under the current filter.'))}</p>"
    items = []
    for rec in result.recommendations:
        why = _t(lang, "Trigger: {indicator} — region {value}, Kazakhstan {national}.").format(
            indicator=_label(lang, rec.indicator, profile), value=format_value(rec.indicator, lang),
            national=format_value(rec.indicator, lang, national=True))
        who = _t(lang, "Responsible: {bodies}.").format(bodies=", ".join(rec.responsible))
        plan = (" " + _t(lang, "Action plan item: {items}.").format(items=", ".join(rec.plan))) if rec.plan else ""
        items.append(f"<li><b>{_e(rec.text)}</b><br><span class='why'>{_e(why)} {_e(who)}{_e(plan)} "
                     f"[{_e(rec.rule_id)}]</span></li>")
    more = ""
    if result.fired > len(result.recommendations):
        more = "<p class='sub'>" + _e(_t(lang, "{shown} of {fired} triggered recommendations shown.").format(
            shown=len(result.recommendations), fired=result.fired)) + "</p>"
    return f"<ol>{''.join(items)}</ol>{more}"


def _hotspots(profile: RegionProfile, lang: str) -> str:
    if not profile.hotspots:
        return f"<p class='sub'>{_e(_t(lang, 'No hot spot with the density of at least 5 offences.'))}</p>"
    rows = [f"<tr><td>{i}. {_e(s.name(lang))}</td><td>{format_number(s.distance_km, lang, 1)}&nbsp;km</td>"
            f"<td>{format_number(s.value, lang, 2)}</td></tr>" for i, s in enumerate(profile.hotspots, start=1)]
    head = (f"<tr><th>{_e(_t(lang, 'Nearest settlement'))}</th><th>{_e(_t(lang, 'Distance'))}</th>"
            f"<th>{_e(_t(lang, 'Offences per km² per period'))}</th></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _unit(profile: RegionProfile, lang: str) -> str:
    multiplier, band, estimate = profile.unit
    mult = format_number(multiplier, lang, 0)
    if estimate:
        return _t(lang, "offences per year per {multiplier} residents aged {band} (population estimate)").format(
            multiplier=mult, band=band)
    return _t(lang, "offences per year per {multiplier} residents aged {band}").format(multiplier=mult, band=band)


def _footer(profile: RegionProfile, lang: str, synthetic: bool, sources: list[str]) -> str:
    notes = [
        _t(lang, "Rate: {unit}; interval: exact Poisson 95%; EB: empirical Bayes rate, pulled towards the "
                 "national rate where the population is small.").format(unit=_unit(profile, lang)),
        _t(lang, "Counts of 1–4 are printed as <5; × marks a value that could reveal such a count. Charts are "
                 "drawn from counts rounded to 5 (dashed bars: fewer than 5)."),
        _t(lang, "Hot spots: kernel density (quartic, radius 10 km), only where it equals at least 5 offences "
                 "at one place; no incident is shown."),
    ]
    if synthetic:
        notes.append(_t(lang, "SYNTHETIC data generated for demonstration: not real offences."))
    src = _t(lang, "Sources: {sources}").format(sources="; ".join(sources))
    return "<div class='foot'>" + "<br>".join(_e(n) for n in [*notes, src]) + "</div>"


def _header(title: str, subtitle: str, lang: str, period: str, profile: RegionProfile | None) -> str:
    from babel.dates import format_date

    today = format_date(date.today(), "medium", locale={"kk": "kk_KZ", "ru": "ru_RU"}.get(lang, "en_GB"))
    filt = ""
    if profile is not None and profile.filter:
        from juvmap.stats.filters import IncidentFilter

        expr = ", ".join(IncidentFilter.from_dict(profile.filter).to_expressions())
        filt = " · " + _e(_t(lang, "Filter: {filter}").format(filter=expr))
    period_text = _t(lang, "Period: {period}").format(period=period)
    prepared_text = _t(lang, "Prepared: {date}").format(date=today)
    return (f"<h1>{_e(title)}</h1><div class='sub'>{_e(subtitle)} · "
            f"{_e(period_text)}{filt} · {_e(prepared_text)}</div>")


def _page(body: str, lang: str, synthetic: bool) -> str:
    wm = f"<div class='wm'>{_e(_t(lang, 'SYNTHETIC DATA'))}</div>" if synthetic else ""
    return f"<section class='page'>{wm}{body}</section>"


def _document(pages: list[str], lang: str, title: str) -> str:
    return (f"<!DOCTYPE html><html lang='{_e(lang)}'><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<style>{_CSS}</style></head><body>{''.join(pages)}</body></html>")


def _region_page(profile: RegionProfile, result: RuleResult, lang: str, synthetic: bool, period: str,
                 sources: list[str]) -> str:
    cat = profile.distributions["category"]
    charts = ""
    if not profile.suppressed:
        cats = ["property", "person", "public_order_safety", "sexual", "drugs", "road_traffic"]
        sub = cat.loc[cats]
        charts = (
            "<h2>" + _e(_t(lang, "Offence categories · hours · rate by year")) + "</h2><div class='row'>"
            + f"<div class='col' style='flex:1.35'>{bars_svg([_t(lang, CATEGORY_LABELS[c]) for c in cats], sub['count'], sub['share'], lang)}</div>"
            + f"<div class='col'>{hours_svg(profile.distributions['hour']['count'], profile.distributions['hour']['share'], lang)}</div>"
            + f"<div class='col'>{years_svg(profile, lang)}</div></div>"
        )
    legend = "".join(
        f"<span style='display:inline-block;width:3mm;height:2.4mm;background:{c};border:0.1mm solid #888'></span>"
        f"&nbsp;{_e(lab)}&nbsp; " for c, lab in zip(CONTEXT_COLOURS, _context_labels(lang), strict=True))
    body = (
        _header(profile.name(lang), _t(lang, "Juvenile offences: regional recommendation sheet"), lang, period, profile)
        + "<div class='row' style='margin-top:2mm'>"
        + f"<div class='col' style='flex:1.1'>{map_svg(profile)}<div class='sub'>"
        + _e(_t(lang, "Smoothed rate against Kazakhstan:")) + f" {legend}</div></div>"
        + f"<div class='col'>{_table(profile, _LEVEL_ROWS, lang)}<h2>"
        + _e(_t(lang, "Hot spots (kernel density)")) + "</h2>" + _hotspots(profile, lang) + "</div></div>"
        + "<h2>" + _e(_t(lang, "Indicators against Kazakhstan")) + "</h2><div class='row'>"
        + f"<div class='col'>{_table(profile, _OFFENDER_ROWS, lang)}</div>"
        + f"<div class='col'>{_table(profile, _STRUCTURE_ROWS, lang)}</div></div>"
        + charts
        + "<h2>" + _e(_t(lang, "Recommendations")) + "</h2>" + _recommendations(result, profile, lang)
        + _footer(profile, lang, synthetic, sources)
    )
    return _page(body, lang, synthetic)


def _context_labels(lang: str) -> list[str]:
    b = [format_number(x, lang, 2) for x in CONTEXT_BREAKS]
    return [f"<{b[0]}", f"{b[0]}–{b[1]}", f"{b[1]}–{b[2]}", f"{b[2]}–{b[3]}", f"≥{b[3]}"]


def region_sheet_html(profile: RegionProfile, recommendations: RuleResult, lang: str, *, synthetic: bool,
                      period: str, sources: list[str]) -> str:
    """One self-contained A4 portrait HTML page for a region.

    Parameters
    ----------
    profile : RegionProfile
        From :func:`juvmap.recommend.profile.region_profile`.
    recommendations : RuleResult
        From :func:`juvmap.recommend.rules.evaluate` in the same ``lang``.
    lang : {"kk", "ru", "en"}
        Language of every text on the page.
    synthetic : bool
        Print the "synthetic data" watermark and note.
    period : str
        The period as it should be printed, e.g. "2019–2023".
    sources : list of str
        Data sources and dates for the footer.

    Returns
    -------
    str
        HTML with inline CSS and SVG, no script and no remote URL.
    """
    page = _region_page(profile, recommendations, lang, synthetic, period, sources)
    return _document([page], lang, profile.name(lang))


def _summary_page(profiles: dict[str, RegionProfile], results: dict[str, RuleResult], lang: str,
                  synthetic: bool, period: str, sources: list[str]) -> str:
    first = next(iter(profiles.values()))
    rows = []
    for code, p in sorted(profiles.items(), key=lambda kv: kv[1].name(lang)):
        ind = p.indicators
        res = results.get(code)
        ids = ", ".join(r.rule_id for r in res.recommendations) if res and not res.no_triggers else "—"
        rows.append("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in (
            p.name(lang), format_value(ind["count"], lang), format_value(ind["rate"], lang),
            format_value(ind["eb_rate"], lang), format_value(ind["rank"], lang),
            format_value(ind["change_vs_base"], lang), ids)) + "</tr>")
    nat = first.indicators
    rows.append("<tr style='font-weight:bold'>" + "".join(f"<td>{_e(v)}</td>" for v in (
        _t(lang, "Kazakhstan"), format_value(nat["count"], lang, True, first.national_count_hidden),
        format_value(nat["rate"], lang, True), format_value(nat["eb_rate"], lang, True), "",
        format_value(nat["change_vs_base"], lang, True), "")) + "</tr>")
    head = "".join(f"<th>{_e(_t(lang, h))}</th>" for h in (
        "Region", "Offences", "Rate", "Smoothed rate (EB)", "Rank by rate", "Change against the base year",
        "Recommendations"))
    body = (
        _header(_t(lang, "Kazakhstan"), _t(lang, "Juvenile offences: national summary"), lang, period, first)
        + f"<h2>{_e(_t(lang, 'Regions'))}</h2><table><tr>{head}</tr>{''.join(rows)}</table>"
        + _footer(first, lang, synthetic, sources)
    )
    return _page(body, lang, synthetic)


def national_summary_html(profiles: dict[str, RegionProfile], results: dict[str, RuleResult], lang: str, *,
                          synthetic: bool, period: str, sources: list[str]) -> str:
    """One A4 page: every region's count, rates, rank, change and fired rules beside Kazakhstan.

    When some region has 1–4 offences the national count prints as "×" (with the other
    regions' counts it would give the small one away). Arguments as :func:`region_sheet_html`.
    """
    return _document([_summary_page(profiles, results, lang, synthetic, period, sources)], lang,
                     _t(lang, "Kazakhstan"))


def sheets_document_html(profiles: dict[str, RegionProfile], results: dict[str, RuleResult], lang: str, *,
                         synthetic: bool, period: str, sources: list[str]) -> str:
    """The national summary and every region's sheet as one HTML document (one page each)."""
    pages = [_summary_page(profiles, results, lang, synthetic, period, sources)]
    for code, p in sorted(profiles.items(), key=lambda kv: kv[1].name(lang)):
        pages.append(_region_page(p, results[code], lang, synthetic, period, sources))
    return _document(pages, lang, _t(lang, "Kazakhstan"))
