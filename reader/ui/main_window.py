"""The main window: it builds its parts (the views, the archive session, the parts that
show and move through an archive, search, marks, links, saving, printing...) and wires
them together. What each part does is said in its own module; the window holds only
what must be a window's: its menus, status bar, dialogs, closing, and drops."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from reader.core.archive import Archive
from reader.core.image_cache import ImageCache
from reader.core.links import LinkTarget
from reader.core.state import StateStore, default_state_path
from reader.ui import dialogs, folder_dialog, folder_drop
from reader.ui.actions import LANGUAGES, RECENT, build_actions, build_menus
from reader.ui.actions import THEMES as THEME_MENU
from reader.ui.appearance import Appearance
from reader.ui.archive_display import ArchiveDisplay
from reader.ui.archive_session import ArchiveSession
from reader.ui.archive_updates import ArchiveUpdates
from reader.ui.find_bar import FindBar
from reader.ui.find_in_post import FindInPost
from reader.ui.image_actions import ImageActions
from reader.ui.loader import ArchiveLoader
from reader.ui.marking import Marking
from reader.ui.marks_actions import MarksActions
from reader.ui.nav_model import NavModel, NavNode
from reader.ui.nav_tree import nav_tree
from reader.ui.navigation import Navigation
from reader.ui.offline_images import OfflineImages
from reader.ui.post_counts import PostCounts
from reader.ui.post_links import PostLinks
from reader.ui.post_list import ListPane, post_list
from reader.ui.post_model import PostTableModel
from reader.ui.printing import PostPrinting
from reader.ui.recent_menu import RecentMenu
from reader.ui.remote_images import RemoteImages
from reader.ui.saving_status import SavingStatus
from reader.ui.saving_watch import SavingWatch
from reader.ui.search import SearchService
from reader.ui.search_bar import SearchBar
from reader.ui.search_results import SearchResults
from reader.ui.session_memory import SessionMemory
from reader.ui.settings import IMAGE_CACHE_MB, LANGUAGE, ZOOM, Settings
from reader.ui.view_menus import add_language_menu, add_theme_menu
from reader.ui.viewer import Viewer


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
        self.shortcuts_dialog: QDialog | None = None  # Help → Keyboard Shortcuts, once shown
        self.setWindowTitle("Reader")
        self.setAcceptDrops(True)

        self._build_views()
        self._build_status_bar()
        self._build_parts()
        self.actions_by_name = build_actions(self)
        for name, action in self.actions_by_name.items():
            setattr(self, f"act_{name}", action)
        build_menus(
            self.menuBar(),
            self.actions_by_name,
            {
                RECENT: self._add_recent_menu,
                THEME_MENU: self._add_theme_menu,
                LANGUAGES: self._add_language_menu,
            },
        )
        self.memory = SessionMemory(self.settings, self.splitter, self.right, self.list.horizontalHeader())
        self.display = ArchiveDisplay(
            self.session,
            self.settings,
            tree=self.tree,
            pane=self.list_pane,
            viewer=self.viewer,
            navigation=self.navigation,
            memory=self.memory,
            saving=self.saving,
            counts=self.counts,
            progress=self.progress,
            remote_images=self.actions_by_name["remote_images"],
            search=self.search if background else None,
            marks_first_post=background,
            parent=self,
        )
        self._connect_parts()
        self.memory.restore_window(self)
        self.appearance.start()
        # A bound method of this window: Qt drops the connection when the window goes.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._follow_system_theme)
        self.saving.check()  # a settings folder that cannot be made
        self.viewer.show_message(
            self.tr("Welcome to Reader"), self.tr("Open a folder of posts with File → Open Folder… (Ctrl+O).")
        )

    # --- building --------------------------------------------------------------------

    def _build_views(self) -> None:
        """The tree, the list under the search bar, the reading pane over the find bar."""
        self.nav_model = NavModel(self)
        self.tree = nav_tree(self.nav_model)
        self.post_model = PostTableModel(self)
        self.list = post_list(self.post_model, self.fontMetrics().height() + 8)
        self.search_bar = SearchBar()
        self.search_box, self.search_count = self.search_bar.field, self.search_bar.count
        self.list_pane = ListPane(self.search_bar, self.list)
        self.list_stack, self.list_message = self.list_pane.stack, self.list_pane.message
        self.viewer = Viewer()
        self.viewer.set_remote_images(self.remote_images)
        self.find_bar = FindBar()
        reading_pane = QWidget()
        reading_layout = QVBoxLayout(reading_pane)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(0)
        reading_layout.addWidget(self.viewer, 1)
        reading_layout.addWidget(self.find_bar)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.list_pane)
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

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.counts = PostCounts(self.session, self.nav_model)
        self.index_status = QLabel()  # the search index's progress, or the offline fetch's
        self.index_status.hide()
        self.git_status = QLabel()  # an update or download from git: its progress
        self.git_status.hide()
        # Shown while marks or the session cannot be written (its tooltip says why).
        self.saving_status = SavingStatus()
        for widget in (self.saving_status, self.git_status, self.index_status, self.progress, self.counts):
            self.statusBar().addPermanentWidget(widget)

    def _build_parts(self) -> None:
        """The parts that act on the views (the table of actions names their methods)."""
        self.marking = Marking(self.session, self.nav_model, self.post_model, self)
        self.navigation = Navigation(
            self.session, self.tree, self.list_pane, self.viewer, self.marking, parent=self
        )
        self.search = SearchService(self)
        self.search_results = SearchResults(
            self.search, self.list_pane, self.navigation, self.nav_model, self.index_status, parent=self
        )
        self.find_in_post = FindInPost(self.find_bar, self.viewer, self.search_bar, self)
        self.post_links = PostLinks(self.viewer, self.session, self.navigation, self)
        self.appearance = Appearance(self.viewer, self.settings)
        self.saving = SavingWatch(self.session, self.settings, self.saving_status, self)
        self.printing = PostPrinting(self.viewer, self)
        self.updates = ArchiveUpdates(self.session, self.settings, self.git_status, self)
        self.images = ImageActions(
            self.offline,
            self.session,
            self.settings,
            navigation=self.navigation,
            viewer=self.viewer,
            status=self.index_status,
            parent=self,
        )
        self.marks_actions = MarksActions(
            self.session,
            self.settings,
            marking=self.marking,
            navigation=self.navigation,
            nav_model=self.nav_model,
            post_model=self.post_model,
            counts=self.counts,
            saving=self.saving,
            parent=self,
        )

    def _connect_parts(self) -> None:
        """What the parts say, to the status bar, the dialogs and the window's signals."""
        status = self.statusBar()
        parts = (self.display, self.navigation, self.post_links, self.saving, self.images, self.printing)
        for part in (*parts, self.updates):
            part.said.connect(status.showMessage)
        self.session.watch_failed.connect(
            lambda message: status.showMessage(self.tr("Not following changes on disk: %s") % message, 8000)
        )
        self.search.failed.connect(
            lambda message: status.showMessage(self.tr("Search index unavailable: %s") % message, 8000)
        )
        self.display.informed.connect(self._inform)
        self.display.titled.connect(self.setWindowTitle)
        self.display.replacing.connect(self.save_session)
        self.display.posts_shown.connect(self.posts_shown)
        self.display.loaded.connect(self.archive_loaded)
        self.display.load_failed.connect(self.load_failed)
        self.saving.lost.connect(self._tell_not_saved)
        self.search_results.shown.connect(self.search_results_shown)
        self.search_results.counted.connect(self.counts.show_matches)
        self.tree.selectionModel().currentChanged.connect(
            lambda *_: self.counts.show_node(self.navigation.current_node())
        )
        self.search_results.ready.connect(self.search_ready)
        self.images.running_changed.connect(self.actions_by_name["offline_cancel"].setEnabled)
        self.images.remote_changed.connect(self.actions_by_name["remote_images"].setChecked)
        if self._background:  # not for a screenshot: no background work
            self.display.loaded.connect(self.updates.archive_shown)
        self.updates.available_changed.connect(self.actions_by_name["update_archive"].setEnabled)
        self.updates.informed.connect(self._inform)
        self.updates.running_changed.connect(self.actions_by_name["git_cancel"].setEnabled)
        self.updates.open_wanted.connect(self.open_archive)
        self.updates.reload_wanted.connect(lambda root: self.open_archive(root, quiet=True))

    def _add_recent_menu(self, menu: QMenu) -> None:
        self.recent_menu = RecentMenu(self.settings, self)
        self.recent_menu.chosen.connect(self.open_archive)
        menu.addMenu(self.recent_menu)

    def _add_theme_menu(self, menu: QMenu) -> None:
        self.theme_actions = add_theme_menu(menu, self.appearance.theme, self.set_theme)
        self.appearance.theme_actions.update(self.theme_actions)

    def _add_language_menu(self, menu: QMenu) -> None:
        self.language_actions = add_language_menu(menu, self.settings.get(LANGUAGE), self.set_language)

    # --- the archive -----------------------------------------------------------------

    def open_archive(
        self, root: Path | str, *, full: bool = False, quiet: bool = False, changed: set[str] | None = None
    ) -> None:
        """Start loading ``root``; the current archive stays until the new one is ready.

        ``full`` ignores the load cache (F5); ``quiet`` is a refresh after the folder
        changed on disk: no progress bar; ``changed``, the paths that changed, so that
        only those files are read again.
        """
        self.display.load(Path(root).expanduser(), full=full, quiet=quiet, changed=changed)

    def choose_folder(self) -> None:
        """File → Open Folder… (see folder_dialog: where it starts, what it gives)."""
        root = self.archive.root if self.archive is not None else None
        folder = folder_dialog.choose_folder(self, self.tr("Open Folder"), root)
        if folder:
            self.open_archive(folder)

    def reload(self) -> None:
        """F5: read the whole folder again, ignoring the load cache."""
        if self.archive is not None:
            self.open_archive(self.archive.root, full=True)

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

    @property
    def warnings(self) -> list[str]:
        """Every warning said about marks and the session, oldest first."""
        return self.saving.warnings

    # --- navigation (the parts' own, named here for scripts and tests) -----------------

    def current_node(self) -> NavNode | None:
        return self.navigation.current_node()

    def select_node_path(self, path: str) -> bool:
        return self.navigation.select_node_path(path)

    def current_post(self) -> Any:
        return self.navigation.current_post()

    def current_post_index(self) -> int | None:
        return self.navigation.current_post_index()

    def select_post_key(self, key: str, *, mark: bool = True) -> bool:
        """Select a post by key, moving the tree to All posts when this node lacks it."""
        return self.navigation.select_post_key(key, mark=mark)

    def follow_link(self, url: str) -> None:
        self.post_links.follow(url)

    @property
    def last_link_target(self) -> LinkTarget | None:
        """Where the last link followed led."""
        return self.post_links.last_target

    # --- session and closing -----------------------------------------------------------

    def save_session(self) -> None:
        post = self.current_post() if self.archive is not None else None
        root = self.archive.root if self.archive is not None else None
        self.memory.save(self, root, self.navigation.node_path, post.key if post is not None else None)
        self.settings.set(ZOOM, self.appearance.zoom_level)
        self.settings.sync()
        self.saving.check()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.closed = True
        self.save_session()
        self.images.cancel()
        self.updates.cancel(wait=5.0)  # a clone removes its partial folder, an update stops
        self.session.close()
        self.search.shutdown()
        self.saving.session_lost()
        self.saving.close_marks(closing=True)
        super().closeEvent(event)

    def _tell_not_saved(self, text: str, closing: bool) -> None:
        if closing:  # the window goes: asked before it does
            QMessageBox.warning(self, self.tr("Not saved"), text)
        else:
            self._inform(self.tr("Not saved"), text)

    def _inform(self, title: str, text: str) -> None:
        dialogs.inform(self, title, text)

    # --- appearance --------------------------------------------------------------------

    def set_theme(self, theme: str, *, remember: bool = True) -> None:
        """System (follows the desktop), Light or Dark; remembered, unless ``remember``
        is False (``reader --theme``: this run only, as ``--lang``)."""
        self.appearance.set_theme(theme, remember=remember)

    @property
    def theme(self) -> str:
        return self.appearance.theme

    @property
    def theme_mode(self) -> str:
        """What the theme means now: "light" or "dark"."""
        return self.appearance.theme_mode

    def _follow_system_theme(self, _scheme: object = None) -> None:
        self.appearance.follow_system()

    def set_language(self, code: str) -> None:
        """Remember the interface language; it applies at the next start."""
        self.settings.set(LANGUAGE, code)
        self.statusBar().showMessage(
            self.tr("The interface language changes the next time Reader starts."), 8000
        )

    @property
    def zoom_level(self) -> int:
        return self.appearance.zoom_level

    # --- dialogs -----------------------------------------------------------------------

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return dialogs.shortcut_rows(self.actions())

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog = dialogs.shortcuts_dialog(self, self.shortcut_rows())

    def show_about(self) -> None:
        dialogs.show_about(self)

    # --- drag and drop -------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        folder_drop.accept_folder(event)

    def dropEvent(self, event: QDropEvent) -> None:
        folder = folder_drop.dropped_folder(event)
        if folder is not None:
            self.open_archive(folder)
