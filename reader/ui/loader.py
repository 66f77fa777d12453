"""Loading an archive off the UI thread, with progress and clean cancellation.

The loader loads the archive and only that: the marks are opened by the archive
session (see :mod:`reader.ui.marks_opener`). A load can also be of the archive as the
load cache last saw it (``preview``: shown at once at launch), or the check of such an
archive against its folder (``check``), which gives the same archive back when nothing
changed."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from reader.core import names, render
from reader.core.archive import (
    Archive,
    ArchiveError,
    LoadCancelled,
    check_archive,
    load_archive,
    load_cached_archive,
    update_archive,
)


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
        preview: bool = False,
        check: Archive | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.use_cache = use_cache
        self.changed = changed
        self.preview = preview
        self.check = check
        self.archive: Archive | None = None
        self.previewed = False  # .archive is the load cache's, not checked against the files
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
        try:
            archive = self._updated()
            if archive is None:
                archive = self._previewed() if self.check is None else self._checked()
            if archive is None:
                archive = load_archive(
                    self.root,
                    progress=self._progress,
                    cancelled=self._cancel.is_set,
                    use_cache=self.use_cache,
                )
        except LoadCancelled:
            return
        except ArchiveError as error:
            self.failed.emit(self.generation, names.shown(str(error)))
            return
        except Exception as error:
            where = names.shown(str(self.root))
            self.failed.emit(self.generation, f"{where}: {type(error).__name__}: {error}")
            return
        if self._cancel.is_set():
            return
        self.archive = archive
        self.loaded.emit(self.generation)

    def _progress(self, done: int, total: int) -> None:
        self.progress.emit(self.generation, done, total)

    def _previewed(self) -> Archive | None:
        """The archive as the load cache last saw it, when asked for and there is one."""
        archive = load_cached_archive(self.root) if self.preview and self.use_cache else None
        self.previewed = archive is not None
        return archive

    def _checked(self) -> Archive:
        """The archive to check, itself when its folder is as it says, or as it is now."""
        assert self.check is not None
        archive, self.check = self.check, None  # held no longer than needed (see _updated)
        return check_archive(archive, progress=self._progress, cancelled=self._cancel.is_set)

    def _updated(self) -> Archive | None:
        """The shown archive with only the changed files read again, when that applies."""
        if self.changed is None:
            return None
        base, paths = self.changed
        self.changed = None  # the window frees the archive it replaces once nobody holds it
        return update_archive(base, paths)


class ArchiveLoader(QObject):
    """Starts loads; a new load cancels the one before. Only the newest load reports."""

    progress = Signal(int, int)
    loaded = Signal(object)  # Archive
    #: instead of loaded, for a preview: the archive as the load cache last saw it
    previewed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._threads: list[_LoadThread] = []

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
        preview: bool = False,
        check: Archive | None = None,
    ) -> None:
        """Load ``root`` in the background. ``changed``: the archive shown and the paths
        that changed on disk since, so that only those files are read again (a full load
        happens when the change needs one). ``preview``: the archive as the load cache
        last saw it, when there is one (see load_cached_archive). ``check``: an archive of
        ``root`` to check against its folder (see check_archive)."""
        self.cancel()
        self._generation += 1
        thread = _LoadThread(
            root, self._generation, use_cache, changed, preview=preview, check=check, parent=self
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

    def _forget(self, thread: _LoadThread) -> None:
        thread.ended = True
        if thread.pending:
            return  # its result is still to be handed over: forgotten then (_on_loaded)
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
                (self.previewed if thread.previewed else self.loaded).emit(thread.archive)
        finally:
            if thread.ended:
                self._forget(thread)

    def _on_failed(self, generation: int, message: str, thread: _LoadThread) -> None:
        thread.reported = True
        if generation == self._generation:
            self.failed.emit(message)
