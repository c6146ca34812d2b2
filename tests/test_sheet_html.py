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
from juvmap.recommend.rules import evaluate, load_rules
from juvmap.recommend.sheet_svg import rounded_counts
from juvmap.recommend.sheet_html import (
    HIDDEN,
    format_value,
    national_summary_html,
    region_sheet_html,
    sheets_document_html,
)

SRC = [SOURCES["juvenile_population"], SOURCES["boundaries"]]


def sheet(profile, lang, synthetic=True):
    result = evaluate(profile, load_rules(), lang)
    return region_sheet_html(profile, result, lang, synthetic=synthetic, period="2019–2023", sources=SRC), result


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_sheet_has_name_and_every_recommendation(profiles, lang):
    p = profiles["KZ-35"]
    page, result = sheet(p, lang)
    assert html.escape(p.names[lang]) in page
    assert len(result.recommendations) >= 3
    for rec in result.recommendations:
        assert html.escape(rec.text) in page
        assert rec.rule_id in page
    assert "http://" not in page and "https://" not in page and "<script" not in page.lower()
    assert "size: A4 portrait" in page and "DejaVu Sans" in page
    assert page.count("class='page'") == 1


def test_kazakh_sheet_is_kazakh(profiles):
    page, _ = sheet(profiles["KZ-63"], "kk")
    assert "Шығыс Қазақстан облысы" in page
    assert re.search("[әғқңөұүһі]", page)
    assert "lang='kk'" in page


def test_watermark_only_for_synthetic_data(profiles):
    with_wm, _ = sheet(profiles["KZ-71"], "en", synthetic=True)
    without, _ = sheet(profiles["KZ-71"], "en", synthetic=False)
    assert "SYNTHETIC DATA" in with_wm and "class='wm'" in with_wm
    assert "class='wm'" not in without


def test_region_without_triggers_says_so(profiles):
    page, result = sheet(profiles["KZ-19"], "en")
    assert result.no_triggers
    assert "No rule is triggered for this region" in page


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


def test_document_has_one_page_per_region_and_a_summary(profiles):
    results = {c: evaluate(p, load_rules(), "en") for c, p in profiles.items()}
    doc = sheets_document_html(profiles, results, "en", synthetic=True, period="2019–2023", sources=SRC)
    assert doc.count("<section class='page'>") == 21
    for p in profiles.values():
        assert html.escape(p.names["en"]) in doc
    assert "http://" not in doc and "https://" not in doc
