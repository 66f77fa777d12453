"""The search field above the post list, with the count of matches beside it.

It says when typing pauses (:attr:`SearchBar.paused`, after :data:`SEARCH_DEBOUNCE_MS`)
and when the reader leaves it for the list (Escape clears it; Down, Return or Enter keep
it); the window runs the search and moves the focus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStyle, QWidget

# Typing pauses this long before a search runs (ms).
SEARCH_DEBOUNCE_MS = 200


class SearchBar(QWidget):
    paused = Signal()  # typing paused: time to search
    left = Signal(bool)  # the reader leaves for the list: True to pick its first post

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText(self.tr("Search titles and text (/ or Ctrl+F)"))
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName(self.tr("Search"))
        self.field.installEventFilter(self)
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Matches"))
        row = QHBoxLayout(self)
        # A margin on the right: the count would otherwise touch the window's edge.
        right = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutRightMargin)
        row.setContentsMargins(0, 0, max(right, 6), 4)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self.paused)
        self.field.textChanged.connect(lambda _text: self._timer.start())

    def text(self) -> str:
        """What is searched for (without surrounding spaces)."""
        return self.field.text().strip()

    def focus(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.field.clear()
                self.left.emit(False)
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.left.emit(True)
                return True
        return super().eventFilter(watched, event)
