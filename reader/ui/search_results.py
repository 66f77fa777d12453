"""Search as the window shows it: what the search bar holds, searched within the node
chosen (by :class:`SearchService`, off the UI thread), its matches in the list ranked,
their count beside the field, and the index's progress in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from reader.core.search import Hit
from reader.ui.nav_model import ALL, NavModel
from reader.ui.navigation import Navigation
from reader.ui.post_list import ListPane
from reader.ui.post_model import PostTableModel
from reader.ui.search import SearchService


class SearchResults(QObject):
    shown = Signal()  # the matches are in the list
    counted = Signal(int)  # how many posts match (-1: no search is active)
    ready = Signal()  # the index is complete

    def __init__(
        self,
        search: SearchService,
        pane: ListPane,
        navigation: Navigation,
        nav_model: NavModel,
        index_status: QLabel,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._pane = pane
        self._bar = pane.search_bar
        self._post_model: PostTableModel = pane.view.model()  # type: ignore[assignment]
        self._navigation = navigation
        self._nav_model = nav_model
        self._index_status = index_status
        self._bar.paused.connect(self.run)
        self._bar.left.connect(self._leave)
        navigation.search_again.connect(self.run)
        search.results.connect(self._on_results)
        search.progress.connect(self._on_index_progress)
        search.ready.connect(self._on_index_ready)

    def run(self) -> None:
        """Search within the selected node (debounced: called when typing pauses)."""
        node = self._navigation.current_node()
        text = self._bar.text()
        if not text:
            self._bar.count.clear()
            self.counted.emit(-1)
            if node is not None:
                self._navigation.show_node(node)
            return
        within = self._nav_model.post_indexes(node) if node is not None and node.kind != ALL else None
        self._bar.count.setText(self.tr("Searching…"))
        self._search.search(text, within)

    def _leave(self, pick_first: bool) -> None:
        """From the search field to the list (Escape, Down, Return)."""
        self._pane.view.setFocus()
        if pick_first and not self._pane.view.currentIndex().isValid() and self._post_model.rowCount():
            self._navigation.select_row(0)

    def _on_results(self, hits: list[Hit], indexed: bool) -> None:
        text = self._bar.text()
        if not text:
            return
        kept = self._navigation.current_post_index()
        self._post_model.set_rows([hit.post_index for hit in hits], ranked=True)
        count = self.tr("%n matches", "", len(hits))
        self._bar.count.setText(count if indexed else count + " · " + self.tr("indexing…"))
        self.counted.emit(len(hits))
        if not hits:
            node = self._navigation.current_node()
            where = node.label if node is not None else ""
            self._pane.show_message(
                self.tr("No matches for “%1” in %2.").replace("%1", text).replace("%2", where)
            )
            self._navigation.show_matches(0, text)
            return
        self._pane.show_list()
        self._navigation.keep_post(kept)
        self._navigation.show_matches(len(hits), text)
        self.shown.emit()

    def _on_index_progress(self, done: int, total: int) -> None:
        # Its own corner of the status bar: messages about the archive stay readable.
        text = self.tr("Indexing for search… %1 of %2").replace("%1", str(done)).replace("%2", str(total))
        self._index_status.setText(text)
        self._index_status.show()

    def _on_index_ready(self, _count: int) -> None:
        self._index_status.clear()
        self._index_status.hide()
        self.ready.emit()
        if self._bar.text():
            self.run()
