"""Fetching remote images for the reading pane, and for reading offline.

:class:`RemoteImages` fetches with ``QNetworkAccessManager`` (its transfers run off the
UI thread; the window only hears ``finished``), a few connections at a time, each
address at most once per run, and keeps what is an image in the on-disk
:class:`~reader.core.image_cache.ImageCache`. :class:`OfflineJob` walks an archive's
posts in a thread for their remote images and fetches the missing ones, with progress
and cancel; what it got stays cached, so starting it again resumes.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterable

from PySide6.QtCore import QObject, QThread, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from reader.core.archive import Archive
from reader.core.image_cache import ImageCache, remote_image_urls

#: Transfers at once: enough to fill a page quickly, few enough to be polite to a host.
CONNECTIONS = 4
#: An answer bigger than this is not an image worth keeping.
MAX_BYTES = 25 * 1024 * 1024
#: A transfer that stalls this long fails (ms).
TIMEOUT_MS = 30_000


class RemoteImages(QObject):
    """Fetches images by address; ``ready(url)`` once cached, ``failed(url)`` otherwise."""

    ready = Signal(str)
    failed = Signal(str)

    def __init__(
        self, cache: ImageCache, parent: QObject | None = None, connections: int = CONNECTIONS
    ) -> None:
        super().__init__(parent)
        self.cache = cache
        self.connections = connections
        self._network = QNetworkAccessManager(self)
        self._network.setTransferTimeout(TIMEOUT_MS)
        self._queue: deque[str] = deque()
        self._active: dict[QNetworkReply, str] = {}
        self._asked: set[str] = set()
        self._failed: set[str] = set()
        self.fetched = 0  # transfers started this run

    def image(self, url: str) -> QImage | None:
        """The cached image for ``url``, or None."""
        data = self.cache.get(url)
        if data is None:
            return None
        image = QImage.fromData(data)
        return None if image.isNull() else image

    def has_failed(self, url: str) -> bool:
        return url in self._failed

    def request(self, url: str, *, first: bool = False) -> bool:
        """Fetch ``url`` unless it was asked for already this run or is cached (False then:
        nothing is emitted, the caller reads the cache).
        ``first`` puts it before queued work (what the reader is looking at)."""
        if url in self._asked:
            return False
        self._asked.add(url)
        if url in self.cache:
            return False  # the pane reads it from the cache as it lays the post out
        if first:
            self._queue.appendleft(url)
        else:
            self._queue.append(url)
        self._pump()
        return True

    @property
    def busy(self) -> bool:
        return bool(self._queue or self._active)

    def cancel_queued(self, urls: Iterable[str]) -> None:
        """Drop these addresses from the queue (they may be asked for again)."""
        dropped = set(urls).intersection(self._queue)
        if dropped:
            self._queue = deque(u for u in self._queue if u not in dropped)
            self._asked -= dropped

    def forget(self) -> None:
        """After the cache is cleared: every address may be fetched again."""
        self._asked = set(self._active.values())
        self._failed.clear()

    def _pump(self) -> None:
        while self._queue and len(self._active) < self.connections:
            url = self._queue.popleft()
            request = QNetworkRequest(QUrl(url))
            request.setAttribute(
                QNetworkRequest.Attribute.RedirectPolicyAttribute,
                QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy,
            )
            request.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, "Reader")
            reply = self._network.get(request)
            self._active[reply] = url
            self.fetched += 1
            reply.downloadProgress.connect(self._on_progress)
            reply.finished.connect(self._on_finished)

    def _on_progress(self, received: int, _total: int) -> None:
        reply = self.sender()
        if isinstance(reply, QNetworkReply) and received > MAX_BYTES:
            reply.abort()

    def _on_finished(self) -> None:
        reply = self.sender()
        if not isinstance(reply, QNetworkReply):
            return
        url = self._active.pop(reply, None)
        data = bytes(reply.readAll().data()) if reply.error() == QNetworkReply.NetworkError.NoError else b""
        reply.deleteLater()
        if url is not None:
            # Kept only when the bytes are an image, whatever the server called them.
            if data and self.cache.put(url, data) and not QImage.fromData(data).isNull():
                self.ready.emit(url)
            else:
                self._failed.add(url)
                self.failed.emit(url)
        self._pump()


#: How much of each post's file Make Available Offline reads for image addresses: a post
#: that big shows only its beginning until asked, and a whole 50 MB one held Python's
#: lock long enough to stall the window.
OFFLINE_SCAN_BYTES = 4 * 1024 * 1024


class _Collector(QThread):
    """Reads every post's body for its remote image addresses (off the UI thread)."""

    def __init__(self, archive: Archive, post_indexes: list[int], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.archive, self.post_indexes = archive, post_indexes
        self.urls: list[str] = []
        self.stop = False

    def run(self) -> None:
        seen: dict[str, None] = {}
        for index in self.post_indexes:
            if self.stop:
                return
            try:
                body = self.archive.read_body(self.archive.posts[index], OFFLINE_SCAN_BYTES)
            except (OSError, ValueError):
                continue
            for url in remote_image_urls(body):
                seen.setdefault(url)
        self.urls = list(seen)


class OfflineJob(QObject):
    """Fetch every remote image of some posts: ``progress(done, total)``, then
    ``finished(fetched, failed)``. Images already cached count as done at once."""

    progress = Signal(int, int)
    finished = Signal(int, int)

    def __init__(self, images: RemoteImages, archive: Archive, post_indexes: list[int]) -> None:
        super().__init__(images)
        self._images = images
        self._collector = _Collector(archive, post_indexes, self)
        self._collector.finished.connect(self._on_collected)
        self._pending: set[str] = set()
        self._total = 0
        self._failed = 0
        self._cancelled = False
        self.running = False

    def start(self) -> None:
        self.running = True
        self._collector.start()

    def cancel(self) -> None:
        self._cancelled = True
        self._collector.stop = True
        self._images.cancel_queued(self._pending)
        self._finish()

    def _on_collected(self) -> None:
        if self._cancelled:
            return
        urls = self._collector.urls
        self._total = len(urls)
        missing = [u for u in urls if u not in self._images.cache and not self._images.has_failed(u)]
        self._pending = set(missing)
        self._images.ready.connect(self._on_done)
        self._images.failed.connect(self._on_failed)
        for url in missing:
            if not self._images.request(url):
                self._pending.discard(url)  # asked for already by the pane: not waited for
        self._report()

    def _on_done(self, url: str) -> None:
        if url in self._pending:
            self._pending.discard(url)
            self._report()

    def _on_failed(self, url: str) -> None:
        if url in self._pending:
            self._pending.discard(url)
            self._failed += 1
            self._report()

    def _report(self) -> None:
        self.progress.emit(self._total - len(self._pending), self._total)
        if not self._pending:
            self._finish()

    def _finish(self) -> None:
        if not self.running:
            return
        self.running = False
        for signal, slot in ((self._images.ready, self._on_done), (self._images.failed, self._on_failed)):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._collector.wait()
        self.finished.emit(self._total - len(self._pending) - self._failed, self._failed)
