"""Recommendation rules: the file is valid and grounded, crafted profiles fire exactly what they should."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from juvmap.errors import DataLoadError
from juvmap.recommend.profile import INDICATOR_LABELS, Indicator, RegionProfile
from juvmap.recommend.rules import MAX_RECOMMENDATIONS, evaluate, evaluate_all, load_rules, parse_ground


def crafted(**values) -> RegionProfile:
    """A region equal to the nation everywhere (200 offences), except ``values`` (key → share/value).

    A share ``v`` stands for ``round(200 v)`` of 200 offences; a tuple is (value, count).
    """
    ind = {}
    for key in INDICATOR_LABELS:
        kind = "share" if key.startswith("share") else "rate"
        ind[key] = Indicator(key, kind, 0.2, 0.2, 40, 200, False)
    ind["count"] = Indicator("count", "count", 200.0, 5000.0, 200, None, False)
    ind["change_vs_base"] = Indicator("change_vs_base", "percent", 0.0, 0.0, 100, 100, False)
    ind["rate"] = Indicator("rate", "rate", 0.2, 0.2, 200, None, False, (0.17, 0.23))
    for key, value in values.items():
        key = key.replace("__", ":")
        old = ind[key]
        count = value[1] if isinstance(value, tuple) else max(int(round(value * 200)), 0)
        total = 100 if key == "change_vs_base" else old.total
        v = value[0] if isinstance(value, tuple) else value
        ind[key] = Indicator(key, old.kind, v, old.national, count, total, False, old.ci)
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
    assert result.tested > 0


def test_crafted_profiles_fire_exactly_the_expected_rules(rules):
    assert fired(crafted(share_intoxicated=0.4), rules) == ["R10"]
    assert fired(crafted(share_group=0.4, share_intoxicated=0.4), rules) == ["R10", "R09"]
    assert fired(crafted(share_category__person=0.3, share_night=0.3), rules) == ["R06", "R08b"]
    assert fired(crafted(change_vs_base=(60.0, 160)), rules) == ["R26"]  # 160 against 100 in 2022
    assert fired(crafted(eb_rate=(0.3, 200), rate=(0.3, 200)), rules) == ["R20"]


def test_rules_are_tests_not_thresholds(rules):
    """An effect past the threshold on too few cases is no evidence: it does not fire."""
    small = crafted()
    p = small.indicators["share_intoxicated"]
    small.indicators["share_intoxicated"] = Indicator(p.key, p.kind, 25 / 60, 0.2, 25, 60, False)
    assert fired(small, rules) == ["R10"]                                    # 25 of 60 against 20 %: p < 0.001
    weak = crafted()
    weak.indicators["share_intoxicated"] = Indicator(p.key, p.kind, 7 / 20, 0.2, 7, 20, False)
    assert fired(weak, rules) == []                                           # ratio 1.75 but 7 < 20 cases
    borderline = crafted()
    borderline.indicators["share_intoxicated"] = Indicator(p.key, p.kind, 22 / 70, 0.2, 22, 70, False)
    assert fired(borderline, rules) == []          # ratio 1.57 > 1.5, but p ≈ 0.016 is q ≈ 0.25 over 16 tests
    strong = crafted()
    strong.indicators["share_intoxicated"] = Indicator(p.key, p.kind, 26 / 70, 0.2, 26, 70, False)
    (rec,) = evaluate(strong, rules, "en").recommendations                    # ratio 1.86, p ≈ 0.0007
    assert rec.rule_id == "R10" and rec.test == "binomial"
    assert 0.0005 < rec.p < 0.001 and rec.p < rec.q < 0.05


def test_false_discovery_control_runs_over_all_regions(rules):
    """The same borderline region fires alone but not among 19 regions with no deviation."""
    base = crafted()
    p = base.indicators["share_intoxicated"]
    base.indicators["share_intoxicated"] = Indicator(p.key, p.kind, 26 / 70, 0.2, 26, 70, False)
    alone, _tests = evaluate_all({"KZ-75": base}, rules, "en")
    assert alone["KZ-75"].fired == 1
    others = {f"KZ-{i:02d}": crafted() for i in range(10, 29)}
    for code, prof in others.items():
        prof.code = code
    together, tests = evaluate_all({"KZ-75": base, **others}, rules, "en")
    assert together["KZ-75"].fired == 0
    row = tests[(tests["region"] == "KZ-75") & (tests["rule"] == "R10")].iloc[0]
    assert row["p"] < 0.05 < row["q"] and row["status"] == "tested" and not row["fires"]
    assert tests["status"].eq("tested").sum() > 100


def test_a_rule_refuses_counts_of_the_wrong_unit(rules):
    """R02 (pupils) and R05 (repeat) rest on person counts; offences do not test them."""
    profile = crafted(share_pupil=0.4, share_repeat=0.4)
    assert fired(profile, rules) == []
    _res, tests = evaluate_all({"KZ-75": profile}, rules, "en")
    assert set(tests.loc[tests["rule"].isin(["R02", "R05"]), "status"]) == {"unit_mismatch"}
    assert fired_units(profile, rules, "persons") == ["R05", "R02"]


def fired_units(profile, rules, units):
    return [r.rule_id for r in evaluate(profile, rules, "en", units=units).recommendations]


def test_no_change_is_tested_across_the_2022_split(rules):
    for code in ("KZ-10", "KZ-63", "KZ-33", "KZ-19", "KZ-62", "KZ-35"):
        p = crafted(change_vs_base=(60.0, 160))
        p.code = code
        _res, tests = evaluate_all({code: p}, rules, "en")
        assert tests.loc[tests["rule"] == "R26", "status"].item() == "boundary_change", code


def test_small_numbers_and_suppressed_values_never_fire(rules):
    p = crafted(share_intoxicated=0.4)
    old = p.indicators["share_intoxicated"]
    p.indicators["share_intoxicated"] = Indicator(old.key, old.kind, old.value, old.national, old.count,
                                                  old.total, True)
    assert fired(p, rules) == []


def test_ranking_priority_then_distance_and_cap(rules):
    p = crafted(share_intoxicated=0.6, share_category__person=0.5, share_group=0.5,
                share_night=0.5, share_place__school=0.5, share_category__drugs=0.5, share_place__home=0.5)
    result = evaluate(p, rules, "en")
    recs = result.recommendations
    assert result.fired == 7 and len(recs) == MAX_RECOMMENDATIONS
    assert [r.priority for r in recs] == sorted(r.priority for r in recs)
    assert [r.rule_id for r in recs] == ["R10", "R06", "R08b"]  # priority 1: 2.0, 1.92 thresholds past; then 1.92
    assert len(result.others) == 4 and any(o.startswith("R13 ") for o in result.others)
    top = recs[0]
    assert top.value == 0.6 and math.isclose(top.national, 0.2) and top.indicator.key == "share_intoxicated"
    assert top.responsible and top.text and top.regional and top.watch
    assert top.plan == "6.1" and top.deadline == "2024–2025"


def test_texts_come_in_the_chosen_language(rules):
    p = crafted(share_intoxicated=0.4)
    kk, ru, en = (evaluate(p, rules, lang).recommendations[0] for lang in ("kk", "ru", "en"))
    assert "ішімдік" in kk.text and "алкогол" in ru.text and "drinking" in en.text
    assert "МВД (полиция)" in ru.responsible and "ІІМ (полиция)" in kk.responsible
    assert "ювенальная полиция ДП (ЮП, ранее ПДН)" in ru.regional
    assert ru.deadline == "2024 – 2025 годы" and kk.deadline == "2024–2025 жылдар"


def test_invalid_rules_are_rejected(tmp_path):
    bad = tmp_path / "rules.toml"
    base = ('[bodies]\nMVD = {{ kk = "a", ru = "b", en = "c" }}\n[regional]\nJUV = {{ kk = "a", ru = "b", en = "c" }}\n'
            '[[rules]]\nid = "X1"\ntitle = {{ kk = "a", ru = "b", en = "c" }}\nindicator = "{ind}"\n'
            'unit = "{unit}"\ntest = "binomial"\ncomparison = "ratio_above"\nthreshold = 1\npriority = 1\n'
            'plan = "{plan}"\nresponsible = ["MVD"]\nregional = ["JUV"]\nground = ["{ground}"]\n'
            'ground_keyword = "x"\ntext = {{ kk = "a", ru = "b", en = "c" }}\nwatch = {{ kk = "a", ru = "b", en = "c" }}\n')
    ok = {"ind": "share_pupil", "ground": "004:L1-2", "unit": "persons", "plan": "2.1"}
    bad.write_text(base.format(**ok), encoding="utf-8")
    assert load_rules(bad)[0].plan_item.responsible == ("МВД",)
    for change in ({"ind": "no_such_indicator"}, {"ground": "004:L9-2"}, {"ground": "L12"}, {"unit": "people"},
                   {"plan": "99.9"}):
        bad.write_text(base.format(**{**ok, **change}), encoding="utf-8")
        with pytest.raises(DataLoadError):
            load_rules(bad)
