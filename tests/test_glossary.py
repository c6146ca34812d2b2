"""One term per concept: the catalogs and the rules follow resources/glossary.csv."""

from __future__ import annotations

import csv
import re
import tomllib

import pytest

from juvmap.paths import data_path, resource_path


@pytest.fixture(scope="module")
def glossary() -> list[dict]:
    with open(resource_path("glossary.csv"), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _msgstrs(lang: str) -> str:
    from babel.messages.pofile import read_po

    with open(resource_path("translations", lang, "LC_MESSAGES", "juvmap.po"), "rb") as fh:
        catalog = read_po(fh, locale=lang)
    return "\n".join(m.string for m in catalog if m.id and isinstance(m.string, str))


def _rule_texts(lang: str) -> str:
    with open(data_path("rules.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    parts = []
    for section in ("bodies", "regional"):
        parts += [v[lang] for v in raw.get(section, {}).values()]
    for rule in raw["rules"]:
        for key in ("text", "watch", "title"):
            if isinstance(rule.get(key), dict):
                parts.append(rule[key][lang])
    return "\n".join(parts)


def test_glossary_has_one_term_per_concept_and_language(glossary):
    ids = [row["concept"] for row in glossary]
    assert len(ids) == len(set(ids)) and {"minors", "sexual_inviolability"} <= set(ids)
    for row in glossary:
        assert all(row[lang].strip() for lang in ("kk", "ru", "en")), row["concept"]
    terms = {row["concept"]: row for row in glossary}
    assert terms["sexual_inviolability"]["kk"] == "жыныстық қол сұғылмаушылық"
    assert terms["minors"]["kk"] == "кәмелетке толмағандар"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_catalogs_and_rules_use_no_forbidden_variant(glossary, lang):
    texts = {"catalog": _msgstrs(lang), "rules.toml": _rule_texts(lang)}
    texts = {k: re.sub(r"\{[^}]*\}", "", v) for k, v in texts.items()}  # placeholders are not words
    for row in glossary:
        for variant in filter(None, row[f"forbidden_{lang}"].split("|")):
            for where, text in texts.items():
                pattern = rf"\b{re.escape(variant)}\b" if variant.isascii() else re.escape(variant)
                hits = re.findall(rf"[^\s]*{pattern}[^\s]*", text, flags=re.IGNORECASE)
                assert not hits, f"{lang} {where}: {hits[:3]} — use «{row[lang]}» ({row['concept']})"


def test_the_sexual_offence_category_uses_the_criminal_code_term():
    assert "қол сұғылмаушылыққа" in _msgstrs("kk")
    assert "половой неприкосновенности" in _msgstrs("ru")
