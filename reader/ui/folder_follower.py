"""Following the archive's folder: changes on disk, gathered for the next update."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from reader.core.watch import ArchiveWatcher


class FolderFollower(QObject):
    """Watches one folder at a time; :attr:`changed` says (on the UI thread, queued)
    that paths changed, :meth:`take_changes` gives them."""

    changed = Signal()
    failed = Signal(str)  # why changes are not followed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher: ArchiveWatcher | None = None
        # Paths the watcher saw change, not yet taken (from the watcher's thread).
        self._changed_paths: set[str] = set()
        self._changes_lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether changes on disk are being followed now."""
        return self._watcher is not None and self._watcher.running

    def watch(self, root: Path) -> None:
        if self._watcher is not None and self._watcher.root == os.path.realpath(root):
            return
        self.stop()
        from reader.core.watch import ArchiveWatcher  # watchdog loads only when needed

        watcher = ArchiveWatcher(root, self.changed_on_disk)
        self._watcher = watcher
        # Setting up the watches walks the folder: not on the UI thread.
        threading.Thread(target=self._start, args=(watcher,), daemon=True).start()

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def take_changes(self) -> set[str]:
        with self._changes_lock:
            changed, self._changed_paths = self._changed_paths, set()
        return changed

    def changed_on_disk(self, paths: set[str]) -> None:
        """From the watcher's thread: hand over to the UI thread (a queued signal)."""
        with self._changes_lock:
            self._changed_paths |= paths
        with contextlib.suppress(RuntimeError):  # the window is already gone
            self.changed.emit()

    def _start(self, watcher: ArchiveWatcher) -> None:
        try:
            watcher.start()
        except OSError as error:  # e.g. the system's limit of watches is reached
            with contextlib.suppress(RuntimeError):
                self.failed.emit(str(error))
