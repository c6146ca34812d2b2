"""``juvmap map --out FILE.html`` writes a standalone offline map."""

from __future__ import annotations

import re

import pytest

from juvmap.cli import main
from juvmap.i18n import get_language, set_language
from juvmap.mapping.build import ASSET_FOLDER

REMOTE = re.compile(r"https?://[^\s\"')]*", re.IGNORECASE)
#: URL strings inside the installed Leaflet files that are never fetched: the SVG namespace,
#: a comment, and the "Leaflet" attribution link, which juvmap pages switch off (setPrefix(false)).
NOT_FETCHED = {"http://www.w3.org/2000/svg", "https://leafletjs.com",
               "https://bugzilla.mozilla.org/show_bug.cgi?id=888319"}


@pytest.fixture(autouse=True)
def _keep_language():
    before = get_language()
    yield
    set_language(before)


def _check_offline(path):
    html = path.read_text(encoding="utf-8")
    assert not REMOTE.search(html)
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith(ASSET_FOLDER + "/"), src
        assert (path.parent / src).is_file(), src
    for asset in (path.parent / ASSET_FOLDER).rglob("*"):
        if asset.suffix in {".js", ".css", ".html"}:
            found = set(REMOTE.findall(asset.read_text(encoding="utf-8", errors="replace")))
            assert found <= NOT_FETCHED, (asset, found - NOT_FETCHED)
    assert "setPrefix(false)" in html
    return html


def test_map_command_writes_an_offline_map_in_kazakh(tmp_path, capsys):
    from juvmap.io.gazetteer import get_gazetteer

    out = tmp_path / "kk" / "map.html"
    code = main(["map", "--out", str(out), "--layers", "choropleth,kde,hotspots", "--lang", "kk", "--rate", "eb"])
    assert code == 0
    html = _check_offline(out)
    assert get_gazetteer().name("KZ-75", "kk") in html
    assert "L.imageOverlay(" in html  # the density
    assert '"hotspots":' in html and '"peaks":' in html
    assert out.stat().st_size < 5_000_000
    assert str(out) in capsys.readouterr().out


def test_map_command_leaves_incidents_out(tmp_path, capsys):
    from juvmap.paths import data_path

    out = tmp_path / "map.html"
    code = main(["map", "--out", str(out), "--layers", "choropleth,incidents", "--data",
                 str(data_path("demo_incidents.csv")), "--year", "2022", "--lang", "en"])
    assert code == 0
    html = _check_offline(out)
    assert "markerClusterGroup" not in html and '"incidents":' not in html
    assert "Rate, 2022" in html
    assert "app only" in capsys.readouterr().out


def test_map_command_rejects_unknown_layers(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["map", "--out", str(tmp_path / "m.html"), "--layers", "choropleth,roads"])
    assert exc.value.code == 2


def test_missing_data_file_is_a_user_error(tmp_path, capsys):
    code = main(["map", "--out", str(tmp_path / "m.html"), "--data", str(tmp_path / "nope.csv")])
    assert code == 2
    assert "juvmap:" in capsys.readouterr().err


def test_command_choices_match_the_core():
    from juvmap.analysis.request import HOTSPOT_METHODS, RATE_KINDS
    from juvmap.commands import analysis_options as options
    from juvmap.commands import map as command
    from juvmap.mapping.density_layer import RAMPS
    from juvmap.mapping.spec import LAYER_KINDS
    from juvmap.stats.classify import SCHEMES

    assert options.RATE_KINDS == RATE_KINDS
    assert options.HOTSPOT_METHODS == HOTSPOT_METHODS
    assert command.RAMPS == RAMPS
    assert set(options.SCHEMES) == set(SCHEMES) - {"user_defined"}
    assert set(command.SHARED_LAYERS) == set(LAYER_KINDS) - {"incidents"}
