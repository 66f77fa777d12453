"""File → Open Recent: the folders opened last (from the settings), filled each time the
menu opens; a folder no longer there is shown, greyed out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget

from reader.core import names
from reader.ui.settings import Settings


class RecentMenu(QMenu):
    chosen = Signal(str)  # a folder to open

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Open &Recent"))
        self._settings = settings
        self.aboutToShow.connect(self.fill)

    def fill(self) -> None:
        self.clear()
        recent = self._settings.recent()
        if not recent:
            self.addAction(self.tr("(none)")).setEnabled(False)
        for folder in recent:
            exists = Path(folder).is_dir()
            label = names.shown(folder)
            action = self.addAction(label if exists else self.tr("%s (missing)") % label)
            action.setEnabled(exists)
            action.triggered.connect(lambda _=False, f=folder: self.chosen.emit(f))
