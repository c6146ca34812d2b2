"""Gather the licences and attributions of everything a juvmap bundle ships.

Run by ``packaging/juvmap.spec`` after PyInstaller has collected the files (it passes the
source path of every bundled file), or by hand::

    python packaging/collect_licenses.py --out dist/juvmap/licenses

Without a list of bundled files it takes juvmap's installed requirements, recursively.
Nothing here is committed to the repository: the texts come from the installed
distributions (their ``RECORD``), Python itself and, for texts a wheel only names by SPDX
identifier (Qt's LGPL), the system's ``/usr/share/common-licenses`` when it exists.

Output: ``README.md`` (index: distribution, version, licence, files), ``DATA.md`` (the
sources and licences of juvmap's built-in data, from ``juvmap/data/README.md``), ``web-assets.md``
(Leaflet, jQuery ... with the copyright banners of the shipped files) and one folder per
distribution with its licence files.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import re
import shutil
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

LICENSE_NAME = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS|COPYRIGHT)", re.IGNORECASE)
#: SPDX id -> file name in /usr/share/common-licenses (Debian/Ubuntu)
COMMON_LICENSES = {"LGPL-3.0": "LGPL-3", "GPL-3.0": "GPL-3", "GPL-2.0": "GPL-2", "Apache-2.0": "Apache-2.0"}
#: xstatic packages name the upstream licence only as "(same as X)"
WEB_ASSET_LICENSES = {
    "XStatic-Leaflet": ("BSD-2-Clause", "https://github.com/Leaflet/Leaflet/blob/main/LICENSE"),
    "XStatic-Leaflet-MarkerCluster": (
        "MIT", "https://github.com/Leaflet/Leaflet.markercluster/blob/master/MIT-LICENCE.txt"),
    "XStatic-jQuery": ("MIT", "https://jquery.org/license/"),
    "XStatic-Font-Awesome": ("OFL-1.1 AND MIT AND CC-BY-4.0", "https://fontawesome.com/license/free"),
}
ROOT = Path(__file__).resolve().parent.parent


def file_owners() -> dict[Path, md.Distribution]:
    """Map every file of every installed distribution to its distribution."""
    owners: dict[Path, md.Distribution] = {}
    for dist in md.distributions():
        for f in dist.files or []:
            try:
                owners[Path(f.locate()).resolve()] = dist
            except OSError:
                continue
    return owners


def required_distributions(name: str = "juvmap") -> list[md.Distribution]:
    """``name`` and its installed requirements, recursively (extras are skipped)."""
    seen: dict[str, md.Distribution] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        key = _key(current)
        if key in seen:
            continue
        try:
            dist = md.distribution(current)
        except md.PackageNotFoundError:
            continue
        seen[key] = dist
        for req in dist.requires or []:
            if "extra ==" in req:
                continue
            todo.append(re.split(r"[\s;<>=!~\[(]", req, maxsplit=1)[0])
    return list(seen.values())


def bundled_distributions(sources: Iterable[Path]) -> tuple[list[md.Distribution], list[Path]]:
    """The distributions owning ``sources``, and the bundled files no distribution owns."""
    owners = file_owners()
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    found: dict[str, md.Distribution] = {}
    foreign: list[Path] = []
    for src in sources:
        path = Path(src).resolve()
        dist = owners.get(path)
        if dist is not None:
            found.setdefault(_key(dist.metadata["Name"]), dist)
        elif path.is_file() and not path.is_relative_to(stdlib) and not path.is_relative_to(ROOT):
            if "site-packages" not in path.parts and not path.is_relative_to(Path(sys.base_prefix)):
                foreign.append(path)
    return sorted(found.values(), key=lambda d: _key(d.metadata["Name"])), sorted(set(foreign))


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(dist: md.Distribution) -> str:
    """The licence a distribution declares (SPDX expression when given)."""
    meta = dist.metadata
    name = meta["Name"]
    if name in WEB_ASSET_LICENSES:
        return WEB_ASSET_LICENSES[name][0]
    declared = meta.get("License-Expression") or ""
    if not declared:
        text = (meta.get("License") or "").strip()
        declared = text.splitlines()[0][:80] if text else ""
    if not declared or len(declared) > 60:
        classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        declared = "; ".join(classifiers) or declared or "not declared"
    return declared


def licence_files(dist: md.Distribution) -> list[tuple[Path, str]]:
    """(source, relative name) of the licence-like files a distribution installs."""
    out = []
    for f in dist.files or []:
        if not LICENSE_NAME.match(f.name) or f.suffix in (".py", ".pyc", ".h"):
            continue
        src = Path(f.locate())
        if src.is_file():
            parts = f.parts
            if ".dist-info" in parts[0]:
                parts = parts[2:] if len(parts) > 2 and parts[1] == "licenses" else parts[1:]
            out.append((src, "__".join(parts)))
    return out


def copy_distribution(dist: md.Distribution, out: Path) -> list[str]:
    """Copy the licence files of ``dist`` into ``out/<name>-<version>/``; return their names."""
    folder = out / f"{dist.metadata['Name']}-{dist.version}"
    names = []
    for src, rel in licence_files(dist):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, folder / rel)
        names.append(f"{folder.name}/{rel}")
    return names


def data_attributions(readme: Path) -> str:
    """The sources and licences of the built-in data: ``juvmap/data/README.md`` with a summary first."""
    text = readme.read_text(encoding="utf-8")
    terms = re.compile(r"CC BY \d\.\d|PDDL|not safely redistributable|not stated|SYNTHETIC")
    lines = ["# Data sources and licences", "",
             "Summary (from `juvmap/data/README.md`; the full text follows):", ""]
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        title = section.partition("\n")[0].strip()
        if title.lower() == "scripts":
            continue
        found = list(dict.fromkeys(m.group(0) for m in terms.finditer(section)))
        lines.append(f"- **{title}**: {', '.join(found) or 'see the text'}")
    lines += ["", "---", "", text]
    return "\n".join(lines)


def web_assets(dists: list[md.Distribution], out: Path) -> list[str]:
    """Describe the bundled JavaScript/CSS libraries with the copyright banners of their files."""
    rows = ["# Web assets (offline map)", ""]
    for dist in dists:
        name = dist.metadata["Name"]
        if name not in WEB_ASSET_LICENSES:
            continue
        spdx, url = WEB_ASSET_LICENSES[name]
        rows += [f"## {name} {dist.version}", "", f"Licence: {spdx}, {url}", ""]
        banners: dict[str, list[str]] = {}
        for f in dist.files or []:
            if f.suffix not in (".js", ".css") or "/data/" not in f.as_posix():
                continue
            head = Path(f.locate()).read_text(encoding="utf-8", errors="replace")[:800]
            banner = re.match(r"\s*/\*[\s\S]*?\*/", head)
            if banner and re.search(r"\(c\)|copyright|licen[cs]e", banner.group(0), re.I):
                banners.setdefault(banner.group(0).strip(), []).append(f.name)
        for banner, files in banners.items():
            rows += [", ".join(f"`{n}`" for n in files) + ":", "", "```", banner, "```", ""]
    (out / "web-assets.md").write_text("\n".join(rows), encoding="utf-8")
    return ["web-assets.md"]


def common_licence_texts(expressions: Iterable[str], out: Path) -> list[str]:
    """Copy full texts for SPDX ids a wheel names without shipping (from the system)."""
    names = []
    joined = " ".join(expressions)
    for spdx, filename in COMMON_LICENSES.items():
        system = Path("/usr/share/common-licenses") / filename
        if spdx in joined and system.is_file():
            shutil.copyfile(system, out / f"{spdx}.txt")
            names.append(f"{spdx}.txt")
    return names


def python_licence(out: Path) -> list[str]:
    """Python's own licence (the interpreter and standard library are bundled)."""
    for candidate in (Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",
                      Path(sys.base_prefix) / "LICENSE.txt"):
        if candidate.is_file():
            shutil.copyfile(candidate, out / "Python-LICENSE.txt")
            return ["Python-LICENSE.txt"]
    return []


def collect(out: Path, sources: list[Path] | None = None, data_readme: Path | None = None,
            root: Path = ROOT) -> Path:
    """Write the licence folder ``out`` and return it.

    Parameters
    ----------
    out : Path
        Folder to (re)create.
    sources : list of Path, optional
        Source paths of every bundled file; the owning distributions are listed. Default:
        juvmap's installed requirements, recursively.
    data_readme : Path, optional
        ``juvmap/data/README.md``; default ``<root>/juvmap/data/README.md``.
    root : Path
        The repository (for juvmap's own licence, if a LICENSE file exists).
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    foreign: list[Path] = []
    if sources is None:
        dists = sorted(required_distributions(), key=lambda d: _key(d.metadata["Name"]))
    else:
        dists, foreign = bundled_distributions(sources)
    rows, expressions = [], []
    for dist in dists:
        name = dist.metadata["Name"]
        if _key(name) == "juvmap":
            continue
        licence = licence_of(dist)
        expressions.append(licence)
        files = copy_distribution(dist, out)
        shown = ", ".join(f"`{f}`" for f in files[:3]) + (f" (+{len(files) - 3})" if len(files) > 3 else "")
        rows.append(f"| {name} | {dist.version} | {licence} | {shown or 'no licence file in the wheel'} |")
    extra = python_licence(out) + common_licence_texts(expressions, out) + web_assets(dists, out)
    readme = data_readme or root / "juvmap" / "data" / "README.md"
    (out / "DATA.md").write_text(data_attributions(readme), encoding="utf-8")
    own = next((p for p in (root / "LICENSE", root / "LICENSE.txt") if p.is_file()), None)
    if own:
        shutil.copyfile(own, out / "juvmap-LICENSE.txt")
    index = [
        "# Licences of the juvmap bundle", "",
        "juvmap itself: MIT" + (" (`juvmap-LICENSE.txt`)." if own else " (pyproject.toml)."),
        "Built-in data: see `DATA.md` (sources, licences and caveats of every table and of the",
        "region boundaries). Offline map libraries: see `web-assets.md`.",
        "Python: `Python-LICENSE.txt`. Full texts named only by SPDX id: "
        + (", ".join(f"`{n}`" for n in extra if n.endswith(".txt") and n != "Python-LICENSE.txt")
           or "see https://spdx.org/licenses/") + ".",
        "Qt (PySide6, QtWebEngine with Chromium) is used under the LGPL-3.0; the Chromium",
        "third-party notices are inside QtWebEngine (chrome://credits in a Qt browser).",
        "", "| distribution | version | licence | files |", "|---|---|---|---|", *rows, "",
    ]
    if foreign:
        index += ["Shared libraries copied from the build system (licences of their OS packages):",
                  "", *[f"- `{p}`" for p in foreign], ""]
    (out / "README.md").write_text("\n".join(index), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="licence folder to write")
    parser.add_argument("--sources", type=Path, help="file listing bundled source paths, one a line")
    args = parser.parse_args(argv)
    sources = None
    if args.sources:
        sources = [Path(line) for line in args.sources.read_text().splitlines() if line.strip()]
    print(collect(args.out, sources))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
