"""One truth on screen: for random requests, the map's tooltips, the Region dock, the sheet and the
CSV of ``juvmap rates`` show the same count and rate for every area."""

from __future__ import annotations

import argparse
import html
import io
import re

import numpy as np
import pandas as pd
import pytest

from juvmap.analysis import AnalysisRequest, Sources, analyse
from juvmap.stats.filters import IncidentFilter

PERIODS = [(2023, 2023), (2022, 2022), (2021, 2023), (2019, 2023), (2020, 2021)]
FILTERS = [IncidentFilter(), IncidentFilter(sex=("F",)), IncidentFilter(categories=("property",)),
           IncidentFilter(age=(14, 15)), IncidentFilter(categories=("person", "property"), sex=("M",)),
           IncidentFilter(places=("school",)), IncidentFilter(hours=(14, 18))]


def random_requests(n: int = 20, seed: int = 2024) -> list[AnalysisRequest]:
    rng = np.random.default_rng(seed)
    return [AnalysisRequest(period=PERIODS[rng.integers(len(PERIODS))], filter=FILTERS[rng.integers(len(FILTERS))],
                            denominator=str(rng.choice(["juvenile", "residents"])),
                            rate=str(rng.choice(["raw", "eb", "spatial_eb"])), permutations=99)
            for _ in range(n)]


def csv_of(request: AnalysisRequest, tmp_path) -> pd.DataFrame:
    """The area table as ``juvmap rates`` writes it for the same question."""
    from juvmap.commands import rates

    parser = argparse.ArgumentParser()
    rates.add_arguments(parser)
    out = tmp_path / "rates.csv"
    argv = ["--out", str(out), "--years", "{}-{}".format(*request.period), "--denominator", request.denominator,
            "--rate", request.rate]
    if not request.filter.is_empty:
        argv += ["--filter", *request.filter.to_expressions()]
    args = parser.parse_args(argv)
    result = analyse(rates.request_from_args(args).__class__(**{**rates.request_from_args(args).__dict__,
                                                                 "permutations": 99}), Sources.builtin())
    from juvmap.export.tables import write_result

    write_result(result, out, "en")
    text = out.read_text(encoding="utf-8").split("\n", 1)[1]
    return pd.read_csv(io.StringIO(text), dtype={"count": str}).set_index("code")


def tooltips_of(result) -> dict[str, dict[str, str]]:
    """Count and rate as the map's tooltips print them."""
    from juvmap.i18n import using_language
    from juvmap.mapping.build import map_layers
    from juvmap.mapping.spec import MapSpec, build_map

    with using_language("en"):
        fmap = build_map(result, MapSpec(layers=("choropleth",), settlements=False, language="en"))
    layer = next(layer for layer in map_layers(fmap) if layer.key == "choropleth")
    out = {}
    for code, tip in zip(layer.polygons["code"], layer.polygons["tooltip"], strict=True):
        text = html.unescape(re.sub(r"<[^>]+>", "\n", tip))
        count = re.search(r"Incidents: (\S+)", text).group(1)
        rate = re.search(r"Rate: (\S+) \(95% CI", text)
        out[code] = {"count": count, "rate": rate.group(1) if rate else "×"}
    return out


def sheet_rows(page: str) -> dict[str, str]:
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    clean = {html.unescape(re.sub(r"<[^>]+>", "", label)): html.unescape(re.sub(r"<span.*?</span>", "", value)).strip()
             for label, value, _nat in rows}
    return clean


def expected(csv_row) -> dict[str, str]:
    from juvmap.numbers import format_number

    count = {"hidden": "×"}.get(csv_row["count"], csv_row["count"])
    if count.isdigit():
        count = format_number(int(count), "en", 0)
    rate = "×" if not np.isfinite(csv_row["rate"]) else format_number(csv_row["rate"], "en", 2)
    return {"count": count, "rate": rate}


@pytest.fixture(scope="module")
def demo_sources():
    return Sources.builtin()


@pytest.mark.parametrize("request_", random_requests(), ids=lambda r: f"{r.period}-{r.rate}-{r.denominator}")
def test_map_dock_sheet_and_csv_agree(request_, demo_sources, tmp_path, english):
    from juvmap.recommend.profile import all_profiles
    from juvmap.recommend.rules import evaluate
    from juvmap.recommend.sheet_html import format_value, region_sheet_html

    result = analyse(request_.with_outputs("density", "profiles"), demo_sources)
    table = csv_of(request_, tmp_path)
    tips = tooltips_of(result)
    profiles = all_profiles(result, "en")
    hidden_tip = {"<5": "<5", "hidden": "×"}
    assert len(table) == 20 and set(tips) == set(table.index) == set(profiles)
    for code, row in table.iterrows():
        want = expected(row)
        tip = tips[code]
        assert hidden_tip.get(tip["count"], tip["count"]) == want["count"], (code, tip, want)
        assert tip["rate"] == want["rate"], (code, tip, want)
        ind = profiles[code].indicators
        assert format_value(ind["count"], "en") == want["count"], code
        assert format_value(ind["rate"], "en") == want["rate"], code
    for code in list(profiles)[:: 7]:  # three sheets a request: the sheet prints the dock's values
        page = region_sheet_html(profiles[code], evaluate(profiles[code], lang="en"), "en", synthetic=True,
                                 period=result.period.label(), sources=[])
        rows = sheet_rows(page)
        want = expected(table.loc[code])
        assert any(k.startswith("Offences") and v == want["count"] for k, v in rows.items()), (code, rows)
        assert any(k.startswith("Rate") and v == want["rate"] for k, v in rows.items()), (code, rows)


@pytest.mark.qt
def test_the_region_dock_shows_the_map_numbers(qtbot, demo_sources, english):
    from juvmap.recommend.profile import all_profiles
    from juvmap.ui.docks.region import RegionPanel

    panel = RegionPanel()
    qtbot.addWidget(panel)
    for request in random_requests(4, seed=7):
        result = analyse(request.with_outputs("density", "profiles"), demo_sources)
        tips = tooltips_of(result)
        for code in ("KZ-75", "KZ-62", "KZ-39"):
            panel.show(all_profiles(result, "en")[code], result, code)
            cells = {panel.table.item(i, 0).text(): panel.table.item(i, 1).text()
                     for i in range(panel.table.rowCount())}
            count = {"<5": "<5", "hidden": "×"}.get(tips[code]["count"], tips[code]["count"])
            assert cells["Offences"] == count
            assert cells["Rate"] == tips[code]["rate"]
            assert result.period.label() in panel.title.text()
