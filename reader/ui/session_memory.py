"""What the window remembers between runs: its place and size, and for each archive
its panes, the list's columns and sort, the tree's choice and the post shown. All of it
goes through :class:`Settings` (see its declarations)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from reader.ui.settings import (
    LIST_HEADER,
    NODE,
    POST,
    RIGHT_SPLITTER,
    SPLITTER,
    WINDOW_GEOMETRY,
    Settings,
)

#: The window's size the first time.
FIRST_SIZE = (1280, 800)


class SessionMemory:
    """The window's layout, written to and read from the settings."""

    def __init__(self, settings: Settings, panes: QSplitter, right: QSplitter, header: QHeaderView) -> None:
        self._settings = settings
        self._splitters = ((panes, SPLITTER), (right, RIGHT_SPLITTER))
        self._header = header

    def restore_window(self, window: QMainWindow) -> None:
        geometry = self._settings.get(WINDOW_GEOMETRY)
        if geometry is not None:
            window.restoreGeometry(geometry)
        else:
            window.resize(*FIRST_SIZE)

    def restore_panes(self, root: Path) -> None:
        """The splitters and the list's columns (with its sort) as they were for ``root``."""
        for splitter, setting in self._splitters:
            value = self._settings.archive_get(root, setting)
            if value is not None:
                splitter.restoreState(value)
        header_state = self._settings.archive_get(root, LIST_HEADER)
        if header_state is not None:
            self._header.restoreState(header_state)

    def place(self, root: Path) -> tuple[str | None, str | None]:
        """The tree's choice (its path) and the key of the post shown, as they were."""
        return self._settings.archive_get(root, NODE), self._settings.archive_get(root, POST)

    def save(self, window: QMainWindow, root: Path | None, node_path: str, post_key: str | None) -> None:
        """Remember the window, and when an archive is shown (at ``root``) its layout
        and place. Written on the next sync."""
        self._settings.set(WINDOW_GEOMETRY, window.saveGeometry())
        if root is None:
            return
        for splitter, setting in self._splitters:
            self._settings.archive_set(root, setting, splitter.saveState())
        self._settings.archive_set(root, LIST_HEADER, self._header.saveState())
        self._settings.archive_set(root, NODE, node_path)
        if post_key is not None:
            self._settings.archive_set(root, POST, post_key)
