"""The post list: a table model over the core's records, for the posts of one tree node.

Rows are post indexes into ``Archive.posts``; the model sorts them itself (with keys
precomputed once per archive), so sorting 100,000 posts is one ``list.sort`` and
``data()`` creates nothing per call beyond the text it returns, which is cached.
The title order is worked out once per archive while the window is idle, in slices of
a few milliseconds, so sorting by title then sorts integers.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterator
from datetime import tzinfo
from itertools import islice
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from reader.core import dates, names
from reader.core.archive import Archive
from reader.core.post import Post
from reader.core.state import StateStore

Index = QModelIndex | QPersistentModelIndex

TITLE, DATE, CATEGORY = range(3)
#: Posts handled per idle slice while working out the title order (a few ms each).
SLICE = 5000


def _symbol_icon(symbol: str, colour: str) -> QIcon:
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    font = QFont()
    font.setPixelSize(26)
    painter.setFont(font)
    painter.setPen(QColor(colour))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, symbol)
    painter.end()
    return QIcon(pixmap)


def format_post_date(post: Post, locale: QLocale, zone: tzinfo | None) -> str:
    """The post's date in the user's locale, in the site's zone ``zone`` (else the
    system's): every post in one zone, so that a list sorted by date reads sorted."""
    when = dates.shown_time(post, zone)
    if locale.language() == QLocale.Language.C:
        return when.strftime("%Y-%m-%d %H:%M")  # no locale set: ISO, not Qt's C format
    moment = QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))
    return locale.toString(moment, QLocale.FormatType.ShortFormat)


class PostTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._archive: Archive | None = None
        self._state: StateStore | None = None
        self._rows: list[int] = []
        self._row_of_cache: dict[int, int] | None = {}
        self._title_sorted: array[int] | None = None
        self._sort_column = DATE
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._dates: dict[int, str] = {}
        self._title_keys: list[str] | None = None
        self._category_keys: list[str] | None = None
        self._locale = QLocale()
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._icons: dict[str, QIcon] = {}
        self._headers = [self.tr("Title"), self.tr("Date"), self.tr("Category")]
        self._title_rank: array[int] | None = None
        self._title_steps: Iterator[None] | None = None
        self._idle = QTimer(self)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._title_step)

    # --- content ---------------------------------------------------------------------

    def set_archive(self, archive: Archive | None, state: StateStore | None) -> None:
        self.beginResetModel()
        self._archive, self._state = archive, state
        self._rows, self._row_of_cache, self._dates = [], {}, {}
        self._title_sorted = None
        self._title_keys = self._category_keys = None
        self._title_rank = None
        self._title_steps = self._title_order(archive) if archive is not None else None
        self.endResetModel()
        if self._title_steps is not None:
            self._idle.start()

    @property
    def title_order_ready(self) -> bool:
        return self._title_rank is not None

    def _title_step(self) -> None:
        if self._title_steps is None or next(self._title_steps, StopIteration) is StopIteration:
            self._idle.stop()
            self._title_steps = None

    def _title_order(self, archive: Archive) -> Iterator[None]:
        """Each post's place in title order (equal titles share one), in idle slices:
        keys, then sorted runs, then a merge of the runs."""
        posts = archive.posts
        count = len(posts)
        keys: list[str] = []
        for start in range(0, count, SLICE):
            keys.extend(post.title.casefold() for post in posts[start : start + SLICE])
            yield
        runs = []
        for start in range(0, count, SLICE):
            runs.append(sorted(range(start, min(count, start + SLICE)), key=keys.__getitem__))
            yield
        rank = [0] * count
        merged = heapq.merge(*runs, key=keys.__getitem__)
        ordered: list[int] = []
        group, previous = -1, None
        while True:
            chunk = list(islice(merged, SLICE))
            if not chunk:
                break
            ordered.extend(chunk)
            for index in chunk:
                key = keys[index]
                if key != previous:
                    group, previous = group + 1, key
                rank[index] = group
            yield
        if self._archive is archive:
            # Arrays, not lists: the garbage collector never walks an array's items.
            self._title_rank = array("l", rank)
            self._title_sorted = array("l", ordered)

    def set_rows(self, indexes: list[int], *, ranked: bool = False) -> None:
        """Show these posts: in the current sort order, or as given when ``ranked``
        (search results, best first; sorting by a column still works afterwards)."""
        self.beginResetModel()
        self._rows = list(indexes)
        if ranked:
            self._row_of_cache = None
        else:
            self._sort_rows()
        self.endResetModel()

    @property
    def archive(self) -> Archive | None:
        return self._archive

    def post_index(self, row: int) -> int:
        return self._rows[row]

    def post_at(self, row: int) -> Post | None:
        if self._archive is None or not (0 <= row < len(self._rows)):
            return None
        return self._archive.posts[self._rows[row]]

    def row_of_post(self, post_index: int) -> int:
        if self._row_of_cache is None:
            # One lookup: a C-level scan of the rows (~1 ms at 100,000) rather than making
            # the whole map (~9 ms), in the turn that shows a loaded archive.
            try:
                return self._rows.index(post_index)
            except ValueError:
                return -1
        return self._row_of_cache.get(post_index, -1)

    @property
    def _row_of(self) -> dict[int, int]:
        if self._row_of_cache is None:
            self._row_of_cache = {post_index: row for row, post_index in enumerate(self._rows)}
        return self._row_of_cache

    def post_indexes(self) -> list[int]:
        return list(self._rows)

    def posts_changed(self, post_indexes: list[int]) -> None:
        """Read or starred state of these posts changed: repaint their rows."""
        rows = [r for r in (self._row_of.get(i, -1) for i in post_indexes) if r >= 0]
        if not rows:
            return
        self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), CATEGORY))

    def refresh_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, CATEGORY))

    # --- sorting ---------------------------------------------------------------------

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def _sort_rows(self) -> None:
        archive = self._archive
        if archive is None:
            return
        posts = archive.posts
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        if self._sort_column == TITLE and self._title_rank is not None:
            if self._title_sorted is not None and not reverse and len(self._rows) == len(posts):
                self._rows = list(self._title_sorted)  # every post: the order is at hand
            else:
                # Index order is newest first and sorts are stable: ties stay newest first.
                self._rows.sort()
                self._rows.sort(key=self._title_rank.__getitem__, reverse=reverse)
        elif self._sort_column == TITLE:
            if self._title_keys is None:
                self._title_keys = [post.title.casefold() for post in posts]
            # Index order is newest first and sorts are stable: ties stay newest first.
            self._rows.sort()
            self._rows.sort(key=self._title_keys.__getitem__, reverse=reverse)
        elif self._sort_column == CATEGORY:
            if self._category_keys is None:
                self._category_keys = [
                    (post.categories[0] if post.categories else "").casefold() for post in posts
                ]
            self._rows.sort()
            self._rows.sort(key=self._category_keys.__getitem__, reverse=reverse)
        else:
            # Archive.posts is newest first: the index order is the date order.
            self._rows.sort(reverse=not reverse)
        self._row_of_cache = None  # built when first asked for

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self._rows[i.row()], i.column()) if i.row() < len(self._rows) else None for i in persistent]
        self._sort_rows()
        new = [self.index(self._row_of[k[0]], k[1]) if k is not None else QModelIndex() for k in kept]
        self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    # --- QAbstractTableModel ---------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 3
        ):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._archive is None:
            return None
        row = index.row()
        if not (0 <= row < len(self._rows)):
            return None
        post_index = self._rows[row]
        post = self._archive.posts[post_index]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(post, post_index, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(post)
        if role == Qt.ItemDataRole.DecorationRole and column == TITLE:
            return self._decoration(post)
        if role == Qt.ItemDataRole.ForegroundRole and not post.published:
            # From the palette now: the theme can change while the list is shown.
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE:
            return self._tooltip(post)
        return None

    def _display(self, post: Post, post_index: int, column: int) -> str:
        if column == TITLE:
            return post.title or self.tr("(untitled)")
        if column == DATE:
            text = self._dates.get(post_index)
            if text is None:
                text = self._dates[post_index] = format_post_date(
                    post, self._locale, self._archive.config.zone if self._archive else None
                )
            return text
        return names.shown(", ".join(post.categories))

    def _font(self, post: Post) -> QFont | None:
        state = self._state
        if state is not None and post.key not in state.read:
            return self._bold
        if not post.published:
            return self._italic
        return None

    def _decoration(self, post: Post) -> QIcon | None:
        state = self._state
        if state is not None and post.key in state.starred:
            return self._icon("★", "#d4a017")
        if post.problems:
            return self._icon("⚠", "#c0392b")
        return None

    def _tooltip(self, post: Post) -> str:
        notes = []
        if not post.published:
            notes.append(self.tr("Draft") if post.draft else self.tr("Unpublished"))
        notes.extend(post.problems)
        return "\n".join([post.title, *notes]) if notes else post.title

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def _icon(self, symbol: str, colour: str) -> QIcon:
        icon = self._icons.get(symbol)
        if icon is None:
            icon = self._icons[symbol] = _symbol_icon(symbol, colour)
        return icon
