"""Opening an archive's read and starred marks off the UI thread.

With 90,000 posts read, opening the marks takes 100-150 ms and working out the read
flags the unread counts start from (:meth:`StateStore.read_flags`) 15-20 ms: on the UI
thread, a freeze of the window as it showed the archive. Both run on one thread of
their own, in order: the marks open while the archive loads (SQLite lets go of the GIL
while it reads), the flags are worked out once the archive is there. The loader knows
nothing of marks: the archive session asks for them and takes them here.
"""

from __future__ import annotations

import contextlib
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from reader.core.archive import Archive
from reader.core.names import archive_id
from reader.core.state import StateStore

log = logging.getLogger(__name__)


class MarksOpener(QObject):
    """Opens marks for the archive being loaded; hands them over with its read flags.
    One request at a time: a new one (or :meth:`discard`) drops the one before, and
    marks opened for a dropped request are closed."""

    #: The newest :meth:`prepare` is done: :meth:`take` has its marks.
    prepared = Signal()
    _finished = Signal(int)  # from the marks' thread: the request done

    def __init__(self, state_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state_path = state_path
        self._worker = ThreadPoolExecutor(1, "reader-marks")
        self._opening: Future[StateStore] | None = None  # marks of the archive being loaded
        self._request = 0
        # The newest request: its number, its result, and whether its marks are ours
        # (opened here) rather than the window's own (kept across a reload).
        self._pending: tuple[int, Future[StateStore | None], bool] | None = None
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def open(self, root: Path) -> None:
        """Start opening the marks of ``root`` (those opened before and not taken are closed)."""
        self.discard()
        self._opening = self._worker.submit(StateStore, root, self._state_path)

    def discard(self) -> None:
        """Close the marks opened (or opening) and not taken; drop the request running."""
        opening, self._opening = self._opening, None
        if opening is not None:
            opening.add_done_callback(_close_opened)
        self._drop_pending()

    def prepare(self, archive: Archive, kept: StateStore | None) -> None:
        """Work out the read flags of ``archive``'s posts with ``kept``, the marks the
        window keeps, or else with the marks being opened for it; :attr:`prepared`
        says when :meth:`take` has them."""
        self._drop_pending()
        opening, self._opening = self._opening, None
        if opening is not None and kept is not None:
            opening.add_done_callback(_close_opened)
            opening = None
        self._request += 1
        request = self._request
        result = self._worker.submit(_flags_of, archive, kept, opening)
        self._pending = (request, result, kept is None)
        result.add_done_callback(lambda _done: self._say_finished(request))

    def take(self) -> StateStore | None:
        """Once :attr:`prepared` was emitted: the marks (the caller keeps them, and
        closes those opened here). None when they could not be opened."""
        pending, self._pending = self._pending, None
        if pending is None or not pending[1].done():
            self._pending = pending
            return None
        if pending[1].exception() is not None:
            log.debug("read flags not worked out", exc_info=pending[1].exception())
            return None
        return pending[1].result()

    def shutdown(self) -> None:
        """Close whatever was opened and not taken, once the thread is done with it."""
        self.discard()
        self._worker.shutdown(wait=True)

    def _say_finished(self, request: int) -> None:
        with contextlib.suppress(RuntimeError):  # the window is already gone
            self._finished.emit(request)

    def _on_finished(self, request: int) -> None:
        if self._pending is not None and self._pending[0] == request:
            self.prepared.emit()

    def _drop_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and pending[2]:
            pending[1].add_done_callback(_close_result)


def _flags_of(
    archive: Archive, kept: StateStore | None, opening: Future[StateStore] | None
) -> StateStore | None:
    """On the marks' thread: the marks for ``archive``, with its read flags worked out."""
    marks = kept
    if marks is None and opening is not None:
        try:
            marks = opening.result()
        except Exception:  # the window opens them itself then, and says why
            log.debug("the marks of %s could not be opened here", archive.root, exc_info=True)
            return None
        if marks.archive != archive_id(archive.root):
            marks.close()
            return None
    if marks is not None:
        marks.read_flags(archive.keys, keep=True)
    return marks


def _close_opened(opened: Future[StateStore]) -> None:
    if opened.exception() is None:
        opened.result().close()


def _close_result(done: Future[StateStore | None]) -> None:
    if done.exception() is None:
        marks = done.result()
        if marks is not None:
            marks.close()
