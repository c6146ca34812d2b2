"""Time the official recommendation sheets (Form 1-M 2022): analysis, profiles, HTML, PDF.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_official_sheets.py``. Prints
the seconds of the official analysis, of the profiles and rule tests, and per language of the
HTML (20 regions + summary + atlas) and the PDFs. Targets (issue 14): ≤ 15 s for one language,
≤ 40 s for three.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def main() -> None:
    t0 = time.perf_counter()
    from juvmap.analysis import Sources, analyse
    from juvmap.recommend.official_profile import official_profiles
    from juvmap.recommend.official_sheets import build_official_sheets, official_sheet_request
    from juvmap.ui import web
    from juvmap.ui.app import offscreen_application
    from juvmap.ui.sheets_pdf import write_sheets

    app = offscreen_application()
    t1 = time.perf_counter()
    print(f"imports and Qt application: {t1 - t0:.2f} s")
    result = analyse(official_sheet_request((2022, 2022)), Sources())
    t2 = time.perf_counter()
    print(f"official analysis 2022 (area table, LISA/Gi*): {t2 - t1:.2f} s")
    official_profiles(result)
    t3 = time.perf_counter()
    print(f"profiles of 20 regions: {t3 - t2:.2f} s")
    totals = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("ru", "kk", "en"):
            a = time.perf_counter()
            sheets = build_official_sheets(result, lang, atlas=True)
            b = time.perf_counter()
            written = write_sheets(sheets, Path(tmp) / lang)
            c = time.perf_counter()
            totals[lang] = c - a
            print(f"{lang}: profiles + rule tests + HTML {b - a:.2f} s, "
                  f"{sum(p.suffix == '.pdf' for p in written)} PDFs {c - b:.2f} s")
    print(f"one language (analysis + sheets + PDF): {t2 - t1 + totals['ru']:.1f} s (target 15 s)")
    print(f"three languages: {t2 - t1 + sum(totals.values()):.1f} s (target 40 s)")
    web.release_pages()
    del app


if __name__ == "__main__":
    main()
