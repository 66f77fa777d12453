"""The window's settings (session, recent folders, text size) in an INI file under the
user config folder. Read and starred marks live elsewhere (:mod:`reader.core.state`)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QSettings

RECENT_LIMIT = 10


def settings_path() -> Path:
    return platformdirs.user_config_path("reader", appauthor=False) / "reader.ini"


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def get(self, key: str, default: Any = None) -> Any:
        return self._qsettings.value(key, default)

    def set(self, key: str, value: Any) -> None:
        self._qsettings.setValue(key, value)

    def sync(self) -> None:
        self._qsettings.sync()

    # --- per archive -----------------------------------------------------------------

    @staticmethod
    def _archive_group(root: Path) -> str:
        return "archive-" + hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]

    def archive_get(self, root: Path, key: str, default: Any = None) -> Any:
        return self.get(f"{self._archive_group(root)}/{key}", default)

    def archive_set(self, root: Path, key: str, value: Any) -> None:
        self.set(f"{self._archive_group(root)}/{key}", value)

    # --- recent folders --------------------------------------------------------------

    def recent(self) -> list[str]:
        value = self.get("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def add_recent(self, root: Path) -> None:
        folder = str(root.resolve())
        items = [folder, *(r for r in self.recent() if r != folder)][:RECENT_LIMIT]
        self.set("recent", items)
        self.set("last_archive", folder)
