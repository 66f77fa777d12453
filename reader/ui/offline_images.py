"""File → Make Available Offline: fetching every remote image of some posts, with its
progress, and clearing the image cache. Texts in the window's context ("MainWindow");
the window words the outcome (its plurals need lupdate to see ``self.tr``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal

from reader.core.archive import Archive
from reader.ui.remote_images import OfflineJob, RemoteImages


class OfflineImages(QObject):
    """One fetch at a time; says how it goes in words for the status bar."""

    progress_text = Signal(str)  # how far it is; "" when over
    finished = Signal(str, int, int)  # once over: where, images fetched, images that failed
    running_changed = Signal(bool)

    def __init__(self, remote_images: RemoteImages, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.remote_images = remote_images
        self.job: OfflineJob | None = None
        self._where = ""  # what the posts are (the tree's node), for the message at the end

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def start(self, archive: Archive, post_indexes: list[int], where: str) -> None:
        """Fetch the images of ``archive``'s posts at ``post_indexes`` (unless a fetch runs)."""
        if self.running:
            return
        self._where = where
        job = OfflineJob(self.remote_images, archive, post_indexes)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        self.job = job
        self.running_changed.emit(True)
        self.progress_text.emit(QCoreApplication.translate("MainWindow", "Looking for images…"))
        job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()

    def clear_cache(self) -> str:
        """Stop fetching and forget every image kept; what to say."""
        self.cancel()
        self.remote_images.cache.clear()
        self.remote_images.forget()
        return QCoreApplication.translate("MainWindow", "Image cache cleared.")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress_text.emit(
            QCoreApplication.translate("MainWindow", "Images for offline reading: %1 of %2")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def _on_finished(self, fetched: int, failed: int) -> None:
        self.running_changed.emit(False)
        self.progress_text.emit("")
        self.finished.emit(self._where, fetched, failed)
