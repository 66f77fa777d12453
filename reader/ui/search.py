"""Search in the window: the index is built and queried off the UI thread.

:class:`SearchService` owns one worker thread per archive. It builds (or brings up to
date) the archive's index, then answers queries; only the newest query is run, older
ones are dropped. Until the index is ready, queries are answered by scanning the files;
so they are while another process builds or writes the index (the worker never waits for
its lock, and tries again now and then).

When the archive changes (a reload), the old worker is told to stop and the UI thread
does not wait for it: the new worker waits on its own thread, since both use the same
index files.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal

from reader.core.archive import Archive, LoadCancelled
from reader.core.search import (
    INDEX_FAULTS,
    Hit,
    IndexBusy,
    SearchIndex,
    fault_reason,
    parse_query,
    scan_search,
)

log = logging.getLogger(__name__)

#: While another process holds the index (building or writing it), how often the
#: worker tries again to open it; queries are answered by reading the files meanwhile.
BUSY_RETRY = 1.0


@dataclass(frozen=True, slots=True)
class _Request:
    generation: int
    text: str
    within: list[int] | None


class _Worker(QThread):
    """Signals carry only numbers and text; results are handed over through
    :meth:`take` (never Python objects as signal arguments across threads)."""

    results = Signal(int)  # generation; take() gives (hits, answered from the index)
    progress = Signal(int, int)
    ready = Signal(int)  # files indexed
    failed = Signal(str)

    def __init__(
        self, archive: Archive, after: threading.Event | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.after = after  # set when the previous worker is done with the index files
        self.done = threading.Event()
        self.requests: queue.Queue[_Request | None] = queue.Queue()
        self.stop = threading.Event()
        self.newest = 0
        self.index: SearchIndex | None = None
        self._answers: dict[int, tuple[list[Hit], bool]] = {}
        self._answers_lock = threading.Lock()

    def take(self, generation: int) -> tuple[list[Hit], bool] | None:
        with self._answers_lock:
            answer = self._answers.pop(generation, None)
            self._answers.clear()
            return answer

    def run(self) -> None:
        try:
            self._run()
        finally:
            self.index = None
            self.archive = None  # type: ignore[assignment]  # a retired worker keeps no archive
            self.done.set()

    def _run(self) -> None:
        if self.after is not None:
            self.after.wait()
        if self.stop.is_set():
            return
        while True:
            index: SearchIndex | None = None
            try:
                index = SearchIndex(self.archive.root)
                # Queries asked while indexing are answered between batches.
                count = index.update(self.archive, progress=self._progress, cancelled=self._should_pause)
                index.prepare(self.archive)  # not during the first keystroke's search
            except LoadCancelled:
                if index is not None:
                    index.close()
                return
            except IndexBusy:
                # Another process is building or writing the index: answer by reading
                # the files (as while indexing) and try again in a while.
                log.debug("the index is busy in another process: reading the files for %.1f s", BUSY_RETRY)
                if index is not None:
                    index.close()
                if not self._answer_until(BUSY_RETRY):
                    return
                continue
            except Exception as error:
                # An index that cannot be made or written (a full or read-only cache
                # folder) stops nothing: queries are answered by reading the files.
                log.debug("no index, reading the files for every query: %r", error)
                if index is not None:
                    index.close()
                self.failed.emit(fault_reason(error))
                index = None
                count = 0
            break
        self.index = index
        if index is not None:
            self.ready.emit(count)
        while not self.stop.is_set():
            request = self.requests.get()
            if request is None:
                break
            self._answer(self._latest(request))
        if index is not None:
            index.close()

    def _answer_until(self, seconds: float) -> bool:
        """Answer queries (by reading the files) for ``seconds``; False when told to stop."""
        deadline = time.monotonic() + seconds
        while not self.stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            try:
                request = self.requests.get(timeout=left)
            except queue.Empty:
                return True
            if request is None:
                break
            self._answer(self._latest(request))
        return False

    def _progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)
        self._drain()

    def _should_pause(self) -> bool:
        return self.stop.is_set()

    def _latest(self, request: _Request) -> _Request:
        while True:
            try:
                newer = self.requests.get_nowait()
            except queue.Empty:
                return request
            if newer is None:
                self.stop.set()
                return request
            request = newer

    def _drain(self) -> None:
        """While indexing: answer the newest pending query by scanning."""
        try:
            request = self.requests.get_nowait()
        except queue.Empty:
            return
        if request is None:
            self.stop.set()
            return
        self._answer(self._latest(request))

    def _answer(self, request: _Request) -> None:
        query = parse_query(request.text)
        indexed = self.index is not None
        try:
            hits: list[Hit] | None = None
            if self.index is not None:
                try:
                    hits = self.index.search(query, self.archive, request.within)
                except IndexBusy:  # another process is writing it: read the files this time
                    log.debug("the index is busy: this query reads the files")
                    indexed = False
                except INDEX_FAULTS as error:  # damaged since it was opened: read the files
                    self.index.close()
                    self.index = None
                    indexed = False
                    self.failed.emit(fault_reason(error))
            if hits is None:
                hits = scan_search(
                    query,
                    self.archive,
                    request.within,
                    cancelled=lambda: self.newest != request.generation or self.stop.is_set(),
                )
        except LoadCancelled:
            return
        if request.generation == self.newest:
            with self._answers_lock:
                self._answers[request.generation] = (hits, indexed)
            self.results.emit(request.generation)


class SearchService(QObject):
    results = Signal(object, bool)  # list[Hit], answered from the index
    progress = Signal(int, int)
    ready = Signal(int)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: _Worker | None = None
        self._retired: list[_Worker] = []  # told to stop, maybe still running
        self._generation = 0

    @property
    def indexed(self) -> bool:
        return self._worker is not None and self._worker.index is not None

    def set_archive(self, archive: Archive | None, *, start: bool = True) -> None:
        """Search ``archive`` from now on. With ``start=False`` the worker's thread waits
        for :meth:`start`; queries asked meanwhile are kept and answered then."""
        after = self._retire()
        if archive is None:
            return
        worker = _Worker(archive, after, self)
        worker.results.connect(self._on_results)
        worker.progress.connect(self.progress)
        worker.ready.connect(self.ready)
        worker.failed.connect(self.failed)
        self._worker = worker
        if start:
            worker.start()

    def start(self) -> None:
        """Start the current worker's thread, if it is not running yet."""
        worker = self._worker
        if worker is not None and not worker.isRunning() and not worker.isFinished():
            worker.start()

    def _retire(self) -> threading.Event | None:
        """Stop the current worker; returns what a next worker must wait for before it
        opens the index files (None: nothing)."""
        for old in [w for w in self._retired if w.isFinished()]:
            self._retired.remove(old)
            old.deleteLater()
        worker, self._worker = self._worker, None
        if worker is None:
            return None
        worker.stop.set()
        worker.requests.put(None)
        if worker.isRunning():
            self._retired.append(worker)
            return worker.done
        worker.deleteLater()
        if worker.isFinished():
            return None  # done with the index files
        # Never started: the next worker waits for whatever this one would have.
        worker.done.set()
        return worker.after

    def search(self, text: str, within: list[int] | None) -> None:
        if self._worker is None:
            return
        self._generation += 1
        self._worker.newest = self._generation
        self._worker.requests.put(_Request(self._generation, text, within))

    def _on_results(self, generation: int) -> None:
        worker = self._worker
        if worker is None or generation != self._generation:
            return
        answer = worker.take(generation)
        if answer is not None:
            self.results.emit(*answer)

    def shutdown(self) -> None:
        """Stop every worker and wait for them (when the window closes)."""
        self._retire()
        for worker in self._retired:
            worker.wait()
            worker.deleteLater()
        self._retired.clear()
