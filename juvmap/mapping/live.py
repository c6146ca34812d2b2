"""Change a map already shown in a page into another one, without reloading the page.

A filter change redraws the same layers with other contents. Reloading the page costs the
parse of Leaflet, every layer and the basemap again (about 0.4 s in the Qt view) and resets
the user's zoom; replacing only what changed takes a few tens of milliseconds.

A :class:`MapPage` is a map written to a file together with

* its *layout*: a digest of everything that a page keeps when it is updated in place
  (which layers, in which order, their names, assets and legend corners, the title's and
  badge's presence, the polygons shared between layers, the attribution …), and
* its *parts*: JavaScript that replaces one layer, one legend or the title in a page of the
  same layout (each layer built by the same Python code that wrote the file).

:meth:`MapPage.update_script` returns the script that turns a page showing one map into
another of the same layout (only the parts that differ), or ``None`` when the page must be
loaded from its file. The page side is the bridge of :mod:`juvmap.mapping.build`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import folium

from juvmap.mapping.build import ScriptLayer, js_json, map_layers, write_map
from juvmap.mapping.elements import legend_html


@dataclass(frozen=True)
class MapPage:
    """A map file and what updates a page of the same layout into it.

    Attributes
    ----------
    path : Path
        The written HTML file (the page to load when no update is possible).
    layout : str or None
        Digest of what an update keeps; ``None``: this map can only be loaded.
    parts : dict of str to str
        Part name (``"layer:<key>"``, ``"legend:<key>"``, ``"title"``) -> JavaScript.
    """

    path: Path
    layout: str | None = None
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def digests(self) -> dict[str, str]:
        """Part name -> digest of its script."""
        return {name: hashlib.sha1(script.encode("utf-8")).hexdigest() for name, script in self.parts.items()}

    def update_script(self, shown: MapPage | None) -> str | None:
        """JavaScript that turns a page showing ``shown`` into this map, or ``None``.

        ``None`` when either map has no layout or the layouts differ: load :attr:`path`
        instead. The script's value is ``true`` once the page is up to date.
        """
        if self.layout is None or shown is None or shown.layout != self.layout:
            return None
        before, after = shown.digests, self.digests
        changed = [script for name, script in self.parts.items() if before.get(name) != after[name]]
        return "\n".join(["window.juvmapReady = false;", *changed, "window.juvmapFinishUpdate();"])


def map_page(fmap: folium.Map, path: str | Path) -> MapPage:
    """The :class:`MapPage` of ``fmap`` (made by :func:`~juvmap.mapping.build.build_map`) at ``path``.

    Maps with a layer that is not a :class:`~juvmap.mapping.build.ScriptLayer` (a local tile
    background) or made otherwise get no layout: they are always loaded.
    """
    path = Path(path)
    elements = getattr(fmap, "_juvmap_elements", None)
    frame = getattr(fmap, "_juvmap_frame", None)
    if elements is None or frame is None:
        return MapPage(path)
    shared = sorted(getattr(fmap, "_juvmap_shared", {}).values())
    layout: list = [dict(frame, title=None, subtitle=None), shared]
    parts: dict[str, str] = {}
    layers = map_layers(fmap)
    for layer in layers:
        element = elements[layer.key]
        if not isinstance(element, ScriptLayer):
            return MapPage(path)
        layout.append([layer.key, type(layer).__name__, element.show, element.header, element.default_js,
                       element.default_css])  # legends: in the frame
        parts[f"layer:{layer.key}"] = (f"(function(){{\n{element.script('fresh', 'window.juvmapMap')}\n"
                                       f"window.juvmapReplaceLayer({js_json(layer.key)}, fresh, "
                                       f"{js_json(element.layer_name)});\n}})();")
    for layer in layers:
        if layer.legend is not None:
            parts[f"legend:{layer.key}"] = (f"window.juvmapSetLegend({js_json(layer.key)}, "
                                            f"{js_json(legend_html(layer.legend))});")
    parts["title"] = f"window.juvmapSetTitle({js_json(frame['title'])}, {js_json(frame['subtitle'])});"
    digest = hashlib.sha1(json.dumps(layout, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return MapPage(path, digest, parts)


def write_page(fmap: folium.Map, path: str | Path) -> MapPage:
    """Write ``fmap`` like :func:`~juvmap.mapping.build.write_map` and return its :class:`MapPage`."""
    return map_page(fmap, write_map(fmap, Path(path)))
