"""``juvmap sheets``: regional recommendation sheets as PDF and HTML."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from juvmap.commands.analysis_options import add_analysis_arguments, request_from_args
from juvmap.i18n import LANGUAGES, _, get_language


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``juvmap sheets``."""
    parser.add_argument("--out", type=Path, required=True, help=_("Folder for the sheets"))
    parser.add_argument("--lang", dest="sheet_lang", choices=LANGUAGES, help=_("Language of the sheets"))
    parser.add_argument("--region", help=_("Only this region (ISO code, e.g. KZ-75)"))
    parser.add_argument("--source", choices=("official", "incidents"), default="official",
                        help=_("official: the Form 1-M figures (default); incidents: an incident layer"))
    parser.add_argument("--data", type=Path,
                        help=_("Incident file for --source incidents (default: the synthetic demo data)"))
    parser.add_argument("--atlas", action="store_true",
                        help=_("Also write one PDF with the national summary and every region"))
    parser.add_argument("--html-only", action="store_true", help=_("Write HTML only, no PDF"))
    add_analysis_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Build the sheets, print them, and list the files written."""
    lang = args.sheet_lang or get_language()
    if args.source == "official" and args.data:
        from juvmap.errors import AnalysisError

        raise AnalysisError(_("--data needs --source incidents."))
    if args.source == "official":
        incidents = None
    elif args.data:
        from juvmap.io.load import load_layer

        incidents = load_layer(args.data).data
    else:
        from juvmap.io.demo import load_demo_incidents

        incidents = load_demo_incidents()
    region = args.region
    if region:
        from juvmap.io.gazetteer import get_gazetteer

        codes = get_gazetteer().resolve(region)
        region = codes[0] if len(codes) == 1 else region
    t0 = time.perf_counter()
    from juvmap.analysis import Sources, analyse
    from juvmap.recommend.sheets import build_sheets, sheet_request

    if incidents is None:
        from juvmap.recommend.official_sheets import official_sheet_request

        result = analyse(official_sheet_request(request=request_from_args(args)), Sources())
    else:
        result = analyse(sheet_request(request_from_args(args)), Sources(incidents=incidents))
    sheets = build_sheets(result, lang, region=region, atlas=args.atlas)
    written = _html(sheets, args.out) if args.html_only else _pdf(sheets, args.out)
    for path in written:
        print(path)
    print(_("{n} files in {s:.1f} s").format(n=len(written), s=time.perf_counter() - t0), file=sys.stderr)
    return 0


def _html(sheets, out) -> list:
    """The HTML pages only: no Qt is imported."""
    from juvmap.export.sheet_files import write_sheet_html

    return write_sheet_html(sheets, out)


def _pdf(sheets, out) -> list:
    """HTML and searchable PDF: printing needs QtWebEngine (juvmap.ui), offscreen."""
    from juvmap.ui import web
    from juvmap.ui.app import offscreen_application
    from juvmap.ui.sheets_pdf import write_sheets

    app = offscreen_application()
    try:
        return write_sheets(sheets, out)
    finally:
        web.release_pages()  # pages before the profile: no crash at exit
        del app
