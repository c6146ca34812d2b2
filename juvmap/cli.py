"""The ``juvmap`` command: the desktop application, or a headless subcommand.

``juvmap`` with no subcommand starts the GUI. Each subcommand lives in
``juvmap/commands/<name>.py`` with ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from juvmap import __version__
from juvmap.errors import JuvmapError
from juvmap.i18n import LANGUAGES, N_, _, set_language

#: subcommand name -> one-line help (translated when the parser is built)
COMMANDS: dict[str, str] = {
    "load": N_("Read a data file and print its load report"),
    "form1m": N_("Import Form 1-M workbooks (official statistics) into a region table"),
    "rates": N_("Compute rates, smoothing and hot-spot statistics per region or district"),
    "kde": N_("Compute a kernel density surface and write it as GeoTIFF"),
    "map": N_("Write a standalone offline HTML map"),
    "sheets": N_("Write regional recommendation sheets (PDF and HTML)"),
    "evaluate": N_("Evaluate a prevention measure: WDD test, WDQ and interrupted time series"),
    "emerging": N_("Find emerging hot spots (Gi* per time step, Mann-Kendall trend)"),
    "nearrepeat": N_("Knox test of near repeats in space and time"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser; with ``only``, import just that subcommand (fast start)."""
    parser = argparse.ArgumentParser(
        prog="juvmap",
        description=_("Criminological map of juvenile delinquency of Kazakhstan"),
    )
    parser.add_argument("--version", action="version", version=f"juvmap {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=_("Interface language"))
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_("Start the window offscreen, wait for the map, print timings as JSON and exit"),
    )
    sub = parser.add_subparsers(dest="command")
    for name, help_text in COMMANDS.items():
        if only is not None and name != only:
            sub.add_parser(name, help=_(help_text))
            continue
        try:
            module = importlib.import_module(f"juvmap.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"juvmap.commands.{name}":
                raise
            continue
        command = sub.add_parser(name, help=_(help_text))
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def use_utf8_streams() -> None:
    """Make ``sys.stdout``/``sys.stderr`` write UTF-8 whatever the console code page.

    A Windows PC with a Russian locale (cp1251) or a Western one (cp1252), or ``LC_ALL=C``,
    would otherwise stop the CLI with ``UnicodeEncodeError`` at the first Kazakh letter of
    redirected output. A missing stream (the windowed Windows executable) is left alone;
    what UTF-8 cannot hold (a file name undecodable in the C locale) is written escaped.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    """Run juvmap; return the process exit code."""
    use_utf8_streams()
    argv = sys.argv[1:] if argv is None else argv
    if "--lang" in argv[:-1] and argv[argv.index("--lang") + 1] in LANGUAGES:
        set_language(argv[argv.index("--lang") + 1])  # before the parser: its help is translated too
    chosen = next((a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--lang")),
                  None)
    parser = build_parser(chosen if chosen in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        if getattr(args, "run", None) is not None:
            return int(args.run(args) or 0)
        from juvmap.ui import app

        app._explicit_language = bool(args.lang)
        return app.run_app(smoke_test=args.smoke_test)
    except JuvmapError as exc:
        print(f"juvmap: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
