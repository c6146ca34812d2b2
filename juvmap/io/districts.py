"""District populations (BNS, 1 Jan 2023) on the 224 districts of the 2024 boundaries.

The BNS table (``../shared/facts/districts_2023.csv``) has 220 units, named in Kazakh with a
suffix ("Үржар ауданы", "Семей қ.ә."), without KATO codes; the 2024 layer has 224 units with
KATO codes and bare names ("Үржар"). :func:`match_district_population` matches them by name
within each region (Kazakh letters folded, suffixes dropped; a close spelling is accepted
only when it is the unique best). Units that do not match are never given a zero or a
guessed figure:

* a district **created after 1 Jan 2023** (its territory was counted in the unit it was split
  from) is merged with that unit **for rates** (``rate_unit``): the parent from the reform
  table of the facts (Makanshi ← Urzhar, Zhanasemey ← Semey), else, where no source names
  the parent, with every unit of its region it borders (Alatau, Nura, Turan);
* a 2023 unit **without a polygon** in 2024 (Sauran, created in 2021 from Kentau's rural
  okrugs and drawn inside Kentau by geokz) is added to the unit that holds its territory.

Only the total population exists at district level (no 0–17 figure): district rates are per
100,000 residents of all ages, and :func:`district_rate_population` gives it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from juvmap.i18n import N_, _
from juvmap.paths import data_path

#: reason code -> message id (why a district's own 2023 population is not its rate's population)
REASONS: dict[str, str] = {
    "created_later": N_("Created after 1 Jan 2023; split from: {parent}. Merged with it for rates."),
    "created_later_parent_unknown": N_(
        "Created after 1 Jan 2023; the unit it was split from is not documented, so it is "
        "merged for rates with its neighbours in the same region: {parent}"),
    "split_parent": N_("Its 1 Jan 2023 population includes a district created later: {child}. "
                       "Merged with it for rates."),
    "includes_unit": N_("Its 1 Jan 2023 population includes a unit without a boundary of its "
                        "own in the 2024 layer: {child}"),
}
#: 2023 units without a polygon of their own in the 2024 layer -> the unit holding them
#: (facts.md §2: "2021: Sauran district created in Turkistan Region from Kentau rural okrugs",
#: kt.kz 2021-03-17; geokz 2024 draws no Sauran polygon)
ABSORBED_UNITS = {("KZ-61", "сауран"): "кентау"}
POPULATION_DATE = "2023-01-01"
_SUFFIXES = r"\s*(қ\.ә\.|г\.а\.|ауданы|қаласы|районы|район|city|district)\s*$"
_FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")
_ADJECTIVE = r"(ского|ский|ской|ская|ское)$"


def fold_name(name: str) -> str:
    """A unit name reduced for matching: lower case, no suffix, Kazakh letters folded.

    >>> fold_name("Қатонқарағай ауданы") == fold_name("Катонқарағай")
    True
    """
    text = re.sub(_SUFFIXES, "", str(name).strip().lower())
    return re.sub(r"[^a-zа-я]", "", text.translate(_FOLD))


def _stem_ru(name: str) -> str:
    """A Russian adjective or noun reduced to its stem ("Урджарского" -> "урджар")."""
    return re.sub(_ADJECTIVE, "", fold_name(name))


def split_parents(reform: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """``(region, folded new unit) -> Russian stem of its parent`` from the facts' reform table.

    Parses rows such as "район Мақаншы (из Урджарского)" and
    "район Жаңасемей (сельские округа г. Семей)".
    """
    out: dict[tuple[str, str], str] = {}
    if reform is None:
        return out
    pattern = re.compile(r"район\s+([^()]+?)\s*\((?:из\s+|сельские округа г\.\s*)([^)]+)\)")
    for rec in reform.to_dict("records"):
        for new, parent in pattern.findall(str(rec.get("unit_name_ru_kato", ""))):
            out[(str(rec["to_region_iso"]), fold_name(new))] = _stem_ru(parent)
    return out


def kato_unit_type(kato: str) -> str:
    """"city_administration" or "district" from a 9-digit KATO code.

    In a region, digits 3–4 below 30 number the cities of regional significance (Kostanay
    city 391000000) and 30 and above the districts (Kostanay district 395400000).
    """
    kato = str(kato).zfill(9)
    if kato[:2] in ("71", "75", "79"):
        return "district"
    return "city_administration" if int(kato[2:4]) < 30 else "district"


def _match_region(layer: pd.DataFrame, facts: pd.DataFrame) -> dict[int, list[int]]:
    """Layer row -> fact rows of one region: exact folded name (and unit type where two units
    share a name, as Kostanay city and Kostanay district), then a unique close spelling."""
    folded = {i: fold_name(n) for i, n in layer["name_kk"].items()}
    kinds = {i: kato_unit_type(k) for i, k in layer["code"].items()}
    fact_folded = {j: fold_name(n) for j, n in facts["unit_name_kk"].items()}
    matched: dict[int, list[int]] = {}
    free = dict(fact_folded)
    for i, name in folded.items():
        hits = [j for j, f in free.items() if f == name]
        if len(hits) > 1:
            hits = [j for j in hits if facts.at[j, "unit_type"] == kinds[i]]
        if len(hits) == 1:
            matched[i] = hits
            free.pop(hits[0])
    for i, name in folded.items():
        if i in matched or not free:
            continue
        scores = {j: difflib.SequenceMatcher(None, name, f).ratio() for j, f in free.items()}
        best = sorted(scores.values(), reverse=True)
        j = max(scores, key=scores.get)
        if best[0] >= 0.8 and (len(best) == 1 or best[1] < best[0] - 0.1):
            matched[i] = [j]
            free.pop(j)
    return matched


class _Groups:
    """Union-find over layer rows (units merged for rates)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _neighbours(layer, i: int, region_rows: list[int]) -> list[int]:
    geom = layer.geometry.iloc[i]
    return [j for j in region_rows if j != i and geom.intersects(layer.geometry.iloc[j])
            and geom.intersection(layer.geometry.iloc[j]).length > 0]


def match_district_population(districts, table: pd.DataFrame,
                              reform: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attach the 1 Jan 2023 population of the BNS units to the districts of the 2024 layer.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        The district layer (``code``, ``region``, ``name_kk``, ``name_ru``, geometry).
    table : pandas.DataFrame
        ``districts_2023.csv`` of the facts (``region_iso``, ``unit_name_kk``, ``unit_type``,
        ``population_2023_01_01``, ``source``).
    reform : pandas.DataFrame, optional
        ``reform_mapping.csv`` of the facts, for the parents of later districts.

    Returns
    -------
    pandas.DataFrame
        One row per district in the layer's order: ``code, region, name_kk, unit_2023``
        (the BNS unit names, ``|``-joined), ``unit_type``, ``match`` (exact | close | none),
        ``population`` (its own 2023 figure; empty when it has none), ``rate_unit`` (the
        code of the group merged for rates; its own code when alone), ``rate_population``
        (the group's population), ``reason`` (a key of :data:`REASONS`), ``reason_detail``
        (the codes of the districts it is merged with, ``|``-joined, or the BNS unit it
        includes), ``date``, ``source``.

    Raises
    ------
    ValueError
        When a BNS unit cannot be placed (neither matched nor known to be absorbed).
    """
    layer = districts.reset_index(drop=True)
    parents = split_parents(reform)
    own: dict[int, list[int]] = {}
    reason = [""] * len(layer)
    detail = [""] * len(layer)
    groups = _Groups(len(layer))
    for region, rows in layer.groupby("region").groups.items():
        rows = list(rows)
        facts = table[table["region_iso"] == region]
        matched = _match_region(layer.loc[rows], facts)
        own.update(matched)
        used = {j for js in matched.values() for j in js}
        for j in facts.index.difference(list(used)):
            holder = ABSORBED_UNITS.get((region, fold_name(facts.at[j, "unit_name_kk"])))
            target = [i for i in rows if fold_name(layer.at[i, "name_kk"]) == holder]
            if len(target) != 1:
                raise ValueError(f"BNS unit {facts.at[j, 'unit_name_kk']} ({region}) has no district")
            own[target[0]].append(j)
            reason[target[0]], detail[target[0]] = "includes_unit", facts.at[j, "unit_name_kk"]
        for i in (i for i in rows if i not in own):
            stem = parents.get((region, fold_name(layer.at[i, "name_kk"])))
            known = [j for j in rows if stem and j in own and _stem_ru(layer.at[j, "name_ru"]) == stem]
            link = known or [j for j in _neighbours(layer, i, rows) if j in own]
            for j in link:
                groups.join(i, j)
                reason[j], detail[j] = "split_parent", layer.at[i, "code"]
            reason[i] = "created_later" if known else "created_later_parent_unknown"
            detail[i] = "|".join(layer.at[j, "code"] for j in link)
    return _population_frame(layer, table, own, groups, reason, detail)


def _population_frame(layer, table, own, groups, reason, detail) -> pd.DataFrame:
    pop = pd.to_numeric(table["population_2023_01_01"], errors="coerce")
    own_pop = pd.Series({i: float(pop.loc[js].sum()) for i, js in own.items()},
                        dtype=float).reindex(range(len(layer)))
    root = np.array([groups.find(i) for i in range(len(layer))])
    group_pop = own_pop.groupby(root).transform(lambda s: s.sum(min_count=1))
    code = layer["code"].astype(str)
    # the group's code: its most populous member with a 2023 figure
    lead = own_pop.fillna(-1).groupby(root).transform("idxmax")
    out = pd.DataFrame({
        "code": code,
        "region": layer["region"],
        "name_kk": layer["name_kk"],
        "unit_2023": ["|".join(table.loc[own.get(i, []), "unit_name_kk"]) for i in range(len(layer))],
        "unit_type": [table.at[own[i][0], "unit_type"] if i in own else "district"
                      for i in range(len(layer))],
        "match": ["exact" if i in own and fold_name(table.at[own[i][0], "unit_name_kk"])
                  == fold_name(layer.at[i, "name_kk"]) else ("close" if i in own else "none")
                  for i in range(len(layer))],
        "population": own_pop.round().astype("Int64"),
        "rate_unit": code.to_numpy()[lead.to_numpy().astype(int)],
        "rate_population": group_pop.round().astype("Int64"),
        "reason": reason,
        "reason_detail": detail,
        "date": POPULATION_DATE,
        "source": str(table["source"].iloc[0]),
    })
    return out


# -- run time ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    df = pd.read_csv(data_path("district_population.csv"), dtype=str, keep_default_na=False)
    for column in ("population", "rate_population"):
        df[column] = pd.to_numeric(df[column], errors="coerce")
    return df


def district_population() -> pd.DataFrame:
    """Return the 1 Jan 2023 population of the 224 districts (``data/district_population.csv``).

    Returns
    -------
    pandas.DataFrame
        Indexed by district code (KATO); see :func:`match_district_population` for the
        columns. ``population`` is NaN for a district created after 1 Jan 2023.
    """
    return _table().set_index("code").copy()


def district_reasons(lang: str | None = None) -> pd.Series:
    """Translated reason of every district whose rate is not computed on its own population.

    Parameters
    ----------
    lang : str, optional
        ``kk``, ``ru`` or ``en``; default the current language. District names are given
        in that language.

    Returns
    -------
    pandas.Series
        Indexed by district code; only districts with a reason.
    """
    from juvmap.i18n import get_language, translate_in
    from juvmap.io.boundaries import load_districts

    lang = lang or get_language()
    names = load_districts("display").set_index("code")[f"name_{lang}"]
    df = district_population()
    df = df[df["reason"] != ""]
    texts = {}
    for code, rec in df.iterrows():
        detail = ", ".join(names.get(part, part) for part in rec["reason_detail"].split("|"))
        message_id = REASONS[rec["reason"]]
        texts[code] = translate_in(lang, message_id).format(parent=detail, child=detail)
    return pd.Series(texts, dtype=object, name="reason")


def district_rate_population(merged: bool = False) -> pd.Series:
    """The population at risk of district rates: all residents (per 100,000 in the analysis).

    No juvenile (0–17 or 14–17) population is published by district, so district rates are
    per 100,000 residents of all ages (the analysis's denominator says so).

    Parameters
    ----------
    merged : bool
        ``False`` (default): indexed by the 224 district codes; a district merged with
        another for rates (see :func:`district_reasons`) has NaN — its own population is not
        known — so its rate is undefined, never zero. ``True``: indexed by ``rate_unit``
        (the areas of :func:`juvmap.io.boundaries.load_rate_areas`), every area with its
        population.

    Returns
    -------
    pandas.Series
        Population indexed by code (float).
    """
    df = district_population()
    if merged:
        population = df.groupby("rate_unit")["rate_population"].first()
    else:
        alone = df.groupby("rate_unit")["rate_unit"].transform("size") == 1
        population = df["population"].where(alone)
    population.index.name = "code"
    return population.astype(float)
