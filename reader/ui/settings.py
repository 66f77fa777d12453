"""The window's settings (session, recent folders, text size) in an INI file under the
user config folder. Read and starred marks live elsewhere (:mod:`reader.core.state`).

QSettings writes the file atomically (a new file renamed over the old one, under a lock
file): a fault while writing (a full disk, a read-only folder or file) leaves the file as
it was, and keeps the values in memory for the next write. :meth:`Settings.sync` says
whether a write worked and :attr:`Settings.problem` why it did not."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QSettings

RECENT_LIMIT = 10
#: Below this much free space a failed write is put down to a full disk.
FULL_BELOW = 64 << 10


def settings_path() -> Path:
    return platformdirs.user_config_path("reader", appauthor=False) / "reader.ini"


def why_not_written(path: Path) -> str:
    """A guess, in words, at why ``path`` could not be written (QSettings does not say)."""
    folder = path.parent
    with contextlib.suppress(OSError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"{folder} is on a read-only file system"
        if shutil.disk_usage(folder).free < FULL_BELOW:
            return f"the disk holding {folder} is full"
    if not folder.is_dir():
        return f"{folder} cannot be made"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"{path} is read-only or not yours"
    return f"{path} cannot be written"


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
        self._qsettings.setValue(key, value)

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
