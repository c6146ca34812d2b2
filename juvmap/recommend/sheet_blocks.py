"""HTML blocks of the recommendation sheets: values, tables, recommendations, context, footer.

Counts of 1–4 print as "<5"; a value that could reveal one prints as "×".
"""

from __future__ import annotations

import csv
import html
import math
from datetime import date
from functools import lru_cache

from juvmap.i18n import N_, translate_in
from juvmap.numbers import SUPPRESS_BELOW, format_count, format_number
from juvmap.paths import data_path
from juvmap.recommend.profile import INDICATOR_LABELS, Indicator, RegionProfile
from juvmap.recommend.rule_tests import FDR_ALPHA, boundary_changed
from juvmap.recommend.rules import Recommendation, RuleResult

__all__ = ["HIDDEN", "evidence_line", "format_p", "format_value", "header", "indicator_table",
           "place_name", "recommendations_html", "split_change"]

HIDDEN = "×"


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


def split_change(profile: RegionProfile) -> bool:
    """Whether the region's change against the base year crosses the 8 June 2022 boundary change."""
    return boundary_changed(profile.code, profile.base_year, profile.period[1])


def format_value(ind: Indicator, lang: str, national: bool = False, hide_count: bool = False,
                 profile: RegionProfile | None = None) -> str:
    """Print an indicator's regional (or national) value with the suppression rules.

    With ``profile``, a change across the 2022 boundary change prints as "—".
    """
    if ind.key == "change_vs_base" and not national and profile is not None and split_change(profile):
        return "—"
    value = ind.national if national else ind.value
    if ind.kind == "count":
        if national and hide_count:
            return HIDDEN
        if ind.suppressed and not national:  # "<5" for a count of 1–4; × for one hidden with it
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


def format_p(p: float, lang: str) -> str:
    """A p- or q-value: two significant digits, "< 0.001" below that."""
    if not math.isfinite(p):
        return "—"
    if p < 0.001:
        return "<\u00a0" + format_number(0.001, lang, 3)
    decimals = max(2, 1 - int(math.floor(math.log10(p))))
    return format_number(p, lang, min(decimals, 3))


#: messages used inside f-strings below (invisible to the extractor on Python 3.11)
_IN_FSTRINGS = (
    N_("No rule passes its test for this region ({tested} tests, FDR q ≤ {alpha})."),
    N_("No rule passes its test for this region under the current filter ({tested} tests, FDR q ≤ {alpha})."),
    N_("No hot spot with the density of at least 5 offences."),
    N_("Nearest settlement"), N_("Distance"), N_("Offences per km² per period"),
    N_("Regions"), N_("Region"), N_("Kazakhstan"), N_("DEMO"), N_("SYNTHETIC DATA — NOT REAL OFFENCES"),
)


def label(lang: str, ind: Indicator, profile: RegionProfile) -> str:
    """The printed label of an indicator (the change names its years)."""
    if ind.key == "change_vs_base":
        return _t(lang, "Change {last} against {base}").format(last=profile.period[1], base=profile.base_year)
    return _t(lang, INDICATOR_LABELS.get(ind.key, ind.key))


def indicator_table(profile: RegionProfile, rows, lang: str) -> str:
    """A table of indicators (region beside Kazakhstan); tuples in ``rows`` are group headings."""
    head = f'<tr><th></th><th>{_e(_t(lang, "Region"))}</th><th>{_e(_t(lang, "Kazakhstan"))}</th></tr>'
    out = [f"<table class='compact'>{head}"]
    for row in rows:
        if isinstance(row, tuple):
            out.append(f'<tr class="grp"><td colspan="3">{_e(_t(lang, row[1]))}</td></tr>')
            continue
        ind = profile.indicators[row]
        value = format_value(ind, lang, profile=profile)
        if ind.key == "rate" and not ind.suppressed and ind.ci and all(map(math.isfinite, ind.ci)):
            ci = f"{format_number(ind.ci[0], lang, 2)}–{format_number(ind.ci[1], lang, 2)}"
            value = f"{_e(value)} <span class='sub nw'>({ci})</span>"
        else:
            value = _e(value)
        nat = format_value(ind, lang, national=True, hide_count=profile.national_count_hidden)
        out.append(f"<tr><td>{_e(label(lang, ind, profile))}</td><td>{value}</td><td>{_e(nat)}</td></tr>")
    out.append("</table>")
    if "change_vs_base" in rows and split_change(profile):
        note = _t(lang, "No change against {base}: the region's boundaries changed on 8 June 2022, so its {base} "
                        "figures cover part of the year or another territory.").format(base=profile.base_year)
        out.append(f"<div class='sub'>{_e(note)}</div>")
    return "".join(out)


def evidence_line(rec: Recommendation, profile: RegionProfile, lang: str) -> str:
    """The trigger in one line: values, counts, test, p and FDR q."""
    ind = rec.indicator
    args = {"indicator": label(lang, ind, profile), "value": format_value(ind, lang),
            "national": format_value(ind, lang, national=True), "p": format_p(rec.p, lang),
            "q": format_p(rec.q, lang), "count": format_count(ind.count or 0, lang),
            "total": format_count(ind.total or 0, lang)}
    if rec.test == "binomial":
        msg = _t(lang, "{indicator}: {value} against {national} nationally ({count} of {total}); "
                       "binomial p = {p}, FDR q = {q}")
    elif rec.test == "poisson":
        msg = _t(lang, "{indicator}: {value} against {national} nationally ({count} cases); "
                       "Poisson p = {p}, FDR q = {q}")
    else:
        args.update(base=profile.base_year, last=profile.period[1])
        msg = _t(lang, "{indicator}: {value} against {national} nationally ({count} in {last}, {total} in "
                       "{base}); exact p = {p}, FDR q = {q}")
    return msg.format(**args)


def _recommendation(rec: Recommendation, profile: RegionProfile, lang: str, synthetic: bool) -> str:
    demo = f"<span class='demotag'>{_e(_t(lang, 'DEMO'))}</span> " if synthetic else ""
    who = _t(lang, "In the region: {executors}. Nationally: {bodies}.").format(
        executors=", ".join(rec.regional), bodies=", ".join(rec.responsible))
    if rec.plan:
        plan = _t(lang, "Action plan item {item}, deadline: {deadline}.").format(item=rec.plan, deadline=rec.deadline)
    else:
        plan = _t(lang, "No action plan item: a measure of the Concept's text.")
    watch = _t(lang, "Watch: {indicator}.").format(indicator=rec.watch)
    return (f"<li>{demo}<b>{_e(rec.text)}</b> <span class='rid'>[{_e(rec.rule_id)}]</span><br>"
            f"<span class='why'>{_e(evidence_line(rec, profile, lang))}.</span><br>"
            f"<span class='who'>{_e(who)} {_e(plan)} {_e(watch)}</span></li>")


def recommendations_html(result: RuleResult, profile: RegionProfile, lang: str, synthetic: bool) -> str:
    """The ranked recommendations, or what was tested when none fired (never blank)."""
    if result.no_triggers:
        msg = ("No rule passes its test for this region under the current filter ({tested} tests, FDR q ≤ {alpha})."
               if profile.filter else "No rule passes its test for this region ({tested} tests, FDR q ≤ {alpha}).")
        text = _t(lang, msg).format(tested=result.tested, alpha=format_number(FDR_ALPHA, lang, 2))
        return f"<p>{_e(text)}</p>"
    items = "".join(_recommendation(rec, profile, lang, synthetic) for rec in result.recommendations)
    more = ""
    if result.fired > len(result.recommendations):
        more = "<p class='sub'>" + _e(_t(lang, "{shown} of {fired} triggered recommendations shown; also: {others}.").format(
            shown=len(result.recommendations), fired=result.fired, others=", ".join(result.others))) + "</p>"
    return f"<ol>{items}</ol>{more}"


@lru_cache(maxsize=1)
def _centres_ru() -> dict[str, str]:
    """Kazakh → Russian names of the regional centres (``data/regions.csv``)."""
    with open(data_path("regions.csv"), encoding="utf-8") as fh:
        return {r["centre_kk"]: r["centre_ru"] for r in csv.DictReader(fh) if r["centre_kk"] and r["centre_ru"]}


def place_name(names: dict, lang: str) -> str:
    """A settlement's name in ``lang``; in Russian a regional centre gets its Russian name."""
    if names.get(lang):
        return names[lang]
    kk = names.get("kk", "")
    if lang == "ru" and kk in _centres_ru():
        return _centres_ru()[kk]
    order = {"ru": ("kk", "en"), "kk": ("ru", "en"), "en": ("ru", "kk")}.get(lang, ("en",))
    return next((names[k] for k in order if names.get(k)), "")


def hotspots_html(profile: RegionProfile, lang: str) -> str:
    """The hot-spot table (nearest settlement, distance, density)."""
    if not profile.hotspots:
        return f"<p class='sub'>{_e(_t(lang, 'No hot spot with the density of at least 5 offences.'))}</p>"
    rows = [f"<tr><td>{i}. {_e(place_name(s.names, lang))}</td>"
            f"<td>{_e(_t(lang, '{distance} km').format(distance=format_number(s.distance_km, lang, 1)))}</td>"
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


def footer(profile: RegionProfile, lang: str, synthetic: bool, sources: list[str]) -> str:
    """Method notes, the DEMO note and the sources."""
    notes = [
        _t(lang, "Rate: {unit}; interval: exact Poisson 95%; EB: empirical Bayes rate, pulled towards the "
                 "national rate where the population is small.").format(unit=_unit(profile, lang)),
        _t(lang, "A rule fires when its one-sided exact test against Kazakhstan passes the Benjamini–Hochberg "
                 "false-discovery control over all regions and rules of this run (q ≤ 0.05) and its effect "
                 "reaches the rule's threshold, with at least 20 cases behind it."),
        _t(lang, "Counts of 1–4 are printed as <5; × marks a value that could reveal such a count. Charts are "
                 "drawn from counts rounded to 5 (dashed bars: fewer than 5)."),
        _t(lang, "Hot spots: kernel density (quartic, radius 10 km), only where it equals at least 5 offences "
                 "at one place; no incident is shown."),
    ]
    if synthetic:
        notes.append(_t(lang, "SYNTHETIC data generated for demonstration: not real offences."))
    src = _t(lang, "Sources: {sources}").format(sources="; ".join(sources))
    return "<div class='foot'>" + "<br>".join(_e(n) for n in [*notes, src]) + "</div>"


def header(title: str, subtitle: str, lang: str, period: str, profile: RegionProfile | None,
           synthetic: bool) -> str:
    """The DEMO band (synthetic data), the title and the line of period, filter and date."""
    from babel.dates import format_date

    today = format_date(date.today(), "medium", locale={"kk": "kk_KZ", "ru": "ru_RU"}.get(lang, "en_GB"))
    filt = ""
    if profile is not None and profile.filter:
        from juvmap.stats.filters import IncidentFilter

        expr = ", ".join(IncidentFilter.from_dict(profile.filter).to_expressions())
        filt = " · " + _e(_t(lang, "Filter: {filter}").format(filter=expr))
    period_text = _t(lang, "Period: {period}").format(period=period)
    prepared_text = _t(lang, "Prepared: {date}").format(date=today)
    band = ""
    if synthetic:
        band = (f"<div class='demo'>{_e(_t(lang, 'DEMO'))} · "
                f"{_e(_t(lang, 'SYNTHETIC DATA — NOT REAL OFFENCES'))}</div>")
        title = f"{_t(lang, 'DEMO')} · {title}"
    return (f"{band}<h1>{_e(title)}</h1><div class='sub'>{_e(subtitle)} · "
            f"{_e(period_text)}{filt} · {_e(prepared_text)}</div>")
