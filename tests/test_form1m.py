"""Form 1-M reader, command and built-in layer, on the 20 real 2022 workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from juvmap.cli import main
from juvmap.i18n import using_language
from juvmap.io import builtin
from juvmap.io.form1m import TABLE_COLUMNS, Form1MError, is_form1m, read_form1m, read_many
from juvmap.io.form1m.privacy import suppress_small_counts
from juvmap.paths import data_path

#: facts column -> reader column
FACT_COLUMNS = {
    "registered_offences_ERDR": "registered_offences",
    "offences_in_proceedings": "offences_in_proceedings",
    "juveniles_brought_to_criminal_liability": "juveniles",
    "juv_crimes": "juveniles_crimes", "juv_misdemeanours": "juveniles_misdemeanours",
    "juv_minor_gravity": "juveniles_minor", "juv_medium_gravity": "juveniles_medium",
    "juv_grave": "juveniles_grave", "juv_especially_grave": "juveniles_especially_grave",
    "juv_age_12_13": "juveniles_age_12_13", "juv_age_14_15": "juveniles_age_14_15",
    "juv_age_16_17": "juveniles_age_16_17",
    "offences_committed_by_minors_in_finished_cases": "offences_by_minors",
}


@pytest.fixture(scope="module")
def forms(shared) -> Path:
    return shared / "forms_1m" / "2022"


@pytest.fixture(scope="module")
def imported(forms):
    return read_many(sorted(forms.glob("*.XLSX")), period="2022")


def _facts(shared, name):
    df = pd.read_csv(shared / "facts" / name, dtype={"article": str})
    return df[df["region_iso"].str.startswith("KZ-")]


def _pairs(table, columns):
    return set(table[columns].astype(str).itertuples(index=False, name=None))


def test_every_region_equals_the_facts_tables(imported, shared):
    table, by_article, books = imported
    facts = _facts(shared, "juvenile_crime_2022_by_region.csv").set_index("region_iso")
    table = table.set_index("region_iso")
    assert sorted(table.index) == sorted(facts.index)  # the 20 regions, from the file names
    for fact, column in FACT_COLUMNS.items():
        assert table[column].to_dict() == facts.loc[table.index, fact].to_dict(), column
    assert table["juveniles"].sum() == 1569 and table["offences_by_minors"].sum() == 1723
    assert table["registered_offences"].sum() == 155_200
    assert table.at["KZ-75", "juveniles_pupils"] == 25  # Almaty: most neither work nor study
    assert table.at["KZ-75", "juveniles_not_working_not_studying"] == 113
    art = _facts(shared, "juvenile_crime_2022_by_article.csv")
    assert _pairs(by_article, ["region_iso", "article", "juveniles"]) == \
        _pairs(art, ["region_iso", "article", "juveniles"])
    assert sum(b.juveniles_off_article for b in books) == 3  # attempted murder rows


def test_only_the_real_inconsistency_is_reported(imported):
    _table, _art, books = imported
    issues = {b.region_iso: b.issues for b in books if b.issues}
    assert list(issues) == ["KZ-11"]
    (issue,) = issues["KZ-11"]
    assert (issue.sheet, issue.check, issue.row_label, issue.graph) == \
        ("R1", "gravity_total", "преступлений", 2)


def test_builtin_layer_reproduces_the_facts(shared):
    official = builtin.official_2022()
    facts = _facts(shared, "juvenile_crime_2022_by_region.csv").set_index("region_iso")
    legacy = {"registered_offences_ERDR": "registered_offences",
              "juveniles_brought_to_criminal_liability": "juveniles",
              "juv_crimes": "juv_crimes", "juv_age_14_15": "juv_age_14_15",
              "juv_minor_gravity": "juv_minor_gravity",
              "offences_committed_by_minors_in_finished_cases": "offences_by_minors"}
    for fact, column in legacy.items():
        assert official[column].to_dict() == facts.loc[official.index, fact].to_dict(), column
    assert set(TABLE_COLUMNS[2:]) <= set(official.columns)
    assert (official["juveniles_age_14_15"] == official["juv_age_14_15"]).all()
    assert official["offences_against_minors"].sum() == 1980
    caveats = official["caveat_code"].to_dict()
    assert {c for c, v in caveats.items() if v == "new_region_partial_year"} == {"KZ-10", "KZ-33", "KZ-62"}
    assert {c for c, v in caveats.items() if v == "parent_of_2022_split"} == {"KZ-19", "KZ-35", "KZ-63"}
    art = pd.read_csv(data_path("official_2022_by_article.csv"), dtype={"article": str})
    facts_art = _facts(shared, "juvenile_crime_2022_by_article.csv")
    assert _pairs(art, ["region_iso", "article", "category", "juveniles"]) == \
        _pairs(facts_art, ["region_iso", "article", "category", "juveniles"])


def _copy(src: Path, dst: Path, edit=None) -> Path:
    """Write the values of ``src`` to ``dst`` (all sheet names; R-sheets with content),
    letting ``edit(sheet, rows)`` change the rows of a sheet first."""
    book = CalamineWorkbook.from_path(str(src))
    out = openpyxl.Workbook(write_only=True)
    for name in book.sheet_names:
        sheet = out.create_sheet(name)
        if name not in ("R1", "R2", "R6", "R10"):
            continue
        rows = [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
        if edit:
            rows = edit(name, rows)
        for row in rows:
            sheet.append([None if c == "" else c for c in row])
    out.save(dst)
    return dst


def _row_index(rows, text):
    return next(i for i, r in enumerate(rows) if any(isinstance(c, str) and c.startswith(text) for c in r))


def test_shifted_rows_and_columns_give_the_same_figures(forms, tmp_path):
    def shift(name, rows):
        chapter = _row_index(rows, "Глава 6.")
        rows[chapter:chapter] = [[], []]  # two blank rows above a section
        total = _row_index(rows, "Всего правонарушений")
        rows.insert(total, [None] * 3 + ["примечание"])
        if name == "R10":  # a blank column inside the graphs: columns come from graph numbers
            rows = [r[:6] + [None] + r[6:] for r in rows]
        return rows

    original = read_form1m(forms / "Almaty.XLSX", period="2022")
    shifted = read_form1m(_copy(forms / "Almaty.XLSX", tmp_path / "Almaty 2022.xlsx", shift))
    assert shifted.region_iso == "KZ-75" and shifted.period == "2022"
    assert shifted.indicators == original.indicators
    assert shifted.by_article.equals(original.by_article)
    assert shifted.issues == []


def test_changed_article_cell_is_reported_naming_the_row(forms, tmp_path):
    def change(name, rows):
        if name == "R10":
            theft = _row_index(rows, "Кража (ст.188)")
            rows[theft][4] = rows[theft][4] + 7  # graph 1
        return rows

    book = read_form1m(_copy(forms / "Almaty.XLSX", tmp_path / "a.xlsx", change),
                       region="KZ-75", period="2022")
    assert book.indicators["juveniles"] == 139  # the workbook still loads
    (issue,) = book.issues
    assert (issue.check, issue.sheet, issue.graph) == ("chapter_sum", "R10", 1)
    assert issue.row_label.startswith("Глава 6.") and issue.found - issue.expected == 7
    with using_language("ru"):
        text = issue.message()
    assert "Глава 6." in text and "R10" in text and f"строка {issue.row_number}" in text


def test_other_workbooks_and_damaged_files_give_one_typed_error(forms, tmp_path):
    other = tmp_path / "Almaty 2022.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["region", "count"])
    book.save(other)
    damaged = tmp_path / "Almaty_2022.xlsx"
    damaged.write_bytes((forms / "Almaty.XLSX").read_bytes()[:20_000])
    for path, code in ((other, "not_form1m"), (damaged, "damaged")):
        with using_language("kk"), pytest.raises(Form1MError) as err:
            read_form1m(path)
        assert err.value.code == code and path.name in str(err.value)
        assert not is_form1m(path)
    assert is_form1m(forms / "Almaty.XLSX")

    def no_graphs(name, rows):
        return [r for r in rows if not (r and r[0] == "А")] if name == "R6" else rows

    with pytest.raises(Form1MError) as err:
        read_form1m(_copy(forms / "Almaty.XLSX", tmp_path / "b.xlsx", no_graphs), "KZ-75", "2022")
    assert err.value.code == "unknown_layout" and "R6" in str(err.value)


def test_region_and_period_from_arguments_names_or_errors(forms, tmp_path):
    anonymous = _copy(forms / "Karagandy Region.XLSX", tmp_path / "svod.xlsx")
    with using_language("ru"), pytest.raises(Form1MError) as err:
        read_form1m(anonymous, period="2022")
    assert err.value.code == "region_unknown" and "--region" in str(err.value)
    with pytest.raises(Form1MError) as err:
        read_form1m(anonymous, region="KZ-35")
    assert err.value.code == "period_unknown" and "--period" in str(err.value)
    assert read_form1m(anonymous, region="Карагандинская обл.", period="2022").region_iso == "KZ-35"
    named = anonymous.rename(tmp_path / "1-M_Қарағанды облысы_2023.xlsx")
    book = read_form1m(named)
    assert (book.region_iso, book.period) == ("KZ-35", "2023")


def test_command_writes_the_issue_columns_with_small_counts_hidden(forms, tmp_path, capsys):
    out, arts = tmp_path / "t.csv", tmp_path / "a.csv"
    code = main(["--lang", "en", "form1m", str(forms / "Ulytau Region.XLSX"),
                 str(forms / "Akmola Region.XLSX"), "--period", "2022", "--out", str(out),
                 "--by-article", str(arts), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert [w["region_iso"] for w in report["workbooks"]] == ["KZ-62", "KZ-11"]
    assert report["workbooks"][1]["cross_checks"][0]["check"] == "gravity_total"
    table = pd.read_csv(out, dtype=str).set_index("region_iso")
    assert list(table.reset_index().columns) == TABLE_COLUMNS
    assert table.at["KZ-62", "juveniles"] == "<5" and table.at["KZ-11", "juveniles"] == "81"
    articles = pd.read_csv(arts, dtype=str)
    assert list(articles.columns[:4]) == ["region_iso", "period", "article", "juveniles"]
    assert not articles.isin(["1", "2", "3", "4"]).any().any()
    assert main(["form1m", str(forms / "Almaty.XLSX"), "--out", str(out)]) == 2  # no period


def test_secondary_suppression_keeps_hidden_counts_hidden():
    row = pd.DataFrame([{"juveniles": 30, "juveniles_age_14_15": 3, "juveniles_age_16_17": 27,
                         "registered_offences": 2}])
    out = suppress_small_counts(row).iloc[0]
    assert out["juveniles_age_14_15"] == "<5" and out["juveniles_age_16_17"] == "<5"
    assert out["juveniles"] == 30 and out["registered_offences"] == 2


def test_load_command_recognises_a_form1m_workbook(forms, capsys):
    assert main(["--lang", "en", "load", str(forms / "Almaty.XLSX")]) == 0
    assert "Form 1-M workbook" in capsys.readouterr().out


def test_text_in_a_count_cell_or_a_missing_row_is_a_layout_error(forms, tmp_path):
    def text_cell(name, rows):
        if name == "R2":
            rows[_row_index(rows, "Всего правонарушений")][6] = "н/д"
        return rows

    def no_gravity(name, rows):
        return [r for r in rows if not (len(r) > 2 and r[2] == "тяжкие ")] if name == "R10" else rows

    for edit, where in ((text_cell, "«н/д»"), (no_gravity, "R10: «тяжкие»")):
        with using_language("ru"), pytest.raises(Form1MError) as err:
            read_form1m(_copy(forms / "Almaty.XLSX", tmp_path / "c.xlsx", edit), "KZ-75", "2022")
        assert err.value.code == "unknown_layout" and where in str(err.value)
        assert "макет" in str(err.value)
