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
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from reader.core import user_folders
from reader.core.faults import disk_trouble
from reader.core.image_cache import DEFAULT_LIMIT
from reader.core.names import archive_digest, archive_id, from_stored, shown, to_stored
from reader.ui.theme import THEMES

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: where it is kept, what it holds, its value when none is stored (or
    the one stored is not of its kind) and what it means. ``per_archive``: kept once
    for each archive (see :meth:`Settings.archive_get`)."""

    key: str
    read: Callable[[object], T | None]  # the stored value as a T; None when it is not one
    default: T
    meaning: str
    per_archive: bool = False


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value.strip())
    return None


def _bool(value: object) -> bool | None:
    """A bool as the INI file gives it back: "true"/"false" (or a bool)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in ("true", "1") else False if text in ("false", "0") else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _bytes(value: object) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _name(value: object) -> str | None:
    """The name :func:`_storable` kept as ``value``; None for anything else."""
    if isinstance(value, QByteArray):
        return from_stored(value.data())
    return value if isinstance(value, str) else None


def _names(value: object) -> list[str] | None:
    items = value if isinstance(value, list) else [value]
    return [name for name in map(_name, items) if name is not None]


def _one_of(*choices: str) -> Callable[[object], str | None]:
    def read(value: object) -> str | None:
        return value if isinstance(value, str) and value in choices else None

    return read


# --- the settings, each declared once ---------------------------------------------------

WINDOW_GEOMETRY = Setting[QByteArray | None](
    "window/geometry", _bytes, None, "The window's place and size, as Qt saves them."
)
ZOOM = Setting[int]("viewer/zoom", _int, 0, "Text size steps of the reading pane from the usual size.")
READING_FONT = Setting[str]("viewer/font", _text, "", "The reading pane's typeface; empty: the usual one.")
THEME = Setting[str]("view/theme", _one_of(*THEMES), "system", "System, light or dark colours.")
LANGUAGE = Setting[str](
    "view/language",
    _one_of("system", "en", "zh_CN"),
    "system",
    "The interface language (from the next start).",
)
IMAGE_CACHE_MB = Setting[int](
    "images/cache_mb", _int, DEFAULT_LIMIT // 2**20, "The most room remote images take on disk, in MB."
)
AUTO_UPDATE_MINUTES = Setting[int](
    "git/update_minutes",
    _int,
    0,
    "Minutes between updates of a git archive from its remote while the window is open; 0: never.",
)
RECENT = Setting[list[str]]("recent", _names, [], "The archives opened last, newest first.")
LAST_ARCHIVE = Setting[str | None]("last_archive", _name, None, "The archive opened at the next start.")
# Per archive:
SPLITTER = Setting[QByteArray | None](
    "splitter", _bytes, None, "Widths of the tree and the list with the post.", per_archive=True
)
RIGHT_SPLITTER = Setting[QByteArray | None](
    "right_splitter", _bytes, None, "Heights of the list and the post.", per_archive=True
)
LIST_HEADER = Setting[QByteArray | None](
    "list_header", _bytes, None, "The post list's columns and their order.", per_archive=True
)
NODE = Setting[str | None](
    "node", _name, None, "The tree's choice (a category, tag, month...).", per_archive=True
)
POST = Setting[str | None]("post", _name, None, "The key of the post shown.", per_archive=True)
REMOTE_IMAGES = Setting[bool](
    "remote_images", _bool, False, "Whether images from the web are loaded in posts.", per_archive=True
)

#: Every setting, for the tests and the documentation.
DECLARED: tuple[Setting[Any], ...] = (
    WINDOW_GEOMETRY,
    ZOOM,
    READING_FONT,
    THEME,
    LANGUAGE,
    IMAGE_CACHE_MB,
    AUTO_UPDATE_MINUTES,
    RECENT,
    LAST_ARCHIVE,
    SPLITTER,
    RIGHT_SPLITTER,
    LIST_HEADER,
    NODE,
    POST,
    REMOTE_IMAGES,
)

RECENT_LIMIT = 10


def settings_path() -> Path:
    return user_folders.settings_file()


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

    def get(self, setting: Setting[T]) -> T:
        """The stored value; the setting's default when none is stored or the one stored
        is not of its kind (a file edited by hand, an older Reader)."""
        assert not setting.per_archive, setting.key
        return self._read(setting.key, setting)

    def set(self, setting: Setting[T], value: T) -> None:
        assert not setting.per_archive, setting.key
        self._qsettings.setValue(setting.key, _storable(value))

    def _read(self, key: str, setting: Setting[T]) -> T:
        stored = self._qsettings.value(key)
        if stored is None:
            return setting.default
        value = setting.read(stored)
        if value is None:
            log.debug("setting %s: %r is not of its kind, %r is used", key, stored, setting.default)
            return setting.default
        return value

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

    def archive_get(self, root: Path, setting: Setting[T]) -> T:
        """A setting kept for each archive: the one of the archive at ``root``."""
        assert setting.per_archive, setting.key
        return self._read(f"{self._archive_group(root)}/{setting.key}", setting)

    def archive_set(self, root: Path, setting: Setting[T], value: T) -> None:
        assert setting.per_archive, setting.key
        self._qsettings.setValue(f"{self._archive_group(root)}/{setting.key}", _storable(value))

    # --- recent folders --------------------------------------------------------------

    def recent(self) -> list[str]:
        recent: list[str] = self.get(RECENT)
        return list(recent)

    def add_recent(self, root: Path) -> None:
        folder = archive_id(root)
        items = [folder, *(r for r in self.recent() if r != folder)][:RECENT_LIMIT]
        self.set(RECENT, items)
        self.set(LAST_ARCHIVE, folder)


def _storable(value: object) -> object:
    """``value`` with each name that is not valid text as its bytes (a QByteArray: Qt
    keeps a Python ``bytes`` as a pickle)."""
    if isinstance(value, str):
        stored = to_stored(value)
        return stored if isinstance(stored, str) else QByteArray(stored)
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value
