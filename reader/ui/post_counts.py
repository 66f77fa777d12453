"""The status bar's count of what the list shows: the selected node's posts and how many
of them are unread ("5 posts · 4 unread" for All posts, "markets: 3 posts · 1 unread"
for another node), or, while a search is active, how many of the node's posts match."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from reader.ui.archive_session import ArchiveSession
from reader.ui.nav_model import ALL, NavModel, NavNode


class PostCounts(QLabel):
    def __init__(self, session: ArchiveSession, nav_model: NavModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._nav_model = nav_model
        self._node_path = f"{ALL}/"  # the node counted (a heading counts the whole archive)
        self._matches: int | None = None  # the search's matches, while one is active

    def show_node(self, node: NavNode | None) -> None:
        """Count ``node`` from now on (None, or a heading: the whole archive)."""
        self._node_path = node.path if node is not None and node.counted else f"{ALL}/"
        self.refresh()

    def show_matches(self, count: int) -> None:
        """The search's matches (-1: no search is active)."""
        self._matches = count if count >= 0 else None
        self.refresh()

    def refresh(self) -> None:
        archive = self._session.archive
        if archive is None or self._session.state is None:
            self.clear()
            return
        if not self._nav_model.counted:
            return  # a load's counts come in a later turn (see ArchiveDisplay): till then, the last
        node = self._nav_model.node(self._nav_model.index_of_path(self._node_path))
        if node is None:
            node = self._nav_model.node(self._nav_model.index_of_path(f"{ALL}/"))
        if node is None:
            self.clear()
            return
        if self._matches is not None:
            text = self.tr("%n matches of %1 posts", "", self._matches).replace("%1", str(node.total))
        else:
            text = self.tr("%1 posts · %2 unread").replace("%1", str(node.total))
            text = text.replace("%2", str(node.unread))
        if node.kind != ALL:
            text = self.tr("%1: %2").replace("%1", node.label).replace("%2", text)
        self.setText(text)
