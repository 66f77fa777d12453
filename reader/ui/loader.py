"""Loading an archive off the UI thread, with progress and clean cancellation."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from reader.core import names, render
from reader.core.archive import Archive, ArchiveError, LoadCancelled, load_archive, update_archive
from reader.core.state import StateStore


class _LoadThread(QThread):
    """Loads in the background. Signals carry only numbers and text: the archive is
    handed over through :attr:`archive`, never as a signal argument across threads."""

    progress = Signal(int, int, int)  # generation, done, total
    loaded = Signal(int)  # generation; the result is in .archive
    failed = Signal(int, str)  # generation, message

    def __init__(
        self,
        root: Path,
        generation: int,
        use_cache: bool,
        changed: tuple[Archive, set[str]] | None = None,
        *,
        marks_path: Path | None = None,
        counting: StateStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.use_cache = use_cache
        self.changed = changed
        self.marks_path = marks_path
        self.counting = counting  # the window's marks, kept across a reload
        self.archive: Archive | None = None
        self.marks: StateStore | None = None  # opened here when asked, for the window to take
        self.generation = generation
        self.reported = False  # set on the UI thread once its result (or failure) is handled
        self.pending = False  # its result came to the UI thread and is to be handed over
        self.ended = False  # run() is over
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        # Here, not when the window shows its first post: on the UI thread the imports
        # would lengthen the turn that shows the loaded archive by ~25 ms.
        render.prepare()
        # The marks are opened meanwhile, on a thread of their own (SQLite lets go of the
        # GIL while it reads): with 90,000 posts read, opening them takes 100-150 ms,
        # which on the UI thread was a freeze of the window as it showed the archive.
        opening = ThreadPoolExecutor(1, "reader-marks") if self.marks_path is not None else None
        marks: Future[StateStore] | None = None
        if opening is not None:
            marks = opening.submit(StateStore, self.root, self.marks_path)
            opening.shutdown(wait=False)
        try:
            archive = self._updated()
            if archive is None:
                archive = load_archive(
                    self.root,
                    progress=lambda done, total: self.progress.emit(self.generation, done, total),
                    cancelled=self._cancel.is_set,
                    use_cache=self.use_cache,
                )
        except LoadCancelled:
            _close(marks)
            return
        except ArchiveError as error:
            _close(marks)
            self.failed.emit(self.generation, names.shown(str(error)))
            return
        except Exception as error:
            _close(marks)
            where = names.shown(str(self.root))
            self.failed.emit(self.generation, f"{where}: {type(error).__name__}: {error}")
            return
        if self._cancel.is_set():
            _close(marks)
            return
        if marks is not None:
            try:
                self.marks = marks.result()
            except Exception:  # the window opens them itself then, and says why
                self.marks = None
            else:  # what the window's unread counts start from, worked out here
                self.marks.read_flags(archive.keys, keep=True)
        elif self.counting is not None:
            self.counting.read_flags(archive.keys, keep=True)
        self.archive = archive
        self.loaded.emit(self.generation)

    def _updated(self) -> Archive | None:
        """The shown archive with only the changed files read again, when that applies."""
        if self.changed is None:
            return None
        base, paths = self.changed
        self.changed = None  # the window frees the archive it replaces once nobody holds it
        return update_archive(base, paths)


def _close(marks: Future[StateStore] | None) -> None:
    """Close marks opened for a load that gives no archive, once they are open."""

    def close(opened: Future[StateStore]) -> None:
        if opened.exception() is None:
            opened.result().close()

    if marks is not None:
        marks.add_done_callback(close)


class ArchiveLoader(QObject):
    """Starts loads; a new load cancels the one before. Only the newest load reports."""

    progress = Signal(int, int)
    loaded = Signal(object)  # Archive
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._threads: list[_LoadThread] = []
        self._marks: StateStore | None = None  # those of the archive being handed over

    @property
    def busy(self) -> bool:
        """Whether the newest load has yet to report: running, or done with its result
        still on its way. A load started in that gap would start from the archive shown
        and make the finished one stale: the changes it read would be dropped."""
        return any(t.generation == self._generation and not t.reported for t in self._threads)

    def load(
        self,
        root: Path,
        *,
        use_cache: bool = True,
        changed: tuple[Archive, set[str]] | None = None,
        marks_path: Path | None = None,
        counting: StateStore | None = None,
    ) -> None:
        """Load ``root`` in the background. ``changed``: the archive shown and the paths
        that changed on disk since, so that only those files are read again (a full load
        happens when the change needs one). ``marks_path``: open the archive's read and
        starred marks from that store too, for :meth:`take_marks`; else ``counting``,
        marks the window keeps: the read flags of the loaded posts are worked out with
        them (see StateStore.read_flags)."""
        self.cancel()
        self._generation += 1
        thread = _LoadThread(
            root, self._generation, use_cache, changed, marks_path=marks_path, counting=counting, parent=self
        )
        thread.progress.connect(self._on_progress)
        thread.loaded.connect(lambda generation: self._take_later(generation, thread))
        thread.failed.connect(lambda generation, message: self._on_failed(generation, message, thread))
        thread.finished.connect(lambda: self._forget(thread))
        self._threads.append(thread)
        thread.start()

    def cancel(self) -> None:
        for thread in self._threads:
            thread.cancel()

    def wait(self) -> None:
        for thread in list(self._threads):
            thread.wait()

    def take_marks(self) -> StateStore | None:
        """While :attr:`loaded` is emitted: the marks opened with that archive, if asked
        for; the caller closes them. Marks not taken are closed after the emission."""
        marks, self._marks = self._marks, None
        return marks

    def _forget(self, thread: _LoadThread) -> None:
        thread.ended = True
        if thread.pending:
            return  # its result is still to be handed over: forgotten then (_on_loaded)
        if thread.marks is not None:  # a result nobody took
            thread.marks.close()
            thread.marks = None
        if thread in self._threads:
            self._threads.remove(thread)
        thread.deleteLater()

    def _take_later(self, generation: int, thread: _LoadThread) -> None:
        """Hand the result over a turn later: what waited while the load ended (its
        closing garbage collection holds the GIL ~8 ms at 100,000 posts, 20-35 ms every
        FULL_EVERY loads) - timers, input, a paint - goes first, not after the window's
        own turn with the posts."""
        thread.pending = True
        QTimer.singleShot(0, self, lambda: self._on_loaded(generation, thread))

    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.progress.emit(done, total)

    def _on_loaded(self, generation: int, thread: _LoadThread) -> None:
        thread.reported, thread.pending = True, False
        try:
            if generation == self._generation and thread.archive is not None:
                self._marks, thread.marks = thread.marks, None
                self.loaded.emit(thread.archive)
        finally:
            if self._marks is not None:
                self._marks.close()
                self._marks = None
            if thread.ended:
                self._forget(thread)

    def _on_failed(self, generation: int, message: str, thread: _LoadThread) -> None:
        thread.reported = True
        if generation == self._generation:
            self.failed.emit(message)
