"""Time importing the 20 real Form 1-M workbooks of 2022 (target ≤ 10 s on 2 cores).

Run: ``.venv/bin/python benchmarks/bench_form1m.py [--forms ../shared/forms_1m/2022]
[--repeat 3]``. Prints, as JSON, the best wall time of ``read_many`` over all workbooks
(cold: first run in the process, including the import of python-calamine), the best warm
time, the time per workbook, the time of ``is_form1m`` on one workbook, and the target.
The same workbooks read with openpyxl ``read_only`` (only sheets R1, R2, R6, R10) are timed
once for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 10.0


def _openpyxl_seconds(paths: list[Path]) -> float:
    import openpyxl

    start = time.perf_counter()
    for path in paths:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for name in ("R1", "R2", "R6", "R10"):
            for _row in book[name].iter_rows(values_only=True):
                pass
        book.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=Path, default=ROOT.parent / "shared" / "forms_1m" / "2022")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted(args.forms.glob("*.XLSX"))
    start = time.perf_counter()
    from juvmap.io.form1m import is_form1m, read_many

    table, _articles, _books = read_many(paths, period="2022")
    cold = time.perf_counter() - start
    warm = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        read_many(paths, period="2022")
        warm.append(time.perf_counter() - start)
    start = time.perf_counter()
    is_form1m(paths[0])
    recognise = time.perf_counter() - start
    print(json.dumps({
        "workbooks": len(paths), "juveniles": int(table["juveniles"].sum()),
        "import_all_cold_s": round(cold, 2), "import_all_warm_best_s": round(min(warm), 2),
        "per_workbook_s": round(min(warm) / len(paths), 3),
        "is_form1m_one_s": round(recognise, 3),
        "openpyxl_read_only_same_sheets_s": round(_openpyxl_seconds(paths), 2),
        "target_s": TARGET_S, "ok": cold <= TARGET_S,
    }, indent=1))


if __name__ == "__main__":
    main()
