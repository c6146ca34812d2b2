"""Sheet HTML: self-contained, in the chosen language, every recommendation, small counts hidden."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from juvmap.analysis import AnalysisRequest, Sources, analyse
from juvmap.io.builtin import SOURCES
from juvmap.numbers import format_number
from juvmap.recommend.profile import all_profiles
from juvmap.recommend.rules import evaluate, evaluate_all, load_rules
from juvmap.recommend.sheet_context import sheet_context
from juvmap.recommend.sheet_svg import rounded_counts
from juvmap.recommend.sheet_html import (
    HIDDEN,
    format_value,
    national_summary_html,
    region_sheet_html,
    sheets_document_html,
)

SRC = [SOURCES["juvenile_population"], SOURCES["boundaries"]]


@pytest.fixture(scope="module")
def run(profiles):
    """The rule tests and the shared context of the demo run (all 20 regions)."""
    rules = load_rules()
    results = {lang: evaluate_all(profiles, rules, lang)[0] for lang in ("kk", "ru", "en")}
    return results, sheet_context(profiles, rules)


def sheet(profile, lang, synthetic=True, run=None):
    if run is None:
        result, ctx = evaluate(profile, load_rules(), lang), None
    else:
        result, ctx = run[0][lang][profile.code], run[1]
    page = region_sheet_html(profile, result, lang, synthetic=synthetic, period="2019–2023", sources=SRC,
                             context=ctx)
    return page, result


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_sheet_has_name_and_every_recommendation(profiles, run, lang):
    p = profiles["KZ-75"]  # 4 rules fire on the demo (Karaganda, with 3 before the 2022-split relabelling, has 2)
    page, result = sheet(p, lang, run=run)
    assert html.escape(p.names[lang]) in page
    assert len(result.recommendations) >= 3
    for rec in result.recommendations:
        assert html.escape(rec.text) in page
        assert rec.rule_id in page
        assert "FDR q = " in html.unescape(page) and html.escape(", ".join(rec.regional)) in page
        assert rec.watch and html.escape(rec.watch) in page
    assert "http://" not in page and "https://" not in page and "<script" not in page.lower()
    assert "size: A4 portrait" in page and "DejaVu Sans" in page
    assert page.count("class='page'") == 1


def test_kazakh_sheet_is_kazakh(profiles):
    page, _ = sheet(profiles["KZ-63"], "kk")
    assert "Шығыс Қазақстан облысы" in page
    assert re.search("[әғқңөұүһі]", page)
    assert "lang='kk'" in page


def test_demo_marking_only_for_synthetic_data(profiles, run):
    with_band, result = sheet(profiles["KZ-71"], "en", synthetic=True, run=run)
    without, _ = sheet(profiles["KZ-71"], "en", synthetic=False, run=run)
    assert "SYNTHETIC DATA" in with_band and "class='demo'" in with_band and "<h1>DEMO · Astana</h1>" in with_band
    assert with_band.count("class='demotag'") == len(result.recommendations) >= 1
    assert "-webkit-text-stroke" in with_band and "repeating-linear-gradient" in with_band  # survives grey copies
    assert "class='demo'" not in without and "class='demotag'" not in without and "<h1>Astana</h1>" in without


def test_region_without_triggers_is_not_blank_and_claims_no_filter(demo):
    # in 2022-2023 no rule passes its test for Almaty Region (2019-2023: its pre-split rows fire R07)
    profiles = all_profiles(analyse(AnalysisRequest(period=(2022, 2023)).with_outputs("density", "profiles"),
                                    Sources(incidents=demo)))
    rules = load_rules()
    result = evaluate_all(profiles, rules, "en")[0]["KZ-19"]
    page = region_sheet_html(profiles["KZ-19"], result, "en", synthetic=True, period="2022–2023", sources=SRC,
                             context=sheet_context(profiles, rules))
    assert result.no_triggers and result.tested > 5
    assert "No rule passes its test for this region (" in page and "filter" not in page.lower()
    assert "Place among the 20 regions" in page and "Rank " in page and "Regional type" in page
    assert "Smoothed rate (EB)" in page


def test_a_change_across_the_2022_split_is_not_printed(profiles, run):
    page, _ = sheet(profiles["KZ-10"], "en", run=run)
    assert "boundaries changed on 8 June 2022" in page
    assert "+400" not in page


def test_map_has_scale_bar_north_arrow_and_legends_in_the_language(profiles, run):
    ru, _ = sheet(profiles["KZ-75"], "ru", run=run)
    kk, _ = sheet(profiles["KZ-75"], "kk", run=run)
    for page in (ru, kk):
        assert re.search(r">\d+ км<", page) and " km<" not in page and "&nbsp;km" not in page
        assert "<path d=\"M" in page and ">С</text>" in page  # north arrow
        assert "class='sw'" in page and "class=\"legend\"" in page  # EB classes and the density ramp
    assert "0,80–0,95</span>" in ru  # a legend break is never split from its colour
    from juvmap.recommend.sheets import sheet_sources

    assert "Шекаралар: geokz 2024, Александр Родионов" in "; ".join(sheet_sources({}, "kk"))  # translated
    assert "Границы: " in "; ".join(sheet_sources({}, "ru"))


def test_density_colours_share_one_scale_across_the_run(profiles, run):
    from juvmap.recommend.sheet_svg import density_range

    ctx = run[1]
    grid, floor = next(p.density for p in profiles.values() if p.density is not None)
    assert ctx.density == density_range(grid, floor)
    legends = {re.search(r"<svg class=\"legend\".*?</svg>", sheet(profiles[c], "en", run=run)[0]).group(0)
               for c in ("KZ-75", "KZ-59", "KZ-61")}
    assert len(legends) == 1


def test_chart_text_is_at_least_6_pt(profiles, run):
    page, _ = sheet(profiles["KZ-61"], "kk", run=run)
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', page)]
    assert sizes and min(sizes) >= 6
    assert re.search(r'<svg class="chart" width="[\d.]+pt"', page)  # drawn at its size in points


def test_three_cases_print_as_less_than_five_and_nothing_gives_them_away(demo):
    data = pd.concat([demo[demo["region"] != "KZ-62"], demo[demo["region"] == "KZ-62"].head(3)])
    data.attrs.update(demo.attrs)
    profiles = all_profiles(analyse(AnalysisRequest(period=(2019, 2023)).with_outputs("density", "profiles"),
                                    Sources(incidents=data)))
    p = profiles["KZ-62"]
    page, result = sheet(p, "ru")
    assert "&lt;5" in page
    assert result.no_triggers  # no value may be shown, so nothing can trigger
    for key, ind in p.indicators.items():
        if key != "count":
            assert format_value(ind, "ru") in (HIDDEN, "—"), key
    assert "class='chart'" not in page and "<image" not in page
    # the national total is printed, so a second region is hidden with Ulytau: no subtraction gives 3
    other = [code for code, q in profiles.items() if q.suppressed and code != "KZ-62"]
    assert len(other) == 1
    hidden_count = int(data["region"].eq(other[0]).sum())
    summary = national_summary_html(profiles, {c: evaluate(q, load_rules(), "ru") for c, q in profiles.items()},
                                    "ru", synthetic=True, period="2019–2023", sources=SRC)
    assert "&lt;5" in summary
    assert f">{format_number(hidden_count, 'ru', 0)}<" not in summary


def test_charts_round_counts_to_five():
    rounded, small = rounded_counts([0, 1, 4, 5, 7, 8, 12])
    assert list(rounded) == [0, 5, 5, 5, 5, 10, 10]
    assert list(small) == [False, True, True, False, False, False, False]


def test_document_has_one_page_per_region_and_a_summary(profiles, run):
    results, ctx = run[0]["en"], run[1]
    doc = sheets_document_html(profiles, results, "en", synthetic=True, period="2019–2023", sources=SRC, context=ctx)
    assert doc.count("<section class='page'>") == 21
    summary = doc.split("<section class='page'>")[1]
    assert "class=\"nmap\"" in summary and "Key of the rules" in summary
    for rule in ctx.rules:
        assert f">{rule.id}<" in summary or rule.id in summary
    for p in profiles.values():
        assert html.escape(p.names["en"]) in doc
    assert "http://" not in doc and "https://" not in doc
