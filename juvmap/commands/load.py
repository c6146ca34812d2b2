"""``juvmap load FILE``: read a data file and print its load report."""

from __future__ import annotations

import argparse
import json
import sys

from juvmap.i18n import _


def _field_column(text: str) -> tuple[str, str]:
    field, sep, column = text.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise argparse.ArgumentTypeError(_("expected field=column, got {text}").format(text=text))
    return field.strip(), column.strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap load``."""
    parser.add_argument("file", help=_("CSV, XLSX, GeoPackage, Shapefile or GeoJSON file"))
    parser.add_argument("--json", action="store_true",
                        help=_("Print the report as one JSON object"))
    parser.add_argument("--rejected", metavar="OUT.csv",
                        help=_("Write the rejected rows and their reasons to this CSV file"))
    parser.add_argument("--mapping", nargs="+", default=[], type=_field_column,
                        metavar="FIELD=COLUMN",
                        help=_("Use COLUMN for FIELD instead of the detected column"))
    parser.add_argument("--crs", help=_("CRS of X/Y columns, e.g. EPSG:32642"))
    parser.add_argument("--layer", metavar="NAME",
                        help=_("Layer of a GeoPackage or sheet of a workbook to load "
                               "(needed when the file holds several)"))


def _form1m_notice(args: argparse.Namespace) -> bool:
    """Say so and return True when ``args.file`` is a Form 1-M workbook, not incidents."""
    from pathlib import Path

    from juvmap.io.form1m import is_form1m

    if Path(args.file).suffix.lower() not in (".xlsx", ".xlsm", ".xls") or not is_form1m(args.file):
        return False
    text = _("{file} is a Form 1-M workbook (official statistics by region, not incident "
             "records): import it with «juvmap form1m {file} --out TABLE.csv»").format(
        file=Path(args.file).name)
    if args.json:
        json.dump({"kind": "form1m", "message": text}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(text)
    return True


def run(args: argparse.Namespace) -> int:
    """Load ``args.file``; print the report (text or JSON); return 0."""
    if _form1m_notice(args):
        return 0
    from juvmap.io.load import load_layer

    mapping = dict(args.mapping or [])
    result = load_layer(args.file, mapping=mapping or None, crs=args.crs,
                        layer=getattr(args, "layer", None))
    rep = result.report
    if args.rejected:
        rep.save_rejected(args.rejected)
    if args.json:
        payload = {"kind": result.kind, **rep.to_dict()}
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print(rep.summary())
        if args.rejected:
            print(_("Rejected rows written to {path}").format(path=args.rejected))
    return 0

