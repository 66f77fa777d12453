"""Moving through the archive shown: the tree's node, the post selected in the list and
shown in the reading pane, the next and previous post, the next unread one.

Selecting a post marks it read (through :class:`Marking`), unless the move was not the
reader's (a post kept across a change of node, a search, a load). When a node is chosen
while a search is typed, :attr:`Navigation.search_again` asks for the search to run
within it; the window connects that to its search results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Signal
from PySide6.QtWidgets import QTreeView

from reader.core.search import parse_query
from reader.ui.archive_session import ArchiveSession
from reader.ui.marking import Marking
from reader.ui.nav_model import ALL, NavModel, NavNode
from reader.ui.post_list import ListPane
from reader.ui.post_model import PostTableModel, format_post_date
from reader.ui.viewer import Viewer


class Navigation(QObject):
    search_again = Signal()  # a node was chosen while a search is typed: search within it
    said = Signal(str, int)  # a status message and how long it shows (ms)

    def __init__(
        self,
        session: ArchiveSession,
        tree: QTreeView,
        pane: ListPane,
        viewer: Viewer,
        marking: Marking,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._tree = tree
        self.nav_model: NavModel = tree.model()  # type: ignore[assignment]
        self._pane = pane
        self._list = pane.view
        self._post_model: PostTableModel = pane.view.model()  # type: ignore[assignment]
        self._viewer = viewer
        self._marking = marking
        self._mark_on_select = True  # selecting a post marks it read
        self.node_path = f"{ALL}/"  # the path of the node chosen last
        tree.selectionModel().currentChanged.connect(self.on_node_changed)
        self._list.selectionModel().currentRowChanged.connect(self._on_post_changed)
        self._list.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self._after_sort())

    def _search_text(self) -> str:
        return self._pane.search_bar.text()

    # --- the tree --------------------------------------------------------------------

    def current_node(self) -> NavNode | None:
        return self.nav_model.node(self._tree.currentIndex())

    def select_node_path(self, path: str) -> bool:
        index = self.nav_model.index_of_path(path)
        if not index.isValid():
            return False
        self._tree.setCurrentIndex(index)
        self._tree.scrollTo(index)
        return True

    def show_node(self, node: NavNode) -> None:
        """The posts of ``node`` in the list again (a search was cleared)."""
        self.on_node_changed(self.nav_model.index_of_path(node.path), QModelIndex())

    def on_node_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.nav_model.node(current)
        if node is None:
            return
        if node.kind == "group":
            # A group heading (Categories, Tags, Archive): open it and ask for a choice below.
            self._tree.setExpanded(current, True)
        kept = self.current_post_index()
        self.node_path = node.path
        rows = self.nav_model.post_indexes(node) if node.kind != "group" else []
        if self._search_text():
            self._post_model.set_rows([])
            self.search_again.emit()
            return
        self._post_model.set_rows(rows)
        if not rows:
            if node.kind == "group":
                self._pane.show_message(self.tr("Choose a category, tag or month in %s.") % node.label)
            else:
                self._pane.show_message(self.tr("No posts in %s.") % node.label)
            self._viewer.show_message(node.label, self.tr("Nothing to show here."))
            return
        self._pane.show_list()
        row = self._post_model.row_of_post(kept) if kept is not None else -1
        if row >= 0:
            self.select_row(row, mark=False)
        else:
            self._list.clearSelection()
            self._list.setCurrentIndex(QModelIndex())
            self._viewer.show_message(
                node.label,
                self.tr("%n posts. Select one to read it, or press N for the next unread.", "", len(rows)),
            )

    def show_matches(self, count: int, query: str) -> None:
        """A search's ``count`` matches are listed: with no post chosen, the reading pane
        says how many, instead of the node's count of posts."""
        if self.current_post_index() is not None:
            return
        node = self.current_node()
        label = node.label if node is not None else ""
        if count:
            text = self.tr("%n posts match “%1”. Select one to read it.", "", count)
        else:
            text = self.tr("No posts match “%1”.")
        self._viewer.show_message(label, text.replace("%1", query))

    # --- the list --------------------------------------------------------------------

    def current_post_index(self) -> int | None:
        index = self._list.currentIndex()
        if not index.isValid():
            return None
        return self._post_model.post_index(index.row())

    def current_post(self) -> Any:
        index = self._list.currentIndex()
        return self._post_model.post_at(index.row()) if index.isValid() else None

    def select_row(self, row: int, *, mark: bool = True) -> None:
        self._mark_on_select = mark
        index = self._post_model.index(row, 0)
        self._list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self._list.scrollTo(index)
        self._mark_on_select = True

    def select_post_key(self, key: str, *, mark: bool = True) -> bool:
        """Select a post by key, moving the tree to All posts when this node lacks it."""
        archive = self._session.archive
        if archive is None or key not in archive.by_key:
            return False
        post_index = archive.by_key[key]
        row = self._post_model.row_of_post(post_index)
        if row < 0:
            self.select_node_path(f"{ALL}/")
            row = self._post_model.row_of_post(post_index)
        if row < 0:
            return False
        self.select_row(row, mark=mark)
        return True

    def mark_shown_read(self) -> None:
        """Mark the post shown read (one the window chose to show, once it is counted)."""
        index = self.current_post_index()
        if index is not None and not self._marking.is_read(index):
            self._marking.set_marks([index], read=True)

    def keep_post(self, post_index: int | None) -> None:
        """Select ``post_index`` again if the list has it (not marking it read)."""
        row = self._post_model.row_of_post(post_index) if post_index is not None else -1
        if row >= 0:
            self.select_row(row, mark=False)

    def _on_post_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post = self._post_model.post_at(current.row()) if current.isValid() else None
        archive, state = self._session.archive, self._session.state
        if post is None or archive is None:
            return
        self._viewer.show_post(
            archive, post, format_post_date(post, self._viewer.locale(), archive.config.zone)
        )
        if self._search_text():
            self._viewer.highlight(parse_query(self._search_text()).highlight_terms)
        if self._mark_on_select and state is not None and post.key not in state.read:
            self._marking.set_marks([self._post_model.post_index(current.row())], read=True)

    def _after_sort(self) -> None:
        post = self.current_post_index()
        if post is not None:
            row = self._post_model.row_of_post(post)
            if row >= 0:
                self._list.scrollTo(self._post_model.index(row, 0))

    # --- moving ----------------------------------------------------------------------

    def move_post(self, step: int) -> None:
        count = self._post_model.rowCount()
        if count == 0:
            return
        current = self._list.currentIndex()
        row = current.row() + step if current.isValid() else (0 if step > 0 else count - 1)
        if 0 <= row < count:
            self.select_row(row)

    def next_unread(self) -> None:
        """The next unread post after this one in the list; else anywhere, from All posts."""
        archive, state = self._session.archive, self._session.state
        if archive is None or state is None:
            return
        read = state.read
        keys = archive.keys
        rows = self._post_model.post_indexes()
        current = self._list.currentIndex().row() if self._list.currentIndex().isValid() else -1
        for row in [*range(current + 1, len(rows)), *range(0, max(current, 0))]:
            if keys[rows[row]] not in read:
                self.select_row(row)
                return
        for key in keys:
            if key not in read:
                self.select_post_key(key)
                return
        self.said.emit(self.tr("No unread posts."), 5000)

    def page_or_next_unread(self) -> None:
        bar = self._viewer.verticalScrollBar()
        if self._viewer.post is not None and (bar.value() < bar.maximum() or self._viewer.preparing):
            # A big post still coming is not at its end: Space waits for it.
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        else:
            self.next_unread()
