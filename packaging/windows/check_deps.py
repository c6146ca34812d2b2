"""Check from any machine that juvmap's Windows build can be installed from wheels alone.

Resolves the dependencies of ``pyproject.toml`` (with the ``package`` extra: PyInstaller) for
64-bit Windows and CPython 3.11, as ``pip install`` on the build PC would, and fails if any
distribution has no ``win_amd64``/``cp311``-compatible wheel::

    python packaging/windows/check_deps.py            # prints one line per wheel, exit 0 = ready
    python packaging/windows/check_deps.py --report windows-deps.json

``pip --platform win_amd64`` chooses Windows wheels but evaluates environment markers for the
machine it runs on (``sys_platform == "win32"`` is false on Linux), which would miss the
Windows-only dependencies (colorama, pywin32-ctypes, pefile, ...) and juvmap's own Windows
constraint on PySide6. Pip runs here in a child process whose marker environment is that of
Windows 10 x64 with CPython 3.11, so both are resolved as on the PC. Needs access to the
package index (or a ``--find-links`` folder of wheels). Exit codes: 0 ready, 1 a wheel or a
constraint is missing, 2 pip could not run.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON_VERSION = "3.11"
PLATFORM = "win_amd64"

#: the marker values of CPython 3.11 on 64-bit Windows 10/11
WINDOWS_MARKERS = {
    "implementation_name": "cpython",
    "implementation_version": "3.11.9",
    "os_name": "nt",
    "platform_machine": "AMD64",
    "platform_release": "10",
    "platform_system": "Windows",
    "platform_version": "10.0.17763",
    "python_full_version": "3.11.9",
    "platform_python_implementation": "CPython",
    "python_version": PYTHON_VERSION,
    "sys_platform": "win32",
}

#: pip, with its marker environment replaced by Windows's, run as ``python -c``
_PIP_AS_WINDOWS = """
import json, sys
from pip._vendor.packaging import markers
windows = json.loads(sys.argv[1])
markers.default_environment = lambda: dict(windows)
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""

#: Qt6Core.dll of PySide6 6.10-6.12 imports the system icu, absent before Windows 10 1903
MAX_PYSIDE6_ON_WINDOWS = (6, 10)


def requirements(pyproject: Path = ROOT / "pyproject.toml", extras: tuple[str, ...] = ("package",)) -> list[str]:
    """Return the dependencies of ``pyproject`` plus those of ``extras``, markers included."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    out = list(project["dependencies"])
    for extra in extras:
        out += project.get("optional-dependencies", {}).get(extra, [])
    return out


def resolve(reqs: list[str], report: Path, extra_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run ``pip install --dry-run`` for Windows x64 / CPython 3.11, wheels only; write ``report``."""
    with tempfile.TemporaryDirectory() as tmp:
        req_file = Path(tmp) / "requirements.txt"
        req_file.write_text("\n".join(reqs) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-c", _PIP_AS_WINDOWS, json.dumps(WINDOWS_MARKERS),
               "install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(report),
               "--only-binary=:all:", "--platform", PLATFORM, "--python-version", PYTHON_VERSION,
               "--implementation", "cp", "--abi", "cp311", "--abi", "abi3", "--abi", "none",
               *extra_args, "-r", str(req_file)]
        return subprocess.run(cmd, capture_output=True, text=True)


def wheel_rows(report: dict) -> list[tuple[str, str, str]]:
    """Return ``(name, version, wheel file)`` of every distribution the resolution installs."""
    rows = []
    for item in report["install"]:
        url = item["download_info"]["url"]
        rows.append((item["metadata"]["name"], item["metadata"]["version"], url.rsplit("/", 1)[-1]))
    return sorted(rows, key=lambda r: r[0].lower())


def problems(rows: list[tuple[str, str, str]]) -> list[str]:
    """Return what would stop the Windows build: a non-wheel, a non-Windows wheel, a PySide6
    that needs Windows 10 1903+, a Windows-only dependency that was not resolved."""
    found = []
    names = {name.lower().replace("_", "-") for name, _, _ in rows}
    for name, version, wheel in rows:
        if not wheel.endswith(".whl"):
            found.append(f"{name} {version}: no wheel ({wheel})")
        elif not re.search(r"-(win_amd64|any)\.whl$", wheel):
            found.append(f"{name} {version}: not a Windows x64 wheel ({wheel})")
        if name.lower().startswith("pyside6") and tuple(map(int, version.split(".")[:2])) >= MAX_PYSIDE6_ON_WINDOWS:
            found.append(f"{name} {version}: needs icuuc.dll (Windows 10 1903+), LTSC 2019 would not start")
    for needed in ("pywin32-ctypes", "pefile"):  # PyInstaller's Windows-only dependencies
        if needed not in names:
            found.append(f"{needed}: Windows-only dependency of PyInstaller not resolved")
    return found


def main(argv: list[str] | None = None) -> int:
    """Resolve, print one line per wheel and what is missing; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, help="keep pip's JSON installation report here")
    parser.add_argument("pip_args", nargs="*", help="more pip options after --, e.g. -- --find-links DIR")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = args.report or Path(tmp) / "report.json"
        result = resolve(requirements(), report, tuple(args.pip_args))
        if result.returncode != 0 or not report.exists():
            errors = [line for line in result.stderr.splitlines() if not line.startswith("WARNING: Location")]
            print("FAIL: pip cannot resolve the Windows dependencies from wheels:", *errors, sep="\n  ")
            return 1 if "No matching distribution" in result.stderr or "ResolutionImpossible" in result.stderr else 2
        rows = wheel_rows(json.loads(report.read_text(encoding="utf-8")))
    for name, version, wheel in rows:
        print(f"{name:32} {version:14} {wheel}")
    found = problems(rows)
    for line in found:
        print(f"FAIL: {line}")
    if not found:
        print(f"OK: {len(rows)} wheels for {PLATFORM} / CPython {PYTHON_VERSION}, none missing")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
