"""Time the recommendation sheets: analysis, profiles and rule tests, HTML and PDF, one and three
languages, in process and as the ``juvmap sheets`` command.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_sheets.py [--repeat 2]``.

In process: :func:`juvmap.analysis.analyse` of :func:`juvmap.recommend.sheets.sheet_request`
(profiles and density) once, then per language :func:`~juvmap.recommend.sheets.build_sheets`
(profiles cut out, rules tested, HTML) and :func:`juvmap.ui.sheets_pdf.write_sheets` (PDF).
Whole command: ``juvmap sheets --atlas --lang L --out DIR`` in a new process (interpreter start,
imports and Qt included), once per language; "three languages" is the sum of the three.
Targets (issue 14): 20 regions + summary + atlas ≤ 15 s in one language, ≤ 40 s in three.
The machine is shared: each figure is min–median–max of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import spread, verdict  # noqa: E402

LANGS = ("ru", "kk", "en")
ONE_TARGET, THREE_TARGET = 15.0, 40.0


@contextlib.contextmanager
def stderr_to(path: Path):
    """Send the process's standard error (file descriptor 2, Chromium's too) to ``path``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def in_process(repeat: int) -> None:
    """Stage by stage inside one process (imports and Qt start printed apart)."""
    t0 = time.perf_counter()
    from juvmap.analysis import AnalysisRequest, Sources, analyse
    from juvmap.io.demo import load_demo_incidents
    from juvmap.recommend.sheets import build_sheets, sheet_request
    from juvmap.ui import web
    from juvmap.ui.app import offscreen_application
    from juvmap.ui.sheets_pdf import write_sheets

    app = offscreen_application()
    sources = Sources(incidents=load_demo_incidents())
    print(f"imports, Qt application and demo layer: {time.perf_counter() - t0:.2f} s")
    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(repeat):
            a = time.perf_counter()
            result = analyse(sheet_request(AnalysisRequest(seed=100 + run)), sources)  # new seed: no cache
            stages.setdefault("analysis (areas, density, profiles)", []).append(time.perf_counter() - a)
            for lang in LANGS:
                b = time.perf_counter()
                sheets = build_sheets(result, lang, atlas=True)
                c = time.perf_counter()
                with stderr_to(Path(tmp) / "stderr.txt"):
                    written = write_sheets(sheets, Path(tmp) / f"{run}-{lang}")
                d = time.perf_counter()
                stages.setdefault(f"{lang}: profiles + rule tests + HTML", []).append(c - b)
                stages.setdefault(f"{lang}: {sum(p.suffix == '.pdf' for p in written)} PDFs", []).append(d - c)
        errors = (Path(tmp) / "stderr.txt").read_text(errors="replace").count("javascript error")
    for label, seconds in stages.items():
        print(f"  {label}: {spread(seconds)}")
    print(f"  javascript errors while printing the PDFs: {errors}")
    web.release_pages()
    del app


def command(lang: str, out: Path, env: dict) -> float:
    """Seconds of one ``juvmap sheets --atlas`` process in ``lang``."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "juvmap", "sheets", "--atlas", "--lang", lang, "--out", str(out)],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def whole_command(repeat: int) -> None:
    """``juvmap sheets`` as the user runs it (a new process per language)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    per_lang: dict[str, list[float]] = {lang: [] for lang in LANGS}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(repeat):
            for lang in LANGS:
                per_lang[lang].append(command(lang, Path(tmp) / f"{run}-{lang}", env))
    for lang, seconds in per_lang.items():
        print(f"  juvmap sheets --atlas --lang {lang}: {spread(seconds)}")
    one = per_lang["ru"]
    three = [sum(per_lang[lang][i] for lang in LANGS) for i in range(repeat)]
    print(f"one language (ru), whole command: median {statistics.median(one):.1f} s; {verdict(one, ONE_TARGET)}")
    print(f"three languages (kk + ru + en, three commands): {spread(three)}; {verdict(three, THREE_TARGET)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print("-- in process (20 regions + summary + atlas, synthetic demo layer)")
    in_process(args.repeat)
    print("-- whole command")
    whole_command(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
