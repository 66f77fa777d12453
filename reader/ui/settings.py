"""The window's settings (session, recent folders, text size) in an INI file under the
user config folder. Read and starred marks live elsewhere (:mod:`reader.core.state`).

A folder or post key that is not valid UTF-8 is kept as its bytes (``@ByteArray(…)``),
which Qt's text would not keep (see :mod:`reader.core.names`); everything else as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from reader.core.names import archive_digest, archive_id, from_stored, to_stored

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
        self._qsettings.setValue(key, _storable(value))

    def get_name(self, key: str) -> str | None:
        """A setting that holds a file or folder name or a post key (see :meth:`set`)."""
        return _name(self.get(key))

    def sync(self) -> None:
        self._qsettings.sync()

    # --- per archive -----------------------------------------------------------------

    @staticmethod
    def _archive_group(root: Path) -> str:
        return "archive-" + archive_digest(root)[:16]

    def archive_get(self, root: Path, key: str, default: Any = None) -> Any:
        return self.get(f"{self._archive_group(root)}/{key}", default)

    def archive_set(self, root: Path, key: str, value: Any) -> None:
        self.set(f"{self._archive_group(root)}/{key}", value)

    def archive_get_name(self, root: Path, key: str) -> str | None:
        return _name(self.archive_get(root, key))

    # --- recent folders --------------------------------------------------------------

    def recent(self) -> list[str]:
        value = self.get("recent", [])
        if not isinstance(value, list):
            value = [value]
        return [name for name in map(_name, value) if name is not None]

    def add_recent(self, root: Path) -> None:
        folder = archive_id(root)
        items = [folder, *(r for r in self.recent() if r != folder)][:RECENT_LIMIT]
        self.set("recent", items)
        self.set("last_archive", folder)


def _storable(value: Any) -> Any:
    """``value`` with each name that is not valid text as its bytes (a QByteArray: Qt
    keeps a Python ``bytes`` as a pickle)."""
    if isinstance(value, str):
        stored = to_stored(value)
        return stored if isinstance(stored, str) else QByteArray(stored)
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value


def _name(value: Any) -> str | None:
    """The name :func:`_storable` kept as ``value``; None for anything else."""
    if isinstance(value, QByteArray):
        return from_stored(value.data())
    return value if isinstance(value, str) else None
