"""The contract between long computations and whoever runs them (CLI, GUI worker, tests).

A long core function takes ``progress: ProgressCallback | None = None`` and
``cancel: CancelToken | None = None``. It calls ``report(progress, fraction, message)``
now and then and ``check(cancel)`` between chunks of work; ``check`` raises
:class:`juvmap.errors.Cancelled` once the token is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from juvmap.errors import Cancelled

#: ``callback(fraction_done, message)`` with ``fraction_done`` in [0, 1]
ProgressCallback = Callable[[float, str], None]


class CancelToken:
    """A thread-safe flag a user sets to stop a computation."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the computation to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()


def check(cancel: CancelToken | None) -> None:
    """Raise :class:`~juvmap.errors.Cancelled` if ``cancel`` is set."""
    if cancel is not None and cancel.cancelled:
        from juvmap.i18n import _

        raise Cancelled(_("Cancelled"))


def report(progress: ProgressCallback | None, fraction: float, message: str = "") -> None:
    """Call ``progress`` if there is one."""
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)
