"""``juvmap map``: write a standalone offline HTML map (assets in a folder beside it).

The written file is for sharing: incidents are never in it (they are shown in the app only).
Heavy modules are imported inside :func:`run` so that ``juvmap --help`` stays fast.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from juvmap.commands.analysis_options import add_analysis_arguments, request_from_args
from juvmap.i18n import LANGUAGES, _

SHARED_LAYERS = ("choropleth", "kde", "hotspots")
# the choices, kept here so that building the parser imports nothing heavy (a test compares them)
RAMPS = ("viridis", "magma", "inferno", "plasma")


def _layers(text: str) -> tuple[str, ...]:
    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in (*SHARED_LAYERS, "incidents")]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            _("layers must be a comma-separated list of {names}").format(names=", ".join(SHARED_LAYERS)))
    return names


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap map`` to ``parser``."""
    parser.add_argument("--out", required=True, metavar="FILE.html", help=_("HTML file to write"))
    parser.add_argument("--lang", dest="map_lang", choices=LANGUAGES, help=_("Language of the map"))
    parser.add_argument("--data", metavar="FILE", help=_("Incident file (default: the synthetic demo data)"))
    parser.add_argument("--layers", type=_layers, default=("choropleth",), metavar="choropleth,kde,hotspots",
                        help=_("Layers to show"))
    add_analysis_arguments(parser)
    parser.add_argument("--ramp", choices=RAMPS, default="viridis", help=_("Colour ramp of the density"))
    parser.add_argument("--opacity", type=float, default=0.7, help=_("Opacity of the density overlay"))
    parser.add_argument("--background", metavar="FILE|DIR",
                        help=_("GeoTIFF, tile folder or MBTiles file shown as background"))
    parser.add_argument("--title", help=_("Title of the map"))


def _incidents(path: str | None):
    if path is None:
        from juvmap.io.demo import load_demo_incidents

        return load_demo_incidents()
    from juvmap.errors import DataLoadError
    from juvmap.io.load import load_layer

    result = load_layer(Path(path))
    if result.kind != "points" and "region" not in result.data.columns:
        raise DataLoadError(_("The file has neither incident points nor region codes"), path)
    return result.data


def run(args: argparse.Namespace) -> int:
    """Build the map, write it and print where; return 0."""
    from juvmap.i18n import get_language, set_language

    lang = args.map_lang or getattr(args, "lang", None) or get_language()
    set_language(lang)
    from juvmap.analysis import Sources, analyse
    from juvmap.mapping.spec import MapSpec, export_map

    started = time.perf_counter()
    layers = args.layers
    if "incidents" in layers:
        print(_("Incidents are shown in the app only; they are left out of the written map."))
        layers = tuple(name for name in layers if name != "incidents")
    spec = MapSpec(layers=layers, kde_ramp=args.ramp, kde_opacity=args.opacity, background=args.background,
                   language=lang, title=args.title)
    result = analyse(request_from_args(args, outputs=spec.outputs()), Sources(incidents=_incidents(args.data)))
    path = export_map(result, spec, Path(args.out))
    size = path.stat().st_size / 1e6
    print(_("Written {path} ({size:.1f} MB) in {seconds:.2f} s").format(
        path=str(path), size=size, seconds=time.perf_counter() - started))
    return 0
