"""Recommendation sheets on the official Form 1-M 2022 figures: every region, kk/ru/en.

The sheet's count of juveniles, rate per 10,000 aged 0–17 and shares must equal the Form 1-M
layer and :func:`juvmap.stats.official.official_indicators` (hidden the same way); no DEMO,
no incident block; the 2022-split caveats are printed; the rules differentiate the regions.
"""

from __future__ import annotations

import html

import pytest

from juvmap.i18n import translate_in
from juvmap.numbers import format_count, format_number

LANGS = ("kk", "ru", "en")


@pytest.fixture(scope="module")
def official():
    from juvmap.analysis import Sources, analyse
    from juvmap.io import builtin
    from juvmap.recommend.official_sheets import official_sheet_request
    from juvmap.stats.official import official_indicators

    result = analyse(official_sheet_request((2022, 2022)), Sources())
    layer = builtin.official_2022()
    population = builtin.juvenile_population()["population"]
    indicators = official_indicators(builtin.official_by_region(), population)
    return result, layer, population, indicators


@pytest.fixture(scope="module")
def sheet_sets(official):
    from juvmap.recommend.official_sheets import build_official_sheets

    return {lang: build_official_sheets(official[0], lang) for lang in LANGS}


def _pct(value: float, lang: str) -> str:
    text = format_number(value, lang, 1)
    return f"{text}%" if lang == "en" else f"{text}\u00a0%"


def _cell(lang: str, label: str, value: str) -> str:
    return f"<tr><td>{html.escape(translate_in(lang, label))}</td><td>{html.escape(value)}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_sheet_prints_the_form_1m_figures(official, sheet_sets, lang):
    from juvmap.recommend.official_profile import OFFICIAL_LABELS, OFFICIAL_SHARES, official_label

    result, layer, population, indicators = official
    sheets = sheet_sets[lang]
    areas = result.areas.set_index("code")
    assert sorted(sheets.pages) == sorted(layer.index)
    checked = 0
    for code, page in sheets.pages.items():
        n = int(layer.loc[code, "juveniles"])
        hidden = bool(areas.loc[code, "suppressed"])
        count = ("<5" if 0 < n < 5 else "×") if hidden else format_count(n, lang)
        assert _cell(lang, OFFICIAL_LABELS["count"], count) in page, (code, lang)
        rate = "×" if hidden else format_number(n / population[code] * 10_000, lang, 2)
        assert _cell(lang, OFFICIAL_LABELS["rate"], rate) in page, (code, lang)
        rows = indicators[(indicators["code"] == code) & (indicators["period"] == "2022")].set_index("indicator")
        for key, source in OFFICIAL_SHARES.items():
            row = rows.loc[source]
            if hidden or row["status"].startswith("suppressed"):
                shown = "×"
            elif row["status"] != "ok":
                shown = "—"
            else:
                shown = _pct(row["value"], lang)
                checked += 1
            label = official_label(key)
            assert _cell(lang, label, shown) in page, (code, lang, key, shown)
    assert checked > 90  # most shares of most regions are shown


def test_small_counts_stay_hidden_and_ulytau_prints_less_than_five(sheet_sets):
    for lang in LANGS:
        ulytau = sheet_sets[lang].pages["KZ-62"]
        assert "&lt;5" in ulytau
        # Jetisu is hidden with Ulytau: the national total would give Ulytau's count back
        assert _cell(lang, "Juveniles brought to criminal liability", "×") in sheet_sets[lang].pages["KZ-33"]


def test_official_sheets_never_say_demo_nor_show_incident_blocks(sheet_sets):
    for lang, sheets in sheet_sets.items():
        assert not sheets.synthetic
        demo = html.escape(translate_in(lang, "DEMO"))
        for page in [*sheets.pages.values(), sheets.summary]:
            body = page.split("<body>", 1)[1]
            assert "class='demo'" not in body and "class='demotag'" not in body and demo not in body
            for msg in ("Hot spot (number as in the table)", "Offences per km² per period",
                        "Hours · rate by year · hot spots (kernel density)"):
                assert html.escape(translate_in(lang, msg)) not in page


def test_partial_year_caveats_reach_the_sheets(sheet_sets):
    from juvmap.recommend.official_profile import CAVEAT_TEXTS

    new, parents = ("KZ-10", "KZ-33", "KZ-62"), ("KZ-19", "KZ-35", "KZ-63")
    for lang, sheets in sheet_sets.items():
        for code in (*new, *parents):
            kind = "new_region_partial_year" if code in new else "parent_of_2022_split"
            text = translate_in(lang, CAVEAT_TEXTS[kind]).format(region=sheets.names[code])
            assert html.escape(text) in sheets.pages[code], (lang, code)
        assert html.escape(translate_in(lang, CAVEAT_TEXTS["new_region_partial_year"]).format(
            region=sheets.names["KZ-75"])) not in sheets.pages["KZ-75"]


def test_rules_run_on_persons_and_differentiate_the_regions(sheet_sets):
    tests = sheet_sets["en"].tests
    tested = tests[tests["status"] == "tested"]
    assert set(tested["unit"]) == {"persons"}
    fired = tests[tests["fires"]]
    sets = fired.groupby("region")["rule"].apply(frozenset).reindex(sheet_sets["en"].names, fill_value=frozenset())
    assert sets.nunique() >= 5
    # Almaty City: 120 of 139 juveniles for property offences against 71 % nationally
    assert "R03" in sets["KZ-75"]
    # East Kazakhstan: a quarter offended before (27 of 110)
    assert "R05" in sets["KZ-63"]
    # its 2022 rate (the highest) mixes Abai's January–May with today's population: not tested
    split = tests[tests["region"].isin(["KZ-10", "KZ-19", "KZ-33", "KZ-35", "KZ-62", "KZ-63"])
                  & (tests["rule"] == "R20")]
    assert set(split["status"]) <= {"boundary_change", "suppressed", "missing"}
    assert (split["status"] == "boundary_change").sum() >= 4
    assert "R20" in sets["KZ-27"]  # West Kazakhstan: 3.96 against 2.33 per 10,000
    assert (fired["q"] <= 0.05).all()
    # no change across the 2022 split, and none at all with a single period
    assert not tests[(tests["rule"] == "R26") & (tests["status"] == "tested")].shape[0]


def test_juvmap_sheets_defaults_to_the_official_figures(tmp_path, capsys, english):
    from juvmap.cli import main

    assert main(["sheets", "--out", str(tmp_path), "--html-only", "--lang", "ru", "--region", "KZ-75"]) == 0
    page = (tmp_path / next(p for p in capsys.readouterr().out.split() if "KZ-75" in p)).read_text(encoding="utf-8")
    assert "форма 1-М" in page and translate_in("ru", "DEMO") not in page.split("<body>", 1)[1]
    assert _cell("ru", "Juveniles brought to criminal liability", "139") in page
    assert main(["sheets", "--out", str(tmp_path), "--data", str(tmp_path / "x.csv")]) != 0
    assert "--source incidents" in capsys.readouterr().err
