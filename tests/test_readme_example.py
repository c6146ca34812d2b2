"""The README's notebook-style example runs as written (on the built-in demo file)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)


def test_the_readme_example_runs(tmp_path, monkeypatch):
    import geopandas as gpd
    import rasterio

    from juvmap.io.demo import DEMO_CSV
    from juvmap.paths import data_path

    code = readme_example()
    assert len(code.strip().splitlines()) <= 15
    (tmp_path / "incidents.csv").write_bytes(data_path(DEMO_CSV).read_bytes())
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    areas = scope["areas"]
    assert isinstance(areas, gpd.GeoDataFrame) and len(areas) == 224
    with rasterio.open(tmp_path / "density.tif") as src:
        assert src.crs is not None and src.read(1).max() > 0
