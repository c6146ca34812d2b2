"""A throw-away virtual environment that sees the installed packages of another one, minus some.

Used by ``tests/test_wheel.py`` (a venv without the editable juvmap, so that the built wheel is
what runs) and to measure juvmap without pyarrow (``--without pyarrow``), in seconds instead of
a fresh install of every dependency::

    python tools/venv_mirror.py /tmp/nopa --without pyarrow     # then /tmp/nopa/bin/python ...

The new venv (``--without-pip``) gets one symbolic link per entry of the source venv's
``site-packages``; ``.pth`` files are linked too, so namespace packages and other start-up
hooks behave as in the source. Entries of the editable juvmap install are always left out.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

#: the editable install of juvmap (``pip install -e .``): its finder, ``.pth`` and metadata
EDITABLE_JUVMAP = re.compile(r"^(__editable__[._]+juvmap.*|juvmap-[^/]*\.dist-info|juvmap\.egg-link)$", re.I)


def site_packages(python: Path) -> Path:
    """Return the ``purelib`` folder of the interpreter ``python``."""
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def _left_out(name: str, without: tuple[str, ...]) -> bool:
    if EDITABLE_JUVMAP.match(name):
        return True
    stem = re.split(r"[-.]", name, maxsplit=1)[0].lower()
    return any(stem == w.lower().replace("-", "_") for w in without)


def make_mirror(target: Path, source_python: Path = Path(sys.executable),
                without: tuple[str, ...] = ()) -> Path:
    """Create the venv ``target`` mirroring ``source_python``'s packages; return its python.

    Parameters
    ----------
    target : Path
        Folder of the new venv (must not exist or be empty).
    source_python : Path
        Interpreter of the venv whose ``site-packages`` are mirrored (default: this one).
    without : tuple of str
        Top-level names to leave out besides the editable juvmap, e.g. ``("pyarrow",)`` drops
        ``pyarrow/``, ``pyarrow-*.dist-info`` and ``pyarrow.libs/``.
    """
    base = subprocess.run([str(source_python), "-c", "import sys; print(sys._base_executable)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([base, "-m", "venv", "--without-pip", str(target)], check=True)
    python = target / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    source, dest = site_packages(source_python), site_packages(python)
    for entry in sorted(source.iterdir()):
        if entry.name != "__pycache__" and not _left_out(entry.name, without):
            (dest / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return python


def main(argv: list[str] | None = None) -> int:
    """Command line: ``venv_mirror.py TARGET [--source PYTHON] [--without NAME ...]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--source", type=Path, default=Path(sys.executable))
    parser.add_argument("--without", nargs="*", default=[])
    args = parser.parse_args(argv)
    print(make_mirror(args.target, args.source, tuple(args.without)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
