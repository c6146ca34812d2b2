"""Basemap context: neighbouring countries and water, area labels and place names in the map's language."""

from __future__ import annotations

import json
import re

import pytest

from juvmap.i18n import using_language
from juvmap.io.boundaries import load_districts, load_regions
from juvmap.mapping.basemap import borders_layer, settlements_layer
from juvmap.mapping.map_context import area_labels, label_text


def _texts(rows):
    return {re.sub("<br>", " ", r[2]) for r in rows}


@pytest.mark.parametrize(("lang", "expected", "absent"), [
    ("ru", {"Восточно-Казахстанская область", "Абайская область"}, "Шығыс Қазақстан облысы"),
    ("kk", {"Шығыс Қазақстан облысы", "Абай облысы"}, "Восточно-Казахстанская область"),
])
def test_region_labels_and_neighbours_in_the_map_language(lang, expected, absent):
    with using_language(lang):
        layer = borders_layer(load_regions("display"))
    regions = [r for r in layer.labels if r[3] == 0]
    assert len(regions) == 20 and expected <= _texts(regions) and absent not in _texts(regions)
    neighbours = _texts(r for r in layer.labels if r[3] == 2)
    assert ("Китай" if lang == "ru" else "Қытай") in neighbours
    assert ("Узбекистан" if lang == "ru" else "Өзбекстан") in neighbours
    assert [r[4] for r in regions] == [0] * 20  # from the national zoom; overlap hides them
    kinds = set(layer.context["code"])
    assert {"land", "water", "country", "landmass"} <= kinds


def test_district_labels_show_from_zoom_7_and_sit_inside_their_district():
    import shapely

    districts = load_districts("display", region="KZ-75")
    rows = area_labels(districts, "kk", 1)
    assert len(rows) == 8 and {r[4] for r in rows} == {7}
    assert "Медеу" in _texts(rows)
    for row in rows:
        assert districts.geometry.contains(shapely.Point(row[1], row[0])).sum() == 1
    with using_language("ru"):
        layer = borders_layer(districts)
    assert "Медеуский" in _texts(r for r in layer.labels if r[3] == 1)


def test_long_names_break_before_their_last_word_and_are_escaped():
    assert label_text("Восточно-Казахстанская область") == "Восточно-Казахстанская<br>область"
    assert label_text("Абай") == "Абай"
    assert label_text("<b>Bad & long name</b>") == "&lt;b&gt;Bad &amp; long<br>name&lt;/b&gt;"


@pytest.mark.parametrize(("lang", "oskemen"), [("ru", "Усть-Каменогорск"), ("kk", "Өскемен")])
def test_settlement_labels_in_the_map_language(lang, oskemen):
    rows = settlements_layer(lang=lang).rows
    names = {r[2] for r in rows}
    assert oskemen in names
    if lang == "ru":
        assert {"Костанай", "Жезказган"} <= names
        assert not any(re.search("[әғқңөұүһі]", n, re.IGNORECASE) for n in names)


def test_the_map_page_draws_context_and_labels(tmp_path):
    from juvmap.mapping.build import build_map, write_map

    with using_language("ru"):
        layers = [borders_layer(load_regions("display")), settlements_layer()]
        path = write_map(build_map(layers, title="t"), tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    assert "jm-area-label" in html and "declutter" in html
    assert "Восточно-Казахстанская<br>область" in html and "Усть-Каменогорск" in html
    assert json.dumps("water") in html and "Өскемен" not in html
