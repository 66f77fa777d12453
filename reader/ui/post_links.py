"""Where the post shown leads: links clicked in it (to another post, a category or tag
of the archive, the web, or the pane's own "show images" and "show the rest"), its
original address opened in the browser, and its text or address copied."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from reader.core import names
from reader.core.links import LinkTarget, classify
from reader.ui.archive_session import ArchiveSession
from reader.ui.navigation import Navigation
from reader.ui.viewer import Viewer


class PostLinks(QObject):
    said = Signal(str, int)  # a status message and how long it shows (ms)

    def __init__(
        self, viewer: Viewer, session: ArchiveSession, navigation: Navigation, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._viewer = viewer
        self._session = session
        self._navigation = navigation
        self.last_target: LinkTarget | None = None  # where the last link followed led
        viewer.link_activated.connect(self.follow)

    def follow(self, url: str) -> None:
        post = self._viewer.post
        target = classify(url, self._session.archive, post.path if post else "")
        if url == "reader:show-images":
            self._viewer.show_post_images()
        elif url == "reader:show-rest":
            self._viewer.show_rest()
        elif target.kind == "post":
            self._navigation.select_post_key(target.value)
        elif target.kind in ("category", "tag"):
            if not self._navigation.select_node_path(f"{target.kind}/{target.value}"):
                missing = (
                    self.tr("No category named %s in this archive.")
                    if target.kind == "category"
                    else self.tr("No tag named %s in this archive.")
                )
                self.said.emit(missing % names.shown(target.value), 5000)
        elif target.kind == "external":
            QDesktopServices.openUrl(QUrl(target.value))
        else:
            self.said.emit(self.tr("This link is not followed: %s") % url[:200], 5000)
        self.last_target = target

    def open_original(self) -> None:
        if self._viewer.original_url:
            QDesktopServices.openUrl(QUrl(self._viewer.original_url))
        else:
            self.said.emit(self.tr("This post names no original address."), 5000)

    def copy_text(self) -> None:
        if self._viewer.post is not None:
            QApplication.clipboard().setText(self._viewer.toPlainText())

    def copy_link(self) -> None:
        """The post's original web address when it names one, else its file."""
        post, archive = self._viewer.post, self._session.archive
        if post is None or archive is None:
            return
        # The file's URL from its bytes: QUrl.fromLocalFile drops a byte that is not UTF-8.
        file_url = QUrl.fromEncoded(Path(os.path.abspath(archive.root / post.path)).as_uri().encode())
        link = self._viewer.original_url or file_url.toString()
        QApplication.clipboard().setText(link)
