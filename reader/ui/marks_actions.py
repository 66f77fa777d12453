"""The Post menu's marks: the post shown read, unread, starred; every post of the list
read (asking first when they are many); and every :data:`STATE_POLL_MS`, the marks
another Reader window made on the same archive, and the marks and session not written
yet, written once they can be."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from reader.ui.archive_session import ArchiveSession
from reader.ui.marking import Marking
from reader.ui.nav_model import NavModel
from reader.ui.navigation import Navigation
from reader.ui.post_counts import PostCounts
from reader.ui.post_model import PostTableModel
from reader.ui.saving_watch import SavingWatch
from reader.ui.settings import Settings

#: Marking every post of a node read asks first above this many posts.
CONFIRM_MARK_ALL_ABOVE = 100
#: How often marks made by another Reader window on the same archive are picked up (ms).
STATE_POLL_MS = 2000


class MarksActions(QObject):
    def __init__(
        self,
        session: ArchiveSession,
        settings: Settings,
        *,
        marking: Marking,
        navigation: Navigation,
        nav_model: NavModel,
        post_model: PostTableModel,
        counts: PostCounts,
        saving: SavingWatch,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self._marking = marking
        self._navigation = navigation
        self._nav_model = nav_model
        self._post_model = post_model
        self._counts = counts
        self._saving = saving
        marking.changed.connect(self._after_marks)
        self._poll = QTimer(self)
        self._poll.setInterval(STATE_POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._poll.start()

    def toggle_read(self) -> None:
        index = self._navigation.current_post_index()
        if index is not None:
            self._marking.toggle_read(index)

    def set_current_read(self, read: bool) -> None:
        index = self._navigation.current_post_index()
        if index is not None:
            self._marking.set_marks([index], read=read)

    def toggle_star(self) -> None:
        index = self._navigation.current_post_index()
        if index is not None:
            self._marking.toggle_star(index)

    def confirm_mark_all(self, count: int) -> bool:
        """Asked before marking more than :data:`CONFIRM_MARK_ALL_ABOVE` posts read."""
        answer = QMessageBox.question(
            self._counts.window(),
            self.tr("Mark all as read"),
            self.tr("Mark all %n posts in this view as read?", "", count),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def mark_all_read(self) -> None:
        unread = self._marking.unread(self._post_model.post_indexes())
        if not unread:
            return
        if len(unread) > CONFIRM_MARK_ALL_ABOVE and not self.confirm_mark_all(len(unread)):
            return
        self._marking.set_marks(unread, read=True)

    def poll(self) -> None:
        """Marks from other windows; and the marks and session not written yet, written
        once they can be."""
        if self._settings.problem is not None:
            self._settings.sync()
        state = self._session.state
        if state is not None and state.refresh():
            self._nav_model.recount()
            self._post_model.refresh_all()
            self._counts.refresh()
        self._saving.check()

    def _after_marks(self) -> None:
        self._counts.refresh()
        self._saving.check()  # a mark not written is kept, and said so
