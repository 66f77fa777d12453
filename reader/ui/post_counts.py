"""The status bar's count of the archive shown: its posts, and how many are unread (the
tree's count of all posts)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from reader.ui.archive_session import ArchiveSession
from reader.ui.nav_model import NavModel


class PostCounts(QLabel):
    def __init__(self, session: ArchiveSession, nav_model: NavModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._nav_model = nav_model

    def refresh(self) -> None:
        archive = self._session.archive
        if archive is None or self._session.state is None:
            self.clear()
            return
        total, unread = len(archive.posts), self._nav_model.unread_total
        self.setText(self.tr("%1 posts · %2 unread").replace("%1", str(total)).replace("%2", str(unread)))
