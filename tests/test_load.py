"""load_layer and `juvmap load`: real files in, every row accounted for."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from openpyxl import Workbook
from shapely.geometry import LineString

from juvmap.cli import main
from juvmap.errors import Cancelled, DataLoadError
from juvmap.io.load import load_layer
from juvmap.progress import CancelToken

# city centres (data/settlements.csv, GeoNames) and the region each lies in
ALMATY = (43.25249, 76.91150, "KZ-75")
ASTANA = (51.18010, 71.44598, "KZ-71")
SHYMKENT = (42.30988, 69.60042, "KZ-79")
AKTOBE = (50.27969, 57.20718, "KZ-15")
CITIES = [ALMATY, ASTANA, SHYMKENT, AKTOBE]


def _comma(x: float) -> str:
    return f"{x}".replace(".", ",")


def _check_invariant(res) -> None:
    rep = res.report
    assert rep.rows_read == rep.loaded + rep.rejected
    assert sum(rep.reasons.values()) == rep.rejected == len(rep.rejected_rows)
    assert len(res.data) == rep.loaded


def test_cp1251_semicolon_decimal_comma_csv(tmp_path):
    lines = ["№;Дата совершения;Время;Статья УК;Область;Широта;Долгота;Возраст;Пол"]
    for i, (lat, lon, _code) in enumerate(CITIES, start=1):
        lines.append(f"{i};0{i}.03.2023;1{i}:30;188;;{_comma(lat)};{_comma(lon)};1{i + 3};М")
    path = tmp_path / "offences.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    res = load_layer(path)
    _check_invariant(res)
    assert res.kind == "points" and res.report.loaded == 4 and res.report.rejected == 0
    details = res.report.details
    assert (details["encoding"], details["separator"], details["decimal"]) == ("cp1251", ";", ",")
    data = res.data
    assert not isinstance(data, gpd.GeoDataFrame)  # lon/lat in EPSG:4326, no shapely points
    assert data["region"].tolist() == [c[2] for c in CITIES]
    assert np.allclose(data["lat"], [c[0] for c in CITIES])
    assert np.allclose(data["lon"], [c[1] for c in CITIES])
    assert data["date"].tolist() == [pd.Timestamp(f"2023-03-0{i} 1{i}:30") for i in range(1, 5)]
    assert data["age"].tolist() == [14, 15, 16, 17]
    assert data["sex"].tolist() == ["M"] * 4
    assert data["source_row"].tolist() == [2, 3, 4, 5]


def test_xlsx_with_title_rows_and_kazakh_headers(tmp_path):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.title = "Деректер"
    sheet.append(["Кәмелетке толмағандардың құқық бұзушылықтары"])
    sheet.append(["2023 жыл"])
    sheet.append(["Күні", "Бап", "Облыс", "Ендік", "Бойлық", "Жасы", "Жынысы", "Ескерту"])
    for i, (lat, lon, _code) in enumerate(CITIES):
        sheet.append([dt.datetime(2023, 5, i + 1, 10, 0), 190, "", lat, lon, 16, "ер", "x"])
    sheet.append([None] * 8)  # trailing blank rows are not records
    path = tmp_path / "book.xlsx"
    book.save(path)
    res = load_layer(path)
    _check_invariant(res)
    assert res.report.details["header_row"] == 3 and res.report.details["sheet"] == "Деректер"
    assert res.report.rows_read == 4 and res.report.loaded == 4
    assert res.data["region"].tolist() == [c[2] for c in CITIES]
    assert res.data["article"].tolist() == ["190"] * 4
    assert res.data["date"].iloc[0] == pd.Timestamp("2023-05-01 10:00")
    assert res.data["sex"].tolist() == ["M"] * 4
    assert res.data["source_row"].tolist() == [4, 5, 6, 7]
    assert "Ескерту" in res.data.columns  # columns juvmap does not know are kept


def _points_frame(crs: int) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(
        {"date": ["2022-01-10", "2022-02-11", "2022-03-12", "2022-04-13"],
         "article": ["188", "106", "293", "188-1"]},
        geometry=gpd.points_from_xy([c[1] for c in CITIES], [c[0] for c in CITIES]),
        crs=4326)
    return gdf.to_crs(crs)


def test_geojson_in_web_mercator_is_reprojected(tmp_path):
    path = tmp_path / "points.geojson"
    _points_frame(3857).to_file(path, driver="GeoJSON")
    res = load_layer(path)
    _check_invariant(res)
    assert res.report.details["source_crs"] == "EPSG:3857"
    assert np.allclose(res.data["lon"], [c[1] for c in CITIES], atol=1e-6)
    assert np.allclose(res.data["lat"], [c[0] for c in CITIES], atol=1e-6)
    assert res.data["region"].tolist() == [c[2] for c in CITIES]


def test_gpkg_in_utm_takes_the_first_point_layer(tmp_path):
    path = tmp_path / "layers.gpkg"
    tracks = gpd.GeoDataFrame({"name": ["a"]}, geometry=[LineString([(70, 45), (71, 46)])],
                              crs=4326)
    tracks.to_file(path, layer="tracks", driver="GPKG")
    _points_frame(32642).to_file(path, layer="offences", driver="GPKG")
    res = load_layer(path)
    _check_invariant(res)
    assert res.report.details["layer"] == "offences"
    assert res.report.details["source_crs"] == "EPSG:32642"
    assert "offences" in res.report.summary()
    assert np.allclose(res.data["lon"], [c[1] for c in CITIES], atol=1e-6)
    assert np.allclose(res.data["lat"], [c[0] for c in CITIES], atol=1e-6)
    assert res.data["region"].tolist() == [c[2] for c in CITIES]
    assert res.data["article"].tolist() == ["188", "106", "293", "188-1"]


def test_shapefile_with_null_geometry_falls_back_to_the_region(tmp_path):
    gdf = _points_frame(32642)
    gdf["Облыс"] = ["", "", "", "Ақтөбе облысы"]
    gdf.loc[3, "geometry"] = None
    path = tmp_path / "points.shp"
    gdf.to_file(path, encoding="utf-8")
    res = load_layer(path)
    _check_invariant(res)
    assert res.report.details["format"] == "shp" and res.report.loaded == 4
    assert res.data["region"].tolist() == [c[2] for c in CITIES]
    assert res.data["lon"].isna().tolist() == res.data["lat"].isna().tolist() == [False, False, False, True]
    assert res.report.warnings == {"region_only": 1}


def test_polygon_layer_is_a_region_table(shared):
    res = load_layer(shared / "geodata" / "kaz_adm1_2024.gpkg")
    _check_invariant(res)
    assert res.kind == "regions" and res.report.loaded == 20
    assert (res.data["region"] == "KZ-" + res.data["ADM1_PCODE"].str[2:]).all()


def test_xy_columns_in_a_projected_crs(tmp_path):
    utm = _points_frame(32642)
    table = pd.DataFrame({"X": utm.geometry.x, "Y": utm.geometry.y, "date": utm["date"]})
    path = tmp_path / "xy.csv"
    table.to_csv(path, index=False)
    res = load_layer(path, crs="EPSG:32642")
    _check_invariant(res)
    assert np.allclose(res.data["lon"], [c[1] for c in CITIES], atol=1e-6)
    assert res.data["region"].tolist() == [c[2] for c in CITIES]
    without = load_layer(path)  # metres read as degrees: every row is outside Kazakhstan
    assert without.report.reasons == {"outside_kazakhstan": 4}
    assert without.report.warnings["projected_without_crs"] == 4


def test_swapped_lat_lon_are_corrected(tmp_path):
    path = tmp_path / "swapped.csv"
    rows = ["lat,lon"] + [f"{lon},{lat}" for lat, lon, _ in CITIES]
    path.write_text("\n".join(rows), encoding="utf-8")
    res = load_layer(path)
    assert res.report.loaded == 4 and res.report.warnings["swapped_coordinates"] == 4
    assert res.data["region"].tolist() == [c[2] for c in CITIES]


REASON_ROWS = {
    # reason: (id, date, article, region, lat, lon, age)
    None: ("1", "15.03.2022", "188", "", ALMATY[0], ALMATY[1], "15"),
    "bad_date": ("2", "32.13.2022", "188", "", ALMATY[0], ALMATY[1], "15"),
    "date_in_future": ("3", "01.01.2099", "188", "", ALMATY[0], ALMATY[1], "15"),
    "date_before_2000": ("4", "01.01.1995", "188", "", ALMATY[0], ALMATY[1], "15"),
    "bad_number": ("5", "15.03.2022", "188", "", ALMATY[0], ALMATY[1], "сорок"),
    "age_out_of_range": ("6", "15.03.2022", "188", "", ALMATY[0], ALMATY[1], "25"),
    "unknown_article": ("7", "15.03.2022", "999", "", ALMATY[0], ALMATY[1], "15"),
    "no_location": ("8", "15.03.2022", "188", "", "", "", "15"),
    "outside_kazakhstan": ("9", "15.03.2022", "188", "", 55.7558, 37.6173, "15"),
    "unknown_region": ("10", "15.03.2022", "188", "Атлантида", "", "", "15"),
    "ambiguous_region": ("11", "15.03.2022", "188", "Южно-Казахстанская область", "", "", "15"),
    "duplicate_id": ("1", "16.03.2022", "190", "", ALMATY[0], ALMATY[1], "16"),
    "bad_coordinate": ("16", "15.03.2022", "188", "", "сорок", ALMATY[1], "15"),
}


def _reasons_file(tmp_path):
    lines = ["№;Дата;Статья УК;Область;Широта;Долгота;Возраст"]
    for values in REASON_ROWS.values():
        lines.append(";".join(_comma(v) if isinstance(v, float) else v for v in values))
    lines.append(";;;;;;")  # empty row
    lines.append("12;15.03.2022;188;;43,2;76,9;15;surplus")  # malformed: one field too many
    lines.append("13;15.03.2022;188;Астана;;;15")  # region only: kept
    lines.append(f"14;15.03.2022;188;Астана;{_comma(ALMATY[0])};{_comma(ALMATY[1])};15")
    lines.append(f"15;15.03.2022;188;ЮКО;{_comma(SHYMKENT[0])};{_comma(SHYMKENT[1])};15")
    path = tmp_path / "reasons.csv"
    path.write_bytes("\n".join(lines).encode("cp1251"))
    return path


def test_every_reason_is_counted_once(tmp_path):
    res = load_layer(_reasons_file(tmp_path))
    _check_invariant(res)
    rep = res.report
    expected = {r: 1 for r in REASON_ROWS if r} | {"empty_row": 1, "malformed_row": 1}
    assert rep.reasons == expected
    assert rep.rows_read == 18 and rep.loaded == 4
    by_reason = dict(zip(rep.rejected_rows["reason"], rep.rejected_rows["row"], strict=True))
    assert by_reason["bad_date"] == 3 and by_reason["duplicate_id"] == 13
    assert by_reason["bad_coordinate"] == 14 and by_reason["empty_row"] == 15
    kept = res.data.set_index("id")
    assert kept.loc[13, "region"] == "KZ-71" and np.isnan(kept.loc[13, ["lon", "lat"]].astype(float)).all()
    assert kept.loc[14, "region"] == "KZ-75"  # coordinates win over the name …
    assert rep.warnings["region_mismatch"] == 1  # … and the disagreement is reported
    assert rep.warnings["region_only"] == 1
    assert kept.loc[15, "region"] == "KZ-79"  # an old split name with coordinates: by point
    summary = rep.summary()
    assert "Rows read: 18" in summary and "Duplicate id: 1" in summary


def test_save_rejected_and_to_dict(tmp_path):
    res = load_layer(_reasons_file(tmp_path))
    out = res.report.save_rejected(tmp_path / "rejected.csv")
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(table) == res.report.rejected
    assert {"row", "reason", "reason_text", "Дата"} <= set(table.columns)
    assert "Unparseable date" in set(table["reason_text"])
    data = json.loads(json.dumps(res.report.to_dict()))
    assert data["rows_read"] == data["loaded"] + data["rejected"]


def test_region_table_joined_through_the_gazetteer(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Число несовершеннолетних, совершивших правонарушения"])
    sheet.append(["Область", "Количество"])
    for name, n in (("г. Алматы", 120), ("Акмолинская область", 40), ("Жетісу облысы", 12),
                    ("Nur-Sultan", 88), ("ЮКО", 7), ("Всего", 267), ("Карагандинская", "н/д")):
        sheet.append([name, n])
    path = tmp_path / "regions.xlsx"
    book.save(path)
    res = load_layer(path)
    _check_invariant(res)
    assert res.kind == "regions" and not isinstance(res.data, gpd.GeoDataFrame)
    assert dict(zip(res.data["region"], res.data["count"], strict=True)) == {
        "KZ-75": 120, "KZ-11": 40, "KZ-33": 12, "KZ-71": 88}
    assert res.report.reasons == {"unknown_region": 1, "ambiguous_region": 1, "bad_number": 1}


def test_user_mapping_overrides_and_is_not_mutated(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("when,where,n\n2023-01-05,Алматы,3\n2023-01-06,Астана,4\n", encoding="utf-8")
    mapping = {"date": "when", "region": "where", "count": "n"}
    res = load_layer(path, mapping=mapping)
    assert mapping == {"date": "when", "region": "where", "count": "n"}
    assert res.kind == "regions" and res.data["region"].tolist() == ["KZ-75", "KZ-71"]
    with pytest.raises(DataLoadError):
        load_layer(path, mapping={"date": "no such column"})
    with pytest.raises(DataLoadError):
        load_layer(path, mapping={"colour": "when"})


def test_progress_and_cancel(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("lat,lon\n43.25,76.9\n", encoding="utf-8")
    seen = []
    load_layer(path, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        load_layer(path, cancel=token)


def _bad_files(tmp_path):
    files = {}
    files["empty.csv"] = b""
    files["garbage.csv"] = np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8).tobytes()
    files["header_only.csv"] = "Дата;Широта;Долгота\n".encode()
    files["no_location.csv"] = "Дата;Статья\n01.01.2022;188\n".encode()
    files["csv_named.xlsx"] = b"lat,lon\n43.2,76.9\n"
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    gpkg = tmp_path / "whole.gpkg"
    _points_frame(4326).to_file(gpkg, driver="GPKG")
    data = gpkg.read_bytes()
    (tmp_path / "truncated.gpkg").write_bytes(data[: len(data) // 3])
    (tmp_path / "gpkg_named.csv").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "broken.xlsx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<not xml")
        zf.writestr("xl/workbook.xml", "garbage")
    (tmp_path / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (tmp_path / "a_folder.csv").mkdir()
    return [p for p in sorted(tmp_path.iterdir()) if p.name != "whole.gpkg"] + [
        tmp_path / "missing.csv"]


def test_bad_files_raise_one_data_load_error(tmp_path):
    for path in _bad_files(tmp_path):
        with pytest.raises(DataLoadError) as info:
            load_layer(path)
        assert type(info.value) is DataLoadError, path.name
        assert str(info.value) and "Traceback" not in str(info.value)


def test_cli_json_and_errors(tmp_path, capsys):
    path = _reasons_file(tmp_path)
    rejected = tmp_path / "out.csv"
    assert main(["--lang", "en", "load", str(path), "--json", "--rejected", str(rejected)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["rows_read"] == 18 and payload["loaded"] == 4 and payload["rejected"] == 14
    assert payload["reasons"]["duplicate_id"] == 1 and payload["kind"] == "points"
    assert rejected.exists()
    assert main(["load", str(path), "--mapping", "id=Возраст"]) == 0
    assert "Rows read: 18" in capsys.readouterr().out
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["load", str(empty), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "empty" in captured.err


def test_a_field_set_to_not_used_is_not_read(tmp_path):
    from juvmap.io.load import load_layer

    path = tmp_path / "ages.csv"
    path.write_text("date,region,age\n2022-03-01,KZ-75,15\n2022-03-02,KZ-75,99\n", encoding="utf-8")
    with_age = load_layer(path)
    assert with_age.report.rejected == 1  # age 99 is outside 10-17
    without_age = load_layer(path, mapping={"age": None})
    assert without_age.report.loaded == 2 and without_age.report.rejected == 0
    assert "age" not in without_age.report.details["mapping"]


def test_a_synthetic_file_stays_labelled_synthetic():
    from juvmap.io.load import load_layer
    from juvmap.paths import data_path

    result = load_layer(data_path("demo_incidents.csv"))
    assert result.data.attrs["synthetic"] is True
    assert "SYNTHETIC" in result.data.attrs["source"] or result.data.attrs["source_msgid"]
    assert result.report.loaded == result.report.rows_read == 10291


def test_gpkg_points_load_without_shapely_geometry(tmp_path):
    path = tmp_path / "points.gpkg"
    _points_frame(4326).to_file(path, driver="GPKG")
    res = load_layer(path)
    assert res.kind == "points" and type(res.data) is pd.DataFrame
    assert not any(res.data[c].map(lambda v: hasattr(v, "geom_type")).any() for c in res.data.columns)
    assert np.allclose(res.data["lon"], [c[1] for c in CITIES]) and res.data["lon"].dtype == float
    assert res.data.attrs["source"] == "points.gpkg" and res.data.attrs["synthetic"] is False


def test_lines_are_reduced_to_a_point_on_them(tmp_path):
    lat, lon, code = ASTANA
    line = LineString([(lon - 0.01, lat), (lon + 0.01, lat)])
    path = tmp_path / "lines.geojson"
    gpd.GeoDataFrame({"date": ["2022-05-01"]}, geometry=[line], crs=4326).to_file(path, driver="GeoJSON")
    res = load_layer(path)
    assert res.kind == "points" and res.report.loaded == 1
    assert res.data["region"].tolist() == [code]
    assert line.distance(shapely.Point(res.data["lon"][0], res.data["lat"][0])) < 1e-9
