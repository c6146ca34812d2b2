"""The rules against the Concept they cite: plan items, responsible bodies, deadlines, wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from juvmap.recommend.profile import INDICATOR_LABELS
from juvmap.recommend.rules import TESTS, load_plan_items, load_rules, parse_ground


def _despaced(text: str) -> str:
    """The seed's table cells are split over lines and sometimes letter-spaced: compare without spaces."""
    return re.sub(r"\s+", "", text).lower()


@pytest.fixture(scope="module")
def concept(shared) -> list[str]:
    (path,) = sorted((shared / "seeds").glob("004_*.txt"))
    return Path(path).read_text(encoding="utf-8").splitlines()


def _passage(lines: list[str], cite: str) -> str:
    prefix, first, last = parse_ground(cite)
    assert prefix == "004"
    return _despaced(" ".join(lines[first - 1:last]))


def test_every_plan_item_matches_its_lines_in_the_concept(concept):
    items = load_plan_items()
    assert {"2.1", "10.2", "10.3", "14.1", "6.1", "1.6"} <= set(items)
    for item in items.values():
        text = _passage(concept, item.ground)
        assert text.startswith(_despaced(item.item)) or _despaced(item.item) in text[:400], item.item
        assert _despaced(item.keyword) in text, item.item
        for body in item.responsible:
            assert _despaced(body) in text, (item.item, body)
        for word in item.deadline["ru"].replace(",", " ").split():
            assert _despaced(word) in text, (item.item, word)
        assert all(item.deadline[lang] for lang in ("kk", "ru", "en"))
        assert re.search(r"20\d\d", item.deadline["en"]) and re.search(r"20\d\d", item.deadline["kk"])


def test_every_rule_names_only_bodies_of_its_plan_item_and_its_lead():
    for rule in (r for r in load_rules() if r.computable):
        abbrs = [b["abbr"] for b in rule.responsible]
        if rule.plan:
            item = rule.plan_item
            assert item is not None and item.item == rule.plan
            assert set(abbrs) <= set(item.responsible), (rule.id, abbrs, item.responsible)
            assert item.responsible[0] in abbrs, (rule.id, "the lead body of the item")
        assert rule.regional, rule.id
        assert all(rule.watch[lang] for lang in ("kk", "ru", "en")), rule.id
        assert rule.test in TESTS and rule.unit in ("persons", "offences", "any")
        kind = "share" if rule.indicator.startswith("share") else {"change_vs_base": "percent"}.get(
            rule.indicator, "rate")
        assert kind in TESTS[rule.test], (rule.id, rule.test, rule.indicator)
        assert rule.indicator in INDICATOR_LABELS
        assert rule.min_count >= 20 or rule.id in ()  # no rule documents a lower minimum today


def test_the_mismatches_of_issue_14_are_fixed():
    rules = {r.id: r for r in load_rules()}
    r03 = rules["R03"]
    assert r03.plan == "2.1" and [b["abbr"] for b in r03.responsible] == ["МВД"]        # no AFM for thefts
    r17 = rules["R17"]
    assert not re.search("антитеррор|тревожн", r17.text["ru"]) and "драк" in r17.text["ru"]
    assert "МЧС" not in [b["abbr"] for b in r17.responsible]
    assert not rules["R25"].computable                                                  # never fires on absence
    r26 = rules["R26"]
    assert "целевому индикатору" not in r26.text["ru"] and r26.test == "rate_change"
    assert r26.ground[0] != "004:L1762-1764"                                            # TI 8 is all crime
    assert "004:L650-651" not in rules["R16"].ground                                    # victim figures
    assert "без прав" not in rules["R16"].text["ru"]
    assert "медико-социальн" not in rules["R13"].text["ru"] and rules["R13"].plan == "1.6"
    for rid in ("R07", "R12", "R15"):
        assert "ГП" not in [b["abbr"] for b in rules[rid].responsible] or rid == "R11"
        assert "АФМ" not in [b["abbr"] for b in rules[rid].responsible], rid
    persons = {r.id for r in rules.values() if r.computable and r.unit == "persons"}
    assert {"R02", "R03", "R05"} <= persons
