"""Helpers shared by the benchmark scripts: repeated timing and a min–median–max line.

The reference machine is shared and noisy (2 cores, other jobs running): every script reports
min–median–max of several runs, and the targets are checked on the median.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def repeat_timed(runs: int, action: Callable[[], Any]) -> tuple[list[float], Any]:
    """Run ``action`` ``runs`` times; the seconds of each run and the last value returned."""
    seconds, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = action()
        seconds.append(time.perf_counter() - started)
    return seconds, value


def spread(seconds: list[float]) -> str:
    """``"min 0.123 – median 0.234 – max 0.345 s (n runs)"``."""
    return (f"min {min(seconds):.3f} – median {statistics.median(seconds):.3f} – "
            f"max {max(seconds):.3f} s ({len(seconds)} runs)")


def verdict(seconds: list[float], target: float) -> str:
    """``"target ≤ 0.5 s: MET"`` (or MISSED) on the median."""
    return f"target ≤ {target:g} s: {'MET' if statistics.median(seconds) <= target else 'MISSED'}"
