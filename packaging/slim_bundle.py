"""Make the built Linux bundle smaller without changing what runs (called by ``build.sh``).

    python packaging/slim_bundle.py dist/juvmap

1. Debug symbols: ``strip --strip-debug`` on every ELF library and helper program, except
   the ``*.libs/`` folders (auditwheel's libraries, edited by patchelf: left untouched) and the
   ``juvmap`` executable (PyInstaller's bootloader carries the archive appended after the ELF).
2. PROJ data: pyogrio, rasterio and pyproj each bring a ``proj.db`` of their own PROJ
   (9.8, 9.7, 9.5). PROJ opens a ``proj.db`` whose layout has its major version and at least its
   minor one, so the newest folder serves all three when it holds every file of the others;
   the other folders become relative symbolic links to it.

Prints what each step saved, in MB.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

#: PROJ data folders of the bundled libraries, relative to ``_internal``
PROJ_FOLDERS = ("pyogrio/proj_data", "rasterio/proj_data", "pyproj/proj_dir/share/proj")


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _is_elf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"\x7fELF"


def strip_debug(bundle: Path) -> int:
    """Strip debug sections from the bundle's ELF files (see the module doc); return bytes saved."""
    launcher = bundle / bundle.name
    files = [p for p in bundle.rglob("*")
             if p.is_file() and not p.is_symlink() and p != launcher
             and not any(part.endswith(".libs") for part in p.relative_to(bundle).parts)
             and _is_elf(p)]
    before = sum(p.stat().st_size for p in files)
    for start in range(0, len(files), 200):
        subprocess.run(["strip", "--strip-debug", *map(str, files[start:start + 200])], check=True)
    return before - sum(p.stat().st_size for p in files)


def layout_version(proj_db: Path) -> tuple[int, int]:
    """Return ``(major, minor)`` of the database layout of a ``proj.db``."""
    with sqlite3.connect(f"file:{proj_db}?mode=ro", uri=True) as db:
        rows = dict(db.execute("SELECT key, value FROM metadata WHERE key LIKE 'DATABASE.LAYOUT.VERSION.%'"))
    return int(rows["DATABASE.LAYOUT.VERSION.MAJOR"]), int(rows["DATABASE.LAYOUT.VERSION.MINOR"])


def share_proj_data(internal: Path) -> int:
    """Keep one PROJ data folder when it can serve every library; return bytes saved."""
    folders = [internal / f for f in PROJ_FOLDERS if (internal / f / "proj.db").is_file()
               and not (internal / f).is_symlink()]
    if len(folders) < 2:
        return 0
    versions = {f: layout_version(f / "proj.db") for f in folders}
    keep = max(folders, key=lambda f: versions[f])
    saved = 0
    for folder in folders:
        if folder == keep:
            continue
        same_major = versions[folder][0] == versions[keep][0]
        names_kept = {p.name for p in keep.iterdir()}
        if not same_major or not {p.name for p in folder.iterdir()} <= names_kept:
            print(f"  {folder.relative_to(internal)} kept: its files or layout differ from {keep.name}")
            continue
        saved += _size(folder)
        shutil.rmtree(folder)
        folder.symlink_to(os.path.relpath(keep, folder.parent), target_is_directory=True)
    return saved


def main(argv: list[str]) -> int:
    """Slim the bundle folder given as the only argument."""
    bundle = Path(argv[0] if argv else "dist/juvmap").resolve()
    internal = bundle / "_internal"
    if not internal.is_dir():
        print(f"no bundle at {bundle}", file=sys.stderr)
        return 2
    mb = 1024 * 1024
    print(f"slim: debug symbols stripped, {strip_debug(bundle) / mb:.0f} MB saved")
    print(f"slim: one PROJ data folder for pyogrio, rasterio and pyproj, {share_proj_data(internal) / mb:.0f} MB saved")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
