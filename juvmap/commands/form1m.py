"""``juvmap form1m FILE...``: import Form 1-M workbooks into a region table (CSV).

One row per workbook with the columns of :data:`juvmap.io.form1m.TABLE_COLUMNS`; with
``--by-article`` also one row per region, period and article. Counts of minors of 1–4 are
written as "<5". The cross-check report of each workbook is printed (text or ``--json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from juvmap.i18n import _, ngettext

_SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``juvmap form1m``."""
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help=_("Form 1-M workbooks (XLSX), or folders of them"))
    parser.add_argument("--region", metavar="CODE",
                        help=_("Region of every workbook (ISO code or name); by default "
                               "taken from the file name"))
    parser.add_argument("--period", metavar="LABEL",
                        help=_("Period of every workbook, e.g. 2022; by default the year in "
                               "the file name"))
    parser.add_argument("--out", metavar="TABLE.csv", required=True,
                        help=_("Output CSV: one row per workbook"))
    parser.add_argument("--by-article", metavar="ARTICLES.csv",
                        help=_("Also write juveniles by Criminal Code article to this CSV"))
    parser.add_argument("--json", action="store_true",
                        help=_("Print the report as one JSON object"))


def _expand(items: list[str]) -> list[Path]:
    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix.lower() in _SPREADSHEETS)
        else:
            paths.append(path)
    return paths


def _print_text(books, args) -> None:
    for book in books:
        print(_("{file}: {region}, period {period}: {count} juveniles").format(
            file=Path(book.path).name, region=book.region_iso, period=book.period,
            count=book.indicators["juveniles"]))
        if not book.issues:
            print("  " + _("cross-checks: all passed"))
        else:
            print("  " + ngettext("{n} cross-check failed:", "{n} cross-checks failed:",
                                  len(book.issues)).format(n=len(book.issues)))
        for issue in book.issues:
            print("    " + issue.message())
    print(_("Table written to {path}").format(path=args.out))
    if args.by_article:
        print(_("By-article table written to {path}").format(path=args.by_article))


def _report(books, args) -> dict:
    return {
        "out": args.out, "by_article": args.by_article,
        "workbooks": [{
            "path": book.path, "region_iso": book.region_iso, "period": book.period,
            "juveniles": book.indicators["juveniles"],
            "juveniles_off_article": book.juveniles_off_article,
            "cross_checks": [dict(issue.to_dict(), message=issue.message())
                             for issue in book.issues],
            "skipped_rows": book.skipped_rows,
        } for book in books],
    }


def run(args: argparse.Namespace) -> int:
    """Read the workbooks, write the tables, print the report; return 0."""
    from juvmap.io.form1m import TABLE_COLUMNS, read_many
    from juvmap.io.form1m.privacy import suppress_small_counts

    table, by_article, books = read_many(_expand(args.files), args.region, args.period)
    suppress_small_counts(table[TABLE_COLUMNS]).to_csv(args.out, index=False)
    if args.by_article:
        suppress_small_counts(by_article).to_csv(args.by_article, index=False)
    if args.json:
        json.dump(_report(books, args), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_text(books, args)
    return 0
