"""``juvmap evaluate``, ``emerging`` and ``nearrepeat`` end to end on the demo data."""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from juvmap.cli import main


def _json(capsys, *argv) -> dict:
    assert main(["--lang", "en", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_evaluate_json_matches_counts_from_the_data(demo, capsys):
    out = _json(capsys, "evaluate", "--treated", "KZ-75", "--control", "KZ-71,KZ-79",
                "--before", "2019-2021", "--after", "2022-2023", "--json")
    year = demo["date"].dt.year
    region = demo["region"].astype(str)

    def n(codes, lo, hi):
        return int((region.isin(codes) & year.between(lo, hi)).sum())

    t0, t1 = n(["KZ-75"], 2019, 2021), n(["KZ-75"], 2022, 2023)
    c0, c1 = n(["KZ-71", "KZ-79"], 2019, 2021), n(["KZ-71", "KZ-79"], 2022, 2023)
    assert out["counts"] == {"T0": t0, "T1": t1, "C0": c0, "C1": c1}
    assert out["wdd"] == (t1 - t0) - (c1 - c0)
    assert out["wdd_se"] == pytest.approx(math.sqrt(t0 + t1 + c0 + c1))
    assert out["wdd_z"] == pytest.approx(out["wdd"] / out["wdd_se"])
    assert 0 <= out["wdd_p"] <= 1 and "wdq" not in out
    assert out["synthetic"] is True and out["its"]["pre_points"] == 36
    assert out["verdict"]["code"] in ("fell_more", "rose_more", "no_difference")


def test_evaluate_with_displacement_and_a_polygon_file(demo, tmp_path, capsys):
    from juvmap.io.boundaries import load_regions

    regions = load_regions("full")
    area = regions[regions["code"] == "KZ-75"][["code", "geometry"]]
    path = tmp_path / "almaty.gpkg"
    area.to_file(path, driver="GPKG")
    out = _json(capsys, "evaluate", "--treated", str(path), "--control", "KZ-71",
                "--displacement", "KZ-19", "--displacement-control", "KZ-11",
                "--before", "2019-2021", "--after", "2022-2023", "--json")
    inside = shapely.contains_xy(area.geometry.iloc[0], demo["lon"], demo["lat"])
    assert out["counts"]["T0"] == int((inside & demo["date"].dt.year.between(2019, 2021)).sum())
    assert {"D0", "D1", "CD0", "CD1"} <= set(out["counts"])
    assert out["wdd_se"] ** 2 == pytest.approx(sum(out["counts"].values()))
    assert "wdq" in out and out["wdq_reading"] in ("diffusion_exceeds", "diffusion", "none",
                                                    "displacement", "displacement_exceeds",
                                                    "no_success", "undefined")


@pytest.mark.parametrize("lang,word", [("en", "control area"), ("ru", "контрол"), ("kk", "бақылау")])
def test_evaluate_plain_output_is_translated(capsys, lang, word):
    assert main(["--lang", lang, "evaluate", "--treated", "KZ-75", "--control", "KZ-71",
                 "--before", "2021", "--after", "2022-2023"]) == 0
    text = capsys.readouterr().out
    assert word in text.lower() and "WDD = " in text


def test_evaluate_errors_are_typed_and_translated(capsys):
    assert main(["--lang", "en", "evaluate", "--treated", "Nowhere", "--control", "KZ-71",
                 "--before", "2019-2021", "--after", "2022-2023"]) == 2
    assert "Unknown area Nowhere" in capsys.readouterr().err
    assert main(["--lang", "en", "evaluate", "--treated", "KZ-75", "--control", "KZ-71",
                 "--before", "2019-2022", "--after", "2022-2023"]) == 2
    assert "before period must end" in capsys.readouterr().err


def test_emerging_writes_a_geopackage_for_qgis(tmp_path, capsys):
    out = tmp_path / "emerging.gpkg"
    assert main(["--lang", "en", "emerging", "--level", "regions", "--step", "year", "--out", str(out)]) == 0
    layer = pyogrio.read_dataframe(out)
    assert len(layer) == 20 and layer.crs.to_epsg() == 4326
    assert {"category", "category_label", "trend_z", "trend_p", "hot_steps"} <= set(layer.columns)
    assert [c for c in layer.columns if c.startswith("n_")] == [f"n_{y}" for y in range(2019, 2024)]
    assert pyogrio.read_info(out)["layer_metadata"]["synthetic"] == "yes"
    assert "SYNTHETIC" in capsys.readouterr().out


def test_emerging_districts_fall_back_to_regions_with_a_message(tmp_path, capsys):
    from juvmap.io import boundaries

    out = tmp_path / "emerging.csv"
    assert main(["--lang", "en", "emerging", "--level", "districts", "--out", str(out)]) == 0
    table = pd.read_csv(out, comment="#")
    if hasattr(boundaries, "load_districts"):
        assert len(table) > 20
    else:
        assert len(table) == 20 and "regions are used instead" in capsys.readouterr().err


def test_emerging_grid_of_hexagons(tmp_path):
    out = tmp_path / "grid.gpkg"
    assert main(["emerging", "--level", "grid", "--cell", "50000", "--shape", "hex",
                 "--out", str(out)]) == 0
    layer = pyogrio.read_dataframe(out)
    assert layer["code"].str.startswith("H").all()
    assert (shapely.get_num_coordinates(layer.geometry.to_numpy()) == 7).all()


def test_nearrepeat_writes_every_band(tmp_path, demo, capsys):
    out = tmp_path / "knox.csv"
    assert main(["--lang", "en", "nearrepeat", "--distance", "0,500,1000", "--days", "0,7,14",
                 "--permutations", "19", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert "permutations=19" in first and "synthetic=yes" in first
    table = pd.read_csv(io.StringIO(rest))
    assert len(table) == 9
    assert table["time_band"].tolist()[:3] == ["0–6", "7–13", "≥ 14"]
    n = len(demo)
    assert table["observed"].sum() == n * (n - 1) // 2  # every pair in exactly one band
    assert np.all((table["p"] > 0) & (table["p"] <= 1))
