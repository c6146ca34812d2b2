"""Format sniffing, raw reading and column mapping (juvmap.io.readers, juvmap.io.columns)."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from juvmap.errors import DataLoadError
from juvmap.io.columns import (
    CANONICAL_FIELDS,
    detect_mapping,
    parse_articles,
    parse_dates,
    parse_numbers,
    resolve_mapping,
)
from juvmap.io.readers import find_header_row, read_csv, sniff_format, sniff_separator


@pytest.mark.parametrize("headers, expected", [
    (["Дата совершения", "Время", "Статья УК", "Область", "Широта", "Долгота", "Возраст",
      "Пол", "№"],
     {"date": "Дата совершения", "time": "Время", "article": "Статья УК", "region": "Область",
      "lat": "Широта", "lon": "Долгота", "age": "Возраст", "sex": "Пол", "id": "№"}),
    (["Күні", "Уақыты", "Бап", "Облыс", "Ендік", "Бойлық", "Жасы", "Жынысы"],
     {"date": "Күні", "time": "Уақыты", "article": "Бап", "region": "Облыс", "lat": "Ендік",
      "lon": "Бойлық", "age": "Жасы", "sex": "Жынысы"}),
    (["ID", " date ", "TIME", "Article", "REGION", "latitude", "Lng", "age", "Gender"],
     {"id": "ID", "date": " date ", "time": "TIME", "article": "Article", "region": "REGION",
      "lat": "latitude", "lon": "Lng", "age": "age", "sex": "Gender"}),
    (["X", "Y", "Регион", "Кол-во"], {"lon": "X", "lat": "Y", "region": "Регион",
                                      "count": "Кол-во"}),
])
def test_detect_mapping_in_three_languages(headers, expected):
    assert detect_mapping(headers) == expected


def test_mapping_prefers_exact_names_and_skips_birth_dates():
    cols = ["Дата рождения", "Дата совершения деяния", "Статья УК РК", "Дата"]
    mapping = detect_mapping(cols)
    assert mapping["date"] == "Дата"  # the exact synonym wins over the longer header
    assert mapping["article"] == "Статья УК РК"
    assert "Дата рождения" not in mapping.values()
    assert detect_mapping(["Дата совершения деяния"]) == {
        "date": "Дата совершения деяния"}


def test_overrides_take_the_column_away_from_a_guess():
    mapping = resolve_mapping(["Дата", "Когда", "lat", "lon"], {"date": "Когда"})
    assert mapping["date"] == "Когда" and "Дата" not in mapping.values()
    assert set(mapping) <= set(CANONICAL_FIELDS)


def test_sniff_separator():
    assert sniff_separator(["№;Дата;Широта", "1;01.02.2023;43,25", "2;02.02.2023;51,1"]) == ";"
    assert sniff_separator(["a\tb\tc", "1,5\t2\t3"]) == "\t"
    assert sniff_separator(['id,name,lat', '1,"Алматы, центр",43.2']) == ","


def test_header_row_below_title_rows():
    rows = [["Отчёт о правонарушениях"], ["за 2023 год", ""], ["Дата", "Статья", "Область"],
            ["01.01.2023", "188", "Алматы"]]
    assert find_header_row(rows) == 2
    assert find_header_row([["a", "b"], ["1", "2"]]) == 0


def test_parse_numbers_and_dates():
    vals, bad = parse_numbers(pd.Series(["43,25", "76.9", " 1 234,5 ", "", None, "abc", "inf"]))
    assert np.allclose(vals[:3], [43.25, 76.9, 1234.5])
    assert np.isnan(vals[3:]).all()
    assert bad.tolist() == [False, False, False, False, False, True, True]
    dates, bad = parse_dates(pd.Series(["15.03.2022", "2022-03-15", "15/03/2022",
                                        "15.03.2022 14:05", "2022-03-15T14:05:00", "32.01.2022",
                                        "", None]))
    got = pd.to_datetime(dates)
    assert (got[:3] == pd.Timestamp("2022-03-15")).all()
    assert (got[3:5] == pd.Timestamp("2022-03-15 14:05")).all()
    assert bad.tolist() == [False] * 5 + [True, False, False]


def test_parse_articles_keeps_the_code_spelling():
    arts, unknown = parse_articles(pd.Series(["188", "ст. 188-1 ч.2", "ч.2 ст.190", "99", "999",
                                              "", None]))
    assert arts.fillna("").tolist() == ["188", "188-1", "190", "99", "", "", ""]
    assert unknown.tolist() == [False, False, False, False, True, False, False]


def test_encodings_are_detected(tmp_path):
    text = "Дата;Область;Количество\n01.01.2023;Алматы;3\n"
    for enc, expected in (("cp1251", "cp1251"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"),
                          ("utf-16", "utf-16")):
        path = tmp_path / f"{enc}.csv"
        path.write_bytes(text.encode(enc))
        raw = read_csv(path)
        assert raw.details["encoding"] == expected
        assert list(raw.frame.columns) == ["Дата", "Область", "Количество"]
        assert raw.frame.iloc[0]["Область"] == "Алматы"


def test_sniff_format_by_content(tmp_path):
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert sniff_format(csv_path) == "csv"
    unknown_ext = tmp_path / "a.dat"
    unknown_ext.write_text("a;b\n1;2\n", encoding="utf-8")
    assert sniff_format(unknown_ext) == "csv"
    misnamed = tmp_path / "table.xlsx"
    misnamed.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataLoadError, match="CSV"):
        sniff_format(misnamed)
    archive = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    with pytest.raises(DataLoadError):
        sniff_format(archive)
