"""File → Open: the column-mapping dialog, a bad file's warning, and the load report."""

from __future__ import annotations

import gettext
import random

import pandas as pd
import pytest

from juvmap import i18n

pytestmark = pytest.mark.qt

HEADER = "Дата совершения;Время;Область;Широта;Долгота;Статья УК;Возраст;Пол"
ROWS = [
    "12.03.2023;14:20;г. Астана;51,1694;71,4491;188;15;М",
    "01.06.2022;22:05;Алматы;43,2389;76,8897;190;16;Ж",
    "15.09.2021;09:10;г. Астана;51,1282;71,4304;293;17;М",
    "03.01.2024;18:45;Алматы;43,2567;76,9286;188;14;М",
    "32.13.2023;10:00;Алматы;43,2567;76,9286;188;14;М",  # bad date
    "05.05.2023;11:00;г. Астана;51,1694;71,4491;188;25;Ж",  # age 25
]
DETECTED = {"date": "Дата совершения", "time": "Время", "article": "Статья УК",
            "region": "Область", "lat": "Широта", "lon": "Долгота", "age": "Возраст",
            "sex": "Пол"}


class MarkedCatalog(gettext.NullTranslations):
    """A stand-in Kazakh catalog: every message comes back marked."""

    def gettext(self, message: str) -> str:
        return "«kk» " + message


@pytest.fixture
def russian_csv(tmp_path):
    path = tmp_path / "правонарушения.csv"
    path.write_bytes(("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("cp1251"))
    return path


def test_open_dialog_preselects_the_detected_columns(qtbot, russian_csv, english):
    from PySide6.QtCore import Qt

    from juvmap.ui.dialogs import OpenDataDialog

    dialog = OpenDataDialog.prepare(russian_csv)
    qtbot.addWidget(dialog)
    assert dialog.preview.details["encoding"] == "cp1251"
    assert dialog.preview.details["separator"] == ";"
    assert dialog.mapping() == DETECTED
    assert dialog.combos["date"].currentText() == "Дата совершения"
    assert dialog.combos["id"].currentText() == "— not used —"
    assert dialog.model.rowCount() == 6 and dialog.model.columnCount() == 8
    assert dialog.model.headerData(0, Qt.Orientation.Horizontal) == "Дата совершения\n[Date]"
    assert dialog.model.data(dialog.model.index(0, 3)) == "51.1694"  # decimal comma read
    assert dialog.crs() is None and dialog.crs_edit.isEnabled()


def test_overriding_a_column_changes_the_mapping(qtbot, russian_csv, english):
    from PySide6.QtWidgets import QDialog

    from juvmap.ui.dialogs import OpenDataDialog

    dialog = OpenDataDialog.prepare(russian_csv)
    qtbot.addWidget(dialog)
    combo = dialog.combos["district"]
    combo.setCurrentIndex(combo.findData("Область"))
    assert dialog.mapping()["district"] == "Область"
    dialog.accept()  # the same column for two fields: refused, with a message
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Область" in dialog.status_label.text()
    dialog.choose("region", None)
    assert "region" not in dialog.mapping() and dialog.unused_fields() == ["region"]
    dialog.crs_edit.setText("EPSG:32642")
    assert dialog.crs() == "EPSG:32642"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    dialog.crs_edit.setText("not a crs")
    assert "not a crs" in dialog.problem()


def test_a_corrupt_file_gives_a_warning_and_no_dialog(qtbot, tmp_path, monkeypatch, english):
    from PySide6.QtWidgets import QMessageBox

    from juvmap.ui.dialogs import OpenDataDialog

    calls = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text, *a: calls.append((title, text)))
    bad = tmp_path / "broken.gpkg"
    bad.write_bytes(random.Random(5).randbytes(4096))
    assert OpenDataDialog.prepare(bad) is None
    assert len(calls) == 1
    title, text = calls[0]
    assert title == "Cannot open the file" and "broken.gpkg" in text
    assert "Traceback" not in text


def test_a_vector_layer_shows_its_layer_and_crs(qtbot, shared, english):
    from juvmap.ui.dialogs import OpenDataDialog

    dialog = OpenDataDialog.prepare(shared / "geodata" / "kaz_adm1_2024.gpkg")
    qtbot.addWidget(dialog)
    assert dialog.preview.fmt == "gpkg"
    assert "Polygon" in dialog.preview.details["geometry_type"]
    assert dialog.preview.details["features"] == 20
    assert not dialog.crs_edit.isEnabled()  # the file's own CRS wins
    assert "GeoPackage" in dialog.info_label.text()


def test_load_report_counts_and_saves_the_rejected_rows(qtbot, russian_csv, tmp_path,
                                                       monkeypatch, english):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from juvmap.io.load import load_layer
    from juvmap.ui.dialogs import LoadReportDialog

    result = load_layer(russian_csv, mapping=DETECTED)
    dialog = LoadReportDialog(result.report, source_path=russian_csv)
    qtbot.addWidget(dialog)
    assert [label.text() for label in dialog.count_labels] == [
        "Rows read: 6", "Loaded: 4", "Rejected: 2"]
    reasons = {dialog.reasons_table.item(i, 0).text(): dialog.reasons_table.item(i, 1).text()
               for i in range(dialog.reasons_table.rowCount())}
    assert reasons == {"Unparseable date": "1", "Age outside 10–17": "1"}
    assert dialog.rejected_model.rowCount() == 2
    assert dialog.default_save_name() == "правонарушения_rejected.csv"

    out = tmp_path / "rejected.csv"
    assert dialog.save_rejected_to(out) == out
    saved = pd.read_csv(out, encoding="cp1251", sep=";", dtype=str)  # as the source file
    assert saved["row"].tolist() == ["6", "7"]
    assert saved["reason"].tolist() == ["bad_date", "age_out_of_range"]
    assert saved["Возраст"].tolist() == ["14", "25"]
    assert str(out) in dialog.status_label.text()

    chosen = tmp_path / "via_button.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(pd.read_csv(chosen, encoding="cp1251", sep=";")) == 2


def test_dialogs_retranslate_when_the_language_changes(qtbot, russian_csv, monkeypatch,
                                                      english):
    from juvmap.io.load import load_layer
    from juvmap.ui.dialogs import LoadReportDialog, OpenDataDialog

    dialog = OpenDataDialog.prepare(russian_csv)
    report = LoadReportDialog(load_layer(russian_csv).report)
    qtbot.addWidget(dialog)
    qtbot.addWidget(report)
    before = dialog.field_labels["date"].text(), report.count_labels[1].text()
    monkeypatch.setitem(i18n._translations, "kk", MarkedCatalog())
    i18n.set_language("kk")
    dialog.retranslate()
    report.retranslate()
    assert before == ("Date", "Loaded: 4")
    assert dialog.field_labels["date"].text() == "«kk» Date"
    assert report.count_labels[1].text() == "«kk» Loaded: 4"
    assert report.reasons_table.item(0, 0).text().startswith("«kk» ")


def test_a_large_text_file_is_previewed_from_its_first_lines(russian_csv, monkeypatch):
    from juvmap.ui.dialogs import open_data

    whole = open_data.read_preview(russian_csv, rows=3)
    monkeypatch.setattr(open_data, "SAMPLE_BYTES", 10)  # every file counts as large
    sample = open_data.read_preview(russian_csv, rows=3)
    assert sample.details == whole.details
    assert sample.source_rows == whole.source_rows == [2, 3, 4]
    pd.testing.assert_frame_equal(sample.frame, whole.frame)


def test_the_dialog_lets_the_user_choose_the_layer_and_has_a_year_field(qtbot, tmp_path,
                                                                       english):
    import geopandas as gpd
    from shapely.geometry import Point

    from juvmap.io.load import load_layer
    from juvmap.ui.dialogs import OpenDataDialog

    path = tmp_path / "layers.gpkg"
    gpd.GeoDataFrame({"name": ["School 1"]}, geometry=[Point(71.44, 51.18)], crs=4326).to_file(
        path, layer="schools", driver="GPKG")
    gpd.GeoDataFrame({"Күні": ["2023-03-01", "2023-03-02"], "Жыл": [2023, 2023]},
                     geometry=[Point(76.91, 43.25)] * 2, crs=4326).to_file(
        path, layer="incidents", driver="GPKG")
    dialog = OpenDataDialog.prepare(path)
    qtbot.addWidget(dialog)
    assert dialog.part_combo.isVisibleTo(dialog)
    assert [dialog.part_combo.itemText(i) for i in range(dialog.part_combo.count())] == [
        "schools", "incidents"]
    assert dialog.layer() == "schools" and dialog.columns == ["name"]
    dialog.choose_part("incidents")
    assert dialog.layer() == "incidents" and dialog.columns == ["Күні", "Жыл"]
    assert dialog.field_labels["year"].text() == "Year"
    assert dialog.mapping() == {"date": "Күні", "year": "Жыл"}
    assert dialog.model.rowCount() == 2
    result = load_layer(path, dialog.mapping(), dialog.crs(), layer=dialog.layer())
    assert result.report.loaded == 2 and result.data["year"].tolist() == [2023, 2023]


def test_a_region_table_in_kazakh_is_mapped_in_the_dialog(qtbot, tmp_path, english):
    from juvmap.ui.dialogs import OpenDataDialog

    path = tmp_path / "өңірлер.csv"
    path.write_text("Өңір,Жыл,Қылмыстар саны\nАбай облысы,2022,31\nАлматы қаласы,2022,120\n",
                    encoding="utf-8")
    dialog = OpenDataDialog.prepare(path)
    qtbot.addWidget(dialog)
    assert dialog.mapping() == {"region": "Өңір", "count": "Қылмыстар саны", "year": "Жыл"}
    assert not dialog.part_combo.isVisibleTo(dialog) and dialog.layer() is None


def test_the_load_report_shows_the_notes(qtbot, tmp_path, english):
    from openpyxl import Workbook

    from juvmap.io.load import load_layer
    from juvmap.ui.dialogs import LoadReportDialog

    book = Workbook()
    book.active.title = "Свод"
    book.active.append(["Область", "Итого"])
    book.active.append(["Алматы", 3])
    register = book.create_sheet("Реестр")
    register.append(["Дата", "Широта", "Долгота"])
    register.append(["15.03.2023", 43.25, 76.91])
    path = tmp_path / "book.xlsx"
    book.save(path)
    dialog = LoadReportDialog(load_layer(path).report)
    qtbot.addWidget(dialog)
    assert dialog.warnings_label.isVisibleTo(dialog)
    assert dialog.warnings_label.text() == "Sheets not loaded: Свод"
