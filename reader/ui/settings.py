"""The window's settings (session, recent folders, text size) in an INI file under the
user config folder. Read and starred marks live elsewhere (:mod:`reader.core.state`).

A folder or post key that is not valid UTF-8 is kept as its bytes (``@ByteArray(…)``),
which Qt's text would not keep (see :mod:`reader.core.names`); everything else as text.

QSettings writes the file atomically (a new file renamed over the old one, under a lock
file): a fault while writing (a full disk, a read-only folder or file) leaves the file as
it was, and keeps the values in memory for the next write. :meth:`Settings.sync` says
whether a write worked and :attr:`Settings.problem` why it did not."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from reader.core.faults import disk_trouble
from reader.core.names import archive_digest, archive_id, from_stored, shown, to_stored

RECENT_LIMIT = 10


def settings_path() -> Path:
    return platformdirs.user_config_path("reader", appauthor=False) / "reader.ini"


def why_not_written(path: Path) -> str:
    """A guess, in words, at why ``path`` could not be written (QSettings does not say)."""
    folder = path.parent
    trouble = disk_trouble(folder)
    if trouble is not None:
        return trouble
    if not folder.is_dir():
        return f"{shown(str(folder))} cannot be made"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"{shown(str(path))} is read-only or not yours"
    return f"{shown(str(path))} cannot be written"


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        #: Why the last write failed, or None when the file holds every value.
        self.problem: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:  # the window says so; each sync tries again
            self.problem = why_not_written(self.path)
        self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def get(self, key: str, default: Any = None) -> Any:
        return self._qsettings.value(key, default)

    def set(self, key: str, value: Any) -> None:
        self._qsettings.setValue(key, _storable(value))

    def get_name(self, key: str) -> str | None:
        """A setting that holds a file or folder name or a post key (see :meth:`set`)."""
        return _name(self.get(key))

    def sync(self) -> bool:
        """Write the settings now; False when they could not be written (the file stays
        as it was, the values are kept and a later sync writes them)."""
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._qsettings.status() == QSettings.Status.AccessError:
            # A QSettings keeps the first error it met for good (a write it tried by
            # itself, as the event loop runs, too): a new one for the same file, which
            # shares the values not written yet (as all of a process's QSettings of one
            # file do) and tries to write them as it starts, says whether this try worked.
            self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)
        self._qsettings.sync()
        if self._qsettings.status() != QSettings.Status.AccessError:
            self.problem = None
            return True
        self.problem = why_not_written(self.path)
        return False

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
