"""The worker keeps the GUI responsive, drops stale results and reports errors."""

from __future__ import annotations

import time

import numpy as np
import pytest

from juvmap.errors import AnalysisError
from juvmap.progress import check

pytestmark = pytest.mark.qt


@pytest.fixture
def runner(qtbot):
    from juvmap.ui.worker import TaskRunner

    r = TaskRunner()
    yield r
    r.cancel_all()
    r.wait(30_000)


def test_event_loop_stays_responsive_during_a_million_point_kde(runner, qtbot):
    from PySide6.QtCore import QTimer

    from juvmap.stats.kde import kernel_density

    rng = np.random.default_rng(1)
    x = rng.uniform(-1_200_000, 1_200_000, 1_000_000)
    y = rng.uniform(-700_000, 700_000, 1_000_000)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    result = {}

    def work(progress, cancel):
        return kernel_density((x, y), radius=50_000, cell=1_000, progress=progress, cancel=cancel)

    timer.start()
    t0 = time.perf_counter()
    runner.submit("kde", work, on_done=lambda g: result.setdefault("grid", g))
    qtbot.waitUntil(lambda: "grid" in result, timeout=120_000)
    elapsed = time.perf_counter() - t0
    timer.stop()
    assert result["grid"].values.max() > 0
    gaps = np.diff([t0, *ticks])
    assert len(ticks) >= max(2, 0.3 * elapsed / 0.02)  # the timer kept firing
    assert gaps.max() < 0.75, f"GUI blocked for {gaps.max():.2f} s"


def test_latest_request_wins(runner, qtbot):
    seen = []

    def slow(progress, cancel):
        for _ in range(50):
            time.sleep(0.01)
            check(cancel)
        return "old"

    runner.submit("k", slow, on_done=seen.append)
    runner.submit("k", lambda progress, cancel: "new", on_done=seen.append)
    qtbot.waitUntil(lambda: seen == ["new"], timeout=5_000)
    runner.wait(5_000)
    qtbot.wait(50)
    assert seen == ["new"]


def test_errors_reach_the_gui_thread(runner, qtbot):
    errors = []

    def bad(progress, cancel):
        progress(0.5, "half")
        raise AnalysisError("nope")

    runner.submit("e", bad, on_done=lambda r: None, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5_000)
    assert isinstance(errors[0], AnalysisError)
    assert not runner.is_busy()


def test_map_files_are_unique_to_the_process_and_only_the_last_ones_kept(tmp_path, monkeypatch):
    import os

    from juvmap.ui import web

    monkeypatch.setattr(web, "web_root", lambda: tmp_path)
    files = web.MapFiles(keep=2)
    paths = []
    for _ in range(4):
        paths.append(files.new("map"))
        paths[-1].write_text("<html></html>")
    year = files.new("year-2021")
    year.write_text("<html></html>")
    assert all(str(os.getpid()) in p.name for p in paths)
    assert [p.exists() for p in paths] == [False, False, True, True] and year.exists()
    old = tmp_path / "maps" / "map-1-1.html"
    old.write_text("<html></html>")
    os.utime(old, (time.time() - 2 * 86_400,) * 2)
    assert web.prune_map_files() == 1 and not old.exists() and paths[-1].exists()
