"""Loaders v2 (issue 16): the messy files police analysts and researchers really have.

Every file is generated here; each test names the row of the issue's table it covers.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from shapely.geometry import LineString, Point, box

from juvmap.cli import main
from juvmap.errors import DataLoadError
from juvmap.i18n import using_language
from juvmap.io.load import load_layer

ALMATY, ASTANA, SHYMKENT = (43.25249, 76.91150), (51.18010, 71.44598), (42.30988, 69.60042)


def _check(res) -> None:
    rep = res.report
    assert rep.rows_read == rep.loaded + rep.rejected == len(res.data) + len(rep.rejected_rows)


def _near_almaty(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return ALMATY[0] + rng.uniform(-0.05, 0.05, n), ALMATY[1] + rng.uniform(-0.05, 0.05, n)


# -- workbooks ---------------------------------------------------------------------------------
def test_two_header_rows_with_a_merged_group_cell_are_combined(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["№", "Дата", "Место совершения", None, None, "Возраст"])
    sheet.append([None, None, "Область", "Широта", "Долгота", None])
    sheet.merge_cells("C1:E1")
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    lat, lon = _near_almaty(60)
    for i in range(60):
        sheet.append([i + 1, dt.datetime(2023, 1, 1) + dt.timedelta(days=i), "г. Алматы",
                      float(lat[i]), float(lon[i]), 15])
    path = tmp_path / "merged.xlsx"
    book.save(path)
    res = load_layer(path)
    _check(res)
    assert res.kind == "points" and res.report.loaded == 60
    assert res.report.details["mapping"]["lat"] == "Широта"
    assert (res.data["region"] == "KZ-75").all() and res.data["source_row"].iloc[0] == 3


@pytest.mark.parametrize("date1904", [False, True])
def test_excel_serial_dates_are_dates(tmp_path, date1904):
    book = Workbook()
    if date1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["Дата", "Широта", "Долгота"])
    lat, lon = _near_almaty(100)
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    expected = []
    for i in range(100):
        day = dt.datetime(2022, 10, 24) + dt.timedelta(days=i)
        expected.append(day)
        serial = (day - epoch).days  # 44858 in the 1900 system
        sheet.append([serial if i % 5 < 2 else day, float(lat[i]), float(lon[i])])
        if i % 5 == 1:
            sheet.cell(row=i + 2, column=1).number_format = "DD.MM.YYYY"
    path = tmp_path / "serial.xlsx"
    book.save(path)
    res = load_layer(path)
    _check(res)
    assert res.report.loaded == 100 and res.report.reasons == {}
    assert res.data["date"].tolist() == [pd.Timestamp(d) for d in expected]


def test_a_stored_dimension_of_the_whole_sheet_loads_in_a_second(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Дата", "Широта", "Долгота"])
    sheet.append(["15.03.2023", ALMATY[0], ALMATY[1]])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "whole_sheet.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>',
                                  b'<dimension ref="A1:XFD1048576"/>', data)
                assert n == 1
            dst.writestr(item, data)
    assert path.stat().st_size < 10_000
    load_layer(plain)  # the region lookup is built once per process, outside the timing
    start = time.perf_counter()
    res = load_layer(path)
    assert time.perf_counter() - start < 1.0
    assert res.report.loaded == 1 and len(res.data.columns) < 20


def test_the_register_sheet_is_loaded_not_the_summary_before_it(tmp_path):
    book = Workbook()
    summary = book.active
    summary.title = "Свод"
    summary.append(["Область", "2022", "2023", "Итого"])
    for name in ("Алматы", "Астана", "Шымкент"):
        summary.append([name, 3, 4, 7])
    summary.append(["Итого", 9, 12, 21])
    register = book.create_sheet("Реестр")
    register.append(["Дата совершения", "Статья УК", "Широта", "Долгота"])
    lat, lon = _near_almaty(25)
    for i in range(25):
        register.append([f"{i + 1:02d}.03.2023", "188", float(lat[i]), float(lon[i])])
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    res = load_layer(path)
    _check(res)
    assert res.kind == "points" and res.report.loaded == 25
    assert res.report.details["sheet"] == "Реестр"
    assert "Sheets not loaded: Свод" in res.report.summary()
    chosen = load_layer(path, layer="Свод")  # the user may still choose the summary
    assert chosen.kind == "regions" and chosen.report.details["sheet"] == "Свод"


def test_formulas_saved_without_values_are_named(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Дата", "Широта", "Долгота", "Возраст"])
    for i in range(4):
        sheet.append(["15.03.2023", ALMATY[0], ALMATY[1], f"=14+{i}"])  # openpyxl saves no value
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    res = load_layer(path)
    assert res.report.loaded == 4
    assert res.report.details["notes"]["formulas_without_values"] == {"columns": "Возраст"}
    assert "Formulas saved without values (read as empty) in the columns: Возраст" in (
        res.report.summary())


# -- text files --------------------------------------------------------------------------------
def test_ages_with_a_unit_word_are_numbers(tmp_path):
    units = ["16 лет", "16 жас", "16 years", "16", "16 л.", "16 год"]
    lines = ["Широта;Долгота;Возраст"] + [f"43,25;76,91;{units[i % 6]}" for i in range(80)]
    path = tmp_path / "ages.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    res = load_layer(path)
    _check(res)
    assert res.report.loaded == 80 and (res.data["age"] == 16).all()


def test_a_file_on_one_line_fails_within_seconds(tmp_path):
    path = tmp_path / "one_line.csv"
    path.write_bytes(b"43.25,76.91," * 250_000)  # 3 MB, no line break
    start = time.perf_counter()
    with pytest.raises(DataLoadError, match="line break"):
        load_layer(path)
    assert time.perf_counter() - start < 3.0
    small = tmp_path / "one_short_line.csv"
    small.write_bytes(b"43.25,76.91," * 40_000)  # under the sample: too many columns
    start = time.perf_counter()
    with pytest.raises(DataLoadError, match="columns"):
        load_layer(small)
    assert time.perf_counter() - start < 3.0


@pytest.mark.parametrize("lines, sep, loaded", [
    # title rows (with commas) outnumber the data rows
    (["Отчёт, 2023 год, ДП г. Алматы", "Составил: Иванов, инспектор", "Примечание: ok, ok",
      "Дата;Широта;Долгота", "15.03.2023;43,25;76,91"], ";", 1),
    # an extra (empty) trailing field on most rows, decimal commas
    (["Дата;Широта;Долгота", "15.03.2023;43,25;76,91;", "16.03.2023;43,25;76,91;",
      "17.03.2023;43,25;76,91", "18.03.2023;43,25;76,91;"], ";", 4),
    # a tab table under title rows with semicolons
    (["Свод; Алматы; 2023", "Исп.; Иванов; 2023", "Тел.; 8 727; 000",
      "Дата\tШирота\tДолгота", "15.03.2023\t43.25\t76.91"], "\t", 1),
])
def test_the_separator_follows_the_header_and_the_data_lines(tmp_path, lines, sep, loaded):
    path = tmp_path / "small.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = load_layer(path)
    _check(res)
    assert res.report.details["separator"] == sep and res.report.loaded == loaded


def test_a_nul_byte_rejects_its_row_only(tmp_path):
    lines = [b"\xc4\xe0\xf2\xe0;\xd8\xe8\xf0\xee\xf2\xe0;\xc4\xee\xeb\xe3\xee\xf2\xe0",  # cp1251
             b"15.03.2023;43,25;76\x00,91"] + [b"16.03.2023;43,25;76,91"] * 5
    path = tmp_path / "nul.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    res = load_layer(path)
    _check(res)
    assert res.report.loaded == 5 and res.report.reasons == {"bad_characters": 1}
    assert res.report.rejected_rows["row"].tolist() == [2]


def test_a_json_array_is_named_as_json(tmp_path):
    path = tmp_path / "records.json"
    path.write_text('[{"lat": 43.25, "lon": 76.91}, {"lat": 51.18, "lon": 71.44}]',
                    encoding="utf-8")
    with pytest.raises(DataLoadError) as info:
        load_layer(path)
    message = str(info.value)
    assert "JSON" in message and "GeoJSON" in message and "CSV" in message
    assert "look like" not in message


def test_dms_coordinates_are_read_or_rejected_naming_the_format(tmp_path):
    rows = [("43°15′30″ с.ш.", "76°54′30″ в.д."), ("43 15 30 N", "76 54 30 E"),
            ("N 43°15.5'", "E 76°54.5'"), ("43,2583", "76,9083"), ("43°75′ N", "76°54′ E")]
    path = tmp_path / "dms.csv"
    path.write_text("\n".join(["Широта;Долгота"] + [f"{a};{b}" for a, b in rows]),
                    encoding="utf-8")
    res = load_layer(path)
    _check(res)
    assert res.report.loaded == 4 and res.report.reasons == {"bad_coordinate": 1}
    assert np.allclose(res.data["lat"], 43.2583, atol=1e-3)
    assert np.allclose(res.data["lon"], 76.9083, atol=1e-3)
    assert "43°15′30″" in res.report.summary() and "43.2567" in res.report.summary()


def test_an_empty_date_loads_with_a_warning(tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("Дата;Широта;Долгота\n15.03.2023;43,25;76,91\n;43,25;76,91\n",
                    encoding="utf-8")
    res = load_layer(path)
    assert res.report.loaded == 2 and res.report.warnings == {"no_date": 1}


def test_the_rejected_rows_file_keeps_the_original_bytes_and_escapes_formulas(tmp_path):
    header = "Дата;Широта;Долгота;Примечание"
    good = "15.03.2023;43,25;76,91;ок"
    bad_date = '32.13.2023;43,2500;76,9100;"в кавычках; с разделителем"'
    formula = "99.99.2023;43,25;76,91;=1+2"
    at_sign = "31.02.2023;-43,5;76,91;@SUM(A1)"
    path = tmp_path / "source.csv"
    path.write_bytes("\r\n".join([header, good, bad_date, formula, at_sign]).encode("cp1251")
                     + b"\r\n")
    res = load_layer(path)
    assert res.report.rejected == 3
    out = res.report.save_rejected(tmp_path / "rejected.csv")
    data = out.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[0].endswith(header.encode("cp1251"))
    assert lines[1].endswith(bad_date.encode("cp1251"))  # the original bytes, comma decimals
    assert lines[1].startswith(b"3;bad_date;")
    assert lines[2].endswith(b"'=1+2") and b";=1+2" not in data
    assert lines[3].endswith(b"'@SUM(A1)") and b";-43,5;" in lines[3]  # a number stays
    table = pd.read_csv(out, sep=";", encoding="cp1251", dtype=str)
    assert table["Широта"].tolist() == ["43,2500", "43,25", "-43,5"]


def test_the_rejected_rows_of_a_workbook_are_escaped(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Дата", "Широта", "Долгота", "Примечание"])
    sheet.append(["99.99.2023", 43.25, 76.91, "+7 701 000"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    out = load_layer(path).report.save_rejected(tmp_path / "rejected.csv")
    text = out.read_text(encoding="utf-8-sig")
    assert "'+7 701 000" in text


# -- map layers --------------------------------------------------------------------------------
def test_a_cp1251_or_cp866_shapefile_without_cpg_loads(tmp_path):
    names = ["Алматы", "Астана", "Шымкент"]
    for encoding in ("cp1251", "cp866"):
        gdf = gpd.GeoDataFrame(
            {"Район": names, "Дата": ["2023-03-01"] * 3},
            geometry=[Point(c[1], c[0]) for c in (ALMATY, ASTANA, SHYMKENT)], crs=4326)
        path = tmp_path / f"{encoding}.shp"
        gdf.to_file(path, encoding=encoding)
        path.with_suffix(".cpg").unlink(missing_ok=True)
        res = load_layer(path)
        _check(res)
        assert res.report.loaded == 3 and res.report.details["encoding"] == encoding
        assert res.data["district"].tolist() == names
        assert res.data["region"].tolist() == ["KZ-75", "KZ-71", "KZ-79"]


@pytest.mark.filterwarnings("ignore:.crs. was not provided")
def test_a_shapefile_without_prj_gets_a_note(tmp_path):
    gdf = gpd.GeoDataFrame({"date": ["2023-03-01"]}, geometry=[Point(ALMATY[1], ALMATY[0])])
    path = tmp_path / "noprj.shp"
    gdf.to_file(path)
    path.with_suffix(".prj").unlink(missing_ok=True)
    res = load_layer(path)
    assert res.report.loaded == 1
    assert "no .prj file" in res.report.summary()


def _two_point_layers(tmp_path):
    path = tmp_path / "layers.gpkg"
    schools = gpd.GeoDataFrame({"name": [f"School {i}" for i in range(30)]},
                               geometry=[Point(ASTANA[1], ASTANA[0])] * 30, crs=4326)
    lat, lon = _near_almaty(40)
    incidents = gpd.GeoDataFrame({"date": ["2023-03-01"] * 40},
                                 geometry=gpd.points_from_xy(lon, lat), crs=4326)
    schools.to_file(path, layer="schools", driver="GPKG")
    incidents.to_file(path, layer="incidents", driver="GPKG")
    return path


def test_a_layer_must_be_chosen_when_several_could_be_the_data(tmp_path, capsys):
    from juvmap.io.vector import LayerChoiceError

    path = _two_point_layers(tmp_path)
    with pytest.raises(LayerChoiceError) as info:
        load_layer(path)
    assert info.value.choices == ["schools", "incidents"]
    res = load_layer(path, layer="incidents")
    assert res.report.loaded == 40 and res.report.details["layer"] == "incidents"
    assert (res.data["region"] == "KZ-75").all()
    assert main(["--lang", "en", "load", str(path)]) == 2
    err = capsys.readouterr().err
    assert "schools, incidents" in err and "--layer" in err
    assert main(["--lang", "en", "load", str(path), "--layer", "incidents", "--json"]) == 0
    assert '"loaded": 40' in capsys.readouterr().out


def test_mixed_geometries_are_converted_with_a_reason_per_row(tmp_path):
    lat, lon = ALMATY
    geoms = [Point(lon, lat)] * 4 + [box(lon, lat, lon + 0.01, lat + 0.01)] * 6 + [
        LineString([(lon, lat), (lon + 0.01, lat)])] * 2
    path = tmp_path / "mixed.geojson"
    gpd.GeoDataFrame({"date": ["2023-03-01"] * 12}, geometry=geoms, crs=4326).to_file(
        path, driver="GeoJSON")
    res = load_layer(path)
    _check(res)
    assert res.kind == "points" and res.report.loaded == 12
    assert res.report.warnings == {"geometry_converted": 8}


def test_a_truncated_geopackage_gives_a_translated_message(tmp_path):
    path = tmp_path / "whole.gpkg"
    gpd.GeoDataFrame({"date": ["2023-03-01"]}, geometry=[Point(ALMATY[1], ALMATY[0])],
                     crs=4326).to_file(path, driver="GPKG")
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with using_language("ru"):
        with pytest.raises(DataLoadError) as info:
            load_layer(cut)
    message = str(info.value)
    assert "cut.gpkg" in message and re.search("[а-я]{4}", message)
    assert not re.search(r"sqlite|database disk|malformed|not a database", message, re.I)
    assert re.search(r"[A-Za-z]{5}\W*$", message) is None  # no raw English at the end


# -- region tables -----------------------------------------------------------------------------
@pytest.mark.parametrize("headers", [("Өңір", "Жыл", "Қылмыстар саны"),
                                     ("Регион", "Год", "Количество преступлений"),
                                     ("Region", "Year", "Number of crimes")])
def test_a_region_table_with_a_year_is_recognised(tmp_path, headers):
    from juvmap.io.columns import detect_mapping

    assert detect_mapping(headers) == {"region": headers[0], "count": headers[2],
                                       "year": headers[1]}
    rows = [("Абай облысы", 2022, 31), ("Жетісу облысы", 2022, 12), ("Ұлытау облысы", 2023, 4),
            ("Алматы қаласы", 2023, 120)]
    path = tmp_path / "regions.csv"
    path.write_text("\n".join([",".join(headers)] + [f"{a},{b},{c}" for a, b, c in rows]),
                    encoding="utf-8")
    res = load_layer(path)
    _check(res)
    assert res.kind == "regions" and res.report.loaded == 4
    assert res.data["region"].tolist() == ["KZ-10", "KZ-33", "KZ-62", "KZ-75"]
    assert res.data["year"].tolist() == [2022, 2022, 2023, 2023]
    assert res.data["count"].tolist() == [31, 12, 4, 120]


def test_a_region_table_on_the_pre_2022_units_is_flagged(tmp_path):
    old = ["Акмолинская область", "Актюбинская область", "Алматинская область",
           "Атырауская область", "Западно-Казахстанская область", "Жамбылская область",
           "Карагандинская область", "Костанайская область", "Кызылординская область",
           "Мангистауская область", "Туркестанская область", "Павлодарская область",
           "Северо-Казахстанская область", "Восточно-Казахстанская область", "г. Нур-Султан",
           "г. Алматы", "г. Шымкент"]
    path = tmp_path / "regions_2021.csv"
    path.write_text("Область;Год;Количество\n" + "\n".join(f"{n};2021;10" for n in old),
                    encoding="utf-8")
    res = load_layer(path)
    _check(res)
    assert res.report.loaded == 17 and res.report.warnings == {"old_boundaries": 3}
    assert res.data.attrs["old_boundaries"] == ["KZ-10", "KZ-33", "KZ-62"]
    assert "before 2022" in res.report.summary()
    current = load_layer(tmp_path / "regions_2021.csv", mapping={"region": "Область"})
    assert current.report.warnings  # unchanged by a mapping
    now = tmp_path / "regions_2023.csv"
    now.write_text("Область;Год;Количество\n" + "\n".join(
        f"{n};2023;10" for n in [*old, "Абайская область", "Жетісу облысы", "Ұлытау облысы"]),
        encoding="utf-8")
    assert load_layer(now).report.warnings == {}
