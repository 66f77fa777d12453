"""An archive loaded, shown: the session hands it over with its marks, and this part puts
it in the tree, the list and the reading pane, in timed turns of the event loop (see
:meth:`ArchiveDisplay.show_arrived`); meanwhile, a load's progress, and its failure.

The turns exist for measured UI stalls: each is well under 50 ms at 100,000 posts.
1. The posts in the tree and the list, the panes and the node as they were.
2. After :data:`POST_TURN_MS`, once the list is drawn: the post shown before, if any.
3. After :data:`LOAD_TURN_PAUSE_MS`: the unread counts, then, after
   :data:`FOLLOW_DELAY_MS`, the background work (the folder watch, the search index).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressBar, QTreeView

from reader.core import names
from reader.core.archive import Archive
from reader.core.state import StateStore
from reader.ui.archive_session import ArchiveSession, same_folder
from reader.ui.nav_model import ALL, NavModel
from reader.ui.nav_tree import fit_count_column
from reader.ui.navigation import Navigation
from reader.ui.post_counts import PostCounts
from reader.ui.post_list import ListPane
from reader.ui.post_model import PostTableModel
from reader.ui.saving_watch import SavingWatch
from reader.ui.search import SearchService
from reader.ui.session_memory import SessionMemory
from reader.ui.settings import REMOTE_IMAGES, Settings
from reader.ui.viewer import Viewer

log = logging.getLogger(__name__)

#: Between the two turns of the window's work on a load (see show_arrived).
LOAD_TURN_PAUSE_MS = 10
#: When the post shown before a load is shown again (see show_arrived).
POST_TURN_MS = 1
#: After a load, how long the window draws undisturbed before its background work starts.
FOLLOW_DELAY_MS = 100


class ArchiveDisplay(QObject):
    said = Signal(str, int)  # a status message and how long it shows (ms; 0: until the next)
    informed = Signal(str, str)  # a notice that does not block: its title and text
    titled = Signal(str)  # the window's title for the archive shown
    replacing = Signal()  # the archive shown is about to be replaced: its session to save
    posts_shown = Signal()  # a load's posts are in the list (its counts come next)
    loaded = Signal()  # a load is shown whole, counts included
    load_failed = Signal(str)

    def __init__(
        self,
        session: ArchiveSession,
        settings: Settings,
        *,
        tree: QTreeView,
        pane: ListPane,
        viewer: Viewer,
        navigation: Navigation,
        memory: SessionMemory,
        saving: SavingWatch,
        counts: PostCounts,
        progress: QProgressBar,
        remote_images: QAction,
        search: SearchService | None,
        marks_first_post: bool = True,
        parent: QObject | None = None,
    ) -> None:
        """``search`` None (screenshots): no search index and no folder watch;
        ``marks_first_post`` False (screenshots too): the post shown the first time an
        archive is (its newest unread) stays unread."""
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self._tree = tree
        self._nav_model: NavModel = tree.model()  # type: ignore[assignment]
        self._pane = pane
        self._post_model: PostTableModel = pane.view.model()  # type: ignore[assignment]
        self._viewer = viewer
        self._navigation = navigation
        self._memory = memory
        self._saving = saving
        self._counts = counts
        self._progress = progress
        self._remote_images = remote_images
        self._search = search
        self._marks_first_post = marks_first_post
        self._warmed = False  # the viewer's warm-up (before the first load)
        session.progress.connect(self._on_progress)
        session.arrived.connect(self.show_arrived)
        session.failed.connect(self._on_failed)

    # --- loading ---------------------------------------------------------------------

    def load(self, root: Path, *, full: bool, quiet: bool, changed: set[str] | None) -> None:
        """Start loading ``root`` (see MainWindow.open_archive)."""
        if not self._warmed:
            # Before the first load starts, while no loading thread competes for the GIL
            # (run meanwhile, its steps took 40-50 ms): the turn that shows the first
            # post is then ~10 ms shorter (see Viewer.warm_up).
            self._warmed = True
            self._viewer.warm_up()
        if not quiet:
            self._progress.setRange(0, 0)
            self._progress.show()
            self.said.emit(self.tr("Loading %s…") % names.shown(str(root)), 0)
        if self._session.archive is None:
            self._viewer.show_message(self.tr("Loading…"), names.shown(str(root)))
            self._pane.show_message(self.tr("Loading…"))
        self._session.load(root, full=full, quiet=quiet, changed=changed)

    def _on_progress(self, done: int, total: int) -> None:
        self._progress.setRange(0, max(total, 1))
        self._progress.setValue(done)
        self._progress.setFormat(self.tr("%v of %m files"))

    def _on_failed(self, message: str) -> None:
        self._progress.hide()
        self.said.emit(message, 0)
        if self._session.archive is None:
            self._viewer.show_message(self.tr("This folder cannot be read"), message)
            self._pane.show_message(self.tr("No archive is open."))
        else:
            self.informed.emit(
                self.tr("This folder cannot be read"),
                message + "\n\n" + self.tr("The current archive stays open."),
            )
        self.load_failed.emit(message)

    # --- the turns of a load ---------------------------------------------------------

    def show_arrived(self, archive: Archive, marks: StateStore | None) -> None:
        """The first turn of the window's work on a load: the new posts in the tree and
        the list (the session hands them over with their marks)."""
        self._progress.hide()
        if self._refused(archive, marks):
            return
        shown = self._session.archive
        reloading = shown is not None and same_folder(archive.root, shown.root)
        current = self._navigation.current_post() if reloading else None
        if shown is not None:
            self.replacing.emit()
        if self._session.state is not None and not reloading:
            self._saving.close_marks(closing=False)
        state = self._adopt(archive, marks)
        self._settings.add_recent(archive.root)
        title = archive.config.values.get("title")
        if not isinstance(title, str) or not title:
            title = names.shown(archive.root.name)
        self.titled.emit(f"{title} — Reader")
        if self._search is not None:
            # Queries go to this archive from now on; its worker starts with _follow.
            self._search.set_archive(archive, start=False)
        self._nav_model.set_archive(archive, state, counted=False)
        fit_count_column(self._tree, len(archive.posts))
        self._post_model.set_archive(archive, state)
        remote = self._settings.archive_get(archive.root, REMOTE_IMAGES)
        self._remote_images.setChecked(remote)
        self._viewer.set_remote_enabled(remote)
        self._tree.expandToDepth(0)
        shown_before, first_time = self._restore_place(archive, current.key if current else None)
        self._say_loaded(archive, state)
        if shown_before is None:
            # After the paint, with a pause: timers and input that came meanwhile go first.
            QTimer.singleShot(LOAD_TURN_PAUSE_MS, self, lambda: self._count(archive))
        else:
            # The post shown before, in a turn of its own once the list is drawn: reading,
            # rendering and laying it out took 20-45 ms more in this turn, which is ~35 ms
            # already at 100,000 posts. The counts come after it, with the same pause.
            QTimer.singleShot(
                POST_TURN_MS, self, lambda: self._restore_post(archive, shown_before, mark=first_time)
            )
        self.posts_shown.emit()

    def _refused(self, archive: Archive, marks: StateStore | None) -> bool:
        """A folder without posts, loaded while another archive is shown: said, and the
        archive shown stays."""
        shown = self._session.archive
        if archive.posts or shown is None or same_folder(archive.root, shown.root):
            return False
        where = names.shown(str(archive.root))
        self.informed.emit(
            self.tr("No posts in this folder"),
            self.tr("%s holds no posts Reader can show. The current archive stays open.") % where,
        )
        self.said.emit(self.tr("No posts in %s") % where, 0)
        self.load_failed.emit("no posts")
        self._session.reject(marks)
        return True

    def _adopt(self, archive: Archive, marks: StateStore | None) -> StateStore:
        """The session shows ``archive`` from now on; its marks, said when they are new
        and not all is well with them."""
        if self._session.adopt(archive, marks):
            state = self._session.state
            if state is not None and state.warning:
                self._saving.warn(state.warning)
            self._saving.check()  # when the marks cannot be written: said in the window's words
        state = self._session.state
        assert state is not None
        return state

    def _restore_place(self, archive: Archive, current_key: str | None) -> tuple[str | None, bool]:
        """Splitters, columns, sort and tree node as they were; the key of the post shown
        before, when this archive has it, for the caller to show. The first time an
        archive is shown (nothing remembered of it), its newest unread post instead, to
        be marked read as any post the reader is shown (True with it)."""
        self._memory.restore_panes(archive.root)
        header = self._pane.view.horizontalHeader()
        self._post_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        node_path, remembered_key = self._memory.place(archive.root)
        post_key = current_key or remembered_key
        if not self._navigation.select_node_path(node_path or f"{ALL}/"):
            self._navigation.select_node_path(f"{ALL}/")
        first_time = post_key is None and node_path is None
        if first_time:
            post_key = self._newest_unread(archive)
        return (post_key if post_key is not None and post_key in archive.by_key else None), first_time

    def _newest_unread(self, archive: Archive) -> str | None:
        """The key of the newest post not read (posts are newest first), if any."""
        state = self._session.state
        read = state.read if state is not None else set()
        return next((key for key in archive.keys if key not in read), None)

    def _say_loaded(self, archive: Archive, state: StateStore) -> None:
        """The status bar's word on the load; an empty archive's help in the panes."""
        problems = len(archive.problems) + archive.post_problems
        message = self.tr("Loaded %n posts", "", len(archive.posts))
        if problems:
            message += " · " + self.tr("%n problems (see posts marked ⚠)", "", problems)
        if self._session.refreshing:
            message = self.tr("Updated from disk: %n posts", "", len(archive.posts))
        if not state.warning and not any(self._saving.not_saved):
            self.said.emit(message, 8000)
        self._session.refreshing = False
        if not archive.posts:
            self._viewer.show_message(
                self.tr("No posts in this folder"),
                self.tr(
                    "Reader found no posts in %s. Posts are files in _posts/ named YYYY-MM-DD-title.md, "
                    "or text files with front matter and a date."
                )
                % names.shown(str(archive.root)),
            )
            self._pane.show_message(self.tr("No posts in this archive."))

    def _restore_post(self, archive: Archive, key: str, *, mark: bool = False) -> None:
        """The turn that shows the post shown before the load (see show_arrived); with
        ``mark``, it is marked read once the counts are worked out."""
        shown = False
        if self._current(archive) and self._navigation.current_post() is None:
            shown = self._navigation.select_post_key(key, mark=False)
        mark = mark and self._marks_first_post
        QTimer.singleShot(LOAD_TURN_PAUSE_MS, self, lambda: self._count(archive, mark_shown=shown and mark))

    def _count(self, archive: Archive, *, mark_shown: bool = False) -> None:
        """The last turn of a load: unread counts in the tree and the status bar."""
        if not self._current(archive):
            return
        self._nav_model.recount()
        self._counts.refresh()
        if mark_shown:
            self._navigation.mark_shown_read()
        if self._search is not None:
            # Once the window has drawn: the watcher's and the index's threads compete
            # for the GIL, and each Python call the views make while drawing waits for it.
            QTimer.singleShot(FOLLOW_DELAY_MS, self, lambda: self._follow(archive))
        self.loaded.emit()

    def _follow(self, archive: Archive) -> None:
        """Watch the folder and check the search index, for the archive still shown."""
        if self._session.follow(archive) and self._search is not None:
            self._search.start()

    def _current(self, archive: Archive) -> bool:
        """Whether ``archive`` is still the one shown, and the window still open."""
        return archive is self._session.archive and not self._session.closed
