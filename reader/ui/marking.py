"""Read and starred marks set from the window: on the marks store of the archive
shown, then on the tree's counts and the list's rows. The window says which posts
(the one shown, every unread one in the list) and asks before marking many."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from reader.ui.archive_session import ArchiveSession
from reader.ui.nav_model import NavModel
from reader.ui.post_model import PostTableModel


class Marking(QObject):
    changed = Signal()  # marks were set: counts to show, saving to check

    def __init__(
        self,
        session: ArchiveSession,
        nav_model: NavModel,
        post_model: PostTableModel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._nav_model = nav_model
        self._post_model = post_model

    def set_marks(
        self, post_indexes: list[int], *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Mark the posts at ``post_indexes`` (of the archive shown) read or unread,
        starred or not; None leaves that mark as it is."""
        archive, state = self._session.archive, self._session.state
        if archive is None or state is None or not post_indexes:
            return
        all_keys = archive.keys
        was_read = {i: all_keys[i] in state.read for i in post_indexes}
        was_starred = {i: all_keys[i] in state.starred for i in post_indexes}
        keys = [all_keys[i] for i in post_indexes]
        if read is not None:
            state.set_read(keys, read)
        if starred is not None:
            state.set_starred(keys, starred)
        self._nav_model.marks_changed(post_indexes, was_read, was_starred)
        self._post_model.posts_changed(post_indexes)
        self.changed.emit()

    def toggle_read(self, post_index: int) -> None:
        if self._session.archive is not None and self._session.state is not None:
            self.set_marks([post_index], read=not self.is_read(post_index))

    def toggle_star(self, post_index: int) -> None:
        archive, state = self._session.archive, self._session.state
        if archive is not None and state is not None:
            self.set_marks([post_index], starred=archive.keys[post_index] not in state.starred)

    def is_read(self, post_index: int) -> bool:
        archive, state = self._session.archive, self._session.state
        return archive is not None and state is not None and archive.keys[post_index] in state.read

    def unread(self, post_indexes: list[int]) -> list[int]:
        """Those of ``post_indexes`` not read."""
        archive, state = self._session.archive, self._session.state
        if archive is None or state is None:
            return []
        keys, read = archive.keys, state.read
        return [i for i in post_indexes if keys[i] not in read]
