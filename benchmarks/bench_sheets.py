"""Time the recommendation sheets: profiles, rule tests, HTML and PDF, one and three languages.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_sheets.py``. Prints, per
stage, the seconds of one run of ``juvmap sheets --atlas`` (20 regions + summary + atlas) in
one language and in kk, ru and en, without the interpreter's start and imports (those are
printed apart). Targets (issue 14): ≤ 15 s for one language, ≤ 40 s for three.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def main() -> None:
    t0 = time.perf_counter()
    from juvmap.io.demo import load_demo_incidents
    from juvmap.recommend.profile import all_profiles
    from juvmap.recommend.rules import evaluate_all, load_rules
    from juvmap.recommend.sheets import sheet_sources, sheets_from_profiles
    from juvmap.ui import web
    from juvmap.ui.app import offscreen_application
    from juvmap.ui.sheets_pdf import write_sheets

    app = offscreen_application()
    incidents = load_demo_incidents()
    t1 = time.perf_counter()
    print(f"imports, Qt application and demo layer: {t1 - t0:.2f} s")
    profiles = all_profiles(incidents)
    t2 = time.perf_counter()
    print(f"profiles of 20 regions ({len(incidents)} incidents): {t2 - t1:.2f} s")
    tests = evaluate_all(profiles, load_rules(), "ru")[1]
    t3 = time.perf_counter()
    print(f"rule tests ({int(tests['status'].eq('tested').sum())} tested of {len(tests)} region × rule pairs, "
          f"BH over all): {t3 - t2:.3f} s")
    totals = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("ru", "kk", "en"):
            a = time.perf_counter()
            sheets = sheets_from_profiles(profiles, lang, synthetic=True, sources=sheet_sources(incidents.attrs, lang),
                                          atlas=True)
            b = time.perf_counter()
            written = write_sheets(sheets, Path(tmp) / lang)
            c = time.perf_counter()
            totals[lang] = c - a
            print(f"{lang}: HTML {b - a:.2f} s, {sum(p.suffix == '.pdf' for p in written)} PDFs {c - b:.2f} s")
    one = t2 - t1 + totals["ru"]
    three = t2 - t1 + sum(totals.values())
    print(f"one language (profiles + tests + HTML + PDF): {one:.1f} s (target 15 s)")
    print(f"three languages: {three:.1f} s (target 40 s)")
    web.release_pages()
    del app


if __name__ == "__main__":
    main()
