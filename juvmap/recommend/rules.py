"""Recommendation rules from ``data/rules.toml``: load, validate, test on the profiles, rank.

Every computable rule is a statistical test of the region against the national value
(:mod:`juvmap.recommend.rule_tests`); a rule fires when its effect reaches the rule's
threshold, enough persons/offences stand behind it and its Benjamini–Hochberg q-value over
all region × rule tests of the run is small. Fired rules are ranked by priority, then by how
far the region is from the national value, and capped. Each rule names its plan item of the
Concept (``data/plan_items.csv``: bodies and deadline), the regional executors and one
indicator to watch.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from juvmap.errors import DataLoadError
from juvmap.i18n import LANGUAGES, _
from juvmap.paths import data_path
from juvmap.recommend.profile import Indicator, RegionProfile, indicator_keys

__all__ = ["COMPARISONS", "MAX_RECOMMENDATIONS", "TESTS", "UNITS", "PlanItem", "Recommendation", "Rule",
           "RuleResult", "evaluate", "evaluate_all", "load_plan_items", "load_rules", "parse_ground"]

MAX_RECOMMENDATIONS = 3
COMPARISONS = ("ratio_above", "ratio_below", "diff_above", "diff_below")
TESTS = {"binomial": ("share",), "poisson": ("rate",), "rate_change": ("percent",)}
UNITS = ("persons", "offences", "any")
DEFAULT_MIN_COUNT = 20
_GROUND = re.compile(r"^(\d{3}):L(\d+)(?:-(\d+))?$")


@dataclass(frozen=True)
class PlanItem:
    """One item of the Concept's action plan (a row of ``data/plan_items.csv``)."""

    item: str
    title_en: str
    responsible: tuple[str, ...]
    deadline: dict
    ground: str
    keyword: str


@dataclass(frozen=True)
class Rule:
    """One rule of ``rules.toml`` (see the comments at the top of that file)."""

    id: str
    title: dict
    computable: bool
    indicator: str | None
    comparison: str | None
    threshold: float | None
    min_count: int
    priority: int
    text: dict
    responsible: tuple[dict, ...]
    plan: str
    ground: tuple[str, ...]
    ground_keyword: str
    reason: str = ""
    unit: str = "any"
    test: str = ""
    regional: tuple[dict, ...] = ()
    watch: dict | None = None
    plan_item: PlanItem | None = None


@dataclass(frozen=True)
class Recommendation:
    """A fired rule with its evidence, in one language."""

    rule_id: str
    text: str
    responsible: tuple[str, ...]
    plan: str
    indicator: Indicator
    value: float
    national: float
    distance: float
    priority: int
    title: str = ""
    regional: tuple[str, ...] = ()
    deadline: str = ""
    watch: str = ""
    test: str = ""
    p: float = math.nan
    q: float = math.nan


@dataclass(frozen=True)
class RuleResult:
    """The ranked recommendations of a region; ``no_triggers`` when none fired."""

    recommendations: tuple[Recommendation, ...]
    fired: int
    tested: int = 0
    #: "id title" of the fired rules beyond the cap
    others: tuple[str, ...] = ()

    @property
    def no_triggers(self) -> bool:
        """Whether no rule fired for the region."""
        return self.fired == 0


def parse_ground(cite: str) -> tuple[str, int, int]:
    """Split ``"004:L623-626"`` into ``("004", 623, 626)``; ``ValueError`` when malformed."""
    m = _GROUND.match(cite.strip())
    if not m:
        raise ValueError(f"bad ground citation {cite!r}")
    first = int(m.group(2))
    last = int(m.group(3) or first)
    if last < first:
        raise ValueError(f"bad ground range {cite!r}")
    return m.group(1), first, last


def _langs(value, where: str) -> dict:
    if not isinstance(value, dict) or any(not str(value.get(k, "")).strip() for k in LANGUAGES):
        raise ValueError(f"{where} needs non-empty kk, ru and en")
    return {k: str(value[k]).strip() for k in LANGUAGES}


def _check_numbers(rid: str, raw: dict) -> tuple[float, int]:
    threshold = raw.get("threshold")
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not math.isfinite(threshold):
        raise ValueError(f"{rid}: threshold must be a number")
    priority = raw.get("priority")
    if priority not in (1, 2, 3):
        raise ValueError(f"{rid}: priority must be 1, 2 or 3")
    return float(threshold), int(priority)


def _codes(rid: str, codes, table: dict[str, dict], what: str) -> tuple[dict, ...]:
    unknown = [c for c in codes if c not in table]
    if not codes or unknown:
        raise ValueError(f"{rid}: unknown or missing {what} {unknown}")
    return tuple(table[c] for c in codes)


def _computable(rid: str, raw: dict, tables: dict, keys: frozenset[str]) -> dict:
    """The fields of a computable rule, validated."""
    indicator = raw.get("indicator")
    if indicator not in keys:
        raise ValueError(f"{rid}: unknown indicator {indicator!r}")
    comparison = raw.get("comparison")
    if comparison not in COMPARISONS:
        raise ValueError(f"{rid}: unknown comparison {comparison!r}")
    test, unit = raw.get("test"), raw.get("unit")
    if test not in TESTS or unit not in UNITS:
        raise ValueError(f"{rid}: test must be one of {list(TESTS)} and unit one of {list(UNITS)}")
    threshold, priority = _check_numbers(rid, raw)
    plan = str(raw.get("plan", "")).strip()
    if plan and plan not in tables["plan"]:
        raise ValueError(f"{rid}: unknown plan item {plan!r}")
    return dict(
        indicator=indicator, comparison=comparison, threshold=threshold,
        min_count=int(raw.get("min_count", DEFAULT_MIN_COUNT)), priority=priority,
        text=_langs(raw.get("text"), f"{rid}: text"),
        responsible=_codes(rid, raw.get("responsible", []), tables["bodies"], "responsible bodies"),
        plan=plan, unit=unit, test=test,
        regional=_codes(rid, raw.get("regional", []), tables["regional"], "regional executors"),
        watch=_langs(raw.get("watch"), f"{rid}: watch"), plan_item=tables["plan"].get(plan),
    )


def _rule(raw: dict, tables: dict, keys: frozenset[str]) -> Rule:
    rid = str(raw.get("id", "")).strip()
    if not rid:
        raise ValueError("a rule has no id")
    ground = tuple(raw.get("ground", ()))
    if not ground:
        raise ValueError(f"{rid}: no ground")
    for cite in ground:
        parse_ground(cite)
    keyword = str(raw.get("ground_keyword", "")).strip()
    if not keyword:
        raise ValueError(f"{rid}: no ground_keyword")
    title = _langs(raw.get("title"), f"{rid}: title")
    if not raw.get("computable", True):
        return Rule(rid, title, False, None, None, None, 0, 3, {}, (), "", ground, keyword,
                    str(raw.get("reason", "")))
    return Rule(rid, title, True, ground=ground, ground_keyword=keyword, **_computable(rid, raw, tables, keys))


def load_plan_items(path: str | Path | None = None) -> dict[str, PlanItem]:
    """The action-plan items the rules cite (default ``data/plan_items.csv``), by number."""
    file = Path(path) if path is not None else data_path("plan_items.csv")
    with open(file, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["item"]: PlanItem(r["item"], r["title_en"], tuple(r["responsible"].split()),
                                {lang: r[f"deadline_{lang}"].strip() for lang in LANGUAGES}, r["ground"],
                                r["keyword"]) for r in rows}


def load_rules(path: str | Path | None = None) -> list[Rule]:
    """Read and validate the rules (default ``data/rules.toml``).

    Raises
    ------
    DataLoadError
        When the file cannot be read or a rule is invalid (unknown indicator, comparison,
        test, unit, body, executor or plan item, missing language, malformed ground citation,
        duplicate id).
    """
    file = Path(path) if path is not None else data_path("rules.toml")
    stamp = (file.stat().st_mtime_ns, file.stat().st_size) if file.exists() else (0, 0)
    return list(_load(str(file), stamp))


@lru_cache(maxsize=4)
def _load(file: str, _stamp: tuple[int, int]) -> tuple[Rule, ...]:
    try:
        with open(file, "rb") as fh:
            raw = tomllib.load(fh)
        tables = {
            "bodies": {code: {**_langs(v, f"body {code}"), "abbr": str(v.get("abbr", ""))}
                       for code, v in raw.get("bodies", {}).items()},
            "regional": {code: _langs(v, f"executor {code}") for code, v in raw.get("regional", {}).items()},
            "plan": load_plan_items(),
        }
        rules = [_rule(r, tables, indicator_keys()) for r in raw.get("rules", [])]
        ids = [r.id for r in rules]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate rule ids")
    except (OSError, KeyError, tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
        raise DataLoadError(_("Cannot read the recommendation rules: {error}").format(error=exc), file) from exc
    return tuple(rules)


def _distance(rule: Rule, value: float, national: float) -> float:
    """How far past its trigger the region is: the gap to the national value in units of
    the rule's threshold, so that rules of every kind compare."""
    t, c = rule.threshold, rule.comparison
    with np.errstate(divide="ignore", invalid="ignore"):
        if c in ("diff_above", "diff_below"):
            return abs(value - national) / abs(t) if t else abs(value - national)
        if c == "ratio_above":
            return value / national / t
        return t * national / value if value > 0 else math.inf


def _recommendation(rule: Rule, profile: RegionProfile, row, lang: str) -> Recommendation:
    ind = profile.indicators[rule.indicator]
    item = rule.plan_item
    return Recommendation(
        rule.id, rule.text[lang], tuple(b[lang] for b in rule.responsible), rule.plan, ind, ind.value,
        ind.national, _distance(rule, ind.value, ind.national), rule.priority, rule.title[lang],
        tuple(b[lang] for b in rule.regional), item.deadline[lang] if item else "", (rule.watch or {}).get(lang, ""),
        rule.test, float(row["p"]), float(row["q"]),
    )


def _results(profiles: Mapping[str, RegionProfile], rules: list[Rule], table, lang: str,
             limit: int) -> dict[str, RuleResult]:
    by_id = {r.id: r for r in rules}
    out = {}
    for code, profile in profiles.items():
        rows = table[table["region"] == code]
        fired = [_recommendation(by_id[row["rule"]], profile, row, lang)
                 for _i, row in rows[rows["fires"]].iterrows()]
        fired.sort(key=lambda r: (r.priority, -r.distance, r.rule_id))
        cap = max(int(limit), 0)
        out[code] = RuleResult(tuple(fired[:cap]), len(fired), int(rows["status"].eq("tested").sum()),
                               tuple(f"{r.rule_id} {r.title}" for r in fired[cap:]))
    return out


def evaluate_all(
    profiles: Mapping[str, RegionProfile],
    rules: list[Rule] | None = None,
    lang: str = "ru",
    limit: int = MAX_RECOMMENDATIONS,
    *,
    units: str | Mapping | None = None,
) -> tuple[dict[str, RuleResult], "object"]:
    """Test every rule on every region of a run and rank each region's fired rules.

    Parameters
    ----------
    profiles : mapping of str to RegionProfile
        All regions of the run (the false-discovery control is over all of them).
    rules : list of Rule, optional
        Default :func:`load_rules`.
    lang : str
        Language of the texts, bodies and deadlines (kk, ru, en).
    limit : int
        At most this many recommendations per region (``fired`` keeps the total).
    units : str or mapping, optional
        Unit of the profiles' counts when the indicators do not say it
        (:func:`juvmap.recommend.rule_tests.indicator_unit`).

    Returns
    -------
    results : dict of str to RuleResult
        Recommendations by priority (1 first), then by distance from the national value.
    tests : DataFrame
        Every region × rule test (:func:`juvmap.recommend.rule_tests.run_rule_tests`).
    """
    from juvmap.recommend.rule_tests import run_rule_tests

    rules = load_rules() if rules is None else rules
    table = run_rule_tests(profiles, rules, units=units)
    return _results(profiles, rules, table, lang, limit), table


def evaluate(
    profile: RegionProfile,
    rules: list[Rule] | None = None,
    lang: str = "ru",
    limit: int = MAX_RECOMMENDATIONS,
    *,
    units: str | Mapping | None = None,
) -> RuleResult:
    """Test the rules on one region alone (the FDR control is over this region's tests).

    Use :func:`evaluate_all` for a run over all regions. Arguments as there.
    """
    results, _table = evaluate_all({profile.code: profile}, rules, lang, limit, units=units)
    return results[profile.code]
