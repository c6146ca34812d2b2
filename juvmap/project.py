"""A juvmap project: what the user loaded, how it is filtered and analysed, and the view.

Saved as a ``.juvmap`` file (UTF-8 JSON) with a schema version. Older versions are
migrated on open by the ordered functions in :data:`MIGRATIONS`.

Version history (bump :data:`SCHEMA_VERSION` and add a migration for every change that an
older juvmap could not read):

- 0: the first experimental layout (flat keys ``data``, ``years``, ``scheme``, ``k``);
- 1: ``incidents``/``regions`` sources, ``filter`` (IncidentFilter.to_dict), ``analysis``
  (the map settings), ``view``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from juvmap.errors import DataLoadError
from juvmap.i18n import _
from juvmap.stats.filters import IncidentFilter

SCHEMA_VERSION = 1
FORMAT = "juvmap-project"


@dataclass(frozen=True)
class DataSource:
    """A data file and how it was read; ``path=None`` means the built-in layer."""

    path: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    #: the layer (GeoPackage) or sheet (workbook) read, when the file has several
    layer: str | None = None


@dataclass(frozen=True)
class Project:
    """Everything needed to reopen a piece of work.

    Attributes
    ----------
    incidents : DataSource
        The incident layer (``None`` path: the built-in synthetic layer).
    regions : DataSource
        The polygon layer (``None`` path: the 20 built-in regions).
    filter : IncidentFilter
    analysis : dict
        Map and analysis settings (rate kind, classification, KDE, hot spots, layers).
    view : dict
        Selected region, map centre and zoom, language.
    """

    incidents: DataSource = field(default_factory=DataSource)
    regions: DataSource = field(default_factory=DataSource)
    filter: IncidentFilter = field(default_factory=IncidentFilter)
    analysis: dict[str, Any] = field(default_factory=dict)
    view: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The project as a JSON-ready dict, with format name and schema version."""
        return {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "incidents": asdict(self.incidents),
            "regions": asdict(self.regions),
            "filter": self.filter.to_dict(),
            "analysis": dict(self.analysis),
            "view": dict(self.view),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Project:
        """Read a project dict of any known schema version."""
        data = migrate(data)
        return cls(
            incidents=DataSource(**data.get("incidents", {})),
            regions=DataSource(**data.get("regions", {})),
            filter=IncidentFilter.from_dict(data.get("filter", {})),
            analysis=dict(data.get("analysis", {})),
            view=dict(data.get("view", {})),
        )


def _from_v0(data: dict[str, Any]) -> dict[str, Any]:
    years = data.get("years")
    return {
        "format": FORMAT,
        "schema_version": 1,
        "incidents": {"path": data.get("data"), "mapping": data.get("columns", {}), "crs": None},
        "regions": {"path": data.get("regions"), "mapping": {}, "crs": None},
        "filter": {"years": list(years)} if years else {},
        "analysis": {key: data[key] for key in ("scheme", "k") if key in data},
        "view": {"language": data["language"]} if "language" in data else {},
    }


#: schema version -> function that upgrades a dict of that version by one step
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _from_v0}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade a project dict to :data:`SCHEMA_VERSION`."""
    version = int(data.get("schema_version", 0))
    if version > SCHEMA_VERSION:
        raise DataLoadError(_("This project was saved by a newer juvmap (version {v}).").format(v=version))
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version = int(data["schema_version"])
    return data


def save_project(project: Project, path: str | Path) -> Path:
    """Write ``project`` to ``path`` atomically (a temporary file, then a rename)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(project.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def open_project(path: str | Path) -> Project:
    """Read a ``.juvmap`` file; a file that is not one raises a translated DataLoadError."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataLoadError(_("{name} is not a juvmap project.").format(name=path.name), str(path)) from exc
    if not isinstance(data, dict) or (data.get("format", FORMAT) != FORMAT):
        raise DataLoadError(_("{name} is not a juvmap project.").format(name=path.name), str(path))
    try:
        return Project.from_json(data)
    except (TypeError, ValueError, KeyError) as exc:
        raise DataLoadError(_("{name} is not a juvmap project.").format(name=path.name), str(path)) from exc
