#!/usr/bin/env python
"""Generate the SYNTHETIC juvenile-offence demo layer ``data/demo_incidents.csv``.

Nothing in the output is a real incident. The generator is seeded and deterministic
(running it twice gives byte-identical files). It reproduces published aggregates:

* 2022 offences per region = Form 1-M ``offences_by_minors`` (1,723 nationally);
* 2019-2021 national totals on the trend 2.9k (2018) -> 1.7k (2022) (Concept 2024-2028),
  2023 from the Jan-Jul 2023 national figure and four regional growth figures;
* article mix per region from Form 1-M (juveniles per article), gravity 56/32/10/2,
  72 % pupils, 1 in 8 repeat offenders, 7 % girls, afternoon peak 14:00-19:00;
* each region gets a documented profile deviation (``REGION_PROFILES``).

Points lie near settlements (weighted by population) and inside their region of the built-in
2024 boundaries ``data/boundaries.gpkg`` (geokz 2024, CC BY 4.0), so that
``juvmap.io.boundaries.assign_regions`` puts each point in a district of that region.

The 2022 split. Abai (KZ-10), Jetisu (KZ-33) and Ulytau (KZ-62) exist from 8 June 2022
(``data/reform_crosswalk.csv``). Points are drawn on today's territories, but an incident dated
before 8 June 2022 that lies in one of them carries the parent's code — East Kazakhstan (KZ-63),
Almaty Region (KZ-19), Karaganda (KZ-35) — as a real record of that time would. So the new
regions have no rows before 2022-06-08 and their parents hold the whole old territory before it.
2022 totals per code stay equal to Form 1-M: the new region's Form 1-M count (June-December) is
dated 8 June-31 December in its territory; of the parent's count, an estimated part lies in the
new region's territory before 8 June (the old region's 2022 total times the new region's
population share in the crosswalk times the share of the year before 8 June by the month
weights), the rest in the parent's own territory over the whole year. 2019-2021 counts per
territory are as before (the pooled pair re-split by population) and are labelled with the
parent's code; 2023 is entirely after the split. ``region_totals`` in the metadata are per
code as labelled, ``territory_totals`` per today's territory.

Usage: ``.venv/bin/python data/make_demo.py [--out DIR] [--seed N]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent.parent  # the repository (this file is juvmap/data/)
DATA = ROOT / "juvmap" / "data"
SEED = 20221723
YEARS = (2019, 2020, 2021, 2022, 2023)
CSV_NAME = "demo_incidents.csv"
META_NAME = "demo_incidents.meta.json"
COLUMNS = ("id", "date", "time", "region", "lat", "lon", "category", "article", "gravity", "age",
           "sex", "pupil", "repeat", "group", "intoxicated", "place", "settlement")
GRAVITIES = ("minor", "medium", "grave", "especially_grave")
GRAVITY_TARGET = np.array([0.10, 0.56, 0.32, 0.02])  # digest J2 (004:L609-611)
PLACES = ("street", "yard", "school", "shop", "home", "transport", "entertainment", "other")
FLAG_TARGETS = {  # national shares; the first three and "girls" are sourced, the rest assumptions
    "pupil": 0.72,        # J6, 004:L623-626
    "repeat": 0.125,      # J5, 1 in 8 (004:L621-622)
    "girls": 0.07,        # UNICEF/PGO 2017: girls 7.0 % of juvenile offenders (facts.md 4.3)
    "group": 0.30,        # assumption (no published national figure found)
    "intoxicated": 0.08,  # assumption (no published national figure for minors found)
}
J1_2018, J1_2022 = 2900, 1700  # digest J1 (004:L133-136)
JANJUL_2023, PERSONS_2022 = 944, 1569  # facts.md 4.3
GROWTH_2023 = {"KZ-75": 1.581, "KZ-71": 1.333, "KZ-61": 1.096, "KZ-27": 1.32}  # facts.md 4.2
SPLITS = {"KZ-10": "KZ-63", "KZ-33": "KZ-19", "KZ-62": "KZ-35"}  # new region -> parent (June 2022)
SPLIT_DATE = dt.date(2022, 6, 8)  # the three new regions exist from this day (reform_crosswalk.csv)
SHRINK_K = 10.0  # pseudo-count pulling small regions' article/age mix towards the national mix

sys.path.insert(0, str(Path(__file__).resolve().parent))  # demo_profiles.py beside this script
from demo_profiles import (  # noqa: E402
    REGIONS,
    R1,
    REGION_PROFILES,
    HOURS,
    HOUR_PROFILES,
    MONTHS,
    PLACE_BY_CATEGORY,
    CATEGORY_FLAGS,
    GRAVITY_BY_ARTICLE,
    GRAVITY_DEFAULT,
    AGE14_EXTRA,
    RIOTS_2022,
    PUPIL_BY_AGE,
    REPEAT_BY_AGE,
)


def load_polygons() -> tuple[dict[str, list], list[Path]]:
    """Return ``iso -> [full, display]`` region polygons (prepared) of ``data/boundaries.gpkg`` and the file.

    Each region is the union of its districts, so a point inside both lies in one of the
    region's districts at full detail (``assign_regions``/``assign_districts``) and on the
    simplified map the application draws and counts districts on.
    """
    import pyogrio

    gpkg = DATA / "boundaries.gpkg"
    polys: dict[str, list] = {iso: [] for iso in REGIONS}
    for layer in ("regions", "regions_display"):
        regions = pyogrio.read_dataframe(gpkg, layer=layer, columns=["code"])
        assert sorted(regions["code"]) == sorted(REGIONS), layer
        for code, geom in zip(regions["code"], regions.geometry):
            polys[code].append(shapely.make_valid(geom))
    for geoms in polys.values():
        for geom in geoms:
            shapely.prepare(geom)
    return polys, [gpkg]


def label_at(territory: str, date: str) -> str:
    """The region code an incident in today's ``territory`` carried on ``date`` (ISO string)."""
    return SPLITS[territory] if territory in SPLITS and date < SPLIT_DATE.isoformat() else territory


def apportion(total: int, weights: pd.Series) -> pd.Series:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder, ties by code)."""
    exact = weights / weights.sum() * total
    base = np.floor(exact).astype(int)
    rem = (exact - base).sort_index()
    order = sorted(rem.index, key=lambda k: (-round(rem[k], 12), k))
    for k in order[: total - int(base.sum())]:
        base[k] += 1
    return base.sort_index()


def region_totals(reg: pd.DataFrame) -> dict[int, pd.Series]:
    """Offences per region and year (see ``method`` in the metadata)."""
    off22 = reg.set_index("region_iso")["offences_by_minors"].astype(int).sort_index()
    pop = reg.set_index("region_iso")["pop"]
    base = off22.astype(float).copy()  # 2022 with each 2022 split pooled and re-split by population
    for child, parent in SPLITS.items():
        pooled = off22[child] + off22[parent]
        share = pop[child] / (pop[child] + pop[parent])
        base[child], base[parent] = pooled * share, pooled * (1 - share)
    totals = {2022: off22}
    for y in (2019, 2020, 2021):
        n = round(off22.sum() * (J1_2018 / J1_2022) ** ((2022 - y) / 4))
        totals[y] = apportion(n, base)
    n23 = round(off22.sum() * (JANJUL_2023 * 12 / 7) / PERSONS_2022)
    fixed = pd.Series({k: base[k] * g for k, g in GROWTH_2023.items()})
    rest = apportion(n23 - round(fixed.sum()), base.drop(fixed.index))
    totals[2023] = pd.concat([rest, apportion(round(fixed.sum()), fixed)]).sort_index()
    return totals


def day_weights(start: dt.date, end: dt.date, months: np.ndarray) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The days ``start``..``end`` (inclusive) and their weights: the month's weight spread over its days."""
    days = pd.date_range(start, end, freq="D")
    return days, months[days.month - 1] / days.days_in_month.to_numpy()


def pre_split_share(year: int = 2022) -> float:
    """Share of the year's month-weighted days before :data:`SPLIT_DATE` (about 0.41)."""
    _, w = day_weights(dt.date(year, 1, 1), dt.date(year, 12, 31), MONTHS)
    _, before = day_weights(dt.date(year, 1, 1), SPLIT_DATE - dt.timedelta(days=1), MONTHS)
    return float(before.sum() / w.sum())


def territory_plan(totals: dict[int, pd.Series], child_share: dict[str, float]) -> list[tuple]:
    """Rows to draw as ``(year, territory, first day, last day, count)``, in a fixed order.

    ``totals[2022]`` is per Form 1-M code; the other years per today's territory. In 2022 a new
    region's count is dated from :data:`SPLIT_DATE`, and ``round(pooled * child_share *
    pre_split_share())`` of its parent's count (pooled = parent + new region) lies in the new
    region's territory before that day; the rest of the parent's count in its own territory.
    """
    off22 = totals[2022]
    pre = {child: min(round(int(off22[child] + off22[parent]) * child_share[child] * pre_split_share()),
                      int(off22[parent])) for child, parent in SPLITS.items()}
    plan = []
    for year in YEARS:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for iso in sorted(REGIONS):
            n = int(totals[year][iso])
            if year == 2022 and iso in SPLITS:
                plan.append((year, iso, first, SPLIT_DATE - dt.timedelta(days=1), pre[iso]))
                plan.append((year, iso, SPLIT_DATE, last, n))
            elif year == 2022 and iso in SPLITS.values():
                plan.append((year, iso, first, last, n - sum(pre[c] for c, p in SPLITS.items() if p == iso)))
            else:
                plan.append((year, iso, first, last, n))
    return plan


def draw(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a (rows x k) weight matrix."""
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    return np.minimum((cum < rng.random((len(probs), 1))).sum(axis=1), probs.shape[1] - 1)


def sample_points(rng, sett: pd.DataFrame, n: int, polys: list) -> tuple[np.ndarray, ...]:
    """Points near the region's settlements, population-weighted, inside both polygons."""
    w = sett["population"].to_numpy(float)
    idx = rng.choice(len(sett), size=n, p=w / w.sum())
    lat0, lon0 = sett["lat"].to_numpy()[idx], sett["lon"].to_numpy()[idx]
    sigma = 0.5 + 4.0 * np.sqrt(sett["population"].to_numpy()[idx] / 1e6)  # km
    lat, lon = np.empty(n), np.empty(n)
    todo = np.arange(n)
    for _ in range(200):
        dy, dx = rng.normal(size=(2, len(todo))) * sigma[todo]
        la = lat0[todo] + dy / 111.32
        lo = lon0[todo] + dx / (111.32 * np.cos(np.radians(lat0[todo])))
        ok = np.logical_and.reduce([shapely.contains_xy(g, lo, la) for g in polys])
        lat[todo[ok]], lon[todo[ok]] = la[ok], lo[ok]
        todo = todo[~ok]
        if not len(todo):
            break
    else:
        raise RuntimeError("could not place points inside the region")
    lat, lon = np.round(lat, 5), np.round(lon, 5)
    d2 = (lat[:, None] - sett["lat"].to_numpy()) ** 2 + \
        ((lon[:, None] - sett["lon"].to_numpy()) * np.cos(np.radians(lat[:, None]))) ** 2
    return lat, lon, sett["name_en"].to_numpy()[d2.argmin(axis=1)]


def region_mix(art: pd.DataFrame, reg: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Article weights per region and the 14-15 age share, shrunk towards the national mix."""
    counts = art.pivot_table(index="region_iso", columns="article", values="juveniles",
                             aggfunc="sum", fill_value=0).sort_index().sort_index(axis=1)
    nat = counts.sum() / counts.values.sum()
    mix = counts.add(SHRINK_K * nat, axis=1)
    r = reg.set_index("region_iso").sort_index()
    p0 = r["juv_age_14_15"].sum() / r["juveniles"].sum()
    young = (r["juv_age_14_15"] + SHRINK_K * p0) / (r["juveniles"] + SHRINK_K)
    return mix, young


def generate_territory_days(rng, unit: tuple, sett, polys, mix, young, codes) -> pd.DataFrame:
    """Rows of one plan unit ``(year, territory, first, last, n)`` of :func:`territory_plan`.

    Points lie in today's ``territory``; ``region`` is the code of the incident's date
    (:func:`label_at`). Gravity and flags are drawn later, nationally calibrated.
    """
    year, iso, first, last, n = unit
    prof = REGION_PROFILES[iso][2]
    lat, lon, near = sample_points(rng, sett, n, polys)
    age = np.where(rng.random(n) < young[iso], 14 + (rng.random(n) < 0.6), 16 + (rng.random(n) < 0.55))
    weights = mix.loc[iso].copy()
    riot_days = (dt.date(2022, 1, RIOTS_2022[2]), dt.date(2022, 1, RIOTS_2022[3]))
    if not (first <= riot_days[0] and riot_days[1] <= last):
        weights[RIOTS_2022[0]] = 0.0
    arts = weights.index.to_numpy()
    elig = np.array([codes.at[a, "age14"] for a in arts])
    w = np.where(age[:, None] < 16, weights.to_numpy() * elig, weights.to_numpy())
    article = arts[draw(rng, w)]
    months = MONTHS * np.where(np.isin(np.arange(12), [5, 6, 7]) & ("months" in prof), 2.5, 1.0)
    days, day_w = day_weights(first, last, months)
    date = days[rng.choice(len(days), size=n, p=day_w / day_w.sum())].strftime("%Y-%m-%d").to_numpy()
    riots = article == RIOTS_2022[0]
    date[riots] = [f"2022-01-{d:02d}" for d in rng.integers(RIOTS_2022[2], RIOTS_2022[3] + 1, size=riots.sum())]
    hours = HOURS.copy()
    if "hours" in prof:
        hrs, factor = HOUR_PROFILES[prof["hours"]]
        hours[hrs] *= factor
    hour = draw(rng, np.tile(hours, (n, 1)))
    minute = rng.integers(0, 60, size=n)
    category = np.array([codes.at[a, "category"] for a in article])
    pm = np.array([PLACE_BY_CATEGORY[c] for c in category], float)
    for place, factor in prof.get("place", {}).items():
        pm[:, PLACES.index(place)] *= factor
    place = np.array(PLACES)[draw(rng, pm)]
    return pd.DataFrame({
        "year": year, "date": date, "territory": iso, "region": [label_at(iso, d) for d in date],
        "time": [f"{h:02d}:{mi:02d}" for h, mi in zip(hour, minute)], "hour": hour,
        "lat": lat, "lon": lon, "category": category, "article": article, "age": age, "place": place,
        "settlement": near,
    })


def calibrated_flag(rng, q: np.ndarray, target: float, cap: float = 0.95) -> np.ndarray:
    """Bernoulli draws with ``p = min(c q, cap)``, ``c`` chosen so the mean of ``p`` is ``target``."""
    lo, hi = 0.0, 1.0
    while np.minimum(hi * q, cap).mean() < target:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.minimum(mid * q, cap).mean() < target else (lo, mid)
    return (rng.random(len(q)) < np.minimum(hi * q, cap)).astype(int)


def add_gravity_and_flags(rng, df: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Gravity (article-based weights raked to the national mix) and the calibrated flags."""
    gw = np.array([GRAVITY_BY_ARTICLE.get(a, GRAVITY_DEFAULT) for a in df["article"]], float)
    parts = np.array([str(codes.at[a, "age14_raw"]).startswith("part") for a in df["article"]])
    gw[(df["age"].to_numpy() < 16) & parts, 0] = 0.0  # 14-15 liable only under the aggravated parts
    f = np.ones(4)
    for _ in range(500):  # iterative proportional fitting of the four column factors
        q = gw * f
        q /= q.sum(axis=1, keepdims=True)
        f *= GRAVITY_TARGET / q.mean(axis=0)
    df["gravity"] = np.array(GRAVITIES)[draw(rng, gw * f)]
    prof = [REGION_PROFILES[r][2] for r in df["territory"]]  # the territory's profile, whatever its code
    mult = {k: np.array([p.get(k, 1.0) for p in prof]) for k in FLAG_TARGETS}
    cat = np.array([CATEGORY_FLAGS[c] for c in df["category"]])
    age = df["age"].to_numpy()
    night = np.isin(df["hour"].to_numpy(), HOUR_PROFILES["night"][0])
    df["pupil"] = calibrated_flag(rng, np.vectorize(PUPIL_BY_AGE.get)(age) * mult["pupil"], FLAG_TARGETS["pupil"])
    df["repeat"] = calibrated_flag(rng, np.vectorize(REPEAT_BY_AGE.get)(age) * mult["repeat"], FLAG_TARGETS["repeat"])
    df["group"] = calibrated_flag(rng, cat[:, 0] * mult["group"], FLAG_TARGETS["group"])
    df["intoxicated"] = calibrated_flag(rng, cat[:, 1] * (1 + night) * mult["intoxicated"],
                                        FLAG_TARGETS["intoxicated"])
    df["sex"] = np.where(calibrated_flag(rng, cat[:, 2] * mult["girls"], FLAG_TARGETS["girls"]) == 1, "F", "M")
    return df


def file_digest(path: Path) -> str:
    """SHA-256 of a file (recorded so a reader can tell which inputs were used)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_inputs() -> tuple[pd.DataFrame, ...]:
    """Read the lead's official tables, the article list and the settlements from ``data/``."""
    reg = pd.read_csv(DATA / "official_2022_by_region.csv")
    popu = pd.read_csv(DATA / "population.csv")
    p23 = popu[popu["date"] == "2023-01-01"].set_index("region_iso")["population"]
    reg["pop"] = reg["region_iso"].map(p23)
    art = pd.read_csv(DATA / "official_2022_by_article.csv", dtype={"article": str})
    codes = pd.read_csv(DATA / "criminal_code_articles.csv", dtype={"article": str}).set_index("article")
    codes["age14_raw"] = codes["age14_liability"].fillna("")
    codes["age14"] = (codes["age14_raw"] != "") | codes.index.isin(AGE14_EXTRA)
    sett = pd.read_csv(DATA / "settlements.csv").dropna(subset=["lat", "lon"])
    return reg, art, codes, sett


def child_shares() -> dict[str, float]:
    """Population share of each new region in its parent before the split (``reform_crosswalk.csv``)."""
    cw = pd.read_csv(DATA / "reform_crosswalk.csv")
    cw = cw[cw["current_iso"].isin(list(SPLITS)) & (cw["effective"] == SPLIT_DATE.isoformat())]
    return {iso: float(v) for iso, v in zip(cw["current_iso"], cw["population_share"])}


def generate(seed: int = SEED) -> tuple[pd.DataFrame, list[tuple], list[Path]]:
    """Build the whole synthetic table (sorted, with ids) and return it with the plan used."""
    rng = np.random.default_rng(seed)
    reg, art, codes, sett = load_inputs()
    polys, geo_files = load_polygons()
    plan = territory_plan(region_totals(reg), child_shares())
    mix, young = region_mix(art, reg)
    parts = []
    for unit in plan:
        s = sett[sett["region_iso"] == unit[1]].sort_values("name_en")
        parts.append(generate_territory_days(rng, unit, s, polys[unit[1]], mix, young, codes))
    df = add_gravity_and_flags(rng, pd.concat(parts, ignore_index=True), codes)
    df = df.sort_values(["date", "time", "region", "article", "lat", "lon"], kind="mergesort",
                        ignore_index=True)
    df["id"] = [f"SYN-{y}-{i:06d}" for y, i in zip(df["year"], df.groupby("year").cumcount() + 1)]
    return df, plan, geo_files


def region_summary(df: pd.DataFrame) -> dict[str, dict]:
    """Realised per-region figures, so a reader sees how the regions differ."""
    out = {}
    for iso, g in df.groupby("region", sort=True):
        top = g["place"].value_counts(normalize=True)
        out[iso] = {"rows": int(len(g)), **{k: round(float(g[k].mean()), 3) for k in
                                            ("pupil", "repeat", "group", "intoxicated")},
                    "girls": round(float((g["sex"] == "F").mean()), 3),
                    "night_20_06": round(float(np.isin(g["hour"], HOUR_PROFILES["night"][0]).mean()), 3),
                    "places": {p: round(float(top.get(p, 0.0)), 3) for p in PLACES}}
    return out


def counts_by_year(df: pd.DataFrame, column: str) -> dict[str, dict[str, int]]:
    """Rows per year and ``column`` value, every region listed (0 where none)."""
    table = pd.crosstab(df["year"], df[column]).reindex(columns=sorted(REGIONS), fill_value=0)
    return {str(y): {k: int(v) for k, v in row.items()} for y, row in table.iterrows()}


def split_summary(plan: list[tuple]) -> dict[str, dict]:
    """2022 rows of each new region's territory before and from :data:`SPLIT_DATE`."""
    out = {}
    for child, parent in SPLITS.items():
        units = [u for u in plan if u[0] == 2022 and u[1] == child]
        out[child] = {"parent": parent,
                      "before_split_labelled_parent": sum(u[4] for u in units if u[3] < SPLIT_DATE),
                      "from_split": sum(u[4] for u in units if u[2] >= SPLIT_DATE)}
    return out


def build_meta(df, plan, seed, inputs: list[Path]) -> dict:
    """The sidecar metadata (deterministic: no timestamps)."""
    rel = [p.relative_to(ROOT / "juvmap").as_posix() for p in inputs]
    national = {
        "gravity": {g: round(float((df["gravity"] == g).mean()), 4) for g in GRAVITIES},
        **{k: round(float(df[k].mean()), 4) for k in ("pupil", "repeat", "group", "intoxicated")},
        "girls": round(float((df["sex"] == "F").mean()), 4),
        "hours_14_19": round(float(df["hour"].between(14, 18).mean()), 4),
        "hours_00_06": round(float(df["hour"].between(0, 5).mean()), 4),
    }
    return {
        "synthetic": True,
        "label": "SYNTHETIC — generated data, not real incidents",
        "generator": "data/make_demo.py",
        "seed": seed,
        "generated_from": rel,
        "input_sha256": {r: file_digest(p) for r, p in zip(rel, inputs)},
        "years": list(YEARS),
        "rows": int(len(df)),
        "rows_by_year": {str(y): int(n) for y, n in df.groupby("year").size().items()},
        "region_totals": counts_by_year(df, "region"),
        "territory_totals": counts_by_year(df, "territory"),
        "split_2022": {"date": SPLIT_DATE.isoformat(), "pre_split_share_of_year": round(pre_split_share(), 4),
                       "regions": split_summary(plan)},
        "method": METHOD,
        "national_targets": {"gravity": dict(zip(GRAVITIES, GRAVITY_TARGET.tolist())), **FLAG_TARGETS},
        "national_realised": national,
        "region_profiles": {iso: {"name": REGIONS[iso], "made_different": p[0], "basis": p[1],
                                  "multipliers": p[2]} for iso, p in sorted(REGION_PROFILES.items())},
        "region_realised": region_summary(df),
    }


METHOD = [
    "Every row is invented; only aggregates follow published figures.",
    "2022: offences per region equal Form 1-M offences_by_minors (data/official_2022_by_region.csv; 1,723).",
    "2019-2021: national total on a geometric path from 2.9k (2018) to 1.7k (2022) (Concept 2024-2028, "
    "digest J1), anchored at 1,723 in 2022: N(y) = 1723 * (2.9/1.7)^((2022-y)/4).",
    "2023: N = 1723 * (944 * 12/7) / 1569 (Jan-Jul 2023 minors annualised, over 2022 persons); Almaty City "
    "x1.581, Astana x1.333, Turkistan x1.096 (Jan-Jul 2023 growth) and West Kazakhstan x1.32 (2023 growth); "
    "the other regions share the remainder.",
    "Territories outside 2022: per-region shares from 2022, except that Abai+East Kazakhstan, Jetisu+Almaty "
    "Region and Ulytau+Karaganda are pooled and re-split by 1 Jan 2023 population, because the 2022 forms of "
    "the new regions cover only June-December.",
    "The 2022 split: Abai (KZ-10), Jetisu (KZ-33) and Ulytau (KZ-62) exist from 8 June 2022 "
    "(data/reform_crosswalk.csv). Points are drawn on today's territories (2024 boundaries); an incident dated "
    "before 8 June 2022 in one of them carries the parent's code (East Kazakhstan KZ-63, Almaty Region KZ-19, "
    "Karaganda KZ-35), as a record of that time would. In 2022 the new region's Form 1-M count is dated "
    "8 June-31 December; round((parent + new region) * the new region's population share in the crosswalk * "
    "the month-weighted share of the year before 8 June) of the parent's Form 1-M count lies in the new "
    "region's territory before 8 June, the rest in the parent's own territory all year, so the 2022 count per "
    "code still equals Form 1-M. region_totals are per code as labelled; territory_totals per today's "
    "territory; split_2022 gives the numbers.",
    "Article mix: region's juveniles per article in 2022 plus 10 pseudo-counts of the national mix; "
    "ages 14-15 only commit articles with age-14 liability (Art. 15; hooliganism assumed). "
    "Art. 272 (mass riots) occurs only in 2022, dated 4-11 January.",
    "Age: 14-15 share per region from Form 1-M (296/1,569 nationally, shrunk by 10 pseudo-counts); "
    "14 vs 15 and 16 vs 17 split 40/60 and 45/55 (assumption).",
    "Gravity: approximate weights by article/part, raked so the national mix is 10/56/32/2 "
    "(minor/medium/grave/especially grave, digest J2).",
    "Flags: pupil 72 % (J6), repeat 1/8 (J5), girls 7 % (2017), group 30 % and intoxicated 8 % (assumptions); "
    "each scaled by the region profile, category and age, then calibrated to the national share.",
    "Time: afternoon peak 14:00-18:59 (J6), mild seasonality; region profiles shift hours or months.",
    "Places: category-dependent weights (assumption) times the region profile.",
    "Points: settlement drawn by population (data/settlements.csv, those with coordinates), Gaussian offset "
    "with sigma = 0.5 + 4*sqrt(pop/1e6) km, redrawn until inside the territory's polygons in data/boundaries.gpkg "
    "(layers regions and regions_display, unions of its districts: geokz 2024, CC BY 4.0), so every point lies "
    "in one of its districts at full and at display detail; settlement = nearest settlement of the territory. The built-in water covers only the seas, so a "
    "few points near shore towns (e.g. Balkhash, Konaev) may lie on lakes or reservoirs inside the region.",
]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write with fixed formatting (5-decimal coordinates, LF line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    out = df.assign(lat=[f"{v:.5f}" for v in df["lat"]], lon=[f"{v:.5f}" for v in df["lon"]])
    w.writerows(out[list(COLUMNS)].itertuples(index=False, name=None))
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DATA, help="output folder (default: data/)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    df, plan, geo_files = generate(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(df, args.out / CSV_NAME)
    inputs = [DATA / n for n in ("official_2022_by_region.csv", "official_2022_by_article.csv",
                                 "criminal_code_articles.csv", "settlements.csv", "population.csv",
                                 "reform_crosswalk.csv")] + geo_files
    meta = build_meta(df, plan, args.seed, inputs)
    (args.out / META_NAME).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    by_year = ", ".join(f"{y}: {n}" for y, n in meta["rows_by_year"].items())
    print(f"{len(df)} rows ({by_year}) in {time.perf_counter() - t0:.1f} s -> {args.out / CSV_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
