"""Recommendation rules: the file is valid and grounded, crafted profiles fire exactly what they should."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from juvmap.errors import DataLoadError
from juvmap.recommend.profile import INDICATOR_LABELS, Indicator, RegionProfile
from juvmap.recommend.rules import MAX_RECOMMENDATIONS, evaluate, load_rules, parse_ground


def crafted(**values) -> RegionProfile:
    """A region equal to the nation everywhere (200 offences), except ``values`` (key → share/value)."""
    ind = {}
    for key in INDICATOR_LABELS:
        kind = "share" if key.startswith("share") else "rate"
        ind[key] = Indicator(key, kind, 0.2, 0.2, 40, 200, False)
    ind["count"] = Indicator("count", "count", 200.0, 5000.0, 200, None, False)
    ind["change_vs_base"] = Indicator("change_vs_base", "percent", 0.0, 0.0, 40, 40, False)
    for key, value in values.items():
        key = key.replace("__", ":")
        old = ind[key]
        count = value[1] if isinstance(value, tuple) else max(int(round(value * 200)), 0)
        v = value[0] if isinstance(value, tuple) else value
        ind[key] = Indicator(key, old.kind, v, old.national, count, old.total, False)
    return RegionProfile("KZ-75", {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"}, (2019, 2023), 2022,
                         ind, {}, pd.DataFrame(), [], {}, (10000, "0–17", True), True)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def fired(profile, rules, lang="en"):
    return [r.rule_id for r in evaluate(profile, rules, lang).recommendations]


def test_rules_file_is_complete(rules):
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids)) and len(ids) >= 25
    computable = [r for r in rules if r.computable]
    assert len(computable) >= 15
    for r in computable:
        assert r.indicator in INDICATOR_LABELS
        assert all(r.text[lang].strip() for lang in ("kk", "ru", "en"))
        assert r.responsible and all(all(b[lang] for lang in ("kk", "ru", "en")) for b in r.responsible)
        assert r.priority in (1, 2, 3)
    assert any("ә" in r.text["kk"] or "ұ" in r.text["kk"] or "қ" in r.text["kk"] for r in computable)
    assert all(r.reason for r in rules if not r.computable)


def test_every_ground_line_exists_in_the_seed_files(rules, shared):
    seeds = shared / "seeds"
    files: dict[str, list[str]] = {}
    for rule in rules:
        for i, cite in enumerate(rule.ground):
            prefix, first, last = parse_ground(cite)
            if prefix not in files:
                (path,) = sorted(seeds.glob(f"{prefix}_*.txt"))
                files[prefix] = Path(path).read_text(encoding="utf-8").splitlines()
            lines = files[prefix]
            assert last <= len(lines), f"{rule.id}: {cite} is past the end of the file"
            text = " ".join(lines[first - 1:last])
            assert text.strip(), f"{rule.id}: {cite} is empty"
            if i == 0:
                assert rule.ground_keyword.lower() in " ".join(text.split()).lower(), (rule.id, cite)


def test_a_neutral_region_fires_nothing(rules):
    result = evaluate(crafted(), rules)
    assert result.no_triggers and result.recommendations == ()


def test_crafted_profiles_fire_exactly_the_expected_rules(rules):
    assert fired(crafted(share_intoxicated=0.4), rules) == ["R10"]
    assert fired(crafted(share_group=0.4, share_intoxicated=0.4), rules) == ["R10", "R09"]
    assert fired(crafted(share_category__person=0.3, share_pupil=0.3), rules) == ["R06", "R02"]
    assert fired(crafted(change_vs_base=(25.0, 50)), rules) == ["R26"]
    assert fired(crafted(share_category__sexual=(0.05, 10)), rules) == ["R25"]
    assert fired(crafted(eb_rate=(0.3, 200)), rules) == ["R20"]


def test_just_below_a_threshold_does_not_fire(rules):
    assert fired(crafted(share_intoxicated=0.29), rules) == []      # ratio 1.45 < 1.5
    assert fired(crafted(share_pupil=0.249), rules) == []           # +4.9 points < 5
    assert fired(crafted(change_vs_base=(9.9, 50)), rules) == []


def test_small_numbers_and_suppressed_values_never_fire(rules):
    assert fired(crafted(share_intoxicated=(0.6, 9)), rules) == []  # min_count 10
    p = crafted(share_intoxicated=0.4)
    old = p.indicators["share_intoxicated"]
    p.indicators["share_intoxicated"] = Indicator(old.key, old.kind, old.value, old.national, old.count,
                                                  old.total, True)
    assert fired(p, rules) == []


def test_ranking_priority_then_distance_and_cap(rules):
    p = crafted(share_intoxicated=0.6, share_repeat=0.3, share_category__person=0.5, share_group=0.5,
                share_night=0.5, share_place__school=0.5, share_category__drugs=0.5, share_place__home=0.5)
    result = evaluate(p, rules)
    recs = result.recommendations
    assert result.fired == 8 and len(recs) == MAX_RECOMMENDATIONS
    assert [r.priority for r in recs] == sorted(r.priority for r in recs)
    assert [r.rule_id for r in recs[:3]] == ["R10", "R06", "R05"]  # 2.0, 1.92, 1.2 thresholds past
    assert "R13" not in [r.rule_id for r in recs]                    # priority 3 is cut first
    top = recs[0]
    assert top.value == 0.6 and math.isclose(top.national, 0.2) and top.indicator.key == "share_intoxicated"
    assert top.responsible and top.text


def test_texts_come_in_the_chosen_language(rules):
    p = crafted(share_intoxicated=0.4)
    kk, ru, en = (evaluate(p, rules, lang).recommendations[0] for lang in ("kk", "ru", "en"))
    assert "ішімдік" in kk.text and "алкогол" in ru.text and "drinking" in en.text
    assert "МВД (полиция)" in ru.responsible and "ІІМ (полиция)" in kk.responsible


def test_invalid_rules_are_rejected(tmp_path):
    bad = tmp_path / "rules.toml"
    base = ('[bodies]\nMVD = {{ kk = "a", ru = "b", en = "c" }}\n[[rules]]\nid = "X1"\nindicator = "{ind}"\n'
            'comparison = ">"\nthreshold = 1\npriority = 1\nresponsible = ["MVD"]\nground = ["{ground}"]\n'
            'ground_keyword = "x"\ntext = {{ kk = "a", ru = "b", en = "c" }}\n')
    bad.write_text(base.format(ind="share_pupil", ground="004:L1-2"), encoding="utf-8")
    assert load_rules(bad)[0].id == "X1"
    for ind, ground in (("no_such_indicator", "004:L1-2"), ("share_pupil", "004:L9-2"), ("share_pupil", "L12")):
        bad.write_text(base.format(ind=ind, ground=ground), encoding="utf-8")
        with pytest.raises(DataLoadError):
            load_rules(bad)
