"""Run core functions off the GUI thread: one helper, latest request wins.

``runner.submit(key, fn, on_done=...)`` calls ``fn(progress=..., cancel=...)`` on the
worker thread. A newer request with the same ``key`` cancels the older one, and the older one's
result is dropped even if it finishes. Results, errors and progress reach the GUI thread
through queued signals, so callbacks may touch widgets.
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from juvmap.errors import Cancelled, JuvmapError
from juvmap.i18n import _
from juvmap.progress import CancelToken

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the GUI thread; the pool thread emits, the GUI thread receives."""

    done = Signal(object, int, object)
    failed = Signal(object, int, object)
    progressed = Signal(object, int, float, str)


class _Task:
    def __init__(self, relay: _Relay, key: str, generation: int, fn: Callable, token: CancelToken):
        self.relay, self.key, self.generation, self.fn, self.token = relay, key, generation, fn, token

    def run(self) -> None:
        def progress(fraction: float, message: str = "") -> None:
            self.relay.progressed.emit(self.key, self.generation, float(fraction), message)

        try:
            result = self.fn(progress=progress, cancel=self.token)
        except BaseException as exc:  # noqa: BLE001 - everything is reported, nothing escapes
            if not isinstance(exc, JuvmapError):
                log.error("task %s failed:\n%s", self.key, traceback.format_exc())
            self.relay.failed.emit(self.key, self.generation, exc)
        else:
            self.relay.done.emit(self.key, self.generation, result)


class TaskRunner(QObject):
    """The application's one bridge between the GUI and long computations.

    Signals
    -------
    busy(str)
        A task started; the text says what it does.
    progress(float, str)
        Progress of the newest task (fraction 0–1, message).
    idle()
        No task is running any more.
    """

    busy = Signal(str)
    progress = Signal(float, str)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # One persistent Python thread. Not a QThreadPool: PySide drops the Python thread
        # state of a pool thread between tasks, and pyproj's per-thread PROJ context with
        # it, which crashes the next task. One thread also keeps pyproj/GDAL objects from
        # being used by two threads at once; a newer request cancels the older one instead.
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._pending = 0
        self._idle_cond = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="juvmap-worker", daemon=True)
        self._thread.start()
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._relay.progressed.connect(self._on_progress)
        self._current: dict[str, tuple[int, CancelToken, Callable, Callable | None]] = {}
        self._generation = 0

    def submit(
        self,
        key: str,
        fn: Callable[..., Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> CancelToken:
        """Start ``fn(progress=..., cancel=...)``; cancel the previous task of ``key``."""
        previous = self._current.get(key)
        if previous is not None:
            previous[1].cancel()
        self._generation += 1
        token = CancelToken()
        self._current[key] = (self._generation, token, on_done, on_error)
        self.busy.emit(label or _("Working…"))
        with self._idle_cond:
            self._pending += 1
        self._queue.put(_Task(self._relay, key, self._generation, fn, token))
        return token

    def _loop(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            if not task.token.cancelled:
                task.run()
            else:
                self._relay.failed.emit(task.key, task.generation, Cancelled(""))
            with self._idle_cond:
                self._pending -= 1
                self._idle_cond.notify_all()

    def cancel(self, key: str) -> None:
        """Cancel the task of ``key``, if any (its result will be dropped)."""
        entry = self._current.pop(key, None)
        if entry is not None:
            entry[1].cancel()
            if not self._current:
                self.idle.emit()

    def cancel_all(self) -> None:
        """Cancel every running task (their results will be dropped)."""
        for key in list(self._current):
            self.cancel(key)
        self.idle.emit()

    def is_busy(self) -> bool:
        """Whether a task is still running."""
        return bool(self._current)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every submitted task has finished (for shutdown and tests)."""
        with self._idle_cond:
            return self._idle_cond.wait_for(lambda: self._pending == 0,
                                            None if msecs < 0 else msecs / 1000)

    def _take(self, key: str, generation: int):
        entry = self._current.get(key)
        if entry is None or entry[0] != generation:
            return None  # a newer request replaced this one: drop its outcome
        del self._current[key]
        if not self._current:
            self.idle.emit()
        return entry

    def _on_done(self, key: str, generation: int, result: Any) -> None:
        entry = self._take(key, generation)
        if entry is not None:
            entry[2](result)

    def _on_failed(self, key: str, generation: int, exc: BaseException) -> None:
        entry = self._take(key, generation)
        if entry is None or isinstance(exc, Cancelled):
            return
        if entry[3] is not None:
            entry[3](exc)

    def _on_progress(self, key: str, generation: int, fraction: float, message: str) -> None:
        entry = self._current.get(key)
        if entry is not None and entry[0] == generation:
            self.progress.emit(fraction, message)
