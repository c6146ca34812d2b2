"""The web engine set-up: a ``juvmap:`` URL scheme serving local files and a request guard.

Pages are written to files under :func:`web_root` and loaded as ``juvmap:///<relative path>``.
Every request the page makes passes through :class:`RequestGuard`: only ``juvmap:``,
``data:``, ``blob:`` and Qt's own ``qrc:`` resources are allowed; anything else is blocked
and logged. (A ``file://`` page would have its remote requests refused by Chromium before an
interceptor sees them, so they could not be counted; the custom scheme makes them visible.)
"""

from __future__ import annotations

import itertools
import logging
import mimetypes
import os
import time
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from juvmap.paths import cache_dir

SCHEME = b"juvmap"
ALLOWED_SCHEMES = {"juvmap", "data", "blob", "qrc", "about"}
log = logging.getLogger(__name__)


class MapFiles:
    """Names the map files one window writes, and deletes those no page can need any more.

    Names carry the process id (two running copies never overwrite each other's pages); of
    each kind (``"map"``, ``"year-2021"``, ``"print"`` …) only the last ``keep`` files stay.
    """

    _numbers = itertools.count()

    def __init__(self, keep: int = 2) -> None:
        self.keep = keep
        self._written: dict[str, list[Path]] = {}

    def new(self, kind: str) -> Path:
        """A fresh path for a map of ``kind``; the oldest file of that kind beyond ``keep`` is deleted."""
        folder = web_root() / "maps"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{kind}-{os.getpid()}-{next(self._numbers)}.html"
        written = self._written.setdefault(kind, [])
        written.append(path)
        while len(written) > self.keep:
            written.pop(0).unlink(missing_ok=True)
        return path


def prune_map_files(max_age_s: float = 86_400.0) -> int:
    """Delete map files left by earlier runs (older than ``max_age_s``); return how many."""
    folder = web_root() / "maps"
    limit, removed = time.time() - max_age_s, 0
    for path in folder.glob("*.html") if folder.is_dir() else ():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def register_scheme() -> None:
    """Register the ``juvmap:`` scheme; must run before the QApplication is created."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.CorsEnabled
        | QWebEngineUrlScheme.Flag.FetchApiAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)


def web_root() -> Path:
    """Folder whose files the ``juvmap:`` scheme serves."""
    root = cache_dir() / "web"
    root.mkdir(parents=True, exist_ok=True)
    return root


def url_for(path: Path) -> QUrl:
    """Return the ``juvmap:`` URL of a file under :func:`web_root`."""
    rel = Path(path).resolve().relative_to(web_root().resolve())
    return QUrl(f"juvmap:///{rel.as_posix()}")


class LocalFileHandler(QWebEngineUrlSchemeHandler):
    """Serves files under one root folder; nothing outside it."""

    def __init__(self, root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = root.resolve()

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 - Qt API
        rel = job.requestUrl().path().lstrip("/")
        path = (self._root / rel).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        buffer = QBuffer(parent=job)  # lives as long as the job, as Qt requires
        buffer.setData(QByteArray(path.read_bytes()))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        job.reply(mime.encode(), buffer)


class RequestGuard(QWebEngineUrlRequestInterceptor):
    """Blocks and records every request that is not local."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 - Qt API
        url = info.requestUrl()
        if url.scheme() not in ALLOWED_SCHEMES:
            info.block(True)
            self.blocked.append(url.toString())
            log.warning("blocked non-local request: %s", url.toString())


class GuardedPage(QWebEnginePage):
    """A page that never navigates away from local content and records console errors."""

    consoleError = Signal(str)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.console_errors: list[str] = []
        track_page(self)

    def acceptNavigationRequest(self, url: QUrl, nav_type, is_main_frame: bool) -> bool:  # noqa: N802
        return url.scheme() in ALLOWED_SCHEMES

    def javaScriptConsoleMessage(self, level, message: str, line: int, source: str) -> None:  # noqa: N802
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            text = f"{source}:{line}: {message}"
            self.console_errors.append(text)
            self.consoleError.emit(text)
            log.warning("javascript error: %s", text)


_profile: QWebEngineProfile | None = None
_guard: RequestGuard | None = None


def profile() -> QWebEngineProfile:
    """The one off-the-record profile of the application, with the handler and the guard.

    It belongs to the QApplication, so it outlives every page (Qt requires pages to go
    first); :func:`release_pages` deletes the pages when the application quits.
    """
    global _profile, _guard
    if _profile is None:
        from PySide6.QtCore import QCoreApplication

        app = QCoreApplication.instance()
        _profile = QWebEngineProfile(app)  # off the record: no disk cache, no cookies kept
        app.aboutToQuit.connect(release_pages)
        _guard = RequestGuard(_profile)
        _profile.setUrlRequestInterceptor(_guard)
        _profile.installUrlSchemeHandler(SCHEME, LocalFileHandler(web_root(), _profile))
    return _profile


_pages: list = []


def track_page(page: QWebEnginePage) -> None:
    """Remember ``page`` so that it is deleted before the profile."""
    _pages.append(page)


def release_pages() -> None:
    """Delete every page of the profile now (at quit, before the profile goes)."""
    import shiboken6

    while _pages:
        page = _pages.pop()
        if shiboken6.isValid(page):
            from PySide6.QtWebEngineWidgets import QWebEngineView

            view = QWebEngineView.forPage(page)
            if view is not None and shiboken6.isValid(view):
                view.setPage(None)
            if shiboken6.isValid(page):
                shiboken6.delete(page)


def guard() -> RequestGuard:
    """The request guard of :func:`profile`."""
    profile()
    assert _guard is not None
    return _guard
