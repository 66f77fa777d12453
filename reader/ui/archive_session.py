"""The archive shown and what comes with it: its marks, its loads and reloads, following
its folder, and freeing the archives it replaced.

Data flows one way: the loader loads an archive (and only that), the marks opener opens
its marks and works out its read flags, then :attr:`ArchiveSession.arrived` gives both
to the window, which shows them and calls :meth:`ArchiveSession.adopt`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from reader.core.archive import Archive
from reader.core.names import archive_id
from reader.core.state import StateStore
from reader.ui.folder_follower import FolderFollower
from reader.ui.loader import ArchiveLoader
from reader.ui.marks_opener import MarksOpener
from reader.ui.spent_archives import SpentArchives

log = logging.getLogger(__name__)


def same_folder(one: Path, other: Path) -> bool:
    return one.resolve() == other.resolve()


class ArchiveSession(QObject):
    """Loads archives for the window, one at a time, with their marks."""

    progress = Signal(int, int)  # files done, files in all
    failed = Signal(str)  # the newest load gave no archive: why
    #: The newest load's archive, with its marks (a StateStore, or None when they could
    #: not be opened off the UI thread): the window shows it and calls :meth:`adopt`.
    arrived = Signal(object, object)
    watch_failed = Signal(str)  # why changes on disk are not followed

    def __init__(self, state_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state_path = state_path
        self.archive: Archive | None = None
        self.state: StateStore | None = None  # the marks of the archive shown
        self.pending_root: Path | None = None  # the folder being loaded
        self.refreshing = False  # the load running is a refresh after a change on disk
        self.closed = False  # no background work starts once set
        self._refresh_again = False
        self._arriving: Archive | None = None  # loaded, its marks being made ready
        #: shown as the load cache last saw it, its files not checked yet (see follow)
        self._unchecked: Archive | None = None
        self.loader = ArchiveLoader(self)
        self.loader.progress.connect(self.progress)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.previewed.connect(self._on_previewed)
        self.loader.failed.connect(self._on_failed)
        self.marks_opener = MarksOpener(state_path, self)
        self.marks_opener.prepared.connect(self._hand_over)
        self.follower = FolderFollower(self)
        self.follower.changed.connect(self.refresh_from_disk, Qt.ConnectionType.QueuedConnection)
        self.follower.failed.connect(self.watch_failed)
        self.spent = SpentArchives(self)

    @property
    def busy(self) -> bool:
        """Whether the newest load has yet to be handed over (see ArchiveLoader.busy)."""
        return self.loader.busy or self._arriving is not None

    def load(
        self, root: Path, *, full: bool = False, quiet: bool = False, changed: set[str] | None = None
    ) -> None:
        """Start loading ``root``; the archive shown stays until :attr:`arrived`."""
        self.pending_root = root
        self.refreshing = quiet
        self._arriving = None
        shown = self.archive if self.archive is not None and self.archive.root == root else None
        opening = self.archive is None or not same_folder(self.archive.root, root)
        if opening:
            self.marks_opener.open(root)  # a reload keeps the marks it has
        self._unchecked = None
        # An archive opened is shown first as the load cache last saw it, then checked.
        self.loader.load(
            root,
            use_cache=not full,
            changed=(shown, changed) if changed and shown else None,
            preview=opening and not full,
        )

    def refresh_from_disk(self) -> None:
        """The folder changed: reload in the background (cached files are not read again)."""
        if self.archive is None:
            return
        if self.busy:
            self._refresh_again = True
            return
        self.load(self.archive.root, quiet=True, changed=self.follower.take_changes())

    def adopt(self, archive: Archive, marks: StateStore | None) -> bool:
        """Make ``archive`` the one shown, with ``marks`` unless marks are kept (a
        reload); the archive replaced is freed. True when the marks are new."""
        opened = self.state is None
        if opened:
            if marks is None or marks.archive != archive_id(archive.root):
                marks = StateStore(archive.root, self.state_path)  # said in the window's words
            self.state = marks
        if marks is not None and marks is not self.state:
            marks.close()
        if self.archive is not None and self.archive is not archive:
            if self._unchecked is self.archive:  # a reload of it, from what it showed:
                self._unchecked = archive  # checked in its turn (see follow)
            self.spent.add(self.archive)
        self.archive = archive
        return opened

    def reject(self, marks: StateStore | None) -> None:
        """The window does not show what arrived: its marks are closed."""
        if marks is not None and marks is not self.state:
            marks.close()

    def take_marks(self) -> StateStore | None:
        """The marks shown, for the caller to close: the session keeps none."""
        state, self.state = self.state, None
        return state

    def follow(self, archive: Archive) -> bool:
        """Watch the folder of ``archive`` if it is still shown; whether it is. An archive
        shown as the load cache last saw it is then checked against its files: what changed
        since arrives as a reload after a change on disk would (the watch, started first,
        misses nothing meanwhile)."""
        if archive is not self.archive or self.closed:
            return False
        self.follower.watch(archive.root)
        if archive is self._unchecked and not self.busy:
            self._unchecked = None
            self.pending_root = archive.root
            self.refreshing = True
            self.loader.load(archive.root, check=archive)
        return True

    def close(self) -> None:
        """Stop everything in the background (the marks shown stay, for the window)."""
        self.closed = True
        self.follower.stop()
        self.loader.cancel()
        self.loader.wait()
        self.marks_opener.shutdown()

    def _on_previewed(self, archive: Archive) -> None:
        self._on_loaded(archive)
        self._unchecked = archive

    def _on_loaded(self, archive: Archive) -> None:
        if archive is self.archive:  # checked, and as the folder is: nothing to hand over
            self.pending_root = None
            self.refreshing = False
            if self._refresh_again:
                self._refresh_again = False
                QTimer.singleShot(0, self.refresh_from_disk)
            return
        reloading = self.archive is not None and same_folder(archive.root, self.archive.root)
        self._arriving = archive
        self.marks_opener.prepare(archive, self.state if reloading else None)

    def _hand_over(self) -> None:
        archive, self._arriving = self._arriving, None
        marks = self.marks_opener.take()
        if archive is None or self.closed:
            self.reject(marks)
            return
        self.pending_root = None
        if self._refresh_again:
            self._refresh_again = False
            QTimer.singleShot(0, self.refresh_from_disk)
        self.arrived.emit(archive, marks)

    def _on_failed(self, message: str) -> None:
        self.pending_root = None
        self.marks_opener.discard()
        log.debug("load failed: %s", message)
        self.failed.emit(message)
