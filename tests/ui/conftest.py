"""Window fixtures: each test gets its own settings and state files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.main_window import MainWindow
from reader.ui.nav_model import ALL
from reader.ui.settings import NODE, Settings


class WindowDriver:
    def __init__(self, qtbot, folder: Path) -> None:
        self.qtbot = qtbot
        self.folder = folder
        self.window = self.new_window()

    def new_window(self) -> MainWindow:
        window = MainWindow(Settings(self.folder / "reader.ini"), state_path=self.folder / "state.sqlite3")
        self.qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.activateWindow()
        return window

    def open(self, root: Path, window: MainWindow | None = None, *, first_time: bool = False) -> MainWindow:
        """Open ``root`` and wait for it. As if shown before with no post chosen, unless
        ``first_time`` (then the window shows its newest unread post)."""
        window = window or self.window
        if not first_time and window.settings.archive_get(root, NODE) is None:
            window.settings.archive_set(root, NODE, f"{ALL}/")
        with self.qtbot.waitSignal(window.archive_loaded, timeout=20000):
            window.open_archive(root)
        return window

    def key(self, key, modifier=None, widget=None) -> None:
        from PySide6.QtCore import Qt

        target = widget or self.window.list
        window = target.window()
        if not window.isActiveWindow():
            window.activateWindow()
            self.qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        target.setFocus()
        self.qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def driver(qtbot, tmp_path) -> WindowDriver:
    folder = tmp_path / "user"
    folder.mkdir()
    return WindowDriver(qtbot, folder)
