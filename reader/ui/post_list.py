"""The list of posts: title, date and category, one row each, sorted by a column (by
date, newest first, until the reader picks another).

A plain QTableView set up here, not a subclass: the virtual calls a view makes while it
draws would each go through Python (and wait for the GIL a loading thread holds)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.ui.post_model import DATE, PostTableModel
from reader.ui.search_bar import SearchBar


def post_list(model: PostTableModel, row_height: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(QCoreApplication.translate("PostList", "Posts"))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSortingEnabled(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    # Rows of one height: the list does not measure each row.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(1, 150)
    header.resizeSection(2, 140)
    header.setSortIndicator(DATE, Qt.SortOrder.DescendingOrder)
    return view


class ListPane(QWidget):
    """The search bar above the post list, or above a message in the list's place
    ("Loading…", "No posts in …", "No matches …")."""

    def __init__(self, search_bar: SearchBar, view: QTableView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_bar = search_bar
        self.view = view
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Post list message"))
        self.stack = QStackedWidget()
        self.stack.addWidget(view)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(search_bar)
        layout.addWidget(self.stack)

    def show_message(self, text: str) -> None:
        """``text`` in the list's place."""
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.view)
