"""An update or a clone from git (``reader.core.git``) on a thread of its own: the window's
thread only hears its progress and its end, queued."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # pygit2 loads with the first transfer, not with the window
    from reader.core import git


class GitJob(QObject):
    """One transfer at a time. :attr:`progress` carries a :class:`git.Progress`,
    :attr:`updated` a :class:`git.Summary`, :attr:`cloned` the folder made,
    :attr:`failed` a :class:`git.GitProblem`; :attr:`running_changed` says when it runs."""

    progress = Signal(object)
    updated = Signal(object)
    cloned = Signal(object)
    failed = Signal(object)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._running = False  # from the start until its end is handled here (queued)
        self.kind = ""  # "update" or "clone": the last one started
        self.running_changed.connect(self._set_running)

    @property
    def running(self) -> bool:
        return self._running

    def _set_running(self, running: bool) -> None:
        self._running = running

    def update(self, root: Path) -> bool:
        """Start updating ``root``; False when a transfer runs already."""
        from reader.core import git

        return self._start("update", lambda: self.updated.emit(git.update(root, self._report, self._cancel)))

    def clone(self, url: str, folder: Path, depth: int | None) -> bool:
        """Start cloning ``url`` into ``folder``; False when a transfer runs already."""
        from reader.core import git

        return self._start(
            "clone", lambda: self.cloned.emit(git.clone(url, folder, depth, self._report, self._cancel))
        )

    def cancel(self, wait: float = 0.0) -> None:
        """Stop the transfer (it cleans up after itself); wait up to ``wait`` seconds for it."""
        self._cancel.set()
        if wait and self._thread is not None:
            self._thread.join(wait)

    def _start(self, kind: str, work: Callable[[], None]) -> bool:
        if self.running:
            return False
        self.kind = kind
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,), name=f"git {kind}", daemon=True)
        self.running_changed.emit(True)
        self._thread.start()
        return True

    def _report(self, progress: git.Progress) -> None:
        with contextlib.suppress(RuntimeError):  # the window is already gone
            self.progress.emit(progress)

    def _run(self, work: Callable[[], None]) -> None:
        from reader.core import git

        with contextlib.suppress(RuntimeError):  # the window is already gone
            try:
                work()
            except git.GitProblem as problem:
                self.failed.emit(problem)
            except Exception as error:  # a fault of the library: said, never raised on a thread
                self.failed.emit(git.GitProblem(git.Trouble.OTHER, str(error) or type(error).__name__))
            self.running_changed.emit(False)
