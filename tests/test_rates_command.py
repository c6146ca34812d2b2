"""``juvmap rates`` end to end on the built-in demo data, the 20 regions and the districts."""

from __future__ import annotations

import argparse
import io

import numpy as np
import pandas as pd
import pyogrio
import pytest

from juvmap.analysis.result import AREA_COLUMNS
from juvmap.commands import rates as command

#: the columns of a written area table: the analysis's, with the name after the code
COLUMNS = ["code", "name", *AREA_COLUMNS[1:]]


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return command.run(parser.parse_args(list(argv)))


def read_output(path) -> tuple[dict[str, str], pd.DataFrame]:
    text = path.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert first.startswith("# ")
    meta = dict(part.split("=", 1) for part in first[2:].split("; "))
    return meta, pd.read_csv(io.StringIO(rest), dtype={"count": str})


def test_default_run_writes_20_regions_with_metadata(tmp_path, demo, capsys):
    out = tmp_path / "rates.csv"
    assert run("--out", str(out), "--years", "2022-2022") == 0
    meta, table = read_output(out)
    assert meta["multiplier"] == "10000" and meta["synthetic"] == "yes"
    assert meta["estimate"] == "yes" and "0–17" in meta["denominator"]
    assert meta["period"] == "2022" and meta["period_kind"] == "year" and "filter" not in meta
    assert "warning" in meta  # 20 regions: low power
    assert table.columns.tolist() == COLUMNS
    assert len(table) == 20 and table["code"].is_unique
    counts = pd.to_numeric(table["count"], errors="coerce")
    in_2022 = demo[demo["date"].dt.year == 2022]
    expected = in_2022["region"].value_counts().reindex(table["code"], fill_value=0).to_numpy()
    shown = counts.notna().to_numpy()
    np.testing.assert_array_equal(counts[shown], expected[shown])
    assert (table.loc[(expected > 0) & (expected < 5), "count"] == "<5").all()
    # one cell of 1–4 would be the national total minus the others: one more is hidden with it
    assert ((expected >= 5) & ~shown).sum() == 1 and ((expected > 0) & (expected < 5)).sum() == 1
    assert (table["count"] == "hidden").sum() == 1  # hidden with the "<5", not called "<5"
    small = table["count"].isin(["<5", "hidden"]).to_numpy()
    assert table.loc[~small, "rate"].notna().all()
    assert (table.loc[~small, "ci_low"] <= table.loc[~small, "rate"]).all()
    assert table.loc[small, ["rate", "ci_low", "ci_high", "eb_rate"]].isna().all().all()  # no way back
    assert "SYNTHETIC" in capsys.readouterr().out


def test_small_counts_are_suppressed(tmp_path):
    out = tmp_path / "small.csv"
    run("--out", str(out), "--years", "2022-2022", "--filter", "sex=F", "age=14-14")
    meta, table = read_output(out)
    assert "sex=F" in meta["filter"] and "age=14-14" in meta["filter"]
    values = set(table["count"])
    assert "<5" in values
    assert not values & {"1", "2", "3", "4"}


def test_geopackage_carries_the_metadata(tmp_path):
    out = tmp_path / "rates.gpkg"
    assert run("--out", str(out), "--filter", "category=property") == 0
    info = pyogrio.read_info(out)
    for key in ("layer_metadata", "dataset_metadata"):
        assert info[key]["multiplier"] == "10000"
        assert info[key]["synthetic"] == "yes"
        assert info[key]["filter"] == "categories=property" and info[key]["period"] == "2023"
    layer = pyogrio.read_dataframe(out)
    assert len(layer) == 20 and layer.geometry.notna().all()
    assert {"eb_rate", "spatial_eb_rate", "lisa_quadrant", "gi_z"} <= set(layer.columns)


def test_districts_with_a_user_population_file(tmp_path, shared, demo):
    districts = pyogrio.read_dataframe(shared / "geodata" / "kaz_adm2_2024.gpkg")
    pop = pd.DataFrame({"KATO": districts["KATO"].astype(str), "people": 50_000})
    pop.loc[0, "people"] = None  # a district without population
    pop_path = tmp_path / "pop.csv"
    pop.to_csv(pop_path, index=False)
    out = tmp_path / "districts.csv"
    options = ("--regions", str(shared / "geodata" / "kaz_adm2_2024.gpkg"), "--region-field", "KATO",
               "--name-field", "ADM2_EN", "--years", "2019-2023",
               "--population", str(pop_path), "--population-field", "people")
    assert run(*options, "--out", str(out)) == 0
    assert run(*options, "--internal", "--out", str(tmp_path / "internal.csv")) == 0
    meta, table = read_output(out)
    internal_meta, internal = read_output(tmp_path / "internal.csv")
    assert "NOT FOR PUBLICATION" in internal_meta["disclosure"]
    assert meta["multiplier"] == "100000" and meta["estimate"] == "no"
    assert "warning" not in meta  # 223 tested districts
    assert len(table) == 224 and table.loc[0, "name"] == "Semey"
    assert np.isnan(table.loc[0, ["rate", "eb_rate", "spatial_eb_rate"]].astype(float)).all()
    shown = table.index[1:][(table.loc[1:, "count"] != "<5").to_numpy()]
    assert table.loc[shown, "rate"].notna().all()
    assert table.loc[table["count"] == "<5", "rate"].isna().all()
    numeric = pd.to_numeric(table["count"], errors="coerce")
    true = pd.to_numeric(internal["count"])
    shown = numeric.notna()
    np.testing.assert_array_equal(numeric[shown], true[shown])  # shown counts are the true ones
    assert not (true[~shown] == 0).any() and (true.between(1, 4) <= ~shown).all()
    located = demo.geometry.notna().sum()
    # every located point falls in one district (the districts cover the country)
    assert located * 0.99 <= true.sum() <= located
    assert true.sum() + int(meta.get("unplaced", 0)) == len(demo)


def test_cli_reports_a_bad_output_as_an_error(tmp_path, capsys):
    from juvmap.cli import main

    assert main(["rates", "--out", str(tmp_path / "rates.txt")]) == 2
    assert "juvmap:" in capsys.readouterr().err
    assert main(["rates", "--out", str(tmp_path / "x.csv"), "--filter", "colour=red"]) == 2
    with pytest.raises(SystemExit) as exit_:  # argparse: usage and a translated reason
        main(["rates", "--out", str(tmp_path / "x.csv"), "--years", "twenty"])
    assert exit_.value.code == 2
