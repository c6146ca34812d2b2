"""Time the HTML of all 20 recommendation sheets in one language: profiles + rules + HTML.

Run: ``.venv/bin/python benchmarks/bench_sheets.py [lang]``. The PDF printing is timed
elsewhere; the whole target is at most 20 s for 20 PDFs.
"""

from __future__ import annotations

import sys
import time


def main(lang: str = "ru") -> None:
    from juvmap.io.builtin import SOURCES
    from juvmap.io.demo import load_demo_incidents
    from juvmap.recommend.profile import all_profiles
    from juvmap.recommend.rules import evaluate, load_rules
    from juvmap.recommend.sheet_html import national_summary_html, region_sheet_html

    incidents = load_demo_incidents()
    sources = [SOURCES["juvenile_population"], SOURCES["boundaries"]]
    for run in ("cold", "warm"):
        t0 = time.perf_counter()
        profiles = all_profiles(incidents)
        t1 = time.perf_counter()
        rules = load_rules()
        results = {code: evaluate(p, rules, lang) for code, p in profiles.items()}
        t2 = time.perf_counter()
        pages = [region_sheet_html(p, results[c], lang, synthetic=True, period="2019–2023", sources=sources)
                 for c, p in profiles.items()]
        pages.append(national_summary_html(profiles, results, lang, synthetic=True, period="2019–2023",
                                           sources=sources))
        t3 = time.perf_counter()
        size = sum(len(p.encode("utf-8")) for p in pages) / 1e6
        print(f"{run}: {len(incidents)} incidents, 20 sheets + summary ({lang}): profiles {t1 - t0:.2f} s, "
              f"rules {t2 - t1:.3f} s, HTML {t3 - t2:.2f} s, total {t3 - t0:.2f} s, {size:.1f} MB of HTML")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ru")
