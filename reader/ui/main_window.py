"""The main window: navigation tree, post list and viewer, menus, keys and session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFontDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from reader.core import names
from reader.core.archive import Archive
from reader.core.image_cache import ImageCache
from reader.core.links import LinkTarget, classify
from reader.core.search import Hit, parse_query
from reader.core.state import StateStore, default_state_path

if TYPE_CHECKING:
    pass
from reader.ui import dialogs, printing
from reader.ui.actions import LANGUAGES, RECENT, build_actions, build_menus
from reader.ui.actions import THEMES as THEME_MENU
from reader.ui.appearance import Appearance
from reader.ui.archive_session import ArchiveSession
from reader.ui.find_bar import FindBar
from reader.ui.loader import ArchiveLoader
from reader.ui.marking import Marking
from reader.ui.nav_model import ALL, NavModel, NavNode
from reader.ui.nav_tree import fit_count_column, nav_tree
from reader.ui.offline_images import OfflineImages
from reader.ui.post_list import post_list
from reader.ui.post_model import PostTableModel, format_post_date
from reader.ui.remote_images import OfflineJob, RemoteImages
from reader.ui.saving_status import SavingStatus
from reader.ui.search import SearchService
from reader.ui.search_bar import SearchBar
from reader.ui.session_memory import SessionMemory
from reader.ui.settings import (
    IMAGE_CACHE_MB,
    LANGUAGE,
    REMOTE_IMAGES,
    ZOOM,
    Settings,
)
from reader.ui.theme import THEMES
from reader.ui.viewer import Viewer

#: Between the two turns of the window's work on a load (see _on_loaded).
LOAD_TURN_PAUSE_MS = 10
#: When the post shown before a load is shown again (see _on_loaded).
POST_TURN_MS = 1
#: After a load, how long the window draws undisturbed before its background work starts.
FOLLOW_DELAY_MS = 100

#: Marking every post of a node read asks first above this many posts.
CONFIRM_MARK_ALL_ABOVE = 100
#: How often marks made by another Reader window on the same archive are picked up (ms).
STATE_POLL_MS = 2000


class MainWindow(QMainWindow):
    archive_loaded = Signal()
    posts_shown = Signal()  # a load's posts are in the list (its counts come next)
    load_failed = Signal(str)
    search_results_shown = Signal()
    search_ready = Signal()

    def __init__(
        self,
        settings: Settings | None = None,
        state_path: Path | None = None,
        *,
        background: bool = True,
        image_cache: ImageCache | None = None,
    ) -> None:
        """``background=False`` (screenshots) starts no search indexing and no folder watch."""
        super().__init__()
        self._background = background
        self.settings = settings or Settings()
        if image_cache is None:
            megabytes = self.settings.get(IMAGE_CACHE_MB)
            image_cache = ImageCache(limit=max(1, megabytes) * 2**20)
        self.remote_images = RemoteImages(image_cache, self)
        self.offline = OfflineImages(self.remote_images, self)
        self.session = ArchiveSession(state_path or default_state_path(), self)
        self._warmed = False  # the viewer's warm-up (before the first load)
        self.warnings: list[str] = []
        self.shortcuts_dialog: QDialog | None = None  # Help → Keyboard Shortcuts, once shown
        self.last_link_target: LinkTarget | None = None  # where the last link followed led
        self._mark_on_select = True  # selecting a post marks it read
        self._current_node_path = f"{ALL}/"

        self.setWindowTitle("Reader")
        self.setAcceptDrops(True)
        self.session.progress.connect(self._on_progress)
        self.session.arrived.connect(self._on_loaded)
        self.session.failed.connect(self._on_failed)
        self.session.watch_failed.connect(
            lambda message: self.statusBar().showMessage(
                self.tr("Not following changes on disk: %s") % message, 8000
            )
        )

        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._connect_offline()
        self.memory = SessionMemory(self.settings, self.splitter, self.right, self.list.horizontalHeader())
        self.memory.restore_window(self)
        self.appearance.start()
        # A bound method of this window: Qt drops the connection when the window goes.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._follow_system_theme)

        self._poll = QTimer(self)
        self._poll.setInterval(STATE_POLL_MS)
        self._poll.timeout.connect(self._poll_state)
        self._poll.start()
        self._check_saving()  # a settings folder that cannot be made
        self.viewer.show_message(
            self.tr("Welcome to Reader"), self.tr("Open a folder of posts with File → Open Folder… (Ctrl+O).")
        )

    # --- widgets ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.nav_model = NavModel(self)
        self.tree = nav_tree(self.nav_model)
        self.tree.selectionModel().currentChanged.connect(self._on_node_changed)

        self.post_model = PostTableModel(self)
        self.marking = Marking(self.session, self.nav_model, self.post_model, self)
        self.marking.changed.connect(self._after_marks)
        self.list = post_list(self.post_model, self.fontMetrics().height() + 8)
        self.list.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self._after_sort())
        self.list.selectionModel().currentRowChanged.connect(self._on_post_changed)

        self.list_message = QLabel()
        self.list_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_message.setWordWrap(True)
        self.list_message.setAccessibleName(self.tr("Post list message"))
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list)
        self.list_stack.addWidget(self.list_message)

        self.search_bar = SearchBar()
        self.search_bar.paused.connect(self.run_search)
        self.search_bar.left.connect(self._leave_search)
        self.search_box, self.search_count = self.search_bar.field, self.search_bar.count
        list_pane = QWidget()
        list_layout = QVBoxLayout(list_pane)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.search_bar)
        list_layout.addWidget(self.list_stack)
        self.search = SearchService(self)
        self.search.results.connect(self._on_search_results)
        self.search.progress.connect(self._on_index_progress)
        self.search.ready.connect(self._on_index_ready)
        self.search.failed.connect(
            lambda message: self.statusBar().showMessage(
                self.tr("Search index unavailable: %s") % message, 8000
            )
        )

        self.viewer = Viewer()
        self.appearance = Appearance(self.viewer, self.settings)
        self.viewer.set_remote_images(self.remote_images)
        self.viewer.link_activated.connect(self.follow_link)

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(list_pane)
        self.find_bar = FindBar()
        self.find_bar.field.textChanged.connect(self._find_in_post)
        self.find_bar.next_button.clicked.connect(lambda: self._find_step(backward=False))
        self.find_bar.previous_button.clicked.connect(lambda: self._find_step(backward=True))
        self.find_bar.closed.connect(self._find_closed)
        reading_pane = QWidget()
        reading_layout = QVBoxLayout(reading_pane)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(0)
        reading_layout.addWidget(self.viewer, 1)
        reading_layout.addWidget(self.find_bar)
        self.right.addWidget(reading_pane)
        self.right.setSizes([300, 500])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.right)
        self.splitter.setSizes([280, 1000])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        QWidget.setTabOrder(self.tree, self.list)
        QWidget.setTabOrder(self.list, self.viewer)
        QWidget.setTabOrder(self.viewer, self.search_box)

    def _build_actions(self) -> None:
        """The actions of the table in :mod:`reader.ui.actions`, each as ``act_<name>``."""
        self.actions_by_name = build_actions(self)
        for name, action in self.actions_by_name.items():
            setattr(self, f"act_{name}", action)

    def _build_menus(self) -> None:
        build_menus(
            self.menuBar(),
            self.actions_by_name,
            {
                RECENT: self._add_recent_menu,
                THEME_MENU: self._add_theme_menu,
                LANGUAGES: self._add_language_menu,
            },
        )

    def _add_recent_menu(self, menu: QMenu) -> None:
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addMenu(self.recent_menu)

    def _add_theme_menu(self, menu: QMenu) -> None:
        theme_menu = menu.addMenu(self.tr("&Theme"))
        self.theme_actions = self.appearance.theme_actions
        group = QActionGroup(self)
        labels = {"system": self.tr("&System"), "light": self.tr("&Light"), "dark": self.tr("&Dark")}
        for name in THEMES:
            action = QAction(labels[name], self, checkable=True)
            action.triggered.connect(lambda _checked=False, n=name: self.set_theme(n))
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[name] = action

    def _add_language_menu(self, menu: QMenu) -> None:
        language_menu = menu.addMenu(self.tr("&Language"))
        self.language_actions: dict[str, QAction] = {}
        languages = QActionGroup(self)
        current = self.settings.get(LANGUAGE)
        for code, label in (
            ("system", self.tr("&System")),
            ("en", self.tr("English")),
            ("zh_CN", self.tr("简体中文")),
        ):
            action = QAction(label, self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            languages.addAction(action)
            language_menu.addAction(action)
            self.language_actions[code] = action

    def _connect_offline(self) -> None:
        self.offline.progress_text.connect(self._show_offline_progress)
        self.offline.finished.connect(self._on_offline_finished)
        self.offline.running_changed.connect(self.actions_by_name["offline_cancel"].setEnabled)

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.counts = QLabel()
        self.index_status = QLabel()
        self.index_status.hide()
        # Shown while marks or the session cannot be written (its tooltip says why).
        self.saving_status = SavingStatus()
        self.statusBar().addPermanentWidget(self.saving_status)
        self.statusBar().addPermanentWidget(self.index_status)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.counts)

    # --- opening archives ------------------------------------------------------------

    def open_archive(
        self, root: Path | str, *, full: bool = False, quiet: bool = False, changed: set[str] | None = None
    ) -> None:
        """Start loading ``root``; the current archive stays until the new one is ready.

        ``full`` ignores the load cache (F5); ``quiet`` is a refresh after the folder
        changed on disk: no progress bar; ``changed``, the paths that changed, so that
        only those files are read again.
        """
        root = Path(root).expanduser()
        if not self._warmed:
            # Before the first load starts, while no loading thread competes for the GIL
            # (run meanwhile, its steps took 40-50 ms): the turn that shows the first
            # post is then ~10 ms shorter (see Viewer.warm_up).
            self._warmed = True
            self.viewer.warm_up()
        if not quiet:
            self.progress.setRange(0, 0)
            self.progress.show()
            self.statusBar().showMessage(self.tr("Loading %s…") % names.shown(str(root)))
        if self.archive is None:
            self.viewer.show_message(self.tr("Loading…"), names.shown(str(root)))
            self._show_list_message(self.tr("Loading…"))
        self.session.load(root, full=full, quiet=quiet, changed=changed)

    def choose_folder(self) -> None:
        start = str(self.archive.root) if self.archive else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open Folder"), start)
        if folder:
            self.open_archive(folder)

    def reload(self) -> None:
        """F5: read the whole folder again, ignoring the load cache."""
        if self.archive is not None:
            self.open_archive(self.archive.root, full=True)

    # --- the archive session ----------------------------------------------------------

    @property
    def archive(self) -> Archive | None:
        """The archive shown."""
        return self.session.archive

    @property
    def state(self) -> StateStore | None:
        """The read and starred marks of the archive shown."""
        return self.session.state

    @property
    def loader(self) -> ArchiveLoader:
        return self.session.loader

    @property
    def following(self) -> bool:
        """Whether changes on disk are being followed now."""
        return self.session.follower.running

    def _follow(self, archive: Archive) -> None:
        """Watch the folder and check the search index, for the archive still shown."""
        if self.session.follow(archive):
            self.search.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("%v of %m files"))

    def _on_failed(self, message: str) -> None:
        self.progress.hide()
        self.statusBar().showMessage(message)
        if self.archive is None:
            self.viewer.show_message(self.tr("This folder cannot be read"), message)
            self._show_list_message(self.tr("No archive is open."))
        else:
            self._inform(
                self.tr("This folder cannot be read"),
                message + "\n\n" + self.tr("The current archive stays open."),
            )
        self.load_failed.emit(message)

    def _on_loaded(self, archive: Archive, marks: StateStore | None) -> None:
        """The first turn of the window's work on a load: the new posts in the tree and
        the list (the session hands them over with their marks)."""
        self.progress.hide()
        if self._refused(archive, marks):
            return
        reloading = self.archive is not None and archive.root.resolve() == self.archive.root.resolve()
        current_key = self.current_post().key if reloading and self.current_post() else None
        if self.archive is not None:
            self.save_session()
        if self.state is not None and not reloading:
            self._close_marks(closing=False)
        state = self._adopt(archive, marks)
        self.settings.add_recent(archive.root)
        title = archive.config.values.get("title")
        if not isinstance(title, str) or not title:
            title = names.shown(archive.root.name)
        self.setWindowTitle(f"{title} — Reader")
        # The window's work on a load comes in two turns of the event loop, each well
        # under 50 ms at 100,000 posts, with the first paint of the posts between them:
        # the tree's unread counts come in the second.
        if self._background:
            # Queries go to this archive from now on; its worker starts with _follow.
            self.search.set_archive(archive, start=False)
        self.nav_model.set_archive(archive, state, counted=False)
        fit_count_column(self.tree, len(archive.posts))
        self.post_model.set_archive(archive, state)
        remote = self.settings.archive_get(archive.root, REMOTE_IMAGES)
        self.actions_by_name["remote_images"].setChecked(remote)
        self.viewer.set_remote_enabled(remote)
        self.tree.expandToDepth(0)
        shown_before = self._restore_archive_session(archive, current_key)
        self._say_loaded(archive, state)
        if shown_before is None:
            # After the paint, with a pause: timers and input that came meanwhile go first.
            QTimer.singleShot(LOAD_TURN_PAUSE_MS, self, lambda: self._count_loaded(archive))
        else:
            # The post shown before, in a turn of its own once the list is drawn: reading,
            # rendering and laying it out took 20-45 ms more in this turn, which is ~35 ms
            # already at 100,000 posts. The counts come after it, with the same pause.
            QTimer.singleShot(POST_TURN_MS, self, lambda: self._restore_post(archive, shown_before))
        self.posts_shown.emit()

    def _refused(self, archive: Archive, marks: StateStore | None) -> bool:
        """A folder without posts, loaded while another archive is shown: said, and the
        archive shown stays."""
        if archive.posts or self.archive is None or archive.root.resolve() == self.archive.root.resolve():
            return False
        self._inform(
            self.tr("No posts in this folder"),
            self.tr("%s holds no posts Reader can show. The current archive stays open.")
            % names.shown(str(archive.root)),
        )
        self.statusBar().showMessage(self.tr("No posts in %s") % names.shown(str(archive.root)))
        self.load_failed.emit("no posts")
        self.session.reject(marks)
        return True

    def _adopt(self, archive: Archive, marks: StateStore | None) -> StateStore:
        """The session shows ``archive`` from now on; its marks, said when they are new
        and not all is well with them."""
        if self.session.adopt(archive, marks):
            state = self.session.state
            if state is not None and state.warning:
                self.warnings.append(state.warning)
                self.statusBar().showMessage(state.warning)
            self._check_saving()  # when the marks cannot be written: said in the window's words
        state = self.session.state
        assert state is not None
        return state

    def _say_loaded(self, archive: Archive, state: StateStore) -> None:
        """The status bar's word on the load; an empty archive's help in the panes."""
        problems = len(archive.problems) + archive.post_problems
        message = self.tr("Loaded %n posts", "", len(archive.posts))
        if problems:
            message += " · " + self.tr("%n problems (see posts marked ⚠)", "", problems)
        if self.session.refreshing:
            message = self.tr("Updated from disk: %n posts", "", len(archive.posts))
        if not state.warning and not any(self.saving_status.not_saved):
            self.statusBar().showMessage(message, 8000)
        self.session.refreshing = False
        if not archive.posts:
            self.viewer.show_message(
                self.tr("No posts in this folder"),
                self.tr(
                    "Reader found no posts in %s. Posts are files in _posts/ named YYYY-MM-DD-title.md, "
                    "or text files with front matter and a date."
                )
                % names.shown(str(archive.root)),
            )
            self._show_list_message(self.tr("No posts in this archive."))

    def _restore_post(self, archive: Archive, key: str) -> None:
        """The turn that shows the post shown before the load (see _on_loaded)."""
        if archive is self.archive and not self.session.closed and self.current_post() is None:
            self.select_post_key(key, mark=False)
        QTimer.singleShot(LOAD_TURN_PAUSE_MS, self, lambda: self._count_loaded(archive))

    def _count_loaded(self, archive: Archive) -> None:
        """The second turn of a load: unread counts in the tree and the status bar."""
        if archive is not self.archive or self.session.closed:
            return
        self.nav_model.recount()
        self._update_counts()
        if self._background:
            # Once the window has drawn: the watcher's and the index's threads compete
            # for the GIL, and each Python call the views make while drawing waits for it.
            QTimer.singleShot(FOLLOW_DELAY_MS, self, lambda: self._follow(archive))
        self.archive_loaded.emit()

    def _inform(self, title: str, text: str) -> None:
        dialogs.inform(self, title, text)

    # --- saving: marks and session -----------------------------------------------------

    def _check_saving(self) -> None:
        """Say when the marks or the session cannot be written now (they are kept), and
        when they are written again: a message when that changes, and a sign in the
        status bar meanwhile (see SavingStatus)."""
        state = self.state
        # Not for marks merely waiting (unsaved) for a store another process holds for a
        # moment: the store sets problem once that has lasted (state.BUSY_GRACE).
        marks_problem = state.problem if state is not None else None
        new, saved_again = self.saving_status.update_problems(marks_problem, self.settings.problem)
        if new:
            self.warnings.extend(new)
            self.statusBar().showMessage(" ".join(new))
        elif saved_again:
            self.statusBar().showMessage(self.tr("Read marks and session saved again."), 8000)

    def _close_marks(self, *, closing: bool) -> None:
        """Close the marks shown, after a last try at writing those not saved yet; say so
        when some could not be."""
        state = self.session.take_marks()
        if state is None:
            return
        lost = state.close()
        problem = state.problem  # set by close when it could not write them
        self._check_saving()
        if lost:
            text = self.tr("%n read marks made in this session could not be saved (%s).", "", lost) % problem
            self.warnings.append(text)
            self._tell_not_saved(text, closing=closing)

    def _tell_not_saved(self, text: str, *, closing: bool) -> None:
        if closing:  # the window goes: asked before it does
            QMessageBox.warning(self, self.tr("Not saved"), text)
        else:
            self._inform(self.tr("Not saved"), text)

    # --- session ---------------------------------------------------------------------

    def _restore_archive_session(self, archive: Archive, current_key: str | None) -> str | None:
        """Splitters, columns, sort and tree node as they were; the key of the post shown
        before, when this archive has it, for the caller to show."""
        self.memory.restore_panes(archive.root)
        header = self.list.horizontalHeader()
        self.post_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        node_path, remembered_key = self.memory.place(archive.root)
        post_key = current_key or remembered_key
        if not self.select_node_path(node_path or f"{ALL}/"):
            self.select_node_path(f"{ALL}/")
        return post_key if post_key is not None and post_key in archive.by_key else None

    def save_session(self) -> None:
        post = self.current_post() if self.archive is not None else None
        root = self.archive.root if self.archive is not None else None
        self.memory.save(self, root, self._current_node_path, post.key if post is not None else None)
        self.settings.set(ZOOM, self.appearance.zoom_level)
        self.settings.sync()
        self._check_saving()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.closed = True
        self.save_session()
        self.cancel_offline()
        self.session.close()
        self.search.shutdown()
        if self.settings.problem is not None:
            text = self.tr("The session (window, panes, post shown) could not be saved (%s).")
            self._tell_not_saved(text % self.settings.problem, closing=True)
        self._close_marks(closing=True)
        super().closeEvent(event)

    # --- navigation ------------------------------------------------------------------

    def current_node(self) -> NavNode | None:
        return self.nav_model.node(self.tree.currentIndex())

    def select_node_path(self, path: str) -> bool:
        index = self.nav_model.index_of_path(path)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def _on_node_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.nav_model.node(current)
        if node is None:
            return
        if node.kind == "group":
            # A group heading (Categories, Tags, Archive): open it and ask for a choice below.
            self.tree.setExpanded(current, True)
        kept = self.current_post_index()
        self._current_node_path = node.path
        rows = self.nav_model.post_indexes(node) if node.kind != "group" else []
        if self.search_text():
            self.post_model.set_rows([])
            self.run_search()
            return
        self.post_model.set_rows(rows)
        if not rows:
            if node.kind == "group":
                self._show_list_message(self.tr("Choose a category, tag or month in %s.") % node.label)
            else:
                self._show_list_message(self.tr("No posts in %s.") % node.label)
            self.viewer.show_message(node.label, self.tr("Nothing to show here."))
            return
        self.list_stack.setCurrentWidget(self.list)
        row = self.post_model.row_of_post(kept) if kept is not None else -1
        if row >= 0:
            self._select_row(row, mark=False)
        else:
            self.list.clearSelection()
            self.list.setCurrentIndex(QModelIndex())
            self.viewer.show_message(
                node.label,
                self.tr("%n posts. Select one to read it, or press N for the next unread.", "", len(rows)),
            )

    def _show_list_message(self, text: str) -> None:
        self.list_message.setText(text)
        self.list_stack.setCurrentWidget(self.list_message)

    def current_post_index(self) -> int | None:
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        return self.post_model.post_index(index.row())

    def current_post(self) -> Any:
        index = self.list.currentIndex()
        return self.post_model.post_at(index.row()) if index.isValid() else None

    def _select_row(self, row: int, *, mark: bool = True) -> None:
        self._mark_on_select = mark
        index = self.post_model.index(row, 0)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.list.scrollTo(index)
        self._mark_on_select = True

    def select_post_key(self, key: str, *, mark: bool = True) -> bool:
        """Select a post by key, moving the tree to All posts when this node lacks it."""
        if self.archive is None or key not in self.archive.by_key:
            return False
        post_index = self.archive.by_key[key]
        row = self.post_model.row_of_post(post_index)
        if row < 0:
            self.select_node_path(f"{ALL}/")
            row = self.post_model.row_of_post(post_index)
        if row < 0:
            return False
        self._select_row(row, mark=mark)
        return True

    def _on_post_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post = self.post_model.post_at(current.row()) if current.isValid() else None
        if post is None or self.archive is None:
            return
        self.viewer.show_post(self.archive, post, format_post_date(post, self.locale()))
        if self.search_text():
            self.viewer.highlight(parse_query(self.search_text()).highlight_terms)
        if self._mark_on_select and self.state is not None and post.key not in self.state.read:
            self._set_marks([self.post_model.post_index(current.row())], read=True)

    def move_post(self, step: int) -> None:
        count = self.post_model.rowCount()
        if count == 0:
            return
        current = self.list.currentIndex()
        row = current.row() + step if current.isValid() else (0 if step > 0 else count - 1)
        if 0 <= row < count:
            self._select_row(row)

    def next_unread(self) -> None:
        """The next unread post after this one in the list; else anywhere, from All posts."""
        if self.archive is None or self.state is None:
            return
        read = self.state.read
        keys = self.archive.keys
        rows = self.post_model.post_indexes()
        current = self.list.currentIndex().row() if self.list.currentIndex().isValid() else -1
        for row in [*range(current + 1, len(rows)), *range(0, max(current, 0))]:
            if keys[rows[row]] not in read:
                self._select_row(row)
                return
        for key in keys:
            if key not in read:
                self.select_post_key(key)
                return
        self.statusBar().showMessage(self.tr("No unread posts."), 5000)

    def page_or_next_unread(self) -> None:
        bar = self.viewer.verticalScrollBar()
        if self.viewer.post is not None and (bar.value() < bar.maximum() or self.viewer.preparing):
            # A big post still coming is not at its end: Space waits for it.
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        else:
            self.next_unread()

    # --- search ----------------------------------------------------------------------

    def search_text(self) -> str:
        return self.search_bar.text()

    def focus_search(self) -> None:
        self.search_bar.focus()

    def find_or_search(self) -> None:
        """Ctrl+F: find in the post when the reading pane has the focus, else search."""
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self.viewer or self.find_bar.isAncestorOf(focus)):
            self.find_bar.open()
        else:
            self.focus_search()

    def _find_in_post(self, text: str) -> None:
        count = self.viewer.highlight([text]) if text.strip() else self.viewer.highlight([])
        self.find_bar.count.setText(self.tr("%n matches", "", count) if text.strip() else "")
        if count:
            cursor = self.viewer.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.viewer.setTextCursor(cursor)
            self.viewer.find_highlight(False)

    def _find_step(self, *, backward: bool) -> None:
        self.viewer.find_highlight(backward)

    def _find_closed(self) -> None:
        terms = parse_query(self.search_text()).highlight_terms if self.search_text() else []
        self.viewer.highlight(terms)
        self.viewer.setFocus()

    def copy_post_text(self) -> None:
        if self.viewer.post is not None:
            QApplication.clipboard().setText(self.viewer.toPlainText())

    def copy_post_link(self) -> None:
        """The post's original web address when it names one, else its file."""
        post = self.viewer.post
        if post is None or self.archive is None:
            return
        # The file's URL from its bytes: QUrl.fromLocalFile drops a byte that is not UTF-8.
        file_url = QUrl.fromEncoded(Path(os.path.abspath(self.archive.root / post.path)).as_uri().encode())
        link = self.viewer.original_url or file_url.toString()
        QApplication.clipboard().setText(link)

    def _leave_search(self, pick_first: bool) -> None:
        """From the search field to the list (Escape, Down, Return)."""
        self.list.setFocus()
        if pick_first and not self.list.currentIndex().isValid() and self.post_model.rowCount():
            self._select_row(0)

    def run_search(self) -> None:
        """Search within the selected node (debounced: called when typing pauses)."""
        node = self.current_node()
        text = self.search_text()
        if not text:
            self.search_count.clear()
            if node is not None:
                index = self.nav_model.index_of_path(node.path)
                self._on_node_changed(index, QModelIndex())
            return
        within = self.nav_model.post_indexes(node) if node is not None and node.kind != ALL else None
        self.search_count.setText(self.tr("Searching…"))
        self.search.search(text, within)

    def _on_search_results(self, hits: list[Hit], indexed: bool) -> None:
        if not self.search_text():
            return
        kept = self.current_post_index()
        self.post_model.set_rows([hit.post_index for hit in hits], ranked=True)
        count = self.tr("%n matches", "", len(hits))
        self.search_count.setText(count if indexed else count + " · " + self.tr("indexing…"))
        if not hits:
            node = self.current_node()
            where = node.label if node is not None else ""
            self._show_list_message(
                self.tr("No matches for “%1” in %2.").replace("%1", self.search_text()).replace("%2", where)
            )
            return
        self.list_stack.setCurrentWidget(self.list)
        row = self.post_model.row_of_post(kept) if kept is not None else -1
        if row >= 0:
            self._select_row(row, mark=False)
        self.search_results_shown.emit()

    def _on_index_progress(self, done: int, total: int) -> None:
        # Its own corner of the status bar: messages about the archive stay readable.
        text = self.tr("Indexing for search… %1 of %2").replace("%1", str(done)).replace("%2", str(total))
        self.index_status.setText(text)
        self.index_status.show()

    def _on_index_ready(self, _count: int) -> None:
        self.index_status.clear()
        self.index_status.hide()
        self.search_ready.emit()
        if self.search_text():
            self.run_search()

    # --- marks -----------------------------------------------------------------------

    def _set_marks(
        self, post_indexes: list[int], *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        self.marking.set_marks(post_indexes, read=read, starred=starred)

    def _after_marks(self) -> None:
        self._update_counts()
        self._check_saving()  # a mark not written is kept, and said so

    def toggle_read(self) -> None:
        index = self.current_post_index()
        if index is not None:
            self.marking.toggle_read(index)

    def set_current_read(self, read: bool) -> None:
        index = self.current_post_index()
        if index is not None:
            self._set_marks([index], read=read)

    def toggle_star(self) -> None:
        index = self.current_post_index()
        if index is not None:
            self.marking.toggle_star(index)

    def confirm_mark_all(self, count: int) -> bool:
        """Asked before marking more than :data:`CONFIRM_MARK_ALL_ABOVE` posts read."""
        answer = QMessageBox.question(
            self,
            self.tr("Mark all as read"),
            self.tr("Mark all %n posts in this view as read?", "", count),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def mark_all_read(self) -> None:
        unread = self.marking.unread(self.post_model.post_indexes())
        if not unread:
            return
        if len(unread) > CONFIRM_MARK_ALL_ABOVE and not self.confirm_mark_all(len(unread)):
            return
        self._set_marks(unread, read=True)

    def _poll_state(self) -> None:
        """Marks from other windows; and the marks and session not written yet, written
        once they can be."""
        if self.settings.problem is not None:
            self.settings.sync()
        if self.state is not None and self.state.refresh():
            self.nav_model.recount()
            self.post_model.refresh_all()
            self._update_counts()
        self._check_saving()

    def _update_counts(self) -> None:
        if self.archive is None or self.state is None:
            self.counts.clear()
            return
        total = len(self.archive.posts)
        unread = self.nav_model.unread_total
        self.counts.setText(
            self.tr("%1 posts · %2 unread").replace("%1", str(total)).replace("%2", str(unread))
        )

    # --- theme -----------------------------------------------------------------------

    def set_theme(self, theme: str) -> None:
        """System (follows the desktop), Light or Dark; remembered."""
        self.appearance.set_theme(theme)

    @property
    def theme(self) -> str:
        return self.appearance.theme

    @property
    def theme_mode(self) -> str:
        """What the theme means now: "light" or "dark"."""
        return self.appearance.theme_mode

    def set_language(self, code: str) -> None:
        """Remember the interface language; it applies at the next start."""
        self.settings.set(LANGUAGE, code)
        self.statusBar().showMessage(
            self.tr("The interface language changes the next time Reader starts."), 8000
        )

    def _follow_system_theme(self, _scheme: object = None) -> None:
        self.appearance.follow_system()

    # --- links, zoom, dialogs --------------------------------------------------------

    def follow_link(self, url: str) -> None:
        post = self.viewer.post
        target = classify(url, self.archive, post.path if post else "")
        if url == "reader:show-images":
            self.viewer.show_post_images()
        elif url == "reader:show-rest":
            self.viewer.show_rest()
        elif target.kind == "post":
            self.select_post_key(target.value)
        elif target.kind in ("category", "tag"):
            if not self.select_node_path(f"{target.kind}/{target.value}"):
                missing = (
                    self.tr("No category named %s in this archive.")
                    if target.kind == "category"
                    else self.tr("No tag named %s in this archive.")
                )
                self.statusBar().showMessage(missing % names.shown(target.value), 5000)
        elif target.kind == "external":
            QDesktopServices.openUrl(QUrl(target.value))
        else:
            self.statusBar().showMessage(self.tr("This link is not followed: %s") % url[:200], 5000)
        self.last_link_target = target

    # --- remote images -----------------------------------------------------------------

    def set_remote_images(self, enabled: bool) -> None:
        """View → Load Remote Images, remembered for this archive."""
        self.actions_by_name["remote_images"].setChecked(enabled)
        if self.archive is not None:
            self.settings.archive_set(self.archive.root, REMOTE_IMAGES, enabled)
        self.viewer.set_remote_enabled(enabled)

    def make_available_offline(self) -> None:
        """Fetch every remote image of the selected node's posts (all posts: the archive)."""
        if self.archive is None:
            return
        node = self.current_node()
        indexes = (
            self.nav_model.post_indexes(node)
            if node is not None and node.kind != ALL
            else list(range(len(self.archive.posts)))
        )
        self.offline.start(self.archive, indexes, node.label if node is not None else "")

    @property
    def offline_job(self) -> OfflineJob | None:
        return self.offline.job

    def cancel_offline(self) -> None:
        self.offline.cancel()

    def _show_offline_progress(self, text: str) -> None:
        self.index_status.setText(text)
        self.index_status.setVisible(bool(text))

    def _on_offline_finished(self, where: str, fetched: int, failed: int) -> None:
        message = self.tr("%n images available offline", "", fetched)
        if failed:
            message += " · " + self.tr("%n could not be fetched", "", failed)
        self.statusBar().showMessage(f"{where}: {message}", 10000)

    def clear_image_cache(self) -> None:
        self.statusBar().showMessage(self.offline.clear_cache(), 5000)

    # --- print -----------------------------------------------------------------------

    def print_post(self) -> None:
        """File → Print…: the post on paper, in the light style whatever the theme."""
        printing.print_post(self.viewer, self)

    def export_pdf_dialog(self) -> None:
        path = printing.ask_pdf_path(
            self.viewer, self, self.tr("Export as PDF"), self.tr("PDF files (*.pdf)")
        )
        if path is not None:
            self.export_pdf(path)

    def export_pdf(self, path: Path) -> bool:
        """Write the post shown as a PDF, styled for paper."""
        if self.viewer.post is None:
            return False
        ok = printing.export_pdf(self.viewer, path)
        message = self.tr("Saved %s") if ok else self.tr("Could not write %s")
        self.statusBar().showMessage(message % path, 8000)
        return ok

    def open_original(self) -> None:
        if self.viewer.original_url:
            QDesktopServices.openUrl(QUrl(self.viewer.original_url))
        else:
            self.statusBar().showMessage(self.tr("This post names no original address."), 5000)

    def zoom(self, step: int) -> None:
        self.appearance.zoom(step)

    def choose_reading_font(self) -> None:
        ok, font = QFontDialog.getFont(self.viewer.font(), self, self.tr("Reading Font"))
        if ok:
            self.set_reading_font(font.family())

    def set_reading_font(self, family: str) -> None:
        """The reading pane's typeface (its size follows the text-size keys); remembered."""
        self.appearance.set_reading_font(family)

    @property
    def zoom_level(self) -> int:
        return self.appearance.zoom_level

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return dialogs.shortcut_rows(self.actions())

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog = dialogs.shortcuts_dialog(self, self.shortcut_rows())

    def show_about(self) -> None:
        dialogs.show_about(self)

    # --- drag and drop ---------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and Path(urls[0].toLocalFile()).is_dir():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            # From the URL's bytes: toLocalFile() drops a byte that is not UTF-8.
            self.open_archive(names.unquote(urls[0].path(QUrl.ComponentFormattingOption.FullyEncoded)))
            event.acceptProposedAction()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent()
        if not recent:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)
        for folder in recent:
            exists = Path(folder).is_dir()
            label = names.shown(folder)
            action = self.recent_menu.addAction(label if exists else self.tr("%s (missing)") % label)
            action.setEnabled(exists)
            action.triggered.connect(lambda _=False, f=folder: self.open_archive(f))

    def _after_sort(self) -> None:
        post = self.current_post_index()
        if post is not None:
            row = self.post_model.row_of_post(post)
            if row >= 0:
                self.list.scrollTo(self.post_model.index(row, 0))
