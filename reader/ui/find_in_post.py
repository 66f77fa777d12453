"""Find in the post shown: the find bar under the reading pane marks every match of
what it holds, counts them and moves between them; closed, the pane marks the search's
terms again. Ctrl+F opens it when the reading pane has the focus, else goes to search."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from reader.core.search import parse_query
from reader.ui.find_bar import FindBar
from reader.ui.search_bar import SearchBar
from reader.ui.viewer import Viewer


class FindInPost(QObject):
    def __init__(
        self, bar: FindBar, viewer: Viewer, search_bar: SearchBar, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._bar = bar
        self._viewer = viewer
        self._search_bar = search_bar
        bar.field.textChanged.connect(self.find)
        bar.next_button.clicked.connect(lambda: viewer.find_highlight(False))
        bar.previous_button.clicked.connect(lambda: viewer.find_highlight(True))
        bar.closed.connect(self._closed)

    def find_or_search(self) -> None:
        """Ctrl+F: find in the post when the reading pane has the focus, else search."""
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self._viewer or self._bar.isAncestorOf(focus)):
            self._bar.open()
        else:
            self._search_bar.focus()

    def find(self, text: str) -> None:
        """Mark every match of ``text`` in the post and go to the first."""
        count = self._viewer.highlight([text]) if text.strip() else self._viewer.highlight([])
        self._bar.count.setText(self.tr("%n matches", "", count) if text.strip() else "")
        if count:
            cursor = self._viewer.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self._viewer.setTextCursor(cursor)
            self._viewer.find_highlight(False)

    def _closed(self) -> None:
        text = self._search_bar.text()
        self._viewer.highlight(parse_query(text).highlight_terms if text else [])
        self._viewer.setFocus()
