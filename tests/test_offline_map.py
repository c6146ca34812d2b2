"""The start-up map is built from local files only and shows real data."""

from __future__ import annotations

import re

import pytest

from juvmap.i18n import LANGUAGES, get_language, set_language
from juvmap.mapping.build import ASSET_FOLDER, write_map
from juvmap.mapping.official_map import official_2022_map, official_2022_result


@pytest.fixture(params=LANGUAGES)
def lang(request):
    before = get_language()
    set_language(request.param)
    yield request.param
    set_language(before)


def test_official_result_matches_form_1m():
    result = official_2022_result()
    table = result.areas.set_index("code")
    assert len(table) == 20 and result.national["count"] == 1569
    assert result.period.label() == "2022" and result.flags["estimate"] and not result.synthetic
    # Ulytau (from June 2022) had 1–4: hidden, with the smallest other region against the total
    hidden = set(table.index[table["suppressed"]])
    assert hidden == {"KZ-62", "KZ-33"}
    assert table.loc[~table["suppressed"], "rate"].notna().all()
    from juvmap.io.builtin import official_2022

    official = official_2022()["juveniles"]
    shown = table.index[~table["suppressed"]]
    assert (table.loc[shown, "count"] == official.loc[shown]).all()
    assert {"KZ-10", "KZ-33", "KZ-62", "KZ-19", "KZ-35", "KZ-63"} == set(result.flags["partial"])


def test_map_html_has_no_remote_url_and_its_assets_exist(tmp_path, lang):
    path = write_map(official_2022_map(), tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith(ASSET_FOLDER + "/"), src
        assert (tmp_path / src).is_file(), src
    assert html.count('"code"') >= 20  # every region is in the GeoJSON
    assert "juvmapReady" in html


def test_map_text_is_in_the_ui_language(tmp_path, lang):
    from juvmap.io.gazetteer import get_gazetteer

    html = write_map(official_2022_map(), tmp_path / "map.html").read_text(encoding="utf-8")
    name = get_gazetteer().name("KZ-63", lang)
    assert name.encode("unicode_escape").decode() in html or name in html
    legend_word = {"en": "estimate", "ru": "оценка", "kk": "бағалау"}[lang]
    assert legend_word in html or legend_word.encode("unicode_escape").decode() in html


def test_the_start_map_is_written_once_per_version(tmp_path, monkeypatch):
    import juvmap
    from juvmap.mapping import start_map

    path = start_map.start_map_path(tmp_path, "kk")
    assert not path.exists() and path == start_map.start_map_path(tmp_path, "kk")
    assert start_map.start_map_path(tmp_path, "ru") != path
    start_map.write_start_map(path, "kk")
    html = path.read_text(encoding="utf-8")
    assert "juvmapReady" in html and "бағалау" in html  # the Kazakh legend's "estimate"
    assert list(path.parent.glob("*.tmp.*")) == []
    monkeypatch.setattr(juvmap, "__version__", "99.0")  # another version: another file
    newer = start_map.start_map_path(tmp_path, "kk")
    assert newer != path
    start_map.write_start_map(newer, "kk")
    assert newer.is_file() and not path.exists()  # the stale one is gone
