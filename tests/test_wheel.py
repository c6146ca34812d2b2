"""The built wheel carries everything juvmap needs: installed into a fresh venv, its commands
work from a folder outside the source tree (issue 18: data/ and resources/ were missing)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from venv_mirror import make_mirror  # noqa: E402


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the sources (setuptools writes into its source folder)."""
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT / "juvmap", src / "juvmap", ignore=shutil.ignore_patterns("__pycache__", "cache"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "-w", str(out), str(src)], check=True, capture_output=True, text=True)
    (built,) = out.glob("juvmap-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A venv that sees the dependencies but not the editable juvmap, with the wheel installed."""
    venv = tmp_path_factory.mktemp("venv")
    python = make_mirror(venv / "env", Path(sys.executable))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, text=True)
    return venv / "env" / "bin"


def _env(cwd: Path) -> dict[str, str]:
    """This environment without anything that points into the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUVMAP_ROOT", "VIRTUAL_ENV")}
    env.update(JUVMAP_CACHE=str(cwd / "cache"), HOME=str(cwd), QT_QPA_PLATFORM="offscreen")
    return env


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "juvmap"), *args], cwd=cwd, env=_env(cwd), capture_output=True,
                          text=True, timeout=120)


def test_wheel_holds_the_data_and_the_catalogs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in ("data/regions.csv", "data/demo_incidents.csv", "data/demo_incidents.meta.json",
                "data/rules.toml", "data/README.md", "resources/translations/kk/LC_MESSAGES/juvmap.po"):
        assert f"juvmap/{rel}" in names, rel
    assert not any(n.startswith(("data/", "resources/", "tests/")) for n in names)


def test_installed_wheel_runs_outside_the_source_tree(installed, tmp_path):
    python = installed / "python"
    where = subprocess.run([str(python), "-c", "import juvmap.paths as p; print(p.__file__); print(p.data_path())"],
                           cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True,
                           check=True).stdout.split()
    assert all(str(ROOT) not in line for line in where) and "site-packages" in where[0], where

    version = _run(installed, tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("juvmap 0."), version.stderr

    rates = _run(installed, tmp_path, "--lang", "kk", "rates", "--out", "rates.gpkg")
    assert rates.returncode == 0, rates.stderr
    with sqlite3.connect(tmp_path / "rates.gpkg") as db:
        (tables,) = db.execute("SELECT count(*) FROM gpkg_contents").fetchone()
        assert tables >= 1

    page = _run(installed, tmp_path, "--lang", "ru", "map", "--out", "map.html")
    assert page.returncode == 0, page.stderr
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "L.map" in html and "Алматы" in html and 'src="http' not in html
    assert len(html) > 10_000
