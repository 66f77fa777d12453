"""The images of remote posts, as the menus act on them: View → Load Remote Images
(remembered for each archive), File → Make Available Offline for the node chosen (its
progress in the status bar's corner), Stop Fetching Images, Clear Image Cache."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from reader.ui.archive_session import ArchiveSession
from reader.ui.nav_model import ALL
from reader.ui.navigation import Navigation
from reader.ui.offline_images import OfflineImages
from reader.ui.remote_images import OfflineJob
from reader.ui.settings import REMOTE_IMAGES, Settings
from reader.ui.viewer import Viewer


class ImageActions(QObject):
    said = Signal(str, int)  # a status message and how long it shows (ms)
    remote_changed = Signal(bool)  # remote images are loaded now, or not
    running_changed = Signal(bool)  # a fetch for offline reading runs, or not

    def __init__(
        self,
        offline: OfflineImages,
        session: ArchiveSession,
        settings: Settings,
        *,
        navigation: Navigation,
        viewer: Viewer,
        status: QLabel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._offline = offline
        self._session = session
        self._settings = settings
        self._navigation = navigation
        self._viewer = viewer
        self._status = status  # shared with the search index's progress
        offline.progress_text.connect(self._show_progress)
        offline.finished.connect(self._on_finished)
        offline.running_changed.connect(self.running_changed)

    @property
    def job(self) -> OfflineJob | None:
        return self._offline.job

    def set_remote(self, enabled: bool) -> None:
        """View → Load Remote Images, remembered for this archive."""
        self.remote_changed.emit(enabled)
        if self._session.archive is not None:
            self._settings.archive_set(self._session.archive.root, REMOTE_IMAGES, enabled)
        self._viewer.set_remote_enabled(enabled)

    def make_available_offline(self) -> None:
        """Fetch every remote image of the selected node's posts (all posts: the archive)."""
        archive = self._session.archive
        if archive is None:
            return
        node = self._navigation.current_node()
        tree_model = self._navigation.nav_model
        indexes = (
            tree_model.post_indexes(node)
            if node is not None and node.kind != ALL
            else list(range(len(archive.posts)))
        )
        self._offline.start(archive, indexes, node.label if node is not None else "")

    def cancel(self) -> None:
        self._offline.cancel()

    def clear_cache(self) -> None:
        self.said.emit(self._offline.clear_cache(), 5000)

    def _show_progress(self, text: str) -> None:
        self._status.setText(text)
        self._status.setVisible(bool(text))

    def _on_finished(self, where: str, fetched: int, failed: int) -> None:
        message = self.tr("%n images available offline", "", fetched)
        if failed:
            message += " · " + self.tr("%n could not be fetched", "", failed)
        self.said.emit(f"{where}: {message}", 10000)
