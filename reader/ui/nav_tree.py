"""The navigation tree: all posts, unread, starred, categories, tags and months, each
with its unread and total counts (see :class:`NavModel`).

A plain QTreeView set up here, not a subclass: the virtual calls a view makes while it
draws would each go through Python (and wait for the GIL a loading thread holds)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHeaderView, QStyle, QTreeView

from reader.ui.nav_model import NavModel


def nav_tree(model: NavModel) -> QTreeView:
    tree = QTreeView()
    tree.setModel(model)
    tree.setHeaderHidden(True)
    tree.setUniformRowHeights(True)
    tree.setAccessibleName(QCoreApplication.translate("NavTree", "Categories, tags and archive"))
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    # Sized by hand (see fit_count_column): sized to its contents, every change of a
    # count made the tree measure every row again.
    tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
    return tree


def fit_count_column(tree: QTreeView, total: int) -> None:
    """The count column, as wide as its widest text: "N / N" for every post."""
    metrics = tree.fontMetrics()
    margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree)
    width = metrics.horizontalAdvance(f"{total} / {total}") + 2 * margin + metrics.averageCharWidth()
    tree.header().resizeSection(1, width)
