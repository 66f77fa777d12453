"""The list of posts: title, date and category, one row each, sorted by a column (by
date, newest first, until the reader picks another).

A plain QTableView set up here, not a subclass: the virtual calls a view makes while it
draws would each go through Python (and wait for the GIL a loading thread holds)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from reader.ui.post_model import DATE, PostTableModel


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
