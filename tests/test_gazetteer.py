"""The region gazetteer resolves what people type to ISO 3166-2 codes (real names, real files)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from juvmap.io.gazetteer import get_gazetteer, normalize_name

CODES = ("KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35",
         "KZ-39", "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71",
         "KZ-75", "KZ-79")


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


@pytest.fixture(scope="module")
def adm1(shared):
    return gpd.read_file(shared / "geodata" / "kaz_adm1_2024.gpkg", ignore_geometry=True)


def test_codes_are_the_20_current_regions(gaz):
    assert gaz.codes == CODES
    assert get_gazetteer() is gaz


@pytest.mark.parametrize("column", ["ADM1_EN", "ADM1_KK", "ADM1_RU", "ADM1_PCODE"])
def test_every_region_name_of_the_2024_layer_resolves(gaz, adm1, column):
    expected = ["KZ-" + p[2:] for p in adm1["ADM1_PCODE"]]
    resolved = gaz.resolve_column(adm1[column], one_per_code=True)
    assert [resolved[v] for v in adm1[column]] == [(e,) for e in expected]


def test_every_name_but_bare_almaty_resolves_alone(gaz, adm1):
    for col in ("ADM1_EN", "ADM1_KK", "ADM1_RU"):
        for value, pcode in zip(adm1[col], adm1["ADM1_PCODE"], strict=True):
            code = "KZ-" + pcode[2:]
            if value in ("Almaty", "Алматы"):  # bare name = the city; the layer means the region
                assert gaz.resolve(value) == ("KZ-75",)
            else:
                assert gaz.resolve(value) == (code,), value


@pytest.mark.parametrize(("text", "codes"), [
    ("ЮКО", ("KZ-61", "KZ-79")),
    ("Южно-Казахстанская область", ("KZ-61", "KZ-79")),
    ("Оңтүстік Қазақстан облысы", ("KZ-61", "KZ-79")),
    ("South Kazakhstan", ("KZ-61", "KZ-79")),
    ("KZ-YUZ", ("KZ-61", "KZ-79")),
    ("г. Алматы", ("KZ-75",)),
    ("город Алматы", ("KZ-75",)),
    ("Алматы қаласы", ("KZ-75",)),
    ("Алматинская обл.", ("KZ-19",)),
    ("Алматы облысы", ("KZ-19",)),
    ("Almaty Region", ("KZ-19",)),
    ("Nur-Sultan", ("KZ-71",)),
    ("Нур-Султан", ("KZ-71",)),
    ("город Астана", ("KZ-71",)),
    ("Aqmola", ("KZ-11",)),
    ("  ВКО ", ("KZ-63",)),
    ("EKO", ("KZ-63",)),
    ("СКО", ("KZ-59",)),
    ("ЗКО", ("KZ-27",)),
    ("WKO", ("KZ-27",)),
    ("Шығыс Қазақстан облысы", ("KZ-63",)),
    ("шыгыс казахстан обл", ("KZ-63",)),
    ("Солтүстiк Қазақстан", ("KZ-59",)),  # Latin i inside a Cyrillic word
    ("«Жетісу облысы»", ("KZ-33",)),
    ("Zhetysu", ("KZ-33",)),
    ("Qaraghandy oblysy", ("KZ-35",)),
    ("Atyraū", ("KZ-23",)),
    ("Akmolinskaya oblast", ("KZ-11",)),
    ("Чимкент", ("KZ-79",)),
    ("Turkestan", ("KZ-61",)),
    ("KZ-10", ("KZ-10",)),
    ("KZ10", ("KZ-10",)),
    ("KAZ005", ("KZ-19",)),
    ("ALR", ("KZ-19",)),
    ("KZ-VOS", ("KZ-63",)),
    ("190000000", ("KZ-19",)),
    ("351600000", ("KZ-35",)),  # a city administration of Karaganda Region
    (190000000.0, ("KZ-19",)),
    ("19", ("KZ-19",)),
    ("unknown place", ()),
    ("Kazakhstan", ()),
    ("город", ()),
    ("", ()),
    (None, ()),
    (float("nan"), ()),
])
def test_typed_variants(gaz, text, codes):
    assert gaz.resolve(text) == codes


@pytest.mark.parametrize(("text", "old"), [
    ("ЮКО", True), ("Nur-Sultan", True), ("KZ-YUZ", True), ("KZ-AST", True),
    ("Целиноград", True), ("Astana", False), ("Туркестанская область", False),
    ("Aqmola", False), ("KZ-61", False), ("unknown", False),
])
def test_is_historical(gaz, text, old):
    assert gaz.is_historical(text) is old


def test_names_centres_and_kato(gaz):
    assert gaz.name("KZ-63", "kk") == "Шығыс Қазақстан облысы"
    assert gaz.name("KZ-63", "ru") == "Восточно-Казахстанская область"
    assert gaz.name("KZ-75", "en") == "Almaty City"
    assert gaz.centre("KZ-19", "ru") == "Конаев"
    assert gaz.centre("KZ-63", "en") == "Oskemen"
    assert gaz.kato("KZ-10") == "100000000"
    for code in gaz.codes:  # the numeric ISO code is the KATO prefix
        assert gaz.kato(code)[:2] == code[3:]
        for lang in ("kk", "ru", "en"):
            assert gaz.resolve(gaz.name(code, lang)) == (code,)


def test_normalize_name():
    assert normalize_name(" «Шығыс  Қазақстан» облысы ") == "шыгыс казакстан"
    assert normalize_name("г. Алматы") == "алматы"
    assert normalize_name("Ёлка") == "елка"
    assert normalize_name("Almaty Region") == "almaty"


def test_district_kato_and_parent_names_resolve_to_the_parent(gaz, shared):
    adm2 = gpd.read_file(shared / "geodata" / "kaz_adm2_2024.gpkg", ignore_geometry=True)
    parent = ["KZ-" + p[2:] for p in adm2["ADM1_PCODE"]]
    for col in ("KATO", "ADM1_RU", "ADM1_PCODE"):
        resolved = gaz.resolve_column(adm2[col])
        assert [resolved[v] for v in adm2[col]] == [(c,) for c in parent], col


def test_crosswalk_covers_the_splits(gaz):
    from juvmap.paths import data_path

    cw = pd.read_csv(data_path("reform_crosswalk.csv"), dtype=str)
    parts = cw.groupby("old_iso")["current_iso"].apply(lambda s: tuple(sorted(s))).to_dict()
    assert parts["KZ-YUZ"] == ("KZ-61", "KZ-79") == gaz.resolve("KZ-YUZ")
    assert parts["KZ-VOS"] == ("KZ-10", "KZ-63")
    assert parts["KZ-ALM"] == ("KZ-19", "KZ-33")
    assert parts["KZ-KAR"] == ("KZ-35", "KZ-62")
    shares = cw[cw["population_share"] != "1"].groupby("old_iso")["population_share"]
    assert shares.apply(lambda s: s.astype(float).sum()).round(3).eq(1).all()
