"""The navigation tree: all posts, unread, starred, categories, tags and months, each
with its unread and total counts (see :class:`NavModel`)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QStyle, QTreeView, QWidget

from reader.ui.nav_model import NavModel


class NavTree(QTreeView):
    def __init__(self, model: NavModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setAccessibleName(self.tr("Categories, tags and archive"))
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized by hand (see fit_count_column): sized to its contents, every change of a
        # count made the tree measure every row again.
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)

    def fit_count_column(self, total: int) -> None:
        """The count column, as wide as its widest text: "N / N" for every post."""
        metrics = self.fontMetrics()
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        width = metrics.horizontalAdvance(f"{total} / {total}") + 2 * margin + metrics.averageCharWidth()
        self.header().resizeSection(1, width)
