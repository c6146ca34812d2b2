"""Recommendation rules from ``data/rules.toml``: load, validate, evaluate on a profile, rank.

A rule fires when its indicator's regional value passes the comparison (usually against the
national value), enough incidents stand behind it and the value may be printed (a
suppressed value cannot be shown as the reason, so it never triggers). Fired rules are
ranked by priority, then by how far the region is from the national value, and capped.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from juvmap.errors import DataLoadError
from juvmap.i18n import LANGUAGES, _
from juvmap.paths import data_path
from juvmap.recommend.profile import Indicator, RegionProfile, indicator_keys

__all__ = ["COMPARISONS", "MAX_RECOMMENDATIONS", "Recommendation", "Rule", "RuleResult",
           "evaluate", "load_rules", "parse_ground"]

MAX_RECOMMENDATIONS = 6
COMPARISONS = (">", ">=", "<", "<=", "ratio_above", "ratio_below", "diff_above", "diff_below")
_GROUND = re.compile(r"^(\d{3}):L(\d+)(?:-(\d+))?$")
_LOW = ("<", "<=", "ratio_below", "diff_below")


@dataclass(frozen=True)
class Rule:
    """One rule of ``rules.toml`` (see the comments at the top of that file)."""

    id: str
    title: str
    computable: bool
    indicator: str | None
    comparison: str | None
    threshold: float | None
    min_count: int
    min_total: int
    priority: int
    text: dict
    responsible: tuple[dict, ...]
    plan: tuple[str, ...]
    ground: tuple[str, ...]
    ground_keyword: str
    reason: str = ""


@dataclass(frozen=True)
class Recommendation:
    """A fired rule with its reason, in one language."""

    rule_id: str
    text: str
    responsible: tuple[str, ...]
    plan: tuple[str, ...]
    indicator: Indicator
    value: float
    national: float
    distance: float
    priority: int


@dataclass(frozen=True)
class RuleResult:
    """The ranked recommendations of a region; ``no_triggers`` when none fired."""

    recommendations: tuple[Recommendation, ...]
    fired: int

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


def _rule(raw: dict, bodies: dict[str, dict], keys: frozenset[str]) -> Rule:
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
    computable = bool(raw.get("computable", True))
    title = str(raw.get("title", rid))
    if not computable:
        return Rule(rid, title, False, None, None, None, 0, 0, 3, {}, (), (), ground, keyword,
                    str(raw.get("reason", "")))
    indicator = raw.get("indicator")
    if indicator not in keys:
        raise ValueError(f"{rid}: unknown indicator {indicator!r}")
    comparison = raw.get("comparison")
    if comparison not in COMPARISONS:
        raise ValueError(f"{rid}: unknown comparison {comparison!r}")
    threshold = raw.get("threshold")
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not math.isfinite(threshold):
        raise ValueError(f"{rid}: threshold must be a number")
    priority = raw.get("priority")
    if priority not in (1, 2, 3):
        raise ValueError(f"{rid}: priority must be 1, 2 or 3")
    codes = raw.get("responsible", [])
    unknown = [c for c in codes if c not in bodies]
    if not codes or unknown:
        raise ValueError(f"{rid}: unknown or missing responsible bodies {unknown}")
    return Rule(
        rid, title, True, indicator, comparison, float(threshold), int(raw.get("min_count", 5)),
        int(raw.get("min_total", 20)), priority, _langs(raw.get("text"), f"{rid}: text"),
        tuple(bodies[c] for c in codes), tuple(str(p) for p in raw.get("plan", ())), ground, keyword,
    )


def load_rules(path: str | Path | None = None) -> list[Rule]:
    """Read and validate the rules (default ``data/rules.toml``).

    Raises
    ------
    DataLoadError
        When the file cannot be read or a rule is invalid (unknown indicator, comparison or
        body, missing language, malformed ground citation, duplicate id).
    """
    file = Path(path) if path is not None else data_path("rules.toml")
    stamp = (file.stat().st_mtime_ns, file.stat().st_size) if file.exists() else (0, 0)
    return list(_load(str(file), stamp))


@lru_cache(maxsize=4)
def _load(file: str, _stamp: tuple[int, int]) -> tuple[Rule, ...]:
    try:
        with open(file, "rb") as fh:
            raw = tomllib.load(fh)
        bodies = {code: _langs(v, f"body {code}") for code, v in raw.get("bodies", {}).items()}
        keys = indicator_keys()
        rules = [_rule(r, bodies, keys) for r in raw.get("rules", [])]
        ids = [r.id for r in rules]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate rule ids")
    except (OSError, tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
        raise DataLoadError(_("Cannot read the recommendation rules: {error}").format(error=exc), file) from exc
    return tuple(rules)


def _passes(rule: Rule, value: float, national: float) -> bool:
    t, c = rule.threshold, rule.comparison
    if c in (">", ">=", "<", "<="):
        return {">": value > t, ">=": value >= t, "<": value < t, "<=": value <= t}[c]
    if not math.isfinite(national):
        return False
    if c == "diff_above":
        return value - national >= t - 1e-12
    if c == "diff_below":
        return national - value >= t - 1e-12
    if national <= 0:
        return False
    ratio = value / national
    return ratio >= t - 1e-12 if c == "ratio_above" else ratio <= t + 1e-12


def _distance(rule: Rule, value: float, national: float) -> float:
    """How far past its trigger the region is: the gap to the national value (or the
    threshold) in units of the rule's threshold, so that rules of every kind compare."""
    t, c = rule.threshold, rule.comparison
    with np.errstate(divide="ignore", invalid="ignore"):
        if c in ("diff_above", "diff_below"):
            return abs(value - national) / abs(t) if t else abs(value - national)
        if c == "ratio_above":
            return value / national / t
        if c == "ratio_below":
            return t * national / value if value > 0 else math.inf
        return abs(value) / abs(t) if c in (">", ">=") and t else (abs(t) / abs(value) if value else math.inf)


def _fires(rule: Rule, ind: Indicator | None, region_total: float) -> bool:
    if ind is None or ind.suppressed or not math.isfinite(ind.value):
        return False
    if region_total < rule.min_total:
        return False
    if rule.comparison not in _LOW and (ind.count or 0) < rule.min_count:
        return False
    return _passes(rule, ind.value, ind.national)


def evaluate(
    profile: RegionProfile,
    rules: list[Rule] | None = None,
    lang: str = "ru",
    limit: int = MAX_RECOMMENDATIONS,
) -> RuleResult:
    """Fire the rules on a region profile and rank the results.

    Parameters
    ----------
    profile : RegionProfile
        The region beside the national values.
    rules : list of Rule, optional
        Default :func:`load_rules`.
    lang : str
        Language of the texts and bodies (kk, ru, en).
    limit : int
        At most this many recommendations (the ``fired`` count keeps the total).

    Returns
    -------
    RuleResult
        Recommendations by priority (1 first), then by distance from the national value
        (largest first); ``no_triggers`` when nothing fired.
    """
    rules = load_rules() if rules is None else rules
    total = profile.indicators["count"].value
    fired = []
    for rule in rules:
        if not rule.computable:
            continue
        ind = profile.indicators.get(rule.indicator)
        if _fires(rule, ind, total):
            fired.append(Recommendation(
                rule.id, rule.text[lang], tuple(b[lang] for b in rule.responsible), rule.plan, ind,
                ind.value, ind.national, _distance(rule, ind.value, ind.national), rule.priority,
            ))
    fired.sort(key=lambda r: (r.priority, -r.distance, r.rule_id))
    return RuleResult(tuple(fired[: max(int(limit), 0)]), len(fired))
