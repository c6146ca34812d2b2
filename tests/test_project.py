"""Projects save, reopen, and old versions still open."""

from __future__ import annotations

from pathlib import Path

import pytest

from juvmap.errors import DataLoadError
from juvmap.project import SCHEMA_VERSION, DataSource, Project, open_project, save_project
from juvmap.stats.filters import IncidentFilter

HERE = Path(__file__).resolve().parent


def test_round_trip_restores_filter_and_settings(tmp_path):
    project = Project(
        incidents=DataSource("/data/x.csv", {"date": "Дата"}, "EPSG:32642"),
        filter=IncidentFilter(years=(2020, 2022), categories=("property",), hours=(22, 3), pupil=True),
        analysis={"scheme": "quantiles", "k": 5, "rate": "eb"},
        view={"selected_region": "KZ-75", "language": "ru"},
    )
    reopened = open_project(save_project(project, tmp_path / "p.juvmap"))
    assert reopened == project


def test_version_0_file_still_opens():
    project = open_project(HERE / "data" / "project_v0.juvmap")
    assert project.filter.years == (2021, 2023)
    assert project.analysis == {"scheme": "fisher_jenks", "k": 4}
    assert project.view["language"] == "kk"
    assert project.incidents.path is None


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage", b"[1, 2]", b'{"format": "other"}',
                                     b'{"schema_version": 99}'])
def test_bad_files_raise_one_typed_error(tmp_path, content):
    path = tmp_path / "bad.juvmap"
    path.write_bytes(content)
    with pytest.raises(DataLoadError):
        open_project(path)


def test_saved_file_carries_the_schema_version(tmp_path):
    text = save_project(Project(), tmp_path / "p.juvmap").read_text(encoding="utf-8")
    assert f'"schema_version": {SCHEMA_VERSION}' in text
